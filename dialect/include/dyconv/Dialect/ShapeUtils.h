//===- ShapeUtils.h - shape arithmetic for dyconv ops -----------*- C++ -*-===//
//
// Pure functions on dimension lists, shared by the ops' type inference, the
// importers and the runtime planner. A dimension is a non-negative size or
// `mlir::ShapedType::kDynamic`; every function propagates dynamic sizes.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_DIALECT_SHAPEUTILS_H
#define DYCONV_DIALECT_SHAPEUTILS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mlir::dyconv::shape {

/// True when `dim` is `ShapedType::kDynamic`.
bool isDynamic(int64_t dim);

/// True when two sizes can describe the same dimension: equal, or either is
/// dynamic.
bool compatible(int64_t a, int64_t b);

/// True when two shapes have the same rank and compatible dimensions.
bool compatible(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b);

/// The product of `dims`, or dynamic when any of them is.
int64_t product(llvm::ArrayRef<int64_t> dims);

/// Maps `axis` (negative counts from the end) into `[0, rank)`, or nullopt
/// when it is out of range.
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank);

/// Number of positions of a sliding window (convolution or pooling) along one
/// axis: `floor((in + padBegin + padEnd - dilation*(kernel-1) - 1) / stride) +
/// 1`, rounded up instead when `ceilMode` is set, with PyTorch's rule that the
/// last window must start inside the input or its left padding. Dynamic when
/// `in` is; nullopt when the (dilated) window is larger than the padded input.
std::optional<int64_t> slidingWindowSize(int64_t in, int64_t kernel,
                                         int64_t stride, int64_t padBegin,
                                         int64_t padEnd, int64_t dilation,
                                         bool ceilMode = false);

/// NumPy/ONNX broadcasting of two shapes (aligned from the right; a size 1
/// stretches). An error names both shapes when they do not broadcast.
llvm::Expected<llvm::SmallVector<int64_t>>
broadcast(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs);

/// The result of an ONNX `Reshape` (allowzero = 0) of `input` to `spec`: `0`
/// copies the input dimension at that index, one `-1` is inferred from the
/// element count. An error explains a spec that cannot apply.
llvm::Expected<llvm::SmallVector<int64_t>>
reshape(llvm::ArrayRef<int64_t> input, llvm::ArrayRef<int64_t> spec);

/// The shape of `input` with dimensions permuted: result dimension `d` is
/// input dimension `perm[d]`. An error when `perm` is not a permutation of
/// `[0, rank)`.
llvm::Expected<llvm::SmallVector<int64_t>>
transpose(llvm::ArrayRef<int64_t> input, llvm::ArrayRef<int64_t> perm);

/// The shape of `input` padded by ONNX `pads` (every dimension's begin,
/// then every end; non-negative). A dynamic dimension stays dynamic.
llvm::Expected<llvm::SmallVector<int64_t>> pad(llvm::ArrayRef<int64_t> input,
                                               llvm::ArrayRef<int64_t> pads);

/// The shape of an ONNX `MatMul` of operands of rank >= 2.
llvm::Expected<llvm::SmallVector<int64_t>> matmul(llvm::ArrayRef<int64_t> lhs,
                                                  llvm::ArrayRef<int64_t> rhs);

/// The axes of a reduction, normalized, sorted and checked (non-empty,
/// distinct, in range).
llvm::Expected<llvm::SmallVector<int64_t>>
reductionAxes(llvm::ArrayRef<int64_t> axes, int64_t rank);

/// The shape after reducing over normalized `axes`: the reduced dimensions
/// become 1 (`keepdims`) or are dropped.
llvm::SmallVector<int64_t> reduce(llvm::ArrayRef<int64_t> input,
                                  llvm::ArrayRef<int64_t> axes, bool keepdims);

/// One axis of a slice, normalized: elements `start + i*step` for
/// `i < count`.
struct SliceRange {
  int64_t start = 0;
  int64_t step = 1;
  int64_t count = 0;
};

/// The normalized range of every dimension of `input` under an ONNX `Slice`
/// (unsliced dimensions are whole; a dynamic one keeps a dynamic `count`).
/// An error explains inconsistent parameters or a sliced dynamic dimension.
llvm::Expected<llvm::SmallVector<SliceRange>>
slice(llvm::ArrayRef<int64_t> input, llvm::ArrayRef<int64_t> axes,
      llvm::ArrayRef<int64_t> starts, llvm::ArrayRef<int64_t> ends,
      llvm::ArrayRef<int64_t> steps);

/// Formats a shape the way MLIR types print it: `2x?x7`, or `scalar`.
std::string format(llvm::ArrayRef<int64_t> dims);

} // namespace mlir::dyconv::shape

#endif // DYCONV_DIALECT_SHAPEUTILS_H
