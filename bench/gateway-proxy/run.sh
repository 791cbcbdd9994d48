#!/usr/bin/env bash
# The gateway's cost: GET /v1/datasets/{name} through the gateway vs GET /datasets/{name} sent to
# dataset-service directly, with wrk, 32 connections, side by side in one run, contenders alternating.
# Needs: the stack up (scripts/stack.sh up), wrk (apt-get install wrk), and the jars built:
#   ./mvnw -B -q -pl gateway,dataset-service -am package -DskipTests
# Usage: bench/gateway-proxy/run.sh [rounds=3] [seconds=20]   (ports: PEFTFLOW_BENCH_PORT, +1 for the service)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-20}
GW_PORT=${PEFTFLOW_BENCH_PORT:-8380}
DS_PORT=$((GW_PORT + 1))
WORK=$ROOT/target/bench-gateway-proxy
LOG=$ROOT/bench/gateway-proxy/$(date -u +%Y-%m-%d-%H%M).txt
SECRET=bench-secret-$RANDOM$RANDOM
ADMIN=bench-admin-$RANDOM$RANDOM
mkdir -p "$WORK"
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

start() { # name port args...
  local name=$1 port=$2; shift 2
  java -Xmx1g -Dquarkus.profile=dev "$@" >"$WORK/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 240); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/q/health/ready" && return 0
    sleep 0.5
  done
  echo "$name did not become ready; see $WORK/$name.log" >&2; exit 1
}

start dataset-service "$DS_PORT" -Dquarkus.http.port="$DS_PORT" -Dpeftflow.gateway-secret="$SECRET" -Dai.djl.offline=true \
  -jar "$ROOT/dataset-service/target/quarkus-app/quarkus-run.jar"
start gateway "$GW_PORT" -Dquarkus.http.port="$GW_PORT" -Dpeftflow.gateway.routes.datasets="http://127.0.0.1:$DS_PORT" \
  -Dpeftflow.gateway.upstream-secret="$SECRET" -Dpeftflow.gateway.admin-key="$ADMIN" \
  -jar "$ROOT/gateway/target/quarkus-app/quarkus-run.jar"

GW=http://127.0.0.1:$GW_PORT
KEY=$(curl -fsS -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"tenant": "bench", "name": "bench", "requestsPerMinute": 1000000000, "burst": 1000000000}' "$GW/admin/keys" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
python3 - "$WORK/bench.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(200):
        f.write(json.dumps({"instruction": "Categorise", "input": f"shop {i}", "output": ["a", "b", "c"][i % 3]}) + "\n")
PY
curl -fsS -o /dev/null -H "Authorization: Bearer $KEY" -H 'Content-Type: application/x-ndjson' \
  --data-binary "@$WORK/bench.jsonl" "$GW/v1/datasets/bench/versions" || true

cpu() { # pid: user+system CPU seconds so far
  awk '{print ($14 + $15) / 100}' "/proc/$1/stat"
}

run() { # label url header...: wrk, then the CPU seconds each JVM spent during the run
  local label=$1 url=$2; shift 2
  local args=() gw0 ds0
  for h in "$@"; do args+=(-H "$h"); done
  echo "### $label $url"
  gw0=$(cpu "${pids[1]}"); ds0=$(cpu "${pids[0]}")
  wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" --latency "${args[@]}" "$url"
  awk -v g="$(cpu "${pids[1]}")" -v g0="$gw0" -v d="$(cpu "${pids[0]}")" -v d0="$ds0" \
    'BEGIN { printf "cpu-seconds gateway %.2f dataset-service %.2f\n", g - g0, d - d0 }'
  echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

{
  echo "# gateway proxy bench $(date -u +%FT%TZ) $(git -C "$ROOT" rev-parse --short HEAD) on $(nproc) cores"
  echo "# warm-up (not counted)"
  run warmup-direct "http://127.0.0.1:$DS_PORT/datasets/bench" "X-Tenant: bench" "X-Peftflow-Gateway-Secret: $SECRET" >/dev/null
  run warmup-gateway "$GW/v1/datasets/bench" "Authorization: Bearer $KEY" >/dev/null
  for round in $(seq 1 "$ROUNDS"); do
    echo "## round $round"
    run direct "http://127.0.0.1:$DS_PORT/datasets/bench" "X-Tenant: bench" "X-Peftflow-Gateway-Secret: $SECRET"
    run gateway "$GW/v1/datasets/bench" "Authorization: Bearer $KEY"
  done
} | tee "$LOG"

python3 - "$LOG" <<'PY' | tee -a "$LOG"
import re, statistics, sys
text = open(sys.argv[1]).read()
rows = {"direct": [], "gateway": []}
cpu = {"direct": [], "gateway": []}
for block in text.split("### ")[1:]:
    label = block.split()[0]
    if label not in rows:
        continue
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", block).group(1))
    def ms(pct):
        v, unit = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", block).groups()
        return float(v) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    rows[label].append((rps, ms(50), ms(99)))
    requests = int(re.search(r"(\d+) requests in", block).group(1))
    gw, ds = map(float, re.search(r"cpu-seconds gateway ([\d.]+) dataset-service ([\d.]+)", block).groups())
    cpu[label].append((gw / requests * 1e6, ds / requests * 1e6))
for label, r in rows.items():
    print(f"{label:8s} rounds req/s {[round(x[0]) for x in r]}  p50 ms {[x[1] for x in r]}  p99 ms {[x[2] for x in r]}")
d = [statistics.median(x[i] for x in rows["direct"]) for i in range(3)]
g = [statistics.median(x[i] for x in rows["gateway"]) for i in range(3)]
for label, c in cpu.items():
    print(f"{label:8s} CPU µs per request: gateway {[round(x[0]) for x in c]}, dataset-service {[round(x[1]) for x in c]}")
print(f"median CPU µs per request through the gateway: gateway {statistics.median(x[0] for x in cpu['gateway']):.0f}, "
      f"dataset-service {statistics.median(x[1] for x in cpu['gateway']):.0f} (direct: dataset-service {statistics.median(x[1] for x in cpu['direct']):.0f})")
print(f"median direct {d[0]:.0f} req/s p50 {d[1]:.2f} ms p99 {d[2]:.2f} ms | gateway {g[0]:.0f} req/s p50 {g[1]:.2f} ms p99 {g[2]:.2f} ms"
      f" | ratio {g[0]/d[0]:.2f}x, p99 +{g[2]-d[2]:.2f} ms")
PY
