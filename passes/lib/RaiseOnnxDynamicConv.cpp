//===- RaiseOnnxDynamicConv.cpp - raise the dynamic convs of ONNX exports -===//
//
// Three rounds, each over the candidates it collects before changing
// anything (ops that a raise erased meanwhile are skipped):
//
// 1. the written-out ops that the layers contain: LayerNorm and DDF's
//    FilterNorm (from each `div`) and GELU (from each `mul`);
// 2. the layers: every dynamic convolution of an export reaches the grouped
//    `conv2d` that folds the batch into its groups, the only conv2d whose
//    kernel is computed; from each one the ODConv, the KernelWarehouse and
//    then the CondConv/DyConv matcher walk back up the layer. DDF layers end
//    in the `reduce_sum` over the taps of an unfolded input;
// 3. layer scales: a per-channel constant `mul`, once the layers whose
//    matchers read such muls are raised.
//
// What no matcher recognises is left alone. The batch stays as exported
// (dyconv-free-export-batch frees it).
//
//===----------------------------------------------------------------------===//

#include "RaiseMatchers.h"
#include "RaiseOnnx.h"

#include "dyconv/Dialect/DyConvDialect.h"
#include "dyconv/Passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::dyconv {
#define GEN_PASS_DEF_RAISEONNXDYNAMICCONV
#include "dyconv/Passes/Passes.h.inc"
} // namespace mlir::dyconv

using namespace mlir;
using namespace mlir::dyconv;

namespace {

/// Remembers the ops a rewriter erased, so that collected candidates that a
/// raise consumed are skipped.
struct ErasedOps : public RewriterBase::Listener {
  void notifyOperationErased(Operation *op) override { erased.insert(op); }
  llvm::DenseSet<Operation *> erased;
};

/// Runs `raise` on every op of type `OpT` in `func` that is still there when
/// its turn comes; returns how many it raised.
template <typename OpT, typename RaiseFn>
unsigned raiseEach(func::FuncOp func, IRRewriter &rewriter,
                   const ErasedOps &erasedOps, RaiseFn raise) {
  SmallVector<OpT> candidates;
  func.walk([&](OpT op) { candidates.push_back(op); });
  unsigned raised = 0;
  for (OpT op : candidates)
    if (!erasedOps.erased.contains(op.getOperation()) &&
        succeeded(raise(rewriter, op)))
      ++raised;
  return raised;
}

struct RaiseOnnxDynamicConv
    : mlir::dyconv::impl::RaiseOnnxDynamicConvBase<RaiseOnnxDynamicConv> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    ErasedOps erasedOps;
    IRRewriter rewriter(&getContext(), &erasedOps);

    unsigned layerNorm = 0, filterNorm = 0;
    raiseEach<DivOp>(func, rewriter, erasedOps,
                     [&](RewriterBase &r, DivOp div) {
                       if (succeeded(raise::raiseLayerNorm(r, div)))
                         ++layerNorm;
                       else if (succeeded(raise::raiseFilterNorm(r, div)))
                         ++filterNorm;
                       else
                         return failure();
                       return success();
                     });
    unsigned gelu =
        raiseEach<MulOp>(func, rewriter, erasedOps, raise::raiseGelu);

    raise::WarehouseCache warehouses;
    unsigned odconv = 0, kwAssemble = 0, dynamicConv = 0;
    raiseEach<Conv2DOp>(
        func, rewriter, erasedOps, [&](RewriterBase &r, Conv2DOp conv) {
          if (raise::isTensorConstant(conv.getWeight()))
            return failure();
          if (succeeded(raise::raiseODConv(r, conv)))
            ++odconv;
          else if (succeeded(raise::raiseKernelWarehouse(r, conv, warehouses)))
            ++kwAssemble;
          else if (succeeded(raise::raiseKernelAggregation(r, conv)))
            ++dynamicConv;
          else
            return failure();
          return success();
        });
    unsigned ddf =
        raiseEach<ReduceSumOp>(func, rewriter, erasedOps, raise::raiseDDF);
    unsigned layerScale =
        raiseEach<MulOp>(func, rewriter, erasedOps, raise::raiseLayerScale);

    numODConv += odconv;
    numKWAssemble += kwAssemble;
    numDynamicConv += dynamicConv;
    numDDF += ddf;
    numLayerNorm += layerNorm;
    numFilterNorm += filterNorm;
    numGelu += gelu;
    numLayerScale += layerScale;
    if (odconv + kwAssemble + dynamicConv)
      emitRemark(func.getLoc(), "raised ")
          << odconv << " odconv, " << kwAssemble << " kw_assemble and "
          << dynamicConv << " dynamic_conv2d layers";
    if (ddf + filterNorm + layerNorm + gelu + layerScale)
      emitRemark(func.getLoc(), "raised ")
          << ddf << " ddf, " << filterNorm << " filter_norm, " << layerNorm
          << " layer_norm, " << gelu << " gelu and " << layerScale
          << " layer scale patterns";
  }
};

} // namespace
