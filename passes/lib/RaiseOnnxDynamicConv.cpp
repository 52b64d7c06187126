//===- RaiseOnnxDynamicConv.cpp - raise the dynamic convs of ONNX exports -===//
//
// Every dynamic convolution of an export reaches the grouped `conv2d` that
// folds the batch into its groups, the only conv2d whose kernel is computed.
// From each one the ODConv, the KernelWarehouse and then the CondConv/DyConv
// matcher walk back up the layer; what none recognises is left alone. The
// batch stays as exported (dyconv-free-export-batch frees it).
//
//===----------------------------------------------------------------------===//

#include "RaiseMatchers.h"
#include "RaiseOnnx.h"

#include "dyconv/Dialect/DyConvDialect.h"
#include "dyconv/Passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

namespace mlir::dyconv {
#define GEN_PASS_DEF_RAISEONNXDYNAMICCONV
#include "dyconv/Passes/Passes.h.inc"
} // namespace mlir::dyconv

using namespace mlir;
using namespace mlir::dyconv;

namespace {

struct RaiseOnnxDynamicConv
    : mlir::dyconv::impl::RaiseOnnxDynamicConvBase<RaiseOnnxDynamicConv> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    SmallVector<Conv2DOp> folds;
    func.walk([&](Conv2DOp conv) {
      if (!raise::isTensorConstant(conv.getWeight()))
        folds.push_back(conv);
    });
    // A raise erases only its own layer, so the later convs stay valid.
    IRRewriter rewriter(&getContext());
    raise::WarehouseCache warehouses;
    unsigned odconv = 0, kwAssemble = 0, dynamicConv = 0;
    for (Conv2DOp conv : folds) {
      if (succeeded(raise::raiseODConv(rewriter, conv)))
        ++odconv;
      else if (succeeded(
                   raise::raiseKernelWarehouse(rewriter, conv, warehouses)))
        ++kwAssemble;
      else if (succeeded(raise::raiseKernelAggregation(rewriter, conv)))
        ++dynamicConv;
    }
    numODConv += odconv;
    numKWAssemble += kwAssemble;
    numDynamicConv += dynamicConv;
    if (odconv + kwAssemble + dynamicConv)
      emitRemark(func.getLoc(), "raised ")
          << odconv << " odconv, " << kwAssemble << " kw_assemble and "
          << dynamicConv << " dynamic_conv2d layers";
  }
};

} // namespace
