#!/usr/bin/env bash
# The 7B benchmark on the H200: writes a random Llama-2-7B-shaped bf16 checkpoint (make_llama7b.py, sharded
# safetensors, ~13.5 GB) once, then ROUNDS rounds (default 3) of peft-core (loads it to fp16 on the GPU) and HF PEFT
# bf16+SDPA (from_pretrained to the GPU), alternating who goes first, LoRA r=16 alpha=32 on q,k,v,o at batch
# BATCH x SEQ (default 4 x 1024); each run reports its load time, host peak RSS, tokens/s and device-memory peak;
# medians.py computes the medians and ratios from this log (FIRST_ROUND and LOG split the rounds over device calls:
# bench/rounds.sh, gpu-common.sh). NATIVE=1 adds a third contender each round, peft-core with
# the training layer's fused CUDA kernels (-Dpeftflow.train.native=$TRAIN_NATIVE, see gpu-run.sh). CONTENDERS="native
# hfc" runs peft-core with those kernels against HF PEFT bf16+SDPA through torch.compile (peft_bench.py's
# bf16-sdpa-compile; its first warm-up step compiles) instead; any list of core, native, hf and hfc runs, and
# medians.py gives the first one's ratios against each of the others.
# Usage (after staging, carrying .bench-cp): [ROUNDS=3 BATCH=4 SEQ=1024 LAYERS=32] bench/train-throughput/gpu-7b.sh
# [steps=10] [warmup=3]; the summary goes to $OUT/train-throughput.log, the raw logs to $OUT/raw-7b.tar.gz.
set -uo pipefail
cd "$(dirname "$0")/../.."
STEPS=${1:-10}
WARMUP=${2:-3}
BATCH=${BATCH:-4}
SEQ=${SEQ:-1024}
DIR=/root/llama7b-${LAYERS:-32}
label() {  # label CONTENDER: its runs' label in the log
  case $1 in
    core) echo peft-core-7b-fp16 ;;
    native) echo peft-core-7b-fp16-native ;;
    hf) echo hf-peft-7b-bf16-sdpa ;;
    hfc) echo hf-peft-7b-bf16-sdpa-compile ;;
    *) echo "CONTENDERS: core, native, hf or hfc, got '$1'" >&2; exit 2 ;;
  esac
}
if [ -z "${CONTENDERS:-}" ]; then
  CONTENDERS=$([ "${NATIVE:-0}" = 1 ] && echo "native core hf" || echo "core hf")
fi
LABELS=$(for c in $CONTENDERS; do label "$c" || exit 2; done) || exit 2
source bench/train-throughput/gpu-common.sh
warm_up
if [ ! -f "$DIR/config.json" ]; then
  python3 bench/train-throughput/make_llama7b.py "$DIR" "${LAYERS:-32}" | tee -a "$LOG"
fi
free -g | head -2 | tee -a "$LOG"
run() {  # run CONTENDER ROUND
  case $1 in
    core) peak "$(label core)-r$2" core "$DIR" "$STEPS" "$WARMUP" -Dbench.batch="$BATCH" -Dbench.seq="$SEQ" ;;
    native) peak "$(label native)-r$2" core "$DIR" "$STEPS" "$WARMUP" -Dbench.batch="$BATCH" -Dbench.seq="$SEQ" \
      -Dpeftflow.train.native="$TRAIN_NATIVE" ;;
    hf|hfc) local label
      label=$(label "$1")   # hf-peft-7b-MODE: peft_bench.py's mode follows the prefix
      peak "$label-r$2" python3 bench/train-throughput/peft_bench.py "${label#hf-peft-7b-}" "$STEPS" "$WARMUP" "$DIR" \
        "$BATCH" "$SEQ" ;;
  esac
}
rounds $CONTENDERS
python3 bench/train-throughput/medians.py "$LOG" $LABELS | tee -a "$LOG"
tar -czf "${OUT:-/tmp}/raw-7b.tar.gz" -C "$RAW" .
