#!/usr/bin/env bash
# Issue 25 item 4 on the GPU machine: TrainCommand (the TrainingRun the worker runs) trains LoRA on a random
# TinyLlama-1.1B-shaped checkpoint over the generated transaction data (20,000 train / 500 validation examples) with
# checkpoints every 100 steps, is killed (-9) after step 250 and resumed from its checkpoint; an uninterrupted run with
# the same seed is the reference. HF PEFT then loads the resumed run's adapter and recomputes its metrics on the same
# tokens (peft_resume_check.py). Staged like gpu-run.sh (/root/cp, /root/jre, /root/gpu), carrying .gpu-extra: the DJL
# tokenizers jar and the embedded tiny model's tokenizer files in .gpu-extra/tiny (TinyModel.write; see BENCHMARKS).
# Usage: [GRAPHS=false] bench/train-throughput/gpu-resume.sh [steps=1200]; the log goes to $OUT/resume.log. The run
# must outlast the watcher below: with the step replayed as CUDA graphs (PEFTFLOW_TRAIN_NATIVE set) 400 steps took ~5 s
# and ended before the kill (2026-12-07), so the default is 1,200. GRAPHS=false runs every step eagerly
# (-Dpeftflow.train.cudaGraphs=false): a resumed run's first step of each batch shape is eager where the uninterrupted
# run replayed a graph, so this tells a restore that misses state from eager and replayed steps rounding differently.
set -uo pipefail
cd "$(dirname "$0")/../.."
STEPS=${1:-1200}
[ "${GRAPHS:-true}" = false ] && export JAVA_TOOL_OPTIONS="-Dpeftflow.train.cudaGraphs=false ${JAVA_TOOL_OPTIONS:-}"
source bench/train-throughput/gpu-common.sh
LOG=${OUT:-/tmp}/resume.log
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee -a "$LOG"
[ -f /root/tl/model.safetensors ] || python3 -P bench/train-throughput/make_tinyllama.py /root/tl .gpu-extra/tiny 2>&1 | grep -vi warn | tail -5 | tee -a "$LOG"
train() {  # train OUT [extra TrainCommand options...]
  local out=$1
  shift
  train_lora "$PWD/.gpu-extra" --train-size 20000 --validation-size 500 --steps "$STEPS" --lr "${LR:-1e-3}" \
    --eval-every 100 --checkpoint-every 100 --out "$out" "$@"
}
SECONDS=0
train /tmp/reference > "$RAW/reference.log" 2>&1
echo "reference run: $SECONDS s" | tee -a "$LOG"
grep -E "^(step|eval|lora|model|majority|base|tuned)" "$RAW/reference.log" | tee -a "$LOG"
train /tmp/run > "$RAW/killed.log" 2>&1 &
pid=$!
until grep -q "^step 250/" "$RAW/killed.log" 2>/dev/null || ! kill -0 $pid 2>/dev/null; do sleep 0.05; done
# $pid is the subshell running `train`: the JVM is its child and outlives a kill of the subshell alone (the 2026-12-05
# and 2026-12-07 runs: the "killed" JVM trained on to its last step beside the resumed one), so the child goes first
pkill -9 -P $pid 2>/dev/null
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
sleep 1
if pgrep -f "TrainCommand.* --out /tmp/run( |$)" > /dev/null || grep -q "^step $STEPS/" "$RAW/killed.log"; then
  echo "NOT KILLED: the run is still alive or reached its last step; the resume would check nothing" | tee -a "$LOG"
  exit 1
fi
echo "killed with -9 after: $(grep '^step' "$RAW/killed.log" | tail -1); checkpoint: $(ls /tmp/run/checkpoint | tr '\n' ' ')" | tee -a "$LOG"
train /tmp/run --resume /tmp/run/checkpoint > "$RAW/resumed.log" 2>&1
echo "the resumed run's first step: $(grep -m1 '^step' "$RAW/resumed.log")" | tee -a "$LOG"
grep -E "^(step|eval|lora|model|majority|base|tuned)" "$RAW/resumed.log" | tee -a "$LOG"
python3 - /tmp/reference/manifest.json /tmp/run/manifest.json <<'PY' | tee -a "$LOG"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for k in ("eval_loss", "token_accuracy", "exact_match", "exact_match_macro"):
    print(f"RESULT {k}: uninterrupted {a['metrics']['tuned'][k]:.6f}, killed and resumed {b['metrics']['tuned'][k]:.6f}")
print("RESULT last_loss: uninterrupted", a["result"]["last_loss"], "resumed", b["result"]["last_loss"],
      "; adapter sha256 equal:", a["adapter"]["sha256"] == b["adapter"]["sha256"])
PY
python3 - /tmp/reference/checkpoint/trainer_state.json /tmp/run/checkpoint/trainer_state.json <<'PY' | tee -a "$LOG"
import json, sys
a, b = (json.load(open(f))["losses"] for f in sys.argv[1:3])
differ = [i + 1 for i, (x, y) in enumerate(zip(a, b)) if x != y]
print(f"RESULT step losses: {len(a)} uninterrupted, {len(b)} resumed; first step that differs:",
      differ[0] if differ else "none", f"({len(differ)} differ; largest relative difference",
      f"{max((abs(a[i - 1] - b[i - 1]) / abs(a[i - 1]) for i in differ), default=0):.2e})")
PY
grep -h "StepGraphs" "$RAW/reference.log" "$RAW/resumed.log" | sed 's/.*StepGraphs - //' | tee -a "$LOG"
jvm "$PWD/.gpu-extra" io.peftflow.core.bench.EvalSetDump /root/tl /tmp/run/data/validation.jsonl /tmp/eval-set.jsonl 2>&1 | grep RESULT | tee -a "$LOG"
python3 -P bench/train-throughput/peft_resume_check.py /root/tl /tmp/run /tmp/eval-set.jsonl 2>&1 | grep -E "RESULT|peft-core|Error|error" | tee -a "$LOG"
tar -czf "${OUT:-/tmp}/raw-resume.tar.gz" -C "$RAW" . /tmp/run/manifest.json /tmp/reference/manifest.json \
  /tmp/run/checkpoint/trainer_state.json /tmp/reference/checkpoint/trainer_state.json 2>/dev/null
