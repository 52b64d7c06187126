//===- DecomposeDynamicConv.cpp - dynamic convolutions to kernel-level ops ===//
//
// `dyconv.odconv` becomes the three computations codegen generates:
//
//   odconv_attention  GAP -> fc (+ the attention BatchNorm, folded into a
//                     bias) -> ReLU -> the heads
//   aggregate         the per-sample kernel, all four attentions folded in
//   dynamic_conv2d    one kernel per sample
//
// Folding the channel attention onto the kernel's input channels and the
// filter attention onto its output channels is exact (both are linear in the
// conv) and spares two passes over the activations; the aggregation costs
// K*Cout*Cin/g*k*k multiply-adds per sample, a few percent of the conv.
//
// `dyconv.kw_attention` with a BatchNorm gets the BatchNorm folded into fc1
// (the no-norm form); kw_assemble already is a kernel.
//
//===----------------------------------------------------------------------===//

#include "Constants.h"

#include "dyconv/Dialect/DyConvDialect.h"
#include "dyconv/Dialect/DyConvOps.h"
#include "dyconv/Passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::dyconv {
#define GEN_PASS_DEF_DECOMPOSEDYNAMICCONV
#include "dyconv/Passes/Passes.h.inc"
} // namespace mlir::dyconv

using namespace mlir;
using namespace mlir::dyconv;
using namespace mlir::dyconv::constants;

namespace {

/// A linear layer `x @ weight^T` followed by a batch norm, folded into
/// `x @ weight'^T + bias'` with `weight'[o] = s[o] * weight[o]`, `bias' = t`.
struct FoldedLinear {
  Value weight, bias;
};

/// Folds the batch norm (scale, bias, mean, variance, epsilon) that follows
/// the bias-free linear layer `weight [out, in]`; nullopt unless all are
/// constants.
std::optional<FoldedLinear> foldNormIntoLinear(PatternRewriter &rewriter,
                                               Value weight, Value scale,
                                               Value bias, Value mean,
                                               Value variance, double epsilon) {
  std::optional<ConstantTensor> matrix = readConstant(weight);
  std::optional<ChannelAffine> affine =
      readBatchNorm(scale, bias, mean, variance, epsilon);
  if (!matrix || !affine || matrix->type.getRank() != 2 ||
      matrix->type.getDimSize(0) != static_cast<int64_t>(affine->scale.size()))
    return std::nullopt;
  int64_t in = matrix->type.getDimSize(1);
  for (size_t o = 0; o < affine->scale.size(); ++o)
    for (int64_t i = 0; i < in; ++i)
      matrix->values[o * in + i] *= affine->scale[o];
  bool asResource = matrix->isResource();
  auto biasType = RankedTensorType::get(
      {static_cast<int64_t>(affine->shift.size())}, rewriter.getF32Type());
  FoldedLinear folded;
  folded.weight =
      createConstant(rewriter, weight.getLoc(), matrix->type, matrix->values,
                     asResource, matrix->resourceName + ".folded_bn");
  folded.bias =
      createConstant(rewriter, bias.getLoc(), biasType, affine->shift,
                     asResource, matrix->resourceName + ".folded_bn_bias");
  return folded;
}

/// odconv -> odconv_attention + aggregate + dynamic_conv2d.
struct DecomposeODConv : OpRewritePattern<ODConvOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ODConvOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<FoldedLinear> fc =
        foldNormIntoLinear(rewriter, op.getFcWeight(), op.getBnScale(),
                           op.getBnBias(), op.getBnMean(), op.getBnVariance(),
                           op.getBnEpsilon().convertToDouble());
    if (!fc)
      return rewriter.notifyMatchFailure(
          op, "the fc and attention batch norm are not constants");
    Location loc = op.getLoc();
    auto attention = ODConvAttentionOp::create(
        rewriter, loc, op.getInput(), fc->weight, fc->bias,
        op.getChannelWeight(), op.getChannelBias(), op.getFilterWeight(),
        op.getFilterBias(), op.getSpatialWeight(), op.getSpatialBias(),
        op.getKernelWeight(), op.getKernelBias(), op.getTemperatureAttr());
    // The results are the present heads in order channel, filter, spatial,
    // kernel.
    ResultRange attentions = attention.getAttentions();
    unsigned next = 1;
    auto take = [&](Value head) { return head ? attentions[next++] : Value(); };
    Value filter = take(op.getFilterWeight());
    Value spatial = take(op.getSpatialWeight());
    Value kernel = take(op.getKernelWeight());
    auto kernels =
        AggregateOp::create(rewriter, loc, op.getWeight(), attentions[0],
                            filter, spatial, kernel, op.getGroupsAttr());
    rewriter.replaceOpWithNewOp<DynamicConv2DOp>(
        op, op.getType(), op.getInput(), kernels.getResult(), Value(),
        op.getStrideAttr(), op.getPaddingAttr(), op.getDilationAttr(),
        op.getGroupsAttr());
    return success();
  }
};

/// kw_attention with a batch norm -> kw_attention without a norm, the batch
/// norm folded into fc1.
struct FoldKWAttentionNorm : OpRewritePattern<KWAttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(KWAttentionOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getNormMean())
      return rewriter.notifyMatchFailure(op, "no batch norm");
    std::optional<FoldedLinear> fc1 = foldNormIntoLinear(
        rewriter, op.getFc1Weight(), op.getNormScale(), op.getNormBias(),
        op.getNormMean(), op.getNormVariance(),
        op.getNormEpsilon().convertToDouble());
    if (!fc1)
      return rewriter.notifyMatchFailure(op,
                                         "fc1 and its norm are not constants");
    rewriter.replaceOpWithNewOp<KWAttentionOp>(
        op, op.getType(), op.getInput(), fc1->weight, fc1->bias, Value(),
        Value(), Value(), Value(), op.getFc2Weight(), op.getFc2Bias(),
        op.getFc3Weight(), op.getBasisBias(), op.getNumMixturesAttr(),
        op.getNumCellsAttr(), op.getStartCellAttr(), op.getNormEpsilonAttr());
    return success();
  }
};

struct DecomposeDynamicConv
    : mlir::dyconv::impl::DecomposeDynamicConvBase<DecomposeDynamicConv> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<DecomposeODConv, FoldKWAttentionNorm>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
