//===- FuseEpilogues.cpp - fold bias, residual and activation into convs --===//
//
// Every conv2d and dynamic_conv2d becomes a fused_conv2d, which then absorbs
// the elementwise ops that follow it, in the order the fused op applies them:
//
//   add(conv, c)         c a constant [Cout,1,1] or [1,Cout,1,1]
//                        -> bias (summed with an existing constant bias);
//                        a [Cout] constant broadcasts along W, not C
//   add(conv, r)         r shaped like the result -> residual
//   relu(conv), clip(conv) -> activation
//
// A step applies only when the conv has no later epilogue stage yet (no
// residual before a bias, no activation before anything) and the conv's
// result has no other user, so that no intermediate value disappears.
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
#define GEN_PASS_DEF_FUSEEPILOGUES
#include "dyconv/Passes/Passes.h.inc"
} // namespace mlir::dyconv

using namespace mlir;
using namespace mlir::dyconv;
using namespace mlir::dyconv::constants;

namespace {

/// conv2d / dynamic_conv2d -> fused_conv2d with no epilogue beyond the bias.
template <typename ConvOp> struct ConvToFused : OpRewritePattern<ConvOp> {
  using OpRewritePattern<ConvOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ConvOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<FusedConv2DOp>(
        op, op.getType(), op.getInput(), op.getWeight(), op.getBias(),
        /*residual=*/Value(), op.getStrideAttr(), op.getPaddingAttr(),
        op.getDilationAttr(), op.getGroupsAttr(), /*activation=*/nullptr,
        /*clip_min=*/nullptr, /*clip_max=*/nullptr);
    return success();
  }
};

/// The fused conv that produces `value` when it can still take an epilogue
/// stage: its only user is the op being fused and it has no activation.
FusedConv2DOp fusableProducer(Value value) {
  auto conv = value.getDefiningOp<FusedConv2DOp>();
  if (!conv || !conv->hasOneUse() || conv.getActivation() != Activation::None)
    return nullptr;
  return conv;
}

/// The `[Cout]` values of a constant that broadcasts per output channel
/// against an NCHW result: shape [Cout,1,1] or [1,Cout,1,1]. (Broadcasting
/// aligns shapes from the right, so a [Cout] constant is added along W.)
std::optional<ConstantTensor> readChannelConstant(Value value, int64_t cout) {
  std::optional<ConstantTensor> constant = readConstant(value);
  if (!constant)
    return std::nullopt;
  ArrayRef<int64_t> shape = constant->type.getShape();
  bool perChannel = (shape.size() == 3 && shape[0] == cout && shape[1] == 1 &&
                     shape[2] == 1) ||
                    (shape.size() == 4 && shape[0] == 1 && shape[1] == cout &&
                     shape[2] == 1 && shape[3] == 1);
  return perChannel ? constant : std::nullopt;
}

/// Rebuilds `conv` with `bias`, `residual` and activation replaced, as the
/// replacement of `root`.
void replaceWithFused(PatternRewriter &rewriter, Operation *root,
                      FusedConv2DOp conv, Value bias, Value residual,
                      Activation activation, float clipMin, float clipMax) {
  auto fused = rewriter.replaceOpWithNewOp<FusedConv2DOp>(
      root, conv.getType(), conv.getInput(), conv.getWeight(), bias, residual,
      conv.getStrideAttr(), conv.getPaddingAttr(), conv.getDilationAttr(),
      conv.getGroupsAttr(),
      ActivationAttr::get(rewriter.getContext(), activation),
      rewriter.getF32FloatAttr(clipMin), rewriter.getF32FloatAttr(clipMax));
  fused->setLoc(rewriter.getFusedLoc({conv.getLoc(), root->getLoc()}));
  rewriter.eraseOp(conv);
}

/// add(conv, per-channel constant) -> bias; add(conv, r) -> residual.
struct FuseAdd : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AddOp add,
                                PatternRewriter &rewriter) const override {
    for (auto [convSide, other] : {std::pair{add.getLhs(), add.getRhs()},
                                   std::pair{add.getRhs(), add.getLhs()}}) {
      FusedConv2DOp conv = fusableProducer(convSide);
      if (!conv || other == convSide)
        continue;
      if (succeeded(fuseBias(rewriter, add, conv, other)) ||
          succeeded(fuseResidual(rewriter, add, conv, other)))
        return success();
    }
    return rewriter.notifyMatchFailure(add, "no fusable conv operand");
  }

private:
  static LogicalResult fuseBias(PatternRewriter &rewriter, AddOp add,
                                FusedConv2DOp conv, Value other) {
    if (conv.getResidual())
      return failure();
    int64_t cout = conv.getType().getDimSize(1);
    std::optional<ConstantTensor> addend = readChannelConstant(other, cout);
    if (!addend)
      return failure();
    SmallVector<double> bias(addend->values);
    bool asResource = addend->isResource();
    std::string name = addend->resourceName;
    if (Value existing = conv.getBias()) {
      std::optional<ConstantTensor> old = readConstant(existing);
      if (!old)
        return failure();
      for (int64_t o = 0; o < cout; ++o)
        bias[o] += old->values[o];
      asResource |= old->isResource();
      name = old->isResource() ? old->resourceName : name;
    }
    rewriter.setInsertionPoint(add);
    auto type = RankedTensorType::get({cout}, rewriter.getF32Type());
    Value newBias = createConstant(rewriter, other.getLoc(), type, bias,
                                   asResource, name + ".bias");
    replaceWithFused(rewriter, add, conv, newBias, Value(), Activation::None,
                     0.0f, 6.0f);
    return success();
  }

  static LogicalResult fuseResidual(PatternRewriter &rewriter, AddOp add,
                                    FusedConv2DOp conv, Value other) {
    if (conv.getResidual() || other.getType() != conv.getType())
      return failure();
    // The residual must exist before the conv runs; it does when it is
    // defined before the conv in the block (or is a block argument).
    Operation *def = other.getDefiningOp();
    if (def &&
        (def->getBlock() != conv->getBlock() || !def->isBeforeInBlock(conv)))
      return failure();
    replaceWithFused(rewriter, add, conv, conv.getBias(), other,
                     Activation::None, 0.0f, 6.0f);
    return success();
  }
};

/// relu(conv) / clip(conv) -> activation.
template <typename ActOp> struct FuseActivation : OpRewritePattern<ActOp> {
  using OpRewritePattern<ActOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ActOp op,
                                PatternRewriter &rewriter) const override {
    FusedConv2DOp conv = fusableProducer(op.getInput());
    if (!conv)
      return rewriter.notifyMatchFailure(op, "input is no fusable conv");
    float min = 0.0f, max = 6.0f;
    Activation activation = Activation::Relu;
    if constexpr (std::is_same_v<ActOp, ClipOp>) {
      min = op.getMin().convertToFloat();
      max = op.getMax().convertToFloat();
      activation = Activation::Clip;
    }
    replaceWithFused(rewriter, op, conv, conv.getBias(), conv.getResidual(),
                     activation, min, max);
    return success();
  }
};

struct FuseEpilogues : mlir::dyconv::impl::FuseEpiloguesBase<FuseEpilogues> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ConvToFused<Conv2DOp>, ConvToFused<DynamicConv2DOp>, FuseAdd,
                 FuseActivation<ReluOp>, FuseActivation<ClipOp>>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
