// Fused elementwise kernels of the Llama training layer (io.peftflow.core.nn.NativeTrainKernels): RMSNorm, SwiGLU and
// RoPE forward and backward, each one pass over its rows where TorchScript runs 3 to 6 kernels, several of them on the
// strided halves of the fused gate|up or q|k|v projections that aten does not vectorise, and the loss's cross-entropy
// with its gradient over fp16 logits (one kernel for ~10 fp32 passes). Why: on an H100 the
// training step is GPU-bound and these kernels were ~40 % of its GPU time (docs/BENCHMARKS.md, issue 25). fp16
// activations, fp32 arithmetic, one rounding per output; launched on libtorch's current stream for the calling thread,
// so they are ordered with the TorchScript calls around them (and captured with them into a training step's graph).
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <string>

#include "djl_tensors.h"

namespace {

using djl_tensors::check;
using djl_tensors::Dtype;
using djl_tensors::fail;

constexpr int kThreads = 256;

__device__ __forceinline__ float blockSum(float v, float* shared) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffff, v, o);
  int warp = threadIdx.x / 32;
  if (threadIdx.x % 32 == 0) shared[warp] = v;
  __syncthreads();
  v = threadIdx.x < blockDim.x / 32 ? shared[threadIdx.x] : 0.f;
  if (warp == 0) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffff, v, o);
    if (threadIdx.x == 0) shared[0] = v;
  }
  __syncthreads();
  float total = shared[0];
  __syncthreads();
  return total;
}

// V consecutive fp16 values, loaded and stored as one access (16 bytes for V = 8).
template <int V>
struct alignas(2 * V) Vec {
  __half v[V];
};

template <int V>
__device__ __forceinline__ Vec<V> load(const __half* p) {
  return *reinterpret_cast<const Vec<V>*>(p);
}

template <int V>
__device__ __forceinline__ void store(__half* p, const Vec<V>& x) {
  *reinterpret_cast<Vec<V>*>(p) = x;
}

// y = w * (x / rms(x)) and r = 1 / rms(x) per row (rms over cols, eps inside the root), one block a row.
template <int V>
__global__ void rmsNormKernel(const __half* x, const __half* w, __half* y, float* r, int cols, float eps) {
  __shared__ float shared[32];
  int64_t base = (int64_t)blockIdx.x * cols;
  float ss = 0.f;
  for (int c = threadIdx.x * V; c < cols; c += blockDim.x * V) {
    Vec<V> xv = load<V>(x + base + c);
#pragma unroll
    for (int j = 0; j < V; j++) {
      float v = __half2float(xv.v[j]);
      ss += v * v;
    }
  }
  float inv = rsqrtf(blockSum(ss, shared) / cols + eps);
  if (threadIdx.x == 0) r[blockIdx.x] = inv;
  for (int c = threadIdx.x * V; c < cols; c += blockDim.x * V) {
    Vec<V> xv = load<V>(x + base + c), wv = load<V>(w + c), out;
#pragma unroll
    for (int j = 0; j < V; j++) out.v[j] = __float2half(__half2float(wv.v[j]) * (__half2float(xv.v[j]) * inv));
    store<V>(y + base + c, out);
  }
}

// dx = residual + g r - x (r^3 / cols) sum(g x), g = dy w s: the gradient of rmsNormKernel's y for dy times s (the fp32
// scalar *dyScale, 1 where null) plus the residual branch's (none where residual is null).
template <int V>
__global__ void rmsNormBackwardKernel(const __half* dy, const float* dyScale, const __half* x, const __half* w,
                                      const float* r, const __half* residual, __half* dx, int cols) {
  __shared__ float shared[32];
  int64_t base = (int64_t)blockIdx.x * cols;
  float scale = dyScale != nullptr ? *dyScale : 1.f;
  float dot = 0.f;
  for (int c = threadIdx.x * V; c < cols; c += blockDim.x * V) {
    Vec<V> dv = load<V>(dy + base + c), xv = load<V>(x + base + c), wv = load<V>(w + c);
#pragma unroll
    for (int j = 0; j < V; j++) dot += __half2float(dv.v[j]) * scale * __half2float(wv.v[j]) * __half2float(xv.v[j]);
  }
  float inv = r[blockIdx.x];
  float k = blockSum(dot, shared) * inv * inv * inv / cols;
  for (int c = threadIdx.x * V; c < cols; c += blockDim.x * V) {
    Vec<V> dv = load<V>(dy + base + c), xv = load<V>(x + base + c), wv = load<V>(w + c);
    Vec<V> rv, out;
    if (residual != nullptr) rv = load<V>(residual + base + c);
#pragma unroll
    for (int j = 0; j < V; j++) {
      float g = __half2float(dv.v[j]) * scale * __half2float(wv.v[j]);
      float res = residual != nullptr ? __half2float(rv.v[j]) : 0.f;
      out.v[j] = __float2half(res + g * inv - __half2float(xv.v[j]) * k);
    }
    store<V>(dx + base + c, out);
  }
}

