#!/usr/bin/env bash
# On the GPU machine, after the staging calls (see docs/BENCHMARKS.md): unpacks libtorch 2.5.1 cu124, then runs
# HF PEFT bf16+SDPA, HF PEFT fp16 eager and peft-core fp16 one after another on the same GPU, sampling
# nvidia-smi every 50 ms for each run's peak device memory (process + CUDA context + allocator cache).
# Usage (carry .bench-cp, see run.sh): bench/train-throughput/gpu-run.sh [steps] [warmup]; logs go to $OUT.
set -uo pipefail
STEPS=${1:-20}
WARMUP=${2:-5}
LOG=${OUT:-/tmp}/train-throughput.log
if [ ! -f /root/libtorch/libtorch.so ]; then
  mkdir -p /root/libtorch
  cat $(ls /root/gpu/* | sort) | LD_LIBRARY_PATH=/root/jre/zbin /root/jre/zbin/zstd -d --long=30 \
    | tar -x -C /root/libtorch
fi
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader | tee -a "$LOG"
peak() {  # peak LABEL CMD...: runs CMD while sampling device memory; prints its RESULT line and the peak
  local label=$1 base s
  shift
  base=$(nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits | head -1)
  nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 50 > /tmp/mem.txt &
  s=$!
  "$@" > "${OUT:-/tmp}/$label.log" 2>&1 || tail -20 "${OUT:-/tmp}/$label.log"
  kill $s
  grep RESULT "${OUT:-/tmp}/$label.log" | tee -a "$LOG"
  echo "PEAK $label $(sort -n /tmp/mem.txt | tail -1) MiB used at peak, $base MiB before" | tee -a "$LOG"
}
export PYTHONUNBUFFERED=1
peak hf-peft-bf16-sdpa python3 bench/train-throughput/peft_bench.py bf16-sdpa "$STEPS" "$WARMUP"
peak hf-peft-fp16-eager python3 bench/train-throughput/peft_bench.py fp16-eager "$STEPS" "$WARMUP"
CP=$([ -d /root/cp ] && echo /root/cp || echo .bench-cp)
export PYTORCH_LIBRARY_PATH=/root/libtorch PYTORCH_VERSION=2.5.1 PYTORCH_FLAVOR=cu124 DJL_CACHE_DIR=/root/djl-cache
peak peft-core-fp16 /root/jre/bin/java -Xmx4g -Dai.djl.offline=true -cp "$CP/*" io.peftflow.core.bench.TrainThroughputBench \
  tinyllama "$STEPS" "$WARMUP"
# Again with the step breakdown (a second optimizer and graph: its memory peak is not the run's).
peak peft-core-fp16-breakdown /root/jre/bin/java -Xmx4g -Dai.djl.offline=true -Dbench.breakdown=true -cp "$CP/*" \
  io.peftflow.core.bench.TrainThroughputBench tinyllama 10 3
# Host cost alone: the same model on 8 x 16 tokens, where the device work is negligible.
peak peft-core-fp16-host /root/jre/bin/java -Xmx4g -Dai.djl.offline=true -Dbench.breakdown=true -Dbench.seq=16 -cp "$CP/*" \
  io.peftflow.core.bench.TrainThroughputBench tinyllama 10 3
# A second round of the two headline configurations, to show the call-to-call spread side by side.
peak hf-peft-bf16-sdpa-round2 python3 bench/train-throughput/peft_bench.py bf16-sdpa "$STEPS" "$WARMUP"
peak peft-core-fp16-round2 /root/jre/bin/java -Xmx4g -Dai.djl.offline=true -cp "$CP/*" io.peftflow.core.bench.TrainThroughputBench \
  tinyllama "$STEPS" "$WARMUP"
