#!/usr/bin/env bash
# The local stack without Docker: PostgreSQL 15 (Debian), Kafka 4.1.2 in KRaft mode and an S3 server (s3proxy),
# all on loopback with their data under .stack/.
# Usage: scripts/stack.sh up|down [postgres|kafka|s3]...   scripts/stack.sh status   scripts/stack.sh classpath kafka|s3proxy
# Idempotent: `up` starts only what is not running; `down` stops only what `up` started.
# Naming components lets tests stop and restart one server (e.g. Kafka, for the outbox).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/scripts/packages.sh"
STACK_DIR=${PEFTFLOW_STACK_DIR:-$ROOT/.stack}
PG_PORT=${PEFTFLOW_PG_PORT:-15432}
KAFKA_PORT=${PEFTFLOW_KAFKA_PORT:-19092}
KAFKA_CONTROLLER_PORT=${PEFTFLOW_KAFKA_CONTROLLER_PORT:-19093}
S3_PORT=${PEFTFLOW_S3_PORT:-19000}
# The same credentials MinIO gets in docker-compose.yml and k8s/.
S3_ACCESS_KEY=${PEFTFLOW_S3_ACCESS_KEY:-peftflow}
S3_SECRET_KEY=${PEFTFLOW_S3_SECRET_KEY:-peftflow-secret}
# Kafka: SASL on every listener (SECURITY.md). The broker's admin (PLAIN, the one super user: the broker itself, this
# script, the tests' harness) and a SCRAM-SHA-512 user per service with the local password its application.properties
# names; k8s/components/kafka-access/kafka-access.sh creates the users and their ACLs.
KAFKA_ADMIN_PASSWORD=admin-kafka-local
KAFKA_SERVICE_USERS=(dataset trainer registry inference)
DB_USER=peftflow
DB_PASSWORD=peftflow
DATABASES=(dataset trainer registry gateway dataset_test trainer_test registry_test gateway_test)
# Services with a role of their own, owner of <service> and <service>_test (pg_service_roles).
SERVICE_ROLES=(dataset trainer registry gateway)
PG_BIN=${PEFTFLOW_PG_BIN:-/usr/lib/postgresql/15/bin}

PIDS=$STACK_DIR/pids
LOGS=$STACK_DIR/logs

