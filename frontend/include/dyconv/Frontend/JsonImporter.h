//===- JsonImporter.h - import dyconv JSON + safetensors models -*- C++ -*-===//

#ifndef DYCONV_FRONTEND_JSONIMPORTER_H
#define DYCONV_FRONTEND_JSONIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/SourceMgr.h"

namespace mlir::dyconv {

/// Imports the model whose JSON text is the main buffer of `sourceMgr` (the
/// buffer's identifier is its path; `weights` are resolved relative to it)
/// into a module holding one `func.func`. Weights become `arith.constant`s of
/// `dense_resource` blobs. On error, emits diagnostics located in the JSON
/// file (line:col and JSON path) and returns null; no partial module escapes.
/// The context must have the dyconv, func and arith dialects loaded.
OwningOpRef<ModuleOp> importJsonModel(llvm::SourceMgr &sourceMgr,
                                      MLIRContext *context);

} // namespace mlir::dyconv

#endif // DYCONV_FRONTEND_JSONIMPORTER_H
