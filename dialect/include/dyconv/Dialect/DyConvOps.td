//===- DyConvOps.td - dyconv operations ---------------------*- tablegen -*-===//
//
// Graph-level operations. Semantics follow the ONNX/PyTorch operators of the
// same name; the dynamic convolutions follow the operator specification
// (ODConv, KernelWarehouse, DDF). Every op infers its result type and checks
// its operand shapes in `inferReturnTypes`, so a malformed op is rejected with
// a message naming the shapes whether it was parsed or built in C++.
//
// Custom formats of inferred ops spell out the result type: the generated
// parser infers before it moves the attr-dict into properties, so inference
// during parsing would read unset attributes.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_DIALECT_DYCONVOPS_TD
#define DYCONV_DIALECT_DYCONVOPS_TD

include "dyconv/Dialect/DyConvDialect.td"
include "dyconv/Dialect/DyConvAttrs.td"
include "dyconv/Dialect/DyConvInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def DyConv_Tensor : RankedTensorOf<[F32]>;
def DyConv_Tensor1D : TensorRankOf<[F32], [1]>;
def DyConv_Tensor2D : TensorRankOf<[F32], [2]>;
def DyConv_Tensor3D : TensorRankOf<[F32], [3]>;
def DyConv_Tensor4D : TensorRankOf<[F32], [4]>;
def DyConv_Tensor5D : TensorRankOf<[F32], [5]>;

/// Result types inferred, and operands and attributes checked, by the op's
/// `inferResultTypes(diag, adaptor)`, whose errors `diag` reports at the op.
/// The layout encoding of a result type is the layout pass's decision, not
/// part of what is inferred, so inferred and actual types are compared
/// without it.
def DyConv_InferResultTypes : TraitList<[
    DeclareOpInterfaceMethods<InferTypeOpInterface>,
    NativeOpTrait<"DyConvInferResultTypes", [],
      /*extraOpDeclaration=*/[{
        static ::llvm::LogicalResult
        inferReturnTypes(::mlir::MLIRContext *context,
                         std::optional<::mlir::Location> location,
                         Adaptor adaptor,
                         ::llvm::SmallVectorImpl<::mlir::Type> &inferredReturnTypes);
        static bool isCompatibleReturnTypes(::mlir::TypeRange inferred,
                                            ::mlir::TypeRange actual);
        static ::mlir::FailureOr<::llvm::SmallVector<::mlir::Type>>
        inferResultTypes(const ::mlir::dyconv::inference::OpDiagnostics &diag,
                         Adaptor adaptor);
      }],
      /*extraOpDefinition=*/[{
        ::llvm::LogicalResult
        $cppClass::inferReturnTypes(::mlir::MLIRContext *context,
                          std::optional<::mlir::Location> location,
                          ::mlir::ValueRange operands, ::mlir::DictionaryAttr attributes,
                          ::mlir::OpaqueProperties properties, ::mlir::RegionRange regions,
                          ::llvm::SmallVectorImpl<::mlir::Type> &inferredReturnTypes) {
          $cppClass::Adaptor adaptor(operands, attributes, properties, regions);
          return $cppClass::inferReturnTypes(context, location, adaptor,
                                             inferredReturnTypes);
        }
        ::llvm::LogicalResult
        $cppClass::inferReturnTypes(::mlir::MLIRContext *,
                          std::optional<::mlir::Location> location,
                          Adaptor adaptor,
                          ::llvm::SmallVectorImpl<::mlir::Type> &inferredReturnTypes) {
          return ::mlir::dyconv::inference::appendTypes(
              inferResultTypes(::mlir::dyconv::inference::OpDiagnostics(
                                   location, getOperationName()),
                               adaptor),
              inferredReturnTypes);
        }
        bool $cppClass::isCompatibleReturnTypes(::mlir::TypeRange inferred,
                                                ::mlir::TypeRange actual) {
          return ::mlir::dyconv::inference::equalIgnoringLayout(inferred, actual);
        }
      }]>
  ]>;

/// Every dyconv op can be evaluated by the reference interpreter.
class DyConv_EvaluatedOp<string mnemonic, list<Trait> traits = []>
    : DyConv_Op<mnemonic, !listconcat(
        [DeclareOpInterfaceMethods<DyConv_ReferenceOpInterface>], traits)>;

/// An op whose result types are inferred.
class DyConv_InferredOp<string mnemonic, list<Trait> traits = []>
    : DyConv_EvaluatedOp<mnemonic, !listconcat([Pure, DyConv_InferResultTypes],
                                               traits)>;