__device__ __forceinline__ float sigmoid(float g) { return 1.f / (1.f + __expf(-g)); }

// s = silu(g) u from gu = [rows, 2 inter] (gate then up in each row), V values a thread.
template <int V>
__global__ void swigluKernel(const __half* gu, __half* s, int64_t rows, int inter) {
  int64_t groups = rows * (inter / V);
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < groups; i += (int64_t)gridDim.x * blockDim.x) {
    int64_t row = i / (inter / V);
    int col = (int)(i % (inter / V)) * V;
    Vec<V> gv = load<V>(gu + row * 2 * inter + col), uv = load<V>(gu + row * 2 * inter + inter + col), out;
#pragma unroll
    for (int j = 0; j < V; j++) {
      float g = __half2float(gv.v[j]);
      out.v[j] = __float2half(g * sigmoid(g) * __half2float(uv.v[j]));
    }
    store<V>(s + row * inter + col, out);
  }
}

// dgu = [ds u silu'(g), ds silu(g)] for s = silu(g) u.
template <int V>
__global__ void swigluBackwardKernel(const __half* ds, const __half* gu, __half* dgu, int64_t rows, int inter) {
  int64_t groups = rows * (inter / V);
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < groups; i += (int64_t)gridDim.x * blockDim.x) {
    int64_t row = i / (inter / V);
    int col = (int)(i % (inter / V)) * V;
    int64_t at = row * 2 * inter + col;
    Vec<V> gv = load<V>(gu + at), uv = load<V>(gu + at + inter), dv = load<V>(ds + row * inter + col), dg, du;
#pragma unroll
    for (int j = 0; j < V; j++) {
      float g = __half2float(gv.v[j]);
      float d = __half2float(dv.v[j]);
      float sg = sigmoid(g);
      dg.v[j] = __float2half(d * __half2float(uv.v[j]) * sg * (1.f + g * (1.f - sg)));
      du.v[j] = __float2half(d * g * sg);
    }
    store<V>(dgu + at, dg);
    store<V>(dgu + at + inter, du);
  }
}

// One head's V pairs at column c (of its D / 2) from x to out: x[i] cos[i] + x[i ± D/2] sinLow[i] into the first half,
// x[i + D/2] cos[i + D/2] + x[i] sinHigh[i] into the second. RoPE is (sinLow, sinHigh) = (ssin, ssin + D/2), ssin
// being sin with its first half negated; its transpose swaps them. Without cos, the pairs are copied.
template <int V>
__device__ void ropePairs(const __half* x, __half* out, const __half* cos, const __half* sinLow, const __half* sinHigh,
                          int c, int half) {
  Vec<V> lo = load<V>(x + c), hi = load<V>(x + c + half);
  if (cos == nullptr) {
    store<V>(out + c, lo);
    store<V>(out + c + half, hi);
    return;
  }
  Vec<V> cl = load<V>(cos + c), ch = load<V>(cos + c + half);
  Vec<V> sl = load<V>(sinLow + c), sh = load<V>(sinHigh + c), ol, oh;
#pragma unroll
  for (int j = 0; j < V; j++) {
    float a = __half2float(lo.v[j]), b = __half2float(hi.v[j]);
    ol.v[j] = __float2half(a * __half2float(cl.v[j]) + b * __half2float(sl.v[j]));
    oh.v[j] = __float2half(b * __half2float(ch.v[j]) + a * __half2float(sh.v[j]));
  }
  store<V>(out + c, ol);
  store<V>(out + c + half, oh);
}

