// A Llama decode step (one new token per row over a KV cache) as one CUDA graph: every layer's norm, q|k|v, RoPE,
// cache write, attention, o, SwiGLU MLP and LoRA updates replayed by one launch instead of ~1,000 TorchScript ops
// issued from the host. Why: a decode step of a 1B model is ~1 ms of GPU work behind ~10 ms of host issue; neither
// DJL nor TorchScript captures CUDA graphs (issue 25 item 7). Weights, the cache and LoRA pairs stay DJL's tensors:
// the engine reads them through their device pointers; what changes per step (the cache's buffers, the step's
// input, mask, RoPE rows, per-row LoRA pairs) is read from a small device table copied before each launch, so one
// graph per batch size serves every step. Numerics follow HF transformers' fp16 Llama (rounding to fp16 where it does).
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "djl_tensors.h"

namespace {

// The cuBLAS v2 entry points this file calls (the build machine's toolkit ships no cuBLAS headers; the library is the
// one already loaded in the process: DJL's libtorch_cuda or Python torch's).
typedef struct cublasContext* cublasHandle_t;
typedef int (*CublasCreate)(cublasHandle_t*);
typedef int (*CublasDestroy)(cublasHandle_t);
typedef int (*CublasSetStream)(cublasHandle_t, cudaStream_t);
typedef int (*CublasSetWorkspace)(cublasHandle_t, void*, size_t);
typedef int (*CublasGemmEx)(cublasHandle_t, int, int, int, int, int, const void*, const void*, int, int, const void*,
                            int, int, const void*, void*, int, int, int, int);
constexpr int kOpN = 0, kOpT = 1, kR16F = 2, kCompute32F = 68, kGemmDefault = -1;

struct Cublas {
  CublasCreate create = nullptr;
  CublasDestroy destroy = nullptr;
  CublasSetStream setStream = nullptr;
  CublasSetWorkspace setWorkspace = nullptr;
  CublasGemmEx gemm = nullptr;
};

using djl_tensors::check;
using djl_tensors::fail;
using djl_tensors::lastError;
using djl_tensors::loadedLibrary;
using djl_tensors::symbol;

int refuse(const std::string& what) {
  lastError = what;
  return -1;
}

bool loadCublas(Cublas& c) {
  if (c.gemm != nullptr) return true;
  void* lib = nullptr;
  if (dlsym(RTLD_DEFAULT, "cublasGemmEx") == nullptr) {
    const char* path = getenv("PEFTFLOW_CUBLAS");
    lib = path != nullptr ? dlopen(path, RTLD_LAZY) : loadedLibrary("libcublas", "libcublasLt");
    if (lib == nullptr) return fail("cuBLAS is not loaded in this process (set PEFTFLOW_CUBLAS to its path)");
  }
  c.create = (CublasCreate)symbol(lib, "cublasCreate_v2");
  c.destroy = (CublasDestroy)symbol(lib, "cublasDestroy_v2");
  c.setStream = (CublasSetStream)symbol(lib, "cublasSetStream_v2");
  c.setWorkspace = (CublasSetWorkspace)symbol(lib, "cublasSetWorkspace_v2");
  c.gemm = (CublasGemmEx)symbol(lib, "cublasGemmEx");
  return (c.create && c.destroy && c.setStream && c.setWorkspace && c.gemm) || fail("cuBLAS lacks a v2 entry point");
}

constexpr int kTargets = 7;  // q, k, v, o, gate, up, down
enum Target { Q, K, V, O, GATE, UP, DOWN };

// One LoRA pair of a target: a [r, in] and scaledB [out, r] for every row, or per row a [B, in, r], b [B, r, out].
struct Lora {
  const __half* a;
  const __half* b;
  int rank;
  int perRow;
};

// What changes between steps, copied to the device before each launch.
struct StepHeader {
  const __half* in;    // [B, hidden] the embedded new tokens
  __half* out;         // [B, hidden] the hidden state after the last layer
  const __half* cos;   // [B|1, D] the new tokens' RoPE rows (cos, and sin with its first half negated)
  const __half* sin;
  int cosStride;       // D, or 0 when one row serves every row
  const __half* mask;  // [B|1, past + 1] additive (0 keep, large negative drop), or null: every column is seen
  int maskStride;
  int past;            // cached columns before this step's; the new token's keys go to column past
  int capacity;        // columns of each cache buffer [B, KV, capacity, D]
};

struct Dims {
  int layers, hidden, heads, kvHeads, headDim, inter, maxBatch, maxRank;
  float eps;
  int qkvOut() const { return (heads + 2 * kvHeads) * headDim; }
};

__device__ __forceinline__ float h2f(__half x) { return __half2float(x); }
__device__ __forceinline__ __half f2h(float x) { return __float2half(x); }

__device__ float blockSum(float v, float* scratch) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffff, v, o);
  int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  int warps = blockDim.x / 32;
  v = lane < warps ? scratch[lane] : 0.f;
  if (warp == 0) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffff, v, o);
    if (lane == 0) scratch[0] = v;
  }
  __syncthreads();
  float total = scratch[0];
  __syncthreads();
  return total;
}

