//===- Canonicalize.cpp - folders and canonicalization patterns -----------===//

#include "dyconv/Dialect/DyConvOps.h"
#include "dyconv/Dialect/ShapeUtils.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::dyconv;

//===----------------------------------------------------------------------===//
// Folders
//===----------------------------------------------------------------------===//

OpFoldResult ReluOp::fold(FoldAdaptor) {
  // relu is idempotent.
  if (getInput().getDefiningOp<ReluOp>())
    return getInput();
  return {};
}

/// A shape change between equal types is the identity when at most one
/// dimension is dynamic (the element counts agree, so that one does too).
static bool isIdentityShapeChange(Type from, Type to) {
  auto type = dyn_cast<RankedTensorType>(from);
  return type && from == to && type.getNumDynamicDims() <= 1;
}

OpFoldResult FlattenOp::fold(FoldAdaptor) {
  if (isIdentityShapeChange(getInput().getType(), getType()))
    return getInput();
  return {};
}

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  if (isIdentityShapeChange(getInput().getType(), getType()))
    return getInput();
  return {};
}

/// True when `attr` is a splat constant equal to `value`.
static bool isSplat(Attribute attr, float value) {
  auto splat = dyn_cast_or_null<SplatElementsAttr>(attr);
  return splat && splat.getElementType().isF32() &&
         splat.getSplatValue<float>() == value;
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  // x * 1 (the exports' "attention = 1.0" of an absent head) is x when the
  // broadcast does not change x's type.
  if (isSplat(adaptor.getRhs(), 1.0f) && getLhs().getType() == getType())
    return getLhs();
  if (isSplat(adaptor.getLhs(), 1.0f) && getRhs().getType() == getType())
    return getRhs();
  return {};
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  // x / 1 (a temperature of 1) is x.
  if (isSplat(adaptor.getRhs(), 1.0f) && getLhs().getType() == getType())
    return getLhs();
  return {};
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1 && getInputs().front().getType() == getType())
    return getInputs().front();
  return {};
}

//===----------------------------------------------------------------------===//
// reshape(reshape(x)) -> reshape(x)
//===----------------------------------------------------------------------===//

namespace {
struct ComposeReshapes : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<ReshapeOp>();
    if (!inner)
      return failure();
    // A `0` in the outer spec copies a dimension of the intermediate value:
    // substitute it when known, or keep it when the inner reshape copied the
    // same dimension of the source.
    ArrayRef<int64_t> middle = inner.getType().getShape();
    SmallVector<int64_t> spec(op.getShape());
    for (auto [i, entry] : llvm::enumerate(spec)) {
      if (entry != 0)
        continue;
      if (!ShapedType::isDynamic(middle[i]))
        entry = middle[i];
      else if (inner.getShape()[i] != 0)
        return failure();
    }
    // Composing may lose static sizes the intermediate value knew.
    auto composedShape =
        shape::reshape(inner.getInput().getType().getShape(), spec);
    if (!composedShape) {
      llvm::consumeError(composedShape.takeError());
      return failure();
    }
    if (ArrayRef<int64_t>(*composedShape) != op.getType().getShape())
      return failure();
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, inner.getInput(),
                                           rewriter.getDenseI64ArrayAttr(spec));
    return success();
  }
};
} // namespace

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                            MLIRContext *context) {
  patterns.add<ComposeReshapes>(context);
}

//===----------------------------------------------------------------------===//
// reduce_mean over H and W -> global_avg_pool
//===----------------------------------------------------------------------===//

namespace {
/// `x.mean((2, 3))` in PyTorch exports as ReduceMean; the pooling op is what
/// the code generator has a kernel for.
struct SpatialMeanToGlobalPool : OpRewritePattern<ReduceMeanOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ReduceMeanOp op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getInput().getType());
    if (type.getRank() != 4)
      return failure();
    auto axes = shape::reductionAxes(op.getAxes(), 4);
    if (!axes) {
      llvm::consumeError(axes.takeError());
      return failure();
    }
    if (ArrayRef<int64_t>(*axes) != ArrayRef<int64_t>{2, 3})
      return failure();
    Value pooled =
        GlobalAvgPoolOp::create(rewriter, op.getLoc(), op.getInput());
    if (!op.getKeepdims())
      pooled = FlattenOp::create(rewriter, op.getLoc(), pooled,
                                 rewriter.getI64IntegerAttr(1));
    rewriter.replaceOp(op, pooled);
    return success();
  }
};
} // namespace

void ReduceMeanOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                               MLIRContext *context) {
  patterns.add<SpatialMeanToGlobalPool>(context);
}

//===----------------------------------------------------------------------===//
// odconv with k == 1 and K == 1 -> attention ops around a static conv2d
//===----------------------------------------------------------------------===//

namespace {
/// The authors' `_forward_impl_pw1x`: with one 1x1 kernel there is nothing
/// to aggregate, so the layer is a static conv between the channel and filter
/// scalings: `y = conv2d(x * ch, weight[0]) * fil`. Rewriting it exposes the
/// static conv to the ordinary conv optimisations.
struct DecomposePointwiseODConv : OpRewritePattern<ODConvOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ODConvOp op,
                                PatternRewriter &rewriter) const override {
    // Temperature 1 (its inference value) keeps the logits undivided. The
    // bank must be static: its [Cout, Cin/g] become the conv2d kernel's shape
    // and the channel counts of the scales, which keeps every new type (and
    // the result type) exactly the one the odconv inferred.
    RankedTensorType bankType = op.getWeight().getType();
    if (!op.isPointwiseSingleKernel() || !bankType.hasStaticShape() ||
        op.getTemperature().convertToDouble() != 1.0)
      return failure();
    ArrayRef<int64_t> bank = bankType.getShape();
    int64_t cout = bank[1],
            cin = bank[2] * static_cast<int64_t>(op.getGroups());
    Location loc = op.getLoc();
    Value input = op.getInput();

    // h = ReLU(BN(GAP(x) @ fc^T)), shared by both heads.
    Value pooled = GlobalAvgPoolOp::create(rewriter, loc, input);
    Value flat =
        FlattenOp::create(rewriter, loc, pooled, rewriter.getI64IntegerAttr(1));
    Value hidden =
        LinearOp::create(rewriter, loc, flat, op.getFcWeight(), Value());
    hidden = BatchNormOp::create(rewriter, loc, hidden, op.getBnScale(),
                                 op.getBnBias(), op.getBnMean(),
                                 op.getBnVariance(), op.getBnEpsilonAttr());
    hidden = ReluOp::create(rewriter, loc, hidden);

    // sigmoid(h @ W^T + b) as a [N, C, 1, 1] scale.
    auto scale = [&](Value weight, Value bias, int64_t channels) -> Value {
      Value logits = LinearOp::create(rewriter, loc, hidden, weight, bias);
      Value gate = SigmoidOp::create(rewriter, loc, logits);
      return ReshapeOp::create(
          rewriter, loc, gate,
          rewriter.getDenseI64ArrayAttr({0, channels, 1, 1}));
    };
    Value scaled =
        MulOp::create(rewriter, loc, input,
                      scale(op.getChannelWeight(), op.getChannelBias(), cin));

    Value kernel =
        ReshapeOp::create(rewriter, loc, op.getWeight(),
                          rewriter.getDenseI64ArrayAttr({cout, bank[2], 1, 1}));
    Value result = Conv2DOp::create(rewriter, loc, scaled, kernel, Value(),
                                    op.getStrideAttr(), op.getPaddingAttr(),
                                    op.getDilationAttr(), op.getGroupsAttr());
    if (op.getFilterWeight())
      result =
          MulOp::create(rewriter, loc, result,
                        scale(op.getFilterWeight(), op.getFilterBias(), cout));
    rewriter.replaceOp(op, result);
    return success();
  }
};
} // namespace

void ODConvOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                           MLIRContext *context) {
  patterns.add<DecomposePointwiseODConv>(context);
}
