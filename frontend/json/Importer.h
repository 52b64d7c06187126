//===- Importer.h - state shared by the JSON node builders ------*- C++ -*-===//

#ifndef DYCONV_FRONTEND_JSON_IMPORTER_H
#define DYCONV_FRONTEND_JSON_IMPORTER_H

#include "JsonLocator.h"

#include "dyconv/Frontend/SafeTensors.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>

namespace mlir::dyconv::json {

using Json = nlohmann::json;

/// Weights by name, from the safetensors file and the inline `tensors`; each
/// becomes one constant the first time a node asks for it (so a shared
/// KernelWarehouse warehouse is one SSA value).
class WeightStore {
public:
  void setFile(SafeTensorsFile file) { this->file = std::move(file); }
  void addInline(StringRef name, SmallVector<int64_t> shape,
                 std::vector<float> values);
  bool contains(StringRef name) const;
  /// The shape of a weight, or nullopt when absent.
  std::optional<SmallVector<int64_t>> shape(StringRef name) const;
  /// The constant holding `name`, created at the start of the function body
  /// on first use. `as` reshapes it (same element count) when given.
  FailureOr<Value> get(OpBuilder &builder, Location loc, StringRef name,
                       std::optional<ArrayRef<int64_t>> as = std::nullopt);
  /// Names never asked for, minus those matching `ignored` (exact names or
  /// prefixes ending in '*').
  std::vector<std::string> unused(ArrayRef<std::string> ignored) const;

  /// Where constants are inserted (the function entry).
  Block *entry = nullptr;

private:
  std::optional<SafeTensorsFile> file;
  llvm::StringMap<std::pair<SmallVector<int64_t>, std::vector<float>>> inlined;
  llvm::StringMap<Value> created; // by name and shape
  llvm::StringSet<> used;
};

/// The model being imported: locations, diagnostics and the value table.
class ModelImporter {
public:
  ModelImporter(MLIRContext *context, StringRef path, StringRef text)
      : context(context), path(path), locator(text) {}

  /// A FileLineColLoc for the JSON value at `pointer`.
  Location loc(StringRef pointer) const;
  /// Emits `at POINTER: MESSAGE` located at the value; returns failure().
  LogicalResult error(StringRef pointer, const Twine &message) const;

  MLIRContext *context;
  std::string path;
  JsonLocator locator;
  WeightStore weights;
  llvm::StringMap<Value> values;
};

/// One node being built: typed access to its attributes and parameters with
/// diagnostics at the right JSON path. Every attribute read is recorded so
/// that unknown ones are reported.
class NodeBuilder {
public:
  NodeBuilder(ModelImporter &model, OpBuilder &builder, const Json &node,
              std::string pointer, SmallVector<Value> inputs);

  ModelImporter &model;
  OpBuilder &builder;
  const Json &node;
  std::string pointer;
  SmallVector<Value> inputs;
  Location loc;

  /// Fails unless the node has exactly `count` inputs.
  LogicalResult expectInputs(size_t count);
  /// Fails on a dynamic or non-ranked input dimension the builder needs.
  FailureOr<int64_t> staticDim(size_t input, unsigned dim, StringRef what);

  // Attributes. `fallback` is used when the attribute is absent.
  FailureOr<int64_t> getInt(StringRef name, std::optional<int64_t> fallback);
  FailureOr<double> getFloat(StringRef name, std::optional<double> fallback);
  FailureOr<std::string> getString(StringRef name,
                                   std::optional<std::string> fallback,
                                   ArrayRef<StringRef> allowed);
  FailureOr<SmallVector<int64_t>>
  getInts(StringRef name, std::optional<SmallVector<int64_t>> fallback,
          ArrayRef<size_t> allowedSizes);
  FailureOr<bool> getBool(StringRef name, bool fallback);
  /// `padding` as [top, left, bottom, right]; [ph, pw] is symmetric.
  FailureOr<SmallVector<int64_t>> getPadding();
  /// `stride`, `padding`, `dilation` and `groups` of a convolution, with
  /// the PyTorch defaults.
  FailureOr<SmallVector<NamedAttribute>> getConvAttributes();
  /// Fails naming the first attribute never read.
  LogicalResult checkNoUnknownAttributes();

  /// The full name of a parameter: `prefix.suffix` (or `suffix`).
  std::string param(StringRef suffix) const;
  bool hasParam(StringRef suffix) const;
  /// The constant holding parameter `suffix`, reshaped to `as` when given;
  /// fails with a diagnostic when it is missing.
  FailureOr<Value> weight(StringRef suffix,
                          std::optional<ArrayRef<int64_t>> as = std::nullopt);
  /// The parameter if present, a null Value if absent.
  FailureOr<Value> optionalWeight(StringRef suffix);
  /// A 1x1 attention conv weight `[O, I, 1, 1]` (or `[O, I]`) as `[O, I]`.
  FailureOr<Value> matrixWeight(StringRef suffix);
  FailureOr<Value> optionalMatrixWeight(StringRef suffix);

  /// Creates an op whose result type the op infers; on a shape error the
  /// op's own diagnostic is reported at this node and nothing is left behind.
  FailureOr<Value> create(StringRef opName, ValueRange operands,
                          ArrayRef<NamedAttribute> attributes = {});

  LogicalResult fail(const Twine &message) const;
  LogicalResult failAt(StringRef subPointer, const Twine &message) const;

private:
  const Json *attribute(StringRef name);
  llvm::StringSet<> readAttributes;
};

/// Builds the ops of one JSON node type; returns its single output value.
using NodeBuilderFn = std::function<FailureOr<Value>(NodeBuilder &)>;

/// The builders of the ordinary ops, keyed by JSON op name.
void registerStaticNodes(llvm::StringMap<NodeBuilderFn> &table);
/// The builders of ODConv, KWConv, DDF and DDFPack.
void registerDynamicConvNodes(llvm::StringMap<NodeBuilderFn> &table);

} // namespace mlir::dyconv::json

#endif // DYCONV_FRONTEND_JSON_IMPORTER_H
