//===- ModelLoader.h - load a model file of any supported format -*- C++
//-*-===//
//
// The one entry point the tools use to read a model: the format follows the
// file extension (`.json` graph + safetensors, `.mlir` text or bytecode).
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_FRONTEND_MODELLOADER_H
#define DYCONV_FRONTEND_MODELLOADER_H

#include "dyconv/Dialect/GraphFunction.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include "llvm/Support/SourceMgr.h"

namespace mlir::dyconv {

/// Loads the model at `path` into `context` (which gets the dialects it
/// needs). Errors are reported as diagnostics located in `sourceMgr`'s
/// buffers; returns null on failure.
OwningOpRef<ModuleOp> loadModel(llvm::StringRef path, MLIRContext *context,
                                llvm::SourceMgr &sourceMgr);

} // namespace mlir::dyconv

#endif // DYCONV_FRONTEND_MODELLOADER_H