// h = first ? in : fp16(h + delta); x = fp16(w * fp16(h * rsqrt(mean(h^2) + eps))) (HF LlamaRMSNorm's roundings).
// With last, the sum alone is written to the step's output. One block of 256 threads per row, each thread holding its
// hidden / 512 half2 pairs in registers between the two passes (hidden <= kMaxHidden).
constexpr int kNormThreads = 256;
constexpr int kMaxHidden = 8192;
__global__ void addNorm(const StepHeader* step, __half* h, const __half* delta, const __half* w, __half* x, int hidden,
                        float eps, int first, int last) {
  constexpr int PER = kMaxHidden / (2 * kNormThreads);
  __shared__ float scratch[32];
  int b = blockIdx.x, pairs = hidden / 2;
  __half2* hr = reinterpret_cast<__half2*>(h + (size_t)b * hidden);
  const __half2* src = first ? reinterpret_cast<const __half2*>(step->in + (size_t)b * hidden) : hr;
  const __half2* dr = reinterpret_cast<const __half2*>(delta + (size_t)b * hidden);
  __half2* outRow = last ? reinterpret_cast<__half2*>(step->out + (size_t)b * hidden) : hr;
  float2 v[PER];
  float sq = 0.f;
#pragma unroll
  for (int k = 0; k < PER; k++) {
    int i = threadIdx.x + k * kNormThreads;
    if (i < pairs) {
      float2 a = __half22float2(src[i]);
      if (!first) {
        float2 d = __half22float2(dr[i]);
        a.x += d.x;
        a.y += d.y;
      }
      __half2 r = __floats2half2_rn(a.x, a.y);
      outRow[i] = r;
      v[k] = __half22float2(r);
      sq += v[k].x * v[k].x + v[k].y * v[k].y;
    }
  }
  if (last) return;
  float rs = rsqrtf(blockSum(sq, scratch) / hidden + eps);
  const __half2* wr = reinterpret_cast<const __half2*>(w);
  __half2* xr = reinterpret_cast<__half2*>(x + (size_t)b * hidden);
#pragma unroll
  for (int k = 0; k < PER; k++) {
    int i = threadIdx.x + k * kNormThreads;
    if (i < pairs) {
      float2 ww = __half22float2(wr[i]);
      xr[i] = __floats2half2_rn(ww.x * h2f(f2h(v[k].x * rs)), ww.y * h2f(f2h(v[k].y * rs)));
    }
  }
}

// RoPE on the q and k heads of qkv [B, (H + 2 KV) D] (q in place), the rotated keys and the values written to the
// cache at column past: out[i] = fp16(fp16(x[i] cos[i]) + fp16(x[(i + D/2) % D] sin[i])), sin's first half negated.
__global__ void ropeCache(const StepHeader* step, __half* const* keys, __half* const* values, int layer, __half* qkv,
                          int heads, int kvHeads, int d) {
  int b = blockIdx.x;
  const StepHeader s = *step;
  __half* row = qkv + (size_t)b * (heads + 2 * kvHeads) * d;
  const __half* cos = s.cos + (size_t)b * s.cosStride;
  const __half* sin = s.sin + (size_t)b * s.cosStride;
  int half = d / 2;
  int pairs = (heads + kvHeads) * half;
  __half* kc = keys[layer];
  __half* vc = values[layer];
  for (int p = threadIdx.x; p < pairs; p += blockDim.x) {
    int head = p / half, i = p % half;
    __half* x = row + head * d;
    float lo = h2f(x[i]), hi = h2f(x[i + half]);
    __half rlo = f2h(h2f(f2h(lo * h2f(cos[i]))) + h2f(f2h(hi * h2f(sin[i]))));
    __half rhi = f2h(h2f(f2h(hi * h2f(cos[i + half]))) + h2f(f2h(lo * h2f(sin[i + half]))));
    if (head < heads) {
      x[i] = rlo;
      x[i + half] = rhi;
    } else {
      size_t at = (((size_t)b * kvHeads + (head - heads)) * s.capacity + s.past) * d;
      kc[at + i] = rlo;
      kc[at + i + half] = rhi;
    }
  }
  const __half* v = row + (heads + kvHeads) * d;
  for (int e = threadIdx.x; e < kvHeads * d; e += blockDim.x) {
    int head = e / d, i = e % d;
    vc[(((size_t)b * kvHeads + head) * s.capacity + s.past) * d + i] = v[e];
  }
}

