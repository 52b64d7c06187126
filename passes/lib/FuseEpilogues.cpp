//===- FuseEpilogues.cpp - fold scale, bias, residual, activation into convs
//==//
//
// Every conv2d and dynamic_conv2d becomes a fused_conv2d (the kernel-level
// conv); with `epilogues` (the default, -O1 and up) it then absorbs the
// elementwise ops that follow it, in the order the fused op applies them:
//
//   mul(conv, a)         a [N,Cout,1,1] -> per-sample scale a as [N, Cout]
//                        (an attention on the output channels: ODConv's
//                        filter attention around a static 1x1 kernel)
//   channel_affine(conv, s, t)  -> scale s, bias t (+ s * the conv's bias):
//                                  a BatchNorm after any conv, static or
//                                  dynamic, that fold-batchnorm could not
//                                  fold into constant weights; after a
//                                  per-sample scale f, scale f * s
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
#include "dyconv/Dialect/ShapeUtils.h"
#include "dyconv/Passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>
#include <limits>

namespace mlir::dyconv {
#define GEN_PASS_DEF_FUSEEPILOGUES
#include "dyconv/Passes/Passes.h.inc"
} // namespace mlir::dyconv

using namespace mlir;
using namespace mlir::dyconv;
using namespace mlir::dyconv::constants;

namespace {

/// The epilogue of a fused conv: its operands and activation.
struct Epilogue {
  Value scale, bias, residual;
  Activation activation = Activation::None;
  float clipMin = 0.0f, clipMax = 6.0f;

  static Epilogue of(FusedConv2DOp conv) {
    return {conv.getScale(),
            conv.getBias(),
            conv.getResidual(),
            conv.getActivation(),
            conv.getClipMin().convertToFloat(),
            conv.getClipMax().convertToFloat()};
  }
};

/// Replaces `root` by a fused conv computing `input`, `weight` and the
/// attributes of `conv` (a conv2d, dynamic_conv2d or fused_conv2d) with
/// `epilogue`.
template <typename ConvOp>
FusedConv2DOp replaceWithFused(PatternRewriter &rewriter, Operation *root,
                               ConvOp conv, const Epilogue &epilogue) {
  MLIRContext *context = rewriter.getContext();
  return rewriter.replaceOpWithNewOp<FusedConv2DOp>(
      root, conv.getType(), conv.getInput(), conv.getWeight(), epilogue.scale,
      epilogue.bias, epilogue.residual, /*channel_attention=*/Value(),
      /*filter_attention=*/Value(), /*spatial_attention=*/Value(),
      /*kernel_attention=*/Value(), conv.getStrideAttr(), conv.getPaddingAttr(),
      conv.getDilationAttr(), conv.getGroupsAttr(),
      ActivationAttr::get(context, epilogue.activation),
      rewriter.getF32FloatAttr(epilogue.clipMin),
      rewriter.getF32FloatAttr(epilogue.clipMax),
      /*schedule=*/nullptr);
}

/// Fuses `stage` into `conv` with `epilogue`: the fused conv replaces the
/// stage, located at both.
void fuseStage(PatternRewriter &rewriter, Operation *stage, FusedConv2DOp conv,
               const Epilogue &epilogue) {
  FusedConv2DOp fused = replaceWithFused(rewriter, stage, conv, epilogue);
  fused->setLoc(rewriter.getFusedLoc({conv.getLoc(), stage->getLoc()}));
  rewriter.eraseOp(conv);
}

/// conv2d / dynamic_conv2d -> fused_conv2d with no epilogue beyond the bias.
template <typename ConvOp> struct ConvToFused : OpRewritePattern<ConvOp> {
  using OpRewritePattern<ConvOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ConvOp op,
                                PatternRewriter &rewriter) const override {
    Epilogue epilogue;
    epilogue.bias = op.getBias();
    replaceWithFused(rewriter, op, op, epilogue);
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

/// A [Cout] constant holding `values`: a dense_resource blob named `name`
/// with `asResource`, inline elements otherwise.
Value perChannelConstant(PatternRewriter &rewriter, Location loc,
                         ArrayRef<double> values, bool asResource,
                         StringRef name) {
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                    rewriter.getF32Type());
  return createConstant(rewriter, loc, type, values, asResource, name);
}

/// Whether `conv` has a scale per sample and channel ([N, Cout]).
bool hasPerSampleScale(FusedConv2DOp conv) {
  return conv.getScale() &&
         cast<RankedTensorType>(conv.getScale().getType()).getRank() == 2;
}

/// channel_affine(conv, s, t) -> conv with scale s and bias s * b + t, where
/// b is the conv's constant bias (0 without one). After a per-sample scale
/// f (and no bias) the scale becomes f * s, computed per sample.
struct FuseChannelAffine : OpRewritePattern<ChannelAffineOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ChannelAffineOp affine,
                                PatternRewriter &rewriter) const override {
    FusedConv2DOp conv = fusableProducer(affine.getInput());
    if (conv && hasPerSampleScale(conv) && !conv.getBias() &&
        !conv.getResidual())
      return afterPerSampleScale(rewriter, affine, conv);
    if (!conv || conv.getScale() || conv.getResidual())
      return rewriter.notifyMatchFailure(affine, "no fusable conv input");
    std::optional<ConstantTensor> scale = readConstant(affine.getScale());
    std::optional<ConstantTensor> shift = readConstant(affine.getShift());
    if (!scale || !shift)
      return rewriter.notifyMatchFailure(affine, "non-constant parameters");
    SmallVector<double> bias(shift->values);
    std::string name = shift->resourceName;
    if (Value existing = conv.getBias()) {
      std::optional<ConstantTensor> old = readConstant(existing);
      if (!old)
        return rewriter.notifyMatchFailure(affine, "non-constant conv bias");
      for (auto [b, s, o] : llvm::zip(bias, scale->values, old->values))
        b += s * o;
    }
    rewriter.setInsertionPoint(affine);
    Epilogue epilogue = Epilogue::of(conv);
    epilogue.scale = affine.getScale();
    epilogue.bias = perChannelConstant(rewriter, affine.getLoc(), bias,
                                       shift->isResource(), name + ".bias");
    fuseStage(rewriter, affine, conv, epilogue);
    return success();
  }

