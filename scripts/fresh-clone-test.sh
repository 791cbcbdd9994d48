#!/usr/bin/env bash
# The two commands where newcomers first run them (a stage of `./peftflow test`): a fresh copy of this working tree
# (what `git clone` would give, plus uncommitted changes) in a 0700 folder, run by a user who is not root, from
# another working directory, with every port of the stack and the services moved and Maven offline on a read-only
# view of the local repository (nothing downloaded, nothing written into it):
#   - a missing system package names the one command that installs it;
#   - `./peftflow demo` twice on the same copy: both runs reach "services keep running" with v1 and v2 registered;
#   - as root, the stack's PostgreSQL starts from a copy in a 0700 folder root owns (its data goes where the
#     postgres user can reach it).
# Run as root it makes (and afterwards removes) the user peftflow-newcomer; run as another user it runs as that user.
#   PEFTFLOW_FRESH_CLONE_MAX_STEPS  each demo job's steps (default 60, as the containers stage: the same loop in CI's time)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
say() { printf '[fresh-clone] %s\n' "$*"; }
fail() { printf '[fresh-clone] FAILED: %s\n' "$*" >&2; exit 1; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

M2=${MAVEN_USER_HOME:-$HOME/.m2}
[ -d "$M2/repository" ] && [ -d "$M2/wrapper" ] || fail "no local Maven repository and wrapper in $M2 (run the Maven stage first)"

WORK=$(mktemp -d /tmp/peftflow-fresh-clone.XXXXXX)
USER_NAME=$(id -un)
CREATED_USER=false
if [ "$(id -u)" = 0 ]; then
  USER_NAME=peftflow-newcomer
  if id "$USER_NAME" >/dev/null 2>&1; then
    usermod --home "$WORK" "$USER_NAME"   # left over from an interrupted run
  else
    useradd --no-create-home --home-dir "$WORK" --shell /bin/bash "$USER_NAME"
  fi
  CREATED_USER=true
fi
CLONE=$WORK/peftflow
CLONE_PID=""

OUTER_LOGS=${PEFTFLOW_STACK_DIR:-$ROOT/.stack}/logs/fresh-clone
cleanup() {
  set +e
  # The nested run's logs outlive its folder.
  rm -rf "$OUTER_LOGS" && mkdir -p "$OUTER_LOGS"
  cp -r "$CLONE/.stack/logs/." "$WORK"/demo-*.log "$OUTER_LOGS/" 2>/dev/null
  [ -x "$CLONE/peftflow" ] && as_user "$CLONE/peftflow" down >/dev/null 2>&1
  [ -n "${ROOT_CLONE:-}" ] && PEFTFLOW_STACK_DIR=$ROOT_CLONE/.stack PEFTFLOW_PG_PORT=$ROOT_PG_PORT \
    "$ROOT_CLONE/scripts/stack.sh" down postgres >/dev/null 2>&1
  [ -n "${ROOT_PG_HOME:-}" ] && rm -rf "$ROOT_PG_HOME"
  find "$WORK/m2" -type d -exec chmod u+w {} + 2>/dev/null
  rm -rf "$WORK" "${ROOT_WORK:-}"
  $CREATED_USER && { userdel "$USER_NAME"; rm -rf "/tmp/hsperfdata_$USER_NAME"; }
}
trap cleanup EXIT

copy_tree() { # destination
  mkdir -p "$1"
  git -C "$ROOT" ls-files -co --exclude-standard -z \
    | tar -C "$ROOT" --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -C "$1" -xf -
}

# The newcomer's home: 0700, theirs; the project copied in; Maven's repository and wrapper read-only.
copy_tree "$CLONE"
mkdir -p "$WORK/m2"
# Hard links (instant; a copy takes minutes on CI) in folders nobody may write to; the files are root's or this user's.
cp -al "$M2/repository" "$M2/wrapper" "$WORK/m2/" 2>/dev/null || cp -r "$M2/repository" "$M2/wrapper" "$WORK/m2/"
find "$WORK/m2" -type d -exec chmod 555 {} +
if [ "$(id -u)" = 0 ]; then chown "$USER_NAME" "$WORK" && chown -R "$USER_NAME" "$CLONE"; fi
chmod 700 "$WORK"

PORTS=(PG KAFKA KAFKA_CONTROLLER S3 DATASET TRAINER REGISTRY INFERENCE GATEWAY GATEWAY_ADMIN)
PORT_ENV=()
for p in "${PORTS[@]}"; do PORT_ENV+=("PEFTFLOW_${p}_PORT=$(free_port)"); done

as_user() { # command...: as the newcomer, in a clean environment, from /
  local env=(HOME="$WORK" PATH="$PATH" LANG=C.UTF-8 USER="$USER_NAME" MAVEN_USER_HOME="$WORK/m2"
    MAVEN_ARGS="-o -Dmaven.repo.local=$WORK/m2/repository" "${PORT_ENV[@]}" ${JAVA_HOME:+JAVA_HOME=$JAVA_HOME}
    PEFTFLOW_DEMO_MAX_STEPS="${PEFTFLOW_FRESH_CLONE_MAX_STEPS:-60}")
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u "$USER_NAME" -- env -i "${env[@]}" "$@")
  else
    (cd / && env -i "${env[@]}" "$@")
  fi
}

