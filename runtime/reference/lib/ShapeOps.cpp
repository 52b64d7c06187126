//===- ShapeOps.cpp - flatten, reshape, concat, transpose, slice ----------===//
//
// Row-major data does not move under flatten and reshape; only the shape
// changes.
//
//===----------------------------------------------------------------------===//

#include "KernelSupport.h"

#include "dyconv/Reference/Kernels.h"

#include "dyconv/Dialect/ShapeUtils.h"

namespace mlir::dyconv::reference {

using detail::fail;
using detail::formatList;
using detail::normalizeAxis;

/// [d0, ..., dn) -> [d0*...*d(axis-1), d(axis)*...*dn]
llvm::Expected<Tensor> flatten(const Tensor &input, int64_t axis) {
  if (axis < 0 || axis > input.rank())
    return fail("axis " + llvm::Twine(axis) + " must be in [0, " +
                llvm::Twine(input.rank()) + "] for " +
                formatShape(input.shape));
  llvm::ArrayRef<int64_t> shape = input.shape;
  Tensor output;
  output.shape = {product(shape.take_front(axis)),
                  product(shape.drop_front(axis))};
  output.data = input.data;
  return output;
}

/// ONNX Reshape (allowzero = 0): entry 0 copies the input dimension at the
/// same index, one entry -1 takes the remaining element count.
llvm::Expected<Tensor> reshape(const Tensor &input,
                               llvm::ArrayRef<int64_t> spec) {
  auto why = [&](const llvm::Twine &reason) {
    return fail("cannot reshape " + formatShape(input.shape) + " to " +
                formatList(spec) + ": " + reason);
  };
  llvm::SmallVector<int64_t> shape;
  int64_t inferred = -1;
  int64_t known = 1;
  for (int64_t i = 0; i < static_cast<int64_t>(spec.size()); ++i) {
    int64_t s = spec[i];
    if (s == 0) {
      if (i >= input.rank())
        return why("entry " + llvm::Twine(i) +
                   " copies a dimension the input does not have");
      s = input.dim(i);
    } else if (s == -1) {
      if (inferred >= 0)
        return why("more than one entry is -1");
      inferred = i;
      shape.push_back(-1);
      continue;
    } else if (s < -1) {
      return why("entry " + llvm::Twine(i) + " is " + llvm::Twine(s));
    }
    shape.push_back(s);
    known *= s;
  }
  int64_t count = input.numElements();
  if (inferred >= 0) {
    if (known == 0 || count % known != 0)
      return why("the element count " + llvm::Twine(count) +
                 " is not a multiple of " + llvm::Twine(known));
    shape[inferred] = count / known;
  } else if (known != count) {
    return why("the element counts differ");
  }
  Tensor output;
  output.shape = shape;
  output.data = input.data;
  return output;
}

/// Joins equal-rank inputs along `axis`; every other dimension must agree.
llvm::Expected<Tensor> concat(llvm::ArrayRef<const Tensor *> inputs,
                              int64_t axisAttr) {
  if (inputs.empty())
    return fail("concat needs at least one input");
  const Tensor &first = *inputs.front();
  int64_t axis = normalizeAxis(axisAttr, first.rank());
  if (axis < 0)
    return fail("axis " + llvm::Twine(axisAttr) + " is out of range for " +
                formatShape(first.shape));
  llvm::SmallVector<int64_t> shape = first.shape;
  shape[axis] = 0;
  for (const Tensor *input : inputs) {
    bool matches = input->rank() == first.rank();
    for (int64_t d = 0; matches && d < first.rank(); ++d)
      matches = d == axis || input->dim(d) == first.dim(d);
    if (!matches)
      return fail("inputs " + formatShape(first.shape) + " and " +
                  formatShape(input->shape) +
                  " differ outside the concatenation axis " +
                  llvm::Twine(axis));
    shape[axis] += input->dim(axis);
  }
  int64_t outer = product(llvm::ArrayRef<int64_t>(shape).take_front(axis));
  Tensor output;
  output.shape = shape;
  for (int64_t o = 0; o < outer; ++o)
    for (const Tensor *input : inputs) {
      // One input contributes a contiguous chunk per outer index.
      int64_t chunk =
          product(llvm::ArrayRef<int64_t>(input->shape).drop_front(axis));
      output.data.insert(output.data.end(), input->data.begin() + o * chunk,
                         input->data.begin() + (o + 1) * chunk);
    }
  return output;
}

/// y[i_0, ..., i_r] = x[j] with j[perm[d]] = i_d.
llvm::Expected<Tensor> transpose(const Tensor &input,
                                 llvm::ArrayRef<int64_t> perm) {
  auto shape = shape::transpose(input.shape, perm);
  if (!shape)
    return shape.takeError();
  Tensor output = Tensor::zeros(*shape);
  llvm::SmallVector<int64_t> source(input.rank());
  for (int64_t i = 0; i < output.numElements(); ++i) {
    llvm::SmallVector<int64_t> index = unravelIndex(i, output.shape);
    for (size_t d = 0; d < perm.size(); ++d)
      source[perm[d]] = index[d];
    output.data[i] = input.at(source);
  }
  return output;
}

/// y[i] = x[i - begin] inside the input, `value` around it.
llvm::Expected<Tensor> pad(const Tensor &input, llvm::ArrayRef<int64_t> pads,
                           float value) {
  auto shape = shape::pad(input.shape, pads);
  if (!shape)
    return shape.takeError();
  Tensor output = Tensor::filled(*shape, value);
  for (int64_t i = 0; i < input.numElements(); ++i) {
    llvm::SmallVector<int64_t> index = unravelIndex(i, input.shape);
    for (size_t d = 0; d < index.size(); ++d)
      index[d] += pads[d];
    output.at(index) = input.data[i];
  }
  return output;
}

/// y[i] = x[start + i*step] along every sliced axis.
llvm::Expected<Tensor> slice(const Tensor &input, llvm::ArrayRef<int64_t> axes,
                             llvm::ArrayRef<int64_t> starts,
                             llvm::ArrayRef<int64_t> ends,
                             llvm::ArrayRef<int64_t> steps) {
  auto ranges = shape::slice(input.shape, axes, starts, ends, steps);
  if (!ranges)
    return ranges.takeError();
  llvm::SmallVector<int64_t> shape;
  for (const shape::SliceRange &range : *ranges)
    shape.push_back(range.count);
  Tensor output = Tensor::zeros(shape);
  llvm::SmallVector<int64_t> source(input.rank());
  for (int64_t i = 0; i < output.numElements(); ++i) {
    llvm::SmallVector<int64_t> index = unravelIndex(i, output.shape);
    for (int64_t d = 0; d < input.rank(); ++d)
      source[d] = (*ranges)[d].start + index[d] * (*ranges)[d].step;
    output.data[i] = input.at(source);
  }
  return output;
}

} // namespace mlir::dyconv::reference
