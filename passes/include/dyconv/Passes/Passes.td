//===- Passes.td - dyconv passes ----------------------------*- tablegen -*-===//

#ifndef DYCONV_PASSES_PASSES_TD
#define DYCONV_PASSES_PASSES_TD

include "mlir/Pass/PassBase.td"

def RaiseOnnxDynamicConv : Pass<"dyconv-raise-onnx-dynamic-conv", "func::FuncOp"> {
  let summary = "Recognise the dynamic convolutions of ONNX exports";
  let description = [{
    An ONNX export of the authors' PyTorch code spreads each dynamic
    convolution over a few dozen ordinary nodes and folds the export batch
    `B` into the groups of one `conv2d` whose kernel is computed. Starting
    from each such conv, this pass recovers every parameter from the
    structure and the static shapes (never from names) and replaces the
    layer with

    - `dyconv.odconv` for an ODConv layer (spec §1.4): the fc (its attention
      BatchNorm either a `batch_norm` after it or folded into its bias, the
      latter exactly expressed as scale 1, bias b, mean 0, variance 1,
      `bn_epsilon` 0), the channel, filter, spatial and kernel heads present
      exactly as the layer's shape demands (the kernel head's softmax also
      between the two transposes of an opset-11 export), one temperature `T`
      dividing every head (1 when there is no `div`), the bank `[1, K, Cout,
      Cin/g, k, k]` a constant;
    - `dyconv.kw_attention` + `dyconv.kw_assemble` + `dyconv.dynamic_conv2d`
      for a KernelWarehouse layer (spec §2.4-2.5) in plain mode with a
      BatchNorm (or a biased fc1 and no norm), 1x1 or whole-kernel cells,
      temperature 0 (a mul by 1 and an add of zeros), and the assembly
      reshape / transpose `[0, 2, 4, 3, 5, 1, 6, 7]` / reshape that is
      exactly kw_assemble's mixture order. Layers whose `E^T` constants hold
      the same data share one warehouse constant.
    - `dyconv.dynamic_conv2d` over the aggregated per-sample kernel for a
      CondConv or DyConv layer (spec §4): kernels and biases aggregated as
      `linear(routing, bank^T)` from a constant bank, whatever the routing;
      the per-sample bias becomes an `add`.

    - `dyconv.ddf` for a DDF layer whose `ddf` op is written out with an
      unfold (PyTorch's `F.unfold` exports as a pad and gathers; recognised
      by evaluating that data movement on an index pattern), its filters'
      FilterNorms (unbiased std, `+ 1e-10`) as `dyconv.filter_norm`.

    Before the layers, the written-out ops their attentions and blocks
    contain are raised: LayerNorm (reduce_mean / sub / square / reduce_mean /
    add eps / sqrt / div, then a constant weight and bias) to
    `dyconv.layer_norm`, over one inner axis (ConvNeXt's channels-first
    norm) between two transposes; GELU, exact (erf) or tanh-approximated, to
    `dyconv.gelu`. After them, a `mul` of a 4-D value by a per-channel
    constant (a layer scale) becomes a `dyconv.channel_affine`, which the
    conv before it takes into its epilogue. KernelWarehouse attentions may
    then have a LayerNorm (ConvNeXt), be in nonlocal-basis mode (`fc3` over
    the non-local cells, concatenated around the local ones, plus
    `basis_bias`), and KernelWarehouse linear layers (1-D convs over one
    token) are raised like 1x1 convs.

    Commutative operands may come in either order, and the views of a batch-1
    export may be identity reshapes or absent. The groups must be `g * B`
    and everything else consistent; a chain that only looks similar is left
    alone, and only the layer's last op is replaced (intermediate values
    with other users stay).

    The pass reports what it raised as remarks on the function
    (`raised 51 odconv, 0 kw_assemble and 0 dynamic_conv2d layers`, and
    `raised 16 ddf, 32 filter_norm, 0 layer_norm, 0 gelu and 0 layer scale
    patterns` when
    there are any) and in its statistics. The batch stays as exported: `dyconv-free-export-batch`
    frees it.
  }];
  let statistics = [
    Statistic<"numODConv", "odconv", "ODConv layers raised to dyconv.odconv">,
    Statistic<"numKWAssemble", "kw-assemble",
              "KernelWarehouse layers raised to dyconv.kw_assemble">,
    Statistic<"numDynamicConv", "dynamic-conv2d",
              "CondConv/DyConv layers raised to dyconv.dynamic_conv2d">,
    Statistic<"numDDF", "ddf", "DDF layers raised to dyconv.ddf">,
    Statistic<"numFilterNorm", "filter-norm",
              "written-out FilterNorms raised to dyconv.filter_norm">,
    Statistic<"numLayerNorm", "layer-norm",
              "written-out LayerNorms raised to dyconv.layer_norm">,
    Statistic<"numGelu", "gelu", "written-out GELUs raised to dyconv.gelu">,
    Statistic<"numLayerScale", "layer-scale",
              "per-channel constant scales raised to dyconv.channel_affine">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::dyconv::DyConvDialect"];
}

