//===- PlanAttrs.h - the attributes that carry the memory plan ---*- C++
//-*-===//
//
// Typed access to the dyconv attributes that passes put on func.func and
// func.call ops (names in DyConvDialect.h): the outlined kernels, the arena
// offsets of kernel calls, the arena size and the fixed batch of a graph.
// Passes write them, the artifact writer reads them; nobody spells the
// attribute names.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_DIALECT_PLANATTRS_H
#define DYCONV_DIALECT_PLANATTRS_H

#include "mlir/IR/Operation.h"

#include <optional>

namespace mlir::dyconv {

/// Whether `func` is a kernel function made by dyconv-outline-kernels.
bool isKernelFunction(Operation *func);
void markKernelFunction(Operation *func);

/// The per-sample arena offsets of the results of the kernel call `call`.
std::optional<ArrayRef<int64_t>> getArenaOffsets(Operation *call);
void setArenaOffsets(Operation *call, ArrayRef<int64_t> offsets);

/// The arena bytes per sample of the graph function `graph`.
std::optional<int64_t> getArenaBytes(Operation *graph);
void setArenaBytes(Operation *graph, int64_t bytes);

/// The only batch size the graph function `graph` accepts, if it was
/// specialised for one.
std::optional<int64_t> getFixedBatch(Operation *graph);
void setFixedBatch(Operation *graph, int64_t batch);

} // namespace mlir::dyconv

#endif // DYCONV_DIALECT_PLANATTRS_H
