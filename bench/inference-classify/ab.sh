#!/usr/bin/env bash
# Two inference-service builds (or one build with two settings) alternated on the demo's stack, for a before/after on
# a shared machine: each round starts one contender in place of the demo's inference-service (same port, same settings
# as ./peftflow starts it), records how long it took to report ready, warms it up (lib.sh's warm_up: five minutes of
# load at least, WARM_UP_MIN_WINDOWS shortens it for a quick comparison; not with COLD=1: then the round starts at
# once, what a fresh replica's first clients meet), then measures classify at 16 clients through the gateway and
# directly; the order flips every round. Every run, the medians per contender and the load average go to a log
# under results/ (ab-*.txt; first-round-*.txt with COLD=1).
#
# Needs: the demo's services running (./peftflow demo), wrk, and each build's inference-service/target/quarkus-app
# copied to a folder of its own. A contender is NAME="APP [JVM options]", e.g. off="$APP -Dpeftflow.inference.warm-up=0s".
#   bench/inference-classify/ab.sh NAME_A="APP_A [OPTS]" NAME_B="APP_B [OPTS]" [ROUNDS=3] [DURATION=20s]
# Env: COLD (0), and see lib.sh. The last contender measured stays running (./peftflow down stops it).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
CONTENDERS=("$1" "$2")
ROUNDS=${3:-3}
DURATION=${4:-20s}
COLD=${COLD:-0}
LOG=$HERE/results/$([ "$COLD" = 1 ] && echo first-round || echo ab)-$(date -u +%Y%m%dT%H%M%SZ).txt

{
  header "inference classify A/B rounds=$ROUNDS duration=$DURATION cold=$COLD"
  for c in "${CONTENDERS[@]}"; do echo "# contender ${c%%=*}: ${c#*=}"; done
} | tee -a "$LOG"
for r in $(seq 1 "$ROUNDS"); do
  order=("${CONTENDERS[@]}")
  (( r % 2 == 0 )) && order=("${CONTENDERS[1]}" "${CONTENDERS[0]}")
  for c in "${order[@]}"; do
    started=$(date +%s%N)
    # shellcheck disable=SC2086 # the folder and its options, split on spaces
    start_inference ${c#*=}
    echo "${c%%=*} round $r ready_ms=$(( ($(date +%s%N) - started) / 1000000 )) load=$(cut -d' ' -f1 /proc/loadavg)" \
      | tee -a "$LOG"
    [ "$COLD" = 1 ] || warm_up "$LOG"
    run "${c%%=*} round $r gateway" /v1 "$GATEWAY_URL" "$DURATION" "$LOG"
    run "${c%%=*} round $r direct" "" "$INFERENCE_URL" "$DURATION" "$LOG"
  done
done
medians "$LOG" | tee -a "$LOG"
echo "raw log: $LOG"
