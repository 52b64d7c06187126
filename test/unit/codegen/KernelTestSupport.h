//===- KernelTestSupport.h - run codegen kernels against the reference ----===//
//
// Helpers for the kernel-family tests: JIT-run a KernelPipeline on row-major
// reference tensors and compare with the reference interpreter's kernels.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_TEST_UNIT_CODEGEN_KERNELTESTSUPPORT_H
#define DYCONV_TEST_UNIT_CODEGEN_KERNELTESTSUPPORT_H

#include "dyconv/Codegen/Kernels.h"
#include "dyconv/Reference/Kernels.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace mlir::dyconv::codegen::test {

using reference::Tensor;

/// The tolerance of every kernel test: max|y - y_ref| / max|y_ref|.
inline constexpr double kRelativeTolerance = 1e-4;

/// A Halide buffer viewing `tensor` (dimensions reversed, no copy).
inline Halide::Buffer<float> viewOf(Tensor &tensor) {
  std::vector<int> extents(tensor.shape.rbegin(), tensor.shape.rend());
  return Halide::Buffer<float>(tensor.data.data(), extents);
}

/// JIT-compiles `kernel` for the host and runs it on `inputs`, producing
/// outputs of `outputShapes` (in calling-convention order).
inline std::vector<Tensor>
runKernel(KernelPipeline &kernel, std::vector<Tensor> inputs,
          const std::vector<llvm::SmallVector<int64_t>> &outputShapes) {
  EXPECT_EQ(inputs.size(), kernel.inputs.size());
  for (size_t i = 0; i < inputs.size() && i < kernel.inputs.size(); ++i)
    kernel.inputs[i].set(viewOf(inputs[i]));
  std::vector<Tensor> outputs;
  std::vector<Halide::Buffer<>> buffers;
  for (const auto &shape : outputShapes)
    outputs.push_back(Tensor::zeros(shape));
  for (Tensor &output : outputs)
    buffers.push_back(viewOf(output));
  kernel.pipeline.realize(Halide::Realization(buffers),
                          Halide::get_jit_target_from_environment());
  return outputs;
}

/// max|actual - expected| / max|expected| (absolute when expected is 0).
inline double relativeError(const Tensor &actual, const Tensor &expected) {
  EXPECT_EQ(actual.shape, expected.shape);
  if (actual.shape != expected.shape)
    return INFINITY;
  double maxDiff = 0.0, maxRef = 0.0;
  for (size_t i = 0; i < expected.data.size(); ++i) {
    maxDiff = std::max(maxDiff, std::abs(double(actual.data[i]) -
                                         double(expected.data[i])));
    maxRef = std::max(maxRef, std::abs(double(expected.data[i])));
  }
  return maxRef > 0.0 ? maxDiff / maxRef : maxDiff;
}

/// A deterministic pseudo-random tensor with values in [lo, hi).
inline Tensor randomTensor(llvm::ArrayRef<int64_t> shape, uint32_t seed,
                           float lo = -1.0f, float hi = 1.0f) {
  Tensor t = Tensor::zeros(shape);
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  for (float &v : t.data)
    v = dist(gen);
  return t;
}

} // namespace mlir::dyconv::codegen::test

#endif // DYCONV_TEST_UNIT_CODEGEN_KERNELTESTSUPPORT_H
