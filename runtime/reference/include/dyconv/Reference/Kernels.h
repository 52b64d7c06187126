//===- Kernels.h - reference implementations of the dyconv ops -*- C++ -*-===//
//
// One plain function per dyconv operation, on whole tensors, written for
// obvious correctness rather than speed: nested loops in the order of the
// formula, reductions accumulated in double. Each function checks the shapes
// it is given and returns an error naming them instead of reading out of
// bounds, so it can be called directly (e.g. by codegen tests) as well as by
// the interpreter. Optional operands are null pointers.
//
// The semantics are those of the op descriptions in DyConvOps.td and of the
// operator specification (shared/spec/operators.md).
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_REFERENCE_KERNELS_H
#define DYCONV_REFERENCE_KERNELS_H

#include "dyconv/Dialect/DyConvEnums.h"
#include "dyconv/Reference/Tensor.h"

#include "llvm/Support/Error.h"

#include <array>

namespace mlir::dyconv::reference {

/// Attributes shared by the convolutions (`dyconv.conv2d` and friends).
struct ConvParams {
  std::array<int64_t, 2> stride = {1, 1};
  /// [top, left, bottom, right]
  std::array<int64_t, 4> padding = {0, 0, 0, 0};
  std::array<int64_t, 2> dilation = {1, 1};
  int64_t groups = 1;
};

/// Attributes of the 2-D poolings.
struct PoolParams {
  std::array<int64_t, 2> kernel = {1, 1};
  std::array<int64_t, 2> stride = {1, 1};
  /// [top, left, bottom, right]
  std::array<int64_t, 4> padding = {0, 0, 0, 0};
  std::array<int64_t, 2> dilation = {1, 1};
  bool ceilMode = false;
};

//===----------------------------------------------------------------------===//
// Convolution and dense layers
//===----------------------------------------------------------------------===//

/// `dyconv.conv2d`: input [N, Cin, H, W], weight [Cout, Cin/g, KH, KW],
/// bias [Cout] or null.
llvm::Expected<Tensor> conv2d(const Tensor &input, const Tensor &weight,
                              const Tensor *bias, const ConvParams &params);

/// `dyconv.dynamic_conv2d`: weight [N, Cout, Cin/g, KH, KW], one kernel per
/// sample.
llvm::Expected<Tensor> dynamicConv2d(const Tensor &input, const Tensor &weight,
                                     const Tensor *bias,
                                     const ConvParams &params);

/// `dyconv.linear`: input [N, In], weight [Out, In], bias [Out] or null.
llvm::Expected<Tensor> linear(const Tensor &input, const Tensor &weight,
                              const Tensor *bias);

//===----------------------------------------------------------------------===//
// Normalisation
//===----------------------------------------------------------------------===//

/// `dyconv.batch_norm` (inference): per channel (dimension 1).
llvm::Expected<Tensor> batchNorm(const Tensor &input, const Tensor &scale,
                                 const Tensor &bias, const Tensor &mean,
                                 const Tensor &variance, double epsilon);

/// `dyconv.layer_norm` over dimensions [axis, rank) (negative axis counts
/// from the end).
llvm::Expected<Tensor> layerNorm(const Tensor &input, const Tensor &scale,
                                 const Tensor &bias, int64_t axis,
                                 double epsilon);

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

Tensor relu(const Tensor &input);
Tensor sigmoid(const Tensor &input);
llvm::Expected<Tensor> clip(const Tensor &input, float min, float max);
/// NumPy broadcasting.
llvm::Expected<Tensor> add(const Tensor &lhs, const Tensor &rhs);
llvm::Expected<Tensor> mul(const Tensor &lhs, const Tensor &rhs);
llvm::Expected<Tensor> sub(const Tensor &lhs, const Tensor &rhs);
llvm::Expected<Tensor> div(const Tensor &lhs, const Tensor &rhs);
Tensor abs(const Tensor &input);
Tensor sqrt(const Tensor &input);
Tensor erf(const Tensor &input);
Tensor tanh(const Tensor &input);
/// `x * Phi(x)`, or PyTorch's tanh approximation of it.
Tensor gelu(const Tensor &input, bool tanhApproximation);
/// The NumPy broadcast of two shapes, or an error naming both.
llvm::Expected<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs);
/// Numerically stable softmax along `axis` (negative counts from the end).
llvm::Expected<Tensor> softmax(const Tensor &input, int64_t axis);

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

