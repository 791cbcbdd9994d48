#!/usr/bin/env bash
# On this machine, before gpu-ttq.sh (.bench-cp comes from run.sh): writes .ttq/, the data both contenders
# train on — 20,000 generated transactions (seed 42) and 500 for validation (seed 43), each encoded by EvalSetDump as
# TrainingRun encodes it (ids, labels) for the HF side — gzipped to fit one device call beside .gpu-jre and .bench-cp,
# and the embedded tiny model's tokenizer files (make_tinyllama.py copies them into the checkpoint).
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -o -q -pl peft-core -am test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/target/bench-train.cp" >/dev/null
CP="peft-core/target/test-classes:peft-core/target/classes:$(cat target/bench-train.cp)"
J="java -Dai.djl.offline=true -cp $CP"
T=$(mktemp -d)
rm -rf .ttq && mkdir -p .ttq/tiny
# the embedded tiny model (written by TinyModel.write into a TrainCommand run's base/): only its tokenizer is used
$J io.peftflow.core.run.TrainCommand --steps 1 --train-size 16 --validation-size 8 --eval-every 0 --out "$T/run" >/dev/null 2>&1
cp "$T"/run/base/{config.json,tokenizer.json,tokenizer_config.json,generation_config.json} .ttq/tiny/
$J io.peftflow.data.sample.TransactionDataset "$T/train.jsonl" 20000 42
$J io.peftflow.data.sample.TransactionDataset .ttq/validation.jsonl 500 43
$J io.peftflow.core.bench.EvalSetDump .ttq/tiny "$T/train.jsonl" "$T/train-tokens.jsonl" | grep RESULT
$J io.peftflow.core.bench.EvalSetDump .ttq/tiny .ttq/validation.jsonl "$T/eval-tokens.jsonl" | grep RESULT
for f in train.jsonl train-tokens.jsonl eval-tokens.jsonl; do gzip -c "$T/$f" > ".ttq/$f.gz"; done
rm -rf "$T"
