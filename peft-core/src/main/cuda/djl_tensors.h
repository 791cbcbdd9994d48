// What the project's JNI CUDA libraries share: the error of the last failed call, reaching the libraries DJL loaded
// (libtorch, its JNI library, cuBLAS) by their file names, turning DJL tensor handles (pointers to at::Tensor) into
// device pointers through libtorch's exported at::TensorBase::data_ptr<T>(), which also refuses any other dtype, and
// libtorch's current CUDA stream for this thread. No libtorch headers: the build machine has none of the version DJL
// loads, so its C++ functions are called by their mangled names with types of the same layout.
#pragma once

#include <cuda_runtime.h>
#include <dlfcn.h>
#include <jni.h>

#include <cstdint>
#include <fstream>
#include <string>

namespace djl_tensors {

inline thread_local std::string lastError;

inline bool fail(const std::string& what) {
  lastError = what;
  return false;
}

inline bool check(cudaError_t e, const char* what) {
  return e == cudaSuccess || fail(std::string(what) + ": " + cudaGetErrorString(e));
}

// A loaded library whose file name contains part (and does not start with exclude), from /proc/self/maps: DJL names
// its copies with a hash or a version (libcublas-4cc45526.so.12, 0.33.0-libdjl_torch.so), so names are not known in
// advance.
inline void* loadedLibrary(const std::string& part, const std::string& exclude) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    size_t slash = line.find('/');
    if (slash == std::string::npos) continue;
    std::string path = line.substr(slash);
    std::string name = path.substr(path.rfind('/') + 1);
    if (name.find(part) != std::string::npos && (exclude.empty() || name.rfind(exclude, 0) != 0)) {
      void* h = dlopen(path.c_str(), RTLD_LAZY | RTLD_NOLOAD);
      if (h != nullptr) return h;
    }
  }
  return nullptr;
}

inline void* symbol(void* lib, const char* name) {
  void* s = dlsym(RTLD_DEFAULT, name);
  return s != nullptr || lib == nullptr ? s : dlsym(lib, name);
}

// The prefix of a refusal that is a layout a kernel does not read (the caller runs the step another way).
constexpr const char* kLayout = "layout: ";

enum class Dtype { kHalf, kFloat, kLong };

typedef void* (*DataPtr)(const void* tensor);
typedef jboolean (*IsContiguous)(JNIEnv*, jobject, jlong);

struct Torch {
  DataPtr half = nullptr;
  DataPtr single = nullptr;
  DataPtr int64 = nullptr;
  IsContiguous isContiguous = nullptr;
};

inline Torch torch;

inline bool loadTorch() {
  if (torch.half != nullptr && torch.single != nullptr && torch.int64 != nullptr && torch.isContiguous != nullptr) {
    return true;
  }
  void* cpu = loadedLibrary("libtorch_cpu.so", "");
  torch.half = (DataPtr)symbol(cpu, "_ZNK2at10TensorBase8data_ptrIN3c104HalfEEEPT_v");
  torch.single = (DataPtr)symbol(cpu, "_ZNK2at10TensorBase8data_ptrIfEEPT_v");
  torch.int64 = (DataPtr)symbol(cpu, "_ZNK2at10TensorBase8data_ptrIlEEPT_v");
  // DJL's own JNI entry
  void* djl = loadedLibrary("libdjl_torch", "");
  torch.isContiguous = djl == nullptr ? nullptr
      : (IsContiguous)dlsym(djl, "Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIsContiguous");
  return (torch.half != nullptr && torch.single != nullptr && torch.int64 != nullptr ||
          fail("libtorch's at::TensorBase::data_ptr<c10::Half> / <float> / <long> was not found")) &&
         (torch.isContiguous != nullptr || fail("DJL's torchIsContiguous was not found"));
}

// The device pointer of a contiguous tensor of the given dtype (a handle of 0 gives 0); false with the error set
// ("layout: ..." for a strided tensor) when it is not one.
inline bool pointer(JNIEnv* env, jlong handle, Dtype dtype, const std::string& name, void** out) {
  if (handle == 0) {
    *out = nullptr;
    return true;
  }
  if (!torch.isContiguous(env, nullptr, handle)) return fail(std::string(kLayout) + name + " is not contiguous");
  try {
    DataPtr of = dtype == Dtype::kHalf ? torch.half : dtype == Dtype::kFloat ? torch.single : torch.int64;
    *out = of(reinterpret_cast<const void*>(handle));
  } catch (...) {
    return fail(name + (dtype == Dtype::kHalf    ? " is not an fp16 tensor"
                        : dtype == Dtype::kFloat ? " is not an fp32 tensor"
                                                 : " is not an int64 tensor"));
  }
  return true;
}

// c10::cuda::CUDAStream's layout (a c10::Stream: Device {int8 type, int8 index} and an int64 id). Trivially copyable
// and 16 bytes, the C++ class is passed and returned in two registers, as this struct is.
struct TorchStream {
  int8_t type;
  int8_t index;
  int64_t id;
};

typedef TorchStream (*CurrentStream)(int8_t device);
typedef cudaStream_t (*StreamHandle)(const TorchStream* self);

struct Streams {
  CurrentStream current = nullptr;
  StreamHandle handle = nullptr;
};

inline Streams streams;

inline bool loadStreams() {
  if (streams.current != nullptr && streams.handle != nullptr) return true;
  void* c10 = loadedLibrary("libc10_cuda.so", "");
  streams.current = (CurrentStream)symbol(c10, "_ZN3c104cuda20getCurrentCUDAStreamEa");
  streams.handle = (StreamHandle)symbol(c10, "_ZNK3c104cuda10CUDAStream6streamEv");
  return streams.current != nullptr && streams.handle != nullptr ||
         fail("libc10_cuda's getCurrentCUDAStream / CUDAStream::stream was not found");
}

// The stream libtorch runs this thread's work on (the legacy default stream unless the caller set another, as a
// training step captured into a CUDA graph does): kernels launched there are ordered with the TorchScript calls
// around them.
inline bool currentStream(cudaStream_t* out) {
  if (!loadStreams()) return false;
  TorchStream s = streams.current(-1);
  *out = streams.handle(&s);
  return true;
}

inline jstring error(JNIEnv* env) { return env->NewStringUTF(lastError.c_str()); }

}  // namespace djl_tensors