// RoPE on the q and k heads of the fused projection qkv [rows, (qHeads + 2 kvHeads) D] (q, k, then v heads in each
// row, rows = B T): qk[row, h] = x cos + rotate_half(x) ssin for the q and k heads, written [rows, qHeads + kvHeads, D];
// the v heads copied to v [rows, kvHeads, D]. cos and ssin (sin with its first half negated) are [B|1, T, D]; cosBatch
// is T D, or 0 when one table serves every row of the batch. V of the D / 2 pairs a thread.
template <int V>
__global__ void ropeSplitKernel(const __half* qkv, const __half* cos, const __half* ssin, __half* qk, __half* v,
                                int64_t rows, int t, int64_t cosBatch, int qHeads, int kvHeads, int d) {
  int half = d / 2;
  int rotated = qHeads + kvHeads;
  int all = rotated + kvHeads;
  int64_t groups = rows * all * (half / V);
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < groups; i += (int64_t)gridDim.x * blockDim.x) {
    int c = (int)(i % (half / V)) * V;
    int64_t rest = i / (half / V);
    int h = (int)(rest % all);
    int64_t row = rest / all;
    const __half* x = qkv + row * (int64_t)all * d + (int64_t)h * d;
    int64_t at = (row / t) * cosBatch + (row % t) * (int64_t)d;
    if (h >= rotated) {
      ropePairs<V>(x, v + row * (int64_t)kvHeads * d + (int64_t)(h - rotated) * d, nullptr, nullptr, nullptr, c, half);
    } else {
      ropePairs<V>(x, qk + row * (int64_t)rotated * d + (int64_t)h * d, cos + at, ssin + at, ssin + at + half, c, half);
    }
  }
}

// The gradient of the fused projection from ropeSplitKernel's: dq [rows, qHeads, D] and dk [rows, kvHeads, D] (after
// RoPE) rotated back, dv [rows, kvHeads, D] copied, into dqkv [rows, (qHeads + 2 kvHeads) D]. With y = x cos +
// rotate_half(x) ssin: dx[i] = dy[i] cos[i] + dy[i + D/2] ssin[i + D/2], dx[i + D/2] = dy[i + D/2] cos[i + D/2] +
// dy[i] ssin[i].
template <int V>
__global__ void ropeBackwardKernel(const __half* dq, const __half* dk, const __half* dv, const __half* cos,
                                   const __half* ssin, __half* dqkv, int64_t rows, int t, int64_t cosBatch, int qHeads,
                                   int kvHeads, int d) {
  int half = d / 2;
  int all = qHeads + 2 * kvHeads;
  int64_t groups = rows * all * (half / V);
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < groups; i += (int64_t)gridDim.x * blockDim.x) {
    int c = (int)(i % (half / V)) * V;
    int64_t rest = i / (half / V);
    int h = (int)(rest % all);
    int64_t row = rest / all;
    __half* out = dqkv + row * (int64_t)all * d + (int64_t)h * d;
    int64_t at = (row / t) * cosBatch + (row % t) * (int64_t)d;
    if (h < qHeads) {
      ropePairs<V>(dq + row * (int64_t)qHeads * d + (int64_t)h * d, out, cos + at, ssin + at + half, ssin + at, c, half);
    } else if (h < qHeads + kvHeads) {
      ropePairs<V>(dk + row * (int64_t)kvHeads * d + (int64_t)(h - qHeads) * d, out, cos + at, ssin + at + half,
                   ssin + at, c, half);
    } else {
      ropePairs<V>(dv + row * (int64_t)kvHeads * d + (int64_t)(h - qHeads - kvHeads) * d, out, nullptr, nullptr, nullptr,
                   c, half);
    }
  }
}

// The running (max, sum of exp(x - max)) pairs of a block combined into the row's log-sum-exp (threads with no values
// hold max = -inf).
__device__ __forceinline__ void combine(float& m, float& s, float om, float os) {
  float n = fmaxf(m, om);
  if (n == -INFINITY) return;
  s = s * __expf(m - n) + os * __expf(om - n);
  m = n;
}

