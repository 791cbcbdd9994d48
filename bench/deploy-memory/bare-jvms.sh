#!/usr/bin/env bash
# The bare-JVM side of the containers' memory table (docs/BENCHMARKS.md, issue 24): `./peftflow demo` with the
# flow's steps as scripts/container-test.sh trains them, each service's resident memory (ps RSS, MiB) sampled every
# 3 s; "at rest" is the last sample before the flow starts (all services ready), "peak" the largest during the flow.
# The containers' figures are docker stats' (cgroup memory, which also counts the page cache the process caused).
#   bench/deploy-memory/bare-jvms.sh [steps]     (default 60; ports: PEFTFLOW_*_PORT as ./peftflow reads them)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STACK_DIR=${PEFTFLOW_STACK_DIR:-$ROOT/.stack}
OUT=$ROOT/bench/deploy-memory/results
mkdir -p "$OUT"
RUN=$OUT/bare-$(date -u +%Y%m%d-%H%M).txt
SAMPLES=$(mktemp)
rm -f "$STACK_DIR/demo-key"
# inference-service's model cache (peftflow.inference.cache-dir; default java.io.tmpdir/peftflow-inference) empty
# for every run, as a container's emptyDir starts: a cache another run half filled would skip the loading measured.
export PEFTFLOW_INFERENCE_CACHE_DIR=$(mktemp -d /tmp/peftflow-bare-inference.XXXXXX)

sample() { # -> "t service MiB" lines, for every running service JVM
  local f
  for f in "$STACK_DIR"/pids/*.pid; do
    [ -f "$f" ] || continue
    ps -o rss= -p "$(cat "$f")" 2>/dev/null | awk -v t="$1" -v s="$(basename "$f" .pid)" '{printf "%s %s %.0f\n", t, s, $1 / 1024}'
  done
}
( while true; do
    phase=rest && [ -s "$STACK_DIR/demo-key" ] && phase=flow
    sample "$phase" >>"$SAMPLES"
    sleep 3
  done ) &
SAMPLER=$!
trap 'kill $SAMPLER 2>/dev/null; rm -rf "$SAMPLES" "$PEFTFLOW_INFERENCE_CACHE_DIR"' EXIT
t0=$SECONDS
PEFTFLOW_DEMO_MAX_STEPS=${1:-60} "$ROOT/peftflow" demo >"${RUN%.txt}-demo.log" 2>&1
kill "$SAMPLER"
"$ROOT/peftflow" down >>"${RUN%.txt}-demo.log" 2>&1   # the services and the stack: the measurement is over
{
  echo "# $(date -u +%FT%TZ) $(git -C "$ROOT" rev-parse --short HEAD) on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); demo ${1:-60} steps, $((SECONDS - t0)) s"
  echo "## RSS MiB: service, at rest (last sample before the flow), peak during the flow"
  awk '$1 == "rest" {rest[$2] = $3} $1 == "flow" && $3 > peak[$2] {peak[$2] = $3} END {for (s in rest) print s, rest[s], peak[s] + 0}' "$SAMPLES" | sort
} | tee "$RUN"
