# Sourced by run.sh and ab.sh: the demo stack's endpoints, a benchmark key, one wrk run, the medians of a log.
# Env: GATEWAY_URL (http://127.0.0.1:$PEFTFLOW_GATEWAY_PORT, 8080), INFERENCE_URL (:$PEFTFLOW_INFERENCE_PORT, 8084),
# GATEWAY_ADMIN_URL (:$PEFTFLOW_GATEWAY_ADMIN_PORT, 8090), MODEL (transactions-lora). The demo's stack secrets
# (.stack/gateway-secret, admin-key) let the direct rounds past the services' gateway check and make the benchmark's
# own key for tenant demo: a new key's default limit (6,000 requests a minute) would answer 429 to 16 closed-loop
# clients, which measures the limiter.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$ROOT/bench/inference-classify
GATEWAY_URL=${GATEWAY_URL:-http://127.0.0.1:${PEFTFLOW_GATEWAY_PORT:-8080}}
INFERENCE_URL=${INFERENCE_URL:-http://127.0.0.1:${PEFTFLOW_INFERENCE_PORT:-8084}}
GATEWAY_ADMIN_URL=${GATEWAY_ADMIN_URL:-http://127.0.0.1:${PEFTFLOW_GATEWAY_ADMIN_PORT:-8090}}
STACK=${PEFTFLOW_STACK_DIR:-$ROOT/.stack}
export PEFTFLOW_GATEWAY_SECRET=${PEFTFLOW_GATEWAY_SECRET:-$(cat "$STACK/gateway-secret")}
if [ -z "${API_KEY:-}" ]; then
  API_KEY=$(curl -fsS -H "Authorization: Bearer $(cat "$STACK/admin-key")" -H 'Content-Type: application/json' \
    -d '{"tenant": "demo", "name": "bench-classify", "requestsPerMinute": 6000000, "burst": 100000}' \
    "$GATEWAY_ADMIN_URL/admin/keys" | python3 -c 'import json, sys; print(json.load(sys.stdin)["secret"])')
fi
export API_KEY
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }
mkdir -p "$HERE/results"

header() { # what
  echo "# $1 $(date -u +%FT%TZ) connections=16 threads=2"
  echo "# $(nproc) cores; $(java -version 2>&1 | head -1); git $(git -C "$ROOT" rev-parse --short HEAD)"
}

# app folder, then extra JVM options: the demo's inference-service stopped, this build started in its place (same port,
# same settings as ./peftflow starts it); returns once it reports ready.
start_inference() {
  local pidfile=$STACK/pids/inference-service.pid app=$1
  shift
  if [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null; then
    while kill -0 "$(cat "$pidfile")" 2>/dev/null; do sleep 1; done
  fi
  DJL_CACHE_DIR=$STACK/djl-cache PEFTFLOW_INFERENCE_CACHE_DIR=$STACK/inference-cache \
    nohup java -Xmx1g -XX:+ExitOnOutOfMemoryError -Dai.djl.offline=true -Dpeftflow.stack="$STACK" \
    -Dquarkus.profile=dev -Dquarkus.http.port="${PEFTFLOW_INFERENCE_PORT:-8084}" \
    -Dpeftflow.inference.registry-url="http://127.0.0.1:${PEFTFLOW_REGISTRY_PORT:-8083}" "$@" \
    -jar "$app/quarkus-run.jar" >>"$STACK/logs/inference-service.log" 2>&1 &
  echo $! >"$pidfile"
  for _ in $(seq 1 180); do
    curl -fs -o /dev/null --max-time 2 "$INFERENCE_URL/q/health/ready" && return 0
    sleep 0.2
  done
  echo "inference-service from $app not ready after 180 s" >&2
  exit 1
}

# log: the JIT and the adapter's first load, not rounds. 10 s windows of the same load through the gateway for at
# least WARM_UP_MIN_WINDOWS (default 30: five minutes), then until the gateway's and inference-service's JIT compiler
# threads used under half a second of CPU in the last one (at most WARM_UP_WINDOWS, default 48). Why five minutes: on
# two cores a fresh stack's serving JVMs compile under load for minutes (inference-service's C2 1.3-1.5 s per 20 s for
# the first ~2.5 minutes after a restart, the whole stack's for ~4 after ./peftflow demo), and the rounds measure the
# service as it runs once started, not its start (docs/BENCHMARKS.md, classify: how long a fresh stack takes to settle).
# Each window's RESULT and compile time go to the log ("warm-up N", not counted in the medians), so the first minutes
# after a start stay on record.
warm_up() {
  local w line jit_ms
  for w in $(seq 1 "${WARM_UP_WINDOWS:-48}"); do
    line=$(run "warm-up $w gateway" /v1 "$GATEWAY_URL" 10s "$1")
    echo "$line"
    (( w < ${WARM_UP_MIN_WINDOWS:-30} )) && continue
    jit_ms=$(python3 -c 'import re, sys; print(round(1000 * sum(float(s) for s in re.findall(r" (?:gateway|inference-service)=([\d.]+)", sys.argv[1].split(" jit_s")[1]))))' "$line")
    (( jit_ms < 500 )) && return 0
  done
  echo "warm-up: the JIT still compiling after $w windows; measuring anyway" | tee -a "$1"
}

# label prefix url duration log: one wrk run, its output and a RESULT row into the log, with the CPU seconds each of the
# stack's processes used meanwhile (stack_cpu.py: where a slow round's CPU went, the JIT's share, the machine's total)
run() {
  local out before
  before=$(python3 "$HERE/stack_cpu.py" snapshot "$STACK")
  out=$(PREFIX=$2 wrk -t2 -c16 -d"$4" --latency -s "$HERE/classify.lua" "$3")
  { echo "== $1 (load average $(cut -d' ' -f1-3 /proc/loadavg))"; echo "$out"; } >>"$5"
  echo "$1 $(grep '^RESULT' <<<"$out") load=$(cut -d' ' -f1 /proc/loadavg) \
$(python3 "$HERE/stack_cpu.py" since "$STACK" <(echo "$before"))" | tee -a "$5"
}

medians() { # log: per contender (the words before "round") and route, the medians over its rounds
  python3 - "$1" <<'PY'
import re, statistics, sys
rows = re.findall(r"^(.*?)round \d+ (\w+) RESULT .*?non2xx=(\d+) rps=([\d.]+) p50_ms=([\d.]+) p99_ms=([\d.]+)",
                  open(sys.argv[1]).read(), re.M)
for key in dict.fromkeys((r[0], r[1]) for r in rows):
    mine = [r for r in rows if (r[0], r[1]) == key]
    med = lambda k: statistics.median(float(r[k]) for r in mine)
    print("MEDIAN %s%s over %d rounds: p50_ms=%.2f p99_ms=%.2f rps=%.1f non2xx=%d" % (key[0], key[1], len(mine),
          med(4), med(5), med(3), sum(int(r[2]) for r in mine)))
ready = re.findall(r"^(\S+) round \d+ ready_ms=(\d+)", open(sys.argv[1]).read(), re.M)
for name in dict.fromkeys(r[0] for r in ready):
    print("MEDIAN %s ready_s=%.1f" % (name, statistics.median(int(r[1]) / 1000 for r in ready if r[0] == name)))
PY
}
