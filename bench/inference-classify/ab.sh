#!/usr/bin/env bash
# Two inference-service builds alternated on the demo's stack, for a before/after on a shared machine: each round
# starts one build in place of the demo's inference-service (same port, same settings as ./peftflow starts it), warms
# it up, then measures classify at 16 clients through the gateway and directly; the order flips every round. Every
# run, the medians per build and the load average go to a log under results/ (ab-*.txt).
#
# Needs: the demo's services running (./peftflow demo), wrk, and each build's inference-service/target/quarkus-app
# copied to a folder of its own.
#   bench/inference-classify/ab.sh NAME_A=APP_A NAME_B=APP_B [ROUNDS=3] [DURATION=20s]
# Env: see lib.sh. The last build measured stays running (./peftflow down stops it).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
CONTENDERS=("$1" "$2")
ROUNDS=${3:-3}
DURATION=${4:-20s}
PIDFILE=$STACK/pids/inference-service.pid
PORT=${PEFTFLOW_INFERENCE_PORT:-8084}
LOG=$HERE/results/ab-$(date -u +%Y%m%dT%H%M%SZ).txt

start() { # app folder: the demo's inference-service stopped, this build started in its place and ready
  if [ -f "$PIDFILE" ] && kill "$(cat "$PIDFILE")" 2>/dev/null; then
    while kill -0 "$(cat "$PIDFILE")" 2>/dev/null; do sleep 1; done
  fi
  DJL_CACHE_DIR=$STACK/djl-cache PEFTFLOW_INFERENCE_CACHE_DIR=$STACK/inference-cache \
    nohup java -Xmx1g -XX:+ExitOnOutOfMemoryError -Dai.djl.offline=true -Dpeftflow.stack="$STACK" \
    -Dquarkus.profile=dev -Dquarkus.http.port="$PORT" \
    -Dpeftflow.inference.registry-url="http://127.0.0.1:${PEFTFLOW_REGISTRY_PORT:-8083}" \
    -jar "$1/quarkus-run.jar" >>"$STACK/logs/inference-service.log" 2>&1 &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 180); do
    curl -fs -o /dev/null --max-time 2 "$INFERENCE_URL/q/health/ready" && return 0
    sleep 1
  done
  echo "inference-service from $1 not ready after 180 s" >&2
  exit 1
}

{
  header "inference classify A/B rounds=$ROUNDS duration=$DURATION"
  for c in "${CONTENDERS[@]}"; do echo "# contender ${c%%=*}: ${c#*=}"; done
} | tee -a "$LOG"
for r in $(seq 1 "$ROUNDS"); do
  order=("${CONTENDERS[@]}")
  (( r % 2 == 0 )) && order=("${CONTENDERS[1]}" "${CONTENDERS[0]}")
  for c in "${order[@]}"; do
    start "${c#*=}"
    warm_up
    run "${c%%=*} round $r gateway" /v1 "$GATEWAY_URL" "$DURATION" "$LOG"
    run "${c%%=*} round $r direct" "" "$INFERENCE_URL" "$DURATION" "$LOG"
  done
done
medians "$LOG" | tee -a "$LOG"
echo "raw log: $LOG"
