//===- BenchSupport.h - what the kernel benchmarks share --------*- C++ -*-===//
//
// Random tensors for a kernel's arguments and the median time of a JIT
// kernel (codegen's public JitKernel), for the kernel micro-benchmarks.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_BENCH_BENCHSUPPORT_H
#define DYCONV_BENCH_BENCHSUPPORT_H

#include "dyconv/Codegen/JitKernel.h"

#include <cstdint>
#include <vector>

namespace dyconv::bench {

using mlir::dyconv::Shape;
using mlir::dyconv::codegen::JitKernel;
using mlir::dyconv::codegen::TensorView;

/// The batch extent in descriptor shapes (the IR's dynamic extent).
inline constexpr int64_t kBatch = mlir::ShapedType::kDynamic;

/// Dense tensors of random values in [-1, 1) and views of them.
struct Tensors {
  std::vector<std::vector<float>> storage;
  std::vector<TensorView> views;
  /// Bytes of all tensors.
  double bytes() const;
};

/// Tensors of the row-major `shapes`, kBatch resolved to `batch`.
Tensors randomTensors(const std::vector<Shape> &shapes, int64_t batch);

/// The median seconds of one run of `kernel` after a warm-up run, over about
/// `budgetSeconds` (at least 5 runs). Returns a negative value if a run
/// fails (its message is printed).
double medianSeconds(JitKernel &kernel, const Tensors &inputs,
                     const Tensors &outputs, double budgetSeconds = 0.5);

/// JIT-compiles the kernel of `desc`, times it at `batch` on random tensors of
/// `inputs` and `outputs` (medianSeconds) and prints one line: its
/// description, the median ms and the GB/s of reading its inputs and writing
/// its outputs once.
void printKernelTime(const mlir::dyconv::KernelDesc &desc,
                     const std::vector<Shape> &inputs,
                     const std::vector<Shape> &outputs, int64_t batch);

} // namespace dyconv::bench

#endif // DYCONV_BENCH_BENCHSUPPORT_H