// Attention of one new token per row over its cached columns 0..past, one block per (row, KV head, column range)
// serving the G query heads that share it, so each key and value is read once. At small batches the columns are cut
// into gridDim.z ranges (a few rows' KV heads alone leave most SMs idle: at batch 1 the step's attention took 0.49 of
// 1.76 ms); each range's unnormalised output, max and sum go to `part` and combineAttention merges them. Columns go
// in chunks of kChunk: every thread scores whole columns (its key row against the G queries held in shared memory),
// then the chunk's softmax per head (online across chunks, fp32) and the values weighted by it, each thread owning
// some of the G x D outputs. Dropped columns (mask below -1e4: padding) get no weight, whatever their keys hold.
constexpr int kAttnThreads = 256;
constexpr int kChunk = 256;
constexpr int kMaxGroup = 16;
constexpr int kAttnBlocks = 128;  // blocks the column ranges aim at (an H100 has 132 SMs)
constexpr int kMaxSplits = 32;
// Column ranges per (row, KV head) at a batch size: enough blocks for the SMs, one range where the rows fill them.
int attnSplits(int batch, int kvHeads) { return std::max(1, std::min(kMaxSplits, kAttnBlocks / (batch * kvHeads))); }
template <int D>
__global__ void decodeAttention(const StepHeader* step, __half* const* keys, __half* const* values, int layer,
                                const __half* qkv, __half* att, float* part, int heads, int kvHeads) {
  constexpr int OUT_PER = kMaxGroup * D / kAttnThreads;
  __shared__ float qS[kMaxGroup][D];
  __shared__ float pS[kMaxGroup][kChunk];
  __shared__ float mS[kMaxGroup], lS[kMaxGroup], scaleS[kMaxGroup];
  const StepHeader s = *step;
  int b = blockIdx.x, kvh = blockIdx.y, group = heads / kvHeads, tid = threadIdx.x;
  const __half* q = qkv + (size_t)b * (heads + 2 * kvHeads) * D + (size_t)kvh * group * D;
  float scale = rsqrtf((float)D);
  for (int e = tid; e < group * D; e += kAttnThreads) qS[e / D][e % D] = h2f(q[e]) * scale;
  if (tid < group) {
    mS[tid] = -INFINITY;
    lS[tid] = 0.f;
  }
  const __half* kc = keys[layer] + ((size_t)b * kvHeads + kvh) * s.capacity * D;
  const __half* vc = values[layer] + ((size_t)b * kvHeads + kvh) * s.capacity * D;
  const __half* mask = s.mask == nullptr ? nullptr : s.mask + (size_t)b * s.maskStride;
  float acc[OUT_PER];
#pragma unroll
  for (int k = 0; k < OUT_PER; k++) acc[k] = 0.f;
  __syncthreads();
  int splits = gridDim.z, per = (s.past + 1 + splits - 1) / splits;
  int begin = blockIdx.z * per, end = min(s.past + 1, begin + per);
  for (int c0 = begin; c0 < end; c0 += kChunk) {
    int n = min(kChunk, end - c0);
    for (int j = tid; j < n; j += kAttnThreads) {
      int c = c0 + j;
      bool dropped = mask != nullptr && h2f(mask[c]) < -1e4f;
      float k[D];
      const uint4* kr = reinterpret_cast<const uint4*>(kc + (size_t)c * D);
#pragma unroll
      for (int u = 0; u < D / 8; u++) {
        uint4 raw = kr[u];
        const __half2* h2 = reinterpret_cast<const __half2*>(&raw);
#pragma unroll
        for (int e = 0; e < 4; e++) {
          float2 f = __half22float2(h2[e]);
          k[u * 8 + 2 * e] = f.x;
          k[u * 8 + 2 * e + 1] = f.y;
        }
      }
      for (int g = 0; g < group; g++) {
        float dot = 0.f;
#pragma unroll
        for (int d = 0; d < D; d++) dot += qS[g][d] * k[d];
        pS[g][j] = dropped ? -INFINITY : dot;
      }
    }
    __syncthreads();
    // per head: the chunk's max, the running max and sum rescaled, the chunk's weights
    int warp = tid / 32, lane = tid % 32;
    for (int g = warp; g < group; g += kAttnThreads / 32) {
      float m = -INFINITY;
      for (int j = lane; j < n; j += 32) m = fmaxf(m, pS[g][j]);
      for (int o = 16; o > 0; o >>= 1) m = fmaxf(m, __shfl_xor_sync(0xffffffff, m, o));
      float mNew = fmaxf(mS[g], m);
      float sum = 0.f;
      for (int j = lane; j < n; j += 32) {
        float p = pS[g][j] == -INFINITY ? 0.f : __expf(pS[g][j] - mNew);
        pS[g][j] = p;
        sum += p;
      }
      for (int o = 16; o > 0; o >>= 1) sum += __shfl_xor_sync(0xffffffff, sum, o);
      if (lane == 0) {
        float rescale = mS[g] == -INFINITY ? 0.f : __expf(mS[g] - mNew);
        scaleS[g] = rescale;
        lS[g] = lS[g] * rescale + sum;
        mS[g] = mNew;
      }
    }
    __syncthreads();
#pragma unroll
    for (int k = 0; k < OUT_PER; k++) {
      int e = tid + k * kAttnThreads;
      if (e < group * D) {
        int g = e / D, d = e % D;
        float a = acc[k] * scaleS[g];
        for (int j = 0; j < n; j++) a += pS[g][j] * h2f(vc[(size_t)(c0 + j) * D + d]);
        acc[k] = a;
      }
    }
    __syncthreads();
  }
#pragma unroll
  for (int k = 0; k < OUT_PER; k++) {
    int e = tid + k * kAttnThreads;
    if (e < group * D) {
      int g = e / D, d = e % D;
      size_t head = (size_t)b * heads + (size_t)kvh * group + g;
      if (splits == 1) {
        att[head * D + d] = f2h(acc[k] / lS[g]);
      } else {
        float* p = part + (head * splits + blockIdx.z) * (D + 2);
        p[d] = acc[k];
        if (d == 0) {
          p[D] = mS[g];
          p[D + 1] = lS[g];
        }
      }
    }
  }
}

