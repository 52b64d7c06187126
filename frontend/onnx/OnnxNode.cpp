//===- OnnxNode.cpp - typed access to one ONNX node -----------------------===//

#include "OnnxGraph.h"

#include "dyconv/Dialect/ShapeUtils.h"

#include "onnx/onnx_pb.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace mlir::dyconv;
using namespace mlir::dyconv::onnximport;

using onnx::AttributeProto;

OnnxNode::OnnxNode(OnnxGraph &graph, OpBuilder &builder,
                   const onnx::NodeProto &proto, size_t index,
                   SmallVector<OnnxValue> args)
    : NodeContext(builder, graph.nodeLoc(proto, index), {}), graph(graph),
      proto(proto), index(index), args(std::move(args)) {}

//===----------------------------------------------------------------------===//
// Diagnostics
//===----------------------------------------------------------------------===//

std::string OnnxNode::describe() const { return describeNode(proto, index); }

std::string OnnxNode::opName() const { return proto.op_type(); }

LogicalResult OnnxNode::fail(const Twine &message) const {
  // Builders read every attribute before checking; the first error is the
  // one reported.
  if (reported)
    return failure();
  reported = true;
  return emitError(loc) << describe() << ": " << message;
}

LogicalResult OnnxNode::failAtAttribute(StringRef name,
                                        const Twine &message) const {
  if (name.empty())
    return fail(message);
  return fail("attribute '" + name + "': " + message);
}

LogicalResult OnnxNode::failAtInputs(const Twine &message) const {
  if (parameters.empty())
    return fail(message);
  return fail(message + " besides the " + std::to_string(parameters.size()) +
              " parameters");
}

LogicalResult OnnxNode::failAtInput(size_t i, const Twine &message) const {
  return fail(inputLabel(i) + ": " + message);
}

LogicalResult OnnxNode::failAtWarehouse(const Twine &message) const {
  return fail(message);
}

std::string OnnxNode::inputLabel(size_t i) const {
  std::string label = "input " + std::to_string(i);
  if (static_cast<int>(i) < proto.input_size())
    label += " '" + proto.input(i) + "'";
  return label;
}

//===----------------------------------------------------------------------===//
// Inputs
//===----------------------------------------------------------------------===//

LogicalResult OnnxNode::expectArgs(size_t min, size_t max) {
  size_t count = args.size();
  // Trailing omitted optional inputs do not count.
  while (count > 0 && !hasArg(count - 1))
    --count;
  for (size_t i = 0; i < min && i < count; ++i)
    if (!hasArg(i))
      return fail(inputLabel(i) + " is required");
  if (count >= min && count <= max)
    return success();
  std::string expected =
      min == max ? std::to_string(min)
                 : std::to_string(min) + " to " + std::to_string(max);
  return fail("takes " + expected + " input(s), got " + std::to_string(count));
}

FailureOr<Value> OnnxNode::value(size_t i) {
  if (!hasArg(i))
    return fail(inputLabel(i) + " is required");
  if (args[i].value)
    return args[i].value;
  const std::string &name = proto.input(i);
  if (args[i].constant->isInt())
    return failAtInput(i, "an integer tensor cannot be an operand of '" +
                              proto.op_type() +
                              "' (only float32 tensors flow through the "
                              "graph)");
  return graph.materialize(
      builder, NameLoc::get(builder.getStringAttr(name), graph.fileLoc()), name,
      *args[i].constant, name);
}

FailureOr<const ConstTensor *> OnnxNode::constant(size_t i, StringRef what) {
  if (!hasArg(i))
    return fail("the " + what + " (" + inputLabel(i) + ") is required");
  if (!args[i].isConstant())
    return failAtInput(i, "the " + what +
                              " must be a constant (an initializer or a "
                              "value computed from constants)");
  return args[i].constant.get();
}

FailureOr<SmallVector<int64_t>> OnnxNode::constantInts(size_t i,
                                                       StringRef what) {
  auto tensor = constant(i, what);
  if (failed(tensor))
    return failure();
  if (!(*tensor)->isInt() || (*tensor)->shape.size() > 1)
    return failAtInput(i, "the " + what + " must be a list of integers");
  return SmallVector<int64_t>((*tensor)->intValues.begin(),
                              (*tensor)->intValues.end());
}

