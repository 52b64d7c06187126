//===- MathNodes.cpp - ONNX elementwise, reduction and matrix ops ---------===//

#include "OnnxGraph.h"

#include "dyconv/Dialect/ShapeUtils.h"

#include "onnx/onnx_pb.h"

#include <limits>

using namespace mlir;
using namespace mlir::dyconv;
using namespace mlir::dyconv::onnximport;

namespace {

/// Relu, Sigmoid, Abs, Sqrt, Erf, Tanh and the broadcasting Add, Sub, Mul,
/// Div.
OnnxBuilderFn elementwise(StringRef opName, size_t arity) {
  return [opName = opName.str(), arity](OnnxNode &n) -> FailureOr<OnnxValue> {
    if (failed(n.expectArgs(arity, arity)))
      return failure();
    SmallVector<Value> operands;
    for (size_t i = 0; i < arity; ++i) {
      auto operand = n.value(i);
      if (failed(operand))
        return failure();
      operands.push_back(*operand);
    }
    return asOnnxValue(n.create(opName, operands));
  };
}

/// Clip with min/max inputs (opset 11+); an absent bound is infinite.
FailureOr<OnnxValue> buildClip(OnnxNode &n) {
  if (failed(n.expectArgs(1, 3)))
    return failure();
  float inf = std::numeric_limits<float>::infinity();
  float min = -inf, max = inf;
  if (n.hasArg(1)) {
    auto value = n.constantScalar(1, "min");
    if (failed(value))
      return failure();
    min = *value;
  }
  if (n.hasArg(2)) {
    auto value = n.constantScalar(2, "max");
    if (failed(value))
      return failure();
    max = *value;
  }
  if (min > max)
    return n.fail("min " + std::to_string(min) + " is larger than max " +
                  std::to_string(max));
  auto input = n.value(0);
  if (failed(input))
    return failure();
  OpBuilder &b = n.builder;
  return asOnnxValue(n.create("dyconv.clip", {*input},
                              {b.getNamedAttr("min", b.getF32FloatAttr(min)),
                               b.getNamedAttr("max", b.getF32FloatAttr(max))}));
}

/// Softmax. Before opset 13 the input is coerced to 2-D at `axis` (default
/// 1) and normalised over all of `[axis, rank)`; that equals a softmax along
/// `axis` only when the dimensions after it are 1, otherwise the importer
/// reshapes around the softmax.
FailureOr<OnnxValue> buildSoftmax(OnnxNode &n) {
  bool coerced = n.opset() < 13;
  auto axisAttr = n.getInt("axis", coerced ? 1 : -1);
  auto input = n.value(0);
  if (failed(n.expectArgs(1, 1)) || failed(axisAttr) || failed(input))
    return failure();
  ArrayRef<int64_t> shape = n.args[0].shape();
  int64_t rank = static_cast<int64_t>(shape.size());
  std::optional<int64_t> axis = shape::normalizeAxis(*axisAttr, rank);
  if (!axis)
    return n.failAtAttribute("axis",
                             "out of range for rank " + std::to_string(rank));
  if (failed(rejectBatchAxis(n, {*axis}, rank, "normalises along")))
    return failure();
  OpBuilder &b = n.builder;
  auto softmax = [&](Value v) {
    return n.create("dyconv.softmax", {v},
                    {b.getNamedAttr("axis", b.getI64IntegerAttr(*axis))});
  };
  ArrayRef<int64_t> trailing = shape.drop_front(*axis + 1);
  if (!coerced || llvm::all_of(trailing, [](int64_t d) { return d == 1; }))
    return asOnnxValue(softmax(*input));

  // [d0, ..., d(axis-1), prod(d(axis)...)]: the leading dimensions are
  // copied (`0`), so a dynamic batch stays dynamic.
  int64_t group = shape::product(shape.drop_front(*axis));
  if (ShapedType::isDynamic(group))
    return n.failAtInput(0, "Softmax before opset 13 needs static dimensions "
                            "from the axis on, got " +
                                shape::format(shape));
  SmallVector<int64_t> flat(*axis, 0), back(*axis, 0);
  flat.push_back(group);
  back.append(shape.begin() + *axis, shape.end());
  auto reshape = [&](Value v, ArrayRef<int64_t> spec) {
    return n.create("dyconv.reshape", {v},
                    {b.getNamedAttr("shape", b.getDenseI64ArrayAttr(spec))});
  };
  auto flattened = reshape(*input, flat);
  if (failed(flattened))
    return failure();
  auto normalised = softmax(*flattened);
  if (failed(normalised))
    return failure();
  return asOnnxValue(reshape(*normalised, back));
}

/// ReduceSum (axes an input from opset 13) and ReduceMean (from opset 18).
OnnxBuilderFn reduce(StringRef opName, int64_t axesInputSince) {
  return [opName = opName.str(),
          axesInputSince](OnnxNode &n) -> FailureOr<OnnxValue> {
    bool axesInput = n.opset() >= axesInputSince;
    auto keepDims = n.getBool("keepdims", true);
    auto noop = n.getBool("noop_with_empty_axes", false);
    auto input = n.value(0);
    if (failed(n.expectArgs(1, axesInput ? 2 : 1)) || failed(keepDims) ||
        failed(noop) || failed(input))
      return failure();
    auto given = readReduceAxes(n, axesInputSince);
    if (failed(given))
      return failure();
    SmallVector<int64_t> axes = *given;
    if (axes.empty()) {
      if (*noop)
        return n.args[0];
      for (int64_t d = 0; d < static_cast<int64_t>(n.args[0].shape().size());
           ++d)
        axes.push_back(d);
    }
    if (failed(rejectBatchAxis(n, axes, n.args[0].shape().size(), "reduces")))
      return failure();
    OpBuilder &b = n.builder;
    return asOnnxValue(
        n.create(opName, {*input},
                 {b.getNamedAttr("axes", b.getDenseI64ArrayAttr(axes)),
                  b.getNamedAttr("keepdims", b.getBoolAttr(*keepDims))}));
  };
}

/// `t` transposed ([K, N] -> [N, K]) and multiplied by `scale`.
ConstTensor transposedMatrix(const ConstTensor &t, float scale) {
  int64_t rows = t.shape[0], cols = t.shape[1];
  std::vector<float> values(t.floatValues.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      values[c * rows + r] = t.floatValues[r * cols + c] * scale;
  return ConstTensor::floats({cols, rows}, std::move(values));
}

ConstTensor scaled(const ConstTensor &t, float scale) {
  ConstTensor result = t;
  for (float &v : result.floatValues)
    v *= scale;
  return result;
}

/// A constant float matrix input, or null when the input is computed.
const ConstTensor *constantMatrix(OnnxNode &n, size_t i) {
  const OnnxValue &arg = n.args[i];
  if (!arg.isConstant() || arg.constant->isInt() ||
      arg.constant->shape.size() != 2)
    return nullptr;
  return arg.constant.get();
}

/// `linear(A, W, bias)` with W = B^T (or B when `transposed`) times `alpha`
/// and the bias beta * C when C is one value per output (a [N], [1, N],
/// [1] or scalar C). Returns the value and whether C was used as the bias.
FailureOr<std::pair<Value, bool>> buildLinear(OnnxNode &n, Value a,
                                              const ConstTensor &b,
                                              bool transposed, float alpha,
                                              float beta) {
  Value weight;
  int64_t outputs = transposed ? b.shape[0] : b.shape[1];
  const std::string &bName = n.proto.input(1);
  if (transposed && alpha == 1.0f) {
    auto v = n.value(1);
    if (failed(v))
      return failure();
    weight = *v;
  } else {
    auto v = n.materialize(transposed ? scaled(b, alpha)
                                      : transposedMatrix(b, alpha),
                           bName + (transposed ? ".scaled" : ".T"));
    if (failed(v))
      return failure();
    weight = *v;
  }
  SmallVector<Value> operands = {a, weight};
  bool usesBias = false;
  if (n.hasArg(2) && beta != 0.0f && n.args[2].isConstant()) {
    const ConstTensor &c = *n.args[2].constant;
    ArrayRef<int64_t> shape = c.shape;
    bool perOutput =
        (shape.size() == 1 && shape[0] == outputs) ||
        (shape.size() == 2 && shape[0] == 1 && shape[1] == outputs);
    if (!c.isInt() && (perOutput || c.numElements() == 1)) {
      std::vector<float> bias(outputs);
      for (int64_t i = 0; i < outputs; ++i)
        bias[i] = beta * c.floatValues[perOutput ? i : 0];
      // A [N] bias used as is stays the initializer's constant.
      auto v =
          beta == 1.0f && shape.size() == 1
              ? n.value(2)
              : n.materialize(ConstTensor::floats({outputs}, std::move(bias)),
                              n.proto.input(2) + ".bias");
      if (failed(v))
        return failure();
      operands.push_back(*v);
      usesBias = true;
    }
  }
  auto result = n.create("dyconv.linear", operands);
  if (failed(result))
    return failure();
  return std::make_pair(*result, usesBias);
}

/// `value * scale` unless `scale` is 1.
FailureOr<Value> scaleBy(OnnxNode &n, Value value, float scale,
                         StringRef name) {
  if (scale == 1.0f)
    return value;
  auto factor = n.materialize(ConstTensor::floats({}, {scale}), name);
  if (failed(factor))
    return failure();
  return n.create("dyconv.mul", {value, *factor});
}

/// A computed B's dimension 0 is its batch, so only the batched product of
/// two computed operands of one rank >= 3 keeps the batch leading.
LogicalResult expectBatchedRhs(OnnxNode &n) {
  size_t rank = n.args[1].shape().size();
  if (n.args[1].isConstant() || (rank >= 3 && rank == n.args[0].shape().size()))
    return success();
  return n.failAtInput(1, "a computed B of rank " + std::to_string(rank) +
                              " multiplies along dimension 0 of a computed "
                              "value, the batch: only batched products of "
                              "computed operands of one rank >= 3 are "
                              "supported");
}

/// Gemm: `alpha * A' B' + beta * C` with a constant B is a `linear` (alpha,
/// beta and the transposes folded into the constants); a C that is not one
/// value per output is added after. A computed B would multiply along the
/// batch (a 2-D B's dimension 0).
FailureOr<OnnxValue> buildGemm(OnnxNode &n) {
  auto alpha = n.getFloat("alpha", 1.0);
  auto beta = n.getFloat("beta", 1.0);
  auto transA = n.getBool("transA", false);
  auto transB = n.getBool("transB", false);
  if (failed(n.expectArgs(2, 3)) || failed(alpha) || failed(beta) ||
      failed(transA) || failed(transB))
    return failure();
  auto a = n.value(0);
  if (failed(a))
    return failure();
  if (n.args[0].shape().size() != 2)
    return n.failAtInput(0, "Gemm needs a matrix, got " +
                                shape::format(n.args[0].shape()));
  OpBuilder &bld = n.builder;
  auto transpose = [&](Value v) {
    return n.create(
        "dyconv.transpose", {v},
        {bld.getNamedAttr("perm", bld.getDenseI64ArrayAttr({1, 0}))});
  };
  if (failed(expectBatchedRhs(n)))
    return failure();
  if (*transA) {
    if (!n.args[0].isConstant())
      return n.failAtAttribute("transA",
                               "transposes a computed A, moving its rows "
                               "(the batch): dyconv keeps the batch as the "
                               "leading dimension");
    a = transpose(*a);
    if (failed(a))
      return failure();
  }

  const ConstTensor *b = constantMatrix(n, 1);
  if (!b)
    return n.failAtInput(1, "Gemm needs a float matrix, got " +
                                shape::format(n.args[1].shape()));
  auto linear = buildLinear(n, *a, *b, *transB, *alpha, *beta);
  if (failed(linear))
    return failure();
  auto [product, biasDone] = *linear;
  if (biasDone || !n.hasArg(2) || *beta == 0.0)
    return OnnxValue(product);
  auto c = n.value(2);
  if (failed(c))
    return failure();
  auto scaledC = scaleBy(n, *c, *beta, n.proto.input(2) + ".beta");
  if (failed(scaledC))
    return failure();
  return asOnnxValue(n.create("dyconv.add", {product, *scaledC}));
}

/// MatMul: a `linear` when A is a matrix and B a constant matrix, else a
/// batched `matmul`.
FailureOr<OnnxValue> buildMatMul(OnnxNode &n) {
  if (failed(n.expectArgs(2, 2)))
    return failure();
  auto a = n.value(0);
  if (failed(a))
    return failure();
  const ConstTensor *b = constantMatrix(n, 1);
  if (b && n.args[0].shape().size() == 2) {
    auto linear = buildLinear(n, *a, *b, /*transposed=*/false, 1.0f, 0.0f);
    if (failed(linear))
      return failure();
    return OnnxValue(linear->first);
  }
  if (n.args[0].isConstant())
    return n.failAtInput(0, "a constant A times a computed B is not "
                            "supported: the result's rows must be A's");
  if (failed(expectBatchedRhs(n)))
    return failure();
  auto rhs = n.value(1);
  if (failed(rhs))
    return failure();
  return asOnnxValue(n.create("dyconv.matmul", {*a, *rhs}));
}

/// Pow with a constant scalar exponent, as the products and roots exports
/// spell norms and GELU with: x^2 and x^3 become exact multiplications (a
/// variance's square is then `x * x`), x^0.5 a square root, x^1 is x.
FailureOr<OnnxValue> buildPow(OnnxNode &n) {
  if (failed(n.expectArgs(2, 2)))
    return failure();
  auto given = n.constant(1, "exponent");
  auto base = n.value(0);
  if (failed(given) || failed(base))
    return failure();
  const ConstTensor &tensor = **given;
  if (tensor.numElements() != 1)
    return n.failAtInput(1, "the exponent must be one value");
  double exponent = tensor.isInt() ? static_cast<double>(tensor.intValues[0])
                                   : static_cast<double>(tensor.floatValues[0]);
  if (exponent == 1.0)
    return n.args[0];
  if (exponent == 0.5)
    return asOnnxValue(n.create("dyconv.sqrt", {*base}));
  if (exponent != 2.0 && exponent != 3.0)
    return n.failAtInput(1, "only the exponents 0.5, 1, 2 and 3 are "
                            "supported, got " +
                                std::to_string(exponent));
  auto square = n.create("dyconv.mul", {*base, *base});
  if (failed(square) || exponent == 2.0)
    return asOnnxValue(square);
  return asOnnxValue(n.create("dyconv.mul", {*square, *base}));
}

/// LayerNormalization (opset 17): `layer_norm` over [axis, rank); the
/// Mean and InvStdDev outputs are unsupported, `stash_type` has no effect
/// on float32.
FailureOr<OnnxValue> buildLayerNormalization(OnnxNode &n) {
  auto axis = n.getInt("axis", -1);
  auto epsilon = n.getFloat("epsilon", 1e-5);
  n.ignoreAttribute("stash_type");
  if (failed(n.expectArgs(2, 3)) || failed(axis) || failed(epsilon))
    return failure();
  if (n.proto.output_size() > 1)
    return n.fail("the Mean and InvStdDev outputs are not supported");
  int64_t rank = static_cast<int64_t>(n.args[0].shape().size());
  std::optional<int64_t> first = shape::normalizeAxis(*axis, rank);
  if (!first)
    return n.failAtAttribute("axis",
                             "out of range for rank " + std::to_string(rank));
  if (failed(rejectBatchAxis(n, {*first}, rank, "normalises over")))
    return failure();
  auto input = n.value(0);
  auto scale = n.value(1);
  if (failed(input) || failed(scale))
    return failure();
  Value bias;
  if (n.hasArg(2)) {
    auto given = n.value(2);
    if (failed(given))
      return failure();
    bias = *given;
  } else {
    SmallVector<int64_t> normalized(n.args[0].shape().drop_front(*first));
    auto zeros = n.materialize(
        ConstTensor::floats(
            normalized, std::vector<float>(shape::product(normalized), 0.0f)),
        n.proto.output(0) + ".bias");
    if (failed(zeros))
      return failure();
    bias = *zeros;
  }
  OpBuilder &b = n.builder;
  return asOnnxValue(
      n.create("dyconv.layer_norm", {*input, *scale, bias},
               {b.getNamedAttr("axis", b.getI64IntegerAttr(*first)),
                b.getNamedAttr("epsilon", b.getF64FloatAttr(*epsilon))}));
}

} // namespace

void mlir::dyconv::onnximport::registerMathNodes(
    llvm::StringMap<OnnxBuilderFn> &table) {
  table["Relu"] = elementwise("dyconv.relu", 1);
  table["Sigmoid"] = elementwise("dyconv.sigmoid", 1);
  table["Abs"] = elementwise("dyconv.abs", 1);
  table["Sqrt"] = elementwise("dyconv.sqrt", 1);
  table["Erf"] = elementwise("dyconv.erf", 1);
  table["Tanh"] = elementwise("dyconv.tanh", 1);
  table["Pow"] = buildPow;
  table["LayerNormalization"] = buildLayerNormalization;
  table["Add"] = elementwise("dyconv.add", 2);
  table["Sub"] = elementwise("dyconv.sub", 2);
  table["Mul"] = elementwise("dyconv.mul", 2);
  table["Div"] = elementwise("dyconv.div", 2);
  table["Clip"] = buildClip;
  table["Softmax"] = buildSoftmax;
  table["ReduceSum"] = reduce("dyconv.reduce_sum", 13);
  table["ReduceMean"] = reduce("dyconv.reduce_mean", 18);
  table["Gemm"] = buildGemm;
  table["MatMul"] = buildMatMul;
}
