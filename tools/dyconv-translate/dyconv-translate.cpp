//===- dyconv-translate.cpp - model files to dyconv IR --------------------===//
//
// mlir-translate for dyconv: `--import-json model.json` prints the IR of a
// model in the JSON + safetensors format (docs/model-format.md).
//
//===----------------------------------------------------------------------===//

#include "dyconv/Dialect/DyConvDialect.h"
#include "dyconv/Frontend/JsonImporter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"

int main(int argc, char **argv) {
  mlir::TranslateToMLIRRegistration importJson(
      "import-json", "import a dyconv JSON + safetensors model",
      [](llvm::SourceMgr &sourceMgr, mlir::MLIRContext *context) {
        context
            ->loadDialect<mlir::dyconv::DyConvDialect, mlir::func::FuncDialect,
                          mlir::arith::ArithDialect>();
        return mlir::OwningOpRef<mlir::Operation *>(
            mlir::dyconv::importJsonModel(sourceMgr, context).release());
      });
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "dyconv model translation\n"));
}
