//===- DyConvDialect.h - the dyconv dialect ---------------------*- C++ -*-===//

#ifndef DYCONV_DIALECT_DYCONVDIALECT_H
#define DYCONV_DIALECT_DYCONVDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dyconv/Dialect/DyConvOpsDialect.h.inc"

namespace mlir::dyconv {

/// Argument and result attribute: the model's name of a graph input or output.
constexpr llvm::StringLiteral kValueNameAttr = "dyconv.name";
/// Function attribute: the batch size an ONNX export froze into the graph,
/// until `dyconv-raise-onnx-dynamic-conv` frees it.
constexpr llvm::StringLiteral kExportBatchAttr = "dyconv.export_batch";

} // namespace mlir::dyconv

#endif // DYCONV_DIALECT_DYCONVDIALECT_H
