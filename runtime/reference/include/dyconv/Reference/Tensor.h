//===- Tensor.h - dense float32 tensors of the interpreter ------*- C++ -*-===//
//
// The one value type of the reference interpreter: a shape and its float32
// elements in C (row-major) order. No strides, no views, no sharing.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_REFERENCE_TENSOR_H
#define DYCONV_REFERENCE_TENSOR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::dyconv::reference {

/// A dense float32 tensor in C (row-major) order. An aggregate, so that
/// `Tensor{shape, data}` builds one; `isWellFormed` says whether the two agree.
struct Tensor {
  llvm::SmallVector<int64_t> shape;
  std::vector<float> data;

  /// The product of the dimensions (1 for a rank-0 tensor).
  int64_t numElements() const;
  int64_t rank() const { return static_cast<int64_t>(shape.size()); }
  int64_t dim(int64_t axis) const { return shape[axis]; }

  /// True when every dimension is non-negative and `data` holds exactly
  /// `numElements()` values.
  bool isWellFormed() const;

  /// The row-major offset of `index` (one entry per dimension, in range).
  int64_t offset(llvm::ArrayRef<int64_t> index) const;
  float &at(llvm::ArrayRef<int64_t> index) { return data[offset(index)]; }
  float at(llvm::ArrayRef<int64_t> index) const { return data[offset(index)]; }

  /// A tensor of `shape` with every element `value`.
  static Tensor filled(llvm::ArrayRef<int64_t> shape, float value);
  static Tensor zeros(llvm::ArrayRef<int64_t> shape) {
    return filled(shape, 0.0f);
  }
};

/// The product of `dims` (1 for none).
int64_t product(llvm::ArrayRef<int64_t> dims);

/// Formats a shape the way MLIR types print it: `2x3x4`, or `scalar`.
std::string formatShape(llvm::ArrayRef<int64_t> shape);

/// The multi-index of row-major offset `offset` in `shape`.
llvm::SmallVector<int64_t> unravelIndex(int64_t offset,
                                        llvm::ArrayRef<int64_t> shape);

} // namespace mlir::dyconv::reference

#endif // DYCONV_REFERENCE_TENSOR_H
