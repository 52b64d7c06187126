//===- PackWeights.cpp - store constants in the layout kernels read -------===//

#include "dyconv/Dialect/DyConvDialect.h"
#include "dyconv/Dialect/DyConvOps.h"
#include "dyconv/Dialect/Layout.h"
#include "dyconv/Passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::dyconv {
#define GEN_PASS_DEF_PACKWEIGHTS
#include "dyconv/Passes/Passes.h.inc"
} // namespace mlir::dyconv

using namespace mlir;
using namespace mlir::dyconv;

namespace {

/// convert_layout(constant) -> the constant stored in the converted layout.
struct PackConstant : OpRewritePattern<ConvertLayoutOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ConvertLayoutOp convert,
                                PatternRewriter &rewriter) const override {
    auto constant = convert.getInput().getDefiningOp<arith::ConstantOp>();
    if (!constant)
      return rewriter.notifyMatchFailure(convert, "not a constant");
    auto from = cast<RankedTensorType>(constant.getType());
    auto to = cast<RankedTensorType>(convert.getType());
    if (!from.hasStaticShape() || !from.getElementType().isF32())
      return rewriter.notifyMatchFailure(convert, "not a static f32 constant");
    std::string error;
    FailureOr<std::vector<float>> logical = readConstantElements(
        constant.getValue(), from, /*physical=*/false, error);
    if (failed(logical))
      return rewriter.notifyMatchFailure(convert, error);
    std::vector<float> physical =
        packData(*logical, to.getShape(), getBlockedLayout(to));
    std::string name = "packed";
    if (auto resource =
            dyn_cast<DenseResourceElementsAttr>(constant.getValue()))
      name = resource.getRawHandle().getKey().str() + ".packed";
    auto attr = DenseResourceElementsAttr::get(
        to, name,
        HeapAsmResourceBlob::allocateAndCopyInferAlign(
            ArrayRef<float>(physical)));
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(convert, to, attr);
    return success();
  }
};

struct PackWeights : mlir::dyconv::impl::PackWeightsBase<PackWeights> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<PackConstant>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
