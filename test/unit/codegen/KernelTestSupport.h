//===- KernelTestSupport.h - run codegen kernels against the reference ----===//
//
// Helpers for the kernel-family tests: JIT-run a kernel (codegen's public
// JitKernel) on row-major reference tensors and compare with the reference
// kernels.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_TEST_UNIT_CODEGEN_KERNELTESTSUPPORT_H
#define DYCONV_TEST_UNIT_CODEGEN_KERNELTESTSUPPORT_H

#include "dyconv/Codegen/Codegen.h"
#include "dyconv/Codegen/JitKernel.h"
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

/// The value of a reference kernel that must succeed; an empty tensor,
/// failing the test, on an error.
inline Tensor valueOf(llvm::Expected<Tensor> result) {
  if (!result) {
    ADD_FAILURE() << llvm::toString(result.takeError());
    return Tensor();
  }
  return std::move(*result);
}

/// A view of `tensor`'s memory.
inline TensorView viewOf(Tensor &tensor) {
  return {tensor.data.data(),
          std::vector<int64_t>(tensor.shape.begin(), tensor.shape.end())};
}

/// The batch extent in descriptor shapes (the IR's dynamic extent).
inline constexpr int64_t kBatch = ShapedType::kDynamic;

/// The kernel of `desc` JIT-compiled for the host; null, failing the test,
/// when it does not build.
inline std::unique_ptr<JitKernel> compileKernel(const KernelDesc &desc) {
  std::string error;
  std::unique_ptr<JitKernel> kernel = JitKernel::compile(desc, error);
  if (!kernel)
    ADD_FAILURE() << describeKernel(desc) << ": " << error;
  return kernel;
}

/// Runs `kernel` on `inputs`, producing outputs of `outputShapes` (in
/// calling-convention order). A kernel that fails to run fails the test and
/// returns no outputs.
inline std::vector<Tensor>
runKernel(JitKernel &kernel, std::vector<Tensor> inputs,
          const std::vector<llvm::SmallVector<int64_t>> &outputShapes) {
  std::vector<Tensor> outputs;
  for (const auto &shape : outputShapes)
    outputs.push_back(Tensor::zeros(shape));
  std::vector<TensorView> inputViews, outputViews;
  for (Tensor &input : inputs)
    inputViews.push_back(viewOf(input));
  for (Tensor &output : outputs)
    outputViews.push_back(viewOf(output));
  std::string error = kernel.run(inputViews, outputViews);
  if (!error.empty()) {
    ADD_FAILURE() << error;
    return {};
  }
  return outputs;
}

/// JIT-compiles the kernel of `desc` and runs it once (see runKernel).
inline std::vector<Tensor>
runKernel(const KernelDesc &desc, std::vector<Tensor> inputs,
          const std::vector<llvm::SmallVector<int64_t>> &outputShapes) {
  std::unique_ptr<JitKernel> kernel = compileKernel(desc);
  if (!kernel)
    return {};
  return runKernel(*kernel, std::move(inputs), outputShapes);
}

/// The one output of the kernel of `desc` on `inputs` (see runKernel), or an
/// empty tensor after a failure.
inline Tensor runSingleOutput(const KernelDesc &desc,
                              std::vector<Tensor> inputs,
                              llvm::SmallVector<int64_t> outputShape) {
  std::vector<Tensor> outputs =
      runKernel(desc, std::move(inputs), {std::move(outputShape)});
  return outputs.empty() ? Tensor() : std::move(outputs.front());
}

