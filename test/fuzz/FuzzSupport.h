//===- FuzzSupport.h - what the importer fuzz targets share -----*- C++ -*-===//

#ifndef DYCONV_TEST_FUZZ_FUZZSUPPORT_H
#define DYCONV_TEST_FUZZ_FUZZSUPPORT_H

#include "dyconv/Dialect/DyConvDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

namespace dyconv::fuzz {

/// Runs \p import on the \p size bytes at \p data, named \p name, dropping
/// its diagnostics: a fuzz input is meant to fail, only crashes, leaks and
/// undefined behaviour count. A module that imports is verified.
template <class Import>
void importQuietly(const uint8_t *data, size_t size, const char *name,
                   Import import) {
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  context.loadDialect<mlir::dyconv::DyConvDialect, mlir::func::FuncDialect,
                      mlir::arith::ArithDialect>();
  mlir::ScopedDiagnosticHandler quiet(
      &context, [](mlir::Diagnostic &) { return mlir::success(); });
  llvm::SourceMgr sources;
  sources.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size), name),
      llvm::SMLoc());
  if (mlir::OwningOpRef<mlir::ModuleOp> module = import(sources, &context))
    (void)mlir::verify(*module);
}

} // namespace dyconv::fuzz

#endif // DYCONV_TEST_FUZZ_FUZZSUPPORT_H
