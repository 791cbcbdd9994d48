#!/usr/bin/env bash
# Issue 25 item 3 on the GPU machine, one round per call: time-to-quality of peft-core's TrainCommand (the TrainingRun
# the worker runs, with its length bucketing) against HF Trainer + PEFT (ttq.py has both setups) on the generated
# transactions (20,000 train / 500 validation, written by TransactionDataset seeds 42/43 and encoded by EvalSetDump on
# this machine: .ttq/, see BENCHMARKS), the random TinyLlama-shaped checkpoint of make_tinyllama.py. Each contender
# saves its adapter every 50 steps and after the last; after its run, one evaluator (ttq.py hf-eval / core-eval: the
# checkpoint in fp32, the same 500 examples) measures every snapshot of it.
# Staged like gpu-resume.sh (/root/jre, /root/cp, /root/gpu pieces, /root/extra = .gpu-extra, /root/ttq = .ttq).
# Usage: ROUND=1 ORDER="hf core" HF_CONFIG="group-by-length flatten" bench/train-throughput/gpu-ttq.sh, then rounds 2
# and 3 with HF's faster configuration of round 1 alone (HF_CONFIG=...) and the order alternated. A configuration
# ending in -compile (flatten-compile, group-by-length-compile) trains through torch.compile; its compilation falls in
# its first steps and so in its time to the target, as peft-core's graph captures fall in its own (flatten-compile on
# an H100 with a cold Inductor cache: three compilations, ~295 s; give it a call of its own, ORDER=hf
# HF_CONFIG=flatten-compile). A round 1 too long for one call may be split (ORDER=hf, then ORDER=core, same ROUND): the
# log accumulates in /root/ttq/ttq.log (one machine session) and is copied, with this round's raw logs, to $OUT.
# Round 1 must run HF first: the faster HF configuration's loss after one epoch is the target.
# DRY=1 checks the pipeline: STEPS (default 60) steps per contender, its own log (/root/ttq/dry.log, fresh each call);
# its peft-core run also serves as the warm-up.
# Seeds: both contenders of a round train with one seed (LoRA init and batch order): SEED (default 42) in every round,
# or SEED_BASE=B for seed B + ROUND (another trajectory each round); the round's header line in the log records it.
# BUCKETS: peft-core's batch order, a list run in turn like HF_CONFIG: on (default; its length buckets, label
# peft-core), off (no length grouping: batches in a seeded random order as HF's sampler draws them, `--bucket-batches
# 1`, label peft-core-random) or a number of batches per bucket (label peft-core-bN).
set -uo pipefail
cd "$(dirname "$0")/../.."
source bench/train-throughput/gpu-common.sh
D=/root/ttq
LOG=$D/ttq.log
ROUND=${ROUND:-1}
ORDER=${ORDER:-hf core}
HF_CONFIG=${HF_CONFIG:-group-by-length}
BUCKETS=${BUCKETS:-on}
if [ -n "${SEED_BASE:-}" ] && [ -n "${SEED:-}" ]; then
  echo "SEED (one seed every round) or SEED_BASE (seed SEED_BASE + ROUND), not both" >&2
  exit 2
fi
if [ -n "${SEED_BASE:-}" ]; then
  SEED=$(( SEED_BASE + ROUND ))
fi
export SEED=${SEED:-42}   # train_lora's (gpu-common.sh)
case $SEED in ''|*[!0-9]*) echo "SEED: a number, got '$SEED'" >&2; exit 2 ;; esac
for b in $BUCKETS; do
  case $b in
    on|off|[1-9]|[1-9][0-9]*) ;;
    *) echo "BUCKETS: on, off or a number of batches, got '$b'" >&2; exit 2 ;;
  esac
done
if [ "${DRY:-0}" = 1 ]; then  # never into the rounds' log: its losses would set the target
  STEPS=${STEPS:-60}
  LOG=$D/dry.log
  rm -f "$LOG"
elif [ -n "${STEPS:-}" ]; then
  echo "STEPS is for DRY=1 checks: a round trains one epoch" >&2
  exit 2
else
  STEPS=$(( ($(wc -l < $D/train.jsonl) + 15) / 16 ))   # one epoch at batch 16