__device__ __forceinline__ float blockLogSumExp(float m, float s, float* sm, float* ss) {
  for (int o = 16; o > 0; o >>= 1) combine(m, s, __shfl_xor_sync(0xffffffff, m, o), __shfl_xor_sync(0xffffffff, s, o));
  int warp = threadIdx.x / 32;
  if (threadIdx.x % 32 == 0) {
    sm[warp] = m;
    ss[warp] = s;
  }
  __syncthreads();
  if (warp == 0) {
    bool has = threadIdx.x < blockDim.x / 32;
    m = has ? sm[threadIdx.x] : -INFINITY;
    s = has ? ss[threadIdx.x] : 0.f;
    for (int o = 16; o > 0; o >>= 1) {
      combine(m, s, __shfl_xor_sync(0xffffffff, m, o), __shfl_xor_sync(0xffffffff, s, o));
    }
    if (threadIdx.x == 0) sm[0] = m + logf(s);
  }
  __syncthreads();
  return sm[0];
}

// Cross-entropy of one row of fp16 logits [vocab] against its target (-100: not counted), one block a row: the row's
// loss (lse - x[target], 0 when not counted) into loss, and the row overwritten in place by its gradient times scale,
// (softmax - one-hot) * scale, rounded once to fp16 (0 when not counted). Two reads and one write of the fp16 row where
// the TorchScript chunk ran ~10 fp32 passes (cast, log-sum-exp, subtract, exp, scatter, multiply, cast back).
template <int V>
__global__ void crossEntropyGradKernel(__half* logits, const int64_t* target, float* loss, int vocab, float scale) {
  __shared__ float sm[32], ss[32];
  __half* x = logits + (int64_t)blockIdx.x * vocab;
  int64_t t = target[blockIdx.x];
  // a label outside the vocabulary cannot come from the tokenizer; it is not counted rather than read out of bounds
  bool keep = t >= 0 && t < vocab;
  float m = -INFINITY, sum = 0.f;
  for (int c = threadIdx.x * V; c < vocab; c += blockDim.x * V) {
    Vec<V> xv = load<V>(x + c);
#pragma unroll
    for (int j = 0; j < V; j++) combine(m, sum, __half2float(xv.v[j]), 1.f);
  }
  float lse = blockLogSumExp(m, sum, sm, ss);
  if (threadIdx.x == 0) loss[blockIdx.x] = keep ? lse - __half2float(x[t]) : 0.f;
  __syncthreads();  // x[t] is read before any thread overwrites it
  for (int c = threadIdx.x * V; c < vocab; c += blockDim.x * V) {
    Vec<V> xv = load<V>(x + c), out;
#pragma unroll
    for (int j = 0; j < V; j++) {
      float g = expf(__half2float(xv.v[j]) - lse) - (c + j == t ? 1.f : 0.f);
      out.v[j] = __float2half_rn(keep ? g * scale : 0.f);
    }
    store<V>(x + c, out);
  }
}

// The LoRA pairs of Linears whose outputs are one fused projection (q|k|v, gate|up), up to kMaxTargets: A_i [r_i, in]
// stacked as rows of a [R, in], and B_i [n_i, r_i] on the diagonal of b [N, R] (zeros elsewhere; a target without a
// pair has r_i = 0: its n_i rows of b are zeros). One launch where TorchScript's cat and block_diag ran five kernels.
constexpr int kMaxTargets = 3;

struct LoraTargets {
  const __half* a[kMaxTargets];
  const __half* b[kMaxTargets];
  int r[kMaxTargets];
  int64_t n[kMaxTargets];
};

__global__ void stackLoraKernel(LoraTargets t, __half* a, __half* b, int in, int ranks, int64_t outs) {
  int64_t aSize = (int64_t)ranks * in;
  int64_t total = aSize + outs * ranks;
  for (int64_t e = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; e < total; e += (int64_t)gridDim.x * blockDim.x) {
    if (e < aSize) {
      int row = (int)(e / in);
      int col = (int)(e % in);
      int i = 0;
      while (row >= t.r[i]) row -= t.r[i++];
      a[e] = t.a[i][(int64_t)row * in + col];
    } else {
      int64_t row = (e - aSize) / ranks;
      int col = (int)((e - aSize) % ranks);
      int i = 0, first = 0;
      while (row >= t.n[i]) {
        row -= t.n[i];
        first += t.r[i++];
      }
      b[e - aSize] = col >= first && col < first + t.r[i] ? t.b[i][row * t.r[i] + col - first] : __float2half(0.f);
    }
  }
}