def FreeExportBatch : Pass<"dyconv-free-export-batch", "func::FuncOp"> {
  let summary = "Make the batch that an ONNX export froze dynamic again";
  let description = [{
    In a function with `dyconv.export_batch = B` (set by the ONNX importer),
    the arguments of leading dimension `B` get a dynamic one, reshape
    targets whose entry 0 is `B` for an input whose batch is now dynamic copy
    it (`0`), every result type is re-inferred in order, the function type is
    updated and the attribute is removed; a remark says so. When a `conv2d`
    with a computed kernel remains (a batch fold that was not raised), a
    reshape gives a dynamic batch a fixed size or a type does not re-infer,
    the function is left as it was, with a warning at that op. Runs after
    `dyconv-raise-onnx-dynamic-conv`.
  }];
}

def SpecializeBatch : Pass<"dyconv-specialize-batch", "func::FuncOp"> {
  let summary = "Fix the dynamic batch dimension and re-infer every result type";
  let description = [{
    Gives every function argument whose leading dimension is dynamic the
    static batch size `batch`, then re-infers the result type of every op in
    program order and updates the function's result types, so that the whole
    graph has static shapes (`dyconv-compile --batch N`), and records the
    batch as `dyconv.batch = N` on the function: the artifact accepts only
    that batch. Arguments with a static leading dimension are left alone.
  }];
  let options = [
    Option<"batch", "batch", "int64_t", /*default=*/"1",
           "The batch size to specialize for (>= 1)">
  ];
}

