#!/usr/bin/env bash
# LoRA training throughput on the H200, TinyLlama-1.1B shape (bench/train-throughput/peft_bench.py has the setup):
# ROUNDS rounds (default 3) of peft-core fp16, HF PEFT bf16+SDPA and HF PEFT fp16+SDPA, the order rotated each round,
# one after another on the same GPU; then every round, the medians and the ratios, computed by medians.py from this
# log. BREAKDOWN=1 adds a peft-core run with its step breakdown and host-cost probe. CONTENDERS="core autograd bf16
# fp16" adds peft-core with autograd's backward instead of the layers' hand-written one (-Dpeftflow.backward=autograd);
# "native" adds peft-core with the training layer's fused CUDA kernels (-Dpeftflow.train.native=$TRAIN_NATIVE, default
# peft-core/target/native/libpeftflow_train.so, built by peft-core/src/main/cuda/build.sh: carry that folder) without
# CUDA graphs; "graphs" adds peft-core with those kernels and each step replayed as a CUDA graph (the default where the
# library is configured, training.StepGraphs); "base" adds "graphs" at an earlier commit: its peft-core.jar ahead of the
# same classpath and its training library, BASE (default /root/base) holding both (bench/inference-decode/
# baseline-jars.sh COMMIT, then build.sh at that commit into BASE/native), staged like /root/cp; "chunk25" adds
# "graphs" with the native loss in chunks of 2^25 logits (-Dpeftflow.train.lossChunkLogits; the default is 2^27);
# "bf16c" and "fp16c" add HF PEFT through torch.compile (peft_bench.py's -compile modes: the peer's compiled
# configuration, whose first warm-up step compiles), "bf16ro" and "fp16ro" through torch.compile's reduce-overhead
# mode (Inductor with CUDA graphs). Every summary compares with each PEFT configuration that ran.
# Usage (after staging, carrying .bench-cp): [ROUNDS=3] bench/train-throughput/gpu-run.sh [steps=20] [warmup=5];
# the summary goes to $OUT/train-throughput.log, the raw logs to $OUT/raw-tinyllama.tar.gz.
set -uo pipefail
cd "$(dirname "$0")/../.."
STEPS=${1:-20}
WARMUP=${2:-5}
source bench/train-throughput/gpu-common.sh
warm_up
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader | tee -a "$LOG"
run() {  # run CONTENDER ROUND
  case $1 in
    core) peak "peft-core-fp16-r$2" core tinyllama "$STEPS" "$WARMUP" ;;
    native) peak "peft-core-fp16-native-r$2" core tinyllama "$STEPS" "$WARMUP" -Dpeftflow.train.native="$TRAIN_NATIVE" \
      -Dpeftflow.train.cudaGraphs=false ;;
    graphs) peak "peft-core-fp16-graphs-r$2" core tinyllama "$STEPS" "$WARMUP" -Dpeftflow.train.native="$TRAIN_NATIVE" ;;
    chunk25) peak "peft-core-fp16-chunk25-r$2" core tinyllama "$STEPS" "$WARMUP" -Dpeftflow.train.native="$TRAIN_NATIVE" \
      -Dpeftflow.train.lossChunkLogits=33554432 ;;
    base) CORE_CP="${BASE:-/root/base}/*:$CP/*" peak "peft-core-fp16-base-r$2" core tinyllama "$STEPS" "$WARMUP" \
      -Dpeftflow.train.native="${BASE:-/root/base}/native/libpeftflow_train.so" ;;
    autograd) peak "peft-core-fp16-autograd-r$2" core tinyllama "$STEPS" "$WARMUP" -Dpeftflow.backward=autograd ;;
    bf16) peer bf16-sdpa "$2" ;;
    fp16) peer fp16-sdpa "$2" ;;
    bf16c) peer bf16-sdpa-compile "$2" ;;
    fp16c) peer fp16-sdpa-compile "$2" ;;
    bf16ro) peer bf16-sdpa-reduce-overhead "$2" ;;
    fp16ro) peer fp16-sdpa-reduce-overhead "$2" ;;
  esac
}
peer() {  # peer MODE ROUND: HF PEFT in peft_bench.py's MODE, labelled hf-peft-MODE
  peak "hf-peft-$1-r$2" python3 bench/train-throughput/peft_bench.py "$1" "$STEPS" "$WARMUP"
}
rounds ${CONTENDERS:-core bf16 fp16}
PEERS="hf-peft-bf16-sdpa hf-peft-fp16-sdpa hf-peft-bf16-sdpa-compile hf-peft-fp16-sdpa-compile
  hf-peft-bf16-sdpa-reduce-overhead hf-peft-fp16-sdpa-reduce-overhead"  # those that ran count
if [ "${BREAKDOWN:-0}" = 1 ]; then
  peak peft-core-fp16-breakdown core tinyllama 10 3 -Dbench.breakdown=true
fi
python3 bench/train-throughput/medians.py "$LOG" peft-core-fp16 $PEERS | tee -a "$LOG"
case " ${CONTENDERS:-} " in
  *" native "*)
    python3 bench/train-throughput/medians.py "$LOG" peft-core-fp16-native $PEERS | tee -a "$LOG"
    python3 bench/train-throughput/medians.py "$LOG" peft-core-fp16-native peft-core-fp16 | tee -a "$LOG" ;;
esac
case " ${CONTENDERS:-} " in
  *" graphs "*)
    python3 bench/train-throughput/medians.py "$LOG" peft-core-fp16-graphs $PEERS | tee -a "$LOG"
    python3 bench/train-throughput/medians.py "$LOG" peft-core-fp16-graphs peft-core-fp16-native | tee -a "$LOG" ;;
esac
case " ${CONTENDERS:-} " in
  *" chunk25 "*)
    python3 bench/train-throughput/medians.py "$LOG" peft-core-fp16-graphs peft-core-fp16-chunk25 | tee -a "$LOG" ;;
esac
case " ${CONTENDERS:-} " in
  *" base "*)
    python3 bench/train-throughput/medians.py "$LOG" peft-core-fp16-base $PEERS | tee -a "$LOG"
    python3 bench/train-throughput/medians.py "$LOG" peft-core-fp16-graphs peft-core-fp16-base | tee -a "$LOG" ;;
esac
case " ${CONTENDERS:-} " in
  *" autograd "*) python3 bench/train-throughput/medians.py "$LOG" peft-core-fp16 peft-core-fp16-autograd | tee -a "$LOG" ;;
esac
tar -czf "${OUT:-/tmp}/raw-tinyllama.tar.gz" -C "$RAW" .
