//===- RaiseLayerScale.cpp - a per-channel constant scale as an affine ----===//
//
// ConvNeXt's layer scale `gamma * x` (gamma `[1, C, 1, 1]` or `[C, 1, 1]`)
// exports as a broadcasting `mul` by a constant. As a `channel_affine` with
// a zero shift, `dyconv-fuse-epilogues` folds it into the epilogue of the
// convolution that produces `x`, static or per-sample.
//
//===----------------------------------------------------------------------===//

#include "Constants.h"
#include "RaiseMatchers.h"
#include "RaiseOnnx.h"

namespace mlir::dyconv::raise {

LogicalResult raiseLayerScale(RewriterBase &rewriter, MulOp mul) {
  for (unsigned i = 0; i < 2; ++i) {
    Value x = mul->getOperand(1 - i);
    auto type = dyn_cast<RankedTensorType>(x.getType());
    if (!type || type.getRank() != 4 || x.getType() != mul.getType() ||
        isTensorConstant(x))
      continue;
    std::optional<constants::ConstantTensor> gamma =
        constants::readConstant(mul->getOperand(i));
    int64_t channels = type.getDimSize(1);
    if (!gamma || ShapedType::isDynamic(channels) ||
        static_cast<int64_t>(gamma->values.size()) != channels)
      continue;
    // [C, 1, 1] or [1, C, 1, 1]: the channels sit at dimension 1 of x.
    ArrayRef<int64_t> shape = gamma->type.getShape();
    int64_t pad = 4 - static_cast<int64_t>(shape.size());
    if (pad < 0 || pad > 1 || shape[1 - pad] != channels)
      continue;
    rewriter.setInsertionPoint(mul);
    Location loc = mul.getLoc();
    auto vector = RankedTensorType::get({channels}, rewriter.getF32Type());
    Value scale = reshapeConstant(rewriter, mul->getOperand(i), {channels});
    Value shift = constants::createConstant(
        rewriter, loc, vector, SmallVector<double>(channels, 0.0), false, "");
    auto affine = ChannelAffineOp::create(rewriter, loc, x, scale, shift);
    replaceAndEraseDead(rewriter, mul, affine.getResult());
    return success();
  }
  return failure();
}

} // namespace mlir::dyconv::raise
