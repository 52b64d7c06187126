//===- ArtifactWriter.h - kernel-level IR to a .dyc artifact ----*- C++ -*-===//
//
// The last translation of the compiler: a graph function after the default
// pipeline (kernel calls with arena offsets, views, constants) becomes the
// artifact's execution plan, its weight section and the list of kernels to
// compile. The text form of the plan (printPlan, `dyconv-translate
// --mlir-to-dyc-plan`) is what lit tests check.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_TARGET_ARTIFACTWRITER_H
#define DYCONV_TARGET_ARTIFACTWRITER_H

#include "dyconv/Codegen/Codegen.h"
#include "dyconv/Runtime/Artifact.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::dyconv {

/// What a graph compiles to, but for the kernels' machine code.
struct CompiledGraph {
  /// Plan and weights; the library is filled in after codegen.
  ::dyconv::Artifact artifact;
  /// One job per distinct kernel, in Plan::kernels order.
  std::vector<codegen::KernelJob> kernels;
};

/// Builds the plan of `graph`. The plan's shapes write the batch as rows per
/// sample (a negative leading dimension, see runtime Plan.h), derived here
/// and nowhere else from the IR's dynamic batch; the fixed batch is the
/// graph's `dyconv.batch`, if it has one. Emits errors on the offending ops
/// and fails on what the runtime cannot execute.
FailureOr<CompiledGraph> buildPlan(func::FuncOp graph);

/// Prints the plan of `graph` as text, one line per kernel (with its
/// descriptor), tensor, step, input and output.
void printPlan(const CompiledGraph &graph, llvm::raw_ostream &os);

/// Registers the translation `--mlir-to-dyc-plan`: the module's graph
/// function (after the default pipeline) to the text form of its plan.
void registerToPlanTranslation();

} // namespace mlir::dyconv

#endif // DYCONV_TARGET_ARTIFACTWRITER_H
