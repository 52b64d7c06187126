//===- NodeContext.h - one model node being built into ops ------*- C++ -*-===//
//
// The node builders of the dynamic-convolution layers (ODConv, KWConv, DDF,
// DDFPack) are written once against this interface and shared by the model
// formats: the JSON graph reads attributes and parameters from a JSON object
// and a weight store, an ONNX custom-domain node from its attributes and the
// inputs named by its `parameters` list. Each format places its diagnostics.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_FRONTEND_NODECONTEXT_H
#define DYCONV_FRONTEND_NODECONTEXT_H

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"

#include <functional>
#include <optional>
#include <string>

namespace mlir::dyconv {

/// A parameter referred to by name (a KernelWarehouse warehouse) and its
/// constant.
struct NamedWeight {
  std::string name;
  Value value;
};

/// One node being built: typed access to its attributes, data inputs and
/// parameters with diagnostics placed by the model format.
class NodeContext {
public:
  NodeContext(OpBuilder &builder, Location loc, SmallVector<Value> inputs)
      : builder(builder), loc(loc), inputs(std::move(inputs)) {}
  virtual ~NodeContext() = default;

  OpBuilder &builder;
  Location loc;
  /// The data inputs (parameters are not listed: they are found by name).
  SmallVector<Value> inputs;

  //===--------------------------------------------------------------------===//
  // Diagnostics
  //===--------------------------------------------------------------------===//

  /// Reports `message` at the node; returns failure().
  virtual LogicalResult fail(const Twine &message) const = 0;
  /// Reports at attribute `name` (at the attributes as a whole when empty).
  virtual LogicalResult failAtAttribute(StringRef name,
                                        const Twine &message) const = 0;
  /// Reports at the list of data inputs, or at data input `index`.
  virtual LogicalResult failAtInputs(const Twine &message) const = 0;
  virtual LogicalResult failAtInput(size_t index,
                                    const Twine &message) const = 0;
  /// Reports at the KernelWarehouse warehouse reference.
  virtual LogicalResult failAtWarehouse(const Twine &message) const = 0;
  /// The node as named in notes ("the node at /nodes/3").
  virtual std::string describe() const = 0;
  /// The op name of the node in its format ("conv2d", "ODConv").
  virtual std::string opName() const = 0;

  //===--------------------------------------------------------------------===//
  // Attributes: `fallback` is used when the attribute is absent. Every read
  // is recorded so that unknown attributes are reported.
  //===--------------------------------------------------------------------===//

  virtual FailureOr<int64_t> getInt(StringRef name,
                                    std::optional<int64_t> fallback) = 0;
  virtual FailureOr<double> getFloat(StringRef name,
                                     std::optional<double> fallback) = 0;
  /// A string attribute; `allowed` lists the accepted values (any if empty).
  virtual FailureOr<std::string> getString(StringRef name,
                                           std::optional<std::string> fallback,
                                           ArrayRef<StringRef> allowed) = 0;
  /// An integer list whose length is one of `allowedSizes` (any if empty);
  /// a single integer stands for the same value on every axis.
  virtual FailureOr<SmallVector<int64_t>>
  getInts(StringRef name, std::optional<SmallVector<int64_t>> fallback,
          ArrayRef<size_t> allowedSizes) = 0;
  virtual FailureOr<bool> getBool(StringRef name, bool fallback) = 0;
  /// Fails naming the first attribute never read.
  virtual LogicalResult checkNoUnknownAttributes() = 0;

  //===--------------------------------------------------------------------===//
  // Parameters, by their name relative to the layer (`attention.fc.weight`)
  //===--------------------------------------------------------------------===//

  /// The name of parameter `suffix` in the model, for messages.
  virtual std::string paramName(StringRef suffix) const = 0;
  /// The shape of parameter `suffix`, or nullopt when the node has none.
  virtual std::optional<SmallVector<int64_t>>
  paramShape(StringRef suffix) const = 0;
  /// The constant holding parameter `suffix`, reshaped to `as` (same element
  /// count) when given; fails with a diagnostic when it is missing.
  virtual FailureOr<Value>
  weight(StringRef suffix,
         std::optional<ArrayRef<int64_t>> as = std::nullopt) = 0;
  /// The shared warehouse of a KernelWarehouse layer.
  virtual FailureOr<NamedWeight> warehouse() = 0;

  //===--------------------------------------------------------------------===//
  // Shared helpers
  //===--------------------------------------------------------------------===//

  /// Fails unless the node has exactly `count` data inputs.
  LogicalResult expectInputs(size_t count);
  /// `text`, the value of string attribute `name`, when it is one of
  /// `allowed` (or `allowed` is empty); a diagnostic listing them otherwise.
  FailureOr<std::string> checkAllowed(StringRef name, std::string text,
                                      ArrayRef<StringRef> allowed) const;
  /// Fails on a dynamic or non-ranked input dimension the builder needs.
  FailureOr<int64_t> staticDim(size_t input, unsigned dim, StringRef what);
  /// `padding` as [top, left, bottom, right]; [ph, pw] is symmetric.
  FailureOr<SmallVector<int64_t>> getPadding();
  /// `stride`, `padding`, `dilation` and `groups` of a convolution, with
  /// the PyTorch defaults.
  FailureOr<SmallVector<NamedAttribute>> getConvAttributes();

  bool hasParam(StringRef suffix) const {
    return paramShape(suffix).has_value();
  }
  /// The parameter if present, a null Value if absent.
  FailureOr<Value> optionalWeight(StringRef suffix);
  /// A 1x1 attention conv weight `[O, I, 1, 1]` (or `[O, I]`) as `[O, I]`.
  FailureOr<Value> matrixWeight(StringRef suffix);
  FailureOr<Value> optionalMatrixWeight(StringRef suffix);

  /// Creates an op whose result type the op infers; on a shape error the
  /// op's own diagnostic is reported, with a note naming this node, and
  /// nothing is left behind.
  FailureOr<Value> create(StringRef opName, ValueRange operands,
                          ArrayRef<NamedAttribute> attributes = {});
};

/// Builds the ops of one node type; returns its single output value.
using NodeBuilderFn = std::function<FailureOr<Value>(NodeContext &)>;

/// The builders of the dynamic-convolution layers and their pieces, keyed by
/// node name: ODConv, KWConv, DDF, DDFPack, kw_attention, kw_assemble,
/// dynamic_conv2d, filter_norm.
void registerDynamicConvNodes(llvm::StringMap<NodeBuilderFn> &table);

} // namespace mlir::dyconv

#endif // DYCONV_FRONTEND_NODECONTEXT_H
