#!/usr/bin/env bash
# Builds every image the platform runs in containers, with no container registry: a Debian bookworm base made by
# debootstrap (+ docker import), each service's image from its Dockerfile on that base, and PostgreSQL, Kafka and
# S3 (s3proxy) images from Debian's postgresql-15 and the Kafka and s3proxy jars scripts/stack.sh resolves from
# Maven Central. docker-compose.debian.yml names them.
#   scripts/images.sh daemon     start dockerd (--iptables=false) unless a daemon answers
#   scripts/images.sh base       the base image peftflow/debian-jre:bookworm (cached as a tar between runs)
#   scripts/images.sh [all]      daemon, base, the infrastructure images and every service image
# The services' jars must be built first (./mvnw -B package -DskipTests). Needs root (or a docker group member).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/scripts/packages.sh"
STACK_DIR=${PEFTFLOW_STACK_DIR:-$ROOT/.stack}
LOGS=$STACK_DIR/logs
BASE_IMAGE=peftflow/debian-jre:bookworm
VERSION=0.1.0
# debootstrap's output, kept between runs on this machine when possible (never required).
CACHE_DIR=${PEFTFLOW_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/peftflow}
DOCKER_DATA=${PEFTFLOW_DOCKER_DATA:-/var/lib/docker}

say() { printf '[images] %s\n' "$*"; }
die() { printf '[images] ERROR: %s\n' "$*" >&2; exit 1; }
mkdir -p "$LOGS"

# The Debian mirror apt already uses (deb822 sources or sources.list).
debian_mirror() {
  local uri
  uri=$(grep -hs '^URIs:' /etc/apt/sources.list.d/debian.sources | awk '{print $2}' | grep -v security | head -1)
  [ -n "$uri" ] || uri=$(grep -hs '^deb ' /etc/apt/sources.list | awk '{print $2}' | grep -v security | head -1)
  echo "${uri:-http://deb.debian.org/debian}"
}

daemon() {
  command -v dockerd >/dev/null || require_packages "the container images" "$LOGS/docker-install.log" docker.io
  if docker info >/dev/null 2>&1; then return 0; fi
  say "starting dockerd (--iptables=false: compose's user-defined bridges need no NAT); log $LOGS/dockerd.log"
  # setsid: the daemon outlives this script and the test that started it, like a system service would.
  setsid nohup dockerd --iptables=false --data-root "$DOCKER_DATA" >"$LOGS/dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && return 0; sleep 1; done
  tail -20 "$LOGS/dockerd.log" >&2
  die "dockerd did not answer within 60 s"
}

base() {
  if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then return 0; fi
  local tar=$CACHE_DIR/debian-bookworm-jre.tar.gz
  if [ ! -s "$tar" ]; then
    command -v debootstrap >/dev/null || require_packages "the base image" "$LOGS/debootstrap-install.log" debootstrap
    local dir mirror
    dir=$(mktemp -d /var/tmp/peftflow-rootfs.XXXXXX)
    mirror=$(debian_mirror)
    say "debootstrap bookworm (minbase + openjdk-17-jre-headless, curl) from $mirror; log $LOGS/debootstrap.log"
    debootstrap --variant=minbase --include=openjdk-17-jre-headless,curl,ca-certificates bookworm "$dir" "$mirror" \
      >"$LOGS/debootstrap.log" 2>&1 || { rm -rf "$dir"; tail -20 "$LOGS/debootstrap.log" >&2; die "debootstrap failed"; }
    # What an image needs no copy of: package lists and caches, docs.
    rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb \
      "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/locale/*
    mkdir -p "$CACHE_DIR"
    tar -C "$dir" --numeric-owner -czf "$tar.part" . && mv "$tar.part" "$tar"
    rm -rf "$dir"
  fi
  say "docker import $tar as $BASE_IMAGE"
  docker import -c 'ENV LANG=C.UTF-8' -c 'CMD ["/bin/bash"]' "$tar" "$BASE_IMAGE" >/dev/null
}

build() { # tag dockerfile context [args...]
  local tag=$1 file=$2 context=$3 t0=$SECONDS
  shift 3
  DOCKER_BUILDKIT=0 docker build --network host -q --build-arg BASE_IMAGE="$BASE_IMAGE" -t "$tag" -f "$file" "$@" \
    "$context" >"$LOGS/image-${tag//[\/:]/_}.log" 2>&1 \
    || { tail -30 "$LOGS/image-${tag//[\/:]/_}.log" >&2; die "building $tag failed; see $LOGS/image-${tag//[\/:]/_}.log"; }
  say "$tag built ($((SECONDS - t0)) s)"
}

# A build context of the server's jars (from scripts/stack.sh's Maven resolution) and its image's files.
jar_context() { # profile
  local dir=$STACK_DIR/images/$1 cp
  cp=$("$ROOT/scripts/stack.sh" classpath "$1") || die "could not resolve the $1 jars"
  rm -rf "$dir" && mkdir -p "$dir/libs"
  tr ':' '\n' <<<"$cp" | xargs -r cp -t "$dir/libs"
  echo "$dir"
}

infrastructure() {
  build peftflow/postgres:15-debian "$ROOT/docker/postgres/Dockerfile" "$ROOT"
  local dir
  dir=$(jar_context kafka)
  cp "$ROOT"/docker/kafka/{entrypoint.sh,kafka-ready.sh} "$dir/" && cp "$ROOT/scripts/stack/log4j2-kafka.xml" "$dir/log4j2.xml"
  build peftflow/kafka:4.1.2-debian "$ROOT/docker/kafka/Dockerfile" "$dir"
  dir=$(jar_context s3proxy)
  cp "$ROOT"/docker/s3proxy/{entrypoint.sh,create-buckets.sh} "$dir/" && cp "$ROOT/scripts/stack/logback-s3proxy.xml" "$dir/logback.xml"
  build peftflow/s3proxy:2.7.0-debian "$ROOT/docker/s3proxy/Dockerfile" "$dir"
}

# Every service with a Dockerfile.jvm, from its built quarkus-app. The context is the repository's layout with only
# that service's quarkus-app and docker/ in it (hard links): a fifth of what the root would send.
services() {
  local file svc dir
  for file in "$ROOT"/*/src/main/docker/Dockerfile.jvm; do
    svc=${file#"$ROOT"/}
    svc=${svc%%/*}
    [ -f "$ROOT/$svc/target/quarkus-app/quarkus-run.jar" ] || die "$svc is not built (./mvnw -B package -DskipTests)"
    dir=$STACK_DIR/images/$svc
    rm -rf "$dir" && mkdir -p "$dir/$svc/target"
    cp -al "$ROOT/$svc/target/quarkus-app" "$dir/$svc/target/" 2>/dev/null || cp -r "$ROOT/$svc/target/quarkus-app" "$dir/$svc/target/"
    cp -r "$ROOT/docker" "$dir/"
    build "peftflow/$svc:$VERSION-debian" "$file" "$dir"
  done
}

case "${1:-all}" in
  daemon) daemon ;;
  base) daemon; base ;;
  all) daemon; base; infrastructure; services ;;
  *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
