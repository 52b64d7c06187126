//===- NodeBuilder.cpp - typed access to one JSON node --------------------===//

#include "Importer.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Operation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"

using namespace mlir;
using namespace mlir::dyconv::json;

Location ModelImporter::loc(StringRef pointer) const {
  auto [line, column] = locator.lineColumn(pointer);
  return FileLineColLoc::get(context, path, line, column);
}

LogicalResult ModelImporter::error(StringRef pointer,
                                   const Twine &message) const {
  return emitError(loc(pointer))
         << "at " << (pointer.empty() ? "/" : pointer) << ": " << message;
}

NodeBuilder::NodeBuilder(ModelImporter &model, OpBuilder &builder,
                         const Json &node, std::string pointer,
                         SmallVector<Value> inputs)
    : model(model), builder(builder), node(node), pointer(std::move(pointer)),
      inputs(std::move(inputs)), loc(model.loc(this->pointer)) {}

LogicalResult NodeBuilder::fail(const Twine &message) const {
  return model.error(pointer, message);
}

LogicalResult NodeBuilder::failAt(StringRef subPointer,
                                  const Twine &message) const {
  return model.error(pointer + subPointer.str(), message);
}

LogicalResult NodeBuilder::expectInputs(size_t count) {
  if (inputs.size() != count)
    return failAt("/inputs", "op '" + node["op"].get<std::string>() +
                                 "' takes " + std::to_string(count) +
                                 " input(s), got " +
                                 std::to_string(inputs.size()));
  return success();
}

FailureOr<int64_t> NodeBuilder::staticDim(size_t input, unsigned dim,
                                          StringRef what) {
  auto type = dyn_cast<RankedTensorType>(inputs[input].getType());
  if (!type || type.getRank() <= dim || type.isDynamicDim(dim))
    return failAt("/inputs/" + std::to_string(input),
                  "the " + what + " (dimension " + std::to_string(dim) +
                      ") of this input must be static");
  return type.getDimSize(dim);
}

const Json *NodeBuilder::attribute(StringRef name) {
  readAttributes.insert(name);
  if (!node.contains("attributes"))
    return nullptr;
  auto it = node["attributes"].find(name.str());
  return it == node["attributes"].end() ? nullptr : &*it;
}

FailureOr<int64_t> NodeBuilder::getInt(StringRef name,
                                       std::optional<int64_t> fallback) {
  const Json *value = attribute(name);
  if (!value) {
    if (fallback)
      return *fallback;
    return failAt("/attributes", "missing attribute '" + name + "'");
  }
  if (!value->is_number_integer())
    return failAt("/attributes/" + name.str(),
                  "expected an integer, got " + value->dump());
  return value->get<int64_t>();
}

FailureOr<double> NodeBuilder::getFloat(StringRef name,
                                        std::optional<double> fallback) {
  const Json *value = attribute(name);
  if (!value) {
    if (fallback)
      return *fallback;
    return failAt("/attributes", "missing attribute '" + name + "'");
  }
  if (!value->is_number())
    return failAt("/attributes/" + name.str(),
                  "expected a number, got " + value->dump());
  return value->get<double>();
}

FailureOr<bool> NodeBuilder::getBool(StringRef name, bool fallback) {
  const Json *value = attribute(name);
  if (!value)
    return fallback;
  if (!value->is_boolean())
    return failAt("/attributes/" + name.str(),
                  "expected true or false, got " + value->dump());
  return value->get<bool>();
}

FailureOr<std::string>
NodeBuilder::getString(StringRef name, std::optional<std::string> fallback,
                       ArrayRef<StringRef> allowed) {
  const Json *value = attribute(name);
  if (!value) {
    if (fallback)
      return *fallback;
    return failAt("/attributes", "missing attribute '" + name + "'");
  }
  if (!value->is_string())
    return failAt("/attributes/" + name.str(),
                  "expected a string, got " + value->dump());
  std::string text = value->get<std::string>();
  if (!allowed.empty() && !llvm::is_contained(allowed, text)) {
    std::string choices;
    for (StringRef choice : allowed)
      choices += (choices.empty() ? "'" : ", '") + choice.str() + "'";
    return failAt("/attributes/" + name.str(),
                  "expected one of " + choices + ", got '" + text + "'");
  }
  return text;
}

