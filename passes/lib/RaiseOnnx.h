//===- RaiseOnnx.h - pieces of dyconv-raise-onnx-dynamic-conv ---*- C++ -*-===//
//
// Internal to DyConvPasses: the layer raisers that
// dyconv-raise-onnx-dynamic-conv runs on a function imported from an ONNX
// export of the authors' PyTorch code.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_PASSES_LIB_RAISEONNX_H
#define DYCONV_PASSES_LIB_RAISEONNX_H

#include "dyconv/Dialect/DyConvOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::dyconv::raise {

/// Replaces the imported ODConv layer whose batch-folded grouped conv is
/// `conv` with one `dyconv.odconv`. Fails, leaving the IR unchanged, when
/// `conv` is not part of one.
LogicalResult raiseODConv(RewriterBase &rewriter, Conv2DOp conv);

/// The warehouses raised so far, found by the contents of the linear layer's
/// constant (`warehouse^T`) they were recovered from: an importer may give
/// every layer of a shared warehouse its own copy of that constant.
class WarehouseCache {
public:
  /// The warehouse recovered from a constant holding `source`, or null.
  Value lookup(Attribute source) const;
  void insert(Attribute source, Value warehouse);

private:
  SmallVector<std::pair<Attribute, Value>> warehouses;
};

/// Replaces the imported KernelWarehouse layer whose batch-folded grouped
/// conv is `conv` with `kw_attention`, `kw_assemble` and `dynamic_conv2d`.
/// Layers that read the same warehouse share one constant through
/// `warehouses`. Fails, leaving the IR unchanged, when `conv` is not part of
/// one.
LogicalResult raiseKernelWarehouse(RewriterBase &rewriter, Conv2DOp conv,
                                   WarehouseCache &warehouses);

/// Replaces a CondConv/DyConv layer, whose batch-folded grouped `conv` reads
/// kernels (and biases) aggregated as `linear(routing, bank^T)`, with a
/// `dynamic_conv2d` over the aggregated per-sample kernel. Fails, leaving the
/// IR unchanged, when `conv` is not part of one.
LogicalResult raiseKernelAggregation(RewriterBase &rewriter, Conv2DOp conv);

/// Replaces a LayerNorm written out as reductions and elementwise ops, whose
/// division by the standard deviation is `div`, with `dyconv.layer_norm`
/// (between transposes when it normalises one inner axis).
LogicalResult raiseLayerNorm(RewriterBase &rewriter, DivOp div);

/// Replaces DDF's FilterNorm written out with PyTorch's unbiased `std`,
/// whose division by the standard deviation is `div`, with
/// `dyconv.filter_norm`.
LogicalResult raiseFilterNorm(RewriterBase &rewriter, DivOp div);

/// Replaces a GELU written out with `erf` or `tanh`, whose last product is
/// `mul`, with `dyconv.gelu`.
LogicalResult raiseGelu(RewriterBase &rewriter, MulOp mul);

/// Replaces the `ddf` op written out with an unfold, whose sum over the
/// taps is `sum`, with `dyconv.ddf`.
LogicalResult raiseDDF(RewriterBase &rewriter, ReduceSumOp sum);

/// Replaces `mul` by a per-channel constant of a 4-D value (a layer scale)
/// with a `dyconv.channel_affine`.
LogicalResult raiseLayerScale(RewriterBase &rewriter, MulOp mul);

} // namespace mlir::dyconv::raise

#endif // DYCONV_PASSES_LIB_RAISEONNX_H
