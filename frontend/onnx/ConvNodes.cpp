//===- ConvNodes.cpp - ONNX convolution, normalisation and pooling --------===//

#include "OnnxGraph.h"

#include "dyconv/Dialect/ShapeUtils.h"

#include "onnx/onnx_pb.h"

using namespace mlir;
using namespace mlir::dyconv;
using namespace mlir::dyconv::onnximport;

namespace {

/// The window of a Conv or pool: kernel, strides, dilations and the explicit
/// padding [top, left, bottom, right] (ONNX `pads` has the same order), with
/// `auto_pad` resolved against the static spatial size.
struct Window {
  SmallVector<int64_t> kernel, strides, dilations, pads;
};

/// The window of a node on `dims` spatial dimensions (1 or 2), as a 2-D
/// window: a 1-D window becomes the second dimension of a 1 x k one.
FailureOr<Window> readWindow(OnnxNode &n, ArrayRef<int64_t> kernel,
                             bool hasDilations, size_t dims = 2) {
  size_t pads = 2 * dims;
  SmallVector<int64_t> ones(dims, 1);
  auto strides = n.getInts("strides", ones, {dims});
  auto dilations = hasDilations ? n.getInts("dilations", ones, {dims})
                                : FailureOr<SmallVector<int64_t>>(ones);
  auto explicitPads = n.getInts("pads", SmallVector<int64_t>(pads, 0), {pads});
  auto autoPad = n.getString("auto_pad", "NOTSET",
                             {"NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"});
  if (failed(strides) || failed(dilations) || failed(explicitPads) ||
      failed(autoPad))
    return failure();
  Window w;
  w.kernel.assign(kernel.begin(), kernel.end());
  w.strides = *strides;
  w.dilations = *dilations;
  w.pads = *explicitPads;
  if (*autoPad != "NOTSET" && n.hasAttribute("pads"))
    return n.failAtAttribute("pads",
                             "cannot be combined with auto_pad " + *autoPad);
  if (*autoPad != "NOTSET")
    w.pads.assign(pads, 0);
  ArrayRef<int64_t> input = n.args[0].shape();
  for (size_t d = 0; d < dims && *autoPad != "NOTSET" && *autoPad != "VALID";
       ++d) {
    int64_t in = input[2 + d];
    if (ShapedType::isDynamic(in))
      return n.failAtInput(0, "auto_pad " + *autoPad +
                                  " needs a static spatial size, got " +
                                  shape::format(input));
    int64_t out = (in + w.strides[d] - 1) / w.strides[d];
    int64_t extent = (w.kernel[d] - 1) * w.dilations[d] + 1;
    int64_t total =
        std::max<int64_t>((out - 1) * w.strides[d] + extent - in, 0);
    int64_t small = total / 2;
    bool upper = *autoPad == "SAME_UPPER";
    w.pads[d] = upper ? small : total - small;
    w.pads[d + dims] = upper ? total - small : small;
  }
  if (dims == 2)
    return w;
  // [k] -> [1, k]; pads [begin, end] -> [0, begin, 0, end].
  w.kernel.insert(w.kernel.begin(), 1);
  w.strides.insert(w.strides.begin(), 1);
  w.dilations.insert(w.dilations.begin(), 1);
  w.pads = {0, w.pads[0], 0, w.pads[1]};
  return w;
}

/// Fails unless input 0 is [N, C, H, W].
LogicalResult expectImages(OnnxNode &n) {
  if (n.args[0].shape().size() != 4)
    return n.failAtInput(0, "only 2-D " + n.opName() +
                                " on [N, C, H, W] inputs is supported, got " +
                                shape::format(n.args[0].shape()));
  return success();
}

/// `value` with a unit dimension inserted at index 2: a 1-D conv's input
/// [N, C, L] or weight [Cout, Cin/g, k] as its 2-D form. A known weight is
/// reshaped at import, so that it stays a constant.
FailureOr<Value> insertUnitHeight(OnnxNode &n, size_t arg) {
  SmallVector<int64_t> shape(n.args[arg].shape());
  shape.insert(shape.begin() + 2, 1);
  if (n.args[arg].isConstant())
    return n.materialize(n.args[arg].constant->reshaped(shape),
                         n.proto.input(arg) + ".2d");
  auto value = n.value(arg);
  if (failed(value))
    return failure();
  for (int64_t &dim : shape)
    if (ShapedType::isDynamic(dim))
      dim = 0;
  return n.create(
      "dyconv.reshape", {*value},
      {n.builder.getNamedAttr("shape", n.builder.getDenseI64ArrayAttr(shape))});
}

/// Conv on [N, C, H, W] is a conv2d; Conv on [N, C, L] (KernelWarehouse's
/// linear layers are 1-D convs) is the conv2d of height 1 between reshapes.
FailureOr<OnnxValue> buildConv(OnnxNode &n) {
  if (failed(n.expectArgs(2, 3)))
    return failure();
  ArrayRef<int64_t> inputShape = n.args[0].shape();
  ArrayRef<int64_t> weightShape = n.args[1].shape();
  size_t dims = inputShape.size() - 2;
  if (inputShape.size() != 3 && inputShape.size() != 4)
    return n.failAtInput(0, "only 1-D and 2-D Conv on [N, C, L] or [N, C, H, "
                            "W] inputs is supported, got " +
                                shape::format(inputShape));
  if (weightShape.size() != inputShape.size())
    return n.failAtInput(1, "the weight must be [Cout, Cin/groups" +
                                std::string(dims == 1 ? ", K]" : ", KH, KW]") +
                                ", got " + shape::format(weightShape));
  auto kernelShape = n.getInts(
      "kernel_shape", SmallVector<int64_t>(weightShape.drop_front(2)), {dims});
  auto groups = n.getInt("group", 1);
  if (failed(kernelShape) || failed(groups))
    return failure();
  if (!shape::compatible(*kernelShape, weightShape.drop_front(2)))
    return n.failAtAttribute("kernel_shape", "does not match the weight " +
                                                 shape::format(weightShape));
  auto window = readWindow(n, *kernelShape, /*hasDilations=*/true, dims);
  if (failed(window))
    return failure();
  SmallVector<Value> operands;
  for (size_t i = 0; i < n.args.size(); ++i) {
    if (!n.hasArg(i))
      continue;
    auto operand = dims == 1 && i < 2 ? insertUnitHeight(n, i) : n.value(i);
    if (failed(operand))
      return failure();
    operands.push_back(*operand);
  }
  OpBuilder &b = n.builder;
  auto conv = n.create(
      "dyconv.conv2d", operands,
      {b.getNamedAttr("stride", b.getDenseI64ArrayAttr(window->strides)),
       b.getNamedAttr("padding", b.getDenseI64ArrayAttr(window->pads)),
       b.getNamedAttr("dilation", b.getDenseI64ArrayAttr(window->dilations)),
       b.getNamedAttr("groups", b.getI64IntegerAttr(*groups))});
  if (failed(conv) || dims == 2)
    return asOnnxValue(conv);
  // [N, Cout, 1, L'] -> [N, Cout, L'].
  ArrayRef<int64_t> result = cast<RankedTensorType>(conv->getType()).getShape();
  SmallVector<int64_t> spec = {0, result[1], result[3]};
  return asOnnxValue(
      n.create("dyconv.reshape", {*conv},
               {b.getNamedAttr("shape", b.getDenseI64ArrayAttr(spec))}));
}

FailureOr<OnnxValue> buildBatchNorm(OnnxNode &n) {
  auto epsilon = n.getFloat("epsilon", 1e-5);
  auto training = n.getBool("training_mode", false);
  n.ignoreAttribute("momentum");
  if (failed(n.expectArgs(5, 5)) || failed(epsilon) || failed(training))
    return failure();
  if (*training)
    return n.failAtAttribute("training_mode", "training is not supported");
  SmallVector<Value> operands;
  for (size_t i = 0; i < 5; ++i) {
    auto operand = n.value(i);
    if (failed(operand))
      return failure();
    operands.push_back(*operand);
  }
  return asOnnxValue(
      n.create("dyconv.batch_norm", operands,
               {n.builder.getNamedAttr("epsilon",
                                       n.builder.getF64FloatAttr(*epsilon))}));
}

/// MaxPool and AveragePool.
FailureOr<OnnxValue> buildPool(OnnxNode &n, bool isMax) {
  if (failed(n.expectArgs(1, 1)) || failed(expectImages(n)))
    return failure();
  auto kernel = n.getInts("kernel_shape", std::nullopt, {2});
  auto ceilMode = n.getBool("ceil_mode", false);
  if (failed(kernel) || failed(ceilMode))
    return failure();
  auto window = readWindow(n, *kernel, /*hasDilations=*/isMax);
  auto input = n.value(0);
  if (failed(window) || failed(input))
    return failure();
  OpBuilder &b = n.builder;
  SmallVector<NamedAttribute> attrs = {
      b.getNamedAttr("kernel_size", b.getDenseI64ArrayAttr(window->kernel)),
      b.getNamedAttr("stride", b.getDenseI64ArrayAttr(window->strides)),
      b.getNamedAttr("padding", b.getDenseI64ArrayAttr(window->pads)),
      b.getNamedAttr("ceil_mode", b.getBoolAttr(*ceilMode))};
  if (isMax) {
    // storage_order only lays out the Indices output, which is unsupported.
    n.ignoreAttribute("storage_order");
    attrs.push_back(
        b.getNamedAttr("dilation", b.getDenseI64ArrayAttr(window->dilations)));
    return asOnnxValue(n.create("dyconv.max_pool2d", {*input}, attrs));
  }
  auto countPad = n.getBool("count_include_pad", false);
  if (failed(countPad))
    return failure();
  attrs.push_back(
      b.getNamedAttr("count_include_pad", b.getBoolAttr(*countPad)));
  return asOnnxValue(n.create("dyconv.avg_pool2d", {*input}, attrs));
}

/// GlobalAveragePool: `global_avg_pool` on images, else a mean over the
/// dimensions after the channels (KernelWarehouse pools `x.reshape(B, C, -1)`).
FailureOr<OnnxValue> buildGlobalAveragePool(OnnxNode &n) {
  if (failed(n.expectArgs(1, 1)))
    return failure();
  auto input = n.value(0);
  if (failed(input))
    return failure();
  int64_t rank = static_cast<int64_t>(n.args[0].shape().size());
  if (rank == 4)
    return asOnnxValue(n.create("dyconv.global_avg_pool", {*input}));
  if (rank < 3)
    return n.failAtInput(0, "needs [N, C, ...] with spatial dimensions, got " +
                                shape::format(n.args[0].shape()));
  SmallVector<int64_t> axes;
  for (int64_t d = 2; d < rank; ++d)
    axes.push_back(d);
  OpBuilder &b = n.builder;
  return asOnnxValue(
      n.create("dyconv.reduce_mean", {*input},
               {b.getNamedAttr("axes", b.getDenseI64ArrayAttr(axes)),
                b.getNamedAttr("keepdims", b.getBoolAttr(true))}));
}

} // namespace

void mlir::dyconv::onnximport::registerConvNodes(
    llvm::StringMap<OnnxBuilderFn> &table) {
  table["Conv"] = buildConv;
  table["BatchNormalization"] = buildBatchNorm;
  table["MaxPool"] = [](OnnxNode &n) { return buildPool(n, true); };
  table["AveragePool"] = [](OnnxNode &n) { return buildPool(n, false); };
  table["GlobalAveragePool"] = buildGlobalAveragePool;
}
