//===- ShapeOps.cpp - views, concat and the generic tensor ops ------------===//
//
// flatten and reshape are views (no kernel: their result shares its input's
// memory); concat, transpose, slice, the reductions and matmul are kernels.
// The last four are the generic ONNX ops an imported graph keeps where
// `dyconv-raise-onnx-dynamic-conv` recognises no layer; their kernels are
// plain loop nests, so that whatever the importer accepts compiles.
//
//===----------------------------------------------------------------------===//

#include "OpFamily.h"

using namespace mlir;
using namespace mlir::dyconv;

/// The type of a shape function's result for `input`, or its error at the op.
static FailureOr<TypeList>
resultOf(const OpDiagnostics &diag, RankedTensorType input,
         llvm::Expected<SmallVector<int64_t>> shape) {
  if (!shape)
    return diag.fail(llvm::toString(shape.takeError()));
  return TypeList{tensorLike(*shape, input)};
}

//===----------------------------------------------------------------------===//
// flatten, reshape
//===----------------------------------------------------------------------===//

FailureOr<TypeList> FlattenOp::inferResultTypes(const OpDiagnostics &diag,
                                                Adaptor adaptor) {
  FailureOr<RankedTensorType> input = diag.ranked(adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis > input->getRank())
    return diag.fail("axis ", axis, " must be in [0, ", input->getRank(),
                     "] for ", *input);
  ArrayRef<int64_t> dims = input->getShape();
  return TypeList{tensorLike({shape::product(dims.take_front(axis)),
                              shape::product(dims.drop_front(axis))},
                             *input)};
}

llvm::Expected<TensorList> FlattenOp::evaluate(const OperandTensors &operands) {
  return singleResult(reference::flatten(operands.get(getInput()),
                                         static_cast<int64_t>(getAxis())));
}

