//===- OpInference.h - shared checks for dyconv type inference --*- C++ -*-===//
//
// Type inference runs before the ODS constraints are verified (when a parser
// or builder omits the result type), so these helpers check ranks and
// attribute sizes themselves and never assume them.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_DIALECT_LIB_OPINFERENCE_H
#define DYCONV_DIALECT_LIB_OPINFERENCE_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/TypeRange.h"
#include "mlir/IR/Value.h"

#include <optional>
#include <string>

namespace mlir::dyconv::inference {

/// Emits `'<op>' op <message>` at the location, when there is one.
class OpDiagnostics {
public:
  OpDiagnostics(std::optional<Location> loc, StringRef opName)
      : loc(loc), opName(opName) {}

  template <typename... Args> LogicalResult fail(Args &&...args) const {
    return emitOptionalError(loc, "'", opName, "' op ",
                             std::forward<Args>(args)...);
  }

  /// The ranked tensor type of `value` (named `name` in messages), required
  /// to have rank `rank` unless `rank` is negative.
  FailureOr<RankedTensorType> ranked(Value value, StringRef name,
                                     int64_t rank = -1) const;

  /// Checks that `value` is a 1-D tensor of `size` elements.
  LogicalResult vector(Value value, StringRef name, int64_t size) const;

  /// Checks that `value` is a `[rows, cols]` matrix.
  LogicalResult matrix(Value value, StringRef name, int64_t rows,
                       int64_t cols) const;

  /// Checks that an array attribute has `size` entries.
  LogicalResult arraySize(ArrayRef<int64_t> array, StringRef name,
                          size_t size) const;

  /// Checks that every entry of an array attribute is >= 1 (strides,
  /// dilations, window sizes), resp. >= 0 (paddings).
  LogicalResult positive(ArrayRef<int64_t> array, StringRef name) const;
  LogicalResult nonNegative(ArrayRef<int64_t> array, StringRef name) const;

private:
  std::optional<Location> loc;
  StringRef opName;
};

/// Checks a 2-D convolution of `input [N, Cin, H, W]` with a kernel of shape
/// `kernel = [Cout, Cin/groups, KH, KW]` (described as `kernelDesc` in
/// messages) and an optional `[Cout]` bias; returns `[N, Cout, H', W']`.
FailureOr<SmallVector<int64_t>>
inferConv2D(const OpDiagnostics &diag, RankedTensorType input,
            ArrayRef<int64_t> kernel, Type kernelType, Value bias,
            ArrayRef<int64_t> stride, ArrayRef<int64_t> padding,
            ArrayRef<int64_t> dilation, int64_t groups);

/// Checks a per-sample kernel `weight [N, Cout, Cin/groups, KH, KW]` against
/// the batch of `input [N, ...]` and returns its kernel shape (without N).
FailureOr<ArrayRef<int64_t>> perSampleKernel(const OpDiagnostics &diag,
                                             RankedTensorType input,
                                             RankedTensorType weight);

/// Checks an ODConv aggregation of `bank [K, Cout, Cin/groups, KH, KW]` with
/// `channel [N, Cin]` and the optional `filter [N, Cout]`, `spatial [N,
/// KH*KW]` and `kernel [N, K]` attentions (required when K > 1); returns
/// the per-sample kernels' shape `[N, Cout, Cin/groups, KH, KW]`.
FailureOr<SmallVector<int64_t>> aggregatedKernels(const OpDiagnostics &diag,
                                                  Value bank, Value channel,
                                                  Value filter, Value spatial,
                                                  Value kernel, int64_t groups);

/// The result types that an op's `inferResultTypes` infers.
using TypeList = SmallVector<Type>;

/// Appends the inferred `types` to `results`; a failure passes through.
LogicalResult appendTypes(FailureOr<TypeList> types,
                          SmallVectorImpl<Type> &results);

/// Whether `inferred` and `actual` are the same types once layout encodings
/// are dropped (ops infer logical types; layouts are decided by a pass).
bool equalIgnoringLayout(TypeRange inferred, TypeRange actual);

/// Checks NumPy broadcasting of `lhs` and `rhs`; the broadcast type.
FailureOr<TypeList> inferBroadcast(const OpDiagnostics &diag, Value lhs,
                                   Value rhs);

/// Formats an attribute array as `[a, b, c]`.
std::string formatList(ArrayRef<int64_t> array);

/// Returns a tensor type of `shape` with the element type of `like`.
Type tensorLike(ArrayRef<int64_t> shape, RankedTensorType like);

} // namespace mlir::dyconv::inference

#endif // DYCONV_DIALECT_LIB_OPINFERENCE_H
