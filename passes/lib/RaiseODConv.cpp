//===- RaiseODConv.cpp - recognise the ODConv layers of ONNX exports ------===//
//
// `torch.onnx.export` of the authors' ODConv2d (operator spec §1.4) leaves,
// with B the export batch and T the temperature,
//
//   h  = relu(fc(global_avg_pool(x)))            fc: a 1x1 conv2d, the
//                                                attention BN folded into its
//                                                bias or a batch_norm after it
//   ca = sigmoid(view(conv2d(h, Wc, bc)) / T)    [B, Cin, 1, 1]
//   fa = sigmoid(view(conv2d(h, Wf, bf)) / T)    [B, Cout, 1, 1]    unless
//   depthwise sa = sigmoid(view(conv2d(h, Ws, bs)) / T)    [B, 1, 1, 1, k, k]
//   unless k == 1 ka = softmax(view(conv2d(h, Wk, bk)) / T)    [B, K, 1, 1, 1,
//   1] unless K == 1 w  = view(reduce_sum(sa * ka * bank, axis 1)) [B*Cout,
//   Cin/g, k, k] y  = view(conv2d(view(x * ca), w, groups = g*B)) * fa     [B,
//   Cout, H', W']
//
// where an absent head is a constant 1 and `bank` is `[1, K, Cout, Cin/g, k,
// k]`. The match starts at the grouped conv. Views are recognised by the
// shapes they map between (a reshape keeps the row-major order), muls by
// their operands in either order, and the product `sa * ka * bank` in any
// association.
//
//===----------------------------------------------------------------------===//

#include "Constants.h"
#include "RaiseMatchers.h"
#include "RaiseOnnx.h"

#include <optional>

