//===- ElementwiseOps.cpp - activations, broadcasting, norms, softmax -----===//

#include "KernelSupport.h"

#include "dyconv/Reference/Kernels.h"

#include <algorithm>
#include <cmath>

namespace mlir::dyconv::reference {

using detail::expectRank;
using detail::expectShape;
using detail::fail;
using detail::formatNumber;
using detail::normalizeAxis;

//===----------------------------------------------------------------------===//
// Unary
//===----------------------------------------------------------------------===//

/// y = max(x, 0)
Tensor relu(const Tensor &input) {
  Tensor output = input;
  for (float &v : output.data)
    v = v > 0.0f ? v : 0.0f;
  return output;
}

/// y = 1 / (1 + exp(-x))
Tensor sigmoid(const Tensor &input) {
  Tensor output = input;
  for (float &v : output.data)
    v = static_cast<float>(1.0 / (1.0 + std::exp(-static_cast<double>(v))));
  return output;
}

/// y = |x|
Tensor abs(const Tensor &input) {
  Tensor output = input;
  for (float &v : output.data)
    v = std::fabs(v);
  return output;
}

/// `input` with `fn` applied to every element in double precision.
template <typename Fn> static Tensor mapElements(const Tensor &input, Fn fn) {
  Tensor output = input;
  for (float &v : output.data)
    v = static_cast<float>(fn(static_cast<double>(v)));
  return output;
}

Tensor sqrt(const Tensor &input) {
  return mapElements(input, [](double x) { return std::sqrt(x); });
}

Tensor erf(const Tensor &input) {
  return mapElements(input, [](double x) { return std::erf(x); });
}

Tensor tanh(const Tensor &input) {
  return mapElements(input, [](double x) { return std::tanh(x); });
}

/// The exact form, or PyTorch's tanh approximation.
Tensor gelu(const Tensor &input, bool tanhApproximation) {
  if (tanhApproximation)
    return mapElements(input, [](double x) {
      const double kScale = std::sqrt(2.0 / M_PI);
      return 0.5 * x * (1.0 + std::tanh(kScale * (x + 0.044715 * x * x * x)));
    });
  return mapElements(input, [](double x) {
    return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
  });
}

/// y = min(max(x, min), max)
llvm::Expected<Tensor> clip(const Tensor &input, float min, float max) {
  if (!(min <= max))
    return fail("min (" + formatNumber(min) + ") must not exceed max (" +
                formatNumber(max) + ")");
  Tensor output = input;
  for (float &v : output.data)
    v = std::min(std::max(v, min), max);
  return output;
}

//===----------------------------------------------------------------------===//
// Broadcasting binary ops
//===----------------------------------------------------------------------===//

llvm::Expected<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  llvm::SmallVector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    // Aligned from the right; missing leading dimensions act as 1.
    int64_t a = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t b = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (a == b || b == 1)
      result[i] = a;
    else if (a == 1)
      result[i] = b;
    else
      return fail("shapes " + formatShape(lhs) + " and " + formatShape(rhs) +
                  " do not broadcast");
  }
  return result;
}

/// The offset into a tensor of `shape` of the element that broadcasts to
/// `index` of the result (whose rank is at least shape's).
static int64_t broadcastOffset(llvm::ArrayRef<int64_t> index,
                               llvm::ArrayRef<int64_t> shape) {
  size_t lead = index.size() - shape.size();
  int64_t offset = 0;
  for (size_t i = 0; i < shape.size(); ++i)
    offset = offset * shape[i] + (shape[i] == 1 ? 0 : index[lead + i]);
  return offset;
}

template <typename Fn>
static llvm::Expected<Tensor> broadcastBinary(const Tensor &lhs,
                                              const Tensor &rhs, Fn fn) {
  auto shape = broadcastShapes(lhs.shape, rhs.shape);
  if (!shape)
    return shape.takeError();
  Tensor output = Tensor::zeros(*shape);
  for (int64_t i = 0; i < output.numElements(); ++i) {
    llvm::SmallVector<int64_t> index = unravelIndex(i, output.shape);
    output.data[i] = fn(lhs.data[broadcastOffset(index, lhs.shape)],
                        rhs.data[broadcastOffset(index, rhs.shape)]);
  }
  return output;
}

/// y = lhs + rhs (NumPy broadcasting)
llvm::Expected<Tensor> add(const Tensor &lhs, const Tensor &rhs) {
  return broadcastBinary(lhs, rhs, [](float a, float b) { return a + b; });
}

/// y = lhs * rhs (NumPy broadcasting)
llvm::Expected<Tensor> mul(const Tensor &lhs, const Tensor &rhs) {
  return broadcastBinary(lhs, rhs, [](float a, float b) { return a * b; });
}

/// y = lhs - rhs (NumPy broadcasting)
llvm::Expected<Tensor> sub(const Tensor &lhs, const Tensor &rhs) {
  return broadcastBinary(lhs, rhs, [](float a, float b) { return a - b; });
}

