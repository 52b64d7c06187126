//===- ConvOps.cpp - conv2d, dynamic_conv2d, fused_conv2d, linear ---------===//
//
// Type inference, reference evaluation and kernel description of the
// convolutions and the dense layer.
//
//===----------------------------------------------------------------------===//

#include "OpFamily.h"

using namespace mlir;
using namespace mlir::dyconv;

//===----------------------------------------------------------------------===//
// conv2d
//===----------------------------------------------------------------------===//

FailureOr<TypeList> Conv2DOp::inferResultTypes(const OpDiagnostics &diag,
                                               Adaptor adaptor) {
  FailureOr<RankedTensorType> input =
      diag.ranked(adaptor.getInput(), "input", 4);
  FailureOr<RankedTensorType> weight =
      diag.ranked(adaptor.getWeight(), "weight", 4);
  if (failed(input) || failed(weight))
    return failure();
  FailureOr<SmallVector<int64_t>> shape = inference::inferConv2D(
      diag, *input, weight->getShape(), *weight, adaptor.getBias(),
      adaptor.getStride(), adaptor.getPadding(), adaptor.getDilation(),
      adaptor.getGroups());
  if (failed(shape))
    return failure();
  return TypeList{tensorLike(*shape, *input)};
}

llvm::Expected<TensorList> Conv2DOp::evaluate(const OperandTensors &operands) {
  auto params = reference::convParams(*this);
  if (!params)
    return params.takeError();
  return singleResult(reference::conv2d(operands.get(getInput()),
                                        operands.get(getWeight()),
                                        operands.optional(getBias()), *params));
}

//===----------------------------------------------------------------------===//
// dynamic_conv2d
//===----------------------------------------------------------------------===//

FailureOr<TypeList> DynamicConv2DOp::inferResultTypes(const OpDiagnostics &diag,
                                                      Adaptor adaptor) {
  FailureOr<RankedTensorType> input =
      diag.ranked(adaptor.getInput(), "input", 4);
  FailureOr<RankedTensorType> weight =
      diag.ranked(adaptor.getWeight(), "weight", 5);
  if (failed(input) || failed(weight))
    return failure();
  FailureOr<ArrayRef<int64_t>> kernel =
      inference::perSampleKernel(diag, *input, *weight);
  if (failed(kernel))
    return failure();
  FailureOr<SmallVector<int64_t>> shape = inference::inferConv2D(
      diag, *input, *kernel, *weight, adaptor.getBias(), adaptor.getStride(),
      adaptor.getPadding(), adaptor.getDilation(), adaptor.getGroups());
  if (failed(shape))
    return failure();
  if (shape::isDynamic((*shape)[0]))
    (*shape)[0] = weight->getDimSize(0);
  return TypeList{tensorLike(*shape, *input)};
}

llvm::Expected<TensorList>
DynamicConv2DOp::evaluate(const OperandTensors &operands) {
  auto params = reference::convParams(*this);
  if (!params)
    return params.takeError();
  return singleResult(reference::dynamicConv2d(
      operands.get(getInput()), operands.get(getWeight()),
      operands.optional(getBias()), *params));
}

//===----------------------------------------------------------------------===//
// fused_conv2d
//===----------------------------------------------------------------------===//

FailureOr<TypeList> FusedConv2DOp::inferResultTypes(const OpDiagnostics &diag,
                                                    Adaptor adaptor) {
  FailureOr<RankedTensorType> input =
      diag.ranked(adaptor.getInput(), "input", 4);
  FailureOr<RankedTensorType> weight =
      diag.ranked(adaptor.getWeight(), "weight");
  if (failed(input) || failed(weight))
    return failure();
  ArrayRef<int64_t> kernel = weight->getShape();
  SmallVector<int64_t> aggregated;
  if (adaptor.getChannelAttention()) {
    // The bank's per-sample kernels [N, Cout, Cin/groups, KH, KW].
    FailureOr<SmallVector<int64_t>> shape = inference::aggregatedKernels(
        diag, adaptor.getWeight(), adaptor.getChannelAttention(),
        adaptor.getFilterAttention(), adaptor.getSpatialAttention(),
        adaptor.getKernelAttention(), adaptor.getGroups());
    if (failed(shape))
      return failure();
    aggregated = std::move(*shape);
    if (!shape::compatible(aggregated[0], input->getDimSize(0)))
      return diag.fail("the attentions are for ", aggregated[0],
                       " samples but input ", *input, " has batch ",
                       input->getDimSize(0));
    kernel = ArrayRef<int64_t>(aggregated).drop_front();
  } else if (adaptor.getFilterAttention() || adaptor.getSpatialAttention() ||
             adaptor.getKernelAttention()) {
    return diag.fail("the filter, spatial and kernel attentions aggregate "
                     "a bank with a channel_attention");
  } else if (kernel.size() == 5) {
    FailureOr<ArrayRef<int64_t>> perSample =
        inference::perSampleKernel(diag, *input, *weight);
    if (failed(perSample))
      return failure();
    kernel = *perSample;
  } else if (kernel.size() != 4) {
    return diag.fail("weight must be [Cout, Cin/groups, KH, KW] or "
                     "[N, Cout, Cin/groups, KH, KW], got ",
                     *weight);
  }
  FailureOr<SmallVector<int64_t>> shape = inference::inferConv2D(
      diag, *input, kernel, *weight, adaptor.getBias(), adaptor.getStride(),
      adaptor.getPadding(), adaptor.getDilation(), adaptor.getGroups());
  if (failed(shape))
    return failure();
  if (Value scale = adaptor.getScale()) {
    auto type = cast<RankedTensorType>(scale.getType());
    if (type.getRank() == 2) {
      if (!shape::compatible(type.getShape(), {(*shape)[0], kernel[0]}))
        return diag.fail("a per-sample scale must be [N, Cout] = ",
                         shape::format({(*shape)[0], kernel[0]}), ", got ",
                         type);
    } else if (failed(diag.vector(scale, "scale", kernel[0]))) {
      return failure();
    }
  }
  if (Value residual = adaptor.getResidual()) {
    auto type = cast<RankedTensorType>(residual.getType());
    if (!shape::compatible(type.getShape(), *shape))
      return diag.fail("residual ", type, " does not match the result shape ",
                       shape::format(*shape));
  }
  float min = adaptor.getClipMin().convertToFloat();
  float max = adaptor.getClipMax().convertToFloat();
  if (adaptor.getActivation() == Activation::Clip && !(min <= max))
    return diag.fail("clip_min (", min, ") exceeds clip_max (", max, ")");
  return TypeList{tensorLike(*shape, *input)};
}

