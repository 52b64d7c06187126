//===- Codegen.h - kernels to one shared object -----------------*- C++ -*-===//
//
// The code generator's public API, free of Halide types: which targets it
// compiles for, and ahead-of-time compilation of a model's kernels (each a
// KernelDesc, dyconv/Dialect/KernelDesc.h) to object files plus one copy of
// the Halide runtime, linked into one shared object with the system C++
// compiler driver. That shared object is the library section of a .dyc
// artifact.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_CODEGEN_CODEGEN_H
#define DYCONV_CODEGEN_CODEGEN_H

#include "dyconv/Dialect/KernelDesc.h"

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace mlir::dyconv::codegen {

/// The Halide target string that kernels for the dyconv target \p name
/// (see lookupTarget in dyconv/Dialect/TargetDesc.h) are compiled for, or
/// std::nullopt for an unknown name.
std::optional<std::string> targetString(std::string_view name);

/// A one-line human description of a kernel for progress output, e.g.
/// "conv2d 3x3 64->64 56x56 s1".
std::string describeKernel(const KernelDesc &desc);

/// Builds the kernel of \p desc and compiles it for the dyconv target
/// \p target in memory, without linking or running it: for checking that a
/// schedule lowers for a target this machine may not run. Returns an empty
/// string on success, else the error.
std::string lowerKernel(const KernelDesc &desc, const std::string &target);

/// One kernel to compile: its descriptor and the C symbol of its entry
/// point (Halide also emits `<symbol>_argv`).
struct KernelJob {
  std::string symbol;
  KernelDesc desc;
};

struct AotOptions {
  /// A Halide target string (from targetString).
  std::string target;
  /// Kernels compiled at the same time.
  unsigned jobs = 1;
  /// Where the object files and the shared object go.
  std::string workDir;
  /// Progress lines (`[3/31] conv2d 3x3 64->64 56x56 ... 0.4s`), or null.
  std::ostream *progress = nullptr;
  /// The compiler driver that links the shared object; `$DYCONV_LINKER` or
  /// `c++` when empty.
  std::string linker;
};

/// Compiles `jobs` and links them into `<workDir>/kernels.so`, returned in
/// `libraryPath`. Returns an empty string on success, else the error.
std::string compileKernels(const std::vector<KernelJob> &jobs,
                           const AotOptions &options, std::string &libraryPath);

} // namespace mlir::dyconv::codegen

#endif // DYCONV_CODEGEN_CODEGEN_H
