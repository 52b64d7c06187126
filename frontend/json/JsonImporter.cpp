//===- JsonImporter.cpp - dyconv JSON + safetensors model import ----------===//
//
// The importer is a table from JSON op name to a node builder (onnx-mlir
// style). This file checks the top level, resolves the data flow into a
// topological order and drives the builders.
//
//===----------------------------------------------------------------------===//

#include "dyconv/Frontend/JsonImporter.h"
#include "dyconv/Frontend/NodeOrder.h"
#include "dyconv/Frontend/StrictJson.h"

#include "Importer.h"

#include "dyconv/Dialect/DyConvDialect.h"
#include "dyconv/Dialect/ShapeUtils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace mlir::dyconv;
using namespace mlir::dyconv::json;

namespace {

bool checkKeys(ModelImporter &model, const Json &object, StringRef pointer,
               ArrayRef<StringRef> allowed, ArrayRef<StringRef> required) {
  if (!object.is_object()) {
    (void)model.error(pointer, "expected an object");
    return false;
  }
  for (auto it = object.begin(); it != object.end(); ++it)
    if (!llvm::is_contained(allowed, it.key())) {
      (void)model.error((pointer + "/" + it.key()).str(),
                        "unknown key '" + it.key() + "'");
      return false;
    }
  for (StringRef key : required)
    if (!object.contains(key.str())) {
      (void)model.error(pointer, "missing key '" + key + "'");
      return false;
    }
  return true;
}

bool isStringArray(const Json &value) {
  return value.is_array() &&
         llvm::all_of(value, [](const Json &v) { return v.is_string(); });
}

class Importer {
public:
  Importer(llvm::SourceMgr &sourceMgr, MLIRContext *context)
      : sourceMgr(sourceMgr),
        text(sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID())->getBuffer()),
        model(context,
              sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID())
                  ->getBufferIdentifier(),
              text) {
    registerStaticNodes(builders);
    registerDynamicConvNodes(builders);
  }

  OwningOpRef<ModuleOp> run();

private:
  LogicalResult parse();
  LogicalResult loadWeights();
  FailureOr<SmallVector<Type>> inputTypes();
  FailureOr<std::vector<size_t>> topologicalOrder();
  LogicalResult buildNodes(OpBuilder &builder, ArrayRef<size_t> order);

  llvm::SourceMgr &sourceMgr;
  StringRef text;
  ModelImporter model;
  Json root;
  llvm::StringMap<NodeBuilderFn> builders;
};

LogicalResult Importer::parse() {
  JsonError error;
  if (!parseStrictJson(text, root, error)) {
    if (!error.pointer.empty()) {
      model.locator.index();
      return model.error(error.pointer, error.message);
    }
    auto [line, column] = model.locator.lineColumnOfOffset(error.offset);
    return emitError(
               FileLineColLoc::get(model.context, model.path, line, column))
           << "malformed JSON: " << error.message;
  }
  model.locator.index();
  if (!checkKeys(model, root, "",
                 {"format", "version", "name", "description", "weights",
                  "inputs", "outputs", "tensors", "nodes", "ignore_weights"},
                 {"format", "version", "inputs", "outputs", "nodes"}))
    return failure();
  if (root["format"] != "dyconv-model")
    return model.error("/format", "expected \"dyconv-model\"");
  if (root["version"] != 1)
    return model.error("/version", "unsupported version " +
                                       root["version"].dump() +
                                       " (expected 1)");
  if (root.contains("name") && !root["name"].is_string())
    return model.error("/name", "expected a string");
  if (!isStringArray(root["outputs"]) || root["outputs"].empty())
    return model.error("/outputs", "expected a non-empty list of value names");
  if (root.contains("ignore_weights") && !isStringArray(root["ignore_weights"]))
    return model.error("/ignore_weights", "expected a list of names");
  if (!root["nodes"].is_array())
    return model.error("/nodes", "expected a list of nodes");
  return success();
}

