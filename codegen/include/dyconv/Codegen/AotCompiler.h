//===- AotCompiler.h - kernels to one shared object -------------*- C++ -*-===//
//
// Compiles a model's kernels ahead of time with Halide, each to an object
// file (without the Halide runtime), plus one copy of the runtime, and links
// them into one shared object with the system C++ compiler driver. This is
// the library section of a .dyc artifact.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_CODEGEN_AOTCOMPILER_H
#define DYCONV_CODEGEN_AOTCOMPILER_H

#include "dyconv/Codegen/Kernels.h"

#include <ostream>
#include <string>
#include <vector>

namespace mlir::dyconv::codegen {

/// One kernel to compile: its descriptor and the C symbol of its entry
/// point (Halide also emits `<symbol>_argv`).
struct KernelJob {
  std::string symbol;
  KernelDesc desc;
};

struct AotOptions {
  Halide::Target target;
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

#endif // DYCONV_CODEGEN_AOTCOMPILER_H
