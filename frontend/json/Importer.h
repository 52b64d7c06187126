//===- Importer.h - state shared by the JSON node builders ------*- C++ -*-===//

#ifndef DYCONV_FRONTEND_JSON_IMPORTER_H
#define DYCONV_FRONTEND_JSON_IMPORTER_H

#include "JsonLocator.h"

#include "dyconv/Frontend/NodeContext.h"
#include "dyconv/Frontend/SafeTensors.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <nlohmann/json.hpp>

#include <optional>

namespace mlir::dyconv::json {

using Json = nlohmann::json;

/// Integers of a model (dimensions, sizes, strides, paddings, axes) are
/// bounded like Halide's int32 extents, so that the shape arithmetic on them
/// cannot overflow.
inline constexpr int64_t kMaxModelInteger = INT32_MAX;

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

/// One JSON node being built: attributes from its `attributes` object,
/// parameters from the weight store under its `prefix`, diagnostics at its
/// JSON path.
class JsonNode : public NodeContext {
public:
  JsonNode(ModelImporter &model, OpBuilder &builder, const Json &node,
           std::string pointer, SmallVector<Value> inputs);

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

  /// The full name of a parameter: `prefix.suffix` (or `suffix`).
  std::string paramName(StringRef suffix) const override;
  std::optional<SmallVector<int64_t>>
  paramShape(StringRef suffix) const override;
  FailureOr<Value> weight(StringRef suffix,
                          std::optional<ArrayRef<int64_t>> as) override;
  /// The tensor named by the attribute `warehouse`.
  FailureOr<NamedWeight> warehouse() override;

private:
  LogicalResult failAt(StringRef subPointer, const Twine &message) const;
  const Json *attribute(StringRef name);

  ModelImporter &model;
  const Json &node;
  std::string pointer;
  llvm::StringSet<> readAttributes;
};

/// The builders of the ordinary ops, keyed by JSON op name.
void registerStaticNodes(llvm::StringMap<NodeBuilderFn> &table);

} // namespace mlir::dyconv::json

#endif // DYCONV_FRONTEND_JSON_IMPORTER_H