// att = the column ranges' outputs of decodeAttention merged: each rescaled by exp(its max - the overall max), their
// sum divided by the rescaled sums. One block per (row, query head), a thread per output dimension.
__global__ void combineAttention(const float* part, __half* att, int heads, int d, int splits) {
  size_t head = (size_t)blockIdx.x * heads + blockIdx.y;
  const float* p = part + head * splits * (d + 2);
  float m = -INFINITY;
  for (int r = 0; r < splits; r++) m = fmaxf(m, p[r * (d + 2) + d]);
  float num = 0.f, den = 0.f;
  for (int r = 0; r < splits; r++) {
    float mr = p[r * (d + 2) + d];
    if (mr == -INFINITY) continue;  // a range with no column seen
    float w = __expf(mr - m);
    num += w * p[r * (d + 2) + threadIdx.x];
    den += w * p[r * (d + 2) + d + 1];
  }
  att[head * d + threadIdx.x] = f2h(num / den);
}

// y [B, out] = x [B, in] W^T for a few rows (B <= kGemvRows): one warp per output column, 16-byte loads of W's row
// shared by the B dot products (fp32 sums). At batch 1 cuBLAS's GEMM kernels read the weights at ~40 % of the
// memory bandwidth; this reads them near its peak. Needs in % 8 == 0 and 16-byte aligned W and x rows.
constexpr int kGemvRows = 4;
template <int B>
__global__ void gemv(const __half* w, const __half* x, __half* y, int out, int in) {
  int row = (blockIdx.x * blockDim.x + threadIdx.x) / 32, lane = threadIdx.x % 32;
  if (row >= out) return;
  const uint4* wr = reinterpret_cast<const uint4*>(w + (size_t)row * in);
  float acc[B];
#pragma unroll
  for (int b = 0; b < B; b++) acc[b] = 0.f;
  for (int k = lane; k < in / 8; k += 32) {
    uint4 wv = wr[k];
    const __half2* wh = reinterpret_cast<const __half2*>(&wv);
#pragma unroll
    for (int b = 0; b < B; b++) {
      uint4 xv = reinterpret_cast<const uint4*>(x + (size_t)b * in)[k];
      const __half2* xh = reinterpret_cast<const __half2*>(&xv);
#pragma unroll
      for (int e = 0; e < 4; e++) {
        float2 wf = __half22float2(wh[e]), xf = __half22float2(xh[e]);
        acc[b] += wf.x * xf.x + wf.y * xf.y;
      }
    }
  }
#pragma unroll
  for (int b = 0; b < B; b++) {
    float v = acc[b];
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffff, v, o);
    if (lane == 0) y[(size_t)b * out + row] = f2h(v);
  }
}

// s = fp16(fp16(silu(g)) * u) over gu [B, 2I] (gate then up).
__global__ void siluMul(const __half* gu, __half* s, int inter, int batch) {
  size_t n = (size_t)batch * inter;
  for (size_t e = blockIdx.x * (size_t)blockDim.x + threadIdx.x; e < n; e += (size_t)gridDim.x * blockDim.x) {
    size_t b = e / inter, i = e % inter;
    float g = h2f(gu[b * 2 * inter + i]), u = h2f(gu[b * 2 * inter + inter + i]);
    s[e] = f2h(h2f(f2h(g / (1.f + __expf(-g)))) * u);
  }
}

// LoRA's first half for up to 3 targets sharing one input x [B, in]: t[b, target, r] = fp16(x[b] . A_target[r]).
// One block per (row, target): each thread walks its input columns once, accumulating 16 ranks at a time, then the
// block sums each rank.
constexpr int kShrinkThreads = 256;
__global__ void loraShrink(const Lora* loras, int first, int count, const __half* x, int in, float* t, int maxRank) {
  constexpr int R = 16;
  __shared__ float part[kShrinkThreads / 32][R];
  int b = blockIdx.x, target = blockIdx.y, tid = threadIdx.x, warp = tid / 32, lane = tid % 32;
  Lora p = loras[first + target];
  if (p.a == nullptr) return;
  const __half* xr = x + (size_t)b * in;
  const __half* a = p.perRow ? p.a + (size_t)b * in * p.rank : p.a;
  for (int r0 = 0; r0 < p.rank; r0 += R) {
    int nr = min(R, p.rank - r0);
    float acc[R];
#pragma unroll
    for (int r = 0; r < R; r++) acc[r] = 0.f;
    for (int i = tid; i < in; i += kShrinkThreads) {
      float xv = h2f(xr[i]);
#pragma unroll
      for (int r = 0; r < R; r++) {
        if (r < nr) {
          // per row a [B, in, r]: a column's ranks are adjacent; shared a [r, in]: a rank's columns are
          acc[r] += xv * h2f(p.perRow ? a[(size_t)i * p.rank + r0 + r] : a[(size_t)(r0 + r) * in + i]);
        }
      }
    }
#pragma unroll
    for (int r = 0; r < R; r++) {
      float v = acc[r];
      for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffff, v, o);
      if (lane == 0) part[warp][r] = v;
    }
    __syncthreads();
    if (tid < nr) {
      float sum = 0.f;
      for (int w = 0; w < kShrinkThreads / 32; w++) sum += part[w][tid];
      t[((size_t)b * 3 + target) * maxRank + r0 + tid] = h2f(f2h(sum));
    }
    __syncthreads();
  }
}

