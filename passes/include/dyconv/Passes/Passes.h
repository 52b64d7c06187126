//===- Passes.h - dyconv passes ---------------------------------*- C++ -*-===//

#ifndef DYCONV_PASSES_PASSES_H
#define DYCONV_PASSES_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::dyconv {

#define GEN_PASS_DECL
#include "dyconv/Passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dyconv/Passes/Passes.h.inc"

/// Options of `--dyconv-default-pipeline`.
struct DefaultPipelineOptions
    : public PassPipelineOptions<DefaultPipelineOptions> {
  Option<int64_t> batch{*this, "batch",
                        llvm::cl::desc("Specialise for this batch size (0: "
                                       "any batch)"),
                        llvm::cl::init(0)};
  Option<unsigned> optLevel{
      *this, "opt-level",
      llvm::cl::desc("0: no fusion; 1-3: fold and fuse epilogues"),
      llvm::cl::init(3)};
};

/// The one definition of the pass order, used by dyconv-opt
/// (`--dyconv-default-pipeline`) and dyconv-compile: raise the dynamic
/// convolutions of ONNX exports, specialise the batch, fold batch norms, decompose dynamic convolutions, fuse epilogues,
/// canonicalize, outline kernels, plan memory.
void buildDefaultPipeline(OpPassManager &pm,
                          const DefaultPipelineOptions &options);

/// Registers `--dyconv-default-pipeline`.
void registerDefaultPipeline();

/// What raising an imported model left in its graph function.
struct RaiseSummary {
  /// The batch an ONNX export froze (`dyconv.export_batch` before raising).
  std::optional<int64_t> exportBatch;
  /// Whether the graph's batch is free afterwards.
  bool batchFree = false;
  unsigned odconv = 0, kwAssemble = 0, dynamicConv = 0;
};

/// Runs `dyconv-raise-onnx-dynamic-conv` on every function of `module` (as
/// the default pipeline does first) and summarises the graph function `graph`
/// afterwards, for tools that report what an import became.
FailureOr<RaiseSummary> raiseDynamicConvs(ModuleOp module, func::FuncOp graph);

} // namespace mlir::dyconv

#endif // DYCONV_PASSES_PASSES_H
