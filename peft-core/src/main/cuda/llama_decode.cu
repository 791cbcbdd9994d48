// A Llama decode step (one new token per row over a KV cache) as one CUDA graph: every layer's norm, q|k|v, RoPE,
// cache write, attention, o, SwiGLU MLP and LoRA updates replayed by one launch instead of ~1,000 TorchScript ops
// issued from the host. Why: a decode step of a 1B model is ~1 ms of GPU work behind ~10 ms of host issue; neither
// DJL nor TorchScript captures CUDA graphs (issue 25 item 7). Weights, the cache and LoRA pairs stay DJL's tensors:
// the engine reads them through their device pointers; what changes per step (the cache's buffers, the step's
// input, mask, RoPE rows, per-row LoRA pairs) is read from a small device table copied before each launch, so one
// graph per batch size serves every step. Numerics follow HF transformers' fp16 Llama (rounding to fp16 where it does).
#include <cuda_fp16.h>
#include <cuda_runtime.h>
#include <dlfcn.h>
#include <jni.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

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

thread_local std::string lastError;

bool fail(const std::string& what) {
  lastError = what;
  return false;
}

int refuse(const std::string& what) {
  lastError = what;
  return -1;
}

bool check(cudaError_t e, const char* what) {
  return e == cudaSuccess || fail(std::string(what) + ": " + cudaGetErrorString(e));
}

// A loaded library whose file name starts with prefix (not prefix + "Lt"), from /proc/self/maps: DJL names its
// copies with a hash (libcublas-4cc45526.so.12), so the name is not known in advance.
void* loadedLibrary(const std::string& prefix, const std::string& exclude) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    size_t slash = line.find('/');
    if (slash == std::string::npos) continue;
    std::string path = line.substr(slash);
    std::string name = path.substr(path.rfind('/') + 1);
    if (name.rfind(prefix, 0) == 0 && (exclude.empty() || name.rfind(exclude, 0) != 0)) {
      void* h = dlopen(path.c_str(), RTLD_LAZY | RTLD_NOLOAD);
      if (h != nullptr) return h;
    }
  }
  return nullptr;
}

