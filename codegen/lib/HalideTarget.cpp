//===- HalideTarget.cpp - dyconv target names as Halide targets -----------===//

#include "HalideTarget.h"

#include "dyconv/Codegen/Codegen.h"

#include <utility>

namespace mlir::dyconv::codegen {

std::optional<Halide::Target> getHalideTarget(std::string_view name) {
  // Named CPU targets spell out their features so that they compile the same
  // code on every build machine. A CUDA target needs an explicit capability:
  // without one Halide emits PTX for sm_20, which current ptxas rejects.
  static constexpr std::pair<std::string_view, const char *> kTargets[] = {
      {"cpu", "host"},
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

std::optional<std::string> targetString(std::string_view name) {
  std::optional<Halide::Target> target = getHalideTarget(name);
  if (!target)
    return std::nullopt;
  return target->to_string();
}

} // namespace mlir::dyconv::codegen
