//===- DynamicConvNodes.cpp - builders of the dynamic convolutions --------===//
//
// Parameters are found by the authors' state_dict names (spec §1.1, §2.7,
// §3.3), so trained checkpoints convert by renaming keys only.
//
//===----------------------------------------------------------------------===//

#include "dyconv/Dialect/DyConvOps.h"
#include "dyconv/Frontend/NodeContext.h"

#include <cmath>

using namespace mlir;
using namespace mlir::dyconv;

namespace {

//===----------------------------------------------------------------------===//
// ODConv
//===----------------------------------------------------------------------===//

FailureOr<Value> buildODConv(NodeContext &n) {
  OpBuilder &b = n.builder;
  auto conv = n.getConvAttributes();
  auto temperature = n.getFloat("temperature", 1.0);
  auto epsilon = n.getFloat("bn_epsilon", 1e-5);
  if (failed(n.expectInputs(1)) || failed(conv) || failed(temperature) ||
      failed(epsilon))
    return failure();
  SmallVector<NamedAttribute> attrs = *conv;
  attrs.push_back(
      b.getNamedAttr("temperature", b.getF64FloatAttr(*temperature)));
  attrs.push_back(b.getNamedAttr("bn_epsilon", b.getF64FloatAttr(*epsilon)));

  SmallVector<Value> operands = {n.inputs[0]};
  auto bank = n.weight("weight");
  auto fc = n.matrixWeight("attention.fc.weight");
  if (failed(bank) || failed(fc))
    return failure();
  operands.append({*bank, *fc});
  for (StringRef name : {"weight", "bias", "running_mean", "running_var"}) {
    auto param = n.weight(("attention.bn." + name).str());
    if (failed(param))
      return failure();
    operands.push_back(*param);
  }
  auto channelWeight = n.matrixWeight("attention.channel_fc.weight");
  auto channelBias = n.weight("attention.channel_fc.bias");
  if (failed(channelWeight) || failed(channelBias))
    return failure();
  operands.append({*channelWeight, *channelBias});

  // The optional heads: present in the weights or not; the op's verifier
  // says whether that matches the layer's shape (spec §1.3).
  SmallVector<int32_t> segments = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  for (StringRef head : {"filter_fc", "spatial_fc", "kernel_fc"}) {
    auto weight =
        n.optionalMatrixWeight(("attention." + head + ".weight").str());
    auto bias = n.optionalWeight(("attention." + head + ".bias").str());
    if (failed(weight) || failed(bias))
      return failure();
    for (Value v : {*weight, *bias}) {
      segments.push_back(v ? 1 : 0);
      if (v)
        operands.push_back(v);
    }
  }
  attrs.push_back(
      b.getNamedAttr("operandSegmentSizes", b.getDenseI32ArrayAttr(segments)));
  return n.create("dyconv.odconv", operands, attrs);
}

//===----------------------------------------------------------------------===//
// KWConv: kw_attention -> kw_assemble -> dynamic_conv2d
//===----------------------------------------------------------------------===//

/// The CAF attention of a KernelWarehouse layer from its parameters under
/// `prefix`: fc1 (+bias for LayerNorm), norm1, fc2 (+bias) | fc3 + basis_bias.
FailureOr<Value> createKWAttention(NodeContext &n, int64_t mixtures,
                                   int64_t numCells, int64_t startCell,
                                   double epsilon) {
  OpBuilder &b = n.builder;
  SmallVector<Value> operands = {n.inputs[0]};
  SmallVector<int32_t> segments = {1};
  auto add = [&](FailureOr<Value> value) -> LogicalResult {
    if (failed(value))
      return failure();
    segments.push_back(*value ? 1 : 0);
    if (*value)
      operands.push_back(*value);
    return success();
  };
  if (failed(add(n.matrixWeight("attention.fc1.weight"))) ||
      failed(add(n.optionalWeight("attention.fc1.bias"))) ||
      failed(add(n.weight("attention.norm1.weight"))) ||
      failed(add(n.weight("attention.norm1.bias"))) ||
      failed(add(n.optionalWeight("attention.norm1.running_mean"))) ||
      failed(add(n.optionalWeight("attention.norm1.running_var"))) ||
      failed(add(n.matrixWeight("attention.fc2.weight"))) ||
      failed(add(n.optionalWeight("attention.fc2.bias"))) ||
      failed(add(n.optionalMatrixWeight("attention.fc3.weight"))) ||
      failed(add(n.optionalWeight("attention.basis_bias"))))
    return failure();
  return n.create(
      "dyconv.kw_attention", operands,
      {b.getNamedAttr("num_mixtures", b.getI64IntegerAttr(mixtures)),
       b.getNamedAttr("num_cells", b.getI64IntegerAttr(numCells)),
       // start_cell matters only where the local cells are inserted among
       // the nonlocal ones (spec §2.4b); checkpoints record it everywhere.
       b.getNamedAttr("start_cell",
                      b.getI64IntegerAttr(
                          n.hasParam("attention.fc3.weight") ? startCell : 0)),
       b.getNamedAttr("norm_epsilon", b.getF64FloatAttr(epsilon)),
       b.getNamedAttr("operandSegmentSizes",
                      b.getDenseI32ArrayAttr(segments))});
}

/// The pieces of a KWConv as standalone nodes: `kw_attention` (parameters
/// under `prefix`) and `kw_assemble` (the warehouse named by `warehouse`).
FailureOr<Value> buildKWAttention(NodeContext &n) {
  auto mixtures = n.getInt("num_mixtures", std::nullopt);
  auto cells = n.getInt("num_cells", std::nullopt);
  auto startCell = n.getInt("start_cell", 0);
  auto epsilon = n.getFloat("norm_epsilon", 1e-5);
  if (failed(n.expectInputs(1)) || failed(mixtures) || failed(cells) ||
      failed(startCell) || failed(epsilon))
    return failure();
  return createKWAttention(n, *mixtures, *cells, *startCell, *epsilon);
}

FailureOr<Value> buildKWAssemble(NodeContext &n) {
  OpBuilder &b = n.builder;
  auto warehouse = n.warehouse();
  auto kernel = n.getInts("kernel_size", std::nullopt, {2});
  auto outBlocks = n.getInt("out_blocks", std::nullopt);
  auto inBlocks = n.getInt("in_blocks", std::nullopt);
  if (failed(n.expectInputs(1)) || failed(warehouse) || failed(kernel) ||
      failed(outBlocks) || failed(inBlocks))
    return failure();
  return n.create(
      "dyconv.kw_assemble", {n.inputs[0], warehouse->value},
      {b.getNamedAttr("kernel_size", b.getDenseI64ArrayAttr(*kernel)),
       b.getNamedAttr("out_blocks", b.getI64IntegerAttr(*outBlocks)),
       b.getNamedAttr("in_blocks", b.getI64IntegerAttr(*inBlocks))});
}

/// A convolution with per-sample kernels computed by the graph: inputs x,
/// kernels `[N, Cout, Cin/g, kh, kw]` and an optional bias value.
FailureOr<Value> buildDynamicConv2D(NodeContext &n) {
  auto attrs = n.getConvAttributes();
  if (failed(attrs))
    return failure();
  if (n.inputs.size() != 2 && n.inputs.size() != 3)
    return n.failAtInputs("dynamic_conv2d takes x, kernels and an optional "
                          "bias, got " +
                          std::to_string(n.inputs.size()) + " inputs");
  return n.create("dyconv.dynamic_conv2d", n.inputs, *attrs);
}

FailureOr<Value> buildKWConv(NodeContext &n) {
  OpBuilder &b = n.builder;
  auto convAttrs = n.getConvAttributes();
  auto warehouse = n.warehouse();
  auto cout = n.getInt("out_channels", std::nullopt);
  auto kernel = n.getInts("kernel_size", std::nullopt, {2});
  auto startCell = n.getInt("start_cell", 0);
  auto epsilon = n.getFloat("norm_epsilon", 1e-5);
  if (failed(n.expectInputs(1)) || failed(warehouse) || failed(cout) ||
      failed(kernel) || failed(startCell) || failed(epsilon) ||
      failed(convAttrs))
    return failure();
  int64_t groups = cast<IntegerAttr>(convAttrs->back().getValue()).getInt();
  auto cin = n.staticDim(0, 1, "input channel count");
  if (failed(cin))
    return failure();

  // The cell layout follows from the warehouse shape (spec §2.3).
  ArrayRef<int64_t> cells =
      cast<RankedTensorType>(warehouse->value.getType()).getShape();
  if (cells.size() != 5)
    return n.failAtWarehouse("warehouse '" + warehouse->name +
                             "' must be [M, co, ci, ckh, ckw]");
  int64_t numCells = cells[0], co = cells[1], ci = cells[2];
  if (groups < 1 || *cin % groups != 0 || *cout % co != 0 ||
      (*cin / groups) % ci != 0)
    return n.fail("out_channels " + std::to_string(*cout) + " and Cin/groups " +
                  std::to_string(groups > 0 ? *cin / groups : 0) +
                  " must be multiples of the warehouse cell [" +
                  std::to_string(co) + ", " + std::to_string(ci) + "]");
  int64_t outBlocks = *cout / co, inBlocks = *cin / groups / ci;
  bool pointCells = cells[3] == 1 && cells[4] == 1;
  int64_t mixtures =
      (pointCells ? (*kernel)[0] * (*kernel)[1] : 1) * outBlocks * inBlocks;

  auto coefficients =
      createKWAttention(n, mixtures, numCells, *startCell, *epsilon);
  if (failed(coefficients))
    return failure();
  auto kernels =
      n.create("dyconv.kw_assemble", {*coefficients, warehouse->value},
               {b.getNamedAttr("kernel_size", b.getDenseI64ArrayAttr(*kernel)),
                b.getNamedAttr("out_blocks", b.getI64IntegerAttr(outBlocks)),
                b.getNamedAttr("in_blocks", b.getI64IntegerAttr(inBlocks))});
  auto bias = n.optionalWeight("bias");
  if (failed(kernels) || failed(bias))
    return failure();
  SmallVector<Value> convOperands = {n.inputs[0], *kernels};
  if (*bias)
    convOperands.push_back(*bias);
  return n.create("dyconv.dynamic_conv2d", convOperands, *convAttrs);
}

//===----------------------------------------------------------------------===//
// DDF and DDFPack
//===----------------------------------------------------------------------===//

/// kernel_size, stride, dilation and combine of a ddf op; the DDFPack
/// module defaults kernel_size to 3 and combine to "mul", the op has none.
FailureOr<SmallVector<NamedAttribute>> ddfAttributes(NodeContext &n,
                                                     bool moduleDefaults) {
  OpBuilder &b = n.builder;
  auto kernel = n.getInt(
      "kernel_size", moduleDefaults ? std::optional<int64_t>(3) : std::nullopt);
  auto stride = n.getInt("stride", 1);
  auto dilation = n.getInt("dilation", 1);
  auto combine = n.getString("combine",
                             moduleDefaults ? std::optional<std::string>("mul")
                                            : std::nullopt,
                             {"mul", "add"});
  if (failed(kernel) || failed(stride) || failed(dilation) || failed(combine))
    return failure();
  auto combineAttr = b.getAttr<DDFCombineAttr>(
      *combine == "mul" ? DDFCombine::Mul : DDFCombine::Add);
  return SmallVector<NamedAttribute>{
      b.getNamedAttr("kernel_size", b.getI64IntegerAttr(*kernel)),
      b.getNamedAttr("stride", b.getI64IntegerAttr(*stride)),
      b.getNamedAttr("dilation", b.getI64IntegerAttr(*dilation)),
      b.getNamedAttr("combine", combineAttr)};
}

FailureOr<Value> buildDDF(NodeContext &n) {
  auto attrs = ddfAttributes(n, /*moduleDefaults=*/false);
  if (failed(n.expectInputs(3)) || failed(attrs))
    return failure();
  return n.create("dyconv.ddf", n.inputs, *attrs);
}

FailureOr<Value> buildDDFPack(NodeContext &n) {
  OpBuilder &b = n.builder;
  auto attrs = ddfAttributes(n, /*moduleDefaults=*/true);
  auto head = n.getInt("head", 1);
  auto nonlinearity = n.getString("nonlinearity", "relu", {"relu", "linear"});
  if (failed(n.expectInputs(1)) || failed(attrs) || failed(head) ||
      failed(nonlinearity))
    return failure();
  int64_t k = cast<IntegerAttr>((*attrs)[0].getValue()).getInt();
  int64_t stride = cast<IntegerAttr>((*attrs)[1].getValue()).getInt();
  auto channels = n.staticDim(0, 1, "channel count");
  auto height = n.staticDim(0, 2, "height");
  auto width = n.staticDim(0, 3, "width");
  if (failed(channels) || failed(height) || failed(width))
    return failure();
  if (k < 3 || k % 2 == 0)
    return n.failAtAttribute("kernel_size",
                             "DDFPack needs an odd kernel_size >= 3");
  if (*head < 1 || *channels % *head != 0)
    return n.failAtAttribute("head", "head must divide the channel count " +
                                         std::to_string(*channels));
  // The authors' wrapper asserts that the strided 1x1 spatial conv
  // (ceil(H/s)) matches the op's output (H//s): only even sizes pass.
  if (*height % stride != 0 || *width % stride != 0)
    return n.fail("DDFPack with stride " + std::to_string(stride) +
                  " needs H and W divisible by it, got " +
                  std::to_string(*height) + "x" + std::to_string(*width));
  int64_t taps = k * k, outH = *height / stride, outW = *width / stride;
  double gain = *nonlinearity == "relu" ? std::sqrt(2.0) : 1.0;
  auto attr = [&](StringRef name, Attribute value) {
    return b.getNamedAttr(name, value);
  };
  auto i64s = [&](ArrayRef<int64_t> v) { return b.getDenseI64ArrayAttr(v); };
  auto reshape = [&](Value v, ArrayRef<int64_t> shape) {
    return n.create("dyconv.reshape", {v}, {attr("shape", i64s(shape))});
  };

  // Spatial branch: strided 1x1 conv -> FilterNorm(gain / k).
  auto sw = n.weight("spatial_branch.0.weight");
  auto sb = n.weight("spatial_branch.0.bias");
  if (failed(sw) || failed(sb))
    return failure();
  auto spatial = n.create("dyconv.conv2d", {n.inputs[0], *sw, *sb},
                          {attr("stride", i64s({stride, stride}))});
  if (failed(spatial))
    return failure();
  spatial = n.create("dyconv.filter_norm", {*spatial},
                     {attr("taps", b.getI64IntegerAttr(taps)),
                      attr("gain", b.getF64FloatAttr(gain / k))});

  // Channel branch: GAP -> 1x1 conv -> ReLU -> 1x1 conv -> FilterNorm(std).
  auto w1 = n.weight("channel_branch.1.weight");
  auto b1 = n.weight("channel_branch.1.bias");
  auto w3 = n.weight("channel_branch.3.weight");
  auto b3 = n.weight("channel_branch.3.bias");
  auto std = n.weight("channel_branch.4.std");
  if (failed(spatial) || failed(w1) || failed(b1) || failed(w3) || failed(b3) ||
      failed(std))
    return failure();
  auto channel = n.create("dyconv.global_avg_pool", {n.inputs[0]});
  if (succeeded(channel))
    channel = n.create("dyconv.conv2d", {*channel, *w1, *b1});
  if (succeeded(channel))
    channel = n.create("dyconv.relu", {*channel});
  if (succeeded(channel))
    channel = n.create("dyconv.conv2d", {*channel, *w3, *b3});
  if (succeeded(channel))
    channel = n.create("dyconv.filter_norm", {*channel, *std},
                       {attr("taps", b.getI64IntegerAttr(taps))});
  if (failed(channel))
    return failure();

  // Heads split the channels: the ddf runs on [N*head, C/head, ...].
  int64_t perHead = *channels / *head;
  auto channelFilter = reshape(*channel, {-1, perHead, k, k});
  auto spatialFilter =
      *head == 1 ? spatial : reshape(*spatial, {-1, taps, outH, outW});
  auto input = *head == 1
                   ? FailureOr<Value>(n.inputs[0])
                   : reshape(n.inputs[0], {-1, perHead, *height, *width});
  if (failed(channelFilter) || failed(spatialFilter) || failed(input))
    return failure();
  auto output =
      n.create("dyconv.ddf", {*input, *channelFilter, *spatialFilter}, *attrs);
  if (failed(output) || *head == 1)
    return output;
  return reshape(*output, {-1, *channels, outH, outW});
}

/// DDF's FilterNorm as a node; the optional learned scale is the parameter
/// `std` under `prefix` (as in `channel_branch.4.std`).
FailureOr<Value> buildFilterNorm(NodeContext &n) {
  OpBuilder &b = n.builder;
  auto taps = n.getInt("taps", std::nullopt);
  auto gain = n.getFloat("gain", 1.0);
  auto epsilon = n.getFloat("epsilon", 1e-10);
  auto scale = n.optionalWeight("std");
  if (failed(n.expectInputs(1)) || failed(taps) || failed(gain) ||
      failed(epsilon) || failed(scale))
    return failure();
  SmallVector<Value> operands = {n.inputs[0]};
  if (*scale)
    operands.push_back(*scale);
  return n.create("dyconv.filter_norm", operands,
                  {b.getNamedAttr("taps", b.getI64IntegerAttr(*taps)),
                   b.getNamedAttr("gain", b.getF64FloatAttr(*gain)),
                   b.getNamedAttr("epsilon", b.getF64FloatAttr(*epsilon))});
}

} // namespace

void mlir::dyconv::registerDynamicConvNodes(
    llvm::StringMap<NodeBuilderFn> &table) {
  table["ODConv"] = buildODConv;
  table["KWConv"] = buildKWConv;
  table["DDF"] = buildDDF;
  table["DDFPack"] = buildDDFPack;
  table["kw_attention"] = buildKWAttention;
  table["kw_assemble"] = buildKWAssemble;
  table["dynamic_conv2d"] = buildDynamicConv2D;
  table["filter_norm"] = buildFilterNorm;
}
