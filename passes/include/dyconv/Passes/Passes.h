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
  ListOption<std::string> inputShapes{
      *this, "input-shapes",
      llvm::cl::desc("NAME=D0,D1,... per input (? stays dynamic): static "
                     "extents for inputs exported with dynamic ones")};
  Option<std::string> target{
      *this, "target",
      llvm::cl::desc("The target whose layouts and schedules are chosen "
                     "(x86-64-avx512, x86-64-avx2, cpu for this machine)"),
      llvm::cl::init("cpu")};
};

/// The one definition of the pass order, used by dyconv-opt
/// (`--dyconv-default-pipeline`) and dyconv-compile: raise the dynamic
/// convolutions of ONNX exports and free their batch, specialise the batch,
/// fold batch norms, decompose dynamic convolutions, fuse epilogues,
/// canonicalize, assign layouts, pack weights, select schedules, outline
/// kernels, plan memory.
void buildDefaultPipeline(OpPassManager &pm,
                          const DefaultPipelineOptions &options);

/// Registers `--dyconv-default-pipeline`.
void registerDefaultPipeline();

} // namespace mlir::dyconv

#endif // DYCONV_PASSES_PASSES_H
