//===- Pipeline.cpp - the default compilation pipeline --------------------===//

#include "dyconv/Passes/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlir::dyconv::buildDefaultPipeline(OpPassManager &pm,
                                        const DefaultPipelineOptions &options) {
  // Static extents first, so that the raise patterns see them; an input
  // whose size per sample is still dynamic is refused here, by name.
  SpecializeInputShapesOptions shapes;
  shapes.shapes.assign(options.inputShapes.begin(), options.inputShapes.end());
  pm.addNestedPass<func::FuncOp>(createSpecializeInputShapes(shapes));
  // Then, so that an ONNX export's batch is free before anything reads it.
  pm.addNestedPass<func::FuncOp>(createRaiseOnnxDynamicConv());
  pm.addNestedPass<func::FuncOp>(createFreeExportBatch());
  if (options.batch > 0)
    pm.addNestedPass<func::FuncOp>(
        createSpecializeBatch(SpecializeBatchOptions{options.batch}));
  // Every level has to reach kernel-level ops (batch norms folded or turned
  // into channel_affine, odconv decomposed); -O0 fuses nothing.
  pm.addNestedPass<func::FuncOp>(createFoldBatchNorm());
  pm.addNestedPass<func::FuncOp>(createDecomposeDynamicConv());
  pm.addNestedPass<func::FuncOp>(createFuseEpilogues(
      FuseEpiloguesOptions{/*epilogues=*/options.optLevel > 0}));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // The decisions for the target, recorded in the IR: layouts (types),
  // packed constants, register tiles (attributes).
  pm.addNestedPass<func::FuncOp>(
      createAssignLayouts(AssignLayoutsOptions{options.target}));
  pm.addNestedPass<func::FuncOp>(createPackWeights());
  pm.addNestedPass<func::FuncOp>(
      createSelectSchedules(SelectSchedulesOptions{options.target}));
  if (options.optLevel > 0)
    pm.addNestedPass<func::FuncOp>(createFuseAttentionAggregation());
  pm.addPass(createOutlineKernels());
  pm.addPass(createPlanMemory());
}

void mlir::dyconv::registerDefaultPipeline() {
  PassPipelineRegistration<DefaultPipelineOptions>(
      "dyconv-default-pipeline",
      "The whole dyconv flow from graph-level IR to outlined kernels with a "
      "memory plan (what dyconv-compile runs)",
      buildDefaultPipeline);
}
