#!/usr/bin/env bash
# Browse latency and throughput of dataset-service: wrk, 32 connections, GET /datasets/{name} and
# GET /datasets/{name}/versions/{v} of a dataset with 1,000 versions; contenders and endpoints alternate for
# ROUNDS rounds.
#
#   bench/dataset-browse/run.sh                          # starts dataset-service (target/quarkus-app) on :8580
#   bench/dataset-browse/run.sh new=http://127.0.0.1:8580 old=http://127.0.0.1:8581 gateway=http://127.0.0.1:8080/v1
#
# Each argument is LABEL=BASE_URL; all of them are measured in the same run, round by round. With none, it
# starts dataset-service from dataset-service/target/quarkus-app on PORT (8580) against the local stack
# (scripts/stack.sh up, PEFTFLOW_*_PORT exported) and stops it afterwards. Requests carry the gateway secret
# (GATEWAY_SECRET, the local default) so a service answers directly; EXTRA_HEADER adds one more header (e.g.
# the gateway's API key). Seeds tenant "bench", dataset "browse" up to 1,000 versions through the first
# contender the first time. Raw wrk output: bench/dataset-browse/results/.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PORT=${PORT:-8580}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
VERSIONS=${VERSIONS:-1000}
SECRET=${GATEWAY_SECRET:-peftflow-local-gateway-secret}
TENANT=bench
NAME=browse
OUT=$ROOT/bench/dataset-browse/results
mkdir -p "$OUT"
LOG=$OUT/$(date -u +%Y%m%dT%H%M%SZ).txt
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
headers=(-H "X-Tenant: $TENANT" -H "X-Peftflow-Gateway-Secret: $SECRET")
[ -n "${EXTRA_HEADER:-}" ] && headers+=(-H "$EXTRA_HEADER")

contenders=("$@")
if [ ${#contenders[@]} -eq 0 ]; then
  jar=$ROOT/dataset-service/target/quarkus-app/quarkus-run.jar
  [ -f "$jar" ] || { echo "build it first: ./mvnw -B -o -pl dataset-service -am package -DskipTests" >&2; exit 1; }
  java ${JAVA_OPTS:--Xms512m -Xmx512m} -Dquarkus.profile=dev -Dquarkus.http.port="$PORT" -Dai.djl.offline=true -jar "$jar" >"$OUT/service.out" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$PORT/q/health/ready" >/dev/null 2>&1 && break; sleep 1; done
  contenders=("dataset-service=http://127.0.0.1:$PORT")
fi
first=${contenders[0]#*=}

# Seed: small uploads until the dataset has VERSIONS versions (4 in parallel).
have=$(curl -fs "${headers[@]}" "$first/datasets/$NAME" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("versionCount", len(d.get("versions", []))))' 2>/dev/null || echo 0)
if [ "$have" -lt "$VERSIONS" ]; then
  echo "seeding $((VERSIONS - have)) versions of $TENANT/$NAME"
  body=$(mktemp)
  for i in $(seq 1 12); do printf '{"question":"what is item %d?","answer":"%s"}\n' "$i" "$([ $((i % 3)) = 0 ] && echo travel || echo food)"; done >"$body"
  seq 1 $((VERSIONS - have)) | xargs -P 4 -I{} curl -fs -o /dev/null "${headers[@]}" \
    -H 'Content-Type: application/x-ndjson' --data-binary "@$body" "$first/datasets/$NAME/versions"
  rm -f "$body"
fi

paths=("/datasets/$NAME" "/datasets/$NAME/versions/$((VERSIONS / 2))")
for c in "${contenders[@]}"; do
  for p in "${paths[@]}"; do
    curl -fs "${headers[@]}" -o /dev/null -w "${c%%=*}: %{http_code} %{size_download} bytes  $p\n" "${c#*=}$p" | tee -a "$LOG"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP:-30s}" "${headers[@]}" "${c#*=}$p" >/dev/null   # warm-up: JIT (C2) and pools
  done
done

# CPU seconds the serving JVM spends per request (from /proc), which contention inflates less than latency.
hz=$(getconf CLK_TCK)
pid_of() { ss -ltnpH "sport = :$(sed -E 's#^[a-z]+://[^:/]+:([0-9]+).*#\1#' <<<"$1")" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }
ticks() { [ -n "$1" ] && awk '{print $14 + $15}' "/proc/$1/stat" || echo 0; }

for r in $(seq 1 "$ROUNDS"); do
  for p in "${paths[@]}"; do
    for c in "${contenders[@]}"; do
      pid=$(pid_of "${c#*=}" || true)
      before=$(ticks "$pid")
      result=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${headers[@]}" "${c#*=}$p")
      after=$(ticks "$pid")
      { echo "=== round $r ${c%%=*} GET $p"; echo "$result"; echo "cpu ticks $before -> $after (hz $hz, pid $pid)"; } >>"$LOG"
      rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$result")
      p99=$(awk '$1 == "99%" {print $2}' <<<"$result")
      n=$(awk '/requests in/ {print $1}' <<<"$result")
      cpu=$(awk -v t=$((after - before)) -v n="$n" -v hz="$hz" 'BEGIN {if (n > 0 && t > 0) printf "%.2f", 1000 * t / hz / n; else print "?"}')
      bad=$(awk '/Non-2xx/ {print $5}' <<<"$result")
      echo "round $r  ${c%%=*}  GET $p  ${rps} req/s  p99 ${p99}  cpu ${cpu} ms/request${bad:+  ($bad non-2xx)}"
    done
  done
done | tee -a "$LOG"
echo "raw log: $LOG"
