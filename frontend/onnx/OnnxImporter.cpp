//===- OnnxImporter.cpp - ONNX model import -------------------------------===//
//
// The importer is a table from (domain, op type) to a node builder, the
// opset selecting behaviour inside a builder (onnx-mlir style). This file
// reads the graph's inputs and initializers, sorts the nodes topologically
// and drives the builders.
//
//===----------------------------------------------------------------------===//

#include "dyconv/Frontend/OnnxImporter.h"
#include "dyconv/Frontend/NodeOrder.h"

#include "OnnxGraph.h"

#include "dyconv/Dialect/DyConvDialect.h"

#include "onnx/onnx_pb.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Verifier.h"

using namespace mlir;
using namespace mlir::dyconv;
using namespace mlir::dyconv::onnximport;

namespace {

bool isDefaultDomain(const std::string &domain) {
  return domain.empty() || domain == "ai.onnx";
}

/// A symbol name from the graph name: letters, digits and '_' only.
std::string functionName(const std::string &graphName) {
  std::string name;
  for (char c : graphName)
    name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (name.empty())
    return "main";
  if (std::isdigit(static_cast<unsigned char>(name.front())))
    name = "graph_" + name;
  return name;
}

class Importer {
public:
  Importer(llvm::SourceMgr &sourceMgr, MLIRContext *context)
      : bytes(
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID())->getBuffer()),
        graph(context, sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID())
                           ->getBufferIdentifier()) {
    registerConvNodes(builders);
    registerMathNodes(builders);
    registerDataNodes(builders);
    registerFolders(folders);
  }

  OwningOpRef<ModuleOp> run();

private:
  LogicalResult readInitializers();
  FailureOr<SmallVector<Type>> inputTypes();
  LogicalResult checkNode(const onnx::NodeProto &node, size_t index);
  FailureOr<std::vector<size_t>> topologicalOrder();
  LogicalResult buildNodes(OpBuilder &builder, ArrayRef<size_t> order);
  FailureOr<OnnxValue> buildNode(OnnxNode &node);
  LogicalResult nodeError(size_t index, const Twine &message);

  StringRef bytes;
  OnnxGraph graph;
  onnx::ModelProto model;
  llvm::StringMap<OnnxBuilderFn> builders;
  llvm::StringMap<FoldFn> folders;
  /// Graph inputs that are not initializers, in order, and their names.
  std::vector<const onnx::ValueInfoProto *> inputs;
  llvm::StringSet<> inputNames;
  /// Every value some node or the graph output reads.
  llvm::StringSet<> used;
};

LogicalResult Importer::nodeError(size_t index, const Twine &message) {
  const onnx::NodeProto &node = model.graph().node(index);
  return emitError(graph.nodeLoc(node, index))
         << describeNode(node, index) << ": " << message;
}

LogicalResult Importer::readInitializers() {
  for (const onnx::TensorProto &tensor : model.graph().initializer()) {
    llvm::Expected<ConstTensor> value = readTensor(tensor, graph.directory);
    if (!value)
      return graph.error("initializer " + llvm::toString(value.takeError()));
    if (!graph.values.try_emplace(tensor.name(), std::move(*value)).second)
      return graph.error("initializer '" + tensor.name() +
                         "' is defined twice");
  }
  return success();
}

