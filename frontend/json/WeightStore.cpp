//===- WeightStore.cpp - weights of an imported model ---------------------===//

#include "Importer.h"

#include "dyconv/Dialect/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace mlir::dyconv::json;

void WeightStore::addInline(StringRef name, SmallVector<int64_t> shape,
                            std::vector<float> values) {
  inlined[name] = {std::move(shape), std::move(values)};
}

bool WeightStore::contains(StringRef name) const {
  return inlined.count(name) || (file && file->find(name));
}

std::optional<SmallVector<int64_t>> WeightStore::shape(StringRef name) const {
  auto it = inlined.find(name);
  if (it != inlined.end())
    return it->second.first;
  if (file)
    if (const SafeTensorInfo *info = file->find(name))
      return info->shape;
  return std::nullopt;
}

FailureOr<Value> WeightStore::get(OpBuilder &builder, Location loc,
                                  StringRef name,
                                  std::optional<ArrayRef<int64_t>> as) {
  std::optional<SmallVector<int64_t>> stored = shape(name);
  if (!stored)
    return emitError(loc, "missing weight '") << name << "'";
  ArrayRef<int64_t> target = as ? *as : ArrayRef<int64_t>(*stored);
  if (shape::product(target) != shape::product(*stored))
    return emitError(loc, "weight '")
           << name << "' has shape " << shape::format(*stored) << ", expected "
           << shape::format(target);

  used.insert(name);
  std::string key = (name + "#" + shape::format(target)).str();
  if (Value existing = created.lookup(key))
    return existing;

  std::vector<float> values;
  auto it = inlined.find(name);
  if (it != inlined.end()) {
    values = it->second.second;
  } else {
    llvm::Expected<std::vector<float>> read = file->readF32(name);
    if (!read)
      return emitError(loc, llvm::toString(read.takeError()));
    values = std::move(*read);
  }
  auto type = RankedTensorType::get(target, builder.getF32Type());
  auto blob =
      HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef<float>(values));
  auto attr = DenseResourceElementsAttr::get(type, name, std::move(blob));
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(entry);
  Value constant = arith::ConstantOp::create(builder, loc, attr);
  created[key] = constant;
  return constant;
}

std::vector<std::string>
WeightStore::unused(ArrayRef<std::string> ignored) const {
  auto isIgnored = [&](StringRef name) {
    for (const std::string &pattern : ignored) {
      StringRef p(pattern);
      if (p.ends_with("*") ? name.starts_with(p.drop_back()) : name == p)
        return true;
    }
    return false;
  };
  std::vector<std::string> result;
  auto consider = [&](StringRef name) {
    if (!used.contains(name) && !isIgnored(name))
      result.push_back(name.str());
  };
  if (file)
    for (const SafeTensorInfo &info : file->tensors())
      consider(info.name);
  for (const auto &entry : inlined)
    consider(entry.getKey());
  return result;
}
