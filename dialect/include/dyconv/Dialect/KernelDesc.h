//===- KernelDesc.h - the kernels that codegen generates --------*- C++ -*-===//
//
// One descriptor per kernel family: everything the generated code is
// specialised on (static extents, attributes, the decisions recorded in the
// IR). Kernel-level ops produce them (KernelOpInterface::describeKernel);
// codegen builds one Halide pipeline per descriptor. Plain C++: no Halide, no
// IR.
//
// Calling convention, shared with the runtime (dyconv_runtime.h): a kernel's
// arguments are its input buffers in the order the descriptor lists them
// (absent optional operands are left out), followed by its output buffers.
// Every buffer is float32 and dense, its Halide dimensions the tensor shape
// reversed (dimension 0 is the innermost, contiguous one). Every extent is a
// compile-time constant except a dynamic leading (batch) dimension.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_DIALECT_KERNELDESC_H
#define DYCONV_DIALECT_KERNELDESC_H

#include "dyconv/Dialect/DyConvEnums.h"

#include "mlir/IR/BuiltinTypeInterfaces.h"

#include <array>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <variant>
#include <vector>

namespace mlir::dyconv {

/// A row-major tensor shape as the IR writes it: a dynamic extent (the
/// batch, read from the buffers at run time) is `ShapedType::kDynamic`.
using Shape = std::vector<int64_t>;

/// What a convolution does to its accumulator before storing it, in this
/// order: * scale[c] (or scale[n, c]), + bias[c], + residual[n, c, y, x],
/// activation.
struct Epilogue {
  bool scale = false;          ///< operand scale [Cout], or [N, Cout] if:
  bool perSampleScale = false; ///< one scale per sample and channel
  bool bias = false;           ///< operand bias [Cout]
  bool residual = false;       ///< operand residual, shaped like the output
  Activation activation = Activation::None;
  float clipMin = 0.0f, clipMax = 6.0f; ///< Activation::Clip only
};

/// ODConv kernel aggregation with every attention folded in (spec §1.4):
///   W[n, o, c, t] = filter[n, o] * channel[n, (o / (Cout/g)) * Cin/g + c]
///                   * spatial[n, t] * sum_i kernel[n, i] * bank[i, o, c, t]
/// Inputs: bank [K, Cout, Cin/g, KH, KW], channel [N, Cin], then filter
/// [N, Cout], spatial [N, KH*KW], kernel [N, K] for each present one (absent
/// ones act as 1; K must be 1 without the kernel attention).
/// Output: [N, Cout, Cin/g, KH, KW].
struct AggregateKernel {
  int64_t kernels = 1, outChannels = 0, inChannelsPerGroup = 0;
  int64_t kernelH = 1, kernelW = 1, groups = 1;
  bool hasFilter = false, hasSpatial = false, hasKernel = false;
};

/// Static or per-sample 2-D convolution with a fused epilogue.
/// Inputs: input [N, Cin, H, W]; weight [Cout, Cin/g, KH, KW] (static) or
/// [N, Cout, Cin/g, KH, KW] (perSample); scale [Cout] ([N, Cout] with
/// epilogue.perSampleScale) if epilogue.scale;
/// bias [Cout] if epilogue.bias; residual [N, Cout, Ho, Wo] if
/// epilogue.residual; with `aggregation`, weight is the bank [K, Cout, Cin/g,
/// KH, KW] and the aggregation's attentions (channel, then filter, spatial,
/// kernel as present) follow the residual. Output: [N, Cout, Ho, Wo].
struct ConvKernel {
  int64_t inChannels = 0, height = 0, width = 0;
  int64_t outChannels = 0, kernelH = 1, kernelW = 1;
  std::array<int64_t, 2> stride = {1, 1};
  std::array<int64_t, 4> padding = {0, 0, 0, 0}; ///< top, left, bottom, right
  std::array<int64_t, 2> dilation = {1, 1};
  int64_t groups = 1;
  bool perSample = false;
  /// Set when the conv aggregates its per-sample kernels from a bank itself
  /// (perSample is then true too).
  std::optional<AggregateKernel> aggregation;
  Epilogue epilogue;
  /// The register tile (ConvScheduleAttr): its kind and extents.
  ConvScheduleKind schedule = ConvScheduleKind::XVectors;
  std::vector<int64_t> tile;
};

/// The ODConv attention (spec §1.2) with its BatchNorm folded into the fc:
///   a = GAP(x); h = ReLU(a @ fcW^T + fcB)
///   channel = sigmoid((h @ Wc^T + bc) / T)  [N, Cin]
///   filter  = sigmoid((h @ Wf^T + bf) / T)  [N, Cout]   if hasFilter
///   spatial = sigmoid((h @ Ws^T + bs) / T)  [N, taps]   if hasSpatial
///   kernel  = softmax((h @ Wk^T + bk) / T)  [N, K]      if hasKernel
/// Inputs: input [N, Cin, H, W], fcWeight [A, Cin], fcBias [A], channel
/// weight [Cin, A] and bias [Cin], then weight and bias of each present head
/// in the order filter, spatial, kernel. Outputs: the present heads, in the
/// order channel, filter, spatial, kernel.
struct ODConvAttentionKernel {
  int64_t inChannels = 0, height = 0, width = 0;
  int64_t hidden = 0; ///< A
  int64_t outChannels = 0, taps = 0, kernels = 0;
  bool hasFilter = false, hasSpatial = false, hasKernel = false;
  float temperature = 1.0f;
};

/// `dyconv.kw_attention` (spec §2.4) with a BatchNorm (if any) folded into
/// fc1, so the hidden layer is ReLU(LayerNorm?(a @ fc1^T + fc1Bias)).
/// Inputs: input [N, Cin, H, W], fc1Weight [hid, Cin], fc1Bias [hid],
/// (layerNorm: normScale [hid], normBias [hid]), fc2Weight [rows, hid],
/// then plain mode: fc2Bias [n*(M+1)]; nonlocal mode: fc3Weight [M-L, Nb],
/// basisBias [n*(M+1)]. Output: [N, n, M].
struct KWAttentionKernel {
  int64_t inChannels = 0, height = 0, width = 0, hidden = 0;
  int64_t numMixtures = 1, numCells = 1, startCell = 0;
  bool layerNorm = false;
  float normEpsilon = 1e-5f;
  bool nonlocal = false;
  int64_t localCells = 0, basisCells = 0; ///< L and Nb, nonlocal mode only
};

/// `dyconv.kw_assemble` (spec §2.5). Inputs: coefficients [N, n, M],
/// warehouse [M, co, ci, ckh, ckw]. Output: [N, outBlocks*co, inBlocks*ci,
/// KH, KW].
struct KWAssembleKernel {
  int64_t numMixtures = 1, numCells = 1;
  std::array<int64_t, 3> cellShape = {1, 1, 1}; ///< co, ci, ckh (= ckw)
  std::array<int64_t, 2> kernelSize = {1, 1};
  int64_t outBlocks = 1, inBlocks = 1;
};

/// `dyconv.ddf` (spec §3.1). Inputs: input [N, C, H, W], channel filter
/// [N, C, k, k], spatial filter [N, k*k, Ho, Wo]. Output: [N, C, Ho, Wo].
struct DDFKernel {
  int64_t channels = 0, height = 0, width = 0;
  int64_t kernelSize = 3, stride = 1, dilation = 1;
  DDFCombine combine = DDFCombine::Mul;
};

/// `dyconv.filter_norm` (spec §3.2). Inputs: input [N, G*taps, H, W], then
/// scale [G*taps] if hasScale. Output: like the input.
struct FilterNormKernel {
  int64_t channels = 0, height = 0, width = 0, taps = 1;
  bool hasScale = false;
  float gain = 1.0f;
  float epsilon = 1e-10f; ///< added to the standard deviation
};

enum class PoolKind { Max, Average, GlobalAverage };

/// Pooling. Input [N, C, H, W]; output [N, C, Ho, Wo] ([N, C, 1, 1] for
/// global average).
struct PoolKernel {
  PoolKind kind = PoolKind::Max;
  int64_t channels = 0, height = 0, width = 0;
  std::array<int64_t, 2> kernel = {1, 1}, stride = {1, 1}, dilation = {1, 1};
  std::array<int64_t, 4> padding = {0, 0, 0, 0};
  bool ceilMode = false;
  bool countIncludePad = false; ///< Average only
};

/// Dense layer: input [N, In], weight [Out, In], bias [Out] if hasBias, with
/// an activation. Output [N, Out].
struct LinearKernel {
  int64_t inFeatures = 0, outFeatures = 0;
  bool hasBias = false;
  Activation activation = Activation::None;
  float clipMin = 0.0f, clipMax = 6.0f;
};

enum class ElementwiseOp {
  Relu,
  Sigmoid,
  Clip,
  Abs,
  Sqrt,
  Erf,
  Tanh,
  Gelu,     ///< x * Phi(x)
  GeluTanh, ///< PyTorch's tanh approximation of Gelu
  Add,
  Mul,
  Sub,
  Div
};

/// Unary (one input) or NumPy-broadcasting binary (two inputs) elementwise
/// op. Shapes may have a dynamic batch; the output shape is the broadcast.
struct ElementwiseKernel {
  ElementwiseOp op = ElementwiseOp::Relu;
  std::vector<Shape> inputShapes;
  float clipMin = 0.0f, clipMax = 6.0f; ///< Clip only
};

/// Per-channel affine map y = x * scale[c] + shift[c] (an unfused inference
/// BatchNorm). Inputs: input (channels on dimension 1), scale [C], shift [C].
struct ChannelAffineKernel {
  Shape shape;
};

/// Softmax along `axis` (non-negative). Input and output of `shape`.
struct SoftmaxKernel {
  Shape shape;
  int64_t axis = 1;
};

/// Layer norm over dimensions [axis, rank). Inputs: input, scale and bias of
/// shape shape[axis:].
struct LayerNormKernel {
  Shape shape;
  int64_t axis = 1;
  float epsilon = 1e-5f;
};

/// Concatenation along `axis` (non-negative) of inputs of `inputShapes`.
struct ConcatKernel {
  std::vector<Shape> inputShapes;
  int64_t axis = 1;
};

/// `dyconv.transpose`: output dimension d is input dimension perm[d].
/// Input of `shape`; the batch stays dimension 0 (perm[0] == 0).
struct TransposeKernel {
  Shape shape;
  std::vector<int64_t> perm;
};

/// `dyconv.slice` normalised per dimension: output[i] is input[starts + i *
/// steps] (steps may be negative), of `outputShape`. Input of `shape`; the
/// batch dimension is never sliced.
struct SliceKernel {
  Shape shape, outputShape;
  std::vector<int64_t> starts, steps;
};

/// `dyconv.pad` in constant mode: `pads` as ONNX (all begins, then all
/// ends; the batch's are 0), new elements `value`. Input of `shape`.
struct PadKernel {
  Shape shape;
  std::vector<int64_t> pads;
  float value = 0.0f;
};

/// `dyconv.reduce_sum` / `dyconv.reduce_mean` over the sorted, non-negative
/// `axes` (never the batch) of an input of `shape`; the reduced dimensions
/// are kept as 1 with `keepDims`, else dropped.
struct ReduceKernel {
  Shape shape;
  std::vector<int64_t> axes;
  bool mean = false, keepDims = true;
};

/// `dyconv.matmul`: `[..., M, K] x [..., K, N]`, the leading dimensions
/// broadcast (NumPy); inputs of rank >= 2.
struct MatMulKernel {
  Shape lhsShape, rhsShape;
};

/// `dyconv.convert_layout`: the input in its layout, copied into the
/// output's. Input and output of logical `shape`.
struct ConvertLayoutKernel {
  Shape shape;
};

using KernelFamily =
    std::variant<ConvKernel, ODConvAttentionKernel, AggregateKernel,
                 KWAttentionKernel, KWAssembleKernel, DDFKernel,
                 FilterNormKernel, PoolKernel, LinearKernel, ElementwiseKernel,
                 ChannelAffineKernel, SoftmaxKernel, LayerNormKernel,
                 ConcatKernel, ConvertLayoutKernel, TransposeKernel,
                 SliceKernel, PadKernel, ReduceKernel, MatMulKernel>;

/// How one kernel argument is stored: plain row-major, or blocked as a
/// BlockedLayoutAttr says (its dims and tiles).
struct Layout {
  std::vector<int64_t> dims, tiles;

  bool isPlain() const { return dims.empty(); }
  /// The physical shape of a tensor of `logical` shape in this layout
  /// (dyconv/Dialect/Layout.h defines the arithmetic).
  Shape physicalShape(const Shape &logical) const;
  bool operator==(const Layout &other) const {
    return dims == other.dims && tiles == other.tiles;
  }
};

/// A kernel: its family's descriptor and the layout of every argument.
struct KernelDesc {
  KernelFamily family;
  /// One per argument, inputs then outputs; empty when all are plain.
  std::vector<Layout> layouts;

  template <typename Family,
            typename = std::enable_if_t<
                std::is_constructible_v<KernelFamily, Family &&>>>
  KernelDesc(Family &&family) : family(std::forward<Family>(family)) {}

  /// The layout of argument `index` (plain when layouts is empty).
  Layout layout(size_t index) const {
    return index < layouts.size() ? layouts[index] : Layout();
  }
};

} // namespace mlir::dyconv

#endif // DYCONV_DIALECT_KERNELDESC_H
