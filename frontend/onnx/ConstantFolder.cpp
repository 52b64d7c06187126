//===- ConstantFolder.cpp - evaluate nodes on known tensors ---------------===//
//
// `torch.onnx.export(do_constant_folding=False)` leaves shape arithmetic
// (`Shape -> Gather -> Unsqueeze -> Concat -> Reshape`) and weight transforms
// in the graph. Evaluating every node whose inputs are all known makes such
// exports import to the same IR as folded ones.
//
//===----------------------------------------------------------------------===//

#include "OnnxGraph.h"

#include "dyconv/Dialect/ShapeUtils.h"

#include "onnx/onnx_pb.h"

#include "llvm/Support/MathExtras.h"

#include <cmath>

using namespace mlir;
using namespace mlir::dyconv;
using namespace mlir::dyconv::onnximport;

namespace {

/// The flat source index of every element of a result of shape `shape`,
/// given the source index of a multi-index.
std::vector<int64_t>
indexMap(ArrayRef<int64_t> shape,
         llvm::function_ref<int64_t(ArrayRef<int64_t>)> source) {
  std::vector<int64_t> result;
  int64_t count = shape::product(shape);
  result.reserve(count);
  SmallVector<int64_t> index(shape.size(), 0);
  for (int64_t n = 0; n < count; ++n) {
    result.push_back(source(index));
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  return result;
}

SmallVector<int64_t> strides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> result(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    result[d] = result[d + 1] * shape[d + 1];
  return result;
}

/// Flat indices into a tensor of `source` shape broadcast to `target` (the
/// source aligned to the trailing dimensions).
std::vector<int64_t> broadcastIndices(ArrayRef<int64_t> source,
                                      ArrayRef<int64_t> target) {
  SmallVector<int64_t> sourceStrides = strides(source);
  size_t lead = target.size() - source.size();
  return indexMap(target, [&](ArrayRef<int64_t> idx) {
    int64_t src = 0;
    for (size_t d = 0; d < source.size(); ++d)
      if (source[d] != 1)
        src += idx[lead + d] * sourceStrides[d];
    return src;
  });
}

/// Fails unless `shape` can be the shape of a new known tensor: no negative
/// dimension and at most 2^28 elements.
LogicalResult checkResultShape(OnnxNode &n, ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t dim : shape)
    if (dim < 0 || llvm::MulOverflow(count, dim, count) ||
        count > (int64_t(1) << 28))
      return n.fail("cannot evaluate a result of shape " +
                    shape::format(shape) +
                    " (negative or more than 2^28 elements)");
  return success();
}

/// Reports an error of the shape helpers at the node.
template <typename T> FailureOr<T> check(OnnxNode &n, llvm::Expected<T> value) {
  if (!value)
    return n.fail(llvm::toString(value.takeError()));
  return std::move(*value);
}

FailureOr<ConstTensor> foldConstant(OnnxNode &n) {
  if (n.hasAttribute("value"))
    return n.getTensor("value");
  if (n.hasAttribute("value_float")) {
    auto v = n.getFloat("value_float", std::nullopt);
    if (failed(v))
      return failure();
    return ConstTensor::floats({}, {static_cast<float>(*v)});
  }
  if (n.hasAttribute("value_floats")) {
    auto v = n.getFloats("value_floats");
    if (failed(v))
      return failure();
    return ConstTensor::floats({static_cast<int64_t>(v->size())},
                               std::vector<float>(v->begin(), v->end()));
  }
  if (n.hasAttribute("value_int")) {
    auto v = n.getInt("value_int", std::nullopt);
    if (failed(v))
      return failure();
    return ConstTensor::ints({}, {*v});
  }
  if (n.hasAttribute("value_ints")) {
    auto v = n.getInts("value_ints", std::nullopt, {});
    if (failed(v))
      return failure();
    return ConstTensor::ints({static_cast<int64_t>(v->size())},
                             std::vector<int64_t>(v->begin(), v->end()));
  }
  return n.fail("needs a 'value', 'value_float(s)' or 'value_int(s)' "
                "attribute");
}

FailureOr<ConstTensor> foldConstantOfShape(OnnxNode &n) {
  auto dims = n.constantInts(0, "shape");
  if (failed(dims))
    return failure();
  ConstTensor fill = ConstTensor::floats({1}, {0.0f});
  if (n.hasAttribute("value")) {
    auto value = n.getTensor("value");
    if (failed(value))
      return failure();
    if (value->numElements() != 1)
      return n.failAtAttribute("value", "must hold one value");
    fill = std::move(*value);
  }
  if (failed(checkResultShape(n, *dims)))
    return failure();
  std::vector<int64_t> zeros(shape::product(*dims), 0);
  return fill.select(*dims, zeros);
}

FailureOr<ConstTensor> foldGather(OnnxNode &n) {
  auto data = n.constant(0, "data");
  auto indices = n.constant(1, "indices");
  auto axisAttr = n.getInt("axis", 0);
  if (failed(n.expectArgs(2, 2)) || failed(data) || failed(indices) ||
      failed(axisAttr))
    return failure();
  const ConstTensor &in = **data;
  std::optional<int64_t> axis =
      shape::normalizeAxis(*axisAttr, static_cast<int64_t>(in.shape.size()));
  if (!axis)
    return n.failAtAttribute("axis",
                             "out of range for " + shape::format(in.shape));
  if (!(*indices)->isInt())
    return n.failAtInput(1, "indices must be integers");
  int64_t dim = in.shape[*axis];
  SmallVector<int64_t> picked;
  for (int64_t i : (*indices)->intValues) {
    if (i < -dim || i >= dim)
      return n.failAtInput(1, "index " + std::to_string(i) +
                                  " is out of range for dimension " +
                                  std::to_string(dim));
    picked.push_back(i < 0 ? i + dim : i);
  }
  ArrayRef<int64_t> indexShape = (*indices)->shape;
  SmallVector<int64_t> outShape(in.shape.begin(), in.shape.begin() + *axis);
  outShape.append(indexShape.begin(), indexShape.end());
  outShape.append(in.shape.begin() + *axis + 1, in.shape.end());
  SmallVector<int64_t> inStrides = strides(in.shape);
  SmallVector<int64_t> indexStrides = strides(indexShape);
  size_t indexRank = indexShape.size();
  return in.select(outShape, indexMap(outShape, [&](ArrayRef<int64_t> idx) {
                     int64_t src = 0, flat = 0;
                     for (int64_t d = 0; d < *axis; ++d)
                       src += idx[d] * inStrides[d];
                     for (size_t d = 0; d < indexRank; ++d)
                       flat += idx[*axis + d] * indexStrides[d];
                     src += picked[flat] * inStrides[*axis];
                     for (size_t d = *axis + 1; d < in.shape.size(); ++d)
                       src += idx[d + indexRank - 1] * inStrides[d];
                     return src;
                   }));
}

FailureOr<ConstTensor> foldSqueeze(OnnxNode &n) {
  auto in = n.constant(0, "data");
  auto axes = squeezeAxes(n);
  if (failed(in) || failed(axes))
    return failure();
  auto result = squeezedShape(n, (*in)->shape, *axes);
  if (failed(result))
    return failure();
  return (*in)->reshaped(*result);
}

FailureOr<ConstTensor> foldUnsqueeze(OnnxNode &n) {
  auto in = n.constant(0, "data");
  auto axes = squeezeAxes(n);
  if (failed(in) || failed(axes))
    return failure();
  if (!*axes)
    return n.fail("needs axes");
  auto result = unsqueezedShape(n, (*in)->shape, **axes);
  if (failed(result))
    return failure();
  return (*in)->reshaped(*result);
}

FailureOr<ConstTensor> foldReshape(OnnxNode &n) {
  if (failed(n.expectArgs(2, 2)))
    return failure();
  auto in = n.constant(0, "data");
  auto spec = readReshapeTarget(n);
  if (failed(in) || failed(spec))
    return failure();
  auto result = check(n, shape::reshape((*in)->shape, *spec));
  if (failed(result))
    return failure();
  if (shape::product(*result) != (*in)->numElements())
    return n.fail("cannot reshape " + shape::format((*in)->shape) + " to " +
                  shape::format(*result));
  return (*in)->reshaped(*result);
}

FailureOr<ConstTensor> foldTranspose(OnnxNode &n) {
  if (failed(n.expectArgs(1, 1)))
    return failure();
  auto in = n.constant(0, "data");
  if (failed(in))
    return failure();
  const ConstTensor &t = **in;
  auto perm = readPermutation(n, t.shape.size());
  if (failed(perm))
    return failure();
  auto outShape = check(n, shape::transpose(t.shape, *perm));
  if (failed(outShape))
    return failure();
  SmallVector<int64_t> inStrides = strides(t.shape);
  return t.select(*outShape, indexMap(*outShape, [&](ArrayRef<int64_t> idx) {
    int64_t src = 0;
    for (size_t d = 0; d < idx.size(); ++d)
      src += idx[d] * inStrides[(*perm)[d]];
    return src;
  }));
}

FailureOr<ConstTensor> foldSlice(OnnxNode &n) {
  if (failed(n.expectArgs(3, 5)))
    return failure();
  auto in = n.constant(0, "data");
  auto p = readSlice(n);
  if (failed(in) || failed(p))
    return failure();
  const ConstTensor &t = **in;
  auto ranges =
      check(n, shape::slice(t.shape, p->axes, p->starts, p->ends, p->steps));
  if (failed(ranges))
    return failure();
  SmallVector<int64_t> outShape;
  for (const shape::SliceRange &r : *ranges)
    outShape.push_back(r.count);
  SmallVector<int64_t> inStrides = strides(t.shape);
  return t.select(outShape, indexMap(outShape, [&](ArrayRef<int64_t> idx) {
                    int64_t src = 0;
                    for (size_t d = 0; d < idx.size(); ++d)
                      src += ((*ranges)[d].start + idx[d] * (*ranges)[d].step) *
                             inStrides[d];
                    return src;
                  }));
}

FailureOr<ConstTensor> foldConcat(OnnxNode &n) {
  auto axisAttr = n.getInt("axis", std::nullopt);
  if (failed(axisAttr))
    return failure();
  if (n.args.empty())
    return n.fail("needs at least one input");
  SmallVector<const ConstTensor *> parts;
  for (size_t i = 0; i < n.args.size(); ++i) {
    auto part = n.constant(i, "input");
    if (failed(part))
      return failure();
    parts.push_back(*part);
  }
  const ConstTensor &first = *parts.front();
  int64_t rank = static_cast<int64_t>(first.shape.size());
  std::optional<int64_t> axis = shape::normalizeAxis(*axisAttr, rank);
  if (!axis)
    return n.failAtAttribute("axis",
                             "out of range for rank " + std::to_string(rank));
  SmallVector<int64_t> outShape = first.shape;
  outShape[*axis] = 0;
  for (auto [i, part] : llvm::enumerate(parts)) {
    bool same =
        part->kind == first.kind && part->shape.size() == first.shape.size();
    for (int64_t d = 0; same && d < rank; ++d)
      same = d == *axis || part->shape[d] == first.shape[d];
    if (!same)
      return n.failAtInput(i, "shape " + shape::format(part->shape) +
                                  " does not concatenate with " +
                                  shape::format(first.shape));
    outShape[*axis] += part->shape[*axis];
  }
  // Concatenate the inputs' values, then pick each output element from them.
  ConstTensor all = first;
  for (const ConstTensor *part : ArrayRef(parts).drop_front()) {
    all.floatValues.insert(all.floatValues.end(), part->floatValues.begin(),
                           part->floatValues.end());
    all.intValues.insert(all.intValues.end(), part->intValues.begin(),
                         part->intValues.end());
  }
  return all.select(outShape, indexMap(outShape, [&](ArrayRef<int64_t> idx) {
                      int64_t offset = 0, position = idx[*axis];
                      size_t p = 0;
                      while (position >= parts[p]->shape[*axis]) {
                        position -= parts[p]->shape[*axis];
                        offset += parts[p]->numElements();
                        ++p;
                      }
                      SmallVector<int64_t> local(idx);
                      local[*axis] = position;
                      SmallVector<int64_t> partStrides =
                          strides(parts[p]->shape);
                      for (size_t d = 0; d < local.size(); ++d)
                        offset += local[d] * partStrides[d];
                      return offset;
                    }));
}

FailureOr<ConstTensor> foldCast(OnnxNode &n) {
  auto in = n.constant(0, "input");
  auto to = n.getInt("to", std::nullopt);
  n.ignoreAttribute("saturate");
  if (failed(in) || failed(to))
    return failure();
  const ConstTensor &t = **in;
  switch (*to) {
  case onnx::TensorProto::FLOAT: {
    if (!t.isInt())
      return t;
    std::vector<float> values(t.intValues.begin(), t.intValues.end());
    return ConstTensor::floats(t.shape, std::move(values));
  }
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::BOOL: {
    std::vector<int64_t> values;
    if (t.isInt())
      values = t.intValues;
    for (float v : t.floatValues)
      values.push_back(static_cast<int64_t>(v));
    if (*to == onnx::TensorProto::BOOL)
      for (int64_t &v : values)
        v = v != 0;
    return ConstTensor::ints(t.shape, std::move(values));
  }
  default:
    return n.failAtAttribute("to", "casts to " + dataTypeName(*to) +
                                       " are not supported (float32, or "
                                       "int64 for shapes)");
  }
}

/// Add, Sub, Mul, Div of known tensors with NumPy broadcasting.
FoldFn binary(char op) {
  return [op](OnnxNode &n) -> FailureOr<ConstTensor> {
    auto lhs = n.constant(0, "lhs");
    auto rhs = n.constant(1, "rhs");
    if (failed(n.expectArgs(2, 2)) || failed(lhs) || failed(rhs))
      return failure();
    const ConstTensor &a = **lhs, &b = **rhs;
    if (a.kind != b.kind)
      return n.fail("the operands have different element types");
    auto outShape = check(n, shape::broadcast(a.shape, b.shape));
    if (failed(outShape))
      return failure();
    std::vector<int64_t> ia = broadcastIndices(a.shape, *outShape);
    std::vector<int64_t> ib = broadcastIndices(b.shape, *outShape);
    auto apply = [op](auto x, auto y) {
      switch (op) {
      case '+':
        return x + y;
      case '-':
        return x - y;
      case '*':
        return x * y;
      default:
        return x / y;
      }
    };
    if (!a.isInt()) {
      std::vector<float> values;
      for (size_t i = 0; i < ia.size(); ++i)
        values.push_back(apply(a.floatValues[ia[i]], b.floatValues[ib[i]]));
      return ConstTensor::floats(*outShape, std::move(values));
    }
    std::vector<int64_t> values;
    for (size_t i = 0; i < ia.size(); ++i) {
      if (op == '/' && b.intValues[ib[i]] == 0)
        return n.fail("integer division by zero");
      values.push_back(apply(a.intValues[ia[i]], b.intValues[ib[i]]));
    }
    return ConstTensor::ints(*outShape, std::move(values));
  };
}

FailureOr<ConstTensor> foldExpand(OnnxNode &n) {
  auto in = n.constant(0, "input");
  auto dims = n.constantInts(1, "shape");
  if (failed(n.expectArgs(2, 2)) || failed(in) || failed(dims))
    return failure();
  auto target = check(n, shape::broadcast((*in)->shape, *dims));
  if (failed(target) || failed(checkResultShape(n, *target)))
    return failure();
  return (*in)->select(*target, broadcastIndices((*in)->shape, *target));
}

FailureOr<ConstTensor> foldTile(OnnxNode &n) {
  auto in = n.constant(0, "input");
  auto repeats = n.constantInts(1, "repeats");
  if (failed(n.expectArgs(2, 2)) || failed(in) || failed(repeats))
    return failure();
  const ConstTensor &t = **in;
  if (repeats->size() != t.shape.size() ||
      llvm::any_of(*repeats, [](int64_t r) { return r < 0; }))
    return n.failAtInput(1, "needs one non-negative repeat count per "
                            "dimension of " +
                                shape::format(t.shape));
  SmallVector<int64_t> outShape;
  for (auto [dim, r] : llvm::zip(t.shape, *repeats)) {
    int64_t size;
    outShape.push_back(llvm::MulOverflow(dim, r, size) ? -1 : size);
  }
  if (failed(checkResultShape(n, outShape)))
    return failure();
  SmallVector<int64_t> inStrides = strides(t.shape);
  return t.select(outShape, indexMap(outShape, [&](ArrayRef<int64_t> idx) {
                    int64_t src = 0;
                    for (size_t d = 0; d < idx.size(); ++d)
                      src += (idx[d] % t.shape[d]) * inStrides[d];
                    return src;
                  }));
}

FailureOr<ConstTensor> foldRange(OnnxNode &n) {
  auto start = n.constant(0, "start");
  auto limit = n.constant(1, "limit");
  auto delta = n.constant(2, "delta");
  if (failed(n.expectArgs(3, 3)) || failed(start) || failed(limit) ||
      failed(delta))
    return failure();
  for (const ConstTensor *t : {*start, *limit, *delta})
    if (t->numElements() != 1 || t->kind != (*start)->kind)
      return n.fail("start, limit and delta must be scalars of one type");
  auto scalar = [](const ConstTensor *t) {
    return t->isInt() ? static_cast<double>(t->intValues[0])
                      : static_cast<double>(t->floatValues[0]);
  };
  double first = scalar(*start), step = scalar(*delta);
  if (step == 0)
    return n.fail("delta must be nonzero");
  double steps = std::ceil((scalar(*limit) - first) / step);
  if (!(steps < double(int64_t(1) << 28)))
    return n.fail("cannot evaluate a range of " + std::to_string(steps) +
                  " elements");
  int64_t count = std::max<int64_t>(static_cast<int64_t>(steps), 0);
  if ((*start)->isInt()) {
    std::vector<int64_t> values;
    for (int64_t i = 0; i < count; ++i)
      values.push_back((*start)->intValues[0] + i * (*delta)->intValues[0]);
    return ConstTensor::ints({count}, std::move(values));
  }
  std::vector<float> values;
  for (int64_t i = 0; i < count; ++i)
    values.push_back((*start)->floatValues[0] +
                     static_cast<float>(i) * (*delta)->floatValues[0]);
  return ConstTensor::floats({count}, std::move(values));
}

/// ReduceProd of a known tensor: exports compute element counts with it
/// (`Shape -> Gather -> ReduceProd`, e.g. the unbiased variance of DDF's
/// filter norm), so it only ever needs folding.
FailureOr<ConstTensor> foldReduceProd(OnnxNode &n) {
  bool axesInput = n.opset() >= 18;
  auto in = n.constant(0, "data");
  auto keepDims = n.getBool("keepdims", true);
  auto noop = n.getBool("noop_with_empty_axes", false);
  if (failed(n.expectArgs(1, axesInput ? 2 : 1)) || failed(in) ||
      failed(keepDims) || failed(noop))
    return failure();
  const ConstTensor &t = **in;
  int64_t rank = static_cast<int64_t>(t.shape.size());
  auto given = readReduceAxes(n, /*axesInputSince=*/18);
  if (failed(given))
    return failure();
  SmallVector<int64_t> axes = *given;
  if (axes.empty() && *noop)
    return t;
  SmallVector<bool> reduced(rank, axes.empty());
  for (int64_t axis : axes) {
    if (axis < -rank || axis >= rank)
      return n.fail("axis " + std::to_string(axis) + " is out of range for " +
                    shape::format(t.shape));
    reduced[axis < 0 ? axis + rank : axis] = true;
  }
  // The result with the reduced dimensions kept as 1, reshaped at the end.
  SmallVector<int64_t> kept, dropped;
  for (int64_t d = 0; d < rank; ++d) {
    kept.push_back(reduced[d] ? 1 : t.shape[d]);
    if (!reduced[d])
      dropped.push_back(t.shape[d]);
  }
  SmallVector<int64_t> keptStrides = strides(kept);
  int64_t count = shape::product(kept);
  std::vector<double> products(count, 1.0);
  std::vector<int64_t> intProducts(count, 1);
  indexMap(t.shape, [&](ArrayRef<int64_t> index) {
    int64_t target = 0;
    for (int64_t d = 0; d < rank; ++d)
      target += reduced[d] ? 0 : index[d] * keptStrides[d];
    int64_t source = 0;
    for (int64_t d = 0; d < rank; ++d)
      source = source * t.shape[d] + index[d];
    if (t.isInt())
      intProducts[target] *= t.intValues[source];
    else
      products[target] *= t.floatValues[source];
    return source;
  });
  SmallVector<int64_t> shape = *keepDims ? kept : dropped;
  if (t.isInt())
    return ConstTensor::ints(shape, std::move(intProducts));
  return ConstTensor::floats(
      shape, std::vector<float>(products.begin(), products.end()));
}

} // namespace

void mlir::dyconv::onnximport::registerFolders(llvm::StringMap<FoldFn> &table) {
  table["Constant"] = foldConstant;
  table["ConstantOfShape"] = foldConstantOfShape;
  table["Gather"] = foldGather;
  table["Squeeze"] = foldSqueeze;
  table["Unsqueeze"] = foldUnsqueeze;
  table["Reshape"] = foldReshape;
  table["Transpose"] = foldTranspose;
  table["Slice"] = foldSlice;
  table["Concat"] = foldConcat;
  table["Cast"] = foldCast;
  table["Add"] = binary('+');
  table["Sub"] = binary('-');
  table["Mul"] = binary('*');
  table["Div"] = binary('/');
  table["Range"] = foldRange;
  table["Expand"] = foldExpand;
  table["Tile"] = foldTile;
  table["ReduceProd"] = foldReduceProd;
}
