//===- AssignLayouts.cpp - choose the layout every kernel reads and writes ==//
//
// One forward walk over the graph: each op gets the layouts it reads and
// writes (its plan), its results take the written ones in their types, and
// an operand stored differently than the op reads it goes through a
// convert_layout, made once per value and layout. Convolutions with a
// blocked schedule read and write channel-blocked activations; every other
// op plain tensors (the kernels that handle blocked activations grow their
// own plans here).
//
//===----------------------------------------------------------------------===//

#include "dyconv/Dialect/ConvSchedule.h"
#include "dyconv/Dialect/DyConvDialect.h"
#include "dyconv/Dialect/DyConvOps.h"
#include "dyconv/Dialect/Layout.h"
#include "dyconv/Dialect/TargetDesc.h"
#include "dyconv/Passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"

namespace mlir::dyconv {
#define GEN_PASS_DEF_ASSIGNLAYOUTS
#include "dyconv/Passes/Passes.h.inc"
} // namespace mlir::dyconv

using namespace mlir;
using namespace mlir::dyconv;

namespace {

/// The layouts an op reads (one per operand) and writes (one per result);
/// null is plain.
struct LayoutPlan {
  SmallVector<BlockedLayoutAttr> operands, results;
};

BlockedLayoutAttr toAttr(MLIRContext *context, const Layout &layout) {
  if (layout.isPlain())
    return nullptr;
  return BlockedLayoutAttr::get(context, layout.dims, layout.tiles);
}

/// Everything plain.
LayoutPlan plainPlan(Operation *op) {
  LayoutPlan plan;
  plan.operands.resize(op->getNumOperands());
  plan.results.resize(op->getNumResults());
  return plan;
}

/// A convolution with a blocked schedule reads and writes blocked
/// activations and packed weights (ConvSchedule.h); the others run NCHW.
LayoutPlan planConv(FusedConv2DOp conv, int64_t lanes) {
  FailureOr<KernelDesc> desc = conv.describeKernel();
  if (failed(desc))
    return plainPlan(conv);
  const auto &geometry = std::get<ConvKernel>(desc->family);
  if (!hasBlockedSchedule(geometry))
    return plainPlan(conv);
  std::vector<Layout> layouts = blockedConvLayouts(geometry, lanes);
  LayoutPlan plan;
  for (const Layout &layout : ArrayRef<Layout>(layouts).drop_back())
    plan.operands.push_back(toAttr(conv.getContext(), layout));
  plan.results.push_back(toAttr(conv.getContext(), layouts.back()));
  return plan;
}

class LayoutAssigner {
public:
  LayoutAssigner(func::FuncOp func, int64_t lanes)
      : func(func), lanes(lanes) {}

  void run() {
    for (Operation &op : llvm::make_early_inc_range(func.getBody().getOps())) {
      if (isa<arith::ConstantOp>(op))
        continue; // constants are converted, then packed, where used
      LayoutPlan plan = planFor(&op);
      for (OpOperand &operand : op.getOpOperands())
        operand.set(inLayout(operand.get(), plan.operands[operand.getOperandNumber()],
                             &op));
      for (auto [result, layout] : llvm::zip(op.getResults(), plan.results))
        if (auto type = dyn_cast<RankedTensorType>(result.getType()))
          result.setType(withLayout(type.dropEncoding(), layout));
    }
  }

private:
  LayoutPlan planFor(Operation *op) {
    if (auto conv = dyn_cast<FusedConv2DOp>(op))
      return planConv(conv, lanes);
    return plainPlan(op);
  }

  /// `value` in `layout`, converted before `user` unless it is already.
  Value inLayout(Value value, BlockedLayoutAttr layout, Operation *user) {
    auto type = dyn_cast<RankedTensorType>(value.getType());
    if (!type || getBlockedLayout(type) == layout)
      return value;
    Value &converted = conversions[{value, layout}];
    if (!converted) {
      OpBuilder builder(user);
      converted = ConvertLayoutOp::create(
          builder, value.getLoc(), withLayout(type.dropEncoding(), layout),
          value);
    }
    return converted;
  }

  func::FuncOp func;
  int64_t lanes;
  llvm::DenseMap<std::pair<Value, Attribute>, Value> conversions;
};

struct AssignLayouts
    : mlir::dyconv::impl::AssignLayoutsBase<AssignLayouts> {
  using AssignLayoutsBase::AssignLayoutsBase;

  void runOnOperation() override {
    std::optional<TargetDesc> desc = lookupTarget(target);
    if (!desc) {
      getOperation().emitError("unknown target '") << target << "'";
      return signalPassFailure();
    }
    func::FuncOp func = getOperation();
    if (desc->gpu || func.isExternal())
      return;
    LayoutAssigner(func, desc->vectorLanes).run();
  }
};

} // namespace