llvm::Expected<Tensor> maxPool2d(const Tensor &input, const PoolParams &params);
/// `params.dilation` must be {1, 1}.
llvm::Expected<Tensor> avgPool2d(const Tensor &input, const PoolParams &params,
                                 bool countIncludePad);
llvm::Expected<Tensor> globalAvgPool(const Tensor &input);

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

llvm::Expected<Tensor> flatten(const Tensor &input, int64_t axis);
/// ONNX `Reshape` with allowzero = 0: `0` copies, one `-1` is inferred.
llvm::Expected<Tensor> reshape(const Tensor &input,
                               llvm::ArrayRef<int64_t> spec);
llvm::Expected<Tensor> concat(llvm::ArrayRef<const Tensor *> inputs,
                              int64_t axis);
/// ONNX `Pad` in constant mode (`pads`: every begin, then every end).
llvm::Expected<Tensor> pad(const Tensor &input, llvm::ArrayRef<int64_t> pads,
                           float value);
/// ONNX `Transpose`: result dimension d is input dimension perm[d].
llvm::Expected<Tensor> transpose(const Tensor &input,
                                 llvm::ArrayRef<int64_t> perm);
/// ONNX `Slice` with constant parameters.
llvm::Expected<Tensor> slice(const Tensor &input, llvm::ArrayRef<int64_t> axes,
                             llvm::ArrayRef<int64_t> starts,
                             llvm::ArrayRef<int64_t> ends,
                             llvm::ArrayRef<int64_t> steps);

//===----------------------------------------------------------------------===//
// Reductions and matrix products
//===----------------------------------------------------------------------===//

/// Sum (or, with `mean`, the mean) over `axes` (negative counts from the end).
llvm::Expected<Tensor> reduce(const Tensor &input, llvm::ArrayRef<int64_t> axes,
                              bool keepdims, bool mean);
/// ONNX `MatMul` of operands of rank >= 2, batch dimensions broadcast.
llvm::Expected<Tensor> matmul(const Tensor &lhs, const Tensor &rhs);

//===----------------------------------------------------------------------===//
// Dynamic convolutions
//===----------------------------------------------------------------------===//

/// The parameters of one ODConv layer (spec §1). Absent heads are null and
/// act as the scalar 1.
struct ODConvWeights {
  const Tensor *bank = nullptr;          ///< [K, Cout, Cin/g, k, k]
  const Tensor *fcWeight = nullptr;      ///< [A, Cin]
  const Tensor *bnScale = nullptr;       ///< [A]
  const Tensor *bnBias = nullptr;        ///< [A]
  const Tensor *bnMean = nullptr;        ///< [A]
  const Tensor *bnVariance = nullptr;    ///< [A]
  const Tensor *channelWeight = nullptr; ///< [Cin, A]
  const Tensor *channelBias = nullptr;   ///< [Cin]
  const Tensor *filterWeight = nullptr;  ///< [Cout, A] or null
  const Tensor *filterBias = nullptr;    ///< [Cout] or null
  const Tensor *spatialWeight = nullptr; ///< [k*k, A] or null
  const Tensor *spatialBias = nullptr;   ///< [k*k] or null
  const Tensor *kernelWeight = nullptr;  ///< [K, A] or null
  const Tensor *kernelBias = nullptr;    ///< [K] or null
};

struct ODConvParams {
  ConvParams conv;
  double temperature = 1.0;
  double bnEpsilon = 1e-5;
};

/// `dyconv.odconv`: one ODConv2d layer, spec §1.2-1.5.
llvm::Expected<Tensor> odconv(const Tensor &input, const ODConvWeights &weights,
                              const ODConvParams &params);

/// The parameters of one KernelWarehouse attention (spec §2.4).
struct KWAttentionWeights {
  const Tensor *fc1Weight = nullptr;    ///< [hid, Cin]
  const Tensor *fc1Bias = nullptr;      ///< [hid], without a batch norm
  const Tensor *normScale = nullptr;    ///< [hid], null without a norm
  const Tensor *normBias = nullptr;     ///< [hid], null without a norm
  const Tensor *normMean = nullptr;     ///< [hid], batch norm only
  const Tensor *normVariance = nullptr; ///< [hid], batch norm only
  const Tensor *fc2Weight = nullptr;    ///< [n*(M+1), hid] or [n*(L+Nb+1), hid]
  const Tensor *fc2Bias = nullptr;      ///< [n*(M+1)], plain mode only
  const Tensor *fc3Weight = nullptr;    ///< [M-L, Nb], nonlocal mode only
  const Tensor *basisBias = nullptr;    ///< [n*(M+1)], nonlocal mode only
};

