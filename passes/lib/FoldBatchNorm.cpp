//===- FoldBatchNorm.cpp - fold inference batch norms into kernels --------===//
//
// An inference batch norm after a convolution is a per-output-channel affine
// map `y = s * x + t` with `s = scale / sqrt(variance + epsilon)` and
// `t = bias - mean * s`. After a static `conv2d` both parts fold into the
// kernel and the bias. After an `odconv` the scale folds into every kernel of
// the bank, because the channel, spatial, kernel and filter attentions are all
// linear and commute with a per-output-channel scale; the shift does not
// commute with the filter attention (which multiplies the conv's output), so
// it stays as a broadcast `dyconv.add` after the odconv (operator spec §1.9).
//
//===----------------------------------------------------------------------===//

#include "Constants.h"

#include "dyconv/Passes/Passes.h"

#include "dyconv/Dialect/DyConvDialect.h"
#include "dyconv/Dialect/DyConvOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>
#include <optional>

namespace mlir::dyconv {
#define GEN_PASS_DEF_FOLDBATCHNORM
#include "dyconv/Passes/Passes.h.inc"
} // namespace mlir::dyconv

using namespace mlir;
using namespace mlir::dyconv;
using namespace mlir::dyconv::constants;

namespace {

/// Multiplies every output-channel slice of `kernel` by `scale[o]`. The
/// output channel is dimension `channelDim` and everything after it is one
/// contiguous slice per channel.
void scaleOutputChannels(ConstantTensor &kernel, unsigned channelDim,
                         ArrayRef<double> scale) {
  ArrayRef<int64_t> shape = kernel.type.getShape();
  int64_t channels = shape[channelDim];
  int64_t inner = 1;
  for (int64_t d : shape.drop_front(channelDim + 1))
    inner *= d;
  int64_t outer = kernel.type.getNumElements() / (channels * inner);
  for (int64_t i = 0; i < outer; ++i)
    for (int64_t o = 0; o < channels; ++o) {
      double *slice = kernel.values.data() + (i * channels + o) * inner;
      for (int64_t j = 0; j < inner; ++j)
        slice[j] *= scale[o];
    }
}

/// `batch_norm(conv2d(x, W, b?))` -> `conv2d(x, W * s, b * s + t)`.
struct FoldIntoConv2D : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    auto conv = bn.getInput().getDefiningOp<Conv2DOp>();
    if (!conv)
      return rewriter.notifyMatchFailure(bn, "input is not a dyconv.conv2d");
    if (!conv->hasOneUse())
      return rewriter.notifyMatchFailure(bn, "the conv has other users");
    std::optional<ConstantTensor> weight = readConstant(conv.getWeight());
    if (!weight)
      return rewriter.notifyMatchFailure(bn, "the kernel is not a constant");
    std::optional<ConstantTensor> convBias;
    if (Value bias = conv.getBias()) {
      convBias = readConstant(bias);
      if (!convBias)
        return rewriter.notifyMatchFailure(bn, "the bias is not a constant");
    }
    std::optional<ChannelAffine> affine = readBatchNorm(bn);
    if (!affine)
      return rewriter.notifyMatchFailure(bn,
                                         "the parameters are not constants");
    int64_t channels = weight->type.getDimSize(0);
    if (static_cast<int64_t>(affine->scale.size()) != channels ||
        (convBias && static_cast<int64_t>(convBias->values.size()) != channels))
      return rewriter.notifyMatchFailure(bn, "channel counts differ");

    scaleOutputChannels(*weight, /*channelDim=*/0, affine->scale);
    SmallVector<double> bias(affine->shift);
    if (convBias)
      for (int64_t o = 0; o < channels; ++o)
        bias[o] += convBias->values[o] * affine->scale[o];

    // The folded constants keep the kernel's representation. The bias blob
    // is named after the conv's bias, else the batch norm's, else the kernel.
    bool asResource = weight->isResource();
    std::string biasName =
        convBias && convBias->isResource()  ? convBias->resourceName
        : !affine->biasResourceName.empty() ? affine->biasResourceName
                                            : weight->resourceName + ".bias";
    Location loc = rewriter.getFusedLoc({conv.getLoc(), bn.getLoc()});
    rewriter.setInsertionPoint(conv);
    Value newWeight = createConstant(rewriter, conv.getWeight().getLoc(),
                                     weight->type, weight->values, asResource,
                                     weight->resourceName + ".folded_bn");
    auto biasType = RankedTensorType::get({channels}, rewriter.getF32Type());
    Value newBias = createConstant(rewriter, bn.getBias().getLoc(), biasType,
                                   bias, asResource, biasName + ".folded_bn");
    auto folded = Conv2DOp::create(
        rewriter, loc, bn.getType(), conv.getInput(), newWeight, newBias,
        conv.getStrideAttr(), conv.getPaddingAttr(), conv.getDilationAttr(),
        conv.getGroupsAttr());
    rewriter.replaceOp(bn, folded.getResult());
    rewriter.eraseOp(conv);
    return success();
  }
};