llvm::Expected<TensorList>
FusedConv2DOp::evaluate(const OperandTensors &operands) {
  auto params = reference::convParams(*this);
  if (!params)
    return params.takeError();
  std::optional<Tensor> aggregated;
  if (isAggregating()) {
    llvm::Expected<Tensor> kernels = reference::aggregate(
        operands.get(getWeight()), operands.get(getChannelAttention()),
        operands.optional(getFilterAttention()),
        operands.optional(getSpatialAttention()),
        operands.optional(getKernelAttention()),
        static_cast<int64_t>(getGroups()));
    if (!kernels)
      return kernels.takeError();
    aggregated = std::move(*kernels);
  }
  return singleResult(reference::fusedConv2d(
      operands.get(getInput()),
      aggregated ? *aggregated : operands.get(getWeight()),
      operands.optional(getScale()), operands.optional(getBias()),
      operands.optional(getResidual()), *params, getActivation(),
      getClipMin().convertToFloat(), getClipMax().convertToFloat()));
}

FailureOr<KernelDesc> FusedConv2DOp::describeKernel() {
  ConvKernel desc = kernels::convGeometry(*this);
  desc.epilogue.scale = static_cast<bool>(getScale());
  desc.epilogue.perSampleScale =
      getScale() && cast<RankedTensorType>(getScale().getType()).getRank() == 2;
  desc.epilogue.residual = static_cast<bool>(getResidual());
  if (isAggregating())
    desc.aggregation = kernels::aggregation(
        getWeight(), getFilterAttention(), getSpatialAttention(),
        getKernelAttention(), static_cast<int64_t>(getGroups()));
  // Without a schedule the tile stays empty, which codegen refuses.
  if (ConvScheduleAttr schedule = getScheduleAttr()) {
    desc.schedule = schedule.getKind();
    desc.tile.assign(schedule.getTile().begin(), schedule.getTile().end());
  }
  desc.epilogue.activation = getActivation();
  desc.epilogue.clipMin = getClipMin().convertToFloat();
  desc.epilogue.clipMax = getClipMax().convertToFloat();
  return KernelDesc(desc);
}

//===----------------------------------------------------------------------===//
// linear
//===----------------------------------------------------------------------===//

FailureOr<TypeList> LinearOp::inferResultTypes(const OpDiagnostics &diag,
                                               Adaptor adaptor) {
  FailureOr<RankedTensorType> input =
      diag.ranked(adaptor.getInput(), "input", 2);
  FailureOr<RankedTensorType> weight =
      diag.ranked(adaptor.getWeight(), "weight", 2);
  if (failed(input) || failed(weight))
    return failure();
  if (!shape::compatible(input->getDimSize(1), weight->getDimSize(1)))
    return diag.fail("input ", *input, " has ", input->getDimSize(1),
                     " features but weight ", *weight, " expects ",
                     weight->getDimSize(1));
  int64_t out = weight->getDimSize(0);
  if (adaptor.getBias() && failed(diag.vector(adaptor.getBias(), "bias", out)))
    return failure();
  return TypeList{tensorLike({input->getDimSize(0), out}, *input)};
}

llvm::Expected<TensorList> LinearOp::evaluate(const OperandTensors &operands) {
  return singleResult(reference::linear(operands.get(getInput()),
                                        operands.get(getWeight()),
                                        operands.optional(getBias())));
}

FailureOr<KernelDesc> LinearOp::describeKernel() {
  LinearKernel desc;
  ArrayRef<int64_t> weight = kernels::shapeOf(getWeight());
  desc.outFeatures = weight[0];
  desc.inFeatures = weight[1];
  desc.hasBias = static_cast<bool>(getBias());
  return KernelDesc(desc);
}
