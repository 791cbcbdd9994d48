#!/usr/bin/env bash
# Browsing the registry with 10,000 versions: wrk, 32 connections, directly against registry-service and through
# the gateway, alternating for ROUNDS rounds; every round and the medians go to a log under results/.
#
# Needs: the local stack up (scripts/stack.sh up, same PEFTFLOW_*_PORT), wrk (apt-get install wrk) and the built
# jars: ./mvnw -B -pl registry-service,gateway -am package -DskipTests
#   bench/registry-browse/run.sh [ROUNDS=3] [DURATION=20s]
# Env: REGISTRY_PORT (8283), GATEWAY_PORT (8280). The gateway gets a fresh admin key and shared secret; the bench
# creates an API key for tenant "bench" (rate limit far above what is measured) and sends it as a bearer token;
# direct requests carry the shared secret and X-Tenant, as the gateway's forwarded requests do.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/bench/registry-browse
ROUNDS=${1:-3}
DURATION=${2:-20s}
REGISTRY_PORT=${REGISTRY_PORT:-8283}
GATEWAY_PORT=${GATEWAY_PORT:-8280}
PG_PORT=${PEFTFLOW_PG_PORT:-15432}
LOG_DIR=$HERE/results
mkdir -p "$LOG_DIR"
# .txt: *.log is git-ignored, and the raw log is kept with the results.
LOG=$LOG_DIR/$(date -u +%Y%m%dT%H%M%SZ).txt
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_http() { # url
  for _ in $(seq 1 120); do curl -fs -o /dev/null "$1" && return 0; sleep 1; done
  echo "not answering: $1" >&2; exit 1
}

export PEFTFLOW_GATEWAY_SECRET=bench-secret-$RANDOM$RANDOM
export PEFTFLOW_GATEWAY_ADMIN_KEY=bench-admin-$RANDOM$RANDOM
SERVICE_LOGS=$(mktemp -d)
# Same JVM settings as ./peftflow's services.
java -Xmx1g -Dquarkus.profile=dev -Dquarkus.datasource.jdbc.acquisition-timeout=60S -Dquarkus.http.port="$REGISTRY_PORT" -jar "$ROOT/registry-service/target/quarkus-app/quarkus-run.jar" \
  >"$SERVICE_LOGS/registry-service.log" 2>&1 &
PIDS+=($!)
java -Xmx1g -Dquarkus.profile=dev -Dquarkus.datasource.jdbc.acquisition-timeout=60S -Dquarkus.http.port="$GATEWAY_PORT" \
  -Dpeftflow.gateway.routes.adapters="http://127.0.0.1:$REGISTRY_PORT" \
  -jar "$ROOT/gateway/target/quarkus-app/quarkus-run.jar" >"$SERVICE_LOGS/gateway.log" 2>&1 &
PIDS+=($!)
echo "service logs in $SERVICE_LOGS" 
wait_http "http://127.0.0.1:$REGISTRY_PORT/q/health/ready"
wait_http "http://127.0.0.1:$GATEWAY_PORT/q/health/live"
API_KEY=$(curl -fsS -H "Authorization: Bearer $PEFTFLOW_GATEWAY_ADMIN_KEY" -H 'Content-Type: application/json' \
  -d '{"tenant": "bench", "name": "browse bench", "requestsPerMinute": 100000000, "burst": 1000000}' \
  "http://127.0.0.1:$GATEWAY_PORT/admin/keys" | python3 -c 'import json, sys; print(json.load(sys.stdin)["secret"])')
export API_KEY

PGPASSWORD=registry-local psql -q -h 127.0.0.1 -p "$PG_PORT" -U peftflow_registry -d registry -v ON_ERROR_STOP=1 \
  -f "$HERE/seed.sql" | tee -a "$LOG"

cpu_ms() { # pid: CPU time (user + system) the process has used, in ms
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) * 1000 / hz}' "/proc/$1/stat"
}

