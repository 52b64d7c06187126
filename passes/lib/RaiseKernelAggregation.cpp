//===- RaiseKernelAggregation.cpp - DyConv/CondConv layers of ONNX exports ===//
//
// CondConv and DyConv (operator spec §4) aggregate K kernels with per-sample
// coefficients, `W_b = sum_i pi[b, i] * W_i` (and the biases likewise), and
// apply them as one grouped conv with the batch folded into the groups:
//
//   w = view(linear(pi, bank^T))             [B*Cout, Cin/g, kh, kw]
//   c = view(linear(pi, biases^T))           [B*Cout]            (optional)
//   y = view(conv2d(view(x), w, c, groups = g*B))    [B, Cout, H', W']
//
// with `pi [B, K]` whatever routing the layer uses (DyConv's softmax MLP,
// CondConv's sigmoid). The layer becomes a `dynamic_conv2d` over the
// aggregated kernel `[B, Cout, Cin/g, kh, kw]` (plus a per-sample bias add);
// the routing and the aggregation stay ordinary ops, which no longer depend
// on the batch.
//
//===----------------------------------------------------------------------===//

#include "RaiseMatchers.h"
#include "RaiseOnnx.h"

namespace mlir::dyconv::raise {

namespace {

/// The per-sample aggregation `linear(pi, bank^T)` behind `value`, a view of
/// its `[B, ...]` result holding `perSample` elements per sample; null
/// otherwise. The bank must be constant and the routing `[B, K]`.
Value matchAggregation(Value value, int64_t batch, int64_t perSample) {
  auto linear = skipReshapes(value).getDefiningOp<LinearOp>();
  if (!linear || linear.getBias() || !isTensorConstant(linear.getWeight()))
    return Value();
  ArrayRef<int64_t> routing = shapeOf(linear.getInput());
  ArrayRef<int64_t> result = shapeOf(linear.getResult());
  if (routing.size() != 2 || routing[0] != batch || result[1] != perSample)
    return Value();
  return linear.getResult();
}

/// The view of the conv result `[1, B*Cout, H', W']` as `[B, Cout, H', W']`:
/// reshapes, after the transpose `[1, 0, 2, 3]` some ports write first
/// (which only moves the unit dimension; the importer makes it a reshape).
/// Null otherwise.
Operation *matchOutputView(Value result, ArrayRef<int64_t> shape) {
  if (!result.hasOneUse())
    return nullptr;
  Operation *user = *result.getUsers().begin();
  auto transpose = dyn_cast<TransposeOp>(user);
  if (!isa<ReshapeOp>(user) &&
      !(transpose && transpose.getPerm() == ArrayRef<int64_t>{1, 0, 2, 3}))
    return nullptr;
  Value view = viewOf(user->getResult(0), shape);
  return view ? view.getDefiningOp() : nullptr;
}

} // namespace

LogicalResult raiseKernelAggregation(RewriterBase &rewriter, Conv2DOp conv) {
  ArrayRef<int64_t> folded = shapeOf(conv.getInput());
  ArrayRef<int64_t> kernel = shapeOf(conv.getWeight());
  ArrayRef<int64_t> output = shapeOf(conv.getResult());
  if (!hasExportShape(conv.getInput()) || folded[0] != 1)
    return failure();
  // x [B, Cin, H, W] is the input before the batch was folded into channels.
  Value input = skipReshapes(conv.getInput());
  ArrayRef<int64_t> inputShape = shapeOf(input);
  if (inputShape.size() != 4 || !isViewOf(conv.getInput(), input))
    return failure();
  int64_t batch = inputShape[0], groupsFolded = conv.getGroups();
  if (inputShape[1] * batch != folded[1] || inputShape[2] != folded[2] ||
      inputShape[3] != folded[3] || groupsFolded % batch != 0 ||
      kernel[0] % batch != 0)
    return failure();
  int64_t groups = groupsFolded / batch, outChannels = kernel[0] / batch;
  SmallVector<int64_t> perSampleKernel = {batch, outChannels, kernel[1],
                                          kernel[2], kernel[3]};
  Value weights = matchAggregation(
      conv.getWeight(), batch, outChannels * kernel[1] * kernel[2] * kernel[3]);
  if (!weights)
    return failure();
  Value biases;
  if (conv.getBias()) {
    biases = matchAggregation(conv.getBias(), batch, outChannels);
    if (!biases)
      return failure();
  }
  SmallVector<int64_t> outputShape = {batch, outChannels, output[2], output[3]};
  Operation *outputView = matchOutputView(conv.getResult(), outputShape);
  if (!outputView)
    return failure();

  rewriter.setInsertionPoint(outputView);
  Location loc = conv.getLoc();
  Value perSample = ReshapeOp::create(
      rewriter, loc, weights, rewriter.getDenseI64ArrayAttr(perSampleKernel));
  Value result = DynamicConv2DOp::create(
      rewriter, loc, input, perSample, Value(), conv.getStrideAttr(),
      conv.getPaddingAttr(), conv.getDilationAttr(),
      rewriter.getI64IntegerAttr(groups));
  if (biases) {
    Value bias = ReshapeOp::create(
        rewriter, loc, biases,
        rewriter.getDenseI64ArrayAttr({batch, outChannels, 1, 1}));
    result = AddOp::create(rewriter, loc, result, bias);
  }
  replaceAndEraseDead(rewriter, outputView, result);
  return success();
}

} // namespace mlir::dyconv::raise
