#!/usr/bin/env bash
# Issue 25 item 3 on the GPU machine, one round per call: time-to-quality of peft-core's TrainCommand (the TrainingRun
# the worker runs, with its length bucketing) against HF Trainer + PEFT (ttq.py has both setups) on the generated
# transactions (20,000 train / 500 validation, written by TransactionDataset seeds 42/43 and encoded by EvalSetDump on
# this machine: .ttq/, see BENCHMARKS), the random TinyLlama-shaped checkpoint of make_tinyllama.py.
# Staged like gpu-resume.sh (/root/jre, /root/cp, /root/gpu pieces, /root/extra = .gpu-extra, /root/ttq = .ttq).
# Usage: ROUND=1 ORDER="hf core" HF_CONFIG=group-by-length bench/train-throughput/gpu-ttq.sh
# Round 1 must run HF first: its loss after one epoch is the target. The log accumulates in /root/ttq/ttq.log (one
# machine session) and is copied, with this round's raw logs, to $OUT.
set -uo pipefail
cd "$(dirname "$0")/../.."
source bench/train-throughput/gpu-common.sh
LOG=/root/ttq/ttq.log
D=/root/ttq
ROUND=${ROUND:-1}
HF_CONFIG=${HF_CONFIG:-group-by-length}
STEPS=$(( ($(wc -l < $D/train.jsonl) + 15) / 16 ))   # one epoch at batch 16
TTQ="python3 -P bench/train-throughput/ttq.py"
[ -f /root/tl/model.safetensors ] || python3 -P bench/train-throughput/make_tinyllama.py /root/tl $D/tiny 2>&1 | grep RESULT
echo "round $ROUND ($(date -u +%H:%M:%S) UTC, $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader)): $ORDER" \
  | tee -a "$LOG"
core_train() {  # core_train OUT STEPS
  train_lora /root/extra --train $D/train.jsonl --validation $D/validation.jsonl --steps "$2" --lr 1e-3 --warmup 10 \
    --eval-every 50 --out "$1"
}
if [ ! -f /tmp/warm-ttq ]; then  # discarded: the first JVM loads libtorch and CUDA from a cold disk
  core_train /tmp/warm 20 > "$RAW/warm-up-peft-core.log" 2>&1
  touch /tmp/warm-ttq
fi
run() {
  case $1 in
    hf)
      $TTQ hf "$HF_CONFIG" /root/tl $D/train-tokens.jsonl $D/eval-tokens.jsonl > "$RAW/hf-$HF_CONFIG-r$ROUND.log" 2>&1
      grep -E "^(EVAL|RESULT|packed)" "$RAW/hf-$HF_CONFIG-r$ROUND.log" | sed "s/^/[hf-$HF_CONFIG-r$ROUND] /" | tee -a "$LOG" ;;
    core)
      rm -rf /tmp/core
      core_train /tmp/core "$STEPS" 2>&1 | $TTQ ts > "$RAW/peft-core-r$ROUND.log"
      $TTQ core "$RAW/peft-core-r$ROUND.log" | sed "s/^/[peft-core-r$ROUND] /" | tee -a "$LOG" ;;
  esac
}
for c in ${ORDER:-hf core}; do
  run "$c"
done
$TTQ summary "$LOG" | tee "${OUT:-/tmp}/summary.txt"
cp "$LOG" "${OUT:-/tmp}/ttq.log"
tar -czf "${OUT:-/tmp}/raw-ttq-r$ROUND.tar.gz" -C "$RAW" .
