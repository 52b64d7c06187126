//===- LayoutOps.cpp - convert_layout -------------------------------------===//
//
// The one op that only changes how a value is stored: the identity for the
// reference interpreter, a copy between layouts for codegen.
//
//===----------------------------------------------------------------------===//

#include "OpFamily.h"

#include "dyconv/Dialect/Layout.h"

using namespace mlir;
using namespace mlir::dyconv;

LogicalResult ConvertLayoutOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  auto output = cast<RankedTensorType>(getType());
  if (input.dropEncoding() != output.dropEncoding())
    return emitOpError("changes the tensor ")
           << input.dropEncoding() << " into " << output.dropEncoding()
           << "; it may change the layout only";
  return success();
}

OpFoldResult ConvertLayoutOp::fold(FoldAdaptor) {
  // A conversion to the layout the value already has is the value.
  if (getInput().getType() == getType())
    return getInput();
  // Converting a conversion converts the original value.
  if (auto producer = getInput().getDefiningOp<ConvertLayoutOp>()) {
    if (producer.getInput().getType() == getType())
      return producer.getInput();
    getInputMutable().assign(producer.getInput());
    return getResult();
  }
  return {};
}

llvm::Expected<TensorList>
ConvertLayoutOp::evaluate(const OperandTensors &operands) {
  TensorList results;
  results.push_back(operands.get(getInput()));
  return results;
}

FailureOr<KernelDesc> ConvertLayoutOp::describeKernel() {
  return KernelDesc(ConvertLayoutKernel{kernels::descriptorShape(getInput())});
}