FailureOr<float> OnnxNode::constantScalar(size_t i, StringRef what) {
  auto tensor = constant(i, what);
  if (failed(tensor))
    return failure();
  if ((*tensor)->isInt() || (*tensor)->numElements() != 1)
    return failAtInput(i, "the " + what + " must be one float32 value");
  return (*tensor)->floatValues.front();
}

FailureOr<Value> OnnxNode::materialize(const ConstTensor &tensor,
                                       StringRef name) {
  return graph.materialize(builder, loc, name, tensor);
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

const AttributeProto *OnnxNode::attribute(StringRef name) {
  readAttributes.insert(name);
  for (const AttributeProto &attr : proto.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

bool OnnxNode::hasAttribute(StringRef name) { return attribute(name); }

LogicalResult OnnxNode::expectType(const AttributeProto &attr, int type,
                                   StringRef expected) const {
  if (attr.type() == type)
    return success();
  std::string actual =
      AttributeProto::AttributeType_IsValid(attr.type())
          ? AttributeProto::AttributeType_Name(
                static_cast<AttributeProto::AttributeType>(attr.type()))
          : std::to_string(attr.type());
  return failAtAttribute(attr.name(), "expected " + expected +
                                          ", got an attribute of type " +
                                          actual);
}

FailureOr<int64_t> OnnxNode::getInt(StringRef name,
                                    std::optional<int64_t> fallback) {
  const AttributeProto *attr = attribute(name);
  if (!attr) {
    if (fallback)
      return *fallback;
    return failAtAttribute("", "missing attribute '" + name + "'");
  }
  if (failed(expectType(*attr, AttributeProto::INT, "an integer")))
    return failure();
  return attr->i();
}

FailureOr<double> OnnxNode::getFloat(StringRef name,
                                     std::optional<double> fallback) {
  const AttributeProto *attr = attribute(name);
  if (!attr) {
    if (fallback)
      return *fallback;
    return failAtAttribute("", "missing attribute '" + name + "'");
  }
  if (attr->type() == AttributeProto::INT)
    return static_cast<double>(attr->i());
  if (failed(expectType(*attr, AttributeProto::FLOAT, "a float")))
    return failure();
  return static_cast<double>(attr->f());
}

FailureOr<bool> OnnxNode::getBool(StringRef name, bool fallback) {
  auto value = getInt(name, fallback ? 1 : 0);
  if (failed(value))
    return failure();
  if (*value != 0 && *value != 1)
    return failAtAttribute(name,
                           "expected 0 or 1, got " + std::to_string(*value));
  return *value == 1;
}

FailureOr<std::string> OnnxNode::getString(StringRef name,
                                           std::optional<std::string> fallback,
                                           ArrayRef<StringRef> allowed) {
  const AttributeProto *attr = attribute(name);
  std::string text;
  if (!attr) {
    if (!fallback)
      return failAtAttribute("", "missing attribute '" + name + "'");
    text = *fallback;
  } else {
    if (failed(expectType(*attr, AttributeProto::STRING, "a string")))
      return failure();
    text = attr->s();
  }
  return checkAllowed(name, std::move(text), allowed);
}

FailureOr<SmallVector<int64_t>>
OnnxNode::getInts(StringRef name, std::optional<SmallVector<int64_t>> fallback,
                  ArrayRef<size_t> allowedSizes) {
  const AttributeProto *attr = attribute(name);
  if (!attr) {
    if (fallback)
      return *fallback;
    return failAtAttribute("", "missing attribute '" + name + "'");
  }
  // A single integer stands for the same value on every axis.
  if (attr->type() == AttributeProto::INT && !allowedSizes.empty())
    return SmallVector<int64_t>(allowedSizes.front(), attr->i());
  if (failed(expectType(*attr, AttributeProto::INTS, "a list of integers")))
    return failure();
  SmallVector<int64_t> result(attr->ints().begin(), attr->ints().end());
  if (!allowedSizes.empty() &&
      !llvm::is_contained(allowedSizes, result.size())) {
    std::string sizes;
    for (size_t s : allowedSizes)
      sizes += (sizes.empty() ? "" : " or ") + std::to_string(s);
    return failAtAttribute(name, "expected " + sizes + " integers, got " +
                                     std::to_string(result.size()));
  }
  return result;
}

FailureOr<SmallVector<float>> OnnxNode::getFloats(StringRef name) {
  const AttributeProto *attr = attribute(name);
  if (!attr)
    return failAtAttribute("", "missing attribute '" + name + "'");
  if (failed(expectType(*attr, AttributeProto::FLOATS, "a list of floats")))
    return failure();
  return SmallVector<float>(attr->floats().begin(), attr->floats().end());
}

FailureOr<ConstTensor> OnnxNode::getTensor(StringRef name) {
  const AttributeProto *attr = attribute(name);
  if (!attr)
    return failAtAttribute("", "missing attribute '" + name + "'");
  if (failed(expectType(*attr, AttributeProto::TENSOR, "a tensor")))
    return failure();
  llvm::Expected<ConstTensor> tensor = readTensor(attr->t(), graph.directory);
  if (!tensor)
    return failAtAttribute(name, llvm::toString(tensor.takeError()));
  return std::move(*tensor);
}

LogicalResult OnnxNode::checkNoUnknownAttributes() {
  for (const AttributeProto &attr : proto.attribute())
    if (!readAttributes.contains(attr.name()))
      return failAtAttribute(attr.name(), "unknown attribute '" + attr.name() +
                                              "' for op '" + opName() + "'");
  return success();
}

//===----------------------------------------------------------------------===//
// Parameters of custom-domain nodes
//===----------------------------------------------------------------------===//

LogicalResult OnnxNode::bindParameters() {
  const AttributeProto *attr = attribute("parameters");
  SmallVector<std::string> names;
  if (attr) {
    if (failed(expectType(*attr, AttributeProto::STRINGS, "a list of strings")))
      return failure();
    names.assign(attr->strings().begin(), attr->strings().end());
  }
  if (names.size() > args.size())
    return failAtAttribute("parameters",
                           "names " + std::to_string(names.size()) +
                               " parameters but the node has only " +
                               std::to_string(args.size()) + " inputs");
  size_t first = args.size() - names.size();
  for (auto [i, name] : llvm::enumerate(names)) {
    if (!parameters.try_emplace(name, first + i).second)
      return failAtAttribute("parameters",
                             "parameter '" + name + "' is listed twice");
    if (!hasArg(first + i))
      return failAtInput(first + i, "parameter '" + name + "' is omitted");
  }
  for (size_t i = 0; i < first; ++i) {
    auto input = value(i);
    if (failed(input))
      return failure();
    inputs.push_back(*input);
  }
  return success();
}

std::optional<size_t> OnnxNode::paramIndex(StringRef suffix) const {
  auto it = parameters.find(suffix);
  if (it == parameters.end())
    return std::nullopt;
  return it->second;
}

std::string OnnxNode::paramName(StringRef suffix) const { return suffix.str(); }

std::optional<SmallVector<int64_t>>
OnnxNode::paramShape(StringRef suffix) const {
  std::optional<size_t> i = paramIndex(suffix);
  if (!i)
    return std::nullopt;
  return SmallVector<int64_t>(args[*i].shape());
}

FailureOr<Value> OnnxNode::weight(StringRef suffix,
                                  std::optional<ArrayRef<int64_t>> as) {
  std::optional<size_t> i = paramIndex(suffix);
  if (!i)
    return fail("missing parameter '" + suffix + "'");
  ArrayRef<int64_t> stored = args[*i].shape();
  if (!as || *as == stored)
    return value(*i);
  if (shape::product(*as) != shape::product(stored))
    return failAtInput(*i, "parameter '" + suffix + "' has shape " +
                               shape::format(stored) + ", expected " +
                               shape::format(*as));
  // A reshaped parameter is a new constant (a 1x1 conv weight as a matrix).
  auto tensor = constant(*i, "parameter '" + suffix.str() + "'");
  if (failed(tensor))
    return failure();
  std::string name = proto.input(*i);
  std::string key = name + "#" + shape::format(*as);
  return graph.materialize(
      builder, NameLoc::get(builder.getStringAttr(name), graph.fileLoc()), name,
      (*tensor)->reshaped(SmallVector<int64_t>(*as)), key);
}

FailureOr<NamedWeight> OnnxNode::warehouse() {
  std::optional<size_t> i = paramIndex("warehouse");
  if (!i)
    return fail("missing parameter 'warehouse'");
  auto value = weight("warehouse", std::nullopt);
  if (failed(value))
    return failure();
  return NamedWeight{proto.input(*i), *value};
}
