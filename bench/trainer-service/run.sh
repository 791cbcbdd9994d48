#!/usr/bin/env bash
# trainer-service on the local stack, through the real dataset-service: (1) latency from an upload accepted by
# dataset-service to its policy's job `running` in trainer-service; (2) the worker's training throughput next to
# peft-core alone (its TrainCommand: the same TrainingRun in a plain JVM) in the same run, alternating, on the same
# stored split with the same recipe and seed (bench.py says how).
# Usage: bench/trainer-service/run.sh [latency rounds=20] [throughput rounds=6] [steps=300]
# Needs the stack up (scripts/stack.sh up, with the same PEFTFLOW_*_PORT) and free HTTP ports
# BENCH_DATASET_PORT (8181), BENCH_TRAINER_PORT (8182, the api) and BENCH_WORKER_PORT (8183).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DS_PORT=${BENCH_DATASET_PORT:-8181}
TR_PORT=${BENCH_TRAINER_PORT:-8182}
WORKER_PORT=${BENCH_WORKER_PORT:-8183}
OUT=${BENCH_OUT:-$ROOT/target/bench-trainer}
mkdir -p "$OUT"
./mvnw -B -o -q -pl dataset-service,trainer-service -am package -DskipTests >/dev/null
./mvnw -B -o -q -pl peft-core -am compile dependency:build-classpath -Dmdep.outputFile="$OUT/peft-core.cp" >/dev/null
export DJL_CACHE_DIR=${DJL_CACHE_DIR:-$ROOT/target/djl-cache}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
java -Xmx1g -Dquarkus.profile=dev -Dpeftflow.gateway-secret-required=false -Dquarkus.http.port="$DS_PORT" -jar dataset-service/target/quarkus-app/quarkus-run.jar >"$OUT/dataset-service.log" 2>&1 &
pids+=($!)
# trainer-service as the local stack runs it: one JVM in the api role (REST, Kafka intake) and one in the worker role,
# which bench.py restarts before each throughput job (a worker pod runs one job per JVM under a ScaledJob).
TRAINER_JAR="-Dai.djl.offline=true -Dpeftflow.gateway-secret-required=false -Dpeftflow.trainer.device=cpu \
  -Dpeftflow.trainer.worker-gpu=false -Dpeftflow.trainer.work-dir=$OUT/work -Dquarkus.profile=dev -jar trainer-service/target/quarkus-app/quarkus-run.jar"
java -Xmx1g -Dpeftflow.trainer.role=api -Dquarkus.http.port="$TR_PORT" $TRAINER_JAR >"$OUT/trainer-api.log" 2>&1 &
pids+=($!)
export BENCH_WORKER_CMD="java -Xmx1g -Dpeftflow.trainer.role=worker -Dquarkus.http.port=$WORKER_PORT $TRAINER_JAR"
export BENCH_WORKER_LOG=$OUT/trainer-worker.log
export BENCH_CORE_CMD="java -Xmx1g -Dai.djl.offline=true -cp peft-core/target/classes:$(cat "$OUT/peft-core.cp") \
  io.peftflow.core.run.TrainCommand"
$BENCH_WORKER_CMD >"$BENCH_WORKER_LOG" 2>&1 &
pids+=($!)
worker_pid=$!
for port in "$DS_PORT" "$TR_PORT" "$WORKER_PORT"; do
  for _ in $(seq 1 180); do curl -fs -o /dev/null "http://127.0.0.1:$port/q/health/ready" && break; sleep 1; done
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 bench/trainer-service/bench.py "$DS_PORT" "$TR_PORT" "$WORKER_PORT" "${1:-20}" "${2:-6}" "${3:-300}" "$worker_pid"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
