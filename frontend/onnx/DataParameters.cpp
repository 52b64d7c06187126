//===- DataParameters.cpp - the parameters of the data movement ops -------===//
//
// Squeeze/Unsqueeze axes, Reshape targets, Transpose permutations and Slice
// ranges, read the same way by the op builders and the constant folder, and
// the rule on the batch axis that the op builders share.
//
//===----------------------------------------------------------------------===//

#include "OnnxGraph.h"

#include "dyconv/Dialect/ShapeUtils.h"

using namespace mlir;
using namespace mlir::dyconv;
using namespace mlir::dyconv::onnximport;

FailureOr<std::optional<SmallVector<int64_t>>>
mlir::dyconv::onnximport::squeezeAxes(OnnxNode &n) {
  using Axes = std::optional<SmallVector<int64_t>>;
  if (n.opset() < 13) {
    if (!n.hasAttribute("axes"))
      return Axes();
    auto axes = n.getInts("axes", std::nullopt, {});
    if (failed(axes))
      return failure();
    return Axes(*axes);
  }
  if (!n.hasArg(1))
    return Axes();
  auto axes = n.constantInts(1, "axes");
  if (failed(axes))
    return failure();
  return Axes(*axes);
}

FailureOr<SmallVector<int64_t>> mlir::dyconv::onnximport::squeezedShape(
    OnnxNode &n, ArrayRef<int64_t> input,
    const std::optional<SmallVector<int64_t>> &axes) {
  int64_t rank = static_cast<int64_t>(input.size());
  SmallVector<bool> drop(rank, false);
  if (!axes) {
    for (int64_t d = 0; d < rank; ++d) {
      if (ShapedType::isDynamic(input[d]))
        return n.fail("Squeeze without axes needs a static shape, got " +
                      shape::format(input));
      drop[d] = input[d] == 1;
    }
  }
  for (int64_t axis : axes ? *axes : SmallVector<int64_t>()) {
    std::optional<int64_t> a = shape::normalizeAxis(axis, rank);
    if (!a || drop[*a])
      return n.fail("axis " + std::to_string(axis) +
                    " is out of range or repeated for " + shape::format(input));
    if (input[*a] != 1)
      return n.fail("cannot squeeze dimension " + std::to_string(*a) + " of " +
                    shape::format(input) + ": its size is not 1");
    drop[*a] = true;
  }
  SmallVector<int64_t> result;
  for (int64_t d = 0; d < rank; ++d)
    if (!drop[d])
      result.push_back(input[d]);
  return result;
}

FailureOr<SmallVector<int64_t>>
mlir::dyconv::onnximport::unsqueezedShape(OnnxNode &n, ArrayRef<int64_t> input,
                                          ArrayRef<int64_t> axes) {
  int64_t rank = static_cast<int64_t>(input.size() + axes.size());
  SmallVector<bool> added(rank, false);
  for (int64_t axis : axes) {
    std::optional<int64_t> a = shape::normalizeAxis(axis, rank);
    if (!a || added[*a])
      return n.fail("axis " + std::to_string(axis) +
                    " is out of range or repeated for an output of rank " +
                    std::to_string(rank));
    added[*a] = true;
  }
  SmallVector<int64_t> result;
  const int64_t *next = input.begin();
  for (int64_t d = 0; d < rank; ++d)
    result.push_back(added[d] ? 1 : *next++);
  return result;
}

FailureOr<SmallVector<int64_t>>
mlir::dyconv::onnximport::readReshapeTarget(OnnxNode &n) {
  auto spec = n.constantInts(1, "shape");
  auto allowZero = n.getInt("allowzero", 0);
  if (failed(spec) || failed(allowZero))
    return failure();
  if (*allowZero && llvm::is_contained(*spec, 0))
    return n.failAtAttribute("allowzero",
                             "literal 0 dimensions are not supported");
  return spec;
}

FailureOr<SmallVector<int64_t>>
mlir::dyconv::onnximport::readPermutation(OnnxNode &n, int64_t rank) {
  SmallVector<int64_t> reversed;
  for (int64_t d = rank - 1; d >= 0; --d)
    reversed.push_back(d);
  return n.getInts("perm", reversed, {});
}

FailureOr<SliceParameters> mlir::dyconv::onnximport::readSlice(OnnxNode &n) {
  SliceParameters p;
  auto starts = n.constantInts(1, "starts");
  auto ends = n.constantInts(2, "ends");
  if (failed(starts) || failed(ends))
    return failure();
  p.starts = *starts;
  p.ends = *ends;
  p.steps.assign(starts->size(), 1);
  for (int64_t i = 0; i < static_cast<int64_t>(starts->size()); ++i)
    p.axes.push_back(i);
  if (n.hasArg(3)) {
    auto axes = n.constantInts(3, "axes");
    if (failed(axes))
      return failure();
    p.axes = *axes;
  }
  if (n.hasArg(4)) {
    auto steps = n.constantInts(4, "steps");
    if (failed(steps))
      return failure();
    p.steps = *steps;
  }
  return p;
}

FailureOr<SmallVector<int64_t>>
mlir::dyconv::onnximport::readReduceAxes(OnnxNode &n, int64_t axesInputSince) {
  bool axesInput = n.opset() >= axesInputSince;
  if (axesInput && n.hasArg(1))
    return n.constantInts(1, "axes");
  if (!axesInput && n.hasAttribute("axes"))
    return n.getInts("axes", std::nullopt, {});
  return SmallVector<int64_t>();
}

LogicalResult mlir::dyconv::onnximport::rejectBatchAxis(OnnxNode &n,
                                                        ArrayRef<int64_t> axes,
                                                        int64_t rank,
                                                        StringRef what) {
  for (int64_t axis : axes)
    if (shape::normalizeAxis(axis, rank) == 0)
      return n.fail(what + " dimension 0 of a computed value, the batch: "
                           "dyconv keeps the batch as the leading dimension");
  return success();
}
