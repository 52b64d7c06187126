//===- DataNodes.cpp - ONNX data movement and shape ops -------------------===//
//
// Reshape, Flatten, Squeeze, Unsqueeze, Transpose, Slice, Concat, Gather,
// Pad, Shape and the nodes that only forward their input (Identity, Dropout,
// Cast to float). On known tensors these are evaluated by the constant
// folder.
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
  if (*axis == 0 || *axis == -rank)
    return n.failAtAttribute("axis", "0 flattens dimension 0 of a computed "
                                     "value, the batch, into the rows: dyconv "
                                     "keeps the batch as the leading "
                                     "dimension");
  return asOnnxValue(n.create(
      "dyconv.flatten", {*input},
      {n.builder.getNamedAttr("axis", n.builder.getI64IntegerAttr(
                                          *axis < 0 ? *axis + rank : *axis))}));
}

FailureOr<OnnxValue> buildSqueeze(OnnxNode &n) {
  auto axes = squeezeAxes(n);
  if (failed(n.expectArgs(1, 2)) || failed(axes))
    return failure();
  ArrayRef<int64_t> shape = n.args[0].shape();
  int64_t rank = static_cast<int64_t>(shape.size());
  // Without axes every unit dimension goes, a batch of 1 included.
  SmallVector<int64_t> removed =
      *axes ? **axes
            : (!shape.empty() && shape[0] == 1 ? SmallVector<int64_t>{0}
                                               : SmallVector<int64_t>());
  if (failed(rejectBatchAxis(n, removed, rank, "squeezes")))
    return failure();
  auto target = squeezedShape(n, shape, *axes);
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
  int64_t rank =
      static_cast<int64_t>(n.args[0].shape().size() + (*axes)->size());
  if (failed(rejectBatchAxis(n, **axes, rank, "inserts a dimension at")))
    return failure();
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
  if (perm->empty() || perm->front() == 0)
    return asOnnxValue(
        n.create("dyconv.transpose", {*input},
                 {n.builder.getNamedAttr(
                     "perm", n.builder.getDenseI64ArrayAttr(*perm))}));
  // A permutation that only moves dimensions of extent 1 keeps the elements
  // in order: it is a view, as in ports of CondConv that write
  // `y.permute(1, 0, 2, 3)` for the conv result [1, B*Cout, H, W].
  ArrayRef<int64_t> shape = n.args[0].shape();
  SmallVector<int64_t> permuted, moved, kept;
  for (int64_t d : *perm) {
    permuted.push_back(shape[d]);
    if (shape[d] != 1)
      moved.push_back(d);
  }
  for (int64_t d = 0; d < static_cast<int64_t>(shape.size()); ++d)
    if (shape[d] != 1)
      kept.push_back(d);
  if (moved == kept && llvm::none_of(shape, ShapedType::isDynamic))
    return reshapeToShape(n, permuted);
  return n.failAtAttribute("perm", "moves dimension 0 of a computed value, "
                                   "the batch: dyconv keeps the batch as "
                                   "the leading dimension");
}

