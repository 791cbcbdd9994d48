#!/usr/bin/env bash
# On the GPU machine, after the staging calls (see docs/BENCHMARKS.md): unpacks libtorch 2.5.1 cu124, then runs
# HF PEFT bf16+SDPA and peft-core fp16 alternately (ROUNDS rounds, default 3), HF PEFT fp16 eager, and peft-core
# with its step breakdown, one after another on the same GPU, sampling nvidia-smi every 50 ms for each run's peak
# device memory (process + CUDA context + allocator cache).
# Usage (carry .bench-cp, see run.sh): [ROUNDS=3] bench/train-throughput/gpu-run.sh [steps] [warmup]; the summary
# goes to $OUT/train-throughput.log.
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
  "$@" > "/tmp/$label.log" 2>&1 || tail -20 "/tmp/$label.log" | tee -a "$LOG"
  kill $s
  grep RESULT "/tmp/$label.log" | sed "s/^/[$label] /" | tee -a "$LOG"
  echo "PEAK $label $(sort -n /tmp/mem.txt | tail -1) MiB used at peak, $base MiB before" | tee -a "$LOG"
}
export PYTHONUNBUFFERED=1
CP=$([ -d /root/cp ] && echo /root/cp || echo .bench-cp)
export PYTORCH_LIBRARY_PATH=/root/libtorch PYTORCH_VERSION=2.5.1 PYTORCH_FLAVOR=cu124 DJL_CACHE_DIR=/root/djl-cache
core() {  # core STEPS WARMUP [-Dprop=value...]
  local steps=$1 warmup=$2
  shift 2
  /root/jre/bin/java -Xmx4g -Dai.djl.offline=true "$@" -cp "$CP/*" io.peftflow.core.bench.TrainThroughputBench \
    tinyllama "$steps" "$warmup"
}
# The headline pair alternates for ROUNDS rounds (PEFT's and peft-core's speed both drift between and within calls
# on this machine), then PEFT fp16 eager once and peft-core once more with the step breakdown.
for r in $(seq 1 "${ROUNDS:-3}"); do
  peak "hf-peft-bf16-sdpa-r$r" python3 bench/train-throughput/peft_bench.py bf16-sdpa "$STEPS" "$WARMUP"
  peak "peft-core-fp16-r$r" core "$STEPS" "$WARMUP"
done
peak hf-peft-fp16-eager python3 bench/train-throughput/peft_bench.py fp16-eager "$STEPS" "$WARMUP"
# With the breakdown and the host-cost probe (a second optimizer and graph: its memory peak is not the run's).
peak peft-core-fp16-breakdown core 10 3 -Dbench.breakdown=true
