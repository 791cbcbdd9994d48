#!/bin/sh
# The entrypoint of every peftflow JVM image, whatever its base (ubi9's OpenJDK, the Debian base scripts/images.sh
# makes, CUDA): one java command line everywhere, so the containers CI starts run what production ships.
#   JAVA_MAX_MEM_RATIO  the heap's share of the container's memory limit, in percent (the image sets it)
#   JAVA_OPTS           the image's JVM options (-XX:+ExitOnOutOfMemoryError among them);  JAVA_OPTS_APPEND  a
#                       deployment's additions
set -e
# shellcheck disable=SC2086 # the options are word lists
exec java -XX:MaxRAMPercentage="${JAVA_MAX_MEM_RATIO:-75}" $JAVA_OPTS $JAVA_OPTS_APPEND \
  -jar /deployments/quarkus-run.jar "$@"
