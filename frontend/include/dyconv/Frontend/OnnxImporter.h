//===- OnnxImporter.h - import ONNX models ----------------------*- C++ -*-===//

#ifndef DYCONV_FRONTEND_ONNXIMPORTER_H
#define DYCONV_FRONTEND_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/SourceMgr.h"

namespace mlir::dyconv {

/// Imports the ONNX model whose bytes are the main buffer of `sourceMgr` (the
/// buffer's identifier is its path; external data is resolved next to it)
/// into a module holding one `func.func` (docs/onnx-import.md). Initializers
/// become `arith.constant`s of `dense_resource` blobs; nodes on constants are
/// evaluated. On error, emits one diagnostic naming the file and the node and
/// returns null. The context must have the dyconv, func and arith dialects
/// loaded.
OwningOpRef<ModuleOp> importOnnxModel(llvm::SourceMgr &sourceMgr,
                                      MLIRContext *context);

} // namespace mlir::dyconv

#endif // DYCONV_FRONTEND_ONNXIMPORTER_H
