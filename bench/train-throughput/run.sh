#!/usr/bin/env bash
# LoRA training throughput of peft-core on this machine's CPU: the embedded tiny model on the generated
# transaction data through the real Trainer (fp32). Usage: bench/train-throughput/run.sh [steps] [warmup] [threads]
# ROUNDS=n BACKWARDS="autograd layers segments" alternates the Trainer's backward passes (-Dpeftflow.backward; segments:
# the layers' one run segment by segment, -Dbench.segmented) n rounds;
# JAVA_PROPS adds system properties (e.g. -Dbench.batch=1).
# Also builds .bench-cp/ (git-ignored), the classpath that the GPU run (gpu-run.sh) carries to the device.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -o -q -pl peft-core -am test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/target/bench-train.cp" >/dev/null
rm -rf .bench-cp && mkdir .bench-cp
for j in $(tr ':' '\n' < target/bench-train.cp | grep -vE 'native-cpu|junit|opentest|apiguardian|tokenizers'); do
  if [ -d "$j" ]; then  # a reactor module's classes (peft-data)
    (cd "$j" && jar cf "$OLDPWD/.bench-cp/$(basename "$(dirname "$(dirname "$j")")").jar" .)
  else
    cp "$j" .bench-cp/
  fi
done
(cd peft-core/target/classes && jar cf ../../../.bench-cp/peft-core.jar .)
(cd peft-core/target/test-classes && jar cf ../../../.bench-cp/peft-core-bench.jar io/peftflow/core/bench \
  io/peftflow/core/nn/NativeTrainKernelsCheck.class)
export DJL_CACHE_DIR=${DJL_CACHE_DIR:-$PWD/target/djl-cache}
for round in $(seq 1 "${ROUNDS:-1}"); do
  for backward in ${BACKWARDS:-layers}; do
    echo "round $round, backward $backward, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    case $backward in  # "segments": the layers' backward run segment by segment (-Dbench.segmented)
      segments) props="-Dpeftflow.backward=layers -Dbench.segmented=true" ;;
      *) props="-Dpeftflow.backward=$backward" ;;
    esac
    OMP_NUM_THREADS=${3:-2} java -Dai.djl.offline=true $props ${JAVA_PROPS:-} \
      -cp "peft-core/target/test-classes:peft-core/target/classes:$(cat target/bench-train.cp)" \
      io.peftflow.core.bench.TrainThroughputBench tiny "${1:-60}" "${2:-10}" 2>&1 | grep RESULT
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
