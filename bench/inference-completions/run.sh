#!/usr/bin/env bash
# Completions throughput of inference-service's decoding on the CPU: 16 concurrent clients, 4 completions each of 32
# new tokens (fixed lengths), two LoRA versions mixed, half greedy and half seeded sampling; decoded together
# (continuous batching, completions.max-batch 16) against one at a time (max-batch 1), alternating for ROUNDS rounds
# (inference-service's CompletionsBench, in-process: the service's LoadedBase/Decoder/Completer, no HTTP). Every round
# and the medians go to a log under results/.
#   bench/inference-completions/run.sh [ROUNDS=3]
# Env: CLIENTS (16), REQUESTS per client (4), NEW tokens (32).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/bench/inference-completions
ROUNDS=${1:-3}
cd "$ROOT"
./mvnw -B -q -o -pl inference-service test-compile
CP_FILE=$(mktemp)
./mvnw -B -q -o -pl inference-service dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test
mkdir -p "$HERE/results"
# .txt: *.log is git-ignored, and the raw log is kept with the results.
LOG=$HERE/results/$(date -u +%Y%m%dT%H%M%SZ).txt
{
  echo "# inference completions $(date -u +%FT%TZ) rounds=$ROUNDS clients=${CLIENTS:-16} requests=${REQUESTS:-4} new=${NEW:-32}"
  echo "# $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1); git $(git rev-parse --short HEAD)"
} | tee -a "$LOG"
java -Xmx1g -Dai.djl.offline=true -Dbench.rounds="$ROUNDS" -Dbench.clients="${CLIENTS:-16}" \
  -Dbench.requests="${REQUESTS:-4}" -Dbench.new="${NEW:-32}" \
  -cp "inference-service/target/test-classes:inference-service/target/classes:$(cat "$CP_FILE")" \
  io.peftflow.inference.runtime.CompletionsBench 2>&1 | grep --line-buffered '^RESULT' | while read -r line; do
    echo "$line load=$(cut -d' ' -f1 /proc/loadavg)"; done | tee -a "$LOG"
rm -f "$CP_FILE"
python3 - "$LOG" <<'PY' | tee -a "$LOG"
import re, statistics, sys
rows = re.findall(r"^RESULT round=(\d+) mode=(\w+) .*? rps=([\d.]+) tokens_per_s=([\d.]+)", open(sys.argv[1]).read(), re.M)
med = {}
for mode in ("batched", "alone"):
    mine = [r for r in rows if r[1] == mode]
    med[mode] = (statistics.median(float(r[2]) for r in mine), statistics.median(float(r[3]) for r in mine))
    print("MEDIAN %s over %d rounds: rps=%.2f tokens_per_s=%.1f" % (mode, len(mine), *med[mode]))
print("RATIO batched/alone tokens_per_s=%.2fx" % (med["batched"][1] / med["alone"][1]))
PY