LogicalResult Importer::loadWeights() {
  if (root.contains("weights")) {
    if (!root["weights"].is_string())
      return model.error("/weights", "expected a file name");
    SmallString<256> path(root["weights"].get<std::string>());
    if (!llvm::sys::path::is_absolute(path)) {
      path = llvm::sys::path::parent_path(model.path);
      llvm::sys::path::append(path, root["weights"].get<std::string>());
    }
    llvm::Expected<SafeTensorsFile> file = SafeTensorsFile::open(path);
    if (!file)
      return model.error("/weights", llvm::toString(file.takeError()));
    model.weights.setFile(std::move(*file));
  }
  if (!root.contains("tensors"))
    return success();
  if (!root["tensors"].is_object())
    return model.error("/tensors", "expected an object of named tensors");
  for (auto it = root["tensors"].begin(); it != root["tensors"].end(); ++it) {
    std::string pointer = "/tensors/" + it.key();
    if (!checkKeys(model, it.value(), pointer, {"shape", "data"},
                   {"shape", "data"}))
      return failure();
    SmallVector<int64_t> shape;
    uint64_t elements = 1;
    for (const Json &d : it.value()["shape"]) {
      if (!d.is_number_unsigned() || d.get<uint64_t>() > kMaxModelInteger)
        return model.error(pointer + "/shape",
                           "expected integers in [0, " +
                               std::to_string(kMaxModelInteger) + "]");
      shape.push_back(d.get<int64_t>());
      if (__builtin_mul_overflow(elements, d.get<uint64_t>(), &elements))
        return model.error(pointer + "/shape", "the shape is too large");
    }
    if (!it.value()["data"].is_array())
      return model.error(pointer + "/data", "expected a list of numbers");
    std::vector<float> data;
    for (const Json &v : it.value()["data"]) {
      if (!v.is_number())
        return model.error(pointer + "/data", "expected numbers");
      data.push_back(v.get<float>());
    }
    if (data.size() != elements)
      return model.error(pointer, "has " + std::to_string(data.size()) +
                                      " values but shape " +
                                      shape::format(shape) + " needs " +
                                      std::to_string(elements));
    if (model.weights.contains(it.key()))
      return model.error(pointer, "tensor '" + it.key() +
                                      "' is also in the weights file");
    model.weights.addInline(it.key(), std::move(shape), std::move(data));
  }
  return success();
}

FailureOr<SmallVector<Type>> Importer::inputTypes() {
  const Json &inputs = root["inputs"];
  if (!inputs.is_array() || inputs.empty())
    return model.error("/inputs", "expected a non-empty list of inputs");
  SmallVector<Type> types;
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::string pointer = "/inputs/" + std::to_string(i);
    if (!checkKeys(model, inputs[i], pointer, {"name", "shape"},
                   {"name", "shape"}))
      return failure();
    if (!inputs[i]["name"].is_string())
      return model.error(pointer + "/name", "expected a string");
    SmallVector<int64_t> shape;
    if (!inputs[i]["shape"].is_array())
      return model.error(pointer + "/shape", "expected a list of dimensions");
    int64_t elements = 1;
    for (const Json &d : inputs[i]["shape"]) {
      if (!d.is_number_integer() || d.get<int64_t>() < -1 || d == 0 ||
          (d.is_number_unsigned() && d.get<uint64_t>() > kMaxModelInteger))
        return model.error(pointer + "/shape",
                           "dimensions must be in [1, " +
                               std::to_string(kMaxModelInteger) +
                               "] or -1 (dynamic), got " + d.dump());
      shape.push_back(d == -1 ? ShapedType::kDynamic : d.get<int64_t>());
      // Per sample: the dynamic (batch) dimension counts as 1.
      if (d != -1 &&
          (__builtin_mul_overflow(elements, d.get<int64_t>(), &elements) ||
           elements > kMaxModelInteger))
        return model.error(pointer + "/shape",
                           "more than " + std::to_string(kMaxModelInteger) +
                               " elements per sample");
    }
    types.push_back(
        RankedTensorType::get(shape, Float32Type::get(model.context)));
  }
  return types;
}

FailureOr<std::vector<size_t>> Importer::topologicalOrder() {
  const Json &nodes = root["nodes"];
  llvm::StringMap<size_t> producer; // value -> node index
  llvm::StringSet<> graphInputs;
  for (const Json &input : root["inputs"])
    graphInputs.insert(input["name"].get<std::string>());

  for (size_t i = 0; i < nodes.size(); ++i) {
    std::string pointer = "/nodes/" + std::to_string(i);
    const Json &node = nodes[i];
    if (!checkKeys(model, node, pointer,
                   {"op", "name", "inputs", "outputs", "prefix", "attributes"},
                   {"op", "inputs", "outputs"}))
      return failure();
    if (!node["op"].is_string())
      return model.error(pointer + "/op", "expected a string");
    std::string op = node["op"].get<std::string>();
    if (!builders.count(op))
      return model.error(pointer + "/op", "unknown op '" + op + "'");
    if (node.contains("prefix") && !node["prefix"].is_string())
      return model.error(pointer + "/prefix", "expected a string");
    if (node.contains("attributes") && !node["attributes"].is_object())
      return model.error(pointer + "/attributes", "expected an object");
    if (!isStringArray(node["inputs"]))
      return model.error(pointer + "/inputs", "expected a list of value names");
    if (!isStringArray(node["outputs"]) || node["outputs"].size() != 1)
      return model.error(pointer + "/outputs",
                         "expected exactly one output value name");
    std::string output = node["outputs"][0].get<std::string>();
    if (graphInputs.contains(output) || producer.count(output))
      return model.error(pointer + "/outputs/0",
                         "value '" + output + "' is defined twice");
    producer[output] = i;
  }

  // Kahn's algorithm over the node -> node edges.
  NodeEdges edges(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    const Json &inputs = nodes[i]["inputs"];
    for (size_t j = 0; j < inputs.size(); ++j) {
      std::string name = inputs[j].get<std::string>();
      if (graphInputs.contains(name))
        continue;
      auto it = producer.find(name);
      if (it == producer.end())
        return model.error("/nodes/" + std::to_string(i) + "/inputs/" +
                               std::to_string(j),
                           "undefined value '" + name + "'");
      edges.add(it->second, i);
    }
  }
  NodeOrder sorted = sortNodes(std::move(edges));
  if (sorted.cyclic)
    return model.error(
        "/nodes/" + std::to_string(*sorted.cyclic),
        "the graph has a cycle through this node ('" +
            nodes[*sorted.cyclic]["outputs"][0].get<std::string>() + "')");
  return sorted.order;
}

