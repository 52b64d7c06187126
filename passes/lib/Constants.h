//===- Constants.h - reading and creating constant tensors in passes -----===//
//
// Internal to DyConvPasses: the passes that fold parameters (batch norms into
// kernels, attention batch norms into fcs) read f32 `arith.constant`s held as
// dense elements or dense_resource blobs, compute in double, and create new
// constants in the representation of the ones they replace.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_PASSES_LIB_CONSTANTS_H
#define DYCONV_PASSES_LIB_CONSTANTS_H

#include "dyconv/Dialect/DyConvOps.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"

#include <optional>
#include <string>

namespace mlir::dyconv::constants {

/// The values of an f32 constant tensor, widened to double.
struct ConstantTensor {
  RankedTensorType type;
  SmallVector<double> values;
  /// The blob name when the constant is a `dense_resource`, empty otherwise.
  std::string resourceName;

  bool isResource() const { return !resourceName.empty(); }
};

/// Reads `value` when it is an `arith.constant` of a statically shaped f32
/// tensor held as dense elements or as an available dense resource.
std::optional<ConstantTensor> readConstant(Value value);

/// Creates an f32 `arith.constant` of `type` holding `values` (narrowed from
/// double), as a new `dense_resource` blob named after `blobName` when
/// `asResource` is set and as inline dense elements otherwise.
Value createConstant(OpBuilder &builder, Location loc, RankedTensorType type,
                     ArrayRef<double> values, bool asResource,
                     StringRef blobName);

/// The per-channel affine map `y = scale * x + shift` of an inference batch
/// norm whose parameters are all constants.
struct ChannelAffine {
  SmallVector<double> scale;
  SmallVector<double> shift;
  /// The blob name of the batch norm's bias when it is a `dense_resource`.
  std::string biasResourceName;
};

/// The affine map of a batch norm with parameters `scale`, `bias`, `mean`,
/// `variance` (constants of one size) and `epsilon`; nullopt otherwise.
std::optional<ChannelAffine> readBatchNorm(Value scale, Value bias, Value mean,
                                           Value variance, double epsilon);

/// readBatchNorm for a `dyconv.batch_norm` op.
std::optional<ChannelAffine> readBatchNorm(BatchNormOp bn);

} // namespace mlir::dyconv::constants

#endif // DYCONV_PASSES_LIB_CONSTANTS_H
