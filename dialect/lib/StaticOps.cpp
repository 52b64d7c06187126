//===- StaticOps.cpp - type inference of the ordinary CNN ops -------------===//

#include "OpInference.h"

#include "dyconv/Dialect/DyConvOps.h"
#include "dyconv/Dialect/ShapeUtils.h"

using namespace mlir;
using namespace mlir::dyconv;
using inference::OpDiagnostics;
using inference::tensorLike;

//===----------------------------------------------------------------------===//
// conv2d, linear
//===----------------------------------------------------------------------===//

LogicalResult Conv2DOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  OpDiagnostics diag(loc, getOperationName());
  FailureOr<RankedTensorType> input =
      diag.ranked(adaptor.getInput(), "input", 4);
  FailureOr<RankedTensorType> weight =
      diag.ranked(adaptor.getWeight(), "weight", 4);
  if (failed(input) || failed(weight))
    return failure();
  FailureOr<SmallVector<int64_t>> shape = inference::inferConv2D(
      diag, *input, weight->getShape(), *weight, adaptor.getBias(),
      adaptor.getStride(), adaptor.getPadding(), adaptor.getDilation(),
      adaptor.getGroups());
  if (failed(shape))
    return failure();
  results.push_back(tensorLike(*shape, *input));
  return success();
}

LogicalResult LinearOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  OpDiagnostics diag(loc, getOperationName());
  FailureOr<RankedTensorType> input =
      diag.ranked(adaptor.getInput(), "input", 2);
  FailureOr<RankedTensorType> weight =
      diag.ranked(adaptor.getWeight(), "weight", 2);
  if (failed(input) || failed(weight))
    return failure();
  if (!shape::compatible(input->getDimSize(1), weight->getDimSize(1)))
    return diag.fail("input ", *input, " has ", input->getDimSize(1),
                     " features but weight ", *weight, " expects ",
                     weight->getDimSize(1));
  int64_t out = weight->getDimSize(0);
  if (adaptor.getBias() && failed(diag.vector(adaptor.getBias(), "bias", out)))
    return failure();
  results.push_back(tensorLike({input->getDimSize(0), out}, *input));
  return success();
}

//===----------------------------------------------------------------------===//
// Normalisation
//===----------------------------------------------------------------------===//

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  OpDiagnostics diag(loc, getOperationName());
  FailureOr<RankedTensorType> input = diag.ranked(adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  if (input->getRank() < 2)
    return diag.fail("input must have rank >= 2 ([N, C, ...]), got ", *input);
  int64_t channels = input->getDimSize(1);
  if (failed(diag.vector(adaptor.getScale(), "scale", channels)) ||
      failed(diag.vector(adaptor.getBias(), "bias", channels)) ||
      failed(diag.vector(adaptor.getMean(), "mean", channels)) ||
      failed(diag.vector(adaptor.getVariance(), "variance", channels)))
    return failure();
  double epsilon = adaptor.getEpsilon().convertToDouble();
  if (!(epsilon >= 0))
    return diag.fail("epsilon must be non-negative, got ", epsilon);
  results.push_back(*input);
  return success();
}

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  OpDiagnostics diag(loc, getOperationName());
  FailureOr<RankedTensorType> input = diag.ranked(adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  // I64Attr getters return uint64_t; a negative axis must print as one.
  int64_t axisAttr = adaptor.getAxis();
  std::optional<int64_t> axis =
      shape::normalizeAxis(axisAttr, input->getRank());
  if (!axis)
    return diag.fail("axis ", axisAttr, " is out of range for ", *input);
  ArrayRef<int64_t> normalized = input->getShape().drop_front(*axis);
  for (auto [value, name] : {std::pair{adaptor.getScale(), "scale"},
                             std::pair{adaptor.getBias(), "bias"}}) {
    FailureOr<RankedTensorType> param = diag.ranked(value, name);
    if (failed(param))
      return failure();
    if (param->getRank() != static_cast<int64_t>(normalized.size()) ||
        !llvm::all_of(llvm::zip(param->getShape(), normalized), [](auto p) {
          return shape::compatible(std::get<0>(p), std::get<1>(p));
        }))
      return diag.fail(name, " ", *param, " must have the normalized shape ",
                       shape::format(normalized), " of input ", *input);
  }
  double epsilon = adaptor.getEpsilon().convertToDouble();
  if (!(epsilon >= 0))
    return diag.fail("epsilon must be non-negative, got ", epsilon);
  results.push_back(*input);
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

LogicalResult ClipOp::verify() {
  if (getMin().convertToFloat() > getMax().convertToFloat())
    return emitOpError("min (")
           << getMin().convertToFloat() << ") must not exceed max ("
           << getMax().convertToFloat() << ")";
  return success();
}

/// Shared by add, mul, sub and div.
static LogicalResult inferBroadcast(std::optional<Location> loc,
                                    StringRef opName, Value lhs, Value rhs,
                                    SmallVectorImpl<Type> &results) {
  OpDiagnostics diag(loc, opName);
  FailureOr<RankedTensorType> lhsType = diag.ranked(lhs, "lhs");
  FailureOr<RankedTensorType> rhsType = diag.ranked(rhs, "rhs");
  if (failed(lhsType) || failed(rhsType))
    return failure();
  auto shape = shape::broadcast(lhsType->getShape(), rhsType->getShape());
  if (!shape)
    return diag.fail(llvm::toString(shape.takeError()));
  results.push_back(tensorLike(*shape, *lhsType));
  return success();
}

LogicalResult AddOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &results) {
  return inferBroadcast(loc, getOperationName(), adaptor.getLhs(),
                        adaptor.getRhs(), results);
}