FailureOr<SmallVector<Type>> Importer::inputTypes() {
  SmallVector<Type> types;
  for (const onnx::ValueInfoProto &input : model.graph().input()) {
    // Before IR version 4 initializers are listed as inputs too.
    if (graph.values.count(input.name()))
      continue;
    std::string what = "graph input '" + input.name() + "'";
    if (!input.type().has_tensor_type())
      return graph.error(what + " is not a tensor");
    const onnx::TypeProto::Tensor &tensor = input.type().tensor_type();
    if (tensor.elem_type() != onnx::TensorProto::FLOAT)
      return graph.error(what + " has element type " +
                         dataTypeName(tensor.elem_type()) +
                         "; only float32 inputs are supported");
    if (!tensor.has_shape())
      return graph.error(what + " has no shape (its rank must be known)");
    SmallVector<int64_t> shape;
    for (const onnx::TensorShapeProto::Dimension &dim : tensor.shape().dim()) {
      if (dim.has_dim_value() && dim.dim_value() <= 0)
        return graph.error(what + " has a dimension of size " +
                           std::to_string(dim.dim_value()));
      shape.push_back(dim.has_dim_value() ? dim.dim_value()
                                          : ShapedType::kDynamic);
    }
    types.push_back(
        RankedTensorType::get(shape, Float32Type::get(graph.context)));
    inputs.push_back(&input);
    inputNames.insert(input.name());
  }
  if (types.empty())
    return graph.error("the graph has no inputs besides its initializers");
  return types;
}

LogicalResult Importer::checkNode(const onnx::NodeProto &node, size_t index) {
  if (node.output_size() == 0 || node.output(0).empty())
    return nodeError(index, "has no output");
  if (node.domain() == kDyConvDomain)
    return success(); // unknown custom ops are reported by their builder
  if (!isDefaultDomain(node.domain()))
    return nodeError(index, "unsupported domain '" + node.domain() + "'");
  if (!graph.opset)
    return nodeError(index, "the model imports no default-domain opset");
  if (!builders.count(node.op_type()) && !folders.count(node.op_type()))
    return nodeError(index, "unsupported op '" + node.op_type() + "'");
  return success();
}

FailureOr<std::vector<size_t>> Importer::topologicalOrder() {
  const auto &nodes = model.graph().node();
  size_t count = nodes.size();
  llvm::StringMap<size_t> producer; // value -> node index
  for (size_t i = 0; i < count; ++i) {
    if (failed(checkNode(nodes[i], i)))
      return failure();
    for (const std::string &output : nodes[i].output()) {
      if (output.empty())
        continue;
      if (graph.values.count(output) || producer.count(output) ||
          inputNames.contains(output))
        return nodeError(i, "value '" + output + "' is defined twice");
      producer[output] = i;
    }
  }

  // Kahn's algorithm over the node -> node edges; a sorted graph keeps its
  // order.
  NodeEdges edges(count);
  for (size_t i = 0; i < count; ++i) {
    for (auto [j, name] : llvm::enumerate(nodes[i].input())) {
      if (name.empty())
        continue;
      used.insert(name);
      auto it = producer.find(name);
      if (it != producer.end()) {
        edges.add(it->second, i);
      } else if (!graph.values.count(name) && !inputNames.contains(name)) {
        return nodeError(i, "input " + std::to_string(j) + " '" + name +
                                "' is not defined by any node, graph input "
                                "or initializer");
      }
    }
  }
  NodeOrder sorted = sortNodes(std::move(edges));
  if (sorted.cyclic)
    return nodeError(*sorted.cyclic, "the graph has a cycle through this node");
  return sorted.order;
}

FailureOr<OnnxValue> Importer::buildNode(OnnxNode &node) {
  if (node.proto.domain() == kDyConvDomain)
    return buildCustomNode(node);
  std::string op = node.opName();
  bool known = llvm::all_of(node.args, [](const OnnxValue &arg) {
    return arg.isConstant() || !arg.value;
  });
  FailureOr<OnnxValue> output = failure();
  if (known && folders.count(op)) {
    FailureOr<ConstTensor> tensor = folders[op](node);
    if (failed(tensor))
      return failure();
    output = OnnxValue(std::move(*tensor));
  } else if (builders.count(op)) {
    output = builders[op](node);
  } else {
    return node.fail("is only supported on constant inputs");
  }
  if (failed(output) || failed(node.checkNoUnknownAttributes()))
    return failure();
  return output;
}

