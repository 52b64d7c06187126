//===- KernelOps.cpp - type inference of the kernel-level ops -------------===//

#include "OpInference.h"

#include "dyconv/Dialect/DyConvOps.h"
#include "dyconv/Dialect/ShapeUtils.h"

using namespace mlir;
using namespace mlir::dyconv;
using inference::OpDiagnostics;
using inference::tensorLike;

LogicalResult FusedConv2DOp::inferReturnTypes(MLIRContext *,
                                              std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &results) {
  OpDiagnostics diag(loc, getOperationName());
  FailureOr<RankedTensorType> input =
      diag.ranked(adaptor.getInput(), "input", 4);
  FailureOr<RankedTensorType> weight =
      diag.ranked(adaptor.getWeight(), "weight");
  if (failed(input) || failed(weight))
    return failure();
  ArrayRef<int64_t> kernel = weight->getShape();
  if (kernel.size() == 5) {
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
  results.push_back(tensorLike(*shape, *input));
  return success();
}

namespace {
/// One optional head of an ODConv attention: `[size, A]` weight and `[size]`
/// bias.
struct AttentionHead {
  StringRef name;
  Value weight, bias;
  int64_t size;
};
} // namespace

LogicalResult
ODConvAttentionOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                    Adaptor adaptor,
                                    SmallVectorImpl<Type> &results) {
  OpDiagnostics diag(loc, getOperationName());
  FailureOr<RankedTensorType> input =
      diag.ranked(adaptor.getInput(), "input", 4);
  FailureOr<RankedTensorType> fc =
      diag.ranked(adaptor.getFcWeight(), "fc_weight", 2);
  if (failed(input) || failed(fc))
    return failure();
  int64_t batch = input->getDimSize(0), cin = input->getDimSize(1);
  int64_t width = fc->getDimSize(0);
  if (failed(diag.matrix(adaptor.getFcWeight(), "fc_weight", width, cin)) ||
      failed(diag.vector(adaptor.getFcBias(), "fc_bias", width)) ||
      failed(diag.matrix(adaptor.getChannelWeight(), "channel_weight", cin,
                         width)) ||
      failed(diag.vector(adaptor.getChannelBias(), "channel_bias", cin)))
    return failure();
  results.push_back(tensorLike({batch, cin}, *input));
  AttentionHead heads[] = {
      {"filter", adaptor.getFilterWeight(), adaptor.getFilterBias(), 0},
      {"spatial", adaptor.getSpatialWeight(), adaptor.getSpatialBias(), 0},
      {"kernel", adaptor.getKernelWeight(), adaptor.getKernelBias(), 0}};
  for (AttentionHead &head : heads) {
    if (static_cast<bool>(head.weight) != static_cast<bool>(head.bias))
      return diag.fail("the ", head.name,
                       " head needs both its weight and its bias");
    if (!head.weight)
      continue;
    FailureOr<RankedTensorType> weight =
        diag.ranked(head.weight, (head.name + "_weight").str(), 2);
    if (failed(weight))
      return failure();
    head.size = weight->getDimSize(0);
    if (failed(diag.matrix(head.weight, (head.name + "_weight").str(),
                           head.size, width)) ||
        failed(diag.vector(head.bias, (head.name + "_bias").str(), head.size)))
      return failure();
    results.push_back(tensorLike({batch, head.size}, *input));
  }
  double temperature = adaptor.getTemperature().convertToDouble();
  if (!(temperature > 0))
    return diag.fail("temperature must be positive, got ", temperature);
  return success();
}

LogicalResult AggregateOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  OpDiagnostics diag(loc, getOperationName());
  FailureOr<RankedTensorType> bank = diag.ranked(adaptor.getBank(), "bank", 5);
  FailureOr<RankedTensorType> channel =
      diag.ranked(adaptor.getChannel(), "channel", 2);
  if (failed(bank) || failed(channel))
    return failure();
  int64_t groups = adaptor.getGroups();
  if (groups < 1)
    return diag.fail("groups must be positive, got ", groups);
  int64_t kernels = bank->getDimSize(0), cout = bank->getDimSize(1);
  int64_t taps = shape::product({bank->getDimSize(3), bank->getDimSize(4)});
  int64_t cin = shape::product({bank->getDimSize(2), groups});
  int64_t batch = channel->getDimSize(0);
  struct Attention {
    Value value;
    StringRef name;
    int64_t size;
  } attentions[] = {{adaptor.getChannel(), "channel", cin},
                    {adaptor.getFilter(), "filter", cout},
                    {adaptor.getSpatial(), "spatial", taps},
                    {adaptor.getKernel(), "kernel", kernels}};
  for (const Attention &attention : attentions) {
    if (!attention.value)
      continue;
    FailureOr<RankedTensorType> type =
        diag.ranked(attention.value, attention.name, 2);
    if (failed(type))
      return failure();
    if (!shape::compatible(type->getShape(), {batch, attention.size}))
      return diag.fail(attention.name, " attention ", *type, " must be ",
                       shape::format({batch, attention.size}), " for bank ",
                       *bank, " with groups ", groups);
  }
  if (!adaptor.getKernel() && !shape::compatible(kernels, 1))
    return diag.fail("a bank of ", kernels,
                     " kernels needs the kernel attention");
  SmallVector<int64_t> shape = {batch};
  llvm::append_range(shape, bank->getShape().drop_front());
  results.push_back(tensorLike(shape, *bank));
  return success();
}

LogicalResult
ChannelAffineOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                  Adaptor adaptor,
                                  SmallVectorImpl<Type> &results) {
  OpDiagnostics diag(loc, getOperationName());
  FailureOr<RankedTensorType> input = diag.ranked(adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  if (input->getRank() < 2)
    return diag.fail("input must have rank >= 2 ([N, C, ...]), got ", *input);
  int64_t channels = input->getDimSize(1);
  if (failed(diag.vector(adaptor.getScale(), "scale", channels)) ||
      failed(diag.vector(adaptor.getShift(), "shift", channels)))
    return failure();
  results.push_back(*input);
  return success();
}
