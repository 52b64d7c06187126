//===- NormOps.cpp - batch_norm, layer_norm, channel_affine ---------------===//
//
// Type inference, reference evaluation and kernel description of the
// normalisations. A batch_norm is no kernel: dyconv-fold-batchnorm folds it
// into a conv or turns it into a channel_affine.
//
//===----------------------------------------------------------------------===//

#include "OpFamily.h"

using namespace mlir;
using namespace mlir::dyconv;

/// Checks that `epsilon` (a normalisation's attribute) is non-negative.
static LogicalResult checkEpsilon(const OpDiagnostics &diag, StringRef name,
                                  double epsilon) {
  if (!(epsilon >= 0))
    return diag.fail(name, " must be non-negative, got ", epsilon);
  return success();
}

/// Checks an op that scales `input [N, C, ...]` per channel: rank >= 2 and
/// every parameter of `params` (value, name) a `[C]` vector. The type of the
/// result, shaped like the input.
static FailureOr<TypeList>
inferPerChannel(const OpDiagnostics &diag, Value inputValue,
                ArrayRef<std::pair<Value, StringRef>> params) {
  FailureOr<RankedTensorType> input = diag.ranked(inputValue, "input");
  if (failed(input))
    return failure();
  if (input->getRank() < 2)
    return diag.fail("input must have rank >= 2 ([N, C, ...]), got ", *input);
  for (auto [value, name] : params)
    if (failed(diag.vector(value, name, input->getDimSize(1))))
      return failure();
  return TypeList{tensorLike(input->getShape(), *input)};
}

//===----------------------------------------------------------------------===//
// batch_norm
//===----------------------------------------------------------------------===//

FailureOr<TypeList> BatchNormOp::inferResultTypes(const OpDiagnostics &diag,
                                                  Adaptor adaptor) {
  FailureOr<TypeList> types =
      inferPerChannel(diag, adaptor.getInput(),
                      {{adaptor.getScale(), "scale"},
                       {adaptor.getBias(), "bias"},
                       {adaptor.getMean(), "mean"},
                       {adaptor.getVariance(), "variance"}});
  if (failed(types) ||
      failed(checkEpsilon(diag, "epsilon",
                          adaptor.getEpsilon().convertToDouble())))
    return failure();
  return types;
}

llvm::Expected<TensorList>
BatchNormOp::evaluate(const OperandTensors &operands) {
  return singleResult(reference::batchNorm(
      operands.get(getInput()), operands.get(getScale()),
      operands.get(getBias()), operands.get(getMean()),
      operands.get(getVariance()), getEpsilon().convertToDouble()));
}

//===----------------------------------------------------------------------===//
// layer_norm
//===----------------------------------------------------------------------===//

FailureOr<TypeList> LayerNormOp::inferResultTypes(const OpDiagnostics &diag,
                                                  Adaptor adaptor) {
  FailureOr<RankedTensorType> input = diag.ranked(adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  // I64Attr getters return uint64_t; a negative axis must print as one.
  int64_t axisAttr = adaptor.getAxis();
  std::optional<int64_t> axis =
      shape::normalizeAxis(axisAttr, input->getRank());
  if (!axis)
    return diag.fail("axis ", axisAttr, " is out of range for ", *input);
  ArrayRef<int64_t> normalized = input->getShape().drop_front(*axis);
  for (auto [value, name] : {std::pair{adaptor.getScale(), "scale"},
                             std::pair{adaptor.getBias(), "bias"}}) {
    FailureOr<RankedTensorType> param = diag.ranked(value, name);
    if (failed(param))
      return failure();
    if (!shape::compatible(param->getShape(), normalized))
      return diag.fail(name, " ", *param, " must have the normalized shape ",
                       shape::format(normalized), " of input ", *input);
  }
  if (failed(checkEpsilon(diag, "epsilon",
                          adaptor.getEpsilon().convertToDouble())))
    return failure();
  return TypeList{tensorLike(input->getShape(), *input)};
}

llvm::Expected<TensorList>
LayerNormOp::evaluate(const OperandTensors &operands) {
  return singleResult(reference::layerNorm(
      operands.get(getInput()), operands.get(getScale()),
      operands.get(getBias()), static_cast<int64_t>(getAxis()),
      getEpsilon().convertToDouble()));
}

FailureOr<KernelDesc> LayerNormOp::describeKernel() {
  LayerNormKernel desc;
  desc.shape = kernels::descriptorShape(getInput());
  desc.axis =
      kernels::normalizedAxis(static_cast<int64_t>(getAxis()), getInput());
  desc.epsilon = static_cast<float>(getEpsilon().convertToDouble());
  return KernelDesc(desc);
}

//===----------------------------------------------------------------------===//
// channel_affine
//===----------------------------------------------------------------------===//

FailureOr<TypeList> ChannelAffineOp::inferResultTypes(const OpDiagnostics &diag,
                                                      Adaptor adaptor) {
  return inferPerChannel(
      diag, adaptor.getInput(),
      {{adaptor.getScale(), "scale"}, {adaptor.getShift(), "shift"}});
}

llvm::Expected<TensorList>
ChannelAffineOp::evaluate(const OperandTensors &operands) {
  return singleResult(reference::channelAffine(operands.get(getInput()),
                                               operands.get(getScale()),
                                               operands.get(getShift())));
}

FailureOr<KernelDesc> ChannelAffineOp::describeKernel() {
  return KernelDesc(ChannelAffineKernel{kernels::descriptorShape(getInput())});
}
