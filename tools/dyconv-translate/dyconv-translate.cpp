//===- dyconv-translate.cpp - model files to dyconv IR --------------------===//
//
// mlir-translate for dyconv: `--import-json model.json` prints the IR of a
// model in the JSON + safetensors format (docs/model-format.md),
// `--import-onnx model.onnx` that of an ONNX model (docs/onnx-import.md), and
// `--mlir-to-dyc-plan` the execution plan of IR after the default pipeline
// (docs/compiler.md).
//
//===----------------------------------------------------------------------===//

#include "dyconv/Dialect/DyConvDialect.h"
#include "dyconv/Frontend/JsonImporter.h"
#include "dyconv/Frontend/OnnxImporter.h"
#include "dyconv/Target/ArtifactWriter.h"

#include "ToolOutput.h"
#include "ToolSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"

namespace {

using Importer = mlir::OwningOpRef<mlir::ModuleOp> (*)(llvm::SourceMgr &,
                                                       mlir::MLIRContext *);

/// A translation running `import` with the dialects it needs.
mlir::TranslateRawSourceMgrToMLIRFunction withDialects(Importer import) {
  return [import](llvm::SourceMgr &sourceMgr, mlir::MLIRContext *context) {
    context->loadDialect<mlir::dyconv::DyConvDialect, mlir::func::FuncDialect,
                         mlir::arith::ArithDialect>();
    return mlir::OwningOpRef<mlir::Operation *>(
        import(sourceMgr, context).release());
  };
}

} // namespace

int main(int argc, char **argv) {
  ::dyconv::tools::reportOutputErrorsCleanly("dyconv-translate");
  ::dyconv::tools::hideLibraryOptions();
  ::dyconv::tools::setVersionPrinter("dyconv-translate");
  mlir::TranslateToMLIRRegistration importJson(
      "import-json", "import a dyconv JSON + safetensors model",
      withDialects(mlir::dyconv::importJsonModel));
  mlir::TranslateToMLIRRegistration importOnnx(
      "import-onnx", "import an ONNX model",
      withDialects(mlir::dyconv::importOnnxModel));
  mlir::dyconv::registerToPlanTranslation();
  return ::dyconv::tools::runWithAtomicOutput(
      argc, argv, "dyconv-translate", [](int argc, char **argv) {
        return mlir::failed(
            mlir::mlirTranslateMain(argc, argv, "dyconv model translation\n"));
      });
}
