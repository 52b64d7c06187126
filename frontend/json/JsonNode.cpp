//===- JsonNode.cpp - typed access to one JSON node -----------------------===//

#include "Importer.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace mlir::dyconv;
using namespace mlir::dyconv::json;

namespace {

bool isBoundedInteger(const Json &value) {
  if (value.is_number_unsigned())
    return value.get<uint64_t>() <= uint64_t(kMaxModelInteger);
  return value.is_number_integer() &&
         value.get<int64_t>() >= -kMaxModelInteger &&
         value.get<int64_t>() <= kMaxModelInteger;
}

std::string outOfRange(const Json &value) {
  return value.dump() + " is out of range (at most " +
         std::to_string(kMaxModelInteger) + " in magnitude)";
}

} // namespace

Location ModelImporter::loc(StringRef pointer) const {
  auto [line, column] = locator.lineColumn(pointer);
  return FileLineColLoc::get(context, path, line, column);
}

LogicalResult ModelImporter::error(StringRef pointer,
                                   const Twine &message) const {
  return emitError(loc(pointer))
         << "at " << (pointer.empty() ? "/" : pointer) << ": " << message;
}

JsonNode::JsonNode(ModelImporter &model, OpBuilder &builder, const Json &node,
                   std::string pointer, SmallVector<Value> inputs)
    : NodeContext(builder, model.loc(pointer), std::move(inputs)), model(model),
      node(node), pointer(std::move(pointer)) {}

LogicalResult JsonNode::fail(const Twine &message) const {
  return model.error(pointer, message);
}

LogicalResult JsonNode::failAt(StringRef subPointer,
                               const Twine &message) const {
  return model.error(pointer + subPointer.str(), message);
}

LogicalResult JsonNode::failAtAttribute(StringRef name,
                                        const Twine &message) const {
  return failAt(name.empty() ? "/attributes" : "/attributes/" + name.str(),
                message);
}

LogicalResult JsonNode::failAtInputs(const Twine &message) const {
  return failAt("/inputs", message);
}

LogicalResult JsonNode::failAtInput(size_t index, const Twine &message) const {
  return failAt("/inputs/" + std::to_string(index), message);
}

LogicalResult JsonNode::failAtWarehouse(const Twine &message) const {
  return failAtAttribute("warehouse", message);
}

std::string JsonNode::describe() const { return "the node at " + pointer; }

std::string JsonNode::opName() const { return node["op"].get<std::string>(); }

const Json *JsonNode::attribute(StringRef name) {
  readAttributes.insert(name);
  if (!node.contains("attributes"))
    return nullptr;
  auto it = node["attributes"].find(name.str());
  return it == node["attributes"].end() ? nullptr : &*it;
}

FailureOr<int64_t> JsonNode::getInt(StringRef name,
                                    std::optional<int64_t> fallback) {
  const Json *value = attribute(name);
  if (!value) {
    if (fallback)
      return *fallback;
    return failAtAttribute("", "missing attribute '" + name + "'");
  }
  if (!value->is_number_integer())
    return failAtAttribute(name, "expected an integer, got " + value->dump());
  if (!isBoundedInteger(*value))
    return failAtAttribute(name, outOfRange(*value));
  return value->get<int64_t>();
}

FailureOr<double> JsonNode::getFloat(StringRef name,
                                     std::optional<double> fallback) {
  const Json *value = attribute(name);
  if (!value) {
    if (fallback)
      return *fallback;
    return failAtAttribute("", "missing attribute '" + name + "'");
  }
  if (!value->is_number())
    return failAtAttribute(name, "expected a number, got " + value->dump());
  return value->get<double>();
}

FailureOr<bool> JsonNode::getBool(StringRef name, bool fallback) {
  const Json *value = attribute(name);
  if (!value)
    return fallback;
  if (!value->is_boolean())
    return failAtAttribute(name,
                           "expected true or false, got " + value->dump());
  return value->get<bool>();
}

FailureOr<std::string> JsonNode::getString(StringRef name,
                                           std::optional<std::string> fallback,
                                           ArrayRef<StringRef> allowed) {
  const Json *value = attribute(name);
  if (!value) {
    if (fallback)
      return *fallback;
    return failAtAttribute("", "missing attribute '" + name + "'");
  }
  if (!value->is_string())
    return failAtAttribute(name, "expected a string, got " + value->dump());
  std::string text = value->get<std::string>();
  return checkAllowed(name, std::move(text), allowed);
}

FailureOr<SmallVector<int64_t>>
JsonNode::getInts(StringRef name, std::optional<SmallVector<int64_t>> fallback,
                  ArrayRef<size_t> allowedSizes) {
  const Json *value = attribute(name);
  if (!value) {
    if (fallback)
      return *fallback;
    return failAtAttribute("", "missing attribute '" + name + "'");
  }
  if (value->is_number_integer() && !isBoundedInteger(*value))
    return failAtAttribute(name, outOfRange(*value));
  // A single integer stands for the same value on every axis.
  if (value->is_number_integer() && !allowedSizes.empty())
    return SmallVector<int64_t>(allowedSizes.front(), value->get<int64_t>());
  auto bad = [&]() -> FailureOr<SmallVector<int64_t>> {
    std::string sizes;
    for (size_t s : allowedSizes)
      sizes += (sizes.empty() ? "" : " or ") + std::to_string(s);
    return failAtAttribute(name, "expected a list of " + sizes +
                                     " integers, got " + value->dump());
  };
  if (!value->is_array() || (!allowedSizes.empty() &&
                             !llvm::is_contained(allowedSizes, value->size())))
    return bad();
  SmallVector<int64_t> result;
  for (const Json &entry : *value) {
    if (!entry.is_number_integer())
      return bad();
    if (!isBoundedInteger(entry))
      return failAtAttribute(name, outOfRange(entry));
    result.push_back(entry.get<int64_t>());
  }
  return result;
}

LogicalResult JsonNode::checkNoUnknownAttributes() {
  if (!node.contains("attributes"))
    return success();
  for (auto it = node["attributes"].begin(); it != node["attributes"].end();
       ++it)
    if (!readAttributes.contains(it.key()))
      return failAtAttribute(it.key(), "unknown attribute '" + it.key() +
                                           "' for op '" + opName() + "'");
  return success();
}

std::string JsonNode::paramName(StringRef suffix) const {
  std::string prefix =
      node.contains("prefix") ? node["prefix"].get<std::string>() : "";
  return prefix.empty() ? suffix.str() : prefix + "." + suffix.str();
}

std::optional<SmallVector<int64_t>>
JsonNode::paramShape(StringRef suffix) const {
  return model.weights.shape(paramName(suffix));
}

FailureOr<Value> JsonNode::weight(StringRef suffix,
                                  std::optional<ArrayRef<int64_t>> as) {
  std::string name = paramName(suffix);
  if (!model.weights.contains(name))
    return fail("missing weight '" + name + "'");
  return model.weights.get(builder, loc, name, as);
}

FailureOr<NamedWeight> JsonNode::warehouse() {
  auto name = getString("warehouse", std::nullopt, {});
  if (failed(name))
    return failure();
  if (!model.weights.contains(*name))
    return failAtWarehouse("no warehouse tensor '" + *name + "'");
  auto value = model.weights.get(builder, loc, *name);
  if (failed(value))
    return failure();
  return NamedWeight{*name, *value};
}
