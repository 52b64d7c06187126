//===- RaiseLayerNorm.cpp - recognise LayerNorm in ONNX exports -----------===//
//
// Before opset 17 `torch.onnx.export` writes `F.layer_norm` out, and
// ConvNeXt's channels-first LayerNorm is written out in PyTorch itself:
//
//   m = reduce_mean(x, A); d = x - m
//   y = d / sqrt(reduce_mean(d' * d', A) + eps)     d' = x - m', m' = m
//   y = y * weight + bias                             (either may be absent)
//
// (the importer makes d^2 the product d * d; the two subtractions may be one
// op or two equal ones). Normalising over the trailing axes A = [a, rank) is
// `layer_norm(axis = a)`; over one inner axis (channels first) it is that
// axis moved last, normalised, and moved back. The weight and bias must be
// constants that vary only along A.
//
//===----------------------------------------------------------------------===//

#include "Constants.h"
#include "RaiseMatchers.h"
#include "RaiseOnnx.h"

#include "dyconv/Dialect/ShapeUtils.h"

namespace mlir::dyconv::raise {

namespace {

/// The normalised, sorted axes of a keepdims `reduce_mean` of `input`, or
/// nullopt when `value` is not one.
std::optional<SmallVector<int64_t>> meanAxes(Value value, Value input) {
  auto mean = value.getDefiningOp<ReduceMeanOp>();
  if (!mean || mean.getInput() != input || !mean.getKeepdims())
    return std::nullopt;
  std::optional<SmallVector<int64_t>> axes =
      normalizeAxes(mean.getAxes(), shapeOf(input).size());
  if (axes)
    llvm::sort(*axes);
  return axes;
}

/// Whether `value` is `x - reduce_mean(x, axes)`.
bool isCentred(Value value, Value x, ArrayRef<int64_t> axes) {
  auto sub = value.getDefiningOp<SubOp>();
  return sub && sub.getLhs() == x &&
         meanAxes(sub.getRhs(), x) == SmallVector<int64_t>(axes);
}

/// The values of the constant `value` broadcast to `normalized`, the shape
/// of the trailing dimensions of a rank-`rank` tensor that it may vary
/// along (all its other dimensions must be 1), or nullopt.
std::optional<SmallVector<double>> readAffine(Value value, int64_t rank,
                                              ArrayRef<int64_t> normalized) {
  std::optional<constants::ConstantTensor> constant =
      constants::readConstant(value);
  if (!constant || constant->type.getRank() > rank)
    return std::nullopt;
  // The constant's shape right-aligned to the normalised dimensions.
  ArrayRef<int64_t> shape = constant->type.getShape();
  int64_t outer = rank - static_cast<int64_t>(normalized.size());
  int64_t pad = rank - static_cast<int64_t>(shape.size());
  SmallVector<int64_t> aligned;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t extent = d < pad ? 1 : shape[d - pad];
    if (d < outer ? extent != 1
                  : extent != 1 && extent != normalized[d - outer])
      return std::nullopt;
    if (d >= outer)
      aligned.push_back(extent);
  }
  SmallVector<double> values;
  int64_t count = shape::product(normalized);
  for (int64_t flat = 0; flat < count; ++flat) {
    int64_t source = 0, rest = flat, stride = 1;
    for (int64_t d = static_cast<int64_t>(normalized.size()) - 1; d >= 0; --d) {
      int64_t index = rest % normalized[d];
      rest /= normalized[d];
      source += (aligned[d] == 1 ? 0 : index) * stride;
      stride *= aligned[d];
    }
    values.push_back(constant->values[source]);
  }
  return values;
}

/// The normalised value `root` (the div) extended by its affine map: the mul
/// by a constant weight and the add of a constant bias that follow it.
struct Affine {
  Operation *last;
  SmallVector<double> weight, bias;
};

Affine matchAffine(Operation *div, int64_t rank, ArrayRef<int64_t> normalized) {
  int64_t count = shape::product(normalized);
  Affine affine{div, SmallVector<double>(count, 1.0),
                SmallVector<double>(count, 0.0)};
  auto follow = [&](auto opTag, SmallVector<double> &into) {
    using OpT = decltype(opTag);
    Value result = affine.last->getResult(0);
    if (!result.hasOneUse())
      return;
    auto op = dyn_cast<OpT>(*result.getUsers().begin());
    if (!op || op.getType() != result.getType())
      return;
    Value other = op.getLhs() == result ? op.getRhs() : op.getLhs();
    if (std::optional<SmallVector<double>> values =
            readAffine(other, rank, normalized)) {
      into = *values;
      affine.last = op;
    }
  };
  follow(MulOp(), affine.weight);
  follow(AddOp(), affine.bias);
  return affine;
}

} // namespace