struct KWAttentionParams {
  int64_t numMixtures = 1; ///< n
  int64_t numCells = 1;    ///< M
  int64_t startCell = 0;
  double normEpsilon = 1e-5;
};

/// `dyconv.kw_attention`: the CAF coefficients [N, n, M] (spec §2.4).
llvm::Expected<Tensor> kwAttention(const Tensor &input,
                                   const KWAttentionWeights &weights,
                                   const KWAttentionParams &params);

/// `dyconv.kw_assemble`: per-sample kernels [N, go*co, gi*ci, kh, kw] from
/// coefficients [N, n, M] and a warehouse [M, co, ci, ckh, ckw] (spec §2.5).
llvm::Expected<Tensor> kwAssemble(const Tensor &coefficients,
                                  const Tensor &warehouse,
                                  std::array<int64_t, 2> kernelSize,
                                  int64_t outBlocks, int64_t inBlocks);

/// `dyconv.ddf` (spec §3.1): input [N, C, H, W], channel filter [N, C, k, k],
/// spatial filter [N, k*k, H/s, W/s].
llvm::Expected<Tensor> ddf(const Tensor &input, const Tensor &channelFilter,
                           const Tensor &spatialFilter, int64_t kernelSize,
                           int64_t stride, int64_t dilation,
                           DDFCombine combine);

/// `dyconv.filter_norm` (spec §3.2): input [N, G*taps, H, W], scale
/// [G*taps] or null.
llvm::Expected<Tensor> filterNorm(const Tensor &input, const Tensor *scale,
                                  int64_t taps, double gain, double epsilon);

//===----------------------------------------------------------------------===//
// Kernel-level ops
//===----------------------------------------------------------------------===//

/// `dyconv.fused_conv2d`: activation(conv * scale + bias + residual). A 5-D
/// weight holds one kernel per sample; `scale` is null, `[Cout]` or
/// `[N, Cout]` (per sample), `bias` null or `[Cout]`, `residual` null or
/// shaped like the result.
llvm::Expected<Tensor> fusedConv2d(const Tensor &input, const Tensor &weight,
                                   const Tensor *scale, const Tensor *bias,
                                   const Tensor *residual,
                                   const ConvParams &params,
                                   Activation activation, float clipMin,
                                   float clipMax);

/// The heads of `dyconv.odconv_attention` (null when absent).
struct ODConvAttentionWeights {
  const Tensor *fcWeight = nullptr;      ///< [A, Cin]
  const Tensor *fcBias = nullptr;        ///< [A]
  const Tensor *channelWeight = nullptr; ///< [Cin, A]
  const Tensor *channelBias = nullptr;   ///< [Cin]
  const Tensor *filterWeight = nullptr, *filterBias = nullptr;
  const Tensor *spatialWeight = nullptr, *spatialBias = nullptr;
  const Tensor *kernelWeight = nullptr, *kernelBias = nullptr;
};

/// `dyconv.odconv_attention`: the attentions of the present heads, in the
/// order channel, filter, spatial, kernel.
llvm::Expected<std::vector<Tensor>>
odconvAttention(const Tensor &input, const ODConvAttentionWeights &weights,
                double temperature);

/// `dyconv.aggregate`: per-sample kernels from a bank and the attentions
/// (null when absent).
llvm::Expected<Tensor> aggregate(const Tensor &bank, const Tensor &channel,
                                 const Tensor *filter, const Tensor *spatial,
                                 const Tensor *kernel, int64_t groups);

/// `dyconv.channel_affine`: input * scale[c] + shift[c] along dimension 1.
llvm::Expected<Tensor> channelAffine(const Tensor &input, const Tensor &scale,
                                     const Tensor &shift);

} // namespace mlir::dyconv::reference

#endif // DYCONV_REFERENCE_KERNELS_H
