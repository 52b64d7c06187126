//===- KernelSupport.h - helpers of the reference kernels -------*- C++ -*-===//

#ifndef DYCONV_REFERENCE_LIB_KERNELSUPPORT_H
#define DYCONV_REFERENCE_LIB_KERNELSUPPORT_H

#include "dyconv/Reference/Tensor.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"

#include <cstdio>
#include <string>

namespace mlir::dyconv::reference::detail {

/// An error with message `message`.
inline llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(message);
}

/// A number as `%g` prints it.
inline std::string formatNumber(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%g", value);
  return buffer;
}

/// `values` in square brackets: `[2, 3]`.
inline std::string formatList(llvm::ArrayRef<int64_t> values) {
  std::string result = "[";
  for (size_t i = 0; i < values.size(); ++i)
    result += (i ? ", " : "") + std::to_string(values[i]);
  return result + "]";
}

/// Checks that `tensor` (called `name`) has rank `rank`.
inline llvm::Error expectRank(const Tensor &tensor, llvm::StringRef name,
                              int64_t rank) {
  if (tensor.rank() != rank)
    return fail(name + " must have rank " + llvm::Twine(rank) + ", got " +
                formatShape(tensor.shape));
  return llvm::Error::success();
}

/// Checks that `tensor` (called `name`) has exactly `shape`.
inline llvm::Error expectShape(const Tensor &tensor, llvm::StringRef name,
                               llvm::ArrayRef<int64_t> shape) {
  if (llvm::ArrayRef<int64_t>(tensor.shape) != shape)
    return fail(name + " must be " + formatShape(shape) + ", got " +
                formatShape(tensor.shape));
  return llvm::Error::success();
}

/// Maps `axis` (negative counts from the end) into [0, rank), or -1.
inline int64_t normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return -1;
  return axis < 0 ? axis + rank : axis;
}

} // namespace mlir::dyconv::reference::detail

#endif // DYCONV_REFERENCE_LIB_KERNELSUPPORT_H