LogicalResult Importer::buildNodes(OpBuilder &builder, ArrayRef<size_t> order) {
  for (size_t index : order) {
    const onnx::NodeProto &proto = model.graph().node(index);
    SmallVector<OnnxValue> args;
    for (const std::string &name : proto.input())
      args.push_back(name.empty() ? OnnxValue() : graph.values.lookup(name));
    OnnxNode node(graph, builder, proto, index, std::move(args));
    for (int i = 1; i < proto.output_size(); ++i)
      if (used.contains(proto.output(i)))
        return node.fail("output " + std::to_string(i) + " '" +
                         proto.output(i) + "' is not supported");
    FailureOr<OnnxValue> output = buildNode(node);
    if (failed(output))
      return failure();
    graph.values[proto.output(0)] = std::move(*output);
  }
  return success();
}

OwningOpRef<ModuleOp> Importer::run() {
  if (llvm::Error e = parseModel(bytes, model)) {
    (void)graph.error(llvm::toString(std::move(e)));
    return nullptr;
  }
  llvm::Expected<int64_t> opset = checkOpsets(model);
  if (!opset) {
    (void)graph.error(llvm::toString(opset.takeError()));
    return nullptr;
  }
  graph.opset = *opset;
  if (failed(readInitializers()))
    return nullptr;
  FailureOr<SmallVector<Type>> argumentTypes = inputTypes();
  if (failed(argumentTypes))
    return nullptr;
  for (const onnx::ValueInfoProto &output : model.graph().output())
    used.insert(output.name());
  FailureOr<std::vector<size_t>> order = topologicalOrder();
  if (failed(order))
    return nullptr;

  OpBuilder builder(graph.context);
  Location fileLoc = graph.fileLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  builder.setInsertionPointToEnd(module->getBody());
  auto func =
      func::FuncOp::create(builder, fileLoc, functionName(model.graph().name()),
                           builder.getFunctionType(*argumentTypes, {}));
  Block *entry = func.addEntryBlock();
  graph.entry = entry;
  for (auto [i, input] : llvm::enumerate(inputs))
    graph.values[input->name()] = OnnxValue(entry->getArgument(i));
  builder.setInsertionPointToEnd(entry);
  if (failed(buildNodes(builder, *order)))
    return nullptr;

  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &output : model.graph().output()) {
    auto it = graph.values.find(output.name());
    if (it == graph.values.end()) {
      (void)graph.error("graph output '" + output.name() +
                        "' is not defined by any node, graph input or "
                        "initializer");
      return nullptr;
    }
    Value value = it->second.value;
    if (!value) {
      FailureOr<Value> constant = graph.materialize(
          builder, fileLoc, output.name(), *it->second.constant, output.name());
      if (failed(constant))
        return nullptr;
      value = *constant;
    }
    results.push_back(value);
  }
  if (results.empty()) {
    (void)graph.error("the graph has no outputs");
    return nullptr;
  }
  func::ReturnOp::create(builder, fileLoc, results);
  func.setType(
      builder.getFunctionType(*argumentTypes, ValueRange(results).getTypes()));
  // The model's value names travel with the graph (e.g. into the compiled
  // artifact's input and output names).
  for (auto [i, input] : llvm::enumerate(inputs))
    func.setArgAttr(i, kValueNameAttr, builder.getStringAttr(input->name()));
  for (auto [i, output] : llvm::enumerate(model.graph().output()))
    func.setResultAttr(i, kValueNameAttr, builder.getStringAttr(output.name()));
  // An export at a fixed batch froze it into the graph (folded into Conv
  // groups, reshape targets); the raising pass needs to know it.
  ArrayRef<int64_t> first =
      cast<RankedTensorType>(argumentTypes->front()).getShape();
  if (!first.empty() && !ShapedType::isDynamic(first.front()))
    func->setAttr(kExportBatchAttr, builder.getI64IntegerAttr(first.front()));
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

} // namespace

OwningOpRef<ModuleOp> mlir::dyconv::importOnnxModel(llvm::SourceMgr &sourceMgr,
                                                    MLIRContext *context) {
  return Importer(sourceMgr, context).run();
}
