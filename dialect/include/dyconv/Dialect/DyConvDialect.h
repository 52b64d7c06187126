//===- DyConvDialect.h - the dyconv dialect ---------------------*- C++ -*-===//

#ifndef DYCONV_DIALECT_DYCONVDIALECT_H
#define DYCONV_DIALECT_DYCONVDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dyconv/Dialect/DyConvOpsDialect.h.inc"

namespace mlir::dyconv {

// The dyconv attributes on ops of other dialects (func.func, func.call),
// checked by the dialect's attribute verifiers (DyConvDialect.cpp). Passes
// and tools read and write them through the accessors of PlanAttrs.h.

/// Argument and result attribute: the model's name of a graph input or output.
constexpr llvm::StringLiteral kValueNameAttr = "dyconv.name";
/// Function attribute: the batch size an ONNX export froze into the graph,
/// until `dyconv-free-export-batch` frees it.
constexpr llvm::StringLiteral kExportBatchAttr = "dyconv.export_batch";
/// Function attribute: the only batch size the graph accepts, set by
/// `dyconv-specialize-batch`.
constexpr llvm::StringLiteral kBatchAttr = "dyconv.batch";
/// Function attribute (unit): a private function holding one kernel-level op,
/// made by `dyconv-outline-kernels`.
constexpr llvm::StringLiteral kKernelAttr = "dyconv.kernel";
/// Call attribute: the per-sample byte offsets of a kernel call's results in
/// the arena, set by `dyconv-plan-memory`.
constexpr llvm::StringLiteral kArenaOffsetsAttr = "dyconv.arena_offsets";
/// Function attribute: the arena bytes per sample, set by
/// `dyconv-plan-memory`.
constexpr llvm::StringLiteral kArenaBytesAttr = "dyconv.arena_bytes";

} // namespace mlir::dyconv

#endif // DYCONV_DIALECT_DYCONVDIALECT_H