// LoRA's second half into y [B, width] at column offsets: y[b, off + o] = fp16(y + fp16(t[b, target] . B_target[o])).
// The targets' outputs are consecutive column ranges of sizes outs[0..count).
__global__ void loraExpand(const Lora* loras, int first, int count, const float* t, int maxRank, __half* y, int width,
                           int out0, int out1, int out2) {
  int b = blockIdx.y;
  int o = blockIdx.x * blockDim.x + threadIdx.x;
  int outs[3] = {out0, out1, out2};
  int target = 0, local = o;
  while (target < count && local >= outs[target]) local -= outs[target++];
  if (target >= count) return;
  Lora p = loras[first + target];
  if (p.a == nullptr) return;
  const float* tr = t + ((size_t)b * 3 + target) * maxRank;
  float sum = 0.f;
  if (p.perRow) {  // b [B, r, out]
    const __half* bb = p.b + (size_t)b * p.rank * outs[target] + local;
    for (int r = 0; r < p.rank; r++) sum += tr[r] * h2f(bb[(size_t)r * outs[target]]);
  } else {  // b [out, r]
    const __half* bb = p.b + (size_t)local * p.rank;
    for (int r = 0; r < p.rank; r++) sum += tr[r] * h2f(bb[r]);
  }
  __half* at = y + (size_t)b * width + o;
  *at = f2h(h2f(*at) + h2f(f2h(sum)));
}

struct Engine {
  Dims dims;
  int device;
  Cublas cublas;
  cublasHandle_t handle = nullptr;
  cudaStream_t stream = nullptr;
  cudaEvent_t ready = nullptr, done = nullptr, copied = nullptr;
  void* workspace = nullptr;
  // device: the step header, then keys[L], values[L], loras[7L]; host: its pinned staging copy
  char* table = nullptr;
  char* staging = nullptr;
  size_t tableBytes = 0;
  // activations, [maxBatch, ...] each
  __half *h = nullptr, *x = nullptr, *qkv = nullptr, *att = nullptr, *o = nullptr, *gu = nullptr, *s = nullptr,
         *d = nullptr;
  float* t = nullptr;
  float* part = nullptr;  // decodeAttention's column ranges: per query head and range, its output, max and sum
  std::vector<uint64_t> weights;  // 6 per layer: input norm, q|k|v, o, post-attention norm, gate|up, down
  std::map<std::pair<int, bool>, cudaGraphExec_t> graphs;  // per (batch, with LoRA)

  StepHeader* header() const { return reinterpret_cast<StepHeader*>(table); }
  __half** keys() const { return reinterpret_cast<__half**>(table + sizeof(StepHeader)); }
  __half** values() const { return keys() + dims.layers; }
  Lora* loras() const { return reinterpret_cast<Lora*>(values() + dims.layers); }

  const __half* w(int layer, int i) const { return reinterpret_cast<const __half*>(weights[6 * layer + i]); }

  void dropGraphs() {
    for (auto& g : graphs) cudaGraphExecDestroy(g.second);
    graphs.clear();
  }

  ~Engine() {
    dropGraphs();
    if (handle != nullptr) cublas.destroy(handle);
    for (void* p : {(void*)h, (void*)x, (void*)qkv, (void*)att, (void*)o, (void*)gu, (void*)s, (void*)d, (void*)t,
                    (void*)part, workspace, (void*)table}) {
      if (p != nullptr) cudaFree(p);
    }
    if (staging != nullptr) cudaFreeHost(staging);
    for (cudaEvent_t e : {ready, done, copied}) {
      if (e != nullptr) cudaEventDestroy(e);
    }
    if (stream != nullptr) cudaStreamDestroy(stream);
  }

  // y [B, out] = x [B, in] W^T with W [out, in] row-major (column-major: y^T = W x^T).
  bool gemm(const __half* wt, const __half* in, __half* y, int batch, int out, int inDim) {
    if (batch <= kGemvRows && inDim % 8 == 0 && reinterpret_cast<uintptr_t>(wt) % 16 == 0) {
      dim3 grid((out * 32 + 255) / 256);
      switch (batch) {
        case 1: gemv<1><<<grid, 256, 0, stream>>>(wt, in, y, out, inDim); break;
        case 2: gemv<2><<<grid, 256, 0, stream>>>(wt, in, y, out, inDim); break;
        case 3: gemv<3><<<grid, 256, 0, stream>>>(wt, in, y, out, inDim); break;
        default: gemv<4><<<grid, 256, 0, stream>>>(wt, in, y, out, inDim); break;
      }
      return check(cudaGetLastError(), "gemv");
    }
    const float one = 1.f, zero = 0.f;
    int r = cublas.gemm(handle, kOpT, kOpN, out, batch, inDim, &one, wt, kR16F, inDim, in, kR16F, inDim, &zero, y,
                        kR16F, out, kCompute32F, kGemmDefault);
    return r == 0 || fail("cublasGemmEx failed with status " + std::to_string(r));
  }

