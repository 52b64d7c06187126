//===- PlanAttrs.cpp - the attributes that carry the memory plan ----------===//

#include "dyconv/Dialect/PlanAttrs.h"

#include "dyconv/Dialect/DyConvDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace mlir::dyconv {

bool isKernelFunction(Operation *func) { return func->hasAttr(kKernelAttr); }

void markKernelFunction(Operation *func) {
  func->setAttr(kKernelAttr, UnitAttr::get(func->getContext()));
}

std::optional<ArrayRef<int64_t>> getArenaOffsets(Operation *call) {
  if (auto offsets = call->getAttrOfType<DenseI64ArrayAttr>(kArenaOffsetsAttr))
    return offsets.asArrayRef();
  return std::nullopt;
}

void setArenaOffsets(Operation *call, ArrayRef<int64_t> offsets) {
  call->setAttr(kArenaOffsetsAttr,
                DenseI64ArrayAttr::get(call->getContext(), offsets));
}

/// The value of the integer attribute `name` of `op`, if it has one.
static std::optional<int64_t> integerAttr(Operation *op, StringRef name) {
  if (auto value = op->getAttrOfType<IntegerAttr>(name))
    return value.getInt();
  return std::nullopt;
}

std::optional<int64_t> getArenaBytes(Operation *graph) {
  return integerAttr(graph, kArenaBytesAttr);
}

void setArenaBytes(Operation *graph, int64_t bytes) {
  graph->setAttr(kArenaBytesAttr,
                 Builder(graph->getContext()).getI64IntegerAttr(bytes));
}

std::optional<int64_t> getFixedBatch(Operation *graph) {
  return integerAttr(graph, kBatchAttr);
}

void setFixedBatch(Operation *graph, int64_t batch) {
  graph->setAttr(kBatchAttr,
                 Builder(graph->getContext()).getI64IntegerAttr(batch));
}

} // namespace mlir::dyconv
