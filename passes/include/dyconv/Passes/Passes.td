//===- Passes.td - dyconv passes ----------------------------*- tablegen -*-===//

#ifndef DYCONV_PASSES_PASSES_TD
#define DYCONV_PASSES_PASSES_TD

include "mlir/Pass/PassBase.td"

def SpecializeBatch : Pass<"dyconv-specialize-batch", "func::FuncOp"> {
  let summary = "Fix the dynamic batch dimension and re-infer every result type";
  let description = [{
    Gives every function argument whose leading dimension is dynamic the
    static batch size `batch`, then re-infers the result type of every op in
    program order and updates the function's result types, so that the whole
    graph has static shapes (`dyconv-compile --batch N`). Arguments with a
    static leading dimension are left alone.
  }];
  let options = [
    Option<"batch", "batch", "int64_t", /*default=*/"1",
           "The batch size to specialize for (>= 1)">
  ];
}

#endif // DYCONV_PASSES_PASSES_TD
