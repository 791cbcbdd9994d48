#!/usr/bin/env bash
# Builds the project's JNI CUDA libraries for Hopper and Ampere GPUs into OUT_DIR (default peft-core/target/native):
# libpeftflow_decode.so (llama_decode.cu, the native Llama decode engine) and libpeftflow_train.so (train_kernels.cu,
# the training layer's fused elementwise kernels; train_graphs.cu, CUDA graphs of a training step).
#   peft-core/src/main/cuda/build.sh [OUT_DIR]
# Needs nvcc (CUDA 13 here: the libraries then need a driver >= 580) and a JDK's JNI headers. cuBLAS and libtorch are
# not linked: the libraries find the copies already loaded in the process (DJL's or Python torch's).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT_DIR=${1:-$HERE/../../../target/native}
mkdir -p "$OUT_DIR"
JH=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
for lib in "decode:llama_decode" "train:train_kernels train_graphs"; do
  sources=()
  for s in ${lib#*:}; do sources+=("$HERE/$s.cu"); done
  nvcc -O3 -std=c++17 -gencode arch=compute_90,code=sm_90 -gencode arch=compute_80,code=sm_80 \
    -Xcompiler -fPIC,-Wall -shared -cudart static -I"$JH/include" -I"$JH/include/linux" \
    -o "$OUT_DIR/libpeftflow_${lib%%:*}.so" "${sources[@]}" -ldl
  echo "built $OUT_DIR/libpeftflow_${lib%%:*}.so"
done
