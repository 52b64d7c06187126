//===- ReduceOps.cpp - reductions and matrix products ---------------------===//

#include "KernelSupport.h"

#include "dyconv/Reference/Kernels.h"

#include "dyconv/Dialect/ShapeUtils.h"

namespace mlir::dyconv::reference {

/// Accumulates in double over every input element, indexed by its position
/// with the reduced axes dropped or kept as 1.
llvm::Expected<Tensor> reduce(const Tensor &input, llvm::ArrayRef<int64_t> axes,
                              bool keepdims, bool mean) {
  auto normalized = shape::reductionAxes(axes, input.rank());
  if (!normalized)
    return normalized.takeError();
  llvm::SmallVector<int64_t> kept = shape::reduce(input.shape, *normalized,
                                                  /*keepdims=*/true);
  std::vector<double> sums(product(kept), 0.0);
  for (int64_t i = 0; i < input.numElements(); ++i) {
    llvm::SmallVector<int64_t> index = unravelIndex(i, input.shape);
    for (int64_t axis : *normalized)
      index[axis] = 0;
    int64_t offset = 0;
    for (size_t d = 0; d < kept.size(); ++d)
      offset = offset * kept[d] + index[d];
    sums[offset] += input.data[i];
  }
  double count = static_cast<double>(input.numElements()) /
                 static_cast<double>(std::max<int64_t>(product(kept), 1));
  Tensor output;
  output.shape = shape::reduce(input.shape, *normalized, keepdims);
  for (double sum : sums)
    output.data.push_back(static_cast<float>(mean ? sum / count : sum));
  return output;
}

/// y[..., m, n] = sum_k lhs[..., m, k] * rhs[..., k, n], batch broadcast.
llvm::Expected<Tensor> matmul(const Tensor &lhs, const Tensor &rhs) {
  auto shape = shape::matmul(lhs.shape, rhs.shape);
  if (!shape)
    return shape.takeError();
  llvm::ArrayRef<int64_t> out = *shape;
  int64_t rank = out.size();
  int64_t m = out[rank - 2], n = out[rank - 1], depth = lhs.shape.back();
  Tensor output = Tensor::zeros(out);
  // The batch index of one operand: its own leading dims, size-1 broadcast.
  auto batchOffset = [&](const Tensor &t, llvm::ArrayRef<int64_t> index) {
    llvm::ArrayRef<int64_t> lead =
        llvm::ArrayRef<int64_t>(t.shape).drop_back(2);
    int64_t skip = index.size() - lead.size();
    int64_t offset = 0;
    for (size_t d = 0; d < lead.size(); ++d)
      offset = offset * lead[d] + (lead[d] == 1 ? 0 : index[skip + d]);
    return offset;
  };
  llvm::ArrayRef<int64_t> batchShape = out.drop_back(2);
  for (int64_t b = 0; b < product(batchShape); ++b) {
    llvm::SmallVector<int64_t> index = unravelIndex(b, batchShape);
    const float *a = lhs.data.data() + batchOffset(lhs, index) * m * depth;
    const float *w = rhs.data.data() + batchOffset(rhs, index) * depth * n;
    float *y = output.data.data() + b * m * n;
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double sum = 0.0;
        for (int64_t k = 0; k < depth; ++k)
          sum += static_cast<double>(a[i * depth + k]) * w[k * n + j];
        y[i * n + j] = static_cast<float>(sum);
      }
  }
  return output;
}

} // namespace mlir::dyconv::reference
