//===- RaiseSummary.cpp - raise an imported model and say what it became --===//

#include "dyconv/Dialect/DyConvOps.h"
#include "dyconv/Passes/Passes.h"

#include "mlir/Pass/PassManager.h"

using namespace mlir;

FailureOr<mlir::dyconv::RaiseSummary>
mlir::dyconv::raiseDynamicConvs(ModuleOp module, func::FuncOp graph) {
  RaiseSummary summary;
  if (auto batch = graph->getAttrOfType<IntegerAttr>(kExportBatchAttr))
    summary.exportBatch = batch.getInt();
  PassManager pm(module->getName());
  pm.addNestedPass<func::FuncOp>(createRaiseOnnxDynamicConv());
  if (failed(pm.run(module)))
    return failure();
  graph.walk([&](Operation *op) {
    summary.odconv += isa<ODConvOp>(op);
    summary.kwAssemble += isa<KWAssembleOp>(op);
    summary.dynamicConv += isa<DynamicConv2DOp>(op);
  });
  summary.batchFree = llvm::all_of(graph.getArgumentTypes(), [](Type type) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    return !tensor || tensor.getRank() == 0 || tensor.isDynamicDim(0);
  });
  return summary;
}
