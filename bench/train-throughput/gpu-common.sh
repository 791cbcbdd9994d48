# Sourced by the gpu-*.sh scripts on the GPU machine, after the staging calls (docs/BENCHMARKS.md): unpacks libtorch
# 2.5.1 cu124 once, sets DJL's environment, and defines `peak` (a run with its device-memory peak), `core` (a
# peft-core TrainThroughputBench run), `jvm` (a Java main class), `train_lora` (a TrainCommand run) and `rounds`
# (contenders alternated over rounds). Lines go to $LOG; each run's whole output to $RAW/<label>.log.
LOG=${LOG:-${OUT:-/tmp}/train-throughput.log}   # a LOG outside $OUT keeps one log over several device calls
RAW=/tmp/raw
mkdir -p "$RAW"
if [ ! -f /root/libtorch/libtorch.so ]; then
  mkdir -p /root/libtorch
  cat $(ls /root/gpu/* | sort) | LD_LIBRARY_PATH=/root/jre/zbin /root/jre/zbin/zstd -d --long=30 \
    | tar -x -C /root/libtorch
  sync
fi
export PYTHONUNBUFFERED=1
export PYTORCH_LIBRARY_PATH=/root/libtorch PYTORCH_VERSION=2.5.1 PYTORCH_FLAVOR=cu124 DJL_CACHE_DIR=/root/djl-cache
CP=$([ -d /root/cp ] && echo /root/cp || echo .bench-cp)
TRAIN_NATIVE=${TRAIN_NATIVE:-$PWD/peft-core/target/native/libpeftflow_train.so}
peak() {  # peak LABEL CMD...: runs CMD while sampling device memory every 50 ms; logs its RESULT lines and the peak
  local label=$1 base s
  shift
  base=$(nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits | head -1)
  nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 50 > /tmp/mem.txt &
  s=$!
  "$@" > "$RAW/$label.log" 2>&1 || tail -20 "$RAW/$label.log" | tee -a "$LOG"
  kill $s
  grep RESULT "$RAW/$label.log" | sed "s/^/[$label] /" | tee -a "$LOG"
  echo "PEAK $label $(sort -n /tmp/mem.txt | tail -1) MiB used at peak, $base MiB before" | tee -a "$LOG"
}
core() {  # core MODEL STEPS WARMUP [-Dprop=value...]: MODEL is tinyllama or a checkpoint directory; CORE_CP: another
  # classpath (an earlier commit's peft-core.jar ahead of $CP)
  local model=$1 steps=$2 warmup=$3
  shift 3
  /root/jre/bin/java -Xmx4g -Dai.djl.offline=true "$@" -cp "${CORE_CP:-$CP/*}" io.peftflow.core.bench.TrainThroughputBench \
    "$model" "$steps" "$warmup"
}
jvm() {  # jvm EXTRA_JARS_DIR|"" [-Dprop=value...] CLASS [ARGS...]: on the staged JRE, classpath $CP plus EXTRA's jars
  local extra=$1
  shift
  /root/jre/bin/java -Xmx8g -Dai.djl.offline=true -cp "$CP/*${extra:+:$extra/*}" "$@"
}
train_lora() {  # train_lora EXTRA_JARS_DIR [TrainCommand options...]: the worker's TrainingRun (TrainCommand), LoRA on
  # the TinyLlama-shaped /root/tl at batch 16, seed $SEED (default 42); the options give the data, steps and the rest
  local extra=$1
  shift
  jvm "$extra" io.peftflow.core.run.TrainCommand --method lora --model /root/tl --batch 16 --seed "${SEED:-42}" "$@"
}
source bench/rounds.sh   # rounds CONTENDER...: the script's `run CONTENDER ROUND`, alternated over ROUNDS rounds
warm_up() {  # once per machine, discarded: the first JVM extracts DJL's natives into its cache, the first Python run
  # loads torch from a cold disk; neither belongs to a training step
  if [ ! -f /tmp/warm ]; then
    core tinyllama 2 1 > "$RAW/warm-up-peft-core.log" 2>&1
    python3 bench/train-throughput/peft_bench.py bf16-sdpa 2 1 > "$RAW/warm-up-hf-peft.log" 2>&1
    touch /tmp/warm
  fi
}