FailureOr<TypeList> ReshapeOp::inferResultTypes(const OpDiagnostics &diag,
                                                Adaptor adaptor) {
  FailureOr<RankedTensorType> input = diag.ranked(adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  return resultOf(diag, *input,
                  shape::reshape(input->getShape(), adaptor.getShape()));
}

llvm::Expected<TensorList> ReshapeOp::evaluate(const OperandTensors &operands) {
  return singleResult(reference::reshape(operands.get(getInput()), getShape()));
}

//===----------------------------------------------------------------------===//
// concat
//===----------------------------------------------------------------------===//

FailureOr<TypeList> ConcatOp::inferResultTypes(const OpDiagnostics &diag,
                                               Adaptor adaptor) {
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
  return TypeList{tensorLike(shape, *first)};
}

llvm::Expected<TensorList> ConcatOp::evaluate(const OperandTensors &operands) {
  SmallVector<const Tensor *> inputs;
  for (Value input : getInputs())
    inputs.push_back(&operands.get(input));
  return singleResult(
      reference::concat(inputs, static_cast<int64_t>(getAxis())));
}

FailureOr<KernelDesc> ConcatOp::describeKernel() {
  ConcatKernel desc;
  for (Value input : getInputs())
    desc.inputShapes.push_back(kernels::descriptorShape(input));
  desc.axis =
      kernels::normalizedAxis(static_cast<int64_t>(getAxis()), getResult());
  return KernelDesc(desc);
}

//===----------------------------------------------------------------------===//
// transpose, slice
//===----------------------------------------------------------------------===//

FailureOr<TypeList> TransposeOp::inferResultTypes(const OpDiagnostics &diag,
                                                  Adaptor adaptor) {
  FailureOr<RankedTensorType> input = diag.ranked(adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  return resultOf(diag, *input,
                  shape::transpose(input->getShape(), adaptor.getPerm()));
}

llvm::Expected<TensorList>
TransposeOp::evaluate(const OperandTensors &operands) {
  return singleResult(
      reference::transpose(operands.get(getInput()), getPerm()));
}

FailureOr<KernelDesc> TransposeOp::describeKernel() {
  ArrayRef<int64_t> perm = getPerm();
  if (!perm.empty() && perm.front() != 0)
    return emitOpError("codegen keeps the batch as dimension 0, but the "
                       "permutation moves it: ")
           << shape::format(perm);
  return KernelDesc(
      TransposeKernel{kernels::descriptorShape(getInput()),
                      std::vector<int64_t>(perm.begin(), perm.end())});
}

FailureOr<TypeList> SliceOp::inferResultTypes(const OpDiagnostics &diag,
                                              Adaptor adaptor) {
  FailureOr<RankedTensorType> input = diag.ranked(adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  auto ranges =
      shape::slice(input->getShape(), adaptor.getAxes(), adaptor.getStarts(),
                   adaptor.getEnds(), adaptor.getSteps());
  if (!ranges)
    return diag.fail(llvm::toString(ranges.takeError()));
  SmallVector<int64_t> shape;
  for (const shape::SliceRange &range : *ranges)
    shape.push_back(range.count);
  return TypeList{tensorLike(shape, *input)};
}

llvm::Expected<TensorList> SliceOp::evaluate(const OperandTensors &operands) {
  return singleResult(reference::slice(operands.get(getInput()), getAxes(),
                                       getStarts(), getEnds(), getSteps()));
}

FailureOr<KernelDesc> SliceOp::describeKernel() {
  ArrayRef<int64_t> input = kernels::shapeOf(getInput());
  auto ranges =
      shape::slice(input, getAxes(), getStarts(), getEnds(), getSteps());
  if (!ranges)
    return emitOpError(llvm::toString(ranges.takeError()));
  SliceKernel desc;
  desc.shape = kernels::descriptorShape(getInput());
  desc.outputShape = kernels::descriptorShape(getResult());
  for (const shape::SliceRange &range : *ranges) {
    desc.starts.push_back(range.start);
    desc.steps.push_back(range.step);
  }
  if (!input.empty() && (desc.starts[0] != 0 || desc.steps[0] != 1 ||
                         desc.outputShape[0] != desc.shape[0]))
    return emitOpError("codegen cannot slice the batch dimension");
  return KernelDesc(desc);
}

//===----------------------------------------------------------------------===//
// pad
//===----------------------------------------------------------------------===//

FailureOr<TypeList> PadOp::inferResultTypes(const OpDiagnostics &diag,
                                            Adaptor adaptor) {
  FailureOr<RankedTensorType> input = diag.ranked(adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  return resultOf(diag, *input,
                  shape::pad(input->getShape(), adaptor.getPads()));
}

llvm::Expected<TensorList> PadOp::evaluate(const OperandTensors &operands) {
  return singleResult(reference::pad(operands.get(getInput()), getPads(),
                                     getValue().convertToFloat()));
}

FailureOr<KernelDesc> PadOp::describeKernel() {
  ArrayRef<int64_t> pads = getPads();
  size_t rank = kernels::shapeOf(getInput()).size();
  if (rank && (pads[0] != 0 || pads[rank] != 0))
    return emitOpError("codegen cannot pad the batch dimension");
  return KernelDesc(PadKernel{kernels::descriptorShape(getInput()),
                              std::vector<int64_t>(pads.begin(), pads.end()),
                              getValue().convertToFloat()});
}

//===----------------------------------------------------------------------===//
// reduce_sum, reduce_mean, matmul
//===----------------------------------------------------------------------===//

/// Shared by reduce_sum and reduce_mean.
static FailureOr<TypeList> inferReduce(const OpDiagnostics &diag, Value input,
                                       ArrayRef<int64_t> axes, bool keepdims) {
  FailureOr<RankedTensorType> type = diag.ranked(input, "input");
  if (failed(type))
    return failure();
  auto normalized = shape::reductionAxes(axes, type->getRank());
  if (!normalized)
    return diag.fail(llvm::toString(normalized.takeError()));
  return TypeList{tensorLike(
      shape::reduce(type->getShape(), *normalized, keepdims), *type)};
}

/// Shared by reduce_sum and reduce_mean.
static FailureOr<KernelDesc> describeReduce(Operation *op, Value input,
                                            ArrayRef<int64_t> axes,
                                            bool keepDims, bool mean) {
  ArrayRef<int64_t> shape = kernels::shapeOf(input);
  auto normalized =
      shape::reductionAxes(axes, static_cast<int64_t>(shape.size()));
  if (!normalized)
    return op->emitOpError(llvm::toString(normalized.takeError()));
  ReduceKernel desc;
  desc.shape = kernels::descriptorShape(input);
  desc.axes.assign(normalized->begin(), normalized->end());
  llvm::sort(desc.axes);
  desc.mean = mean;
  desc.keepDims = keepDims;
  if (!desc.axes.empty() && desc.axes.front() == 0)
    return op->emitOpError("codegen cannot reduce over the batch dimension");
  return KernelDesc(desc);
}

FailureOr<TypeList> ReduceSumOp::inferResultTypes(const OpDiagnostics &diag,
                                                  Adaptor adaptor) {
  return inferReduce(diag, adaptor.getInput(), adaptor.getAxes(),
                     adaptor.getKeepdims());
}

llvm::Expected<TensorList>
ReduceSumOp::evaluate(const OperandTensors &operands) {
  return singleResult(reference::reduce(operands.get(getInput()), getAxes(),
                                        getKeepdims(), /*mean=*/false));
}

FailureOr<KernelDesc> ReduceSumOp::describeKernel() {
  return describeReduce(*this, getInput(), getAxes(), getKeepdims(),
                        /*mean=*/false);
}

FailureOr<TypeList> ReduceMeanOp::inferResultTypes(const OpDiagnostics &diag,
                                                   Adaptor adaptor) {
  return inferReduce(diag, adaptor.getInput(), adaptor.getAxes(),
                     adaptor.getKeepdims());
}

llvm::Expected<TensorList>
ReduceMeanOp::evaluate(const OperandTensors &operands) {
  return singleResult(reference::reduce(operands.get(getInput()), getAxes(),
                                        getKeepdims(), /*mean=*/true));
}

FailureOr<KernelDesc> ReduceMeanOp::describeKernel() {
  return describeReduce(*this, getInput(), getAxes(), getKeepdims(),
                        /*mean=*/true);
}

FailureOr<TypeList> MatMulOp::inferResultTypes(const OpDiagnostics &diag,
                                               Adaptor adaptor) {
  FailureOr<RankedTensorType> lhs = diag.ranked(adaptor.getLhs(), "lhs");
  FailureOr<RankedTensorType> rhs = diag.ranked(adaptor.getRhs(), "rhs");
  if (failed(lhs) || failed(rhs))
    return failure();
  return resultOf(diag, *lhs, shape::matmul(lhs->getShape(), rhs->getShape()));
}

llvm::Expected<TensorList> MatMulOp::evaluate(const OperandTensors &operands) {
  return singleResult(
      reference::matmul(operands.get(getLhs()), operands.get(getRhs())));
}

FailureOr<KernelDesc> MatMulOp::describeKernel() {
  return KernelDesc(MatMulKernel{kernels::descriptorShape(getLhs()),
                                 kernels::descriptorShape(getRhs())});
}
