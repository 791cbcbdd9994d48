#!/bin/bash
# KAFKA_* variables -> server.properties (as the official image does), storage formatted once, then the broker.
set -euo pipefail
CONFIG=/opt/kafka/config/server.properties
: >"$CONFIG"
while IFS='=' read -r name value; do
  case $name in
    KAFKA_HEAP_OPTS|KAFKA_OPTS) ;;
    # As the official image: ___ is "-" (listener.name.client.scram-sha-512...), __ is "_", _ is ".".
    KAFKA_*) key=${name#KAFKA_}; key=${key,,}; key=${key//___/-}; key=${key//__/:}; key=${key//_/.}
      echo "${key//:/_}=$value" >>"$CONFIG" ;;
  esac
done < <(env)
JAVA=(java ${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} -Dlog4j2.configurationFile=/opt/kafka/log4j2.xml ${KAFKA_OPTS:-} -cp "/opt/kafka/libs/*")
log_dir=$(sed -n 's/^log\.dirs=//p' "$CONFIG")
if [ ! -f "${log_dir:-/var/lib/kafka/data}/meta.properties" ]; then
  "${JAVA[@]}" kafka.tools.StorageTool format -t "${CLUSTER_ID:?CLUSTER_ID is required}" -c "$CONFIG" >/dev/null
fi
exec "${JAVA[@]}" kafka.Kafka "$CONFIG"
