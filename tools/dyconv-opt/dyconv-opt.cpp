//===- dyconv-opt.cpp - mlir-opt for the dyconv dialect -------------------===//
//
// Parses, verifies, transforms and prints dyconv IR: the dyconv dialect with
// func, arith and tensor, the upstream canonicalize/cse passes and every dyconv
// pass.
//
//===----------------------------------------------------------------------===//

#include "dyconv/Dialect/DyConvDialect.h"
#include "dyconv/Passes/Passes.h"

#include "ToolOutput.h"
#include "ToolSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  ::dyconv::tools::reportOutputErrorsCleanly("dyconv-opt");
  ::dyconv::tools::hideLibraryOptions();
  ::dyconv::tools::setVersionPrinter("dyconv-opt");
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  mlir::dyconv::registerDyConvPasses();
  mlir::dyconv::registerDefaultPipeline();

  mlir::DialectRegistry registry;
  registry.insert<mlir::dyconv::DyConvDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect, mlir::tensor::TensorDialect>();
  return ::dyconv::tools::runWithAtomicOutput(
      argc, argv, "dyconv-opt", [&](int argc, char **argv) {
        return mlir::asMainReturnCode(mlir::MlirOptMain(
            argc, argv, "dyconv optimizer driver\n", registry));
      });
}