// A step's statistics from the gradients' norms (fp32 [n]) and the summed loss, one block: stats = [loss, norm] with
// norm = sqrt(sum norms^2) * unscale, found_inf = 1 when either is not finite, grad_scale = 1 / (clip * unscale) with
// clip = max_norm / (norm + 1e-6) where norm > max_norm > 0, else 1. One launch where TorchScript ran 26 one-element
// kernels (kernels.py step_stats, whose arithmetic this follows).
__global__ void stepStatsKernel(const float* norms, int n, const float* lossSum, const float* unscale, float maxNorm,
                                float* stats, float* gradScale, float* foundInf) {
  __shared__ float shared[32];
  float ss = 0.f;
  for (int i = threadIdx.x; i < n; i += blockDim.x) ss += norms[i] * norms[i];
  float norm = sqrtf(blockSum(ss, shared)) * *unscale;
  if (threadIdx.x == 0) {
    float loss = *lossSum;
    float clip = maxNorm > 0.f && norm > maxNorm ? (1.f / (norm + 1e-6f)) * maxNorm : 1.f;
    stats[0] = loss;
    stats[1] = norm;
    *foundInf = isfinite(norm) && isfinite(loss) ? 0.f : 1.f;
    *gradScale = 1.f / (clip * *unscale);
  }
}

int blocksFor(int64_t work) {
  int64_t blocks = (work + kThreads - 1) / kThreads;
  return (int)(blocks < 65536 ? (blocks < 1 ? 1 : blocks) : 65536);
}

struct Pointers {
  void* p[8] = {};
  int n = 0;
  cudaStream_t stream = nullptr;
  // 16-byte accesses need every tensor 16-byte aligned and rows of a multiple of 8 values
  bool wide(int64_t width) const {
    if (width % 8 != 0) return false;
    for (int i = 0; i < n; i++) {
      if (reinterpret_cast<uintptr_t>(p[i]) % 16 != 0) return false;
    }
    return true;
  }
};

// The device pointers of handles (dtypes in order) and the stream to launch on; false with the error set.
bool pointers(JNIEnv* env, jlongArray handles, int count, const Dtype* dtypes, const char* const* names,
              Pointers* out) {
  if (!djl_tensors::loadTorch() || !djl_tensors::currentStream(&out->stream)) return false;
  int n = env->GetArrayLength(handles);
  if (n != count) return fail("expected " + std::to_string(count) + " tensors, got " + std::to_string(n));
  jlong h[8];
  if (n > 8) return fail("at most 8 tensors");
  env->GetLongArrayRegion(handles, 0, n, h);
  for (int i = 0; i < n; i++) {
    if (!djl_tensors::pointer(env, h[i], dtypes[i], names[i], &out->p[i])) return false;
  }
  out->n = n;
  return true;
}

bool pointers(JNIEnv* env, jlongArray handles, std::initializer_list<Dtype> dtypes,
              std::initializer_list<const char*> names, Pointers* out) {
  return pointers(env, handles, (int)dtypes.size(), dtypes.begin(), names.begin(), out);
}

jstring launched(JNIEnv* env) {
  return check(cudaGetLastError(), "kernel launch") ? nullptr : djl_tensors::error(env);
}

}  // namespace

