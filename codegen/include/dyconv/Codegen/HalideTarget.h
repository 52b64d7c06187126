//===- HalideTarget.h - Halide targets and device code ----------*- C++ -*-===//
//
// Maps dyconv's target names to Halide targets, and recovers the device code
// that Halide embeds in modules compiled for a GPU.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_CODEGEN_HALIDETARGET_H
#define DYCONV_CODEGEN_HALIDETARGET_H

#include "Halide.h"

#include <optional>
#include <string>
#include <string_view>

namespace mlir::dyconv::codegen {

/// Returns the Halide target that kernels for the dyconv target \p name are
/// compiled for, or std::nullopt if \p name is none of:
///   - "host": the CPU running the compiler, its features detected;
///   - "x86-64-avx2": x86-64 Linux with AVX2, FMA and F16C (Haswell on);
///   - "x86-64-avx512": the same plus AVX-512 F/CD/BW/DQ/VL (Skylake-SP on);
///   - "cuda", "cuda-sm80": the host CPU driving CUDA kernels for compute
///     capability 8.0, whose PTX the driver also JIT-compiles for newer GPUs;
///   - "cuda-sm86": the same for compute capability 8.6.
std::optional<Halide::Target> getHalideTarget(std::string_view name);

/// Returns the PTX of all CUDA kernels in \p module, a module compiled for a
/// CUDA target (e.g. by Pipeline::compile_to_module), without the terminating
/// NUL that Halide stores with it. Returns an empty string if the module has
/// no CUDA kernels.
std::string getEmbeddedPtx(const Halide::Module &module);

} // namespace mlir::dyconv::codegen

#endif // DYCONV_CODEGEN_HALIDETARGET_H
