//===- JitKernel.h - one kernel compiled for this machine -------*- C++ -*-===//
//
// A kernel JIT-compiled for the host, for the kernel tests and benchmarks:
// the same pipeline and schedule that dyconv-compile compiles ahead of time,
// run on caller memory. Halide-free.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_CODEGEN_JITKERNEL_H
#define DYCONV_CODEGEN_JITKERNEL_H

#include "dyconv/Dialect/KernelDesc.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mlir::dyconv::codegen {

/// A dense row-major float32 tensor in caller memory.
struct TensorView {
  float *data = nullptr;
  std::vector<int64_t> shape;
};

class JitKernel {
public:
  /// Builds and JIT-compiles the kernel of \p desc for \p target (a dyconv
  /// target name, see targetString; the host by default). Returns null and
  /// sets \p error when the kernel cannot be built.
  static std::unique_ptr<JitKernel> compile(const KernelDesc &desc,
                                            std::string &error,
                                            const std::string &target = "cpu");
  ~JitKernel();

  /// Runs the kernel on its inputs and outputs (calling-convention order).
  /// Returns an empty string on success, else Halide's error.
  std::string run(const std::vector<TensorView> &inputs,
                  const std::vector<TensorView> &outputs);

  /// How many input buffers the kernel takes.
  size_t numInputs() const;

private:
  struct Impl;
  explicit JitKernel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
};

} // namespace mlir::dyconv::codegen

#endif // DYCONV_CODEGEN_JITKERNEL_H
