#!/usr/bin/env bash
# classify latency of the demo's champion at 16 concurrent clients: through the gateway (the goal: p99 <= 50 ms per
# single input) and directly against inference-service (the gateway's share), alternating for ROUNDS rounds; every
# round, the medians and the load average go to a log under results/.
#
# Needs: the demo's services running (./peftflow demo, which leaves them up and writes .stack/demo-key) and wrk
# (apt-get install wrk).
#   bench/inference-classify/run.sh [ROUNDS=3] [DURATION=20s]
# Env: GATEWAY_URL (http://127.0.0.1:8080), INFERENCE_URL (http://127.0.0.1:8084), GATEWAY_ADMIN_URL
# (http://127.0.0.1:8090), MODEL (transactions-lora). The demo's stack secrets (.stack/gateway-secret, admin-key) let
# the direct rounds past the services' gateway check and make the benchmark's own key for tenant demo: a new key's
# default limit (6,000 requests a minute) would answer 429 to 16 closed-loop clients, which measures the limiter.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/bench/inference-classify
ROUNDS=${1:-3}
DURATION=${2:-20s}
GATEWAY_URL=${GATEWAY_URL:-http://127.0.0.1:8080}
INFERENCE_URL=${INFERENCE_URL:-http://127.0.0.1:8084}
STACK=${PEFTFLOW_STACK_DIR:-$ROOT/.stack}
export PEFTFLOW_GATEWAY_SECRET=${PEFTFLOW_GATEWAY_SECRET:-$(cat "$STACK/gateway-secret")}
if [ -z "${API_KEY:-}" ]; then
  API_KEY=$(curl -fsS -H "Authorization: Bearer $(cat "$STACK/admin-key")" -H 'Content-Type: application/json' \
    -d '{"tenant": "demo", "name": "bench-classify", "requestsPerMinute": 6000000, "burst": 100000}' \
    "${GATEWAY_ADMIN_URL:-http://127.0.0.1:8090}/admin/keys" | python3 -c 'import json, sys; print(json.load(sys.stdin)["secret"])')
fi
export API_KEY
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }
mkdir -p "$HERE/results"
# .txt: *.log is git-ignored, and the raw log is kept with the results.
LOG=$HERE/results/$(date -u +%Y%m%dT%H%M%SZ).txt

run() { # label prefix url
  local out
  out=$(PREFIX=$2 wrk -t2 -c16 -d"$DURATION" --latency -s "$HERE/classify.lua" "$3")
  { echo "== $1 (load average $(cut -d' ' -f1-3 /proc/loadavg))"; echo "$out"; } >>"$LOG"
  echo "$1 $(grep '^RESULT' <<<"$out") load=$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$LOG"
}

{
  echo "# inference classify $(date -u +%FT%TZ) rounds=$ROUNDS duration=$DURATION connections=16 threads=2"
  echo "# $(nproc) cores; $(java -version 2>&1 | head -1); git $(git -C "$ROOT" rev-parse --short HEAD)"
} | tee -a "$LOG"
# Warm-up (JIT, the adapter's first load), not a round.
PREFIX=/v1 wrk -t2 -c16 -d10s -s "$HERE/classify.lua" "$GATEWAY_URL" >/dev/null
for r in $(seq 1 "$ROUNDS"); do
  if (( r % 2 == 1 )); then
    run "round $r gateway" /v1 "$GATEWAY_URL"; run "round $r direct" "" "$INFERENCE_URL"
  else
    run "round $r direct" "" "$INFERENCE_URL"; run "round $r gateway" /v1 "$GATEWAY_URL"
  fi
done
python3 - "$LOG" <<'PY' | tee -a "$LOG"
import re, statistics, sys
rows = re.findall(r"^round \d+ (\w+) RESULT .*?non2xx=(\d+) rps=([\d.]+) p50_ms=([\d.]+) p99_ms=([\d.]+)", open(sys.argv[1]).read(), re.M)
for who in ("gateway", "direct"):
    mine = [r for r in rows if r[0] == who]
    med = lambda k: statistics.median(float(r[k]) for r in mine)
    print("MEDIAN %s over %d rounds: p50_ms=%.2f p99_ms=%.2f rps=%.1f non2xx=%d" % (who, len(mine), med(3), med(4), med(2),
          sum(int(r[1]) for r in mine)))
PY
echo "raw log: $LOG"
