#!/usr/bin/env bash
# Issue 23's GPU decode benchmark on the staged GPU machine (/root/jre, /root/gpu pieces; see BENCHMARKS'
# "Reproduce"): greedy decode tokens/s of peft-core (DecodeBench) against HF transformers generate with a static cache
# and torch.compile (hf_decode.py) on the random TinyLlama-1.1B-shaped checkpoint of make_tinyllama.py, with the same
# 8 PEFT LoRA adapters (r=16, q,k,v,o; written by hf_decode.py), prompt 64, 128 new tokens: batch 1 (adapter merged),
# batch 32 (one adapter unmerged) and batch 32 with 8 adapters in one batch. ROUNDS rounds (default 3), the order
# alternating (hf core, core hf, ...); a run is not started when it would end past LIMIT seconds (default 450) after
# the start, and the log says so. Then every round, the medians and the ratios (hf_decode.py summary).
# Usage (one call, carrying .bench-cp built by bench/train-throughput/run.sh after this commit):
#   bash bench/inference-decode/gpu-decode.sh
# Environment: ROUNDS, LIMIT, PROMPT, NEW, CORE_CASES (DecodeBench's -Dbench.cases), HF_CASES (hf_decode.py's; add
# b32-merged, b32-mixed8), ROUND_OFFSET (a second call on the same machine: ROUND_OFFSET=3 labels its rounds 4, 5..),
# CONTENDERS (default "hf core"; also core-opt: peft-core with -Dpeftflow.decode.graphOptimizer=true, and base:
# DecodeBench on the peft-core jars in BASELINE, a folder that bench/inference-decode/baseline-jars.sh writes for an
# earlier commit, ahead of the same dependencies: A/B of a change in one machine session; core-native: peft-core with
# the native CUDA decode engine, the library at NATIVE, default peft-core/target/native/libpeftflow_decode.so as
# peft-core/src/main/cuda/build.sh writes it: carry that folder).
# The log accumulates in /root/decode.log and goes to $OUT/decode.log with the summary ($OUT/summary.txt, over every
# round in the log); every run's whole output to $OUT/raw-decode.tar.gz.
set -uo pipefail
cd "$(dirname "$0")/../.."
source bench/train-throughput/gpu-common.sh
# the log accumulates over the calls of one machine session (a second call adds rounds), copied to $OUT at the end
LOG=/root/decode.log
RAW=/tmp/raw-decode
mkdir -p "$RAW"
LIMIT=${LIMIT:-450}
NATIVE=${NATIVE:-$PWD/peft-core/target/native/libpeftflow_decode.so}
export PROMPT=${PROMPT:-64} NEW=${NEW:-128}   # both sides' prompt length and new tokens
[ -d .bench-cp ] && CP=$PWD/.bench-cp   # carried: the staged /root/cp may predate DecodeBench
HF="python3 -P bench/inference-decode/hf_decode.py"
A=/root/decode-adapters
echo "decode benchmark $(date -u +%H:%M:%S) UTC, $(git log -1 --format=%h 2>/dev/null || echo '?'):" \
  "$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader)" | tee -a "$LOG"
if [ ! -f /root/tl/model.safetensors ]; then
  # make_tinyllama.py copies a tokenizer beside the weights: the embedded tiny model's (TinyModel's main writes it)
  jvm "" io.peftflow.core.tiny.TinyModel /tmp/tiny-tokenizer > "$RAW/tiny.log" 2>&1
  python3 -P bench/train-throughput/make_tinyllama.py /root/tl /tmp/tiny-tokenizer 2>&1 | grep RESULT | tee -a "$LOG"
fi
[ -d $A/adapter-7 ] || $HF adapters /root/tl $A 2>&1 | grep -E "RESULT|Error" | tee -a "$LOG"
declare -A took=([hf]=150 [core]=60 [core-opt]=60 [core-native]=60 [base]=90)   # a first guess of each run's seconds, then the last run's
core_decode() {  # core_decode CLASSPATH [-Dprop=value...]: DecodeBench's cases on /root/tl through the adapters
  local cp=$1
  shift
  /root/jre/bin/java -Xmx8g -Dai.djl.offline=true -Dbench.cases="${CORE_CASES:-b1-merged,b32,b32-mixed8}" \
    -Dbench.prompt="$PROMPT" -Dbench.new="$NEW" "$@" -cp "$cp" io.peftflow.core.bench.DecodeBench /root/tl $A
}
run() {  # run CONTENDER ROUND
  local label=$1-r$(( $2 + ${ROUND_OFFSET:-0} )) start=$SECONDS
  if (( SECONDS + ${took[$1]} > LIMIT )); then
    echo "[$label] not run: it would end past LIMIT=$LIMIT s (now $SECONDS s, its last run took ${took[$1]} s)" \
      | tee -a "$LOG"
    return
  fi
  case $1 in
    hf) $HF bench /root/tl $A > "$RAW/$label.log" 2>&1 ;;
    core) core_decode "$CP/*" > "$RAW/$label.log" 2>&1 ;;
    core-opt) core_decode "$CP/*" -Dpeftflow.decode.graphOptimizer=true > "$RAW/$label.log" 2>&1 ;;
    core-native) core_decode "$CP/*" -Dpeftflow.decode.native="$NATIVE" > "$RAW/$label.log" 2>&1 ;;
    base) core_decode "$BASELINE/*:$CP/*" > "$RAW/$label.log" 2>&1 ;;
  esac || tail -20 "$RAW/$label.log" | sed "s/^/[$label] /" | tee -a "$LOG"
  took[$1]=$((SECONDS - start))
  grep RESULT "$RAW/$label.log" | sed "s/^/[$label] /" | tee -a "$LOG"
  echo "[$label] took ${took[$1]} s" | tee -a "$LOG"
}
rounds ${CONTENDERS:-hf core}
$HF summary "$LOG" | tee "${OUT:-/tmp}/summary.txt"
cp "$LOG" "${OUT:-/tmp}/decode.log"
tar -czf "${OUT:-/tmp}/raw-decode.tar.gz" -C "$RAW" .
