//===- TargetDesc.h - what the compiler knows of a target -------*- C++ -*-===//
//
// The targets dyconv compiles for, by name: what the decision passes need
// (vector width, register count: the layouts and register tiles they choose)
// and the Halide target codegen compiles for. One table, so that a name
// means the same to the passes and to codegen.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_DIALECT_TARGETDESC_H
#define DYCONV_DIALECT_TARGETDESC_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace mlir::dyconv {

struct TargetDesc {
  /// The dyconv name, e.g. "x86-64-avx512"; "cpu" resolves to the host's.
  std::string name;
  /// The Halide target string the kernels are compiled for ("host" detects
  /// the features of the compiling machine).
  std::string halideTarget;
  /// float32 lanes of a vector register.
  int vectorLanes = 8;
  /// Vector registers of the ISA.
  int vectorRegisters = 16;
  bool gpu = false;
};

/// The target called `name`, or std::nullopt if it is none of:
///   - "cpu" (or "host"): this machine, x86-64-avx512 or x86-64-avx2 by its
///     features, compiled with every feature Halide detects;
///   - "x86-64-avx2": x86-64 Linux with AVX2, FMA and F16C (Haswell on);
///   - "x86-64-avx512": the same plus AVX-512 F/CD/BW/DQ/VL (Skylake-SP on);
///   - "cuda", "cuda-sm80": the host CPU driving CUDA kernels for compute
///     capability 8.0, whose PTX the driver also JIT-compiles for newer GPUs;
///   - "cuda-sm86": the same for compute capability 8.6.
std::optional<TargetDesc> lookupTarget(llvm::StringRef name);

} // namespace mlir::dyconv

#endif // DYCONV_DIALECT_TARGETDESC_H