# Also records the CPU each JVM spent per request: on a shared machine the throughput depends on what else runs,
# CPU per request much less (2 cores / CPU per request is the ceiling the services allow).
run() { # label url-prefix base-url
  local out r0 g0 r1 g1 n
  r0=$(cpu_ms "${PIDS[0]}"); g0=$(cpu_ms "${PIDS[1]}")
  out=$(PREFIX=$2 wrk -t2 -c32 -d"$DURATION" --latency -s "$HERE/browse.lua" "$3")
  r1=$(cpu_ms "${PIDS[0]}"); g1=$(cpu_ms "${PIDS[1]}")
  n=$(grep -o 'requests=[0-9]*' <<<"$out" | head -1 | cut -d= -f2)
  echo "== $1 (load average $(cut -d' ' -f1-3 /proc/loadavg))" >>"$LOG"
  echo "$out" >>"$LOG"
  echo "$1 $(grep '^RESULT' <<<"$out") registry_cpu_ms_per_req=$(awk -v a="$r0" -v b="$r1" -v n="$n" 'BEGIN{printf "%.2f", n ? (b-a)/n : 0}') gateway_cpu_ms_per_req=$(awk -v a="$g0" -v b="$g1" -v n="$n" 'BEGIN{printf "%.2f", n ? (b-a)/n : 0}') load=$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$LOG"
}

{
  echo "# registry browse $(date -u +%FT%TZ) rounds=$ROUNDS duration=$DURATION connections=32 threads=2"
  echo "# $(nproc) cores; $(java -version 2>&1 | head -1); git $(git -C "$ROOT" rev-parse --short HEAD)"
} | tee -a "$LOG"
# Warm-up (JIT, connection pools), not recorded as a round: 30 s each, as round 1 after a 10 s warm-up still ran
# well below the later rounds (results/20261202T090427Z.txt: 1,027 vs 2,786 req/s direct).
PREFIX= wrk -t2 -c32 -d"${WARMUP:-30s}" -s "$HERE/browse.lua" "http://127.0.0.1:$REGISTRY_PORT" >/dev/null
PREFIX=/v1 wrk -t2 -c32 -d"${WARMUP:-30s}" -s "$HERE/browse.lua" "http://127.0.0.1:$GATEWAY_PORT" >/dev/null
for r in $(seq 1 "$ROUNDS"); do
  if (( r % 2 == 1 )); then
    run "round $r direct " "" "http://127.0.0.1:$REGISTRY_PORT"
    run "round $r gateway" "/v1" "http://127.0.0.1:$GATEWAY_PORT"
  else
    run "round $r gateway" "/v1" "http://127.0.0.1:$GATEWAY_PORT"
    run "round $r direct " "" "http://127.0.0.1:$REGISTRY_PORT"
  fi
done
python3 - "$LOG" <<'PY' | tee -a "$LOG"
import re, statistics, sys
rows = {"direct": [], "gateway": []}
for line in open(sys.argv[1]):
    m = re.match(r"round \d+ (direct|gateway)\s+RESULT .*rps=([\d.]+) p50_ms=([\d.]+) p90_ms=([\d.]+) p99_ms=([\d.]+) errors=(\d+) non2xx=(\d+) registry_cpu_ms_per_req=([\d.]+) gateway_cpu_ms_per_req=([\d.]+)", line)
    if m:
        rows[m.group(1)].append(tuple(float(x) for x in m.groups()[1:]))
med = {k: [statistics.median(c) for c in zip(*v)] for k, v in rows.items() if v}
for k, (rps, p50, p90, p99, err, non2xx, rcpu, gcpu) in med.items():
    print(f"median {k:7s} rps={rps:.0f} p50_ms={p50:.2f} p90_ms={p90:.2f} p99_ms={p99:.2f} errors={err:.0f} non2xx={non2xx:.0f}"
          f" cpu_ms_per_req registry={rcpu:.2f} gateway={gcpu:.2f} (ceiling on 2 cores {2000 / (rcpu + gcpu):.0f} req/s)")
if len(med) == 2:
    print(f"gateway/direct: rps {med['gateway'][0] / med['direct'][0]:.2f}x, p99 {med['gateway'][3] / med['direct'][3]:.2f}x")
PY
echo "raw log: $LOG"
