//===- DyConvKernelOps.td - kernel-level dyconv operations --*- tablegen -*-===//
//
// The ops that graph-level ops lower to (design.md §2, "kernel level"): each
// names a computation that codegen generates as one Halide pipeline. They are
// produced by passes (decompose-dynamic-conv, fuse-epilogues, fold-batchnorm),
// never by the importers, and every constant folding they need (attention
// BatchNorm into the fc, BatchNorm into conv weights) has already happened.
//
// Included by DyConvOps.td.
//
//===----------------------------------------------------------------------===//

def DyConv_FusedConv2DOp : DyConv_InferredOp<"fused_conv2d",
    [DyConv_Kernel, AttrSizedOperandSegments]> {
  let summary = "2-D convolution with its epilogue fused in";
  let description = [{
    `y = activation(conv2d(input, weight) * scale + bias + residual)`.
    `weight` is a static kernel `[Cout, Cin/groups, KH, KW]` or one kernel
    per sample `[N, Cout, Cin/groups, KH, KW]`; `scale` `[Cout]` (per
    output channel: a BatchNorm after the conv is a scale and a shift) or
    `[N, Cout]` (per sample too: an attention on the conv's output channels,
    e.g. ODConv's filter attention around a static kernel), `bias` `[Cout]`
    and `residual` (shaped like the result) are optional. `activation` is
    `none`, `relu` or `clip` (to `[clip_min, clip_max]`, ReLU6 being `clip`
    to `[0, 6]`). Attributes otherwise as for `dyconv.conv2d`; `schedule`
    is the register tile codegen uses (`dyconv-select-schedules`).
    Produced by `dyconv-fuse-epilogues` from every `conv2d` and
    `dynamic_conv2d`.

    With `channel_attention` the conv aggregates its kernels itself:
    `weight` is then an ODConv kernel bank `[K, Cout, Cin/groups, KH, KW]`
    and the per-sample kernel is `dyconv.aggregate` of the bank with
    `channel_attention` `[N, Cin]` and the optional `filter_attention`
    `[N, Cout]`, `spatial_attention` `[N, KH*KW]` and `kernel_attention`
    `[N, K]` (required when `K > 1`), computed where the conv reads it and
    never stored (`dyconv-fuse-attention-aggregation`).
  }];
  let arguments = (ins DyConv_Tensor4D:$input, DyConv_Tensor:$weight,
      Optional<DyConv_Tensor>:$scale, Optional<DyConv_Tensor1D>:$bias,
      Optional<DyConv_Tensor4D>:$residual,
      Optional<DyConv_Tensor2D>:$channel_attention,
      Optional<DyConv_Tensor2D>:$filter_attention,
      Optional<DyConv_Tensor2D>:$spatial_attention,
      Optional<DyConv_Tensor2D>:$kernel_attention,
      DyConv_Stride2Attr:$stride, DyConv_PaddingAttr:$padding,
      DyConv_Dilation2Attr:$dilation, DyConv_GroupsAttr:$groups,
      DefaultValuedAttr<DyConv_ActivationAttr, "Activation::None">:$activation,
      DefaultValuedAttr<F32Attr, "0.0f">:$clip_min,
      DefaultValuedAttr<F32Attr, "6.0f">:$clip_max,
      OptionalAttr<DyConv_ConvScheduleAttr>:$schedule);
  let results = (outs DyConv_Tensor4D:$output);
  let assemblyFormat = [{
    $input `,` $weight (`scale` $scale^)? (`bias` $bias^)?
      (`residual` $residual^)?
      (`channel_attention` $channel_attention^)?
      (`filter_attention` $filter_attention^)?
      (`spatial_attention` $spatial_attention^)?
      (`kernel_attention` $kernel_attention^)?
      attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// True when the conv uses one kernel per sample: `weight` holds them,
    /// or it aggregates them from the bank `weight` (isAggregating()).
    bool isPerSample() { return getWeight().getType().getRank() == 5; }
    /// True when `weight` is a kernel bank the conv aggregates per sample.
    bool isAggregating() { return static_cast<bool>(getChannelAttention()); }
  }];
}

def DyConv_ODConvAttentionOp : DyConv_InferredOp<"odconv_attention",
    [DyConv_Kernel, AttrSizedOperandSegments]> {
  let summary = "ODConv attention MLP with its BatchNorm folded into the fc";
  let description = [{
    The four attentions of one ODConv layer (spec §1.2), from its input
    `input [N, Cin, H, W]`:

    ```
    a   = GAP(input)                                        [N, Cin]
    h   = ReLU(a @ fc_weight^T + fc_bias)                   [N, A]
    channel = sigmoid((h @ channel_weight^T + channel_bias) / T)  [N, Cin]
    filter  = sigmoid((h @ filter_weight^T  + filter_bias)  / T)  [N, Cout]
    spatial = sigmoid((h @ spatial_weight^T + spatial_bias) / T)  [N, k*k]
    kernel  = softmax((h @ kernel_weight^T  + kernel_bias)  / T)  [N, K]
    ```

    The results are the attentions of the heads that exist, in this order:
    channel always, then filter, spatial and kernel when their parameters are
    given. Produced by `dyconv-decompose-dynamic-conv` from
    `dyconv.odconv`, whose attention BatchNorm becomes `fc_bias`.
  }];
  let arguments = (ins DyConv_Tensor4D:$input, DyConv_Tensor2D:$fc_weight,
      DyConv_Tensor1D:$fc_bias,
      DyConv_Tensor2D:$channel_weight, DyConv_Tensor1D:$channel_bias,
      Optional<DyConv_Tensor2D>:$filter_weight, Optional<DyConv_Tensor1D>:$filter_bias,
      Optional<DyConv_Tensor2D>:$spatial_weight, Optional<DyConv_Tensor1D>:$spatial_bias,
      Optional<DyConv_Tensor2D>:$kernel_weight, Optional<DyConv_Tensor1D>:$kernel_bias,
      DefaultValuedAttr<F64Attr, "1.0">:$temperature);
  let results = (outs Variadic<DyConv_Tensor2D>:$attentions);
  let assemblyFormat = [{
    $input `fc` `(` $fc_weight `,` $fc_bias `)`
      `channel` `(` $channel_weight `,` $channel_bias `)`
      (`filter` `(` $filter_weight^ `,` $filter_bias `)`)?
      (`spatial` `(` $spatial_weight^ `,` $spatial_bias `)`)?
      (`kernel` `(` $kernel_weight^ `,` $kernel_bias `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def DyConv_AggregateOp : DyConv_InferredOp<"aggregate",
    [DyConv_Kernel, AttrSizedOperandSegments]> {
  let summary = "ODConv per-sample kernels with every attention folded in";
  let description = [{
    `W[n, o, c, t] = filter[n, o] * channel[n, (o / (Cout/g))*(Cin/g) + c]
    * spatial[n, t] * sum_i kernel[n, i] * bank[i, o, c, t]` for the kernel
    bank `bank [K, Cout, Cin/g, KH, KW]` and `t` the tap `ky*KW + kx`: the
    per-sample kernel `[N, Cout, Cin/g, KH, KW]` whose convolution with the
    input equals the ODConv layer (spec §1.4), the channel attention moved
    from the input onto the kernel's input channels and the filter attention
    onto its output channels. Absent attentions act as 1 (the kernel
    attention only when `K == 1`).
  }];
  let arguments = (ins DyConv_Tensor5D:$bank, DyConv_Tensor2D:$channel,
      Optional<DyConv_Tensor2D>:$filter, Optional<DyConv_Tensor2D>:$spatial,
      Optional<DyConv_Tensor2D>:$kernel, DyConv_GroupsAttr:$groups);
  let results = (outs DyConv_Tensor5D:$output);
  let assemblyFormat = [{
    $bank `channel` `(` $channel `)` (`filter` `(` $filter^ `)`)?
      (`spatial` `(` $spatial^ `)`)? (`kernel` `(` $kernel^ `)`)? attr-dict
      `:` functional-type(operands, results)
  }];
}

def DyConv_ChannelAffineOp : DyConv_InferredOp<"channel_affine", [DyConv_Kernel]> {
  let summary = "per-channel scale and shift (an unfused inference BatchNorm)";
  let description = [{
    `y[n, c, ...] = input[n, c, ...] * scale[c] + shift[c]`, what
    `dyconv-fold-batchnorm` leaves of a BatchNorm that follows no convolution.
  }];
  let arguments = (ins DyConv_Tensor:$input, DyConv_Tensor1D:$scale,
      DyConv_Tensor1D:$shift);
  let results = (outs DyConv_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $shift attr-dict `:` functional-type(operands, results)
  }];
}

def DyConv_ConvertLayoutOp : DyConv_EvaluatedOp<"convert_layout",
    [DyConv_Kernel, Pure]> {
  let summary = "store a tensor in another layout";
  let description = [{
    `y = x`: the same value, stored in the layout of the result type's
    encoding (`#dyconv.blocked`, or plain without one) instead of the
    input's. `dyconv-assign-layouts` inserts it where a value passes between
    kernels that store it differently (and at the graph's edges, which are
    plain); `dyconv-pack-weights` folds one of a constant into a constant
    stored in the new layout.

    ```mlir
    %b = dyconv.convert_layout %x : tensor<?x64x56x56xf32> -> tensor<?x64x56x56xf32, #dyconv.blocked<[1] x [16]>>
    ```
  }];
  let arguments = (ins DyConv_Tensor:$input);
  let results = (outs DyConv_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}
