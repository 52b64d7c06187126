//===- Constants.cpp - reading and creating constant tensors in passes ---===//

#include "Constants.h"

#include "dyconv/Dialect/Layout.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cmath>

namespace mlir::dyconv::constants {

std::optional<ConstantTensor> readConstant(Value value) {
  auto constant = value.getDefiningOp<arith::ConstantOp>();
  if (!constant)
    return std::nullopt;
  auto type = dyn_cast<RankedTensorType>(constant.getType());
  if (!type || !type.hasStaticShape() || !type.getElementType().isF32())
    return std::nullopt;
  // A blob whose data is not available (e.g. elided) cannot be folded.
  std::string error;
  FailureOr<std::vector<float>> values = readConstantElements(
      constant.getValue(), type, /*physical=*/false, error);
  if (failed(values))
    return std::nullopt;
  ConstantTensor result;
  result.type = type;
  result.values.assign(values->begin(), values->end());
  if (auto resource =
          dyn_cast<DenseF32ResourceElementsAttr>(constant.getValue()))
    result.resourceName = resource.getRawHandle().getKey().str();
  return result;
}

Value createConstant(OpBuilder &builder, Location loc, RankedTensorType type,
                     ArrayRef<double> values, bool asResource,
                     StringRef blobName) {
  SmallVector<float> narrowed(values.begin(), values.end());
  TypedAttr attr;
  if (asResource)
    attr = DenseResourceElementsAttr::get(
        type, blobName,
        HeapAsmResourceBlob::allocateAndCopyInferAlign(
            ArrayRef<float>(narrowed)));
  else
    attr = DenseElementsAttr::get(type, ArrayRef<float>(narrowed));
  return arith::ConstantOp::create(builder, loc, attr).getResult();
}

std::optional<ChannelAffine> readBatchNorm(Value scale, Value bias, Value mean,
                                           Value variance, double epsilon) {
  std::optional<ConstantTensor> gamma = readConstant(scale);
  std::optional<ConstantTensor> beta = readConstant(bias);
  std::optional<ConstantTensor> mu = readConstant(mean);
  std::optional<ConstantTensor> var = readConstant(variance);
  if (!gamma || !beta || !mu || !var)
    return std::nullopt;
  size_t channels = gamma->values.size();
  if (beta->values.size() != channels || mu->values.size() != channels ||
      var->values.size() != channels)
    return std::nullopt;
  ChannelAffine affine;
  affine.scale.resize(channels);
  affine.shift.resize(channels);
  for (size_t c = 0; c < channels; ++c) {
    double s = gamma->values[c] / std::sqrt(var->values[c] + epsilon);
    affine.scale[c] = s;
    affine.shift[c] = beta->values[c] - mu->values[c] * s;
  }
  affine.biasResourceName = beta->resourceName;
  return affine;
}

std::optional<ChannelAffine> readBatchNorm(BatchNormOp bn) {
  return readBatchNorm(bn.getScale(), bn.getBias(), bn.getMean(),
                       bn.getVariance(), bn.getEpsilon().convertToDouble());
}

} // namespace mlir::dyconv::constants