private:
  static LogicalResult afterPerSampleScale(PatternRewriter &rewriter,
                                           ChannelAffineOp affine,
                                           FusedConv2DOp conv) {
    rewriter.setInsertionPoint(affine);
    Epilogue epilogue = Epilogue::of(conv);
    epilogue.scale = MulOp::create(rewriter, affine.getLoc(), conv.getScale(),
                                   affine.getScale());
    epilogue.bias = affine.getShift();
    fuseStage(rewriter, affine, conv, epilogue);
    return success();
  }
};

/// mul(conv, a) with `a` of shape [N, Cout, 1, 1] (an attention on the
/// output channels, e.g. ODConv's filter attention around a static kernel)
/// -> the conv's per-sample scale a as [N, Cout]. Only before any other
/// epilogue stage: a bias or residual would be scaled too.
struct FuseSampleScale : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MulOp mul,
                                PatternRewriter &rewriter) const override {
    for (auto [convSide, other] : {std::pair{mul.getLhs(), mul.getRhs()},
                                   std::pair{mul.getRhs(), mul.getLhs()}}) {
      FusedConv2DOp conv = fusableProducer(convSide);
      if (!conv || other == convSide || conv.getScale() || conv.getBias() ||
          conv.getResidual() || !isSampleChannelVector(other, conv.getType()))
        continue;
      rewriter.setInsertionPoint(mul);
      Epilogue epilogue = Epilogue::of(conv);
      epilogue.scale = FlattenOp::create(rewriter, mul.getLoc(), other,
                                         rewriter.getI64IntegerAttr(1));
      fuseStage(rewriter, mul, conv, epilogue);
      return success();
    }
    return rewriter.notifyMatchFailure(mul, "no conv scaled per sample");
  }