LogicalResult raiseLayerNorm(RewriterBase &rewriter, DivOp div) {
  // d / sqrt(var + eps)
  auto sqrt = div.getRhs().getDefiningOp<SqrtOp>();
  auto plusEps = sqrt ? sqrt.getInput().getDefiningOp<AddOp>() : AddOp();
  if (!plusEps)
    return failure();
  auto centred = div.getLhs().getDefiningOp<SubOp>();
  if (!centred || div.getType() != centred.getType())
    return failure();
  Value x = centred.getLhs();
  std::optional<SmallVector<int64_t>> axes = meanAxes(centred.getRhs(), x);
  if (!axes || axes->empty())
    return failure();
  std::optional<double> epsilon;
  Value variance;
  for (unsigned i = 0; i < 2 && !epsilon; ++i)
    if ((epsilon = readScalar(plusEps->getOperand(i))))
      variance = plusEps->getOperand(1 - i);
  auto square =
      variance ? variance.getDefiningOp<ReduceMeanOp>() : ReduceMeanOp();
  if (!epsilon || !(*epsilon >= 0) || !square ||
      meanAxes(variance, square.getInput()) != *axes)
    return failure();
  auto product = square.getInput().getDefiningOp<MulOp>();
  if (!product || product.getLhs() != product.getRhs() ||
      !isCentred(product.getLhs(), x, *axes))
    return failure();

  // Trailing axes, or one inner axis moved last.
  int64_t rank = static_cast<int64_t>(shapeOf(x).size());
  int64_t first = axes->front();
  bool trailing = axes->back() == rank - 1 &&
                  static_cast<int64_t>(axes->size()) == rank - first;
  if (first == 0 || (!trailing && axes->size() != 1))
    return failure();
  SmallVector<int64_t> perm, inverse;
  if (!trailing) {
    for (int64_t d = 0; d < rank; ++d)
      if (d != first)
        perm.push_back(d);
    perm.push_back(first);
    inverse.assign(rank, 0);
    for (int64_t d = 0; d < rank; ++d)
      inverse[perm[d]] = d;
  }
  SmallVector<int64_t> normalized;
  for (int64_t axis : *axes)
    normalized.push_back(shapeOf(x)[axis]);
  if (!llvm::all_of(normalized, [](int64_t d) { return d > 0; }))
    return failure();
  Affine affine = matchAffine(div, rank, normalized);

  rewriter.setInsertionPoint(affine.last);
  Location loc = div.getLoc();
  auto paramType = RankedTensorType::get(normalized, rewriter.getF32Type());
  Value weight = constants::createConstant(rewriter, loc, paramType,
                                           affine.weight, false, "");
  Value bias = constants::createConstant(rewriter, loc, paramType, affine.bias,
                                         false, "");
  Value input = x;
  if (!trailing)
    input = TransposeOp::create(rewriter, loc, input, perm).getResult();
  int64_t axis = trailing ? first : rank - 1;
  Value result = LayerNormOp::create(rewriter, loc, input, weight, bias, axis,
                                     llvm::APFloat(*epsilon))
                     .getResult();
  if (!trailing)
    result = TransposeOp::create(rewriter, loc, result, inverse).getResult();
  replaceAndEraseDead(rewriter, affine.last, result);
  return success();
}

} // namespace mlir::dyconv::raise