void* symbol(void* lib, const char* name) {
  void* s = dlsym(RTLD_DEFAULT, name);
  return s != nullptr || lib == nullptr ? s : dlsym(lib, name);
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
// With w null the sum alone is written to out (the last layer's output).
__global__ void addNorm(const StepHeader* step, __half* h, const __half* delta, const __half* w, __half* x, int hidden,
                        float eps, int first, int last) {
  __shared__ float scratch[32];
  int b = blockIdx.x;
  __half* hr = h + (size_t)b * hidden;
  const __half* src = first ? step->in + (size_t)b * hidden : hr;
  float sq = 0.f;
  for (int i = threadIdx.x; i < hidden; i += blockDim.x) {
    float v = h2f(src[i]);
    if (!first) v += h2f(delta[(size_t)b * hidden + i]);
    __half r = f2h(v);
    if (last) {
      step->out[(size_t)b * hidden + i] = r;
    } else {
      hr[i] = r;
    }
    v = h2f(r);
    sq += v * v;
  }
  if (last) return;
  float rs = rsqrtf(blockSum(sq, scratch) / hidden + eps);
  for (int i = threadIdx.x; i < hidden; i += blockDim.x) {
    x[(size_t)b * hidden + i] = f2h(h2f(w[i]) * h2f(f2h(h2f(hr[i]) * rs)));
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

// One query per (row, head) over the row's cached columns 0..past: scores in fp32, online softmax per warp over its
// columns, warps merged at the end. DPL = head dim / 32 elements per lane.
template <int DPL>
__global__ void decodeAttention(const StepHeader* step, __half* const* keys, __half* const* values, int layer,
                                const __half* qkv, __half* att, int heads, int kvHeads) {
  constexpr int D = DPL * 32;
  constexpr int WARPS = 4;
  __shared__ float mS[WARPS], lS[WARPS], accS[WARPS][D];
  const StepHeader s = *step;
  int b = blockIdx.x, h = blockIdx.y, warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  int kvh = h / (heads / kvHeads);
  const __half* q = qkv + (size_t)b * (heads + 2 * kvHeads) * D + h * D;
  float scale = rsqrtf((float)D);
  float qv[DPL], acc[DPL];
  for (int j = 0; j < DPL; j++) {
    qv[j] = h2f(q[lane * DPL + j]);
    acc[j] = 0.f;
  }
  const __half* kc = keys[layer] + ((size_t)b * kvHeads + kvh) * s.capacity * D;
  const __half* vc = values[layer] + ((size_t)b * kvHeads + kvh) * s.capacity * D;
  const __half* mask = s.mask == nullptr ? nullptr : s.mask + (size_t)b * s.maskStride;
  float m = -INFINITY, l = 0.f;
  for (int c = warp; c <= s.past; c += WARPS) {
    // a dropped column (padding) is skipped, not weighted by exp(-30000): its keys may be anything, even NaN
    if (mask != nullptr && h2f(mask[c]) < -1e4f) continue;
    const __half* k = kc + (size_t)c * D + lane * DPL;
    float dot = 0.f;
    for (int j = 0; j < DPL; j++) dot += qv[j] * h2f(k[j]);
    for (int o = 16; o > 0; o >>= 1) dot += __shfl_xor_sync(0xffffffff, dot, o);
    float score = dot * scale;
    float mNew = fmaxf(m, score);
    float old = __expf(m - mNew), p = __expf(score - mNew);
    const __half* v = vc + (size_t)c * D + lane * DPL;
    for (int j = 0; j < DPL; j++) acc[j] = acc[j] * old + p * h2f(v[j]);
    l = l * old + p;
    m = mNew;
  }
  if (lane == 0) {
    mS[warp] = m;
    lS[warp] = l;
  }
  for (int j = 0; j < DPL; j++) accS[warp][lane * DPL + j] = acc[j];
  __syncthreads();
  if (warp == 0) {
    float mAll = -INFINITY;
    for (int w = 0; w < WARPS; w++) mAll = fmaxf(mAll, mS[w]);
    float lAll = 0.f, out[DPL] = {};
    for (int w = 0; w < WARPS; w++) {
      if (lS[w] == 0.f) continue;
      float f = __expf(mS[w] - mAll);
      lAll += lS[w] * f;
      for (int j = 0; j < DPL; j++) out[j] += accS[w][lane * DPL + j] * f;
    }
    __half* o = att + (size_t)b * heads * D + h * D + lane * DPL;
    for (int j = 0; j < DPL; j++) o[j] = f2h(out[j] / lAll);
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
__global__ void loraShrink(const Lora* loras, int first, int count, const __half* x, int in, float* t, int maxRank) {
  int b = blockIdx.x, target = blockIdx.y;
  if (target >= count) return;
  Lora p = loras[first + target];
  if (p.a == nullptr) return;
  const __half* xr = x + (size_t)b * in;
  int warp = threadIdx.x / 32, lane = threadIdx.x % 32, warps = blockDim.x / 32;
  for (int r = warp; r < p.rank; r += warps) {
    float sum = 0.f;
    if (p.perRow) {  // a [B, in, r]
      const __half* a = p.a + (size_t)b * in * p.rank + r;
      for (int i = lane; i < in; i += 32) sum += h2f(xr[i]) * h2f(a[(size_t)i * p.rank]);
    } else {  // a [r, in]
      const __half* a = p.a + (size_t)r * in;
      for (int i = lane; i < in; i += 32) sum += h2f(xr[i]) * h2f(a[i]);
    }
    for (int o = 16; o > 0; o >>= 1) sum += __shfl_xor_sync(0xffffffff, sum, o);
    if (lane == 0) t[((size_t)b * 3 + target) * maxRank + r] = h2f(f2h(sum));
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
                    workspace, (void*)table}) {
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
    const float one = 1.f, zero = 0.f;
    int r = cublas.gemm(handle, kOpT, kOpN, out, batch, inDim, &one, wt, kR16F, inDim, in, kR16F, inDim, &zero, y,
                        kR16F, out, kCompute32F, kGemmDefault);
    return r == 0 || fail("cublasGemmEx failed with status " + std::to_string(r));
  }

  bool lora(int layer, int first, int count, const __half* in, int inDim, __half* y, int width, int out0, int out1,
            int out2, int batch) {
    loraShrink<<<dim3(batch, count), 256, 0, stream>>>(loras(), layer * kTargets + first, count, in, inDim, t,
                                                       dims.maxRank);
    int total = out0 + out1 + out2;
    loraExpand<<<dim3((total + 255) / 256, batch), 256, 0, stream>>>(loras(), layer * kTargets + first, count, t,
                                                                     dims.maxRank, y, width, out0, out1, out2);
    return check(cudaGetLastError(), "a LoRA kernel");
  }

  // Every layer for `batch` rows, enqueued on the stream (captured into a graph by step).
  bool enqueue(int batch, bool withLora) {
    const Dims& m = dims;
    int qd = m.heads * m.headDim, kvd = m.kvHeads * m.headDim;
    for (int l = 0; l < m.layers; l++) {
      addNorm<<<batch, 256, 0, stream>>>(header(), h, d, w(l, 0), x, m.hidden, m.eps, l == 0, 0);
      if (!gemm(w(l, 1), x, qkv, batch, m.qkvOut(), m.hidden)) return false;
      if (withLora && !lora(l, Q, 3, x, m.hidden, qkv, m.qkvOut(), qd, kvd, kvd, batch)) return false;
      ropeCache<<<batch, 256, 0, stream>>>(header(), keys(), values(), l, qkv, m.heads, m.kvHeads, m.headDim);
      if (m.headDim == 64) {
        decodeAttention<2><<<dim3(batch, m.heads), 128, 0, stream>>>(header(), keys(), values(), l, qkv, att, m.heads,
                                                                   m.kvHeads);
      } else {
        decodeAttention<4><<<dim3(batch, m.heads), 128, 0, stream>>>(header(), keys(), values(), l, qkv, att, m.heads,
                                                                   m.kvHeads);
      }
      if (!gemm(w(l, 2), att, o, batch, m.hidden, qd)) return false;
      if (withLora && !lora(l, O, 1, att, qd, o, m.hidden, m.hidden, 0, 0, batch)) return false;
      addNorm<<<batch, 256, 0, stream>>>(header(), h, o, w(l, 3), x, m.hidden, m.eps, 0, 0);
      if (!gemm(w(l, 4), x, gu, batch, 2 * m.inter, m.hidden)) return false;
      if (withLora && !lora(l, GATE, 2, x, m.hidden, gu, 2 * m.inter, m.inter, m.inter, 0, batch)) return false;
      siluMul<<<(batch * m.inter + 255) / 256, 256, 0, stream>>>(gu, s, m.inter, batch);
      if (!gemm(w(l, 5), s, d, batch, m.hidden, m.inter)) return false;
      if (withLora && !lora(l, DOWN, 1, s, m.inter, d, m.hidden, m.hidden, 0, 0, batch)) return false;
    }
    addNorm<<<batch, 256, 0, stream>>>(header(), h, d, nullptr, nullptr, m.hidden, m.eps, 0, 1);
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
  if (layers <= 0 || heads % kvHeads != 0 || maxBatch <= 0 || maxRank <= 0) {
    fail("bad dimensions");
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
            allocate(&e->s, b * inter) && allocate(&e->d, b * hidden) && allocate(&e->t, b * 3 * maxRank);
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

// JNI for io.peftflow.core.model.NativeLlamaDecode: the same calls with DJL tensor handles (pointers to at::Tensor)
// turned into device pointers by libtorch's exported at::TensorBase::data_ptr<c10::Half>(), which also refuses any
// other dtype.
namespace {

typedef void* (*DataPtr)(const void* tensor);
DataPtr halfDataPtr = nullptr;

bool loadTorch() {
  if (halfDataPtr != nullptr) return true;
  void* lib = loadedLibrary("libtorch_cpu.so", "");
  halfDataPtr = (DataPtr)symbol(lib, "_ZNK2at10TensorBase8data_ptrIN3c104HalfEEEPT_v");
  return halfDataPtr != nullptr || fail("libtorch's at::TensorBase::data_ptr<c10::Half> was not found");
}

// The device pointers of handles (0 stays 0); false with the error set when one is not an fp16 tensor.
bool pointers(const jlong* handles, int n, uint64_t* out) {
  for (int i = 0; i < n; i++) {
    if (handles[i] == 0) {
      out[i] = 0;
      continue;
    }
    try {
      out[i] = reinterpret_cast<uint64_t>(halfDataPtr(reinterpret_cast<const void*>(handles[i])));
    } catch (...) {
      return fail("input " + std::to_string(i) + " is not an fp16 tensor");
    }
  }
  return true;
}

jstring error(JNIEnv* env) { return env->NewStringUTF(lastError.c_str()); }

}  // namespace

extern "C" {

JNIEXPORT jlong JNICALL Java_io_peftflow_core_model_NativeLlamaDecode_create(JNIEnv*, jclass, jint device, jint layers,
                                                                             jint hidden, jint heads, jint kvHeads,
                                                                             jint headDim, jint inter, jfloat eps,
                                                                             jint maxBatch, jint maxRank) {
  if (!loadTorch()) return 0;
  return reinterpret_cast<jlong>(pf_create(device, layers, hidden, heads, kvHeads, headDim, inter, eps, maxBatch,
                                           maxRank));
}

JNIEXPORT jstring JNICALL Java_io_peftflow_core_model_NativeLlamaDecode_lastError(JNIEnv* env, jclass) {
  return error(env);
}

JNIEXPORT void JNICALL Java_io_peftflow_core_model_NativeLlamaDecode_destroy(JNIEnv*, jclass, jlong engine) {
  pf_destroy(reinterpret_cast<void*>(engine));
}

// tensors: in, out, cos, sin, mask (0 = none), then weights (6 per layer), keys (L), values (L), loraA (7L), loraB (7L)
// as DJL handles. Null on success, else why nothing ran.
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
    return error(env);
  }
  std::vector<jlong> handles(n);
  std::vector<jint> r(kTargets * layers);
  env->GetLongArrayRegion(tensors, 0, n, handles.data());
  env->GetIntArrayRegion(ranks, 0, kTargets * layers, r.data());
  std::vector<uint64_t> p(n);
  if (!pointers(handles.data(), n, p.data())) return error(env);
  const uint64_t* w = p.data() + 5;
  const uint64_t* k = w + 6 * layers;
  const uint64_t* v = k + layers;
  const uint64_t* a = v + layers;
  const uint64_t* b = a + kTargets * layers;
  int rc = pf_step(e, batch, past, capacity, cosStride, maskStride, (const void*)p[0], (void*)p[1], (const void*)p[2],
                   (const void*)p[3], (const void*)p[4], w, k, v, a, b, r.data(), perRow ? 1 : 0);
  return rc == 0 ? nullptr : error(env);
}

}  // extern "C"
