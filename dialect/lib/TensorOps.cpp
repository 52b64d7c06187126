//===- TensorOps.cpp - type inference of the generic tensor ops -----------===//
//
// transpose, slice, reductions and matmul: the ONNX ops an imported graph
// keeps until `dyconv-raise-onnx-dynamic-conv` replaces their subgraphs.
//
//===----------------------------------------------------------------------===//

#include "OpInference.h"

#include "dyconv/Dialect/DyConvOps.h"
#include "dyconv/Dialect/ShapeUtils.h"

using namespace mlir;
using namespace mlir::dyconv;
using inference::OpDiagnostics;
using inference::tensorLike;

/// Reports the error of a shape function at the op, or returns its shape.
static FailureOr<SmallVector<int64_t>>
orFail(const OpDiagnostics &diag, llvm::Expected<SmallVector<int64_t>> shape) {
  if (!shape)
    return diag.fail(llvm::toString(shape.takeError()));
  return *shape;
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  OpDiagnostics diag(loc, getOperationName());
  FailureOr<RankedTensorType> input = diag.ranked(adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  FailureOr<SmallVector<int64_t>> shape =
      orFail(diag, shape::transpose(input->getShape(), adaptor.getPerm()));
  if (failed(shape))
    return failure();
  results.push_back(tensorLike(*shape, *input));
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  OpDiagnostics diag(loc, getOperationName());
  FailureOr<RankedTensorType> input = diag.ranked(adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  auto ranges = shape::slice(input->getShape(), adaptor.getAxes(),
                             adaptor.getStarts(), adaptor.getEnds(),
                             adaptor.getSteps());
  if (!ranges)
    return diag.fail(llvm::toString(ranges.takeError()));
  SmallVector<int64_t> shape;
  for (const shape::SliceRange &range : *ranges)
    shape.push_back(range.count);
  results.push_back(tensorLike(shape, *input));
  return success();
}

/// Shared by reduce_sum and reduce_mean.
static LogicalResult inferReduce(std::optional<Location> loc, StringRef opName,
                                 Value input, ArrayRef<int64_t> axes,
                                 bool keepdims,
                                 SmallVectorImpl<Type> &results) {
  OpDiagnostics diag(loc, opName);
  FailureOr<RankedTensorType> type = diag.ranked(input, "input");
  if (failed(type))
    return failure();
  FailureOr<SmallVector<int64_t>> normalized =
      orFail(diag, shape::reductionAxes(axes, type->getRank()));
  if (failed(normalized))
    return failure();
  results.push_back(tensorLike(
      shape::reduce(type->getShape(), *normalized, keepdims), *type));
  return success();
}

LogicalResult ReduceSumOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  return inferReduce(loc, getOperationName(), adaptor.getInput(),
                     adaptor.getAxes(), adaptor.getKeepdims(), results);
}

LogicalResult ReduceMeanOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &results) {
  return inferReduce(loc, getOperationName(), adaptor.getInput(),
                     adaptor.getAxes(), adaptor.getKeepdims(), results);
}

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  OpDiagnostics diag(loc, getOperationName());
  FailureOr<RankedTensorType> lhs = diag.ranked(adaptor.getLhs(), "lhs");
  FailureOr<RankedTensorType> rhs = diag.ranked(adaptor.getRhs(), "rhs");
  if (failed(lhs) || failed(rhs))
    return failure();
  FailureOr<SmallVector<int64_t>> shape =
      orFail(diag, shape::matmul(lhs->getShape(), rhs->getShape()));
  if (failed(shape))
    return failure();
  results.push_back(tensorLike(*shape, *lhs));
  return success();
}
