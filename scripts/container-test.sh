#!/usr/bin/env bash
# The platform in containers, end to end (a stage of `./peftflow test`, after the Maven suites with the bare stack
# stopped): the Docker daemon started if absent, every image built (scripts/images.sh), docker-compose.yml with
# docker-compose.debian.yml up, every health check healthy, then the demo's flow through the containerised gateway
# (key, upload, policy, retraining job on the CPU worker, registered adapter, the evaluation job registry-service
# requests for the challenger and the champion, promotion decision, the champion
# answering POST /v1/classify through inference-service), and
# `docker-compose down -v` leaving no container, volume or network behind. The services run as docker-compose.yml
# says (uid 185, read-only root, no capabilities, the Kubernetes memory limits); deploy-check's
# ComposeMatchesKubernetesTest holds that to the manifests.
# Measures as it goes (image sizes, up -> all healthy, each container's memory at rest and its peak during the
# flow's training) and writes them to .stack/logs/containers.txt.
#   PEFTFLOW_CONTAINER_MAX_STEPS  each of the flow's two jobs' steps (default 60: the whole loop, in CI's time)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STACK_DIR=${PEFTFLOW_STACK_DIR:-$ROOT/.stack}
LOGS=$STACK_DIR/logs
REPORT=$LOGS/containers.txt
PROJECT=${PEFTFLOW_COMPOSE_PROJECT:-peftflow-test}
say() { printf '[containers] %s\n' "$*"; }
fail() { printf '[containers] FAILED: %s\n' "$*" >&2; exit 1; }
mkdir -p "$LOGS"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
export PEFTFLOW_GATEWAY_PORT=${PEFTFLOW_CONTAINER_GATEWAY_PORT:-$(free_port)}
export PEFTFLOW_MINIO_CONSOLE_PORT=$(free_port)
# The secrets compose requires, generated for this run (SECURITY.md); the admin API listens on the container's own
# address (still published nowhere) so that the flow below can create its key through it.
ENV_FILE=$STACK_DIR/containers.env
rm -f "$ENV_FILE" && "$ROOT/scripts/compose-secrets.sh" "$ENV_FILE" >/dev/null
export PEFTFLOW_GATEWAY_ADMIN_HOST=0.0.0.0
COMPOSE=(docker-compose --env-file "$ENV_FILE" -p "$PROJECT" -f "$ROOT/docker-compose.yml" -f "$ROOT/docker-compose.debian.yml")

t0=$SECONDS
"$ROOT/scripts/images.sh"
images_s=$((SECONDS - t0))

SAMPLER=""
down() {
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null
  "${COMPOSE[@]}" logs --no-color >"$LOGS/containers-compose.log" 2>&1 || true
  "${COMPOSE[@]}" down -v --remove-orphans >"$LOGS/containers-down.log" 2>&1 || true
}
trap down EXIT

