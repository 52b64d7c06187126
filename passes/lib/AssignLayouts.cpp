//===- AssignLayouts.cpp - choose the layout every kernel reads and writes ==//
//
// One forward walk over the graph: each op gets the layouts it reads and
// writes (its plan), its results take the written ones in their types, and
// an operand stored differently than the op reads it goes through a
// convert_layout, made once per value and layout.
//
//  - A convolution with a blocked schedule reads and writes channel-blocked
//    activations and packed weights (ConvSchedule.h).
//  - The ops whose kernels store activations in any layout (pooling,
//    elementwise ops, channel_affine) keep the layout of their input; the
//    global average pool and the attentions read it and write plain
//    vectors.
//  - An aggregate whose kernel a blocked convolution reads writes it packed
//    in place, from a bank packed the same way.
//  - Everything else reads and writes plain tensors, and so do the graph's
//    arguments and results.
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

/// A channel-blocked activation layout (the only layout the ops other than
/// the convolutions keep), or null.
BlockedLayoutAttr channelBlocked(Value value) {
  BlockedLayoutAttr layout = getBlockedLayout(value.getType());
  return layout && layout.getDims() == ArrayRef<int64_t>{1} ? layout : nullptr;
}

class LayoutAssigner {
public:
  LayoutAssigner(func::FuncOp func, int64_t lanes) : func(func), lanes(lanes) {}

  void run() {
    // The layouts the convolutions want their per-sample kernels in, so that
    // the ops producing them write them so.
    func.walk([&](FusedConv2DOp conv) {
      LayoutPlan plan = planConv(conv, lanes);
      Value weight = conv.getWeight();
      if (weight.getDefiningOp<AggregateOp>() && weight.hasOneUse())
        wanted[weight] = plan.operands[1];
    });
    for (Operation &op : llvm::make_early_inc_range(func.getBody().getOps())) {
      if (isa<arith::ConstantOp>(op))
        continue; // constants are converted, then packed, where used
      LayoutPlan plan = planFor(&op);
      for (OpOperand &operand : op.getOpOperands())
        operand.set(inLayout(operand.get(),
                             plan.operands[operand.getOperandNumber()], &op));
      for (auto [result, layout] : llvm::zip(op.getResults(), plan.results))
        if (auto type = dyn_cast<RankedTensorType>(result.getType()))
          result.setType(withLayout(type.dropEncoding(), layout));
    }
  }

private:
  LayoutPlan planFor(Operation *op) {
    LayoutPlan plan = plainPlan(op);
    if (auto conv = dyn_cast<FusedConv2DOp>(op))
      return planConv(conv, lanes);
    if (isa<MaxPool2DOp, AvgPool2DOp, ReluOp, SigmoidOp, ClipOp, AbsOp,
            ChannelAffineOp>(op)) {
      // The layout of the input, for the output too.
      plan.operands[0] = plan.results[0] = channelBlocked(op->getOperand(0));
    } else if (isa<AddOp, MulOp, SubOp, DivOp>(op)) {
      // A blocked operand of the result's shape decides; the operands that
      // broadcast keep their layouts.
      Type shape =
          cast<RankedTensorType>(op->getResult(0).getType()).dropEncoding();
      auto fullShape = [&](Value v) {
        return cast<RankedTensorType>(v.getType()).dropEncoding() == shape;
      };
      for (Value operand : op->getOperands())
        if (fullShape(operand) && channelBlocked(operand))
          plan.results[0] = channelBlocked(operand);
      for (auto [i, operand] : llvm::enumerate(op->getOperands()))
        plan.operands[i] = fullShape(operand)
                               ? plan.results[0]
                               : getBlockedLayout(operand.getType());
    } else if (isa<GlobalAvgPoolOp, ODConvAttentionOp, KWAttentionOp>(op)) {
      plan.operands[0] = channelBlocked(op->getOperand(0));
    } else if (auto aggregate = dyn_cast<AggregateOp>(op)) {
      plan.results[0] = plan.operands[0] = wanted.lookup(aggregate.getResult());
    }
    return plan;
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
  /// The layout a value's only user reads it in, for its producer to write.
  llvm::DenseMap<Value, BlockedLayoutAttr> wanted;
};

struct AssignLayouts : mlir::dyconv::impl::AssignLayoutsBase<AssignLayouts> {
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