fi
TTQ="python3 -P bench/train-throughput/ttq.py"
[ -f /root/tl/model.safetensors ] || python3 -P bench/train-throughput/make_tinyllama.py /root/tl $D/tiny 2>&1 | grep RESULT
echo "round $ROUND ($(date -u +%H:%M:%S) UTC, $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader);" \
  "seed $SEED): $ORDER; HF $HF_CONFIG; peft-core buckets $BUCKETS" | tee -a "$LOG"
core_train() {  # core_train OUT STEPS [TrainCommand options]: no evaluation before the end (the snapshots are
  # evaluated after the run)
  local out=$1 steps=$2
  shift 2
  train_lora /root/extra --train $D/train.jsonl --validation $D/validation.jsonl --steps "$steps" --lr 1e-3 \
    --warmup 10 --eval-every 0 --snapshot-every 50 --out "$out" "$@"
}
core_label() {  # core_label on|off|N: the run's label and its TrainCommand options
  case $1 in
    on) echo peft-core ;;
    off) echo "peft-core-random --bucket-batches 1" ;;
    *) echo "peft-core-b$1 --bucket-batches $1" ;;
  esac
}
if [ "${DRY:-0}" != 1 ] && [ ! -f /tmp/warm-ttq ]; then  # discarded: the first JVM loads libtorch and CUDA from a
  # cold disk (a DRY=1 check's peft-core run does the same)
  core_train /tmp/warm 20 > "$RAW/warm-up-peft-core.log" 2>&1
  touch /tmp/warm-ttq
fi
evaluate() {  # evaluate hf|core LABEL SNAPSHOTS: the common evaluator over a run's snapshots, its lines into $LOG
  $TTQ "$1-eval" "$RAW/$2.log" "$3" /root/tl $D/eval-tokens.jsonl > "$RAW/$2-eval.log" 2>&1 \
    || tail -5 "$RAW/$2-eval.log" | tee -a "$LOG"
  grep -E "^(EVAL|RESULT|eval @|lora )" "$RAW/$2-eval.log" | sed "s/^/[$2] /" | tee -a "$LOG"
}
run() {
  case $1 in
    hf)
      for c in $HF_CONFIG; do
        rm -rf /tmp/hf-snapshots
        $TTQ hf "$c" /root/tl $D/train-tokens.jsonl /tmp/hf-snapshots "$STEPS" "$SEED" > "$RAW/hf-$c-r$ROUND.log" 2>&1 \
          || tail -5 "$RAW/hf-$c-r$ROUND.log" | tee -a "$LOG"
        grep -E "^(RESULT|packed)" "$RAW/hf-$c-r$ROUND.log" | sed "s/^/[hf-$c-r$ROUND] /" | tee -a "$LOG"
        evaluate hf "hf-$c-r$ROUND" /tmp/hf-snapshots
      done ;;
    core)
      for b in $BUCKETS; do
        set -- $(core_label "$b")
        local label=$1
        shift
        rm -rf /tmp/core
        core_train /tmp/core "$STEPS" "$@" 2>&1 | $TTQ ts > "$RAW/$label-r$ROUND.log"
        touch /tmp/warm-ttq
        # its seed and batch order, into the log; jars older than --bucket-batches print none (and ignored it)
        grep -m1 -E "^[0-9.]+ seed $SEED, " "$RAW/$label-r$ROUND.log" | cut -d' ' -f2- | sed "s/^/[$label-r$ROUND] /" \
          | tee -a "$LOG" | grep -q . || echo "ERROR $label-r$ROUND: no 'seed $SEED, <order>' line from TrainCommand" \
          "(jars before --bucket-batches? rebuild .bench-cp)" | tee -a "$LOG"
        evaluate core "$label-r$ROUND" /tmp/core/snapshots
      done ;;
  esac
}
for c in $ORDER; do
  run "$c"
done
$TTQ summary "$LOG" | tee "${OUT:-/tmp}/summary.txt"
cp "$LOG" "${OUT:-/tmp}/ttq.log"
tar -czf "${OUT:-/tmp}/raw-ttq-r$ROUND.tar.gz" -C "$RAW" .
