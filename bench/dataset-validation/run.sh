#!/usr/bin/env bash
# Validation + balancing + split throughput of dataset-service on one core with a 256 MB heap, side by side
# with a plain Jackson streaming parse of the same generated 1 GB JSONL. Results go in docs/BENCHMARKS.md.
# Usage: bench/dataset-validation/run.sh [megabytes=1024] [rounds=2] [balance=oversample]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MB=${1:-1024}
ROUNDS=${2:-2}
BALANCE=${3:-oversample}
OUT=$ROOT/bench/dataset-validation/target
mkdir -p "$OUT/classes" "$OUT/work"
cd "$ROOT"
./mvnw -B -q -o -pl peft-data,events,service-kit install -DskipTests
./mvnw -B -q -o -pl dataset-service compile dependency:build-classpath -Dmdep.outputFile="$OUT/cp.txt" -Dmdep.includeScope=runtime
CP="$ROOT/dataset-service/target/classes:$(cat "$OUT/cp.txt")"
javac -d "$OUT/classes" -cp "$CP" bench/dataset-validation/DatasetValidationBench.java
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
# One core (taskset and the JVM's own view of it) and the issue's heap cap.
taskset -c 0 java -Xmx256m -XX:ActiveProcessorCount=1 -cp "$OUT/classes:$CP" DatasetValidationBench \
  "$OUT/data-${MB}mb.jsonl" "$MB" "$OUT/work" "$ROUNDS" "$BALANCE"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