LogicalResult MulOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &results) {
  return inferBroadcast(loc, getOperationName(), adaptor.getLhs(),
                        adaptor.getRhs(), results);
}

LogicalResult SubOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &results) {
  return inferBroadcast(loc, getOperationName(), adaptor.getLhs(),
                        adaptor.getRhs(), results);
}

LogicalResult DivOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &results) {
  return inferBroadcast(loc, getOperationName(), adaptor.getLhs(),
                        adaptor.getRhs(), results);
}

LogicalResult SoftmaxOp::verify() {
  int64_t axis = getAxis();
  if (!shape::normalizeAxis(axis, getType().getRank()))
    return emitOpError("axis ") << axis << " is out of range for " << getType();
  return success();
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// Shared by max_pool2d and avg_pool2d: `[N, C, H, W] -> [N, C, H', W']`.
static LogicalResult inferPool2D(std::optional<Location> loc, StringRef opName,
                                 Value inputValue, ArrayRef<int64_t> kernel,
                                 ArrayRef<int64_t> stride,
                                 ArrayRef<int64_t> padding,
                                 ArrayRef<int64_t> dilation, bool ceilMode,
                                 SmallVectorImpl<Type> &results) {
  OpDiagnostics diag(loc, opName);
  FailureOr<RankedTensorType> input = diag.ranked(inputValue, "input", 4);
  if (failed(input) || failed(diag.arraySize(kernel, "kernel_size", 2)) ||
      failed(diag.arraySize(stride, "stride", 2)) ||
      failed(diag.arraySize(padding, "padding", 4)) ||
      failed(diag.arraySize(dilation, "dilation", 2)) ||
      failed(diag.positive(kernel, "kernel_size")) ||
      failed(diag.positive(stride, "stride")) ||
      failed(diag.nonNegative(padding, "padding")) ||
      failed(diag.positive(dilation, "dilation")))
    return failure();
  SmallVector<int64_t> shape = {input->getDimSize(0), input->getDimSize(1)};
  for (int axis = 0; axis < 2; ++axis) {
    // PyTorch and ONNX reject windows that start in padding only.
    if (padding[axis] * 2 > kernel[axis] ||
        padding[axis + 2] * 2 > kernel[axis])
      return diag.fail("padding ", inference::formatList(padding),
                       " exceeds half the window ", shape::format(kernel));
    std::optional<int64_t> size = shape::slidingWindowSize(
        input->getDimSize(2 + axis), kernel[axis], stride[axis], padding[axis],
        padding[axis + 2], dilation[axis], ceilMode);
    if (!size)
      return diag.fail("window ", shape::format(kernel),
                       " does not fit the padded input ", *input);
    shape.push_back(*size);
  }
  results.push_back(tensorLike(shape, *input));
  return success();
}

LogicalResult MaxPool2DOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  return inferPool2D(loc, getOperationName(), adaptor.getInput(),
                     adaptor.getKernelSize(), adaptor.getStride(),
                     adaptor.getPadding(), adaptor.getDilation(),
                     adaptor.getCeilMode(), results);
}

