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

def FoldBatchNorm : Pass<"dyconv-fold-batchnorm", "func::FuncOp"> {
  let summary = "Fold inference batch norms into the preceding static kernels";
  let description = [{
    With `s = scale / sqrt(variance + epsilon)` and `t = bias - mean * s`
    (per output channel, computed in double, stored as f32):

    - `batch_norm(conv2d(x, W, b?))` becomes `conv2d(x, W', b')` with
      `W'[o] = W[o] * s[o]` and `b' = b * s + t` (`b` = 0 when absent).
    - `batch_norm(odconv(x, bank, ...))` becomes
      `add(odconv(x, bank', ...), t)` with `bank'[i][o] = bank[i][o] * s[o]`
      and `t` a `[1, Cout, 1, 1]` constant: the scale commutes with the
      channel, spatial, kernel and filter attentions, but the shift must be
      added after the filter attention multiplies the conv's output.

    A rewrite applies only when the batch norm is the conv's only user and
    the kernel, the conv bias (if any) and the four batch-norm parameters
    are `arith.constant`s of f32 `dense` or `dense_resource` elements.
    Folded constants keep the kernel's representation: a `dense_resource`
    kernel yields new blobs named `<original name>.folded_bn`. Batch norms
    after `dynamic_conv2d` (per-sample kernels) are left alone.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::dyconv::DyConvDialect"];
}

#endif // DYCONV_PASSES_PASSES_TD
