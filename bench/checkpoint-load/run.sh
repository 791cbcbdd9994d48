#!/usr/bin/env bash
# Peak memory of loading a ~530 MB safetensors checkpoint with peft-core (issue 3 benchmark).
# Usage: bench/checkpoint-load/run.sh [workdir] [f32|f16]   (f16: stored half, widened to fp32 while streaming)
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=$(realpath -m "${1:-target/bench-checkpoint-load}")
mkdir -p "$(dirname "$WORK")"
./mvnw -B -o -q -pl peft-core test-compile dependency:build-classpath -Dmdep.outputFile="$WORK.cp" >/dev/null
CP="peft-core/target/test-classes:peft-core/target/classes:$(cat "$WORK.cp")"
export DJL_CACHE_DIR=${DJL_CACHE_DIR:-$PWD/target/djl-cache}
JAVA=(java -Dai.djl.offline=true -cp "$CP")
[ -f "$WORK/model.safetensors" ] || "${JAVA[@]}" -Xmx2g io.peftflow.core.bench.CheckpointLoadBench generate "$WORK" "${2:-f32}"
# A small heap proves the weights never pass through it; the loader streams into native tensors.
"${JAVA[@]}" -Xmx128m io.peftflow.core.bench.CheckpointLoadBench load "$WORK"
