//===- RaiseFilterNorm.cpp - recognise DDF's FilterNorm in ONNX exports ---===//
//
// DDF's FilterNorm (operator spec §3.2) with PyTorch's unbiased `x.std`
// exports, for the taps axis 2 of `v = view(x)` ([N, G, taps, H, W] for the
// spatial branch, [N, C, taps] for the channel branch), as
//
//   c   = v - reduce_mean(v, 2)
//   e   = c - reduce_mean(c, 2)
//   std = sqrt(reduce_mean(e * e, 2) * taps / (taps - 1))
//   y   = view(c / (std + eps)) * scale
//
// with `scale` one constant (the spatial branch's gain) or a constant per
// filter tap (the channel branch's learned std). It becomes
// `filter_norm(x)` on x viewed as [N, G*taps, H, W], viewed back.
//
//===----------------------------------------------------------------------===//

#include "Constants.h"
#include "RaiseMatchers.h"
#include "RaiseOnnx.h"

namespace mlir::dyconv::raise {

namespace {

/// Whether `value` is `source - reduce_mean(source, [2])` (keepdims).
bool isCentredOverTaps(Value value, Value source) {
  auto sub = value.getDefiningOp<SubOp>();
  auto mean = sub ? sub.getRhs().getDefiningOp<ReduceMeanOp>() : ReduceMeanOp();
  return mean && sub.getLhs() == source && mean.getInput() == source &&
         mean.getKeepdims() &&
         normalizeAxes(mean.getAxes(), shapeOf(source).size()) ==
             SmallVector<int64_t>{2};
}

/// The operand of the binary `op` other than a one-element constant, with
/// that constant's value.
std::optional<std::pair<Value, double>> splitScalar(Operation *op) {
  if (!op)
    return std::nullopt;
  for (unsigned i = 0; i < 2; ++i)
    if (std::optional<double> scalar = readScalar(op->getOperand(i)))
      return std::make_pair(op->getOperand(1 - i), *scalar);
  return std::nullopt;
}

/// Whether `value` is the unbiased standard deviation over the taps axis 2
/// of the centred `c`, whose taps number `taps`.
bool isUnbiasedStd(Value value, Value c, int64_t taps) {
  auto sqrt = value.getDefiningOp<SqrtOp>();
  auto div = sqrt ? sqrt.getInput().getDefiningOp<DivOp>() : DivOp();
  std::optional<double> denominator =
      div ? readScalar(div.getRhs()) : std::nullopt;
  auto scaled = div ? div.getLhs().getDefiningOp<MulOp>() : MulOp();
  std::optional<std::pair<Value, double>> count = splitScalar(scaled);
  if (!denominator || !count || *denominator != taps - 1 ||
      count->second != taps)
    return false;
  auto mean = count->first.getDefiningOp<ReduceMeanOp>();
  auto square = mean ? mean.getInput().getDefiningOp<MulOp>() : MulOp();
  return square && mean.getKeepdims() &&
         normalizeAxes(mean.getAxes(), shapeOf(square.getResult()).size()) ==
             SmallVector<int64_t>{2} &&
         square.getLhs() == square.getRhs() &&
         isCentredOverTaps(square.getLhs(), c);
}

} // namespace

LogicalResult raiseFilterNorm(RewriterBase &rewriter, DivOp div) {
  // c / (std + eps), c = v - mean(v) over the taps.
  auto centred = div.getLhs().getDefiningOp<SubOp>();
  std::optional<std::pair<Value, double>> plusEps =
      splitScalar(div.getRhs().getDefiningOp<AddOp>());
  if (!centred || !plusEps || !hasExportShape(div.getResult()) ||
      div.getType() != centred.getType())
    return failure();
  Value v = centred.getLhs();
  ArrayRef<int64_t> shape = shapeOf(v);
  if ((shape.size() != 3 && shape.size() != 5) || shape[2] < 2 ||
      !isCentredOverTaps(centred, v) ||
      !isUnbiasedStd(plusEps->first, centred, shape[2]))
    return failure();
  int64_t taps = shape[2], filters = shape[1] * taps;
  int64_t height = shape.size() == 5 ? shape[3] : 1;
  int64_t width = shape.size() == 5 ? shape[4] : 1;

  // view(y) * scale
  auto view = div->hasOneUse() ? dyn_cast<ReshapeOp>(*div->getUsers().begin())
                               : ReshapeOp();
  auto mul = view && view->hasOneUse()
                 ? dyn_cast<MulOp>(*view->getUsers().begin())
                 : MulOp();
  if (!mul || mul.getType() != view.getType())
    return failure();
  Value scaleValue =
      mul.getLhs() == view.getResult() ? mul.getRhs() : mul.getLhs();
  std::optional<constants::ConstantTensor> scale =
      constants::readConstant(scaleValue);
  if (!scale)
    return failure();
  // The view is [N, G*taps, H, W] (or [N, G*taps] when H = W = 1); a
  // per-tap scale varies along its dimension 1 only.
  ArrayRef<int64_t> viewShape = shapeOf(view.getResult());
  SmallVector<int64_t> perTap(viewShape.size(), 1);
  if (viewShape.size() >= 2)
    perTap[1] = filters;
  bool isImage = viewShape.size() == 4 && viewShape[1] == filters &&
                 viewShape[2] == height && viewShape[3] == width;
  bool isMatrix =
      viewShape.size() == 2 && viewShape[1] == filters && height * width == 1;
  ArrayRef<int64_t> scaleShape = shapeOf(scaleValue);
  SmallVector<int64_t> aligned(
      viewShape.size() - std::min(viewShape.size(), scaleShape.size()), 1);
  aligned.append(scaleShape.begin(), scaleShape.end());
  bool uniform = llvm::all_of(
      scale->values, [&](double s) { return s == scale->values.front(); });
  if ((!isImage && !isMatrix) || (!uniform && aligned != perTap))
    return failure();

  rewriter.setInsertionPoint(mul);
  Location loc = div.getLoc();
  auto input = ReshapeOp::create(
      rewriter, loc, v, ArrayRef<int64_t>{shape[0], filters, height, width});
  Value scaleOperand =
      uniform ? Value() : reshapeConstant(rewriter, scaleValue, {filters});
  auto norm =
      FilterNormOp::create(rewriter, loc, input.getResult(), scaleOperand, taps,
                           llvm::APFloat(uniform ? scale->values.front() : 1.0),
                           llvm::APFloat(plusEps->second));
  auto back = ReshapeOp::create(rewriter, loc, norm.getResult(), viewShape);
  replaceAndEraseDead(rewriter, mul, back.getResult());
  return success();
}

} // namespace mlir::dyconv::raise
