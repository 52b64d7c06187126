//===- NodeContext.cpp - helpers shared by the model formats --------------===//

#include "dyconv/Frontend/NodeContext.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Operation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"

using namespace mlir;
using namespace mlir::dyconv;

LogicalResult NodeContext::expectInputs(size_t count) {
  if (inputs.size() != count)
    return failAtInputs("op '" + opName() + "' takes " + std::to_string(count) +
                        " input(s), got " + std::to_string(inputs.size()));
  return success();
}

FailureOr<std::string>
NodeContext::checkAllowed(StringRef name, std::string text,
                          ArrayRef<StringRef> allowed) const {
  if (!allowed.empty() && !llvm::is_contained(allowed, text)) {
    std::string choices;
    for (StringRef choice : allowed)
      choices += (choices.empty() ? "'" : ", '") + choice.str() + "'";
    return failAtAttribute(name, "expected one of " + choices + ", got '" +
                                     text + "'");
  }
  return text;
}

FailureOr<int64_t> NodeContext::staticDim(size_t input, unsigned dim,
                                          StringRef what) {
  auto type = dyn_cast<RankedTensorType>(inputs[input].getType());
  if (!type || type.getRank() <= dim || type.isDynamicDim(dim))
    return failAtInput(input, "the " + what + " (dimension " +
                                  std::to_string(dim) +
                                  ") of this input must be static");
  return type.getDimSize(dim);
}

FailureOr<SmallVector<int64_t>> NodeContext::getPadding() {
  FailureOr<SmallVector<int64_t>> padding =
      getInts("padding", SmallVector<int64_t>{0, 0, 0, 0}, {2, 4});
  if (succeeded(padding) && padding->size() == 2)
    padding->append({(*padding)[0], (*padding)[1]});
  return padding;
}

FailureOr<SmallVector<NamedAttribute>> NodeContext::getConvAttributes() {
  auto stride = getInts("stride", SmallVector<int64_t>{1, 1}, {2});
  auto padding = getPadding();
  auto dilation = getInts("dilation", SmallVector<int64_t>{1, 1}, {2});
  auto groups = getInt("groups", 1);
  if (failed(stride) || failed(padding) || failed(dilation) || failed(groups))
    return failure();
  OpBuilder &b = builder;
  return SmallVector<NamedAttribute>{
      b.getNamedAttr("stride", b.getDenseI64ArrayAttr(*stride)),
      b.getNamedAttr("padding", b.getDenseI64ArrayAttr(*padding)),
      b.getNamedAttr("dilation", b.getDenseI64ArrayAttr(*dilation)),
      b.getNamedAttr("groups", b.getI64IntegerAttr(*groups))};
}

FailureOr<Value> NodeContext::optionalWeight(StringRef suffix) {
  if (!hasParam(suffix))
    return Value();
  return weight(suffix);
}

FailureOr<Value> NodeContext::matrixWeight(StringRef suffix) {
  std::optional<SmallVector<int64_t>> shape = paramShape(suffix);
  if (!shape)
    return fail("missing weight '" + paramName(suffix) + "'");
  bool matrix = shape->size() == 2;
  bool pointwise = shape->size() == 4 && (*shape)[2] == 1 && (*shape)[3] == 1;
  if (!matrix && !pointwise)
    return fail("weight '" + paramName(suffix) +
                "' must be [O, I] or [O, I, 1, 1]");
  SmallVector<int64_t> target = {(*shape)[0], (*shape)[1]};
  return weight(suffix, ArrayRef<int64_t>(target));
}

FailureOr<Value> NodeContext::optionalMatrixWeight(StringRef suffix) {
  if (!hasParam(suffix))
    return Value();
  return matrixWeight(suffix);
}

FailureOr<Value> NodeContext::create(StringRef opName, ValueRange operands,
                                     ArrayRef<NamedAttribute> attributes) {
  // The generated builders abort when inference fails, so the op is created
  // with a placeholder type and inferred afterwards, keeping the op's own
  // diagnostic.
  OperationState state(loc, opName);
  state.addOperands(operands);
  state.addAttributes(attributes);
  state.addTypes(builder.getNoneType());
  Operation *op = builder.create(state);
  auto infer = dyn_cast<InferTypeOpInterface>(op);
  SmallVector<Type> types;
  if (!infer) {
    types.push_back(operands.front().getType());
  } else {
    // The op's diagnostic names the shapes; a note names the model node.
    ScopedDiagnosticHandler addNodeNote(op->getContext(), [&](Diagnostic &d) {
      d.attachNote() << "while importing " << describe();
      return failure(); // continue to the tool's handler
    });
    if (failed(infer.inferReturnTypes(op->getContext(), loc, op->getOperands(),
                                      op->getRawDictionaryAttrs(),
                                      op->getPropertiesStorage(),
                                      op->getRegions(), types))) {
      op->erase();
      return failure();
    }
  }
  op->getResult(0).setType(types.front());
  return op->getResult(0);
}
