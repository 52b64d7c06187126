//===- DataNodes.cpp - ONNX data movement and shape ops -------------------===//
//
// Reshape, Flatten, Squeeze, Unsqueeze, Transpose, Slice, Concat, Shape and
// the nodes that only forward their input (Identity, Dropout, Cast to
// float). On known tensors these are evaluated by the constant folder.
//
//===----------------------------------------------------------------------===//

#include "OnnxGraph.h"

#include "dyconv/Dialect/ShapeUtils.h"

#include "onnx/onnx_pb.h"

using namespace mlir;
using namespace mlir::dyconv;
using namespace mlir::dyconv::onnximport;

namespace {

FailureOr<Value> reshapeTo(OnnxNode &n, Value input, ArrayRef<int64_t> spec) {
  return n.create(
      "dyconv.reshape", {input},
      {n.builder.getNamedAttr("shape", n.builder.getDenseI64ArrayAttr(spec))});
}

/// A reshape to a shape computed by the importer: static dimensions are
/// written out, one dynamic dimension (the batch) becomes -1.
FailureOr<OnnxValue> reshapeToShape(OnnxNode &n, ArrayRef<int64_t> target) {
  SmallVector<int64_t> spec(target);
  if (llvm::count_if(spec, ShapedType::isDynamic) > 1)
    return n.fail("the result " + shape::format(target) +
                  " has more than one dynamic dimension");
  for (int64_t &dim : spec)
    if (ShapedType::isDynamic(dim))
      dim = -1;
  auto input = n.value(0);
  if (failed(input))
    return failure();
  return asOnnxValue(reshapeTo(n, *input, spec));
}

FailureOr<OnnxValue> buildReshape(OnnxNode &n) {
  if (failed(n.expectArgs(2, 2)))
    return failure();
  auto spec = readReshapeTarget(n);
  auto input = n.value(0);
  if (failed(spec) || failed(input))
    return failure();
  return asOnnxValue(reshapeTo(n, *input, *spec));
}

FailureOr<OnnxValue> buildFlatten(OnnxNode &n) {
  auto axis = n.getInt("axis", 1);
  auto input = n.value(0);
  if (failed(n.expectArgs(1, 1)) || failed(axis) || failed(input))
    return failure();
  int64_t rank = static_cast<int64_t>(n.args[0].shape().size());
  if (*axis < -rank || *axis > rank)
    return n.failAtAttribute("axis",
                             "out of range for rank " + std::to_string(rank));
  return asOnnxValue(n.create(
      "dyconv.flatten", {*input},
      {n.builder.getNamedAttr("axis", n.builder.getI64IntegerAttr(
                                          *axis < 0 ? *axis + rank : *axis))}));
}

FailureOr<OnnxValue> buildSqueeze(OnnxNode &n) {
  auto axes = squeezeAxes(n);
  if (failed(n.expectArgs(1, 2)) || failed(axes))
    return failure();
  auto target = squeezedShape(n, n.args[0].shape(), *axes);
  if (failed(target))
    return failure();
  return reshapeToShape(n, *target);
}

FailureOr<OnnxValue> buildUnsqueeze(OnnxNode &n) {
  auto axes = squeezeAxes(n);
  if (failed(n.expectArgs(1, 2)) || failed(axes))
    return failure();
  if (!*axes)
    return n.fail("needs axes");
  auto target = unsqueezedShape(n, n.args[0].shape(), **axes);
  if (failed(target))
    return failure();
  return reshapeToShape(n, *target);
}

FailureOr<OnnxValue> buildTranspose(OnnxNode &n) {
  if (failed(n.expectArgs(1, 1)))
    return failure();
  auto perm = readPermutation(n, n.args[0].shape().size());
  auto input = n.value(0);
  if (failed(perm) || failed(input))
    return failure();
  return asOnnxValue(n.create(
      "dyconv.transpose", {*input},
      {n.builder.getNamedAttr("perm", n.builder.getDenseI64ArrayAttr(*perm))}));
}

FailureOr<OnnxValue> buildSlice(OnnxNode &n) {
  if (failed(n.expectArgs(3, 5)))
    return failure();
  auto p = readSlice(n);
  auto input = n.value(0);
  if (failed(p) || failed(input))
    return failure();
  OpBuilder &b = n.builder;
  return asOnnxValue(
      n.create("dyconv.slice", {*input},
               {b.getNamedAttr("axes", b.getDenseI64ArrayAttr(p->axes)),
                b.getNamedAttr("starts", b.getDenseI64ArrayAttr(p->starts)),
                b.getNamedAttr("ends", b.getDenseI64ArrayAttr(p->ends)),
                b.getNamedAttr("steps", b.getDenseI64ArrayAttr(p->steps))}));
}

FailureOr<OnnxValue> buildConcat(OnnxNode &n) {
  auto axis = n.getInt("axis", std::nullopt);
  if (failed(axis))
    return failure();
  if (n.args.empty())
    return n.fail("needs at least one input");
  SmallVector<Value> inputs;
  for (size_t i = 0; i < n.args.size(); ++i) {
    auto input = n.value(i);
    if (failed(input))
      return failure();
    inputs.push_back(*input);
  }
  return asOnnxValue(n.create(
      "dyconv.concat", inputs,
      {n.builder.getNamedAttr("axis", n.builder.getI64IntegerAttr(*axis))}));
}

/// The shape of a value whose shape is static, as a known tensor (opset 15
/// adds `start` and `end`).
FailureOr<OnnxValue> buildShape(OnnxNode &n) {
  if (failed(n.expectArgs(1, 1)))
    return failure();
  ArrayRef<int64_t> shape = n.args[0].shape();
  int64_t rank = static_cast<int64_t>(shape.size());
  auto start = n.getInt("start", 0);
  auto end = n.getInt("end", rank);
  if (failed(start) || failed(end))
    return failure();
  auto clampIndex = [rank](int64_t i) {
    return std::clamp<int64_t>(i < 0 ? i + rank : i, 0, rank);
  };
  int64_t first = clampIndex(*start), last = clampIndex(*end);
  std::vector<int64_t> dims;
  for (int64_t d = first; d < last; ++d) {
    if (ShapedType::isDynamic(shape[d]))
      return n.failAtInput(0, "dimension " + std::to_string(d) + " of " +
                                  shape::format(shape) +
                                  " is dynamic: shapes computed at run time "
                                  "are not supported");
    dims.push_back(shape[d]);
  }
  int64_t count = static_cast<int64_t>(dims.size());
  return OnnxValue(ConstTensor::ints({count}, std::move(dims)));
}

FailureOr<OnnxValue> buildIdentity(OnnxNode &n) {
  if (failed(n.expectArgs(1, 1)))
    return failure();
  return n.args[0];
}

/// Dropout at inference forwards its input (the mask output is unsupported).
FailureOr<OnnxValue> buildDropout(OnnxNode &n) {
  n.ignoreAttribute("seed");
  n.ignoreAttribute("ratio");
  if (failed(n.expectArgs(1, 3)))
    return failure();
  if (n.hasArg(2)) {
    auto training = n.constant(2, "training_mode");
    if (failed(training))
      return failure();
    if (!(*training)->isInt() || (*training)->numElements() != 1 ||
        (*training)->intValues[0] != 0)
      return n.failAtInput(2, "training mode is not supported");
  }
  return n.args[0];
}

/// Cast of a computed float32 value to float32 (a no-op left by exporters).
FailureOr<OnnxValue> buildCast(OnnxNode &n) {
  auto to = n.getInt("to", std::nullopt);
  n.ignoreAttribute("saturate");
  if (failed(n.expectArgs(1, 1)) || failed(to))
    return failure();
  if (*to != onnx::TensorProto::FLOAT)
    return n.failAtAttribute("to", "only casts to float32 of computed values "
                                   "are supported");
  return n.args[0];
}

} // namespace

void mlir::dyconv::onnximport::registerDataNodes(
    llvm::StringMap<OnnxBuilderFn> &table) {
  table["Reshape"] = buildReshape;
  table["Flatten"] = buildFlatten;
  table["Squeeze"] = buildSqueeze;
  table["Unsqueeze"] = buildUnsqueeze;
  table["Transpose"] = buildTranspose;
  table["Slice"] = buildSlice;
  table["Concat"] = buildConcat;
  table["Shape"] = buildShape;
  table["Identity"] = buildIdentity;
  table["Dropout"] = buildDropout;
  table["Cast"] = buildCast;
}
