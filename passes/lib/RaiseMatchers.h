//===- RaiseMatchers.h - matching the node chains of ONNX exports -*- C++
//-*-===//
//
// Internal to DyConvPasses: the small structural matchers with which
// dyconv-raise-onnx-dynamic-conv recognises the dynamic convolutions of an
// imported ONNX export. Export shapes are static, and a reshape never moves
// data (it reinterprets the row-major order), so a view is identified by the
// shapes it maps between, never by its target attribute.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_PASSES_LIB_RAISEMATCHERS_H
#define DYCONV_PASSES_LIB_RAISEMATCHERS_H

#include "dyconv/Dialect/DyConvOps.h"

#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace mlir::dyconv::raise {

/// The shape of `value`, a ranked tensor.
ArrayRef<int64_t> shapeOf(Value value);

/// Whether `value` is a ranked tensor of exactly `shape`.
bool hasShape(Value value, ArrayRef<int64_t> shape);

/// Whether `value` has a static shape without empty dimensions, as every
/// tensor of an export has.
bool hasExportShape(Value value);

/// `value` with the chain of views (reshapes, flattens) that produced it
/// looked through.
Value skipReshapes(Value value);

/// Whether `value` is `source` seen through zero or more views.
bool isViewOf(Value value, Value source);

/// The tensor of shape `shape` that `value` views: the input of the reshape
/// producing `value` when it has that shape, else `value` itself when it has
/// it (the identity reshape of a batch-1 export may be folded away). Null
/// otherwise.
Value viewedAs(Value value, ArrayRef<int64_t> shape);

/// The last view of `value` with shape `shape` along `value` and its chain
/// of only users that are reshapes (an export may view a result twice), so
/// that a raise replaces the whole chain. Null when none has `shape`.
Value viewOf(Value value, ArrayRef<int64_t> shape);

/// Whether `value` is a statically shaped f32 `arith.constant` of dense
/// elements or of a `dense_resource` blob.
bool isTensorConstant(Value value);

/// The element of an f32 constant with exactly one element.
std::optional<double> readScalar(Value value);

/// Whether `value` is an f32 constant whose elements all equal `expected`.
bool isFilledConstant(Value value, double expected);

/// The operand of the binary op `op` other than the one that is a constant
/// filled with `neutral` (1 for a mul, 0 for an add), provided the result
/// has that operand's type: the op is the identity. Null otherwise.
Value identityOperand(Operation *op, double neutral);

/// `value` with identities looked through: reshapes, muls by constant ones
/// and adds of constant zeros that do not broadcast.
Value skipIdentities(Value value);

/// The factors of the product `value`: the operands of the `mul` producing
/// it and, recursively, of the muls producing those that have no other
/// user. A value that is no mul is its own only factor.
void collectFactors(Value value, SmallVectorImpl<Value> &factors);

/// `axes` counted from the front of a rank-`rank` tensor, or nullopt when
/// an axis is out of range.
std::optional<SmallVector<int64_t>> normalizeAxes(ArrayRef<int64_t> axes,
                                                  int64_t rank);

/// Whether `conv` is a fully connected layer on `[N, C, 1, 1]`: a 1x1 conv
/// with unit stride and dilation, no padding, one group and a constant
/// kernel (and a constant bias when it has one).
bool isFullyConnected(Conv2DOp conv);

/// A new constant with the data of the constant `constant` and the shape
/// `shape` (same element count). A `dense_resource` keeps its blob.
Value reshapeConstant(OpBuilder &builder, Value constant,
                      ArrayRef<int64_t> shape);

/// Replaces `root` with `replacement`, then erases the ops that were
/// feeding `root` and are left without users.
void replaceAndEraseDead(RewriterBase &rewriter, Operation *root,
                         Value replacement);

} // namespace mlir::dyconv::raise

#endif // DYCONV_PASSES_LIB_RAISEMATCHERS_H
