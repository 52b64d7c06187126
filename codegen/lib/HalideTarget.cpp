//===- HalideTarget.cpp - Halide targets and device code ------------------===//

#include "dyconv/Codegen/HalideTarget.h"

#include <utility>

namespace mlir::dyconv::codegen {

std::optional<Halide::Target> getHalideTarget(std::string_view name) {
  // Named CPU targets spell out their features so that they compile the same
  // code on every build machine. A CUDA target needs an explicit capability:
  // without one Halide emits PTX for sm_20, which current ptxas rejects.
  static constexpr std::pair<std::string_view, const char *> kTargets[] = {
      {"host", "host"},
      {"x86-64-avx2", "x86-64-linux-sse41-avx-avx2-fma-f16c"},
      {"x86-64-avx512",
       "x86-64-linux-sse41-avx-avx2-fma-f16c-avx512-avx512_skylake"},
      {"cuda", "host-cuda-cuda_capability_80"},
      {"cuda-sm80", "host-cuda-cuda_capability_80"},
      {"cuda-sm86", "host-cuda-cuda_capability_86"},
  };
  for (const auto &[known, halideName] : kTargets)
    if (name == known)
      return Halide::Target(halideName);
  return std::nullopt;
}

std::string getEmbeddedPtx(const Halide::Module &module) {
  // Halide lowers all CUDA kernels of a module into one PTX text, stored as a
  // NUL-terminated byte buffer that its CUDA runtime hands to the driver.
  for (const Halide::Buffer<> &buffer : module.buffers()) {
    if (buffer.name() != "cuda_gpu_source_kernels")
      continue;
    std::string_view bytes(static_cast<const char *>(buffer.data()),
                           buffer.size_in_bytes());
    return std::string(bytes.substr(0, bytes.find('\0')));
  }
  return {};
}

} // namespace mlir::dyconv::codegen
