//===- DDFOps.cpp - ddf, filter_norm --------------------------------------===//
//
// Type inference, reference evaluation and kernel description of the
// decoupled dynamic filter and its FilterNorm (spec §3.1-3.2).
//
//===----------------------------------------------------------------------===//

#include "OpFamily.h"

using namespace mlir;
using namespace mlir::dyconv;

//===----------------------------------------------------------------------===//
// ddf
//===----------------------------------------------------------------------===//

FailureOr<TypeList> DDFOp::inferResultTypes(const OpDiagnostics &diag,
                                            Adaptor adaptor) {
  FailureOr<RankedTensorType> input =
      diag.ranked(adaptor.getInput(), "input", 4);
  FailureOr<RankedTensorType> channel =
      diag.ranked(adaptor.getChannelFilter(), "channel_filter", 4);
  FailureOr<RankedTensorType> spatial =
      diag.ranked(adaptor.getSpatialFilter(), "spatial_filter", 4);
  if (failed(input) || failed(channel) || failed(spatial))
    return failure();
  int64_t k = adaptor.getKernelSize(), stride = adaptor.getStride();
  int64_t dilation = adaptor.getDilation();
  if (k < 1 || k % 2 == 0)
    return diag.fail("kernel_size must be odd, got ", k);
  if (stride < 1 || dilation < 1)
    return diag.fail("stride (", stride, ") and dilation (", dilation,
                     ") must be positive");
  int64_t batch = input->getDimSize(0), channels = input->getDimSize(1);
  auto scaled = [&](int64_t size) {
    return shape::isDynamic(size) ? size : size / stride;
  };
  SmallVector<int64_t> out = {batch, channels, scaled(input->getDimSize(2)),
                              scaled(input->getDimSize(3))};
  auto matches = [](RankedTensorType type, ArrayRef<int64_t> expected) {
    return llvm::all_of(llvm::zip(type.getShape(), expected), [](auto p) {
      return shape::compatible(std::get<0>(p), std::get<1>(p));
    });
  };
  if (!matches(*channel, {batch, channels, k, k}))
    return diag.fail("channel_filter must be ",
                     shape::format({batch, channels, k, k}), ", got ",
                     *channel);
  if (!matches(*spatial, {batch, k * k, out[2], out[3]}))
    return diag.fail("spatial_filter must be ",
                     shape::format({batch, k * k, out[2], out[3]}),
                     " (k*k taps at the strided output size), got ", *spatial);
  return TypeList{tensorLike(out, *input)};
}

llvm::Expected<TensorList> DDFOp::evaluate(const OperandTensors &operands) {
  return singleResult(reference::ddf(
      operands.get(getInput()), operands.get(getChannelFilter()),
      operands.get(getSpatialFilter()), static_cast<int64_t>(getKernelSize()),
      static_cast<int64_t>(getStride()), static_cast<int64_t>(getDilation()),
      getCombine()));
}

FailureOr<KernelDesc> DDFOp::describeKernel() {
  DDFKernel desc;
  std::tie(desc.channels, desc.height, desc.width) = kernels::chw(getInput());
  desc.kernelSize = static_cast<int64_t>(getKernelSize());
  desc.stride = static_cast<int64_t>(getStride());
  desc.dilation = static_cast<int64_t>(getDilation());
  desc.combine = getCombine();
  return KernelDesc(desc);
}

//===----------------------------------------------------------------------===//
// filter_norm
//===----------------------------------------------------------------------===//

FailureOr<TypeList> FilterNormOp::inferResultTypes(const OpDiagnostics &diag,
                                                   Adaptor adaptor) {
  FailureOr<RankedTensorType> input =
      diag.ranked(adaptor.getInput(), "input", 4);
  if (failed(input))
    return failure();
  int64_t taps = adaptor.getTaps(), channels = input->getDimSize(1);
  if (taps < 2)
    return diag.fail("taps must be at least 2 (the standard deviation is "
                     "unbiased), got ",
                     taps);
  if (!shape::isDynamic(channels) && channels % taps != 0)
    return diag.fail("input channels (", channels,
                     ") are not a multiple of taps (", taps, "): ", *input);
  if (adaptor.getScale() &&
      failed(diag.vector(adaptor.getScale(), "scale", channels)))
    return failure();
  if (!(adaptor.getEpsilon().convertToDouble() >= 0))
    return diag.fail("epsilon must be non-negative");
  return TypeList{tensorLike(input->getShape(), *input)};
}

llvm::Expected<TensorList>
FilterNormOp::evaluate(const OperandTensors &operands) {
  return singleResult(reference::filterNorm(
      operands.get(getInput()), operands.optional(getScale()),
      static_cast<int64_t>(getTaps()), getGain().convertToDouble(),
      getEpsilon().convertToDouble()));
}

FailureOr<KernelDesc> FilterNormOp::describeKernel() {
  FilterNormKernel desc;
  std::tie(desc.channels, desc.height, desc.width) = kernels::chw(getInput());
  desc.taps = static_cast<int64_t>(getTaps());
  desc.hasScale = static_cast<bool>(getScale());
  desc.gain = static_cast<float>(getGain().convertToDouble());
  desc.epsilon = static_cast<float>(getEpsilon().convertToDouble());
  return KernelDesc(desc);
}
