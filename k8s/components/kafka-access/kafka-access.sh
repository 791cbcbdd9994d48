#!/bin/bash
# Kafka's users and ACLs (SECURITY.md "Least privilege"): one SCRAM-SHA-512 user per service and the topics and
# consumer groups it may use, nothing else. Idempotent. Run as the broker's admin (SASL PLAIN, the one super user) by
# scripts/stack.sh (the local stack), docker-compose.yml's kafka-access and the local overlay's kafka-access Job. The
# production overlay's Strimzi KafkaUsers grant the same (deploy-check compares them with ACLS below).
# Environment: KAFKA_BOOTSTRAP (host:port), KAFKA_ADMIN_PASSWORD, one KAFKA_PASSWORD_<USER> per user
# (KAFKA_PASSWORD_DATASET_SERVICE, ...), and the CLI: KAFKA_BIN (default /opt/kafka/bin) or KAFKA_JAVA ("java -cp
# <Kafka's jars>": the same tools' classes, as the local stack and images without bin/, like peftflow/kafka:*-debian,
# run them; the default where bin/ is missing).
set -euo pipefail

# user operations resource name — topics and groups match by prefix, so that a test run's own topics and groups
# (peftflow.training-events.test-<id>, registry-service-test-<id>) follow the same rules as the real ones.
# Who produces what: the outbox of each service (events/Topics.java); dead letters from the service's own intake.
# Create: where topics are created on first use (the local stack, compose); Strimzi's KafkaTopics make them up front.
ACLS="
dataset-service   Write,Describe,Create topic peftflow.dataset-versions
trainer-service   Read,Describe,Create  topic peftflow.dataset-versions
trainer-service   Read,Describe,Create  topic peftflow.training-requests
trainer-service   Read,Describe,Create  topic peftflow.adapter-events
trainer-service   Write,Describe,Create topic peftflow.training-events
trainer-service   Write,Describe,Create topic peftflow.trainer.dead-letters
trainer-service   Read                  group trainer-service
registry-service  Read,Describe,Create  topic peftflow.training-events
registry-service  Read,Describe,Create  topic peftflow.dataset-versions
registry-service  Write,Describe,Create topic peftflow.adapter-events
registry-service  Write,Describe,Create topic peftflow.training-requests
registry-service  Write,Describe,Create topic peftflow.registry.dead-letters
registry-service  Read                  group registry-service
inference-service Read,Describe,Create  topic peftflow.adapter-events
inference-service Read                  group inference-service
"

: "${KAFKA_BOOTSTRAP:?}" "${KAFKA_ADMIN_PASSWORD:?}"
if [ -z "${KAFKA_JAVA:-}" ] && [ ! -x "${KAFKA_BIN:-/opt/kafka/bin}/kafka-configs.sh" ]; then
  KAFKA_JAVA="java -cp /opt/kafka/libs/*"
fi
tool() { # script-name class args...
  local script=$1 class=$2
  shift 2
  # set -f: a classpath wildcard (java -cp 'libs/*') stays for java to expand.
  if [ -n "${KAFKA_JAVA:-}" ]; then (set -f; $KAFKA_JAVA "$class" "$@"); else "${KAFKA_BIN:-/opt/kafka/bin}/$script.sh" "$@"; fi
}

admin=$(mktemp)
trap 'rm -f "$admin"' EXIT
cat >"$admin" <<EOF
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$KAFKA_ADMIN_PASSWORD";
EOF

tries=0
until tool kafka-configs kafka.admin.ConfigCommand --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$admin" \
    --describe --entity-type users >/dev/null 2>&1; do
  tries=$((tries + 1))
  [ "$tries" -lt 60 ] || { echo "Kafka at $KAFKA_BOOTSTRAP not reachable as admin" >&2; exit 1; }
  sleep 2
done

for user in $(awk 'NF {print $1}' <<<"$ACLS" | sort -u); do
  var=KAFKA_PASSWORD_$(tr 'a-z-' 'A-Z_' <<<"$user")
  password=${!var:?$var is not set}
  tool kafka-configs kafka.admin.ConfigCommand --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$admin" \
    --alter --entity-type users --entity-name "$user" --add-config "SCRAM-SHA-512=[iterations=4096,password=$password]" >/dev/null
done

# One kafka-acls call per user, operations and resource type (it grants each operation on each named resource).
while read -r user operations type; do
  args=(--add --allow-principal "User:$user" --resource-pattern-type prefixed)
  for op in ${operations//,/ }; do args+=(--operation "$op"); done
  for name in $(awk -v u="$user" -v o="$operations" -v t="$type" '$1 == u && $2 == o && $3 == t {print $4}' <<<"$ACLS"); do
    args+=("--$type" "$name")
  done
  tool kafka-acls org.apache.kafka.tools.AclCommand --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$admin" \
    --force "${args[@]}" >/dev/null
done < <(awk 'NF {print $1, $2, $3}' <<<"$ACLS" | sort -u)
echo "[kafka-access] users and ACLs in place: $(awk 'NF {print $1}' <<<"$ACLS" | sort -u | tr '\n' ' ')"