private:
  /// Whether `value` is [N, Cout, 1, 1] for a conv result of `type`.
  static bool isSampleChannelVector(Value value, RankedTensorType type) {
    auto shape = cast<RankedTensorType>(value.getType()).getShape();
    return shape.size() == 4 && shape[1] == type.getDimSize(1) &&
           shape[2] == 1 && shape[3] == 1 &&
           shape::compatible(shape[0], type.getDimSize(0)) &&
           (shape[0] != 1 || type.getDimSize(0) == 1);
  }
};

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
    Epilogue epilogue = Epilogue::of(conv);
    epilogue.bias = perChannelConstant(rewriter, other.getLoc(), bias,
                                       asResource, name + ".bias");
    fuseStage(rewriter, add, conv, epilogue);
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
    Epilogue epilogue = Epilogue::of(conv);
    epilogue.residual = other;
    fuseStage(rewriter, add, conv, epilogue);
    return success();
  }
};

/// The interval an activation clamps to: none (-inf, inf), relu [0, inf),
/// clip [min, max].
std::pair<float, float> clampInterval(Activation activation, float min,
                                      float max) {
  constexpr float inf = std::numeric_limits<float>::infinity();
  switch (activation) {
  case Activation::None:
    return {-inf, inf};
  case Activation::Relu:
    return {0.0f, inf};
  case Activation::Clip:
    return {min, max};
  }
  return {-inf, inf};
}

/// relu(conv) / clip(conv) -> activation. An activation after the conv's own
/// composes with it when their intervals overlap (ReLU6 exported as Relu then
/// Clip(0, 6) is one clip): clamping to [a, b] then to [c, d] is clamping to
/// [max(a, c), min(b, d)].
template <typename ActOp> struct FuseActivation : OpRewritePattern<ActOp> {
  using OpRewritePattern<ActOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ActOp op,
                                PatternRewriter &rewriter) const override {
    auto conv = op.getInput().template getDefiningOp<FusedConv2DOp>();
    if (!conv || !conv->hasOneUse())
      return rewriter.notifyMatchFailure(op, "input is no fusable conv");
    Epilogue epilogue = Epilogue::of(conv);
    auto [lo, hi] =
        clampInterval(epilogue.activation, epilogue.clipMin, epilogue.clipMax);
    auto [newLo, newHi] = clampInterval(Activation::Relu, 0.0f, 0.0f);
    if constexpr (std::is_same_v<ActOp, ClipOp>)
      std::tie(newLo, newHi) =
          clampInterval(Activation::Clip, op.getMin().convertToFloat(),
                        op.getMax().convertToFloat());
    if (newLo > hi || lo > newHi)
      return rewriter.notifyMatchFailure(op, "the clamps do not overlap");
    lo = std::max(lo, newLo);
    hi = std::min(hi, newHi);
    if (lo == 0.0f && std::isinf(hi)) {
      epilogue.activation = Activation::Relu;
    } else if (!std::isinf(lo) && !std::isinf(hi)) {
      epilogue.activation = Activation::Clip;
      epilogue.clipMin = lo;
      epilogue.clipMax = hi;
    } else {
      return rewriter.notifyMatchFailure(op,
                                         "a one-sided clamp other than relu");
    }
    fuseStage(rewriter, op, conv, epilogue);
    return success();
  }
};

struct FuseEpilogues : mlir::dyconv::impl::FuseEpiloguesBase<FuseEpilogues> {
  using FuseEpiloguesBase::FuseEpiloguesBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ConvToFused<Conv2DOp>, ConvToFused<DynamicConv2DOp>>(
        &getContext());
    if (epilogues)
      patterns.add<FuseChannelAffine, FuseAdd, FuseSampleScale,
                   FuseActivation<ReluOp>, FuseActivation<ClipOp>>(
          &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
