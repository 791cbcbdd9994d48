#!/usr/bin/env bash
# End-to-end training of every method on the embedded tiny model on CUDA (fp16): base vs tuned metrics.
# Carries .bench-cp (see run.sh) to /root/cp and the DJL tokenizers jar to /root/extra; staging as for gpu-run.sh.
set -uo pipefail
cd "$(dirname "$0")/../.."
source bench/train-throughput/gpu-common.sh
for m in lora seq_bn double_seq_bn prompt_tuning; do
  echo "== $m"
  /root/jre/bin/java -Xmx4g -Dai.djl.offline=true -cp '/root/cp/*:/root/extra/*' io.peftflow.core.run.TrainCommand \
    --method $m --out /tmp/out-$m 2>&1 | grep -vE "WARN|INFO" | tail -10
done