# ------------------------------------------------------------------ up, then every health check healthy
"${COMPOSE[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
t_up=$SECONDS
"${COMPOSE[@]}" up -d >"$LOGS/containers-up.log" 2>&1 || { cat "$LOGS/containers-up.log" >&2; fail "docker-compose up"; }
health() { # container -> healthy|starting|unhealthy|exited(N)|running
  docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else if .State.Running}}running{{else}}exited({{.State.ExitCode}}){{end}}' "$1"
}
for _ in $(seq 1 300); do
  waiting=()
  for c in $("${COMPOSE[@]}" ps -q); do
    name=$(docker inspect -f '{{.Name}}' "$c")
    case $(health "$c") in
      healthy|"exited(0)") ;;
      unhealthy|exited*) docker logs --tail 40 "$c" >&2 || true; fail "${name#/} is $(health "$c")" ;;
      *) waiting+=("${name#/}") ;;
    esac
  done
  [ ${#waiting[@]} = 0 ] && [ "$("${COMPOSE[@]}" ps -q | wc -l)" -ge 10 ] && break
  sleep 2
done
[ ${#waiting[@]} = 0 ] || fail "not healthy after 600 s: ${waiting[*]}"
healthy_s=$((SECONDS - t_up))
say "docker-compose up -> all healthy in $healthy_s s"

# As the manifests say, checked on the running containers (not only in the file).
for svc in dataset-service trainer-api trainer-worker registry-service inference-service gateway; do
  c=$("${COMPOSE[@]}" ps -q "$svc")
  got=$(docker inspect -f '{{.Config.User}} ro={{.HostConfig.ReadonlyRootfs}} caps={{.HostConfig.CapDrop}} mem={{.HostConfig.Memory}}' "$c")
  case $got in "185:185 ro=true caps=[ALL] mem="[1-9]*) ;; *) fail "$svc runs as '$got'" ;; esac
  uid=$(docker exec "$c" id -u)
  [ "$uid" = 185 ] || fail "$svc's process runs as uid $uid"
  docker exec "$c" sh -c 'touch /deployments/x' 2>/dev/null && fail "$svc's root file system is writable"
done
say "services run as uid 185 on read-only roots with all capabilities dropped and memory limits"

mem_snapshot() { # -> "name MiB" lines
  docker stats --no-stream --format '{{.Name}} {{.MemUsage}}' $("${COMPOSE[@]}" ps -q) \
    | awk '{u=$2; v=u+0; if (u ~ /GiB/) v*=1024; else if (u ~ /KiB/) v/=1024; printf "%s %.0f\n", $1, v}'
}
at_rest=$(mem_snapshot)

# ------------------------------------------------------------------ the demo's flow through the containerised gateway
gateway_ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$("${COMPOSE[@]}" ps -q gateway)")
admin_key=$(sed -n 's/^PEFTFLOW_GATEWAY_ADMIN_KEY=//p' "$ENV_FILE")
( while true; do mem_snapshot >>"$LOGS/containers-mem.samples"; sleep 3; done ) &
SAMPLER=$!
: >"$LOGS/containers-mem.samples"
t_flow=$SECONDS
PEFTFLOW_GATEWAY_URL=http://$gateway_ip:8080 PEFTFLOW_GATEWAY_ADMIN_URL=http://$gateway_ip:8090 \
  PEFTFLOW_GATEWAY_ADMIN_KEY=$admin_key PEFTFLOW_DEMO_MAX_STEPS=${PEFTFLOW_CONTAINER_MAX_STEPS:-60} \
  PEFTFLOW_STACK_DIR=$STACK_DIR/containers "$ROOT/peftflow" flow | tee "$LOGS/containers-flow.log" \
  || fail "the demo's flow through the containerised gateway (log: $LOGS/containers-flow.log, services: $LOGS/containers-compose.log)"
flow_s=$((SECONDS - t_flow))
kill "$SAMPLER" && SAMPLER=""
for v in 1 2; do grep -q "registry: transactions-lora v$v " "$LOGS/containers-flow.log" || fail "no adapter v$v registered"; done
grep -q "champion" "$LOGS/containers-flow.log" || fail "no promotion decision printed"
# The decision names the set both versions were measured on: the evaluation job registry-service requested ran.
grep -q "measured on: " "$LOGS/containers-flow.log" || fail "no evaluation job measured v2 against the champion"
grep -q "answered by transactions-lora:2" "$LOGS/containers-flow.log" || fail "the champion v2 did not answer POST /v1/classify"
say "the flow through the containers: v1 and v2 trained by the CPU worker, registered, v2 and v1 evaluated on the same examples, promoted, v2 classified ($flow_s s)"

# CPU time a container has used since it started (cgroup v1 or v2), in seconds: the stage's wall time on a machine of
# its own is at least their sum over the cores, whatever else ran beside it here.
cpu_seconds() { # container-id
  local id f
  id=$(docker inspect -f '{{.Id}}' "$1")
  for f in /sys/fs/cgroup/cpuacct/docker/$id/cpuacct.usage /sys/fs/cgroup/system.slice/docker-$id.scope/cpu.stat \
    /sys/fs/cgroup/docker/$id/cpu.stat; do
    [ -r "$f" ] || continue
    case $f in
      *cpuacct.usage) awk '{printf "%.0f", $1 / 1e9}' "$f" ;;
      *) awk '$1 == "usage_usec" {printf "%.0f", $2 / 1e6}' "$f" ;;
    esac
    return
  done
  echo "?"
}

# ------------------------------------------------------------------ report, then down -v leaving nothing behind
{
  echo "# $(date -u +%FT%TZ) $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null) on $(nproc) cores"
  echo "images built in ${images_s} s; docker-compose up -> all healthy ${healthy_s} s; the flow ${flow_s} s"
  echo "## image sizes (MB)"
  docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -- '-debian\|debian-jre' | sort
  echo "## memory MiB: container, at rest, peak during the flow (training v1 and v2)"
  while read -r name rest; do
    peak=$(awk -v n="$name" '$1 == n && $2 > m {m = $2} END {print m + 0}' "$LOGS/containers-mem.samples")
    echo "${name#"$PROJECT"_} $rest $peak"
  done <<<"$at_rest"
  echo "## CPU seconds used by each container from its start to the end of the flow"
  total=0
  for c in $("${COMPOSE[@]}" ps -q); do
    used=$(cpu_seconds "$c")
    echo "$(docker inspect -f '{{.Name}}' "$c" | sed "s#^/$PROJECT[_-]##") $used"
    [ "$used" = "?" ] || total=$((total + used))
  done
  echo "all containers: $total CPU seconds, at least $((total / $(nproc))) s of wall time on $(nproc) cores of their own"
} | tee "$REPORT"
trap - EXIT
down
left=$(docker ps -aq --filter "label=com.docker.compose.project=$PROJECT"; docker volume ls -q --filter "label=com.docker.compose.project=$PROJECT"; docker network ls -q --filter "label=com.docker.compose.project=$PROJECT")
[ -z "$left" ] || fail "docker-compose down -v left: $left"
say "down -v: no container, volume or network of $PROJECT left"
