//===- OnnxGraph.h - state shared by the ONNX node builders -----*- C++ -*-===//
//
// The importer walks the ONNX graph in topological order. Every value is
// either a tensor known at import time (initializers, `Constant` nodes and
// everything computed from them alone, e.g. shape arithmetic) or an SSA value
// of the function being built. Known tensors become `arith.constant`s only
// when an op takes them as an operand.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_FRONTEND_ONNX_ONNXGRAPH_H
#define DYCONV_FRONTEND_ONNX_ONNXGRAPH_H

#include "dyconv/Frontend/NodeContext.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <vector>

namespace onnx {
class AttributeProto;
class ModelProto;
class NodeProto;
class TensorProto;
} // namespace onnx

namespace mlir::dyconv::onnximport {

/// The default-domain opsets the importer implements.
constexpr int64_t kMinOpset = 11, kMaxOpset = 18;
/// The custom domain of the dyconv layers (version 1).
constexpr const char *kDyConvDomain = "dyconv";

//===----------------------------------------------------------------------===//
// Tensors known at import time
//===----------------------------------------------------------------------===//

/// A float32 or integer tensor (every ONNX integer type is held as int64).
struct ConstTensor {
  enum class Kind { Float, Int };

  static ConstTensor floats(SmallVector<int64_t> shape,
                            std::vector<float> values);
  static ConstTensor ints(SmallVector<int64_t> shape,
                          std::vector<int64_t> values);

  bool isInt() const { return kind == Kind::Int; }
  int64_t numElements() const;
  /// A tensor of the same kind with element `i` taken from element
  /// `indices[i]` of this one (the shared core of the data movement ops).
  ConstTensor select(SmallVector<int64_t> newShape,
                     ArrayRef<int64_t> indices) const;
  /// The same values under another shape (same element count).
  ConstTensor reshaped(SmallVector<int64_t> newShape) const;

  Kind kind = Kind::Float;
  SmallVector<int64_t> shape;
  std::vector<float> floatValues;
  std::vector<int64_t> intValues;
};

/// The name of an ONNX element type (`DOUBLE`), or its number if unknown.
std::string dataTypeName(int32_t type);
/// Reads an initializer or a `Constant`'s tensor. External data is resolved
/// relative to `directory` and must stay inside it.
llvm::Expected<ConstTensor> readTensor(const onnx::TensorProto &tensor,
                                       StringRef directory);

/// Parses a serialized ModelProto; an error explains a malformed file.
llvm::Error parseModel(StringRef bytes, onnx::ModelProto &model);
/// The default-domain opset of `model` (0 when it imports none) after
/// checking every imported domain.
llvm::Expected<int64_t> checkOpsets(const onnx::ModelProto &model);

//===----------------------------------------------------------------------===//
// The graph being imported
//===----------------------------------------------------------------------===//

/// `node INDEX 'NAME' (OpType)`, how diagnostics name a node.
std::string describeNode(const onnx::NodeProto &node, size_t index);

/// A value of the graph: a known tensor or an SSA value.
struct OnnxValue {
  OnnxValue() = default;
  OnnxValue(Value value) : value(value) {}
  OnnxValue(ConstTensor tensor)
      : constant(std::make_shared<const ConstTensor>(std::move(tensor))) {}

  bool isConstant() const { return constant != nullptr; }
  /// The shape (dynamic dimensions as ShapedType::kDynamic).
  ArrayRef<int64_t> shape() const;

  Value value;
  std::shared_ptr<const ConstTensor> constant;
};

/// The model being imported: diagnostics, the value table and the constants.
class OnnxGraph {
public:
  OnnxGraph(MLIRContext *context, StringRef path);

  /// The location of the file, and of node `index` (named after the node).
  Location fileLoc() const;
  Location nodeLoc(const onnx::NodeProto &node, size_t index) const;
  /// Emits `message` at the file; returns failure().
  LogicalResult error(const Twine &message) const;

  /// The constant holding `tensor`, inserted after the constants made so far
  /// at the start of the function; the blob is named `name`. A tensor of a
  /// graph value (`cacheKey` non-empty) becomes one constant however many ops
  /// use it.
  FailureOr<Value> materialize(OpBuilder &builder, Location loc, StringRef name,
                               const ConstTensor &tensor,
                               StringRef cacheKey = "");