/// `batch_norm(odconv(x, bank, ...))` -> `add(odconv(x, bank * s, ...), t)`.
struct FoldIntoODConv : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    auto odconv = bn.getInput().getDefiningOp<ODConvOp>();
    if (!odconv)
      return rewriter.notifyMatchFailure(bn, "input is not a dyconv.odconv");
    if (!odconv->hasOneUse())
      return rewriter.notifyMatchFailure(bn, "the odconv has other users");
    std::optional<ConstantTensor> bank = readConstant(odconv.getWeight());
    if (!bank)
      return rewriter.notifyMatchFailure(bn, "the bank is not a constant");
    std::optional<ChannelAffine> affine = readBatchNorm(bn);
    if (!affine)
      return rewriter.notifyMatchFailure(bn,
                                         "the parameters are not constants");
    int64_t channels = bank->type.getDimSize(1);
    if (static_cast<int64_t>(affine->scale.size()) != channels)
      return rewriter.notifyMatchFailure(bn, "channel counts differ");

    // Bank [K, Cout, Cin/g, k, k]: scale every kernel's output channel o.
    scaleOutputChannels(*bank, /*channelDim=*/1, affine->scale);
    bool asResource = bank->isResource();
    std::string shiftName = !affine->biasResourceName.empty()
                                ? affine->biasResourceName
                                : bank->resourceName + ".shift";

    rewriter.setInsertionPoint(odconv);
    Value newBank = createConstant(rewriter, odconv.getWeight().getLoc(),
                                   bank->type, bank->values, asResource,
                                   bank->resourceName + ".folded_bn");
    auto shiftType =
        RankedTensorType::get({1, channels, 1, 1}, rewriter.getF32Type());
    Value shift =
        createConstant(rewriter, bn.getBias().getLoc(), shiftType,
                       affine->shift, asResource, shiftName + ".folded_bn");
    rewriter.modifyOpInPlace(
        odconv, [&] { odconv.getWeightMutable().assign(newBank); });
    rewriter.setInsertionPoint(bn);
    auto add = AddOp::create(rewriter, bn.getLoc(), bn.getType(),
                             odconv.getResult(), shift);
    rewriter.replaceOp(bn, add.getResult());
    return success();
  }
};

/// A batch norm that follows no foldable convolution ->
/// `channel_affine(x, s, t)`. The lowest benefit makes the greedy driver try
/// the folds into a convolution first.
struct BatchNormToChannelAffine : OpRewritePattern<BatchNormOp> {
  BatchNormToChannelAffine(MLIRContext *context)
      : OpRewritePattern(context, /*benefit=*/0) {}

  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    std::optional<ChannelAffine> affine = readBatchNorm(bn);
    if (!affine)
      return rewriter.notifyMatchFailure(bn,
                                         "the parameters are not constants");
    auto type = RankedTensorType::get(
        {static_cast<int64_t>(affine->scale.size())}, rewriter.getF32Type());
    std::optional<ConstantTensor> gamma = readConstant(bn.getScale());
    bool asResource = gamma && gamma->isResource();
    Value scale =
        createConstant(rewriter, bn.getScale().getLoc(), type, affine->scale,
                       asResource, gamma->resourceName + ".folded_bn");
    Value shift =
        createConstant(rewriter, bn.getBias().getLoc(), type, affine->shift,
                       asResource, affine->biasResourceName + ".folded_bn");
    rewriter.replaceOpWithNewOp<ChannelAffineOp>(bn, bn.getType(),
                                                 bn.getInput(), scale, shift);
    return success();
  }
};

struct FoldBatchNorm : mlir::dyconv::impl::FoldBatchNormBase<FoldBatchNorm> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldIntoConv2D, FoldIntoODConv, BatchNormToChannelAffine>(
        &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