  bool lora(int layer, int first, int count, const __half* in, int inDim, __half* y, int width, int out0, int out1,
            int out2, int batch) {
    loraShrink<<<dim3(batch, count), kShrinkThreads, 0, stream>>>(loras(), layer * kTargets + first, count, in, inDim, t,
                                                       dims.maxRank);
    int total = out0 + out1 + out2;
    loraExpand<<<dim3((total + 255) / 256, batch), 256, 0, stream>>>(loras(), layer * kTargets + first, count, t,
                                                                     dims.maxRank, y, width, out0, out1, out2);
    return check(cudaGetLastError(), "a LoRA kernel");
  }

  // Every layer for `batch` rows, enqueued on the stream (captured into a graph by step).
  bool enqueue(int batch, bool withLora) {
    const Dims& m = dims;
    int qd = m.heads * m.headDim, kvd = m.kvHeads * m.headDim, splits = attnSplits(batch, m.kvHeads);
    for (int l = 0; l < m.layers; l++) {
      addNorm<<<batch, kNormThreads, 0, stream>>>(header(), h, d, w(l, 0), x, m.hidden, m.eps, l == 0, 0);
      if (!gemm(w(l, 1), x, qkv, batch, m.qkvOut(), m.hidden)) return false;
      if (withLora && !lora(l, Q, 3, x, m.hidden, qkv, m.qkvOut(), qd, kvd, kvd, batch)) return false;
      ropeCache<<<batch, 256, 0, stream>>>(header(), keys(), values(), l, qkv, m.heads, m.kvHeads, m.headDim);
      dim3 grid(batch, m.kvHeads, splits);
      if (m.headDim == 64) {
        decodeAttention<64><<<grid, kAttnThreads, 0, stream>>>(header(), keys(), values(), l, qkv, att, part, m.heads,
                                                               m.kvHeads);
      } else {
        decodeAttention<128><<<grid, kAttnThreads, 0, stream>>>(header(), keys(), values(), l, qkv, att, part, m.heads,
                                                                m.kvHeads);
      }
      if (splits > 1) {
        combineAttention<<<dim3(batch, m.heads), m.headDim, 0, stream>>>(part, att, m.heads, m.headDim, splits);
      }
      if (!gemm(w(l, 2), att, o, batch, m.hidden, qd)) return false;
      if (withLora && !lora(l, O, 1, att, qd, o, m.hidden, m.hidden, 0, 0, batch)) return false;
      addNorm<<<batch, kNormThreads, 0, stream>>>(header(), h, o, w(l, 3), x, m.hidden, m.eps, 0, 0);
      if (!gemm(w(l, 4), x, gu, batch, 2 * m.inter, m.hidden)) return false;
      if (withLora && !lora(l, GATE, 2, x, m.hidden, gu, 2 * m.inter, m.inter, m.inter, 0, batch)) return false;
      siluMul<<<(batch * m.inter + 255) / 256, 256, 0, stream>>>(gu, s, m.inter, batch);
      if (!gemm(w(l, 5), s, d, batch, m.hidden, m.inter)) return false;
      if (withLora && !lora(l, DOWN, 1, s, m.inter, d, m.hidden, m.hidden, 0, 0, batch)) return false;
    }
    addNorm<<<batch, kNormThreads, 0, stream>>>(header(), h, d, nullptr, nullptr, m.hidden, m.eps, 0, 1);
    return check(cudaGetLastError(), "a decode kernel");
  }

  bool graph(int batch, bool withLora, cudaGraphExec_t* exec) {
    auto key = std::make_pair(batch, withLora);
    auto found = graphs.find(key);
    if (found != graphs.end()) {
      *exec = found->second;
      return true;
    }
    cudaGraph_t g = nullptr;
    if (!check(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal), "begin capture")) return false;
    bool ok = enqueue(batch, withLora);
    cudaError_t end = cudaStreamEndCapture(stream, &g);
    if (!ok || !check(end, "end capture")) {
      if (g != nullptr) cudaGraphDestroy(g);
      return false;
    }
    cudaError_t inst = cudaGraphInstantiate(exec, g, 0);
    cudaGraphDestroy(g);
    if (!check(inst, "graph instantiate")) return false;
    graphs[key] = *exec;
    return true;
  }
};

template <typename T>
bool allocate(T** p, size_t count) {
  return check(cudaMalloc(reinterpret_cast<void**>(p), count * sizeof(T)), "cudaMalloc");
}

}  // namespace

