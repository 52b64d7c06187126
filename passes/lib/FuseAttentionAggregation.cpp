//===- FuseAttentionAggregation.cpp - convs that aggregate their kernels --===//
//
// fused_conv2d(x, aggregate(bank, channel, filter?, spatial?, kernel?))
//   -> fused_conv2d(x, bank) with the attentions as the conv's
//      channel_attention, filter_attention, spatial_attention and
//      kernel_attention operands
//
// where the cost model (aggregatesInConv) prefers it; the aggregate must have
// no other user. The bank keeps the packed layout the aggregate read it in,
// which is the one the conv reads per-sample kernels in.
//
//===----------------------------------------------------------------------===//

#include "dyconv/Dialect/ConvSchedule.h"
#include "dyconv/Dialect/DyConvDialect.h"
#include "dyconv/Dialect/DyConvOps.h"
#include "dyconv/Passes/Passes.h"

namespace mlir::dyconv {
#define GEN_PASS_DEF_FUSEATTENTIONAGGREGATION
#include "dyconv/Passes/Passes.h.inc"
} // namespace mlir::dyconv

using namespace mlir;
using namespace mlir::dyconv;

namespace {

/// The aggregate whose kernels `conv` alone reads, if the cost model wants
/// the conv to compute them itself.
AggregateOp fusableAggregate(FusedConv2DOp conv) {
  auto aggregate = conv.getWeight().getDefiningOp<AggregateOp>();
  if (!aggregate || !aggregate->hasOneUse() || conv.isAggregating())
    return nullptr;
  FailureOr<KernelDesc> kernel = conv.describeKernel();
  if (failed(kernel))
    return nullptr;
  auto bank = cast<RankedTensorType>(aggregate.getBank().getType());
  int64_t batch = conv.getType().getDimSize(0);
  if (!aggregatesInConv(std::get<ConvKernel>(kernel->family),
                        bank.getDimSize(0), batch))
    return nullptr;
  return aggregate;
}

struct FuseAttentionAggregation
    : mlir::dyconv::impl::FuseAttentionAggregationBase<
          FuseAttentionAggregation> {
  void runOnOperation() override {
    getOperation().walk([&](FusedConv2DOp conv) {
      AggregateOp aggregate = fusableAggregate(conv);
      if (!aggregate)
        return;
      // The operands keep their order: weight, scale, bias, residual, then
      // the attentions.
      conv.getWeightMutable().assign(aggregate.getBank());
      conv.getChannelAttentionMutable().assign(aggregate.getChannel());
      if (Value filter = aggregate.getFilter())
        conv.getFilterAttentionMutable().assign(filter);
      if (Value spatial = aggregate.getSpatial())
        conv.getSpatialAttentionMutable().assign(spatial);
      if (Value kernel = aggregate.getKernel())
        conv.getKernelAttentionMutable().assign(kernel);
      conv->setLoc(
          FusedLoc::get(&getContext(), {aggregate.getLoc(), conv.getLoc()}));
      aggregate.erase();
      ++numFused;
    });
  }
};

} // namespace
