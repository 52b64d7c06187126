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

FailureOr<Window> readWindow(OnnxNode &n, ArrayRef<int64_t> kernel,
                             bool hasDilations) {
  Window w;
  w.kernel.assign(kernel.begin(), kernel.end());
  auto strides = n.getInts("strides", SmallVector<int64_t>{1, 1}, {2});
  auto dilations = hasDilations
                       ? n.getInts("dilations", SmallVector<int64_t>{1, 1}, {2})
                       : FailureOr<SmallVector<int64_t>>({1, 1});
  auto pads = n.getInts("pads", SmallVector<int64_t>{0, 0, 0, 0}, {4});
  auto autoPad = n.getString("auto_pad", "NOTSET",
                             {"NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"});
  if (failed(strides) || failed(dilations) || failed(pads) || failed(autoPad))
    return failure();
  w.strides = *strides;
  w.dilations = *dilations;
  w.pads = *pads;
  if (*autoPad == "NOTSET")
    return w;
  if (n.hasAttribute("pads"))
    return n.failAtAttribute("pads",
                             "cannot be combined with auto_pad " + *autoPad);
  w.pads.assign(4, 0);
  if (*autoPad == "VALID")
    return w;
  ArrayRef<int64_t> input = n.args[0].shape();
  for (int d = 0; d < 2; ++d) {
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
    w.pads[d + 2] = upper ? total - small : small;
  }
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

FailureOr<OnnxValue> buildConv(OnnxNode &n) {
  if (failed(n.expectArgs(2, 3)) || failed(expectImages(n)))
    return failure();
  ArrayRef<int64_t> weightShape = n.args[1].shape();
  if (weightShape.size() != 4)
    return n.failAtInput(1, "the weight must be [Cout, Cin/groups, KH, KW], "
                            "got " +
                                shape::format(weightShape));
  auto kernelShape = n.getInts(
      "kernel_shape", SmallVector<int64_t>(weightShape.drop_front(2)), {2});
  auto groups = n.getInt("group", 1);
  if (failed(kernelShape) || failed(groups))
    return failure();
  if (!shape::compatible(*kernelShape, weightShape.drop_front(2)))
    return n.failAtAttribute("kernel_shape", "does not match the weight " +
                                                 shape::format(weightShape));
  auto window = readWindow(n, *kernelShape, /*hasDilations=*/true);
  if (failed(window))
    return failure();
  SmallVector<Value> operands;
  for (size_t i = 0; i < n.args.size(); ++i) {
    if (!n.hasArg(i))
      continue;
    auto operand = n.value(i);
    if (failed(operand))
      return failure();
    operands.push_back(*operand);
  }
  OpBuilder &b = n.builder;
  return asOnnxValue(n.create(
      "dyconv.conv2d", operands,
      {b.getNamedAttr("stride", b.getDenseI64ArrayAttr(window->strides)),
       b.getNamedAttr("padding", b.getDenseI64ArrayAttr(window->pads)),
       b.getNamedAttr("dilation", b.getDenseI64ArrayAttr(window->dilations)),
       b.getNamedAttr("groups", b.getI64IntegerAttr(*groups))}));
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
