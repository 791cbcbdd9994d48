// CUDA graphs of libtorch work for io.peftflow.core.nn.CudaGraph: a training step's ~1,200 kernels replayed by one
// launch, so the GPU stops waiting for the host that issues them (docs/BENCHMARKS.md, issue 25). libtorch's own
// at::cuda::CUDAGraph does the capture, because only it routes the step's allocations into a private memory pool
// that stays reserved for replays; it is called through its exported mangled names (see djl_tensors.h), as are the
// c10 stream functions: a capture must run on a stream other than the legacy default one, so the calling thread's
// current stream is switched to one of libtorch's pool streams while it captures (replays run on the current stream).
#include <cuda_runtime.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>

#include "djl_tensors.h"

namespace {

using djl_tensors::check;
using djl_tensors::fail;
using djl_tensors::TorchStream;
using MempoolId = std::pair<unsigned long long, unsigned long long>;

struct TorchGraphs {
  void (*construct)(void* self) = nullptr;
  void (*destruct)(void* self) = nullptr;
  void (*captureBegin)(void* self, MempoolId pool, cudaStreamCaptureMode mode) = nullptr;
  void (*captureEnd)(void* self) = nullptr;
  void (*replay)(void* self) = nullptr;
  MempoolId (*pool)(void* self) = nullptr;
  TorchStream (*fromPool)(bool highPriority, int8_t device) = nullptr;
  TorchStream (*defaultStream)(int8_t device) = nullptr;
  void (*setCurrent)(TorchStream stream) = nullptr;
};

TorchGraphs torch;

// at::cuda::CUDAGraph is ~150 bytes in libtorch 2.5.1 (two handles, flags, ids, a stream, a hash map): the object
// lives in a block of this size, zeroed, constructed and destroyed by libtorch's own functions.
constexpr size_t kGraphBytes = 4096;

bool load() {
  if (torch.setCurrent != nullptr) return true;
  void* cuda = djl_tensors::loadedLibrary("libtorch_cuda.so", "");
  void* c10 = djl_tensors::loadedLibrary("libc10_cuda.so", "");
  using djl_tensors::symbol;
  torch.construct = (decltype(torch.construct))symbol(cuda, "_ZN2at4cuda9CUDAGraphC1Ev");
  torch.destruct = (decltype(torch.destruct))symbol(cuda, "_ZN2at4cuda9CUDAGraphD1Ev");
  torch.captureBegin = (decltype(torch.captureBegin))symbol(
      cuda, "_ZN2at4cuda9CUDAGraph13capture_beginESt4pairIyyE21cudaStreamCaptureMode");
  torch.captureEnd = (decltype(torch.captureEnd))symbol(cuda, "_ZN2at4cuda9CUDAGraph11capture_endEv");
  torch.replay = (decltype(torch.replay))symbol(cuda, "_ZN2at4cuda9CUDAGraph6replayEv");
  torch.pool = (decltype(torch.pool))symbol(cuda, "_ZN2at4cuda9CUDAGraph4poolEv");
  torch.fromPool = (decltype(torch.fromPool))symbol(c10, "_ZN3c104cuda17getStreamFromPoolEba");
  torch.defaultStream = (decltype(torch.defaultStream))symbol(c10, "_ZN3c104cuda20getDefaultCUDAStreamEa");
  auto setCurrent = (decltype(torch.setCurrent))symbol(c10, "_ZN3c104cuda20setCurrentCUDAStreamENS0_10CUDAStreamE");
  if (torch.construct == nullptr || torch.destruct == nullptr || torch.captureBegin == nullptr ||
      torch.captureEnd == nullptr || torch.replay == nullptr || torch.pool == nullptr || torch.fromPool == nullptr ||
      torch.defaultStream == nullptr || setCurrent == nullptr) {
    return fail("libtorch's at::cuda::CUDAGraph or c10's stream functions were not found (libtorch 2.5.1 names)");
  }
  torch.setCurrent = setCurrent;
  return djl_tensors::loadStreams();
}

// libtorch reports failures as C++ exceptions (c10::Error: the message, then a backtrace): the first line is kept.
template <typename F>
bool guarded(const char* what, F f) {
  try {
    f();
    return true;
  } catch (const std::exception& e) {
    std::string m = e.what();
    size_t nl = m.find('\n');
    return fail(std::string(what) + ": " + (nl == std::string::npos ? m : m.substr(0, nl)));
  } catch (...) {
    return fail(std::string(what) + ": an exception that is not a std::exception");
  }
}

jstring result(JNIEnv* env, bool ok) { return ok ? nullptr : djl_tensors::error(env); }

}  // namespace