def SpecializeInputShapes
    : Pass<"dyconv-specialize-input-shapes", "func::FuncOp"> {
  let summary = "Give named inputs static extents and re-infer every type";
  let description = [{
    Each entry of `shapes` is `NAME=D0,D1,...` (or `NAME=D0xD1x...`, the
    form a textual pipeline needs, where commas separate entries): the
    function argument named
    `NAME` (its `dyconv.name`, or `inputK` for the K-th argument without
    one) gets these extents, `?` keeping a dimension dynamic (the batch
    usually stays free). A given extent must fill a dynamic dimension or
    equal the static one; the rank must match. Every result type is then
    re-inferred in program order and the function type updated: a model
    exported with dynamic height and width compiles at the size given
    (`dyconv-compile --input-shape image=?,3,800,1216`). An unknown name,
    a malformed entry or a mismatch is an error naming the argument, and so
    is an input whose size per sample is still dynamic afterwards (a plan
    needs a fixed one; only the batch may stay free).
  }];
  let options = [
    ListOption<"shapes", "shapes", "std::string",
               "NAME=D0xD1x... per input, ? for a dimension left dynamic">
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
    kernel yields new blobs named `<original name>.folded_bn`.

    Every other batch norm with constant parameters (after a
    `dynamic_conv2d`, a `ddf`, a pooling, ...) becomes
    `channel_affine(x, s, t)`.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::dyconv::DyConvDialect"];
}

def DecomposeDynamicConv : Pass<"dyconv-decompose-dynamic-conv", "func::FuncOp"> {
  let summary = "Lower dynamic convolutions to kernel-level ops";
  let description = [{
    - `odconv` becomes `odconv_attention` (its attention BatchNorm folded
      into an fc bias), `aggregate` (the per-sample kernel with the channel,
      filter, spatial and kernel attentions folded in) and `dynamic_conv2d`.
    - `kw_attention` with a BatchNorm gets it folded into `fc1` (the no-norm
      form); `kw_assemble` is already a kernel.

    Applies when the folded parameters are `arith.constant`s.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::dyconv::DyConvDialect"];
}

def FuseEpilogues : Pass<"dyconv-fuse-epilogues", "func::FuncOp"> {
  let summary = "Make every conv a fused_conv2d and fuse its epilogue into it";
  let description = [{
    Turns every `conv2d` and `dynamic_conv2d` into a `fused_conv2d` (the
    kernel-level conv). With `epilogues` (the default; `-O0` turns it off)
    the fused conv then absorbs, in this order, a `mul` by a `[N, Cout, 1,
    1]` value (an attention on the output channels, e.g. ODConv's filter
    attention: a per-sample scale `[N, Cout]`), a `channel_affine` with
    constant parameters (a BatchNorm after the conv: its scale becomes the
    epilogue's scale, multiplied into a per-sample one, and its shift, plus
    the scaled conv bias, the bias), an
    `add` of a per-channel constant (bias), an `add` of a tensor shaped like
    the result (residual) and a `relu` or `clip` (activation). A stage fuses
    only into a conv whose result has no other user and that has no later
    stage yet.
  }];
  let options = [
    Option<"epilogues", "epilogues", "bool", /*default=*/"true",
           "Fuse the ops that follow a conv into it (false: only make "
           "fused_conv2d ops)">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::dyconv::DyConvDialect"];
}

def AssignLayouts : Pass<"dyconv-assign-layouts", "func::FuncOp"> {
  let summary = "Choose the layout every kernel reads and writes";
  let description = [{
    The layout decision of the compiler, recorded in the types: on a CPU
    target with `L`-lane vectors (16 for `x86-64-avx512`, 8 for
    `x86-64-avx2`), the activations of every convolution that has a blocked
    schedule (no groups, or depthwise) are channel-blocked,
    `#dyconv.blocked<[1] x [L]>` (NCHW16c / NCHW8c), the input of a stem on
    fewer than 4 channels excepted; its weights are packed in the order the
    kernel's reduction reads them (`<[1, 0] x [L, L]>`, per sample
    `<[2, 1] x [L, L]>`, depthwise `<[0] x [L]>`), its scale and bias
    `<[0] x [L]>`. The ops that read and write blocked activations take the
    layout of their input; every other op reads and writes plain tensors,
    and so do the graph's arguments and results. Where a value is stored
    differently than its user reads it, a `dyconv.convert_layout` is
    inserted (one per value and layout). GPU targets keep every tensor
    plain.
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"cpu\"",
           "The target (x86-64-avx512, x86-64-avx2, cpu for this machine, "
           "cuda...)">
  ];
  let dependentDialects = ["::mlir::dyconv::DyConvDialect"];
}

def PackWeights : Pass<"dyconv-pack-weights", "func::FuncOp"> {
  let summary = "Store constants in the layout their kernels read";
  let description = [{
    Folds every `dyconv.convert_layout` of an `arith.constant` into a
    constant of the converted type, so that weights arrive in the artifact
    packed and no kernel repacks them at run time. The new constant is a
    `dense_resource` blob named after the original (`<name>.packed`) that
    holds the physical elements, padding zeros included.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def SelectSchedules : Pass<"dyconv-select-schedules", "func::FuncOp"> {
  let summary = "Choose the register tile of every convolution kernel";
  let description = [{
    Records on every `fused_conv2d` the `#dyconv.conv_schedule` that
    codegen compiles it with, chosen for the target by the cost model of
    `ConvSchedule.h`: a blocked schedule (`blocked`, `blocked_depthwise`)
    when its activations are channel-blocked, an NCHW one (`x_vectors`,
    `depthwise`) otherwise, and the register tile. A schedule already set is
    kept.
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"cpu\"",
           "The target (x86-64-avx512, x86-64-avx2, cpu for this machine, "
           "cuda...)">
  ];
}

def FuseAttentionAggregation
    : Pass<"dyconv-fuse-attention-aggregation", "func::FuncOp"> {
  let summary = "Let a blocked conv aggregate its ODConv kernels itself";
  let description = [{
    A `fused_conv2d` whose per-sample kernels come from a `dyconv.aggregate`
    (an ODConv layer, decomposed) takes the aggregate's bank as its weight
    and its attentions as `channel_attention`, `filter_attention`,
    `spatial_attention` and `kernel_attention`: the conv then computes each
    reduction chunk of the kernels where it reads them, and the per-sample
    kernels are never written to memory. Only where the cost model of
    `ConvSchedule.h` (`aggregatesInConv`) says so: a blocked schedule on
    blocked inputs, at most two row strips (each strip aggregates again),
    and a batch (dynamic: counted as 1) small enough that reading the bank
    for every sample costs less than the aggregate's writes. Runs after
    `dyconv-select-schedules` (it reads the tile) and
    `dyconv-pack-weights` (the bank is already packed as the conv reads
    it).
  }];
  let statistics = [
    Statistic<"numFused", "fused",
              "aggregations fused into the conv that reads their kernels">
  ];
}

def OutlineKernels : Pass<"dyconv-outline-kernels", "ModuleOp"> {
  let summary = "Move every computation into a kernel function";
  let description = [{
    Every dyconv op of each public function that computes (all but the
    views `reshape` and `flatten`) moves into a private function marked
    `dyconv.kernel` and is replaced by a `func.call`. Ops with the same name,
    attributes and operand and result types share one kernel, so a network
    compiles each distinct layer shape once. Kernels are named after their
    op (`@conv_0`, `@fused_conv2d_3`, ...).
  }];
}

def PlanMemory : Pass<"dyconv-plan-memory", "ModuleOp"> {
  let summary = "Assign arena offsets to the intermediate tensors";
  let description = [{
    After `dyconv-outline-kernels`: gives every result of a kernel call in a
    public function a byte offset in one arena (attribute
    `dyconv.arena_offsets`, one entry per result) and the function the arena
    size (`dyconv.arena_bytes`). Sizes and offsets are per sample, the batch
    being the leading dimension of every intermediate tensor, so the arena
    of a run is `batch * dyconv.arena_bytes`. Tensors whose lifetimes do not
    overlap share memory (first fit, 64-byte aligned). No kernel writes in
    place over one of its inputs: the vectorized schedules recompute the
    overlapping last vector of a row (Halide's ShiftInwards tails), which
    would read values already overwritten.
    `reshape` and `flatten` are views of their input. Function results and
    arguments are never overwritten.
  }];
}

#endif // DYCONV_PASSES_PASSES_TD
