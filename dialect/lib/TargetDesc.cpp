//===- TargetDesc.cpp - what the compiler knows of a target ---------------===//

#include "dyconv/Dialect/TargetDesc.h"

namespace mlir::dyconv {
namespace {

// Named CPU targets spell out their features so that they compile the same
// code on every build machine. A CUDA target needs an explicit capability:
// without one Halide emits PTX for sm_20, which current ptxas rejects.
const TargetDesc kAvx2 = {"x86-64-avx2", "x86-64-linux-sse41-avx-avx2-fma-f16c",
                          8, 16, false};
const TargetDesc kAvx512 = {
    "x86-64-avx512",
    "x86-64-linux-sse41-avx-avx2-fma-f16c-avx512-avx512_skylake", 16, 32,
    false};
const TargetDesc kCudaSm80 = {"cuda-sm80", "host-cuda-cuda_capability_80", 32,
                              0, true};
const TargetDesc kCudaSm86 = {"cuda-sm86", "host-cuda-cuda_capability_86", 32,
                              0, true};

/// This machine: its widest vectors, compiled for every feature it has.
TargetDesc host() {
  TargetDesc target = __builtin_cpu_supports("avx512f") ? kAvx512 : kAvx2;
  target.halideTarget = "host";
  return target;
}

} // namespace

std::optional<TargetDesc> lookupTarget(llvm::StringRef name) {
  if (name == "cpu" || name == "host")
    return host();
  for (const TargetDesc &target : {kAvx2, kAvx512, kCudaSm80, kCudaSm86})
    if (name == target.name)
      return target;
  if (name == "cuda")
    return kCudaSm80;
  return std::nullopt;
}

} // namespace mlir::dyconv
