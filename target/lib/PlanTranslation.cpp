//===- PlanTranslation.cpp - dyconv-translate --mlir-to-dyc-plan ----------===//

#include "dyconv/Target/ArtifactWriter.h"

#include "dyconv/Dialect/DyConvDialect.h"
#include "dyconv/Dialect/GraphFunction.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"

namespace mlir::dyconv {

void registerToPlanTranslation() {
  TranslateFromMLIRRegistration registration(
      "mlir-to-dyc-plan",
      "the execution plan of a graph after the default pipeline, as text",
      [](Operation *op, llvm::raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError("expected a module");
        func::FuncOp graph = getGraphFunction(module);
        if (!graph)
          return failure();
        FailureOr<CompiledGraph> compiled = buildPlan(graph);
        if (failed(compiled))
          return failure();
        printPlan(*compiled, os);
        return success();
      },
      [](DialectRegistry &registry) {
        registry
            .insert<DyConvDialect, func::FuncDialect, arith::ArithDialect>();
      });
}

} // namespace mlir::dyconv
