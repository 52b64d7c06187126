//===- ElementwiseOps.cpp - clip, softmax and the elementwise kernels -----===//
//
// relu, sigmoid, abs, sqrt, erf, tanh, add, mul, sub and div are described
// entirely in ODS (DyConv_UnaryOp, DyConv_BroadcastBinaryOp); clip, gelu and
// softmax have attributes to check and pass on.
//
//===----------------------------------------------------------------------===//

#include "OpFamily.h"

using namespace mlir;
using namespace mlir::dyconv;

FailureOr<KernelDesc> mlir::dyconv::describeElementwise(Operation *op,
                                                        ElementwiseOp kind) {
  ElementwiseKernel desc;
  desc.op = kind;
  for (Value operand : op->getOperands())
    desc.inputShapes.push_back(kernels::descriptorShape(operand));
  return KernelDesc(desc);
}

//===----------------------------------------------------------------------===//
// clip
//===----------------------------------------------------------------------===//

LogicalResult ClipOp::verify() {
  if (getMin().convertToFloat() > getMax().convertToFloat())
    return emitOpError("min (")
           << getMin().convertToFloat() << ") must not exceed max ("
           << getMax().convertToFloat() << ")";
  return success();
}

llvm::Expected<TensorList> ClipOp::evaluate(const OperandTensors &operands) {
  return singleResult(reference::clip(operands.get(getInput()),
                                      getMin().convertToFloat(),
                                      getMax().convertToFloat()));
}

FailureOr<KernelDesc> ClipOp::describeKernel() {
  FailureOr<KernelDesc> desc = describeElementwise(*this, ElementwiseOp::Clip);
  auto &elementwise = std::get<ElementwiseKernel>(desc->family);
  elementwise.clipMin = getMin().convertToFloat();
  elementwise.clipMax = getMax().convertToFloat();
  return desc;
}

//===----------------------------------------------------------------------===//
// gelu
//===----------------------------------------------------------------------===//

llvm::Expected<TensorList> GeluOp::evaluate(const OperandTensors &operands) {
  return singleResult(
      reference::gelu(operands.get(getInput()), getTanhApproximation()));
}

FailureOr<KernelDesc> GeluOp::describeKernel() {
  return describeElementwise(*this, getTanhApproximation()
                                        ? ElementwiseOp::GeluTanh
                                        : ElementwiseOp::Gelu);
}

//===----------------------------------------------------------------------===//
// softmax
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::verify() {
  int64_t axis = getAxis();
  if (!shape::normalizeAxis(axis, getType().getRank()))
    return emitOpError("axis ") << axis << " is out of range for " << getType();
  return success();
}

llvm::Expected<TensorList> SoftmaxOp::evaluate(const OperandTensors &operands) {
  return singleResult(reference::softmax(operands.get(getInput()),
                                         static_cast<int64_t>(getAxis())));
}

FailureOr<KernelDesc> SoftmaxOp::describeKernel() {
  return KernelDesc(SoftmaxKernel{
      kernels::descriptorShape(getInput()),
      kernels::normalizedAxis(static_cast<int64_t>(getAxis()), getInput())});
}