say "a copy of the tree in $WORK (mode $(stat -c %a "$WORK")), user $USER_NAME, ports ${PORT_ENV[*]}"

# A missing system package, for a user who is not root: the message is the command to run.
out=$(as_user env PEFTFLOW_PG_BIN=/nonexistent "$CLONE/scripts/stack.sh" up postgres 2>&1) \
  && fail "stack.sh started PostgreSQL from a missing PEFTFLOW_PG_BIN"
grep -qF "sudo apt-get install -y postgresql-15" <<<"$out" || fail "no install command in: $out"
say "missing package: $(grep -F 'sudo apt-get' <<<"$out" | sed 's/^ *//')"

demo_run() { # n
  local log=$WORK/demo-$1.log t0=$SECONDS
  as_user "$CLONE/peftflow" demo >"$log" 2>&1 || { tail -40 "$log" >&2; fail "demo run $1 failed (log above; all logs in $OUTER_LOGS)"; }
  grep -q "services keep running" "$log" || { tail -40 "$log" >&2; fail "demo run $1 did not reach 'services keep running'"; }
  for v in 1 2; do
    grep -q "registry: transactions-lora v$v " "$log" || { tail -40 "$log" >&2; fail "demo run $1 registered no v$v"; }
  done
  say "demo run $1: $(grep -o "API key of tenant '[^']*'" "$log"), v1 and v2 registered, services keep running ($((SECONDS - t0)) s)"
}
demo_run 1
demo_run 2
as_user "$CLONE/peftflow" down >/dev/null

# Root with a clone in a folder the postgres user cannot enter (like /root): PostgreSQL still starts.
if [ "$(id -u)" = 0 ]; then
  ROOT_WORK=$(mktemp -d /tmp/peftflow-root-clone.XXXXXX)
  ROOT_CLONE=$ROOT_WORK/peftflow
  ROOT_PG_PORT=$(free_port)
  copy_tree "$ROOT_CLONE"
  runuser -u postgres -- test -x "$ROOT_CLONE" 2>/dev/null && fail "postgres can enter $ROOT_WORK (mode $(stat -c %a "$ROOT_WORK"))"
  ROOT_PG_HOME=/var/lib/peftflow-stack/$(printf '%s' "$ROOT_CLONE/.stack" | sha256sum | cut -c1-16)
  PEFTFLOW_STACK_DIR=$ROOT_CLONE/.stack PEFTFLOW_PG_PORT=$ROOT_PG_PORT "$ROOT_CLONE/scripts/stack.sh" up postgres \
    || fail "PostgreSQL did not start for root from a 0700 folder"
  say "root in a 0700 folder: PostgreSQL on :$ROOT_PG_PORT with its data in $(readlink "$ROOT_CLONE/.stack/postgres")"
fi
say "ok"