namespace mlir::dyconv::raise {

namespace {

/// One attention head: `activation(view(fc(h)) / temperature)`.
struct Head {
  Conv2DOp fc;
  double temperature;
};

/// A softmax over one axis of `logits`.
struct Softmax {
  Value logits;
  int64_t axis;
};

/// Matches the softmax that computes `value`, also in the form of opset < 13
/// exports, which move the axis last between two transposes.
std::optional<Softmax> matchSoftmax(Value value) {
  auto outer = value.getDefiningOp<TransposeOp>();
  auto softmax = (outer ? outer.getInput() : value).getDefiningOp<SoftmaxOp>();
  if (!softmax)
    return std::nullopt;
  std::optional<SmallVector<int64_t>> axis = normalizeAxes(
      {softmax.getAxisAttr().getInt()}, shapeOf(softmax.getInput()).size());
  if (!axis)
    return std::nullopt;
  if (!outer)
    return Softmax{softmax.getInput(), axis->front()};
  // transpose(x, inner) has dimension d = x's inner[d]; the outer transpose
  // must undo it, and the softmax then runs over x's inner[axis].
  auto inner = softmax.getInput().getDefiningOp<TransposeOp>();
  if (!inner)
    return std::nullopt;
  ArrayRef<int64_t> in = inner.getPerm(), out = outer.getPerm();
  for (auto [d, index] : llvm::enumerate(out))
    if (in[index] != static_cast<int64_t>(d))
      return std::nullopt;
  return Softmax{inner.getInput(), in[axis->front()]};
}

/// Matches the head that computes `attention`: a sigmoid, or when `softmax`
/// is set a softmax over each sample's logits.
std::optional<Head> matchHead(Value attention, bool softmax) {
  Value activation = skipReshapes(attention);
  std::optional<Softmax> normalise;
  Value logits;
  if (softmax) {
    normalise = matchSoftmax(activation);
    logits = normalise ? normalise->logits : Value();
  } else if (auto sigmoid = activation.getDefiningOp<SigmoidOp>()) {
    logits = sigmoid.getInput();
  }
  if (!logits)
    return std::nullopt;
  ArrayRef<int64_t> activationShape = shapeOf(logits);
  logits = skipReshapes(logits);
  double temperature = 1.0;
  if (auto div = logits.getDefiningOp<DivOp>()) {
    std::optional<double> divisor = readScalar(div.getRhs());
    if (!divisor || !(*divisor > 0) || div.getType() != div.getLhs().getType())
      return std::nullopt;
    temperature = *divisor;
    logits = skipReshapes(div.getLhs());
  }
  auto fc = logits.getDefiningOp<Conv2DOp>();
  if (!fc || !isFullyConnected(fc) || !fc.getBias())
    return std::nullopt;
  // The views keep the order of fc's [B, width, 1, 1] result, so the softmax
  // groups each sample's logits when it runs over an axis of `width` with
  // only unit dimensions after it.
  if (normalise &&
      (activationShape[normalise->axis] != shapeOf(fc.getResult())[1] ||
       llvm::any_of(activationShape.drop_front(normalise->axis + 1),
                    [](int64_t d) { return d != 1; })))
    return std::nullopt;
  return Head{fc, temperature};
}

/// The attention trunk `h = relu(BN(fc(global_avg_pool(x))))`.
struct Trunk {
  Value input;
  Conv2DOp fc;
  /// Null when the exporter folded the BN into fc's bias.
  BatchNormOp norm;
};

std::optional<Trunk> matchTrunk(Value hidden) {
  auto relu = hidden.getDefiningOp<ReluOp>();
  if (!relu)
    return std::nullopt;
  Value logits = relu.getInput();
  auto norm = logits.getDefiningOp<BatchNormOp>();
  if (norm)
    logits = norm.getInput();
  auto fc = logits.getDefiningOp<Conv2DOp>();
  // A BN after a biased fc is not what the authors' module exports.
  if (!fc || !isFullyConnected(fc) || (norm && fc.getBias()) ||
      (norm && !(norm.getEpsilon().convertToDouble() >= 0)))
    return std::nullopt;
  auto pool = fc.getInput().getDefiningOp<GlobalAvgPoolOp>();
  if (!pool)
    return std::nullopt;
  return Trunk{pool.getInput(), fc, norm};
}

/// Collects the factors of the mul tree that computes `value`.
void collectFactors(Value value, SmallVectorImpl<Value> &factors) {
  if (auto mul = value.getDefiningOp<MulOp>()) {
    collectFactors(mul.getLhs(), factors);
    collectFactors(mul.getRhs(), factors);
    return;
  }
  factors.push_back(value);
}

/// The factors of `sa * ka * bank`; a missing attention stays null.
struct KernelProduct {
  Value bank, spatial, kernel;
};

/// Sorts the factors of `product [B, K, Cout, Cin/g, k, k]` into the bank,
/// the spatial and the kernel attention; constant ones stand for absent
/// heads.
std::optional<KernelProduct> matchKernelProduct(Value product) {
  ArrayRef<int64_t> shape = shapeOf(product);
  int64_t batch = shape[0], kernels = shape[1], k = shape[4];
  SmallVector<Value> factors;
  collectFactors(product, factors);
  KernelProduct result;
  for (Value factor : factors) {
    if (readScalar(factor) == 1.0)
      continue;
    if (!result.bank && isTensorConstant(factor) &&
        hasShape(factor, {1, kernels, shape[2], shape[3], k, k})) {
      result.bank = factor;
      continue;
    }
    Value activation = skipReshapes(factor);
    if (!result.spatial && activation.getDefiningOp<SigmoidOp>() &&
        hasShape(factor, {batch, 1, 1, 1, k, k})) {
      result.spatial = factor;
      continue;
    }
    if (!result.kernel && matchSoftmax(activation) &&
        hasShape(factor, {batch, kernels, 1, 1, 1, 1})) {
      result.kernel = factor;
      continue;
    }
    return std::nullopt;
  }
  if (!result.bank)
    return std::nullopt;
  return result;
}

/// A 1x1 conv's kernel `[out, in, 1, 1]` as the `[out, in]` matrix.
Value fcMatrix(OpBuilder &builder, Conv2DOp fc) {
  ArrayRef<int64_t> kernel = shapeOf(fc.getWeight());
  return reshapeConstant(builder, fc.getWeight(), {kernel[0], kernel[1]});
}

} // namespace

LogicalResult raiseODConv(RewriterBase &rewriter, Conv2DOp conv) {
  if (!hasExportShape(conv.getInput()) || !hasExportShape(conv.getWeight()))
    return failure();
  // The per-sample kernels: w = view(reduce_sum(product, axis 1)).
  auto kernelView = conv.getWeight().getDefiningOp<ReshapeOp>();
  auto sum = kernelView ? kernelView.getInput().getDefiningOp<ReduceSumOp>()
                        : ReduceSumOp();
  if (!sum || sum.getKeepdims() || !hasExportShape(sum.getInput()) ||
      shapeOf(sum.getInput()).size() != 6)
    return failure();
  std::optional<SmallVector<int64_t>> axes = normalizeAxes(sum.getAxes(), 6);
  if (!axes || *axes != ArrayRef<int64_t>{1})
    return failure();
  ArrayRef<int64_t> productShape = shapeOf(sum.getInput());
  int64_t batch = productShape[0], kernels = productShape[1];
  int64_t cout = productShape[2], cinPerGroup = productShape[3];
  int64_t k = productShape[4];
  if (productShape[5] != k ||
      !hasShape(conv.getWeight(), {batch * cout, cinPerGroup, k, k}))
    return failure();
  std::optional<KernelProduct> product = matchKernelProduct(sum.getInput());
  if (!product)
    return failure();

  // The batch folded into the groups: view(x * ca) [1, B*Cin, H, W] with
  // groups = g*B, and the result viewed back as [B, Cout, H', W'].
  ArrayRef<int64_t> folded = shapeOf(conv.getInput());
  if (folded[0] != 1 || folded[1] % batch != 0 ||
      (folded[1] / batch) % cinPerGroup != 0)
    return failure();
  int64_t cin = folded[1] / batch, groups = cin / cinPerGroup;
  if (static_cast<int64_t>(conv.getGroups()) != groups * batch)
    return failure();
  SmallVector<int64_t> inputShape = {batch, cin, folded[2], folded[3]};
  Value scaled = viewedAs(conv.getInput(), inputShape);
  auto scale = scaled ? scaled.getDefiningOp<MulOp>() : MulOp();
  ArrayRef<int64_t> convShape = shapeOf(conv.getResult());
  SmallVector<int64_t> outputShape = {batch, cout, convShape[2], convShape[3]};
  Value output = viewOf(conv.getResult(), outputShape);
  if (!scale || !output)
    return failure();

  // x * ca, either operand order; the channel head's trunk pools that x.
  std::optional<Head> channel;
  std::optional<Trunk> trunk;
  for (unsigned i = 0; i < 2 && !trunk; ++i) {
    Value input = scale->getOperand(i), attention = scale->getOperand(1 - i);
    if (!hasShape(input, inputShape) ||
        !hasShape(attention, {batch, cin, 1, 1}))
      continue;
    channel = matchHead(attention, /*softmax=*/false);
    if (channel)
      trunk = matchTrunk(channel->fc.getInput());
    if (trunk && trunk->input != input)
      trunk.reset();
  }
  if (!trunk)
    return failure();

  // The filter attention scales the output unless the layer is depthwise,
  // which multiplies by a constant 1 (or not at all).
  bool depthwise = cin == groups && cin == cout;
  Value root = output;
  std::optional<Head> filter;
  if (output.hasOneUse()) {
    auto mul = dyn_cast<MulOp>(*output.getUsers().begin());
    Value attention = !mul                     ? Value()
                      : mul.getLhs() == output ? mul.getRhs()
                                               : mul.getLhs();
    if (mul && depthwise && identityOperand(mul, 1.0) == output)
      root = mul.getResult();
    if (mul && !depthwise && hasShape(mul.getResult(), outputShape) &&
        hasShape(attention, {batch, cout, 1, 1}) &&
        (filter = matchHead(attention, /*softmax=*/false)))
      root = mul.getResult();
  }
  if (!depthwise && !filter)
    return failure();

  // The heads the authors' module has for this shape, reading one trunk
  // with one temperature.
  if (static_cast<bool>(product->spatial) != (k != 1) ||
      static_cast<bool>(product->kernel) != (kernels != 1))
    return failure();
  std::optional<Head> spatial, kernel;
  if (product->spatial &&
      !(spatial = matchHead(product->spatial, /*softmax=*/false)))
    return failure();
  if (product->kernel &&
      !(kernel = matchHead(product->kernel, /*softmax=*/true)))
    return failure();
  Value hidden = channel->fc.getInput();
  for (std::optional<Head> head : {filter, spatial, kernel})
    if (head && (head->fc.getInput() != hidden ||
                 head->temperature != channel->temperature))
      return failure();

  Operation *rootOp = root.getDefiningOp();
  rewriter.setInsertionPoint(rootOp);
  Location loc = conv.getLoc();
  // A BN folded into fc's bias is the exact BN scale 1, bias b, mean 0,
  // variance 1, epsilon 0.
  Value bnScale, bnBias, bnMean, bnVariance;
  double bnEpsilon = 0.0;
  if (BatchNormOp norm = trunk->norm) {
    bnScale = norm.getScale();
    bnBias = norm.getBias();
    bnMean = norm.getMean();
    bnVariance = norm.getVariance();
    bnEpsilon = norm.getEpsilon().convertToDouble();
  } else {
    int64_t width = shapeOf(trunk->fc.getWeight())[0];
    auto type = RankedTensorType::get({width}, rewriter.getF32Type());
    auto filled = [&](double value) {
      return constants::createConstant(rewriter, loc, type,
                                       SmallVector<double>(width, value),
                                       /*asResource=*/false, "");
    };
    bnScale = bnVariance = filled(1.0);
    bnMean = filled(0.0);
    bnBias = trunk->fc.getBias() ? trunk->fc.getBias() : bnMean;
  }
  auto headWeight = [&](std::optional<Head> head) {
    return head ? fcMatrix(rewriter, head->fc) : Value();
  };
  auto headBias = [](std::optional<Head> head) {
    return head ? head->fc.getBias() : Value();
  };
  Value bank = reshapeConstant(rewriter, product->bank,
                               {kernels, cout, cinPerGroup, k, k});
  auto odconv = ODConvOp::create(
      rewriter, loc, root.getType(), trunk->input, bank,
      fcMatrix(rewriter, trunk->fc), bnScale, bnBias, bnMean, bnVariance,
      fcMatrix(rewriter, channel->fc), channel->fc.getBias(),
      headWeight(filter), headBias(filter), headWeight(spatial),
      headBias(spatial), headWeight(kernel), headBias(kernel),
      conv.getStrideAttr(), conv.getPaddingAttr(), conv.getDilationAttr(),
      rewriter.getI64IntegerAttr(groups),
      rewriter.getF64FloatAttr(channel->temperature),
      rewriter.getF64FloatAttr(bnEpsilon));
  replaceAndEraseDead(rewriter, rootOp, odconv.getResult());
  return success();
}

} // namespace mlir::dyconv::raise