say() { printf '[stack] %s\n' "$*"; }
die() { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The pid recorded for a component, if that process is alive and is ours (its command line names our stack dir).
our_pid() {
  local f=$PIDS/$1.pid pid
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$STACK_DIR"; then
    echo "$pid"
  else
    rm -f "$f"
    return 1
  fi
}

require_free() { # port what
  if port_open "$1"; then
    local who
    who=$(ss -ltnp "sport = :$1" 2>/dev/null | awk 'NR>1{print $NF}' | head -1)
    die "port $1 for $2 is taken by another process ${who:-(unknown)}; stop it or set PEFTFLOW_*_PORT"
  fi
}

# Waits for a started server's port; gives up at once if the process died.
wait_listening() { # name port seconds
  local pid
  pid=$(cat "$PIDS/$1.pid")
  for _ in $(seq 1 $(($3 * 5))); do
    port_open "$2" && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  tail -20 "$LOGS/$1.log" >&2
  die "$1 did not open port $2; see $LOGS/$1.log"
}

wait_for() { # what seconds command...
  local what=$1 secs=$2; shift 2
  for _ in $(seq 1 $((secs * 5))); do
    if "$@"; then return 0; fi
    sleep 0.2
  done
  return 1
}

java_bin() {
  command -v java >/dev/null || require_packages "the local stack's Kafka and S3 server" "$LOGS/java-install.log" openjdk-17-jdk-headless
  echo java
}

# Starts a JVM server in the background, records its pid, waits for its port. The stack dir on its
# command line is how our_pid recognises it later.
start_jvm() { # name port java-args...
  local name=$1 port=$2
  shift 2
  nohup "$(java_bin)" -Dpeftflow.stack="$STACK_DIR" "$@" >"$LOGS/$name.log" 2>&1 &
  echo $! >"$PIDS/$name.pid"
  wait_listening "$name" "$port" 60
}

# One classpath per JVM server, resolved from Maven Central through the project's wrapper and cached.
classpath() { # profile
  # Keyed by the pom's content: a changed pom (another jar) resolves again.
  local file=$STACK_DIR/$1-$(sha256sum "$ROOT/scripts/stack/pom.xml" | cut -c1-12).classpath
  if [ ! -s "$file" ]; then
    say "resolving $1 from Maven Central (first run only)" >&2
    "$ROOT/mvnw" -B -q -f "$ROOT/scripts/stack/pom.xml" -P"$1" dependency:build-classpath \
      -Dmdep.outputFile="$file" >"$LOGS/$1-resolve.log" 2>&1 \
      || die "could not resolve $1's jars; see $LOGS/$1-resolve.log"
  fi
  cat "$file"
}

# ---------------------------------------------------------------- PostgreSQL
# PostgreSQL refuses to run as root. A user who is not root runs it as themself, its data under .stack/. Root runs
# it as the `postgres` user; when that user cannot reach .stack/ (a clone in /root or another 0700 folder), its
# data, sockets and log go to a folder of this stack's own under /var/lib/peftflow-stack, linked from .stack/postgres.
pg_home() {
  mkdir -p "$STACK_DIR"
  if [ "$(id -u)" != 0 ] || runuser -u postgres -- test -x "$STACK_DIR" 2>/dev/null; then
    echo "$STACK_DIR"
  else
    echo "/var/lib/peftflow-stack/$(printf '%s' "$STACK_DIR" | sha256sum | cut -c1-16)"
  fi
}
PG_HOME=$(pg_home)
PGDATA=$PG_HOME/postgres
PG_SOCKETS=$PG_HOME/run
PG_LOG=$PG_HOME/postgres.log
[ "$PG_HOME" = "$STACK_DIR" ] && PG_LOG=$LOGS/postgres.log

as_pg() { # command...: as the user PostgreSQL runs as
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_running() { [ -f "$PGDATA/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }

psql_admin() { as_pg "$PG_BIN/psql" -h "$PG_SOCKETS" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

pg_up() {
  [ -x "$PG_BIN/postgres" ] || require_packages "the local stack's PostgreSQL" "$LOGS/postgres-install.log" postgresql-15
  [ -x "$PG_BIN/postgres" ] || die "$PG_BIN/postgres missing after installing postgresql-15"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "user 'postgres' missing: the postgresql-15 package did not install cleanly"
    mkdir -p "$PGDATA" "$PG_SOCKETS"
    touch "$PG_LOG"
    chown postgres:postgres "$PGDATA" "$PG_SOCKETS" "$PG_LOG"
    if [ "$PG_HOME" != "$STACK_DIR" ]; then
      chown postgres:postgres "$PG_HOME"
      chmod 700 "$PG_HOME"
      [ -L "$STACK_DIR/postgres" ] || ln -s "$PGDATA" "$STACK_DIR/postgres"
    fi
  else
    mkdir -p "$PGDATA" "$PG_SOCKETS"
  fi
  chmod 700 "$PGDATA"
  if pg_running; then
    say "PostgreSQL already running on 127.0.0.1:$PG_PORT"
  else
    require_free "$PG_PORT" PostgreSQL
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
      as_pg "$PG_BIN/initdb" -D "$PGDATA" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >"$LOGS/postgres-initdb.log" 2>&1 \
        || die "initdb failed; see $LOGS/postgres-initdb.log"
    fi
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PG_LOG" -w -t 60 \
      -o "-p $PG_PORT -k $PG_SOCKETS -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null \
      || die "PostgreSQL did not start; see $PG_LOG"
    say "PostgreSQL started on 127.0.0.1:$PG_PORT (data in $PGDATA)"
  fi
  psql_admin <<SQL >/dev/null
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD';
  END IF;
END \$\$;
SQL
  for db in "${DATABASES[@]}"; do
    if [ -z "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
      psql_admin -c "CREATE DATABASE $db OWNER $DB_USER" >/dev/null
    fi
  done
  pg_service_roles
}

# Least privilege (SECURITY.md): a role per service, owner of its own database and its tests' database and nothing
# else; PUBLIC may not connect to those, so one service's login cannot reach another's data. Their passwords are the
# local values the services' application.properties name (refused outside the dev and test profiles). Idempotent:
# a database from before (owned by peftflow) is handed over with everything in it.
pg_service_roles() {
  local svc role db
  for svc in "${SERVICE_ROLES[@]}"; do
    role=peftflow_$svc
    psql_admin <<SQL >/dev/null
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN PASSWORD '$svc-local';
  END IF;
END \$\$;
SQL
    for db in "$svc" "${svc}_test"; do
      psql_admin <<SQL >/dev/null
ALTER DATABASE $db OWNER TO $role;
REVOKE ALL ON DATABASE $db FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE $db TO $role;
SQL
      psql_admin -d "$db" <<SQL >/dev/null
DO \$\$ DECLARE r record; BEGIN
  FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
             AND pg_get_userbyid(c.relowner) = '$DB_USER'
             -- a serial's or identity's sequence follows its table
             AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')) LOOP
    EXECUTE format('ALTER %s public.%I OWNER TO $role',
      CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.relname);
  END LOOP;
END \$\$;
SQL
    done
  done
}

pg_down() {
  if pg_running; then
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
    say "PostgreSQL stopped"
  fi
}

# ---------------------------------------------------------------- Kafka (KRaft, one combined node)
KAFKA_DIR=$STACK_DIR/kafka

kafka_up() {
  if our_pid kafka >/dev/null; then
    if grep -q '^sasl.enabled.mechanisms=' "$KAFKA_DIR/server.properties" 2>/dev/null; then
      kafka_access "$(classpath kafka)"
      say "Kafka already running on 127.0.0.1:$KAFKA_PORT"
      return
    fi
    # A Kafka started before SASL (an older checkout's stack): restart it with this configuration; its data stays.
    say "Kafka runs without SASL: restarting it"
    stop_pid kafka
  fi
  require_free "$KAFKA_PORT" Kafka
  require_free "$KAFKA_CONTROLLER_PORT" "the Kafka controller"
  local cp java
  cp=$(classpath kafka)
  java=$(java_bin)
  mkdir -p "$KAFKA_DIR/data"
  local jaas_admin="org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\"$KAFKA_ADMIN_PASSWORD\" user_admin=\"$KAFKA_ADMIN_PASSWORD\";"
  cat >"$KAFKA_DIR/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=CLIENT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=CLIENT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,CLIENT:SASL_PLAINTEXT
inter.broker.listener.name=CLIENT
sasl.enabled.mechanisms=SCRAM-SHA-512,PLAIN
sasl.mechanism.inter.broker.protocol=PLAIN
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=$jaas_admin
listener.name.client.plain.sasl.jaas.config=$jaas_admin
listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin
log.dirs=$KAFKA_DIR/data
num.partitions=3
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
EOF
  if [ ! -f "$KAFKA_DIR/data/meta.properties" ]; then
    rm -f "$KAFKA_DIR/access.sha"
    local cluster_id
    cluster_id=$("$java" -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
    "$java" -cp "$cp" -Dlog4j2.configurationFile="$ROOT/scripts/stack/log4j2-kafka.xml" kafka.tools.StorageTool format \
      -t "$cluster_id" -c "$KAFKA_DIR/server.properties" >"$LOGS/kafka-format.log" 2>&1 \
      || die "formatting Kafka's storage failed; see $LOGS/kafka-format.log"
  fi
  start_jvm kafka "$KAFKA_PORT" -Xms256m -Xmx512m -XX:+UseG1GC \
    -Dlog4j2.configurationFile="$ROOT/scripts/stack/log4j2-kafka.xml" \
    -cp "$cp" kafka.Kafka "$KAFKA_DIR/server.properties"
  wait_for Kafka 60 grep -q "Kafka Server started" "$LOGS/kafka.log" || die "Kafka did not finish starting; see $LOGS/kafka.log"
  kafka_access "$cp"
  say "Kafka started on 127.0.0.1:$KAFKA_PORT (SASL: SCRAM-SHA-512 users per service, ACLs)"
}

# The services' users and ACLs, once per version of the access script (they live in Kafka's metadata, kept across
# restarts; a reformatted storage drops the marker).
kafka_access() { # classpath
  local script=$ROOT/k8s/components/kafka-access/kafka-access.sh sha svc
  sha=$(sha256sum "$script" | cut -c1-64)
  [ "$(cat "$KAFKA_DIR/access.sha" 2>/dev/null)" = "$sha" ] && return 0
  local env=(KAFKA_BOOTSTRAP="127.0.0.1:$KAFKA_PORT" KAFKA_ADMIN_PASSWORD="$KAFKA_ADMIN_PASSWORD"
    KAFKA_JAVA="$(java_bin) -Xshare:auto -XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile=$ROOT/scripts/stack/log4j2-kafka.xml -cp $1")
  for svc in "${KAFKA_SERVICE_USERS[@]}"; do
    env+=("KAFKA_PASSWORD_$(tr 'a-z' 'A-Z' <<<"$svc")_SERVICE=$svc-kafka-local")
  done
  env "${env[@]}" "$script" >"$LOGS/kafka-access.log" 2>&1 || die "Kafka's users and ACLs failed; see $LOGS/kafka-access.log"
  echo "$sha" >"$KAFKA_DIR/access.sha"
}

# ---------------------------------------------------------------- S3 (s3proxy on the filesystem)
S3_DIR=$STACK_DIR/s3

s3_up() {
  if our_pid s3proxy >/dev/null; then
    say "S3 already running on http://127.0.0.1:$S3_PORT"
    return
  fi
  require_free "$S3_PORT" "the S3 server"
  local cp
  cp=$(classpath s3proxy)
  mkdir -p "$S3_DIR/data"
  cat >"$S3_DIR/s3proxy.properties" <<EOF
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS_KEY
s3proxy.credential=$S3_SECRET_KEY
jclouds.provider=filesystem-nio2
jclouds.identity=local
jclouds.credential=local
jclouds.filesystem.basedir=$S3_DIR/data
EOF
  start_jvm s3proxy "$S3_PORT" -Xmx256m -Dlogback.configurationFile="$ROOT/scripts/stack/logback-s3proxy.xml" \
    -cp "$cp" org.gaul.s3proxy.Main --properties "$S3_DIR/s3proxy.properties"
  say "S3 started on http://127.0.0.1:$S3_PORT"
}

# ---------------------------------------------------------------- commands
stop_pid() { # name
  local pid
  if pid=$(our_pid "$1"); then
    kill "$pid"
    wait_for "$1" 30 bash -c "! kill -0 $pid 2>/dev/null" || kill -9 "$pid" 2>/dev/null || true
    rm -f "$PIDS/$1.pid"
    say "$1 stopped"
  fi
}

COMPONENTS=(postgres kafka s3)

up() {
  mkdir -p "$PIDS" "$LOGS"
  local c
  for c in "${@:-${COMPONENTS[@]}}"; do
    case $c in
      postgres) pg_up ;;
      kafka) kafka_up ;;
      s3) s3_up ;;
      *) die "unknown component '$c' (postgres, kafka, s3)" ;;
    esac
  done
  [ $# -gt 0 ] || status
}

down() {
  local c components=("$@")
  [ $# -gt 0 ] || components=(s3 kafka postgres)
  for c in "${components[@]}"; do
    case $c in
      postgres) pg_down ;;
      kafka) stop_pid kafka ;;
      s3) stop_pid s3proxy ;;
      *) die "unknown component '$c' (postgres, kafka, s3)" ;;
    esac
  done
}

status() {
  local pg=down kafka=down s3=down
  pg_running && pg=up
  our_pid kafka >/dev/null && kafka=up
  our_pid s3proxy >/dev/null && s3=up
  say "PostgreSQL $pg  jdbc:postgresql://127.0.0.1:$PG_PORT/{dataset,trainer,registry,gateway}  users peftflow_{dataset,trainer,registry,gateway}"
  say "Kafka      $kafka  127.0.0.1:$KAFKA_PORT  SASL users {dataset,trainer,registry,inference}-service, admin"
  say "S3         $s3  http://127.0.0.1:$S3_PORT  key $S3_ACCESS_KEY"
  [ "$pg$kafka$s3" = upupup ]
}

cmd=${1:-}
shift || true
case $cmd in
  up) up "$@" ;;
  down) down "$@" ;;
  status) status ;;
  classpath) mkdir -p "$LOGS" && classpath "$1" ;;   # kafka|s3proxy: the server's jars (scripts/images.sh copies them)
  *) echo "usage: $0 up|down [postgres|kafka|s3]... | status | classpath kafka|s3proxy" >&2; exit 2 ;;
esac
