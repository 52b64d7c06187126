//===- PlanBuilder.h - the execution plan of a compiled graph ---*- C++ -*-===//
//
// Reads a graph function after the default pipeline (kernel calls with arena
// offsets, views, constants) into the artifact's Plan, its weight section and
// the list of kernels to compile.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_TOOLS_DYCONV_COMPILE_PLANBUILDER_H
#define DYCONV_TOOLS_DYCONV_COMPILE_PLANBUILDER_H

#include "dyconv/Codegen/Codegen.h"
#include "dyconv/Runtime/Artifact.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace dyconv::compile {

/// What a graph compiles to, but for the kernels' machine code.
struct CompiledGraph {
  /// Plan, weights; the library is filled in after codegen.
  Artifact artifact;
  /// One job per distinct kernel, in Plan::kernels order.
  std::vector<mlir::dyconv::codegen::KernelJob> kernels;
};

/// Builds the plan of `graph`; emits errors on the offending ops and fails
/// on what the runtime cannot execute. `fixedBatch` is the batch the graph
/// was specialised for, or 0.
mlir::FailureOr<CompiledGraph> buildPlan(mlir::func::FuncOp graph,
                                         int64_t fixedBatch);

} // namespace dyconv::compile

#endif // DYCONV_TOOLS_DYCONV_COMPILE_PLANBUILDER_H
