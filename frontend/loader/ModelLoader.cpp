//===- ModelLoader.cpp - load a model file of any supported format --------===//

#include "dyconv/Frontend/ModelLoader.h"

#include "dyconv/Dialect/DyConvDialect.h"
#include "dyconv/Frontend/InputFile.h"
#include "dyconv/Frontend/JsonImporter.h"
#include "dyconv/Frontend/OnnxImporter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/MemoryBuffer.h"

namespace mlir::dyconv {

OwningOpRef<ModuleOp> loadModel(llvm::StringRef path, MLIRContext *context,
                                llvm::SourceMgr &sourceMgr) {
  context->loadDialect<DyConvDialect, func::FuncDialect, arith::ArithDialect>();
  Location fileLoc = FileLineColLoc::get(context, path, 0, 0);
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      readInputFile(path);
  if (!buffer) {
    emitError(fileLoc) << llvm::toString(buffer.takeError());
    return nullptr;
  }
  sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
  if (path.ends_with(".json"))
    return importJsonModel(sourceMgr, context);
  if (path.ends_with(".onnx"))
    return importOnnxModel(sourceMgr, context);
  if (path.ends_with(".mlir") || path.ends_with(".mlirbc"))
    return parseSourceFile<ModuleOp>(sourceMgr, context);
  emitError(fileLoc) << "unknown model format (expected .json, .onnx or .mlir)";
  return nullptr;
}

} // namespace mlir::dyconv
