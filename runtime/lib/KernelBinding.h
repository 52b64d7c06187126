//===- KernelBinding.h - a plan's kernels in the library's table -*- C++ -*-=//
//
// The kernels a plan calls are found in the kernel table the artifact's
// library exports (KernelTable.h), never by a global symbol search: a plan
// cannot name a function of libc or of another library. Each one must be
// code of the library itself, and Halide's description of its arguments
// must match the signature the plan records (count, kind, rank, float32).
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_RUNTIME_LIB_KERNELBINDING_H
#define DYCONV_RUNTIME_LIB_KERNELBINDING_H

#include "SharedLibrary.h"

#include "dyconv/Runtime/Plan.h"

#include <string>
#include <vector>

namespace dyconv {

/// What the runtime calls in a kernel library.
struct KernelBinding {
  using KernelFunction = int (*)(void **);
  /// One entry point per kernel of the plan, in Plan::kernels order.
  std::vector<KernelFunction> kernels;
  /// The Halide runtime's functions; null where the library has none.
  dyconv_error_handler_t (*setErrorHandler)(dyconv_error_handler_t) = nullptr;
  int (*setNumThreads)(int) = nullptr;
};

/// Binds every kernel of \p plan to its entry in \p library's table.
/// Returns "" or what is wrong.
std::string bindKernels(const SharedLibrary &library, const Plan &plan,
                        KernelBinding &binding);

} // namespace dyconv

#endif // DYCONV_RUNTIME_LIB_KERNELBINDING_H
