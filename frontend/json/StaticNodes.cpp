//===- StaticNodes.cpp - JSON builders of the ordinary CNN ops ------------===//

#include "Importer.h"

using namespace mlir;
using namespace mlir::dyconv;
using namespace mlir::dyconv::json;

namespace {

FailureOr<Value> buildConv2D(NodeContext &n) {
  auto attrs = n.getConvAttributes();
  auto weight = n.weight("weight");
  auto bias = n.optionalWeight("bias");
  if (failed(n.expectInputs(1)) || failed(attrs) || failed(weight) ||
      failed(bias))
    return failure();
  SmallVector<Value> operands = {n.inputs[0], *weight};
  if (*bias)
    operands.push_back(*bias);
  return n.create("dyconv.conv2d", operands, *attrs);
}

FailureOr<Value> buildBatchNorm(NodeContext &n) {
  auto epsilon = n.getFloat("epsilon", 1e-5);
  if (failed(n.expectInputs(1)) || failed(epsilon))
    return failure();
  SmallVector<Value> operands = {n.inputs[0]};
  for (StringRef name : {"weight", "bias", "running_mean", "running_var"}) {
    auto param = n.weight(name);
    if (failed(param))
      return failure();
    operands.push_back(*param);
  }
  return n.create(
      "dyconv.batch_norm", operands,
      {n.builder.getNamedAttr("epsilon", n.builder.getF64FloatAttr(*epsilon))});
}

FailureOr<Value> buildLinear(NodeContext &n) {
  auto weight = n.weight("weight");
  auto bias = n.optionalWeight("bias");
  if (failed(n.expectInputs(1)) || failed(weight) || failed(bias))
    return failure();
  SmallVector<Value> operands = {n.inputs[0], *weight};
  if (*bias)
    operands.push_back(*bias);
  return n.create("dyconv.linear", operands);
}

FailureOr<Value> buildLayerNorm(NodeContext &n) {
  auto axis = n.getInt("axis", -1);
  auto epsilon = n.getFloat("epsilon", 1e-5);
  auto scale = n.weight("weight");
  auto bias = n.weight("bias");
  if (failed(n.expectInputs(1)) || failed(axis) || failed(epsilon) ||
      failed(scale) || failed(bias))
    return failure();
  OpBuilder &b = n.builder;
  return n.create("dyconv.layer_norm", {n.inputs[0], *scale, *bias},
                  {b.getNamedAttr("axis", b.getI64IntegerAttr(*axis)),
                   b.getNamedAttr("epsilon", b.getF64FloatAttr(*epsilon))});
}

/// relu, sigmoid, add, mul: no attributes, no parameters.
NodeBuilderFn plain(StringRef opName, size_t inputs) {
  return [opName = opName.str(), inputs](NodeContext &n) -> FailureOr<Value> {
    if (failed(n.expectInputs(inputs)))
      return failure();
    return n.create(opName, n.inputs);
  };
}

FailureOr<Value> clip(NodeContext &n, double min, double max) {
  if (min > max)
    return n.failAtAttribute("", "clip needs min <= max, got min " +
                                     std::to_string(min) + " > max " +
                                     std::to_string(max));
  OpBuilder &b = n.builder;
  return n.create("dyconv.clip", n.inputs,
                  {b.getNamedAttr("min", b.getF32FloatAttr(min)),
                   b.getNamedAttr("max", b.getF32FloatAttr(max))});
}

FailureOr<Value> buildClip(NodeContext &n) {
  auto min = n.getFloat("min", std::nullopt);
  auto max = n.getFloat("max", std::nullopt);
  if (failed(n.expectInputs(1)) || failed(min) || failed(max))
    return failure();
  return clip(n, *min, *max);
}

FailureOr<Value> buildRelu6(NodeContext &n) {
  if (failed(n.expectInputs(1)))
    return failure();
  return clip(n, 0.0, 6.0);
}

/// softmax, flatten, concat: one integer `axis`.
NodeBuilderFn withAxis(StringRef opName, std::optional<int64_t> fallback,
                       std::optional<size_t> inputs) {
  return [opName = opName.str(), fallback,
          inputs](NodeContext &n) -> FailureOr<Value> {
    auto axis = n.getInt("axis", fallback);
    if ((inputs && failed(n.expectInputs(*inputs))) || failed(axis))
      return failure();
    if (n.inputs.empty())
      return n.failAtInputs("needs at least one input");
    return n.create(
        opName, n.inputs,
        {n.builder.getNamedAttr("axis", n.builder.getI64IntegerAttr(*axis))});
  };
}

FailureOr<Value> buildReshape(NodeContext &n) {
  auto shape = n.getInts("shape", std::nullopt, {});
  if (failed(n.expectInputs(1)) || failed(shape))
    return failure();
  return n.create("dyconv.reshape", n.inputs,
                  {n.builder.getNamedAttr(
                      "shape", n.builder.getDenseI64ArrayAttr(*shape))});
}

/// max_pool2d and avg_pool2d; the stride defaults to the window, as in
/// PyTorch.
FailureOr<Value> buildPool(NodeContext &n, bool isMax) {
  OpBuilder &b = n.builder;
  auto kernel = n.getInts("kernel_size", std::nullopt, {2});
  if (failed(kernel))
    return failure();
  auto stride = n.getInts("stride", *kernel, {2});
  auto padding = n.getPadding();
  auto ceilMode = n.getBool("ceil_mode", false);
  if (failed(n.expectInputs(1)) || failed(stride) || failed(padding) ||
      failed(ceilMode))
    return failure();
  SmallVector<NamedAttribute> attrs = {
      b.getNamedAttr("kernel_size", b.getDenseI64ArrayAttr(*kernel)),
      b.getNamedAttr("stride", b.getDenseI64ArrayAttr(*stride)),
      b.getNamedAttr("padding", b.getDenseI64ArrayAttr(*padding)),
      b.getNamedAttr("ceil_mode", b.getBoolAttr(*ceilMode))};
  if (isMax) {
    auto dilation = n.getInts("dilation", SmallVector<int64_t>{1, 1}, {2});
    if (failed(dilation))
      return failure();
    attrs.push_back(
        b.getNamedAttr("dilation", b.getDenseI64ArrayAttr(*dilation)));
    return n.create("dyconv.max_pool2d", n.inputs, attrs);
  }
  auto countPad = n.getBool("count_include_pad", false);
  if (failed(countPad))
    return failure();
  attrs.push_back(
      b.getNamedAttr("count_include_pad", b.getBoolAttr(*countPad)));
  return n.create("dyconv.avg_pool2d", n.inputs, attrs);
}

} // namespace

void mlir::dyconv::json::registerStaticNodes(
    llvm::StringMap<NodeBuilderFn> &table) {
  table["conv2d"] = buildConv2D;
  table["batch_norm"] = buildBatchNorm;
  table["linear"] = buildLinear;
  table["layer_norm"] = buildLayerNorm;
  table["relu"] = plain("dyconv.relu", 1);
  table["sigmoid"] = plain("dyconv.sigmoid", 1);
  table["relu6"] = buildRelu6;
  table["clip"] = buildClip;
  table["add"] = plain("dyconv.add", 2);
  table["mul"] = plain("dyconv.mul", 2);
  table["global_avg_pool"] = plain("dyconv.global_avg_pool", 1);
  table["softmax"] = withAxis("dyconv.softmax", std::nullopt, 1);
  table["flatten"] = withAxis("dyconv.flatten", 1, 1);
  table["concat"] = withAxis("dyconv.concat", std::nullopt, std::nullopt);
  table["reshape"] = buildReshape;
  table["max_pool2d"] = [](NodeContext &n) { return buildPool(n, true); };
  table["avg_pool2d"] = [](NodeContext &n) { return buildPool(n, false); };
}