LogicalResult Importer::buildNodes(OpBuilder &builder, ArrayRef<size_t> order) {
  for (size_t index : order) {
    const Json &node = root["nodes"][index];
    std::string pointer = "/nodes/" + std::to_string(index);
    SmallVector<Value> inputs;
    for (const Json &name : node["inputs"])
      inputs.push_back(model.values.lookup(name.get<std::string>()));
    JsonNode nodeBuilder(model, builder, node, pointer, std::move(inputs));
    FailureOr<Value> output =
        builders[node["op"].get<std::string>()](nodeBuilder);
    if (failed(output) || failed(nodeBuilder.checkNoUnknownAttributes()))
      return failure();
    model.values[node["outputs"][0].get<std::string>()] = *output;
  }
  return success();
}

OwningOpRef<ModuleOp> Importer::run() {
  if (failed(parse()) || failed(loadWeights()))
    return nullptr;
  FailureOr<SmallVector<Type>> argumentTypes = inputTypes();
  if (failed(argumentTypes))
    return nullptr;
  FailureOr<std::vector<size_t>> order = topologicalOrder();
  if (failed(order))
    return nullptr;

  OpBuilder builder(model.context);
  Location fileLoc = model.loc("");
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  builder.setInsertionPointToEnd(module->getBody());
  std::string name =
      root.contains("name") ? root["name"].get<std::string>() : "main";
  auto func = func::FuncOp::create(builder, fileLoc, name,
                                   builder.getFunctionType(*argumentTypes, {}));
  Block *entry = func.addEntryBlock();
  model.weights.entry = entry;
  for (auto [i, input] : llvm::enumerate(root["inputs"]))
    model.values[input["name"].get<std::string>()] = entry->getArgument(i);
  builder.setInsertionPointToEnd(entry);
  if (failed(buildNodes(builder, *order)))
    return nullptr;

  SmallVector<Value> results;
  for (auto [i, output] : llvm::enumerate(root["outputs"])) {
    Value value = model.values.lookup(output.get<std::string>());
    if (!value) {
      (void)model.error("/outputs/" + std::to_string(i),
                        "undefined value '" + output.get<std::string>() + "'");
      return nullptr;
    }
    results.push_back(value);
  }
  func::ReturnOp::create(builder, fileLoc, results);
  func.setType(
      builder.getFunctionType(*argumentTypes, ValueRange(results).getTypes()));
  // The model's value names travel with the graph (e.g. into the compiled
  // artifact's input and output names).
  for (auto [i, input] : llvm::enumerate(root["inputs"]))
    func.setArgAttr(i, kValueNameAttr,
                    builder.getStringAttr(input["name"].get<std::string>()));
  for (auto [i, output] : llvm::enumerate(root["outputs"]))
    func.setResultAttr(i, kValueNameAttr,
                       builder.getStringAttr(output.get<std::string>()));

  std::vector<std::string> ignored;
  if (root.contains("ignore_weights"))
    ignored = root["ignore_weights"].get<std::vector<std::string>>();
  std::vector<std::string> unused = model.weights.unused(ignored);
  if (!unused.empty()) {
    (void)model.error(
        root.contains("weights") ? "/weights" : "/tensors",
        "weight '" + unused.front() + "' is not used by any node" +
            (unused.size() > 1
                 ? " (and " + std::to_string(unused.size() - 1) + " more)"
                 : ""));
    return nullptr;
  }
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

} // namespace

OwningOpRef<ModuleOp> mlir::dyconv::importJsonModel(llvm::SourceMgr &sourceMgr,
                                                    MLIRContext *context) {
  return Importer(sourceMgr, context).run();
}
