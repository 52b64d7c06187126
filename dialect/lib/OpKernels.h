//===- OpKernels.h - helpers of the ops' kernel descriptions ----*- C++ -*-===//
//
// Internal to DyConvDialect: what the KernelOpInterface implementations of
// the op families share. They run on verified ops, whose kernel operands
// have been checked by describeKernel (f32, static extents but the batch).
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_DIALECT_LIB_OPKERNELS_H
#define DYCONV_DIALECT_LIB_OPKERNELS_H

#include "dyconv/Dialect/KernelDesc.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"

#include <algorithm>
#include <array>
#include <tuple>

namespace mlir::dyconv::kernels {

/// The shape of `value`'s ranked tensor type.
inline ArrayRef<int64_t> shapeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

/// The shape of `value` as a descriptor shape.
inline Shape descriptorShape(Value value) {
  ArrayRef<int64_t> shape = shapeOf(value);
  return Shape(shape.begin(), shape.end());
}

/// Channels, height and width of an NCHW value.
inline std::tuple<int64_t, int64_t, int64_t> chw(Value value) {
  ArrayRef<int64_t> shape = shapeOf(value);
  return {shape[1], shape[2], shape[3]};
}

template <size_t N> std::array<int64_t, N> toArray(ArrayRef<int64_t> values) {
  std::array<int64_t, N> result{};
  std::copy_n(values.begin(), N, result.begin());
  return result;
}

/// `axis` (negative counts from the end) of `value`, in [0, rank).
inline int64_t normalizedAxis(int64_t axis, Value value) {
  int64_t rank = static_cast<int64_t>(shapeOf(value).size());
  return axis < 0 ? axis + rank : axis;
}

/// The geometry shared by every convolution op (conv2d, dynamic_conv2d,
/// fused_conv2d): extents, window attributes and whether there is a bias.
template <typename OpT> ConvKernel convGeometry(OpT op) {
  ConvKernel desc;
  ArrayRef<int64_t> weight = shapeOf(op.getWeight());
  desc.perSample = weight.size() == 5;
  if (desc.perSample)
    weight = weight.drop_front();
  std::tie(desc.inChannels, desc.height, desc.width) = chw(op.getInput());
  desc.outChannels = weight[0];
  desc.kernelH = weight[2];
  desc.kernelW = weight[3];
  desc.stride = toArray<2>(op.getStride());
  desc.padding = toArray<4>(op.getPadding());
  desc.dilation = toArray<2>(op.getDilation());
  desc.groups = static_cast<int64_t>(op.getGroups());
  desc.epilogue.bias = static_cast<bool>(op.getBias());
  return desc;
}

/// The descriptor of an aggregation of the kernel bank `bank` with the
/// attentions present (the channel attention always is).
inline AggregateKernel aggregation(Value bank, Value filter, Value spatial,
                                   Value kernel, int64_t groups) {
  ArrayRef<int64_t> shape = shapeOf(bank);
  AggregateKernel desc;
  desc.kernels = shape[0];
  desc.outChannels = shape[1];
  desc.inChannelsPerGroup = shape[2];
  desc.kernelH = shape[3];
  desc.kernelW = shape[4];
  desc.groups = groups;
  desc.hasFilter = static_cast<bool>(filter);
  desc.hasSpatial = static_cast<bool>(spatial);
  desc.hasKernel = static_cast<bool>(kernel);
  return desc;
}

} // namespace mlir::dyconv::kernels

namespace mlir::dyconv {

/// The descriptor of an elementwise op of `kind` (its operand shapes).
FailureOr<KernelDesc> describeElementwise(Operation *op, ElementwiseOp kind);

} // namespace mlir::dyconv

#endif // DYCONV_DIALECT_LIB_OPKERNELS_H
