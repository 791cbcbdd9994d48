#!/usr/bin/env bash
# Where a fresh replica's first classify passes lose time, in-process (inference-service's ClassifyWarmupBench: the
# service's LoadedBase on the embedded tiny model, a LoRA version shaped like the demo's, no HTTP): per batch size the
# first three passes against the warm median, rounds over all sizes until warm, a second base and a second version in
# the same JVM, and sizes and a prompt length new to a warm JVM. Without the service's warm-up, then with it (WARM_UP_MS,
# 10000), each in a fresh JVM; the output goes to a log under results/ (warm-up-passes-*.txt).
#   bench/inference-classify/warm-up-passes.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/bench/inference-classify
cd "$ROOT"
./mvnw -B -q -o -pl inference-service test-compile
CP_FILE=$(mktemp)
./mvnw -B -q -o -pl inference-service dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test
mkdir -p "$HERE/results"
LOG=$HERE/results/warm-up-passes-$(date -u +%Y%m%dT%H%M%SZ).txt
for warm in 0 "${WARM_UP_MS:-10000}"; do
  {
    echo "# classify warm-up passes $(date -u +%FT%TZ) warm_up_ms=$warm"
    echo "# $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1); git $(git rev-parse --short HEAD)"
  } | tee -a "$LOG"
  java -Xmx1g -Dai.djl.offline=true -Dbench.warmUpMs="$warm" \
    -cp "inference-service/target/test-classes:inference-service/target/classes:$(cat "$CP_FILE")" \
    io.peftflow.inference.runtime.ClassifyWarmupBench 2>&1 | grep --line-buffered -E '^(LOAD|ROUND|PASS|NEW) ' \
    | tee -a "$LOG"
done
rm -f "$CP_FILE"
echo "raw log: $LOG"