  MLIRContext *context;
  std::string path;
  std::string directory;
  int64_t opset = 0;
  Block *entry = nullptr;
  llvm::StringMap<OnnxValue> values;

private:
  Operation *lastConstant = nullptr;
  llvm::StringMap<Value> constants;
};

//===----------------------------------------------------------------------===//
// One node
//===----------------------------------------------------------------------===//

/// An ONNX node being built: its attributes, its inputs as OnnxValues and,
/// for custom-domain nodes, the parameters named by its `parameters` list.
class OnnxNode : public NodeContext {
public:
  OnnxNode(OnnxGraph &graph, OpBuilder &builder, const onnx::NodeProto &proto,
           size_t index, SmallVector<OnnxValue> args);

  OnnxGraph &graph;
  const onnx::NodeProto &proto;
  size_t index;
  /// Every input in order; an omitted optional input is an empty OnnxValue.
  SmallVector<OnnxValue> args;

  int64_t opset() const { return graph.opset; }
  bool hasArg(size_t i) const {
    return i < args.size() && (args[i].value || args[i].isConstant());
  }
  /// Fails unless the node has between `min` and `max` inputs, the first
  /// `min` of them present.
  LogicalResult expectArgs(size_t min, size_t max);
  /// The SSA value of input `i`; a known float tensor becomes a constant.
  FailureOr<Value> value(size_t i);
  /// Input `i` as a known tensor; fails when it is computed at run time.
  FailureOr<const ConstTensor *> constant(size_t i, StringRef what);
  /// Input `i` as a known integer list (a shape, axes, ...).
  FailureOr<SmallVector<int64_t>> constantInts(size_t i, StringRef what);
  /// Input `i` as a known float scalar.
  FailureOr<float> constantScalar(size_t i, StringRef what);
  /// A float32 constant for a tensor computed by the builder (a transposed
  /// weight, a folded scale), its blob named `name`.
  FailureOr<Value> materialize(const ConstTensor &tensor, StringRef name);

  /// A `tensor` attribute, decoded.
  FailureOr<ConstTensor> getTensor(StringRef name);
  /// A `floats` attribute.
  FailureOr<SmallVector<float>> getFloats(StringRef name);
  /// Whether the attribute is present (marks it as read).
  bool hasAttribute(StringRef name);
  /// Accepts an attribute that has no effect at inference.
  void ignoreAttribute(StringRef name) { readAttributes.insert(name); }
  /// For a custom-domain node: splits the inputs into the data inputs and
  /// the parameters named by the `parameters` attribute.
  LogicalResult bindParameters();

  LogicalResult fail(const Twine &message) const override;
  LogicalResult failAtAttribute(StringRef name,
                                const Twine &message) const override;
  LogicalResult failAtInputs(const Twine &message) const override;
  LogicalResult failAtInput(size_t index, const Twine &message) const override;
  LogicalResult failAtWarehouse(const Twine &message) const override;
  std::string describe() const override;
  std::string opName() const override;

  FailureOr<int64_t> getInt(StringRef name,
                            std::optional<int64_t> fallback) override;
  FailureOr<double> getFloat(StringRef name,
                             std::optional<double> fallback) override;
  FailureOr<std::string> getString(StringRef name,
                                   std::optional<std::string> fallback,
                                   ArrayRef<StringRef> allowed) override;
  FailureOr<SmallVector<int64_t>>
  getInts(StringRef name, std::optional<SmallVector<int64_t>> fallback,
          ArrayRef<size_t> allowedSizes) override;
  FailureOr<bool> getBool(StringRef name, bool fallback) override;
  LogicalResult checkNoUnknownAttributes() override;

