#!/usr/bin/env bash
# Browse latency and throughput of dataset-service: wrk, 32 connections, on GET /datasets/{name} and
# GET /datasets/{name}/versions/{v} of a dataset with 1,000 versions, alternating the two for ROUNDS rounds.
#
#   bench/dataset-browse/run.sh [BASE_URL]        # default http://127.0.0.1:8580 (a dataset-service it starts)
#
# With no BASE_URL it starts dataset-service from dataset-service/target/quarkus-app on PORT (8580) against the
# local stack (scripts/stack.sh up, PEFTFLOW_*_PORT exported) and stops it afterwards. Pass the gateway's URL
# (e.g. http://127.0.0.1:8080/v1) to measure the same requests through it. Seeds tenant "bench", dataset
# "browse" up to 1,000 versions (small uploads) the first time. Raw wrk output: bench/dataset-browse/results/.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PORT=${PORT:-8580}
BASE=${1:-}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
VERSIONS=${VERSIONS:-1000}
TENANT=bench
NAME=browse
OUT=$ROOT/bench/dataset-browse/results
mkdir -p "$OUT"
LOG=$OUT/$(date -u +%Y%m%dT%H%M%SZ)-${LABEL:-run}.log
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

pid=""
if [ -z "$BASE" ]; then
  BASE=http://127.0.0.1:$PORT
  jar=$ROOT/dataset-service/target/quarkus-app/quarkus-run.jar
  [ -f "$jar" ] || { echo "build it first: ./mvnw -B -o -pl dataset-service -am package -DskipTests" >&2; exit 1; }
  java ${JAVA_OPTS:--Xms512m -Xmx512m} -Dquarkus.http.port="$PORT" -Dai.djl.offline=true -jar "$jar" \
    >"$OUT/service.log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
  for _ in $(seq 1 240); do
    curl -fs "$BASE/q/health/ready" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fs "$BASE/q/health/ready" >/dev/null || { echo "dataset-service did not get ready; see $OUT/service.log" >&2; exit 1; }
fi

# Seed: small uploads until the dataset has VERSIONS versions (4 in parallel).
have=$(curl -fs -H "X-Tenant: $TENANT" "$BASE/datasets/$NAME" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("versionCount", len(d.get("versions", []))))' 2>/dev/null || echo 0)
if [ "$have" -lt "$VERSIONS" ]; then
  echo "seeding $((VERSIONS - have)) versions of $TENANT/$NAME"
  body=$(mktemp)
  for i in $(seq 1 12); do printf '{"question":"what is item %d?","answer":"%s"}\n' "$i" "$([ $((i % 3)) = 0 ] && echo travel || echo food)"; done >"$body"
  seq 1 $((VERSIONS - have)) | xargs -P 4 -I{} curl -fs -o /dev/null -H "X-Tenant: $TENANT" \
    -H 'Content-Type: application/x-ndjson' --data-binary "@$body" "$BASE/datasets/$NAME/versions"
  rm -f "$body"
fi

dataset_url="$BASE/datasets/$NAME"
version_url="$BASE/datasets/$NAME/versions/$((VERSIONS / 2))"
for url in "$dataset_url" "$version_url"; do
  curl -fs -H "X-Tenant: $TENANT" -o /dev/null -w "%{http_code} %{size_download} bytes  $url\n" "$url" | tee -a "$LOG"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d10s -H "X-Tenant: $TENANT" "$url" >/dev/null   # warm-up
done

run() { # name url
  local result
  result=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "X-Tenant: $TENANT" "$2")
  { echo "=== $1 round $r: $2"; echo "$result"; } >>"$LOG"
  local rps p99 non2xx
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$result")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$result")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$result")
  echo "$1 round $r: ${rps} req/s, p99 ${p99}${non2xx:+, $non2xx non-2xx}"
}
for r in $(seq 1 "$ROUNDS"); do
  run "GET /datasets/{name}" "$dataset_url"
  run "GET /datasets/{name}/versions/{v}" "$version_url"
done | tee -a "$LOG"
echo "raw log: $LOG"