extern "C" {

// Waits for the device, then makes this thread's side stream its current stream: one of libtorch's pool streams
// (non-blocking, so never implicitly ordered with the legacy stream: hence the wait), the same one for every capture
// of the thread, as cuBLAS keeps a workspace per stream.
JNIEXPORT jstring JNICALL Java_io_peftflow_core_nn_CudaGraph_enterSideStream(JNIEnv* env, jclass) {
  thread_local TorchStream side{};
  thread_local bool hasSide = false;
  bool ok = load() && check(cudaDeviceSynchronize(), "synchronize before the side stream") &&
            guarded("side stream", [] {
              if (!hasSide) {
                side = torch.fromPool(false, -1);
                hasSide = true;
              }
              torch.setCurrent(side);
            });
  return result(env, ok);
}

// Waits for this thread's current stream, then makes the default stream current again.
JNIEXPORT jstring JNICALL Java_io_peftflow_core_nn_CudaGraph_leaveSideStream(JNIEnv* env, jclass) {
  cudaStream_t current = nullptr;
  bool ok = load() && djl_tensors::currentStream(&current) &&
            check(cudaStreamSynchronize(current), "synchronize the side stream") &&
            guarded("default stream", [] { torch.setCurrent(torch.defaultStream(-1)); });
  return result(env, ok);
}

// handle[0] = a new, empty at::cuda::CUDAGraph.
JNIEXPORT jstring JNICALL Java_io_peftflow_core_nn_CudaGraph_create(JNIEnv* env, jclass, jlongArray handle) {
  if (!load()) return djl_tensors::error(env);
  void* block = std::calloc(1, kGraphBytes);
  if (block == nullptr) return result(env, fail("out of host memory for a CUDA graph"));
  if (!guarded("CUDAGraph()", [block] { torch.construct(block); })) {
    std::free(block);
    return djl_tensors::error(env);
  }
  jlong h = reinterpret_cast<jlong>(block);
  env->SetLongArrayRegion(handle, 0, 1, &h);
  return nullptr;
}

// Starts capturing this thread's current stream into graph (global mode: a synchronising call anywhere fails the
// capture instead of silently running once); its allocations go to the memory pool of shareWith's capture where that
// is not 0, so graphs replayed one at a time share their intermediates' memory.
JNIEXPORT jstring JNICALL Java_io_peftflow_core_nn_CudaGraph_captureBegin(JNIEnv* env, jclass, jlong graph,
                                                                          jlong shareWith) {
  void* g = reinterpret_cast<void*>(graph);
  void* other = reinterpret_cast<void*>(shareWith);
  return result(env, load() && guarded("capture_begin", [g, other] {
                       torch.captureBegin(g, other == nullptr ? MempoolId{0, 0} : torch.pool(other),
                                          cudaStreamCaptureModeGlobal);
                     }));
}

JNIEXPORT jstring JNICALL Java_io_peftflow_core_nn_CudaGraph_captureEnd(JNIEnv* env, jclass, jlong graph) {
  void* g = reinterpret_cast<void*>(graph);
  return result(env, load() && guarded("capture_end", [g] { torch.captureEnd(g); }));
}

JNIEXPORT jstring JNICALL Java_io_peftflow_core_nn_CudaGraph_replay(JNIEnv* env, jclass, jlong graph) {
  void* g = reinterpret_cast<void*>(graph);
  return result(env, load() && guarded("replay", [g] { torch.replay(g); }));
}

// Destroys the graph (its memory pool goes back to libtorch's cache once no tensor of it is alive).
JNIEXPORT jstring JNICALL Java_io_peftflow_core_nn_CudaGraph_destroy(JNIEnv* env, jclass, jlong graph) {
  void* g = reinterpret_cast<void*>(graph);
  bool ok = load() && guarded("~CUDAGraph", [g] { torch.destruct(g); });
  std::free(g);
  return result(env, ok);
}

}  // extern "C"