extern "C" {

const char* pf_last_error() { return lastError.c_str(); }

// An engine for one model's dimensions on one device; null (see pf_last_error) when CUDA or cuBLAS is not usable.
void* pf_create(int device, int layers, int hidden, int heads, int kvHeads, int headDim, int inter, float eps,
                int maxBatch, int maxRank) {
  if (headDim != 64 && headDim != 128) {
    fail("head dim " + std::to_string(headDim) + " (64 or 128 supported)");
    return nullptr;
  }
  if (layers <= 0 || heads % kvHeads != 0 || heads / kvHeads > kMaxGroup || hidden % 2 != 0 || hidden > kMaxHidden ||
      maxBatch <= 0 || maxRank <= 0) {
    fail("dimensions the engine does not serve (hidden <= 8192 and even, up to 16 query heads per KV head)");
    return nullptr;
  }
  Engine* e = new Engine();
  e->dims = Dims{layers, hidden, heads, kvHeads, headDim, inter, maxBatch, maxRank, eps};
  e->device = device;
  const Dims& m = e->dims;
  size_t b = maxBatch;
  e->tableBytes = sizeof(StepHeader) + 2 * layers * sizeof(__half*) + kTargets * layers * sizeof(Lora);
  bool ok = loadCublas(e->cublas) && check(cudaSetDevice(device), "cudaSetDevice") &&
            check(cudaStreamCreateWithFlags(&e->stream, cudaStreamNonBlocking), "stream") &&
            check(cudaEventCreateWithFlags(&e->ready, cudaEventDisableTiming), "event") &&
            check(cudaEventCreateWithFlags(&e->done, cudaEventDisableTiming), "event") &&
            check(cudaEventCreateWithFlags(&e->copied, cudaEventDisableTiming), "event") &&
            check(cudaMalloc(&e->workspace, 32 << 20), "cudaMalloc") && allocate(&e->table, e->tableBytes) &&
            check(cudaHostAlloc(reinterpret_cast<void**>(&e->staging), e->tableBytes, cudaHostAllocDefault),
                  "cudaHostAlloc") &&
            allocate(&e->h, b * hidden) && allocate(&e->x, b * hidden) && allocate(&e->qkv, b * m.qkvOut()) &&
            allocate(&e->att, b * heads * headDim) && allocate(&e->o, b * hidden) && allocate(&e->gu, b * 2 * inter) &&
            allocate(&e->s, b * inter) && allocate(&e->d, b * hidden) && allocate(&e->t, b * 3 * maxRank) &&
            // rows x ranges <= kAttnBlocks / kvHeads wherever there is more than one range
            allocate(&e->part, (size_t)(kAttnBlocks / kvHeads + 1) * heads * (headDim + 2));
  if (ok) {
    int r = e->cublas.create(&e->handle);
    ok = (r == 0 || fail("cublasCreate failed with status " + std::to_string(r))) &&
         e->cublas.setStream(e->handle, e->stream) == 0 &&
         e->cublas.setWorkspace(e->handle, e->workspace, 32 << 20) == 0;
  }
  if (!ok) {
    delete e;
    return nullptr;
  }
  return e;
}

// The activation buffers (h, x, qkv, att, o, gu, s, d as fp16, t as fp32), for tests that inspect a step.
void pf_buffers(void* engine, uint64_t* out) {
  Engine* e = static_cast<Engine*>(engine);
  void* b[] = {e->h, e->x, e->qkv, e->att, e->o, e->gu, e->s, e->d, e->t};
  for (int i = 0; i < 9; i++) out[i] = reinterpret_cast<uint64_t>(b[i]);
}

void pf_destroy(void* engine) {
  Engine* e = static_cast<Engine*>(engine);
  if (e != nullptr) {
    cudaSetDevice(e->device);
    delete e;
  }
}

// One decode step of `batch` rows, ordered after the work already queued on the device's legacy default stream and
// before the work queued there afterwards. weights: 6 per layer; keys/values: each layer's cache buffer
// [B, KV, capacity, D]; loraA/loraB/ranks: 7 per layer (0 = none), perRow for the [B, ...] per-row layout.
// Returns 0, or -1 with pf_last_error set (nothing was launched).
int pf_step(void* engine, int batch, int past, int capacity, int cosStride, int maskStride, const void* in, void* out,
            const void* cos, const void* sin, const void* mask, const uint64_t* weights, const uint64_t* keys,
            const uint64_t* values, const uint64_t* loraA, const uint64_t* loraB, const int* ranks, int perRow) {
  Engine* e = static_cast<Engine*>(engine);
  const Dims& m = e->dims;
  if (batch <= 0 || batch > m.maxBatch) {
    return refuse("batch " + std::to_string(batch) + " outside 1.." + std::to_string(m.maxBatch));
  }
  if (past < 0 || past >= capacity) return refuse("past " + std::to_string(past) + " outside the cache");
  bool withLora = false;
  for (int i = 0; i < kTargets * m.layers; i++) {
    if (loraA[i] != 0) {
      if (ranks[i] <= 0 || ranks[i] > m.maxRank) {
        return refuse("LoRA rank " + std::to_string(ranks[i]) + " outside 1.." + std::to_string(m.maxRank));
      }
      withLora = true;
    }
  }
  if (!check(cudaSetDevice(e->device), "cudaSetDevice")) return -1;
  std::vector<uint64_t> w(weights, weights + 6 * m.layers);
  if (w != e->weights) {  // the graphs bake the weights' addresses in (cuBLAS arguments)
    e->dropGraphs();
    e->weights = w;
  }
  // the previous step's table copy must be done before its staging buffer is overwritten
  if (!check(cudaEventSynchronize(e->copied), "event sync")) return -1;
  StepHeader* hd = reinterpret_cast<StepHeader*>(e->staging);
  *hd = StepHeader{static_cast<const __half*>(in), static_cast<__half*>(out), static_cast<const __half*>(cos),
                   static_cast<const __half*>(sin), cosStride, static_cast<const __half*>(mask), maskStride, past,
                   capacity};
  __half** k = reinterpret_cast<__half**>(e->staging + sizeof(StepHeader));
  for (int l = 0; l < m.layers; l++) {
    k[l] = reinterpret_cast<__half*>(keys[l]);
    k[m.layers + l] = reinterpret_cast<__half*>(values[l]);
  }
  Lora* lo = reinterpret_cast<Lora*>(k + 2 * m.layers);
  for (int i = 0; i < kTargets * m.layers; i++) {
    lo[i] = Lora{reinterpret_cast<const __half*>(loraA[i]), reinterpret_cast<const __half*>(loraB[i]),
                 loraA[i] == 0 ? 0 : ranks[i], perRow};
  }
  cudaGraphExec_t exec;
  if (!e->graph(batch, withLora, &exec)) return -1;
  bool ok = check(cudaEventRecord(e->ready, cudaStreamLegacy), "event record") &&
            check(cudaStreamWaitEvent(e->stream, e->ready, 0), "stream wait") &&
            check(cudaMemcpyAsync(e->table, e->staging, e->tableBytes, cudaMemcpyHostToDevice, e->stream), "copy") &&
            check(cudaEventRecord(e->copied, e->stream), "event record") &&
            check(cudaGraphLaunch(exec, e->stream), "graph launch") &&
            check(cudaEventRecord(e->done, e->stream), "event record") &&
            check(cudaStreamWaitEvent(cudaStreamLegacy, e->done, 0), "stream wait");
  return ok ? 0 : -1;
}

}  // extern "C"

