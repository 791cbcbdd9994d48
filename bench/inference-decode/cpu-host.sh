#!/usr/bin/env bash
# CPU proxy for the host's work per decode step (issue 23's GPU decode is bound by it): DecodeBench on the `narrow`
# model (TinyLlama's 22 layers at hidden 64, random; compute is small) on the CPU with one intra-op thread, reporting
# each case's decode step in wall and thread-CPU milliseconds. Contenders alternated over ROUNDS rounds (default 3):
# base (peft-core's main classes from BASELINE's peft-core.jar, see baseline-jars.sh), core, and core-opt (core with
# -Dpeftflow.decode.graphOptimizer=true). Needs `./mvnw -pl peft-core -am test-compile` first.
# Usage: BASELINE=/tmp/base bash bench/inference-decode/cpu-host.sh [LOG]
set -uo pipefail
cd "$(dirname "$0")/../.."
LOG=${1:-/tmp/decode-cpu-host.log}
CASES=${CASES:-b1-merged,b32,b32-mixed8,b32-rows1}
./mvnw -B -q -o -pl peft-core dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/test.classpath > /dev/null
DEPS=$(cat peft-core/target/test.classpath)
CORE=peft-core/target/classes:peft-core/target/test-classes:$DEPS
echo "cpu-host $(date -u +%FT%H:%M:%SZ) $(git log -1 --format=%h), base: ${BASELINE:-none}, cases $CASES" | tee -a "$LOG"
run() {  # run CONTENDER ROUND
  local cp=$CORE opts=()
  case $1 in
    base) cp=$BASELINE/peft-core.jar:$CORE ;;
    core-opt) opts=(-Dpeftflow.decode.graphOptimizer=true) ;;
  esac
  nice java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
    -Dbench.cpu=true -Dbench.new="${NEW:-64}" -Dbench.cases="$CASES" "${opts[@]}" -cp "$cp" \
    io.peftflow.core.bench.DecodeBench narrow 2>&1 | grep "RESULT decode" | sed "s/^/[$1-r$2] /" | tee -a "$LOG"
}
source bench/rounds.sh
rounds ${CONTENDERS:-base core core-opt}
