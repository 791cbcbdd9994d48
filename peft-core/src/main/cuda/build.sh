#!/usr/bin/env bash
# Builds the native Llama decode engine (llama_decode.cu) for Hopper and Ampere GPUs:
#   peft-core/src/main/cuda/build.sh [OUT]   (OUT defaults to peft-core/target/native/libpeftflow_decode.so)
# Needs nvcc (CUDA 13 here: the library then needs a driver >= 580) and a JDK's JNI headers. cuBLAS and libtorch are
# not linked: the library finds the copies already loaded in the process (DJL's or Python torch's).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE/../../../target/native/libpeftflow_decode.so}
mkdir -p "$(dirname "$OUT")"
JH=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
nvcc -O3 -std=c++17 -gencode arch=compute_90,code=sm_90 -gencode arch=compute_80,code=sm_80 \
  -Xcompiler -fPIC,-Wall -shared -cudart static -I"$JH/include" -I"$JH/include/linux" \
  -o "$OUT" "$HERE/llama_decode.cu" -ldl
echo "built $OUT"