extern "C" {

// tensors: x, w, y (fp16), r (fp32); rows x cols. Null on success, else why nothing ran.
JNIEXPORT jstring JNICALL Java_io_peftflow_core_nn_NativeTrainKernels_rmsNorm(JNIEnv* env, jclass, jlongArray tensors,
                                                                              jlong rows, jint cols, jfloat eps) {
  Pointers t;
  if (!pointers(env, tensors, {Dtype::kHalf, Dtype::kHalf, Dtype::kHalf, Dtype::kFloat}, {"x", "weight", "y", "r"},
                &t)) {
    return djl_tensors::error(env);
  }
  auto x = (const __half*)t.p[0];
  auto w = (const __half*)t.p[1];
  auto y = (__half*)t.p[2];
  auto r = (float*)t.p[3];
  if (t.wide(cols)) {
    rmsNormKernel<8><<<(unsigned)rows, kThreads, 0, t.stream>>>(x, w, y, r, cols, eps);
  } else {
    rmsNormKernel<1><<<(unsigned)rows, kThreads, 0, t.stream>>>(x, w, y, r, cols, eps);
  }
  return launched(env);
}

// tensors: dy, x, w (fp16), r (fp32), residual (0: none), dx (fp16), dy's scale (0-d fp32; 0: none).
JNIEXPORT jstring JNICALL Java_io_peftflow_core_nn_NativeTrainKernels_rmsNormBackward(JNIEnv* env, jclass,
                                                                                      jlongArray tensors, jlong rows,
                                                                                      jint cols) {
  Pointers t;
  if (!pointers(env, tensors,
                {Dtype::kHalf, Dtype::kHalf, Dtype::kHalf, Dtype::kFloat, Dtype::kHalf, Dtype::kHalf, Dtype::kFloat},
                {"dy", "x", "weight", "r", "residual", "dx", "dy scale"}, &t)) {
    return djl_tensors::error(env);
  }
  auto dy = (const __half*)t.p[0];
  auto x = (const __half*)t.p[1];
  auto w = (const __half*)t.p[2];
  auto r = (const float*)t.p[3];
  auto residual = (const __half*)t.p[4];
  auto dx = (__half*)t.p[5];
  auto scale = (const float*)t.p[6];
  if (t.wide(cols)) {
    rmsNormBackwardKernel<8><<<(unsigned)rows, kThreads, 0, t.stream>>>(dy, scale, x, w, r, residual, dx, cols);
  } else {
    rmsNormBackwardKernel<1><<<(unsigned)rows, kThreads, 0, t.stream>>>(dy, scale, x, w, r, residual, dx, cols);
  }
  return launched(env);
}

// tensors: gu [rows, 2 inter], s [rows, inter].
JNIEXPORT jstring JNICALL Java_io_peftflow_core_nn_NativeTrainKernels_swiglu(JNIEnv* env, jclass, jlongArray tensors,
                                                                             jlong rows, jint inter) {
  Pointers t;
  if (!pointers(env, tensors, {Dtype::kHalf, Dtype::kHalf}, {"gate_up", "s"}, &t)) return djl_tensors::error(env);
  auto gu = (const __half*)t.p[0];
  auto s = (__half*)t.p[1];
  if (t.wide(inter)) {
    swigluKernel<8><<<blocksFor(rows * inter / 8), kThreads, 0, t.stream>>>(gu, s, rows, inter);
  } else {
    swigluKernel<1><<<blocksFor(rows * inter), kThreads, 0, t.stream>>>(gu, s, rows, inter);
  }
  return launched(env);
}

// tensors: ds [rows, inter], gu [rows, 2 inter], dgu [rows, 2 inter].
JNIEXPORT jstring JNICALL Java_io_peftflow_core_nn_NativeTrainKernels_swigluBackward(JNIEnv* env, jclass,
                                                                                     jlongArray tensors, jlong rows,
                                                                                     jint inter) {
  Pointers t;
  if (!pointers(env, tensors, {Dtype::kHalf, Dtype::kHalf, Dtype::kHalf}, {"ds", "gate_up", "dgate_up"}, &t)) {
    return djl_tensors::error(env);
  }
  auto ds = (const __half*)t.p[0];
  auto gu = (const __half*)t.p[1];
  auto dgu = (__half*)t.p[2];
  if (t.wide(inter)) {
    swigluBackwardKernel<8><<<blocksFor(rows * inter / 8), kThreads, 0, t.stream>>>(ds, gu, dgu, rows, inter);
  } else {
    swigluBackwardKernel<1><<<blocksFor(rows * inter), kThreads, 0, t.stream>>>(ds, gu, dgu, rows, inter);
  }
  return launched(env);
}

// tensors: qkv [rows, (qHeads + 2 kvHeads) D], cos, ssin [B|1, T, D], qk [rows, qHeads + kvHeads, D], v [rows, kvHeads, D].
JNIEXPORT jstring JNICALL Java_io_peftflow_core_nn_NativeTrainKernels_ropeSplit(JNIEnv* env, jclass, jlongArray tensors,
                                                                                jlong rows, jint t, jlong cosBatch,
                                                                                jint qHeads, jint kvHeads, jint d) {
  Pointers p;
  if (!pointers(env, tensors, {Dtype::kHalf, Dtype::kHalf, Dtype::kHalf, Dtype::kHalf, Dtype::kHalf},
                {"qkv", "cos", "sin", "qk", "v"}, &p)) {
    return djl_tensors::error(env);
  }
  auto qkv = (const __half*)p.p[0];
  auto cos = (const __half*)p.p[1];
  auto ssin = (const __half*)p.p[2];
  auto qk = (__half*)p.p[3];
  auto v = (__half*)p.p[4];
  int64_t pairs = rows * (qHeads + 2 * kvHeads) * (d / 2);
  if (p.wide(d / 2)) {
    ropeSplitKernel<8><<<blocksFor(pairs / 8), kThreads, 0, p.stream>>>(qkv, cos, ssin, qk, v, rows, t,
                                                                               cosBatch, qHeads, kvHeads, d);
  } else {
    ropeSplitKernel<1><<<blocksFor(pairs), kThreads, 0, p.stream>>>(qkv, cos, ssin, qk, v, rows, t, cosBatch,
                                                                           qHeads, kvHeads, d);
  }
  return launched(env);
}

// tensors: dq [rows, qHeads, D], dk, dv [rows, kvHeads, D], cos, ssin [B|1, T, D], dqkv [rows, (qHeads + 2 kvHeads) D].
JNIEXPORT jstring JNICALL Java_io_peftflow_core_nn_NativeTrainKernels_ropeBackward(JNIEnv* env, jclass,
                                                                                   jlongArray tensors, jlong rows,
                                                                                   jint t, jlong cosBatch, jint qHeads,
                                                                                   jint kvHeads, jint d) {
  Pointers p;
  if (!pointers(env, tensors, {Dtype::kHalf, Dtype::kHalf, Dtype::kHalf, Dtype::kHalf, Dtype::kHalf, Dtype::kHalf},
                {"dq", "dk", "dv", "cos", "sin", "dqkv"}, &p)) {
    return djl_tensors::error(env);
  }
  auto dq = (const __half*)p.p[0];
  auto dk = (const __half*)p.p[1];
  auto dv = (const __half*)p.p[2];
  auto cos = (const __half*)p.p[3];
  auto ssin = (const __half*)p.p[4];
  auto dqkv = (__half*)p.p[5];
  int64_t pairs = rows * (qHeads + 2 * kvHeads) * (d / 2);
  if (p.wide(d / 2)) {
    ropeBackwardKernel<8><<<blocksFor(pairs / 8), kThreads, 0, p.stream>>>(dq, dk, dv, cos, ssin, dqkv, rows,
                                                                                  t, cosBatch, qHeads, kvHeads, d);
  } else {
    ropeBackwardKernel<1><<<blocksFor(pairs), kThreads, 0, p.stream>>>(dq, dk, dv, cos, ssin, dqkv, rows, t,
                                                                              cosBatch, qHeads, kvHeads, d);
  }
  return launched(env);
}

// tensors: logits [rows, vocab] (fp16, overwritten by the gradient times scale), target [>= offset + rows] (int64),
// loss [rows] (fp32); the rows' targets start at target[offset].
JNIEXPORT jstring JNICALL Java_io_peftflow_core_nn_NativeTrainKernels_crossEntropyGrad(JNIEnv* env, jclass,
                                                                                       jlongArray tensors, jlong rows,
                                                                                       jint vocab, jlong offset,
                                                                                       jfloat scale) {
  Pointers p;
  if (!pointers(env, tensors, {Dtype::kHalf, Dtype::kLong, Dtype::kFloat}, {"logits", "target", "loss"}, &p)) {
    return djl_tensors::error(env);
  }
  auto logits = (__half*)p.p[0];
  auto target = (const int64_t*)p.p[1] + offset;
  auto loss = (float*)p.p[2];
  if (p.wide(vocab)) {
    crossEntropyGradKernel<8><<<(unsigned)rows, 1024, 0, p.stream>>>(logits, target, loss, vocab, scale);
  } else {
    crossEntropyGradKernel<1><<<(unsigned)rows, 1024, 0, p.stream>>>(logits, target, loss, vocab, scale);
  }
  return launched(env);
}

// tensors: A_i [r_i, in], B_i [n_i, r_i] for each of the targets (0, 0 for a target without a pair), then a [R, in],
// b [N, R]; ranks / outs: each target's r_i (0: none) and n_i.
JNIEXPORT jstring JNICALL Java_io_peftflow_core_nn_NativeTrainKernels_stackLora(JNIEnv* env, jclass, jlongArray tensors,
                                                                                jintArray ranks, jlongArray outs,
                                                                                jint in) {
  int count = env->GetArrayLength(ranks);
  if (count < 1 || count > kMaxTargets || env->GetArrayLength(outs) != count) {
    djl_tensors::fail("1 to " + std::to_string(kMaxTargets) + " targets, with as many output sizes");
    return djl_tensors::error(env);
  }
  const Dtype half[8] = {Dtype::kHalf, Dtype::kHalf, Dtype::kHalf, Dtype::kHalf,
                         Dtype::kHalf, Dtype::kHalf, Dtype::kHalf, Dtype::kHalf};
  const char* names[3][8] = {{"a0", "b0", "a", "b"}, {"a0", "b0", "a1", "b1", "a", "b"},
                             {"a0", "b0", "a1", "b1", "a2", "b2", "a", "b"}};
  Pointers p;
  bool ok = pointers(env, tensors, 2 * count + 2, half, names[count - 1], &p);
  if (!ok) return djl_tensors::error(env);
  LoraTargets t{};
  jint r[kMaxTargets];
  jlong n[kMaxTargets];
  env->GetIntArrayRegion(ranks, 0, count, r);
  env->GetLongArrayRegion(outs, 0, count, n);
  int total = 0;
  int64_t rows = 0;
  for (int i = 0; i < count; i++) {
    t.a[i] = (const __half*)p.p[2 * i];
    t.b[i] = (const __half*)p.p[2 * i + 1];
    t.r[i] = r[i];
    t.n[i] = n[i];
    total += r[i];
    rows += n[i];
  }
  // the loops' sentinels: a row past the last target's stops there
  for (int i = count; i < kMaxTargets; i++) {
    t.r[i] = 1 << 30;
    t.n[i] = int64_t(1) << 62;
  }
  auto a = (__half*)p.p[2 * count];
  auto b = (__half*)p.p[2 * count + 1];
  stackLoraKernel<<<blocksFor(((int64_t)total * in + rows * total) / 4), kThreads, 0, p.stream>>>(t, a, b, in, total,
                                                                                                 rows);
  return launched(env);
}

// tensors: norms [n], loss sum (0-d), unscale (0-d), stats [2], grad scale (0-d), found_inf (0-d), all fp32.
JNIEXPORT jstring JNICALL Java_io_peftflow_core_nn_NativeTrainKernels_stepStats(JNIEnv* env, jclass, jlongArray tensors,
                                                                                jint n, jfloat maxNorm) {
  Pointers p;
  if (!pointers(env, tensors, {Dtype::kFloat, Dtype::kFloat, Dtype::kFloat, Dtype::kFloat, Dtype::kFloat,
                               Dtype::kFloat}, {"norms", "loss sum", "unscale", "stats", "grad scale", "found_inf"}, &p)) {
    return djl_tensors::error(env);
  }
  stepStatsKernel<<<1, kThreads, 0, p.stream>>>((const float*)p.p[0], n, (const float*)p.p[1], (const float*)p.p[2],
                                                maxNorm, (float*)p.p[3], (float*)p.p[4], (float*)p.p[5]);
  return launched(env);
}

}  // extern "C"