/// An op that codegen compiles into a kernel of its own.
defvar DyConv_Kernel = DeclareOpInterfaceMethods<DyConv_KernelOpInterface>;

//===----------------------------------------------------------------------===//
// Convolution and dense layers
//===----------------------------------------------------------------------===//

def DyConv_Conv2DOp : DyConv_InferredOp<"conv2d"> {
  let summary = "2-D convolution with a static kernel";
  let description = [{
    `y = conv2d(input, weight) + bias`, cross-correlation with zero padding as
    in PyTorch `F.conv2d` / ONNX `Conv`. `input` is `[N, Cin, H, W]`, `weight`
    is `[Cout, Cin/groups, KH, KW]`, the optional `bias` is `[Cout]`. `padding`
    is `[top, left, bottom, right]`; the output size per spatial axis is
    `floor((H + pad_begin + pad_end - dilation*(K-1) - 1) / stride) + 1`.

    ```mlir
    %y = dyconv.conv2d %x, %w, %b {stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>}
        : (tensor<?x16x32x32xf32>, tensor<32x16x3x3xf32>, tensor<32xf32>) -> tensor<?x32x16x16xf32>
    ```
  }];
  let arguments = (ins DyConv_Tensor4D:$input, DyConv_Tensor4D:$weight,
      Optional<DyConv_Tensor1D>:$bias,
      DyConv_Stride2Attr:$stride, DyConv_PaddingAttr:$padding,
      DyConv_Dilation2Attr:$dilation, DyConv_GroupsAttr:$groups);
  let results = (outs DyConv_Tensor4D:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def DyConv_DynamicConv2DOp : DyConv_InferredOp<"dynamic_conv2d"> {
  let summary = "2-D convolution with a different kernel for every sample";
  let description = [{
    `y[b] = conv2d(input[b], weight[b]) + bias`: `input` is `[N, Cin, H, W]`,
    `weight` is `[N, Cout, Cin/groups, KH, KW]` (one kernel per sample, e.g.
    the result of `dyconv.kw_assemble`), the optional `bias` is `[Cout]`.
    Attributes as for `dyconv.conv2d`. This is the per-sample conv that the
    authors' code writes as one grouped conv with `groups = groups * N`.
  }];
  let arguments = (ins DyConv_Tensor4D:$input, DyConv_Tensor5D:$weight,
      Optional<DyConv_Tensor1D>:$bias,
      DyConv_Stride2Attr:$stride, DyConv_PaddingAttr:$padding,
      DyConv_Dilation2Attr:$dilation, DyConv_GroupsAttr:$groups);
  let results = (outs DyConv_Tensor4D:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def DyConv_LinearOp : DyConv_InferredOp<"linear", [DyConv_Kernel]> {
  let summary = "fully connected layer";
  let description = [{
    `y = input @ weight^T + bias` (PyTorch `nn.Linear`, ONNX `Gemm` with
    `transB = 1`). `input` is `[N, In]`, `weight` is `[Out, In]`, the optional
    `bias` is `[Out]`; the result is `[N, Out]`.
  }];
  let arguments = (ins DyConv_Tensor2D:$input, DyConv_Tensor2D:$weight,
      Optional<DyConv_Tensor1D>:$bias);
  let results = (outs DyConv_Tensor2D:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Normalisation
//===----------------------------------------------------------------------===//

def DyConv_BatchNormOp : DyConv_InferredOp<"batch_norm"> {
  let summary = "batch normalisation at inference";
  let description = [{
    `y = (input - mean) / sqrt(var + epsilon) * scale + bias` per channel
    (dimension 1). `input` has rank >= 2 (`[N, C, ...]`), the four parameters
    are `[C]`.
  }];
  let arguments = (ins DyConv_Tensor:$input, DyConv_Tensor1D:$scale,
      DyConv_Tensor1D:$bias, DyConv_Tensor1D:$mean, DyConv_Tensor1D:$variance,
      DefaultValuedAttr<F64Attr, "1e-5">:$epsilon);
  let results = (outs DyConv_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance attr-dict `:` functional-type(operands, results)
  }];
}

def DyConv_LayerNormOp : DyConv_InferredOp<"layer_norm", [DyConv_Kernel]> {
  let summary = "layer normalisation over the trailing dimensions";
  let description = [{
    Normalises `input` over the dimensions `[axis, rank)` (ONNX
    `LayerNormalization`): `y = (x - mean) / sqrt(var + epsilon) * scale + bias`
    with the biased variance. `scale` and `bias` have the normalised shape
    `input.shape[axis:]`. A negative `axis` counts from the end.
  }];
  let arguments = (ins DyConv_Tensor:$input, DyConv_Tensor:$scale,
      DyConv_Tensor:$bias, DefaultValuedAttr<I64Attr, "-1">:$axis,
      DefaultValuedAttr<F64Attr, "1e-5">:$epsilon);
  let results = (outs DyConv_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

/// An elementwise op of one operand; `kind` names its ElementwiseOp in the
/// kernel descriptor and the reference kernel is `reference::<mnemonic>`.
class DyConv_UnaryOp<string mnemonic, string kind, list<Trait> traits = []>
    : DyConv_EvaluatedOp<mnemonic, !listconcat(
        [DyConv_Kernel, Pure, SameOperandsAndResultType], traits)> {
  let arguments = (ins DyConv_Tensor:$input);
  let results = (outs DyConv_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let extraClassDefinition = [{
    ::llvm::Expected<std::vector<::mlir::dyconv::reference::Tensor>>
    $cppClass::evaluate(const ::mlir::dyconv::OperandTensors &operands) {
      return ::mlir::dyconv::singleResult(
          ::mlir::dyconv::reference::}] # mnemonic # [{(operands.get(getInput())));
    }
    ::mlir::FailureOr<::mlir::dyconv::KernelDesc> $cppClass::describeKernel() {
      return ::mlir::dyconv::describeElementwise(
          *this, ::mlir::dyconv::ElementwiseOp::}] # kind # [{);
    }
  }];
}

def DyConv_ReluOp : DyConv_UnaryOp<"relu", "Relu"> {
  let summary = "rectified linear unit";
  let description = [{ `y = max(x, 0)` elementwise. }];
  let hasFolder = 1;
}

def DyConv_SigmoidOp : DyConv_UnaryOp<"sigmoid", "Sigmoid"> {
  let summary = "logistic sigmoid";
  let description = [{ `y = 1 / (1 + exp(-x))` elementwise. }];
}

def DyConv_ClipOp : DyConv_EvaluatedOp<"clip", [DyConv_Kernel, Pure, SameOperandsAndResultType]> {
  let summary = "clamp to [min, max]";
  let description = [{
    `y = min(max(x, min), max)` elementwise; `min <= max` is required. ReLU6 is
    `dyconv.clip %x {min = 0.0 : f32, max = 6.0 : f32}`.
  }];
  let arguments = (ins DyConv_Tensor:$input, F32Attr:$min, F32Attr:$max);
  let results = (outs DyConv_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

/// An elementwise op of two operands with NumPy broadcasting; `kind` names
/// its ElementwiseOp and the reference kernel is `reference::<mnemonic>`.
class DyConv_BroadcastBinaryOp<string mnemonic, string kind,
                               list<Trait> traits = []>
    : DyConv_InferredOp<mnemonic, !listconcat([DyConv_Kernel], traits)> {
  let arguments = (ins DyConv_Tensor:$lhs, DyConv_Tensor:$rhs);
  let results = (outs DyConv_Tensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDefinition = [{
    ::mlir::FailureOr<::mlir::dyconv::inference::TypeList>
    $cppClass::inferResultTypes(
        const ::mlir::dyconv::inference::OpDiagnostics &diag, Adaptor adaptor) {
      return ::mlir::dyconv::inference::inferBroadcast(diag, adaptor.getLhs(),
                                                       adaptor.getRhs());
    }
    ::llvm::Expected<std::vector<::mlir::dyconv::reference::Tensor>>
    $cppClass::evaluate(const ::mlir::dyconv::OperandTensors &operands) {
      return ::mlir::dyconv::singleResult(::mlir::dyconv::reference::}] # mnemonic
          # [{(operands.get(getLhs()), operands.get(getRhs())));
    }
    ::mlir::FailureOr<::mlir::dyconv::KernelDesc> $cppClass::describeKernel() {
      return ::mlir::dyconv::describeElementwise(
          *this, ::mlir::dyconv::ElementwiseOp::}] # kind # [{);
    }
  }];
}

def DyConv_AddOp : DyConv_BroadcastBinaryOp<"add", "Add", [Commutative]> {
  let summary = "elementwise addition with NumPy broadcasting";
  let description = [{
    `y = lhs + rhs`. Shapes broadcast as in NumPy/ONNX: aligned from the
    right, a dimension of size 1 stretches to the other operand's size.
  }];
}

def DyConv_MulOp : DyConv_BroadcastBinaryOp<"mul", "Mul", [Commutative]> {
  let summary = "elementwise multiplication with NumPy broadcasting";
  let description = [{
    `y = lhs * rhs`, broadcasting as `dyconv.add`. Per-channel scales are a
    `[N, C, 1, 1]` operand.
  }];  let hasFolder = 1;
}

def DyConv_SubOp : DyConv_BroadcastBinaryOp<"sub", "Sub"> {
  let summary = "elementwise subtraction with NumPy broadcasting";
  let description = [{ `y = lhs - rhs`, broadcasting as `dyconv.add`. }];
}

def DyConv_DivOp : DyConv_BroadcastBinaryOp<"div", "Div"> {
  let summary = "elementwise division with NumPy broadcasting";
  let description = [{
    `y = lhs / rhs` (IEEE float division), broadcasting as `dyconv.add`.
    Imported ONNX graphs use it for attention temperatures and the
    KernelWarehouse normalisation until those are raised.
  }];  let hasFolder = 1;
}

def DyConv_AbsOp : DyConv_UnaryOp<"abs", "Abs"> {
  let summary = "absolute value";
  let description = [{ `y = |x|` elementwise. }];
}

def DyConv_SqrtOp : DyConv_UnaryOp<"sqrt", "Sqrt"> {
  let summary = "square root";
  let description = [{ `y = sqrt(x)` elementwise (NaN below 0). }];
}

def DyConv_ErfOp : DyConv_UnaryOp<"erf", "Erf"> {
  let summary = "error function";
  let description = [{ `y = erf(x)` elementwise (ONNX `Erf`). }];
}

def DyConv_TanhOp : DyConv_UnaryOp<"tanh", "Tanh"> {
  let summary = "hyperbolic tangent";
  let description = [{ `y = tanh(x)` elementwise. }];
}

def DyConv_GeluOp : DyConv_EvaluatedOp<"gelu", [DyConv_Kernel, Pure, SameOperandsAndResultType]> {
  let summary = "Gaussian error linear unit";
  let description = [{
    `y = x * 0.5 * (1 + erf(x / sqrt(2)))` elementwise (PyTorch `nn.GELU()`),
    or with `tanh_approximation` `y = 0.5 * x * (1 + tanh(sqrt(2 / pi) *
    (x + 0.044715 * x^3)))` (`nn.GELU(approximate='tanh')`). ONNX exports
    before opset 20 spell both out; `dyconv-raise-onnx-dynamic-conv` raises
    them to this op.
  }];
  let arguments = (ins DyConv_Tensor:$input,
      DefaultValuedAttr<BoolAttr, "false">:$tanh_approximation);
  let results = (outs DyConv_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def DyConv_SoftmaxOp : DyConv_EvaluatedOp<"softmax", [DyConv_Kernel, Pure, SameOperandsAndResultType]> {
  let summary = "softmax along one axis";
  let description = [{
    `y = exp(x - max) / sum(exp(x - max))` along `axis` (negative counts from
    the end). The result has the input's type.
  }];
  let arguments = (ins DyConv_Tensor:$input, I64Attr:$axis);
  let results = (outs DyConv_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

def DyConv_MaxPool2DOp : DyConv_InferredOp<"max_pool2d", [DyConv_Kernel]> {
  let summary = "2-D max pooling";
  let description = [{
    Max over `kernel_size` windows of `[N, C, H, W]`; padding never wins (as
    if padded with -inf). Output sizes as `dyconv.conv2d`, rounded up when
    `ceil_mode` is set (a window must start inside the input or left padding).
  }];
  let arguments = (ins DyConv_Tensor4D:$input, DyConv_Positive2Attr:$kernel_size,
      DyConv_Stride2Attr:$stride, DyConv_PaddingAttr:$padding,
      DyConv_Dilation2Attr:$dilation,
      DefaultValuedAttr<BoolAttr, "false">:$ceil_mode);
  let results = (outs DyConv_Tensor4D:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def DyConv_AvgPool2DOp : DyConv_InferredOp<"avg_pool2d", [DyConv_Kernel]> {
  let summary = "2-D average pooling";
  let description = [{
    Mean over `kernel_size` windows of `[N, C, H, W]`. With
    `count_include_pad` the divisor is the whole window (padding counts as
    zeros), otherwise the number of input elements in the window. Output sizes
    as `dyconv.max_pool2d`.
  }];
  let arguments = (ins DyConv_Tensor4D:$input, DyConv_Positive2Attr:$kernel_size,
      DyConv_Stride2Attr:$stride, DyConv_PaddingAttr:$padding,
      DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
      DefaultValuedAttr<BoolAttr, "false">:$count_include_pad);
  let results = (outs DyConv_Tensor4D:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def DyConv_GlobalAvgPoolOp : DyConv_InferredOp<"global_avg_pool", [DyConv_Kernel]> {
  let summary = "mean over all spatial positions";
  let description = [{
    `[N, C, H, W] -> [N, C, 1, 1]`, the mean over H and W (ONNX
    `GlobalAveragePool`).
  }];
  let arguments = (ins DyConv_Tensor4D:$input);
  let results = (outs DyConv_Tensor4D:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

def DyConv_FlattenOp : DyConv_InferredOp<"flatten"> {
  let summary = "collapse to a matrix at an axis";
  let description = [{
    `[d0, ..., dn) -> [d0*...*d(axis-1), d(axis)*...*dn]` (ONNX `Flatten`),
    `0 <= axis <= rank`.
  }];
  let arguments = (ins DyConv_Tensor:$input, DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs DyConv_Tensor2D:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def DyConv_ReshapeOp : DyConv_InferredOp<"reshape"> {
  let summary = "reshape with ONNX conventions";
  let description = [{
    Reinterprets `input` in row-major order with the shape `shape`. As in ONNX
    `Reshape` (allowzero = 0), an entry `0` copies the input's dimension at the
    same index and one entry may be `-1`, inferred from the element count. A
    reshape that keeps a dynamic batch writes `0` for it:
    `{shape = array<i64: 0, -1>}`.
  }];
  let arguments = (ins DyConv_Tensor:$input, DenseI64ArrayAttr:$shape);
  let results = (outs DyConv_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def DyConv_ConcatOp : DyConv_InferredOp<"concat", [DyConv_Kernel]> {
  let summary = "concatenate along one axis";
  let description = [{
    Joins tensors of equal rank whose dimensions agree except along `axis`
    (negative counts from the end).
  }];
  let arguments = (ins Variadic<DyConv_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs DyConv_Tensor:$output);
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def DyConv_TransposeOp : DyConv_InferredOp<"transpose", [DyConv_Kernel]> {
  let summary = "permute the dimensions";
  let description = [{
    `y[i_perm[0], ..., i_perm[r-1]]`: result dimension `d` is input dimension
    `perm[d]` (ONNX `Transpose`); `perm` is a permutation of `[0, rank)`.
  }];
  let arguments = (ins DyConv_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs DyConv_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def DyConv_SliceOp : DyConv_InferredOp<"slice", [DyConv_Kernel]> {
  let summary = "strided slice along some axes";
  let description = [{
    ONNX `Slice` with constant parameters: along each `axes[i]`, the elements
    `starts[i], starts[i] + steps[i], ...` up to (excluding) `ends[i]`.
    Negative `starts`/`ends` count from the end, both are clamped to the
    dimension (to `[-1, dim - 1]` for negative steps), `steps` are nonzero, an
    axis appears once and must be static. Other axes are kept whole.
  }];
  let arguments = (ins DyConv_Tensor:$input, DenseI64ArrayAttr:$axes,
      DenseI64ArrayAttr:$starts, DenseI64ArrayAttr:$ends,
      DenseI64ArrayAttr:$steps);
  let results = (outs DyConv_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def DyConv_PadOp : DyConv_InferredOp<"pad", [DyConv_Kernel]> {
  let summary = "pad with a constant";
  let description = [{
    ONNX `Pad` in constant mode: `pads` holds, as in ONNX, the elements added
    before every dimension, then those added after it (all non-negative);
    the new elements are `value`. PyTorch's `F.unfold` exports a pad before
    its gathers.
  }];
  let arguments = (ins DyConv_Tensor:$input, DenseI64ArrayAttr:$pads,
      DefaultValuedAttr<F32Attr, "0.0f">:$value);
  let results = (outs DyConv_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

class DyConv_ReduceOp<string mnemonic> : DyConv_InferredOp<mnemonic, [DyConv_Kernel]> {
  let arguments = (ins DyConv_Tensor:$input, DenseI64ArrayAttr:$axes,
      DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs DyConv_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def DyConv_ReduceSumOp : DyConv_ReduceOp<"reduce_sum"> {
  let summary = "sum over some axes";
  let description = [{
    The sum over `axes` (non-empty, distinct, negative counts from the end);
    the reduced dimensions stay as 1 with `keepdims`, else they are dropped
    (ONNX `ReduceSum`).
  }];
}

def DyConv_ReduceMeanOp : DyConv_ReduceOp<"reduce_mean"> {
  let summary = "mean over some axes";
  let description = [{
    The mean over `axes`, otherwise as `dyconv.reduce_sum`. The mean over
    H and W of a 4-D tensor canonicalizes to `dyconv.global_avg_pool`.
  }];
  let hasCanonicalizer = 1;
}

def DyConv_MatMulOp : DyConv_InferredOp<"matmul", [DyConv_Kernel]> {
  let summary = "matrix product with broadcast batch dimensions";
  let description = [{
    ONNX/NumPy `MatMul` of operands of rank >= 2: `[..., M, K] x [..., K, N]
    -> [..., M, N]`, the leading dimensions broadcast as in `dyconv.add`.
  }];
  let arguments = (ins DyConv_Tensor:$lhs, DyConv_Tensor:$rhs);
  let results = (outs DyConv_Tensor:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Dynamic convolutions
//===----------------------------------------------------------------------===//

def DyConv_ODConvOp : DyConv_InferredOp<"odconv", [AttrSizedOperandSegments]> {
  let summary = "omni-dimensional dynamic convolution (ODConv) layer";
  let description = [{
    One `ODConv2d` layer of Li et al. (ICLR 2022). From the layer input
    `input [N, Cin, H, W]` a small attention MLP computes, per sample,

    ```
    a   = GAP(input)                               [N, Cin]
    h   = ReLU(BN(a @ fc_weight^T))                [N, A]
    ch  = sigmoid((h @ channel_weight^T + channel_bias) / T)   [N, Cin]
    fil = sigmoid((h @ filter_weight^T  + filter_bias)  / T)   [N, Cout]  or 1
    sp  = sigmoid((h @ spatial_weight^T + spatial_bias) / T)   [N, k*k]   or 1
    ker = softmax((h @ kernel_weight^T  + kernel_bias)  / T)   [N, K]     or 1
    ```

    and the output is
    `y[b] = fil[b] * conv2d(ch[b] * input[b], sp[b] * sum_i ker[b,i] * weight[i])`
    with `stride`, `padding`, `dilation` and `groups`. `weight` is the kernel
    bank `[K, Cout, Cin/groups, k, k]` (square kernels, no bias). The heads
    exist exactly as in the authors' module: the channel head always; the
    filter head unless the layer is depthwise (`Cin == groups == Cout`); the
    spatial head unless `k == 1`; the kernel head unless `K == 1`. The
    attention matrices are 2-D (`[A, Cin]`, `[Cin, A]`, ...), the attention BN
    has `bn_epsilon`, and `temperature` is 1 at inference.
  }];
  let arguments = (ins DyConv_Tensor4D:$input, DyConv_Tensor5D:$weight,
      DyConv_Tensor2D:$fc_weight,
      DyConv_Tensor1D:$bn_scale, DyConv_Tensor1D:$bn_bias,
      DyConv_Tensor1D:$bn_mean, DyConv_Tensor1D:$bn_variance,
      DyConv_Tensor2D:$channel_weight, DyConv_Tensor1D:$channel_bias,
      Optional<DyConv_Tensor2D>:$filter_weight, Optional<DyConv_Tensor1D>:$filter_bias,
      Optional<DyConv_Tensor2D>:$spatial_weight, Optional<DyConv_Tensor1D>:$spatial_bias,
      Optional<DyConv_Tensor2D>:$kernel_weight, Optional<DyConv_Tensor1D>:$kernel_bias,
      DyConv_Stride2Attr:$stride, DyConv_PaddingAttr:$padding,
      DyConv_Dilation2Attr:$dilation, DyConv_GroupsAttr:$groups,
      DefaultValuedAttr<F64Attr, "1.0">:$temperature,
      DefaultValuedAttr<F64Attr, "1e-5">:$bn_epsilon);
  let results = (outs DyConv_Tensor4D:$output);
  let assemblyFormat = [{
    $input `,` $weight `attention` `(`
      `fc` `(` $fc_weight `)`
      `bn` `(` $bn_scale `,` $bn_bias `,` $bn_mean `,` $bn_variance `)`
      `channel` `(` $channel_weight `,` $channel_bias `)`
      (`filter` `(` $filter_weight^ `,` $filter_bias `)`)?
      (`spatial` `(` $spatial_weight^ `,` $spatial_bias `)`)?
      (`kernel` `(` $kernel_weight^ `,` $kernel_bias `)`)?
    `)` attr-dict `:` functional-type(operands, results)
  }];
  let hasCanonicalizer = 1;
  let extraClassDeclaration = [{
    /// True when the authors' module takes the `_forward_impl_pw1x` path
    /// (k == 1 and K == 1): a static conv between two attention scalings.
    bool isPointwiseSingleKernel();
  }];
}

def DyConv_KWAttentionOp : DyConv_InferredOp<"kw_attention", [DyConv_Kernel, AttrSizedOperandSegments]> {
  let summary = "KernelWarehouse contrasting-driven attention (CAF)";
  let description = [{
    The mixture coefficients of one KernelWarehouse layer, `[N, n, M]`, from
    the layer input `input [N, Cin, ...]` (rank >= 2; spatial dimensions are
    averaged away):

    ```
    a = mean of input over dims >= 2                       [N, Cin]
    h = ReLU(Norm(a @ fc1_weight^T (+ fc1_bias)))          [N, hid]
    ```

    `Norm` is BatchNorm1d (`norm_mean` and `norm_variance` present, no
    `fc1_bias`) or LayerNorm (both absent, `fc1_bias` present), with
    `norm_epsilon`. Without any norm parameters (`fc1_bias` present) there
    is no norm: the form `dyconv-decompose-dynamic-conv` gives the BatchNorm
    mode after folding the BatchNorm into `fc1`. In plain mode `logits = h @ fc2_weight^T + fc2_bias`,
    `[N, n*(M+1)]`. In nonlocal-basis mode (`fc3_weight [M-L, Nb]` and
    `basis_bias [n*(M+1)]` present, no `fc2_bias`), `fc2_weight` is
    `[n*(L+Nb+1), hid]`, the `Nb` basis logits are expanded by `fc3_weight`
    and the `L` local logits are inserted at `start_cell`. Each mixture's
    `M+1` logits (the last one the "zero cell") are divided by the sum of
    their absolute values plus 1e-3 and the zero cell is dropped: signed
    coefficients, `n = num_mixtures`, `M = num_cells`.
  }];
  let arguments = (ins DyConv_Tensor:$input, DyConv_Tensor2D:$fc1_weight,
      Optional<DyConv_Tensor1D>:$fc1_bias,
      Optional<DyConv_Tensor1D>:$norm_scale, Optional<DyConv_Tensor1D>:$norm_bias,
      Optional<DyConv_Tensor1D>:$norm_mean, Optional<DyConv_Tensor1D>:$norm_variance,
      DyConv_Tensor2D:$fc2_weight, Optional<DyConv_Tensor1D>:$fc2_bias,
      Optional<DyConv_Tensor2D>:$fc3_weight, Optional<DyConv_Tensor1D>:$basis_bias,
      ConfinedAttr<I64Attr, [IntPositive]>:$num_mixtures,
      ConfinedAttr<I64Attr, [IntPositive]>:$num_cells,
      DefaultValuedAttr<ConfinedAttr<I64Attr, [IntNonNegative]>, "0">:$start_cell,
      DefaultValuedAttr<F64Attr, "1e-5">:$norm_epsilon);
  let results = (outs DyConv_Tensor3D:$output);
  let assemblyFormat = [{
    $input `fc1` `(` $fc1_weight (`,` $fc1_bias^)? `)`
      (`norm` `(` $norm_scale^ `,` $norm_bias (`,` $norm_mean^ `,` $norm_variance)? `)`)?
      `fc2` `(` $fc2_weight (`,` $fc2_bias^)? `)`
      (`nonlocal` `(` $fc3_weight^ `,` $basis_bias `)`)?
      attr-dict `:` functional-type(operands, results)
  }];
}

def DyConv_KWAssembleOp : DyConv_InferredOp<"kw_assemble", [DyConv_Kernel]> {
  let summary = "KernelWarehouse: assemble per-sample kernels from a warehouse";
  let description = [{
    Builds one kernel per sample from the mixture coefficients
    `coefficients [N, n, M]` and the shared warehouse `warehouse [M, co, ci,
    ckh, ckw]`. The layer's kernel `[Cout, Cin/g, kh, kw]` is cut into
    `n = gs * go * gi` cells (`go = out_blocks`, `gi = in_blocks`,
    `gs = kh*kw / (ckh*ckw)` spatial cells, `kernel_size = [kh, kw]`); mixture
    `m = (s*go + o_blk)*gi + i_blk` is `sum_j coefficients[b, m, j] *
    warehouse[j]`. With 1x1 cells, `s = ky*kw + kx` and

    `W[b, o_blk*co + oc, i_blk*ci + ic, ky, kx] = sum_j c[b, (s*go + o_blk)*gi + i_blk, j] * E[j, oc, ic, 0, 0]`.

    Cells are either 1x1 or the whole kernel (`gs = 1`). The result
    `[N, go*co, gi*ci, kh, kw]` feeds `dyconv.dynamic_conv2d`.
  }];
  let arguments = (ins DyConv_Tensor3D:$coefficients, DyConv_Tensor5D:$warehouse,
      DyConv_Positive2Attr:$kernel_size,
      ConfinedAttr<I64Attr, [IntPositive]>:$out_blocks,
      ConfinedAttr<I64Attr, [IntPositive]>:$in_blocks);
  let results = (outs DyConv_Tensor5D:$output);
  let assemblyFormat = [{
    $coefficients `,` $warehouse attr-dict `:` functional-type(operands, results)
  }];
}

def DyConv_DDFOp : DyConv_InferredOp<"ddf", [DyConv_Kernel]> {
  let summary = "decoupled dynamic filter (DDF)";
  let description = [{
    The `ddf` operator of Zhou et al. (CVPR 2021), depthwise with a per-pixel
    spatial filter and a per-channel filter:

    ```
    Y[b,c,y,x] = sum_{i,j<k} X[b, c, y*s + (i-r)*d, x*s + (j-r)*d] * F(b,c,y,x,i,j)
    F = SF[b, i*k+j, y, x] * CF[b, c, i, j]    (combine = mul)
    F = SF[b, i*k+j, y, x] + CF[b, c, i, j]    (combine = add)
    ```

    with `r = (k-1)/2`, out-of-range taps skipped. `input` is `[N, C, H, W]`,
    `channel_filter` is `[N, C, k, k]`, `spatial_filter` is
    `[N, k*k, H/s, W/s]` and the result `[N, C, H/s, W/s]` (floor division;
    `k` odd).
  }];
  let arguments = (ins DyConv_Tensor4D:$input, DyConv_Tensor4D:$channel_filter,
      DyConv_Tensor4D:$spatial_filter,
      ConfinedAttr<I64Attr, [IntPositive]>:$kernel_size,
      DefaultValuedAttr<ConfinedAttr<I64Attr, [IntPositive]>, "1">:$stride,
      DefaultValuedAttr<ConfinedAttr<I64Attr, [IntPositive]>, "1">:$dilation,
      DyConv_DDFCombineAttr:$combine);
  let results = (outs DyConv_Tensor4D:$output);
  let assemblyFormat = [{
    $input `,` $channel_filter `,` $spatial_filter `combine` $combine attr-dict
      `:` functional-type(operands, results)
  }];
}

def DyConv_FilterNormOp : DyConv_InferredOp<"filter_norm", [DyConv_Kernel]> {
  let summary = "DDF FilterNorm: standardise each group of filter taps";
  let description = [{
    The FilterNorm of the DDF branches. `input` is `[N, G*taps, H, W]`; for
    every `(n, g, y, x)` the `taps` values `input[n, g*taps + t, y, x]` are
    centred by their mean and divided by their unbiased (N-1) standard
    deviation plus `epsilon`, then multiplied by `gain` and, when `scale`
    (`[G*taps]`) is given, elementwise by `scale[g*taps + t]`. The spatial
    branch uses `gain = calculate_gain(nonlinearity) / k` and no scale; the
    channel branch (`H = W = 1`) uses its learned `std` vector as `scale`.
  }];
  let arguments = (ins DyConv_Tensor4D:$input, Optional<DyConv_Tensor1D>:$scale,
      ConfinedAttr<I64Attr, [IntMinValue<2>]>:$taps,
      DefaultValuedAttr<F64Attr, "1.0">:$gain,
      DefaultValuedAttr<F64Attr, "1e-10">:$epsilon);
  let results = (outs DyConv_Tensor4D:$output);
  let assemblyFormat = [{
    $input (`scale` $scale^)? attr-dict `:` functional-type(operands, results)
  }];
}

include "dyconv/Dialect/DyConvKernelOps.td"

#endif // DYCONV_DIALECT_DYCONVOPS_TD