  /// Parameters keep their JSON names in the `parameters` list.
  std::string paramName(StringRef suffix) const override;
  std::optional<SmallVector<int64_t>>
  paramShape(StringRef suffix) const override;
  FailureOr<Value> weight(StringRef suffix,
                          std::optional<ArrayRef<int64_t>> as) override;
  /// The parameter `warehouse`.
  FailureOr<NamedWeight> warehouse() override;

private:
  const onnx::AttributeProto *attribute(StringRef name);
  /// Fails unless attribute `name` has ONNX attribute type `type`.
  LogicalResult expectType(const onnx::AttributeProto &attribute, int type,
                           StringRef expected) const;
  /// The input index of parameter `suffix`, or nullopt.
  std::optional<size_t> paramIndex(StringRef suffix) const;
  std::string inputLabel(size_t i) const;

  llvm::StringSet<> readAttributes;
  llvm::StringMap<size_t> parameters; // name -> input index
  mutable bool reported = false;
};

/// The result of a builder that made one op.
inline FailureOr<OnnxValue> asOnnxValue(FailureOr<Value> value) {
  if (failed(value))
    return failure();
  return OnnxValue(*value);
}

/// Builds the ops of one default-domain node; the result may be a known
/// tensor (`Shape`) or a forwarded input (`Identity`).
using OnnxBuilderFn = std::function<FailureOr<OnnxValue>(OnnxNode &)>;
/// Evaluates a node whose inputs are all known tensors.
using FoldFn = std::function<FailureOr<ConstTensor>(OnnxNode &)>;

/// The builders by op type: convolutions, normalisation and pooling; math
/// (elementwise, reductions, Softmax, Gemm, MatMul); data movement.
void registerConvNodes(llvm::StringMap<OnnxBuilderFn> &table);
void registerMathNodes(llvm::StringMap<OnnxBuilderFn> &table);
void registerDataNodes(llvm::StringMap<OnnxBuilderFn> &table);
/// The evaluators of nodes on known tensors, by op type.
void registerFolders(llvm::StringMap<FoldFn> &table);
// The parameters of the data movement ops, read the same way by their
// builders and the constant folder.

/// The Reshape target (input 1); `allowzero` with a 0 entry is unsupported.
FailureOr<SmallVector<int64_t>> readReshapeTarget(OnnxNode &node);
/// The Transpose `perm` (reversed dimensions by default).
FailureOr<SmallVector<int64_t>> readPermutation(OnnxNode &node, int64_t rank);
/// The Slice inputs; `axes` default to [0, n), `steps` to 1.
struct SliceParameters {
  SmallVector<int64_t> starts, ends, axes, steps;
};
FailureOr<SliceParameters> readSlice(OnnxNode &node);

/// The axes of a Reduce* node: its second input from opset `axesInputSince`
/// on, its `axes` attribute before; empty when it has none.
FailureOr<SmallVector<int64_t>> readReduceAxes(OnnxNode &node,
                                               int64_t axesInputSince);
/// The axes of Squeeze/Unsqueeze (an attribute before opset 13, an optional
/// input from 13 on); nullopt when absent.
FailureOr<std::optional<SmallVector<int64_t>>> squeezeAxes(OnnxNode &node);
/// The shape after a Squeeze (of every size-1 dimension when `axes` is
/// absent) and after an Unsqueeze.
FailureOr<SmallVector<int64_t>>
squeezedShape(OnnxNode &node, ArrayRef<int64_t> input,
              const std::optional<SmallVector<int64_t>> &axes);
FailureOr<SmallVector<int64_t>> unsqueezedShape(OnnxNode &node,
                                                ArrayRef<int64_t> input,
                                                ArrayRef<int64_t> axes);

/// Fails, naming the node's `what`, when the normalized `axes` of a
/// rank-`rank` computed value include dimension 0: every kernel keeps the
/// batch as the leading dimension, so no op may move, reduce, slice or join
/// along it. The check is at import so that what imports also compiles.
LogicalResult rejectBatchAxis(OnnxNode &node, ArrayRef<int64_t> axes,
                              int64_t rank, StringRef what);

/// Builds a `dyconv`-domain node (ODConv, KWConv, DDF, DDFPack).
FailureOr<OnnxValue> buildCustomNode(OnnxNode &node);

} // namespace mlir::dyconv::onnximport

#endif // DYCONV_FRONTEND_ONNX_ONNXGRAPH_H
