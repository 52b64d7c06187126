//===- KernelOps.cpp - fused_conv2d and channel_affine --------------------===//
//
// The kernel-level ops that are compositions of graph-level ones; the
// attention and aggregation ops live with ODConv in DynamicConvOps.cpp.
//
//===----------------------------------------------------------------------===//

#include "KernelSupport.h"

#include "dyconv/Reference/Kernels.h"

namespace mlir::dyconv::reference {

using detail::expectRank;
using detail::expectShape;
using detail::fail;

llvm::Expected<Tensor> fusedConv2d(const Tensor &input, const Tensor &weight,
                                   const Tensor *scale, const Tensor *bias,
                                   const Tensor *residual,
                                   const ConvParams &params,
                                   Activation activation, float clipMin,
                                   float clipMax) {
  llvm::Expected<Tensor> output =
      weight.rank() == 5 ? dynamicConv2d(input, weight, nullptr, params)
                         : conv2d(input, weight, nullptr, params);
  if (!output)
    return output.takeError();
  int64_t channels = output->dim(1);
  if (scale && scale->rank() == 2) {
    // One scale per sample and channel: [N, Cout] as [N, Cout, 1, 1].
    if (auto error = expectShape(*scale, "scale", {output->dim(0), channels}))
      return std::move(error);
    Tensor perSample = *scale;
    perSample.shape = {output->dim(0), channels, 1, 1};
    output = mul(*output, perSample);
    if (!output)
      return output.takeError();
    scale = nullptr;
  }
  if (scale || bias) {
    Tensor ones = Tensor::filled({channels}, 1.0f);
    Tensor zeros = Tensor::zeros({channels});
    output =
        channelAffine(*output, scale ? *scale : ones, bias ? *bias : zeros);
    if (!output)
      return output.takeError();
  }
  if (residual) {
    if (auto error = expectShape(*residual, "residual", output->shape))
      return std::move(error);
    output = add(*output, *residual);
    if (!output)
      return output.takeError();
  }
  switch (activation) {
  case Activation::None:
    return output;
  case Activation::Relu:
    return relu(*output);
  case Activation::Clip:
    return clip(*output, clipMin, clipMax);
  }
  return fail("unknown activation");
}

llvm::Expected<Tensor> channelAffine(const Tensor &input, const Tensor &scale,
                                     const Tensor &shift) {
  if (input.rank() < 2)
    return fail("input must have rank >= 2 ([N, C, ...]), got " +
                formatShape(input.shape));
  int64_t channels = input.dim(1);
  if (auto error = expectShape(scale, "scale", {channels}))
    return std::move(error);
  if (auto error = expectShape(shift, "shift", {channels}))
    return std::move(error);
  int64_t inner = product(llvm::ArrayRef<int64_t>(input.shape).drop_front(2));
  Tensor output = input;
  for (int64_t i = 0; i < input.numElements(); ++i) {
    int64_t c = (i / inner) % channels;
    output.data[i] = static_cast<float>(
        static_cast<double>(input.data[i]) * scale.data[c] + shift.data[c]);
  }
  return output;
}

} // namespace mlir::dyconv::reference