FailureOr<OnnxValue> buildSlice(OnnxNode &n) {
  if (failed(n.expectArgs(3, 5)))
    return failure();
  auto p = readSlice(n);
  auto input = n.value(0);
  if (failed(p) || failed(input))
    return failure();
  // A slice that keeps dimension 0 whole is harmless.
  ArrayRef<int64_t> shape = n.args[0].shape();
  auto ranges = shape::slice(shape, p->axes, p->starts, p->ends, p->steps);
  if (!ranges)
    return n.fail(llvm::toString(ranges.takeError()));
  if (!ranges->empty() && ((*ranges)[0].start != 0 || (*ranges)[0].step != 1 ||
                           (*ranges)[0].count != shape[0]))
    return n.fail("slices dimension 0 of a computed value, the batch: dyconv "
                  "keeps the batch as the leading dimension");
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
  if (failed(
          rejectBatchAxis(n, {*axis}, n.args[0].shape().size(), "joins along")))
    return failure();
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

/// Gather of a computed value with known indices along a non-batch axis,
/// when every row of the indices (their last dimension) steps evenly, as
/// `F.unfold`'s do: one slice per row, joined along the axis and viewed as
/// the indices' shape.
FailureOr<OnnxValue> buildGather(OnnxNode &n) {
  auto axisAttr = n.getInt("axis", 0);
  auto indices = n.constant(1, "indices");
  auto data = n.value(0);
  if (failed(n.expectArgs(2, 2)) || failed(axisAttr) || failed(indices) ||
      failed(data))
    return failure();
  ArrayRef<int64_t> shape = n.args[0].shape();
  int64_t rank = static_cast<int64_t>(shape.size());
  std::optional<int64_t> axis = shape::normalizeAxis(*axisAttr, rank);
  if (!axis)
    return n.failAtAttribute("axis",
                             "out of range for " + shape::format(shape));
  if (failed(rejectBatchAxis(n, {*axis}, rank, "gathers along")))
    return failure();
  const ConstTensor &index = **indices;
  int64_t dim = shape[*axis];
  if (!index.isInt() || ShapedType::isDynamic(dim))
    return n.failAtInput(1, "needs integer indices into a static dimension");
  ArrayRef<int64_t> indexShape = index.shape;
  int64_t rowLength = indexShape.empty() ? 1 : indexShape.back();
  int64_t rows = index.numElements() / std::max<int64_t>(rowLength, 1);
  if (index.numElements() == 0)
    return n.failAtInput(1, "needs at least one index");
  OpBuilder &b = n.builder;
  SmallVector<Value> pieces;
  for (int64_t row = 0; row < rows; ++row) {
    SmallVector<int64_t> picked;
    for (int64_t i = 0; i < rowLength; ++i) {
      int64_t value = index.intValues[row * rowLength + i];
      if (value < -dim || value >= dim)
        return n.failAtInput(1, "index " + std::to_string(value) +
                                    " is out of range for dimension " +
                                    std::to_string(dim));
      picked.push_back(value < 0 ? value + dim : value);
    }
    int64_t step = rowLength > 1 ? picked[1] - picked[0] : 1;
    for (int64_t i = 1; i < rowLength; ++i)
      if (step == 0 || picked[i] - picked[i - 1] != step)
        return n.failAtInput(1, "Gather of a computed value needs index "
                                "rows that step evenly");
    // The end one step past the last index; -dim - 1 reaches before 0.
    int64_t end = picked.back() + step;
    if (end < 0)
      end = -dim - 1;
    auto piece = n.create(
        "dyconv.slice", {*data},
        {b.getNamedAttr("axes", b.getDenseI64ArrayAttr({*axis})),
         b.getNamedAttr("starts", b.getDenseI64ArrayAttr({picked.front()})),
         b.getNamedAttr("ends", b.getDenseI64ArrayAttr({end})),
         b.getNamedAttr("steps", b.getDenseI64ArrayAttr({step}))});
    if (failed(piece))
      return failure();
    pieces.push_back(*piece);
  }
  Value joined = pieces.front();
  if (pieces.size() > 1) {
    auto concat =
        n.create("dyconv.concat", pieces,
                 {b.getNamedAttr("axis", b.getI64IntegerAttr(*axis))});
    if (failed(concat))
      return failure();
    joined = *concat;
  }
  SmallVector<int64_t> target(shape.begin(), shape.begin() + *axis);
  target.append(indexShape.begin(), indexShape.end());
  target.append(shape.begin() + *axis + 1, shape.end());
  for (int64_t &d : target)
    if (ShapedType::isDynamic(d))
      d = 0;
  return asOnnxValue(reshapeTo(n, joined, target));
}

/// Pad in constant mode (pads and the value as inputs, opset 11+); the batch
/// dimension is not padded.
FailureOr<OnnxValue> buildPad(OnnxNode &n) {
  auto mode = n.getString("mode", "constant", {"constant", "reflect", "edge"});
  if (failed(n.expectArgs(2, 3)) || failed(mode))
    return failure();
  if (*mode != "constant")
    return n.failAtAttribute("mode", "only constant padding is supported");
  auto pads = n.constantInts(1, "pads");
  auto input = n.value(0);
  if (failed(pads) || failed(input))
    return failure();
  float value = 0.0f;
  if (n.hasArg(2)) {
    auto given = n.constantScalar(2, "constant_value");
    if (failed(given))
      return failure();
    value = *given;
  }
  size_t rank = n.args[0].shape().size();
  if (pads->size() == 2 * rank && rank && ((*pads)[0] || (*pads)[rank]))
    return n.failAtInput(1, "pads dimension 0 of a computed value, the batch: "
                            "dyconv keeps the batch as the leading dimension");
  OpBuilder &b = n.builder;
  return asOnnxValue(
      n.create("dyconv.pad", {*input},
               {b.getNamedAttr("pads", b.getDenseI64ArrayAttr(*pads)),
                b.getNamedAttr("value", b.getF32FloatAttr(value))}));
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
  table["Gather"] = buildGather;
  table["Pad"] = buildPad;
  table["Shape"] = buildShape;
  table["Identity"] = buildIdentity;
  table["Dropout"] = buildDropout;
  table["Cast"] = buildCast;
}