LogicalResult AvgPool2DOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  const int64_t noDilation[] = {1, 1};
  return inferPool2D(loc, getOperationName(), adaptor.getInput(),
                     adaptor.getKernelSize(), adaptor.getStride(),
                     adaptor.getPadding(), noDilation, adaptor.getCeilMode(),
                     results);
}

LogicalResult
GlobalAvgPoolOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                  Adaptor adaptor,
                                  SmallVectorImpl<Type> &results) {
  OpDiagnostics diag(loc, getOperationName());
  FailureOr<RankedTensorType> input =
      diag.ranked(adaptor.getInput(), "input", 4);
  if (failed(input))
    return failure();
  results.push_back(
      tensorLike({input->getDimSize(0), input->getDimSize(1), 1, 1}, *input));
  return success();
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

LogicalResult FlattenOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  OpDiagnostics diag(loc, getOperationName());
  FailureOr<RankedTensorType> input = diag.ranked(adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis > input->getRank())
    return diag.fail("axis ", axis, " must be in [0, ", input->getRank(),
                     "] for ", *input);
  ArrayRef<int64_t> dims = input->getShape();
  results.push_back(tensorLike({shape::product(dims.take_front(axis)),
                                shape::product(dims.drop_front(axis))},
                               *input));
  return success();
}

LogicalResult ReshapeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  OpDiagnostics diag(loc, getOperationName());
  FailureOr<RankedTensorType> input = diag.ranked(adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  auto shape = shape::reshape(input->getShape(), adaptor.getShape());
  if (!shape)
    return diag.fail(llvm::toString(shape.takeError()));
  results.push_back(tensorLike(*shape, *input));
  return success();
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  OpDiagnostics diag(loc, getOperationName());
  if (adaptor.getInputs().empty())
    return diag.fail("needs at least one input");
  FailureOr<RankedTensorType> first =
      diag.ranked(adaptor.getInputs().front(), "input #0");
  if (failed(first))
    return failure();
  int64_t axisAttr = adaptor.getAxis();
  std::optional<int64_t> axis =
      shape::normalizeAxis(axisAttr, first->getRank());
  if (!axis)
    return diag.fail("axis ", axisAttr, " is out of range for ", *first);
  SmallVector<int64_t> shape(first->getShape());
  for (auto [index, value] :
       llvm::enumerate(adaptor.getInputs().drop_front())) {
    FailureOr<RankedTensorType> type =
        diag.ranked(value, "input #" + std::to_string(index + 1));
    if (failed(type))
      return failure();
    if (type->getRank() != first->getRank())
      return diag.fail("inputs must have equal ranks: ", *first, " vs ", *type);
    for (int64_t d = 0; d < type->getRank(); ++d) {
      int64_t size = type->getDimSize(d);
      if (d == *axis) {
        shape[d] = shape::isDynamic(shape[d]) || shape::isDynamic(size)
                       ? ShapedType::kDynamic
                       : shape[d] + size;
      } else if (!shape::compatible(shape[d], size)) {
        return diag.fail("inputs differ in dimension ", d,
                         " outside the concatenation axis: ", *first, " vs ",
                         *type);
      } else if (shape::isDynamic(shape[d])) {
        shape[d] = size;
      }
    }
  }
  results.push_back(tensorLike(shape, *first));
  return success();
}
