#!/usr/bin/env bash
# CUDA graphs of the training step (training.StepGraphs) on the GPU machine, after staging (docs/BENCHMARKS.md):
# 1. the fused kernels' check (they now launch on libtorch's current stream, which a capture switches);
# 2. loss-curve parity: three TinyLlama-shape runs of 30 steps on 16 repeated random sequences of 128..512 tokens (7
#    batch lengths: several graphs on one memory pool), lr 1e-3 cosine — eager, graphs, eager again — every step's loss
#    compared: graphs against eager next to eager against itself (FlashAttention's backward is not bitwise
#    deterministic);
# 3. throughput, where the parity run captured its steps: CONTENDERS (default "graphs native bf16") over ROUNDS rounds,
#    gpu-run.sh.
# Usage: TRAIN_NATIVE=... bench/train-throughput/gpu-graphs.sh [steps=20] [warmup=5]; logs under $OUT.
set -uo pipefail
cd "$(dirname "$0")/../.."
source bench/train-throughput/gpu-common.sh
jvm "" -Dpeftflow.train.native="$TRAIN_NATIVE" io.peftflow.core.nn.NativeTrainKernelsCheck > "${OUT:-/tmp}/check.txt" 2>&1
grep -c PASS "${OUT:-/tmp}/check.txt" | xargs echo "kernel checks passed:" | tee -a "$LOG"
grep -E "FAIL|Exception" "${OUT:-/tmp}/check.txt" | head -5 | tee -a "$LOG"
parity=(-Dpeftflow.train.native="$TRAIN_NATIVE" -Dbench.lr=1e-3 -Dbench.distinct=16 -Dbench.varlen=true)
for run in eager-1:false graphs:true eager-2:false; do
  peak "parity-${run%%:*}" core tinyllama 24 6 "${parity[@]}" -Dpeftflow.train.cudaGraphs="${run#*:}"
  grep -E "LOSSES|WARN|StepGraphs" "$RAW/parity-${run%%:*}.log" | head -5 | sed "s/^/[parity-${run%%:*}] /" | tee -a "$LOG"
done
python3 - "$RAW" <<'EOF' | tee -a "$LOG"
import sys, re
def losses(name):
    for line in open(f"{sys.argv[1]}/parity-{name}.log"):
        if line.startswith("LOSSES "):
            return [float(x) for x in re.findall(r"[-\d.eE]+", line[7:])]
    return []
a, g, b = losses("eager-1"), losses("graphs"), losses("eager-2")
if not (a and g and b) or not (len(a) == len(g) == len(b)):
    print("PARITY incomplete:", len(a), len(g), len(b))
else:
    dg = max(abs(x - y) for x, y in zip(a, g))
    de = max(abs(x - y) for x, y in zip(a, b))
    print(f"PARITY steps {len(a)}: loss {a[0]:.6f} -> {a[-1]:.6f} eager, {g[0]:.6f} -> {g[-1]:.6f} graphs; "
          f"max |graphs - eager| {dg:.3g}, max |eager - eager| {de:.3g}")
EOF
if grep -q "[1-9][0-9]* shapes captured as CUDA graphs" "$RAW/parity-graphs.log"; then
  CONTENDERS=${CONTENDERS:-graphs native bf16} bash bench/train-throughput/gpu-run.sh "${1:-20}" "${2:-5}"
else
  echo "no step was captured: the throughput rounds are not run" | tee -a "$LOG"
fi