/// Calls `visit(logicalIndex, physicalOffset)` for every element of a tensor
/// of `physicalShape` stored in `layout` (logicalIndex is empty for the
/// padding). Written from the physical side, independently of the
/// compiler's packing.
template <typename Visit>
void forEachPhysical(llvm::ArrayRef<int64_t> logicalShape,
                     llvm::ArrayRef<int64_t> physicalShape,
                     const Layout &layout, Visit visit) {
  size_t rank = logicalShape.size();
  int64_t count = 1;
  for (int64_t extent : physicalShape)
    count *= extent;
  llvm::SmallVector<int64_t> physical(physicalShape.size(), 0);
  for (int64_t offset = 0; offset < count; ++offset) {
    llvm::SmallVector<int64_t> logical(physical.begin(),
                                       physical.begin() + rank);
    bool padding = false;
    for (size_t k = 0; k < layout.dims.size(); ++k) {
      int64_t dim = layout.dims[k];
      logical[dim] = physical[dim] * layout.tiles[k] + physical[rank + k];
      padding |= logical[dim] >= logicalShape[dim];
    }
    visit(padding ? llvm::SmallVector<int64_t>() : logical, offset);
    for (size_t d = physical.size();
         d-- > 0 && ++physical[d] == physicalShape[d];)
      physical[d] = 0;
  }
}

/// `logical` stored in `layout`, padding zero.
inline Tensor toLayout(const Tensor &logical, const Layout &layout) {
  Shape physicalShape =
      layout.physicalShape(Shape(logical.shape.begin(), logical.shape.end()));
  Tensor physical = Tensor::zeros(
      llvm::SmallVector<int64_t>(physicalShape.begin(), physicalShape.end()));
  forEachPhysical(logical.shape, physical.shape, layout,
                  [&](llvm::ArrayRef<int64_t> index, int64_t offset) {
                    if (!index.empty())
                      physical.data[offset] = logical.at(index);
                  });
  return physical;
}

/// The logical tensor of `logicalShape` that `physical` holds in `layout`;
/// fails the test if a padding element is not zero.
inline Tensor fromLayout(const Tensor &physical,
                         llvm::ArrayRef<int64_t> logicalShape,
                         const Layout &layout) {
  Tensor logical = Tensor::zeros(logicalShape);
  int64_t nonZeroPadding = 0;
  forEachPhysical(logicalShape, physical.shape, layout,
                  [&](llvm::ArrayRef<int64_t> index, int64_t offset) {
                    if (index.empty())
                      nonZeroPadding += physical.data[offset] != 0.0f;
                    else
                      logical.at(index) = physical.data[offset];
                  });
  EXPECT_EQ(nonZeroPadding, 0) << "padding elements are not zero";
  return logical;
}

/// Runs the kernel of `desc` on logical `inputs`, each stored test-side in
/// the layout `desc` gives its argument, and returns its outputs of logical
/// `outputShapes` unpacked (see runKernel).
inline std::vector<Tensor>
runInLayouts(const KernelDesc &desc, const std::vector<Tensor> &inputs,
             const std::vector<llvm::SmallVector<int64_t>> &outputShapes) {
  std::vector<Tensor> physicalInputs;
  for (size_t i = 0; i < inputs.size(); ++i)
    physicalInputs.push_back(toLayout(inputs[i], desc.layout(i)));
  std::vector<llvm::SmallVector<int64_t>> physicalShapes;
  for (size_t j = 0; j < outputShapes.size(); ++j) {
    Shape physical = desc.layout(inputs.size() + j)
                         .physicalShape(Shape(outputShapes[j].begin(),
                                              outputShapes[j].end()));
    physicalShapes.emplace_back(physical.begin(), physical.end());
  }
  std::vector<Tensor> outputs =
      runKernel(desc, std::move(physicalInputs), physicalShapes);
  for (size_t j = 0; j < outputs.size(); ++j)
    outputs[j] =
        fromLayout(outputs[j], outputShapes[j], desc.layout(inputs.size() + j));
  return outputs;
}

/// max|actual - expected| / max|expected| (absolute when expected is 0).
inline double relativeError(const Tensor &actual, const Tensor &expected) {
  EXPECT_EQ(actual.shape, expected.shape);
  if (actual.shape != expected.shape)
    return INFINITY;
  double maxDiff = 0.0, maxRef = 0.0;
  for (size_t i = 0; i < expected.data.size(); ++i) {
    maxDiff = std::max(
        maxDiff, std::abs(double(actual.data[i]) - double(expected.data[i])));
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