// JNI for io.peftflow.core.model.NativeLlamaDecode: the same calls with DJL tensor handles (djl_tensors.h).
namespace {

// The device pointers of fp16 handles (0 stays 0); false with the error set when one is not a contiguous fp16 tensor.
bool pointers(JNIEnv* env, const jlong* handles, int n, uint64_t* out) {
  for (int i = 0; i < n; i++) {
    void* p;
    if (!djl_tensors::pointer(env, handles[i], djl_tensors::Dtype::kHalf, "input " + std::to_string(i), &p)) {
      return false;
    }
    out[i] = reinterpret_cast<uint64_t>(p);
  }
  return true;
}

}  // namespace

extern "C" {

JNIEXPORT jlong JNICALL Java_io_peftflow_core_model_NativeLlamaDecode_create(JNIEnv*, jclass, jint device, jint layers,
                                                                             jint hidden, jint heads, jint kvHeads,
                                                                             jint headDim, jint inter, jfloat eps,
                                                                             jint maxBatch, jint maxRank) {
  if (!djl_tensors::loadTorch()) return 0;
  return reinterpret_cast<jlong>(pf_create(device, layers, hidden, heads, kvHeads, headDim, inter, eps, maxBatch,
                                           maxRank));
}

JNIEXPORT jstring JNICALL Java_io_peftflow_core_model_NativeLlamaDecode_lastError(JNIEnv* env, jclass) {
  return djl_tensors::error(env);
}

JNIEXPORT void JNICALL Java_io_peftflow_core_model_NativeLlamaDecode_destroy(JNIEnv*, jclass, jlong engine) {
  pf_destroy(reinterpret_cast<void*>(engine));
}

// tensors: in, out, cos, sin, mask (0 = none), then weights (6 per layer), keys (L), values (L), loraA (7L), loraB (7L)
// as DJL handles. Null on success, else why nothing ran ("layout: ..." where an input's layout is not one it reads).
JNIEXPORT jstring JNICALL Java_io_peftflow_core_model_NativeLlamaDecode_launch(JNIEnv* env, jclass, jlong engine,
                                                                           jint batch, jint past, jint capacity,
                                                                           jint cosStride, jint maskStride,
                                                                           jlongArray tensors, jintArray ranks,
                                                                           jboolean perRow) {
  Engine* e = reinterpret_cast<Engine*>(engine);
  int layers = e->dims.layers;
  int n = env->GetArrayLength(tensors);
  if (n != 5 + 6 * layers + 2 * layers + 2 * kTargets * layers || env->GetArrayLength(ranks) != kTargets * layers) {
    fail("tensor list of " + std::to_string(n) + " for " + std::to_string(layers) + " layers");
    return djl_tensors::error(env);
  }
  std::vector<jlong> handles(n);
  std::vector<jint> r(kTargets * layers);
  env->GetLongArrayRegion(tensors, 0, n, handles.data());
  env->GetIntArrayRegion(ranks, 0, kTargets * layers, r.data());
  std::vector<uint64_t> p(n);
  if (!pointers(env, handles.data(), n, p.data())) return djl_tensors::error(env);
  const uint64_t* w = p.data() + 5;
  const uint64_t* k = w + 6 * layers;
  const uint64_t* v = k + layers;
  const uint64_t* a = v + layers;
  const uint64_t* b = a + kTargets * layers;
  int rc = pf_step(e, batch, past, capacity, cosStride, maskStride, (const void*)p[0], (void*)p[1], (const void*)p[2],
                   (const void*)p[3], (const void*)p[4], w, k, v, a, b, r.data(), perRow ? 1 : 0);
  return rc == 0 ? nullptr : djl_tensors::error(env);
}

}  // extern "C"