/// y = lhs / rhs (NumPy broadcasting)
llvm::Expected<Tensor> div(const Tensor &lhs, const Tensor &rhs) {
  return broadcastBinary(lhs, rhs, [](float a, float b) { return a / b; });
}

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

/// y = exp(x - max) / sum(exp(x - max)) along the axis.
llvm::Expected<Tensor> softmax(const Tensor &input, int64_t axisAttr) {
  int64_t axis = normalizeAxis(axisAttr, input.rank());
  if (axis < 0)
    return fail("axis " + llvm::Twine(axisAttr) + " is out of range for " +
                formatShape(input.shape));
  llvm::ArrayRef<int64_t> shape = input.shape;
  int64_t outer = product(shape.take_front(axis));
  int64_t size = shape[axis];
  int64_t inner = product(shape.drop_front(axis + 1));
  Tensor output = input;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      auto at = [&](int64_t a) { return (o * size + a) * inner + i; };
      double max = -INFINITY;
      for (int64_t a = 0; a < size; ++a)
        max = std::max(max, static_cast<double>(input.data[at(a)]));
      double sum = 0.0;
      for (int64_t a = 0; a < size; ++a)
        sum += std::exp(input.data[at(a)] - max);
      for (int64_t a = 0; a < size; ++a)
        output.data[at(a)] =
            static_cast<float>(std::exp(input.data[at(a)] - max) / sum);
    }
  return output;
}

//===----------------------------------------------------------------------===//
// Normalisation
//===----------------------------------------------------------------------===//

/// y = (x - mean[c]) / sqrt(var[c] + eps) * scale[c] + bias[c], c = dim 1.
llvm::Expected<Tensor> batchNorm(const Tensor &input, const Tensor &scale,
                                 const Tensor &bias, const Tensor &mean,
                                 const Tensor &variance, double epsilon) {
  if (input.rank() < 2)
    return fail("input must have rank >= 2 ([N, C, ...]), got " +
                formatShape(input.shape));
  int64_t channels = input.dim(1);
  for (auto [tensor, name] :
       {std::pair{&scale, "scale"}, std::pair{&bias, "bias"},
        std::pair{&mean, "mean"}, std::pair{&variance, "variance"}})
    if (auto error = expectShape(*tensor, name, {channels}))
      return std::move(error);
  for (int64_t c = 0; c < channels; ++c)
    if (!(variance.data[c] + epsilon > 0))
      return fail("variance + epsilon is not positive for channel " +
                  llvm::Twine(c) + " (variance " +
                  formatNumber(variance.data[c]) + ", epsilon " +
                  formatNumber(epsilon) + ")");
  int64_t inner = product(llvm::ArrayRef<int64_t>(input.shape).drop_front(2));
  Tensor output = input;
  for (int64_t n = 0; n < input.dim(0); ++n)
    for (int64_t c = 0; c < channels; ++c) {
      double invStd = 1.0 / std::sqrt(variance.data[c] + epsilon);
      for (int64_t i = 0; i < inner; ++i) {
        int64_t at = (n * channels + c) * inner + i;
        output.data[at] = static_cast<float>(
            (input.data[at] - static_cast<double>(mean.data[c])) * invStd *
                scale.data[c] +
            bias.data[c]);
      }
    }
  return output;
}

/// Over the trailing dimensions [axis, rank):
/// y = (x - mean) / sqrt(var + eps) * scale + bias, var biased (1/N).
llvm::Expected<Tensor> layerNorm(const Tensor &input, const Tensor &scale,
                                 const Tensor &bias, int64_t axisAttr,
                                 double epsilon) {
  int64_t axis = normalizeAxis(axisAttr, input.rank());
  if (axis < 0)
    return fail("axis " + llvm::Twine(axisAttr) + " is out of range for " +
                formatShape(input.shape));
  llvm::ArrayRef<int64_t> normalized =
      llvm::ArrayRef<int64_t>(input.shape).drop_front(axis);
  if (auto error = expectShape(scale, "scale", normalized))
    return std::move(error);
  if (auto error = expectShape(bias, "bias", normalized))
    return std::move(error);
  int64_t outer =
      product(llvm::ArrayRef<int64_t>(input.shape).take_front(axis));
  int64_t count = product(normalized);
  Tensor output = input;
  if (count == 0)
    return output;
  for (int64_t o = 0; o < outer; ++o) {
    const float *x = input.data.data() + o * count;
    double mean = 0.0;
    for (int64_t i = 0; i < count; ++i)
      mean += x[i];
    mean /= count;
    double var = 0.0;
    for (int64_t i = 0; i < count; ++i)
      var += (x[i] - mean) * (x[i] - mean);
    var /= count;
    if (!(var + epsilon > 0))
      return fail("the variance of row " + llvm::Twine(o) +
                  " plus epsilon is zero");
    double invStd = 1.0 / std::sqrt(var + epsilon);
    for (int64_t i = 0; i < count; ++i)
      output.data[o * count + i] = static_cast<float>(
          (x[i] - mean) * invStd * scale.data[i] + bias.data[i]);
  }
  return output;
}

} // namespace mlir::dyconv::reference
