#!/usr/bin/env bash
# The kill of gpu-resume.sh checked on the CPU (2026-12-07): TrainCommand on the embedded tiny model, killed with -9 at
# step 150 (the JVM, a child of the subshell running `train`, killed first), resumed from the step-100 checkpoint and
# compared with an uninterrupted run. From the repository root, after bench/train-throughput/run.sh built the classpath:
#   CP="peft-core/target/classes:$(cat target/bench-train.cp)" bash bench/train-throughput/cpu-2026-12-07-resume/cpu-resume.sh
set -u
train() { local out=$1; shift; java -Dai.djl.offline=true -cp "$CP" io.peftflow.core.run.TrainCommand --train-size 2000 --validation-size 50 --steps 300 --eval-every 0 --checkpoint-every 100 --seed 42 --out "$out" "$@"; }
rm -rf /tmp/cr && mkdir -p /tmp/cr
train /tmp/cr/ref > /tmp/cr/ref.log 2>&1
train /tmp/cr/run > /tmp/cr/killed.log 2>&1 &
pid=$!
until grep -q "^step 150/" /tmp/cr/killed.log 2>/dev/null || ! kill -0 $pid 2>/dev/null; do sleep 0.05; done
pkill -9 -P $pid; kill -9 $pid; wait $pid 2>/dev/null; sleep 1
echo "alive after kill: $(pgrep -fc 'TrainCommand.* --out /tmp/cr/run( |$)')"
echo "killed after: $(grep '^step' /tmp/cr/killed.log | tail -1)"
train /tmp/cr/run --resume /tmp/cr/run/checkpoint > /tmp/cr/resumed.log 2>&1
echo "resumed first step: $(grep -m1 '^step' /tmp/cr/resumed.log)"
python3 -c "
import json; a=json.load(open('/tmp/cr/ref/manifest.json')); b=json.load(open('/tmp/cr/run/manifest.json'))
print('last_loss', a['result']['last_loss'], b['result']['last_loss'], 'adapter equal', a['adapter']['sha256']==b['adapter']['sha256'])"
