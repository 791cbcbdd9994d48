#!/usr/bin/env bash
# Per-operation measurements on the GPU machine (issue 25), after the staging calls (docs/BENCHMARKS.md): OpBench (the
# 7B shape's GEMMs, causal SDPA at both shapes, one Llama layer forward and backward) in peft-core, and in a previous
# peft-core when PREV_CP names a classpath folder holding its peft-core.jar and peft-core-bench.jar; op_bench.py, the
# same operations in this machine's torch (each SDPA backend, with kernel names); ncu over one TinyLlama-shape layer
# forward+backward of each peft-core (kernel names and counts); one TinyLlama round of each peft-core and PEFT.
# Usage: [PREV_CP=DIR] bench/train-throughput/gpu-ops.sh; the log goes to $OUT/train-throughput.log, ncu's CSVs to $OUT.
set -uo pipefail
cd "$(dirname "$0")/../.."
source bench/train-throughput/gpu-common.sh
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader | tee -a "$LOG"
J="/root/jre/bin/java -Xmx4g -Dai.djl.offline=true"
versions=(new)
if [ -n "${PREV_CP:-}" ]; then
  mkdir -p /tmp/cp-prev && cp "$CP"/*.jar /tmp/cp-prev/ && cp "$PREV_CP"/*.jar /tmp/cp-prev/
  versions+=(prev)
fi
for v in "${versions[@]}"; do
  cp=$CP; [ "$v" = prev ] && cp=/tmp/cp-prev
  echo "== OpBench $v" | tee -a "$LOG"
  $J -cp "$cp/*" io.peftflow.core.bench.OpBench gemm,attn,layer 2>&1 | grep -E "^OP|Exception|Error" \
    | sed "s/^OP peft-core/OP peft-core-$v/" | tee -a "$LOG"
done
echo "== torch" | tee -a "$LOG"
timeout 200 python3 bench/train-throughput/op_bench.py 2>&1 | grep -E "^OP|^KERNELS|^torch|Error" | tee -a "$LOG"
NCU=$(command -v ncu || ls /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -1)
for v in "${versions[@]}"; do
  cp=$CP; [ "$v" = prev ] && cp=/tmp/cp-prev
  timeout 120 "$NCU" --clock-control none --metrics gpu__time_duration.sum --csv --print-units base \
    $J -cp "$cp/*" io.peftflow.core.bench.OpBench once > "${OUT:-/tmp}/ncu-layer-$v.csv" 2>&1
  echo "ncu $v rc=$?" | tee -a "$LOG"
  CP=$cp peak "peft-core-$v-fp16-r1" core tinyllama 20 5
done
peak "hf-peft-fp16-sdpa-r1" python3 bench/train-throughput/peft_bench.py fp16-sdpa 20 5
tar -czf "${OUT:-/tmp}/raw-ops.tar.gz" -C "$RAW" .
