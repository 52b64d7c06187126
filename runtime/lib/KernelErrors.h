//===- KernelErrors.h - Halide runtime errors become run errors -*- C++ -*-===//
//
// The Halide runtime inside an artifact reports failures through an error
// handler instead of its return code alone. The runtime installs
// captureKernelError in every library it loads and collects the messages of
// the run in progress, so that they reach dyconv_last_error() instead of
// stderr.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_RUNTIME_LIB_KERNELERRORS_H
#define DYCONV_RUNTIME_LIB_KERNELERRORS_H

#include <string>

namespace dyconv {

/// The handler given to halide_set_error_handler.
void captureKernelError(void *userContext, const char *message);

/// Collects the kernel errors raised while it lives: on this thread, and on
/// threads that run no scope (the Halide thread pool's workers).
class KernelErrorScope {
public:
  KernelErrorScope();
  KernelErrorScope(const KernelErrorScope &) = delete;
  KernelErrorScope &operator=(const KernelErrorScope &) = delete;
  ~KernelErrorScope();

  /// The messages collected so far (joined by "; "), then none.
  std::string take();

private:
  std::string messages;
};

} // namespace dyconv

#endif // DYCONV_RUNTIME_LIB_KERNELERRORS_H
