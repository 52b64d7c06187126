//===- OpReference.h - helpers of the ops' reference evaluation -*- C++ -*-===//
//
// Internal to DyConvDialect: what the ReferenceOpInterface implementations of
// the op families share.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_DIALECT_LIB_OPREFERENCE_H
#define DYCONV_DIALECT_LIB_OPREFERENCE_H

#include "dyconv/Dialect/DyConvInterfaces.h"
#include "dyconv/Reference/Kernels.h"

#include "mlir/IR/Operation.h"

namespace mlir::dyconv::reference {

/// Copies an attribute array into `out`; false when the sizes differ.
template <size_t Size>
bool copyArray(ArrayRef<int64_t> values, std::array<int64_t, Size> &out) {
  if (values.size() != Size)
    return false;
  std::copy(values.begin(), values.end(), out.begin());
  return true;
}

/// The error of a window attribute with the wrong number of entries.
inline llvm::Error malformedWindow(Operation *op) {
  return llvm::createStringError(
      "'" + op->getName().getStringRef() +
      "' has a window attribute with the wrong number of entries");
}

/// The convolution attributes of conv2d, dynamic_conv2d, fused_conv2d and
/// odconv.
template <typename OpT> llvm::Expected<ConvParams> convParams(OpT op) {
  ConvParams params;
  params.groups = static_cast<int64_t>(op.getGroups());
  if (!copyArray(op.getStride(), params.stride) ||
      !copyArray(op.getPadding(), params.padding) ||
      !copyArray(op.getDilation(), params.dilation))
    return malformedWindow(op);
  return params;
}

/// The pooling attributes shared by max_pool2d and avg_pool2d.
template <typename OpT> llvm::Expected<PoolParams> poolParams(OpT op) {
  PoolParams params;
  params.ceilMode = op.getCeilMode();
  if (!copyArray(op.getKernelSize(), params.kernel) ||
      !copyArray(op.getStride(), params.stride) ||
      !copyArray(op.getPadding(), params.padding))
    return malformedWindow(op);
  return params;
}

} // namespace mlir::dyconv::reference

#endif // DYCONV_DIALECT_LIB_OPREFERENCE_H
