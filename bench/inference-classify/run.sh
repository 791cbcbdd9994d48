#!/usr/bin/env bash
# classify latency of the demo's champion at 16 concurrent clients: through the gateway (the goal: p99 <= 50 ms per
# single input) and directly against inference-service (the gateway's share), alternating for ROUNDS rounds; every
# round, the medians and the load average go to a log under results/. Rounds start after five minutes of the same load
# and once the JIT is quiet (lib.sh's warm_up: its windows are logged too, the first minutes after a start among them).
#
# Needs: the demo's services running (./peftflow demo, which leaves them up and writes .stack/demo-key) and wrk
# (apt-get install wrk).
#   bench/inference-classify/run.sh [ROUNDS=3] [DURATION=20s]
# Env: see lib.sh.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ROUNDS=${1:-3}
DURATION=${2:-20s}
# .txt: *.log is git-ignored, and the raw log is kept with the results.
LOG=$HERE/results/$(date -u +%Y%m%dT%H%M%SZ).txt

header "inference classify rounds=$ROUNDS duration=$DURATION" | tee -a "$LOG"
warm_up "$LOG"
for r in $(seq 1 "$ROUNDS"); do
  if (( r % 2 == 1 )); then
    run "round $r gateway" /v1 "$GATEWAY_URL" "$DURATION" "$LOG"; run "round $r direct" "" "$INFERENCE_URL" "$DURATION" "$LOG"
  else
    run "round $r direct" "" "$INFERENCE_URL" "$DURATION" "$LOG"; run "round $r gateway" /v1 "$GATEWAY_URL" "$DURATION" "$LOG"
  fi
done
medians "$LOG" | tee -a "$LOG"
echo "raw log: $LOG"