FailureOr<SmallVector<int64_t>>
NodeBuilder::getInts(StringRef name,
                     std::optional<SmallVector<int64_t>> fallback,
                     ArrayRef<size_t> allowedSizes) {
  const Json *value = attribute(name);
  if (!value) {
    if (fallback)
      return *fallback;
    return failAt("/attributes", "missing attribute '" + name + "'");
  }
  // A single integer stands for the same value on every axis.
  if (value->is_number_integer() && !allowedSizes.empty())
    return SmallVector<int64_t>(allowedSizes.front(), value->get<int64_t>());
  auto bad = [&]() -> FailureOr<SmallVector<int64_t>> {
    std::string sizes;
    for (size_t s : allowedSizes)
      sizes += (sizes.empty() ? "" : " or ") + std::to_string(s);
    return failAt("/attributes/" + name.str(), "expected a list of " + sizes +
                                                   " integers, got " +
                                                   value->dump());
  };
  if (!value->is_array() || (!allowedSizes.empty() &&
                             !llvm::is_contained(allowedSizes, value->size())))
    return bad();
  SmallVector<int64_t> result;
  for (const Json &entry : *value) {
    if (!entry.is_number_integer())
      return bad();
    result.push_back(entry.get<int64_t>());
  }
  return result;
}

FailureOr<SmallVector<int64_t>> NodeBuilder::getPadding() {
  FailureOr<SmallVector<int64_t>> padding =
      getInts("padding", SmallVector<int64_t>{0, 0, 0, 0}, {2, 4});
  if (succeeded(padding) && padding->size() == 2)
    padding->append({(*padding)[0], (*padding)[1]});
  return padding;
}

FailureOr<SmallVector<NamedAttribute>> NodeBuilder::getConvAttributes() {
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

LogicalResult NodeBuilder::checkNoUnknownAttributes() {
  if (!node.contains("attributes"))
    return success();
  for (auto it = node["attributes"].begin(); it != node["attributes"].end();
       ++it)
    if (!readAttributes.contains(it.key()))
      return failAt("/attributes/" + it.key(),
                    "unknown attribute '" + it.key() + "' for op '" +
                        node["op"].get<std::string>() + "'");
  return success();
}

std::string NodeBuilder::param(StringRef suffix) const {
  std::string prefix =
      node.contains("prefix") ? node["prefix"].get<std::string>() : "";
  return prefix.empty() ? suffix.str() : prefix + "." + suffix.str();
}

bool NodeBuilder::hasParam(StringRef suffix) const {
  return model.weights.contains(param(suffix));
}

FailureOr<Value> NodeBuilder::weight(StringRef suffix,
                                     std::optional<ArrayRef<int64_t>> as) {
  std::string name = param(suffix);
  if (!model.weights.contains(name))
    return fail("missing weight '" + name + "'");
  return model.weights.get(builder, loc, name, as);
}

FailureOr<Value> NodeBuilder::optionalWeight(StringRef suffix) {
  if (!hasParam(suffix))
    return Value();
  return weight(suffix);
}

FailureOr<Value> NodeBuilder::matrixWeight(StringRef suffix) {
  std::string name = param(suffix);
  std::optional<SmallVector<int64_t>> shape = model.weights.shape(name);
  if (!shape)
    return fail("missing weight '" + name + "'");
  bool matrix = shape->size() == 2;
  bool pointwise = shape->size() == 4 && (*shape)[2] == 1 && (*shape)[3] == 1;
  if (!matrix && !pointwise)
    return fail("weight '" + name + "' must be [O, I] or [O, I, 1, 1]");
  SmallVector<int64_t> target = {(*shape)[0], (*shape)[1]};
  return weight(suffix, ArrayRef<int64_t>(target));
}

FailureOr<Value> NodeBuilder::optionalMatrixWeight(StringRef suffix) {
  if (!hasParam(suffix))
    return Value();
  return matrixWeight(suffix);
}

FailureOr<Value> NodeBuilder::create(StringRef opName, ValueRange operands,
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
    // The op's diagnostic names the shapes; a note names the JSON node.
    ScopedDiagnosticHandler addNodeNote(op->getContext(), [&](Diagnostic &d) {
      d.attachNote() << "while importing the node at " << pointer;
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
