#!/bin/sh
# Health check: the broker answers an admin request on its listener.
exec java -Xmx64m -Xshare:auto -cp "/opt/kafka/libs/*" -Dlog4j2.configurationFile=/opt/kafka/log4j2.xml \
  kafka.admin.ConfigCommand --bootstrap-server "${1:-localhost:9092}" --describe --entity-type brokers --entity-default >/dev/null
