#!/usr/bin/env bash
# End-to-end training of every method on the embedded tiny model on CUDA (fp16): base vs tuned metrics.
# Carries .bench-cp (see run.sh) to /root/cp and the DJL tokenizers jar to /root/extra; staging as for gpu-run.sh.
set -uo pipefail
if [ ! -f /root/libtorch/libtorch.so ]; then
  mkdir -p /root/libtorch
  cat $(ls /root/gpu/* | sort) | LD_LIBRARY_PATH=/root/jre/zbin /root/jre/zbin/zstd -d --long=30 | tar -x -C /root/libtorch
fi
export PYTORCH_LIBRARY_PATH=/root/libtorch PYTORCH_VERSION=2.5.1 PYTORCH_FLAVOR=cu124 DJL_CACHE_DIR=/root/djl-cache
for m in lora seq_bn double_seq_bn prompt_tuning; do
  echo "== $m"
  /root/jre/bin/java -Xmx4g -Dai.djl.offline=true -cp '/root/cp/*:/root/extra/*' io.peftflow.core.run.TrainCommand \
    --method $m --out /tmp/out-$m 2>&1 | grep -vE "WARN|INFO" | tail -6
done
