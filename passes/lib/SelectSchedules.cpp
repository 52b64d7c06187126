//===- SelectSchedules.cpp - choose every convolution's register tile -----===//

#include "dyconv/Dialect/ConvSchedule.h"
#include "dyconv/Dialect/DyConvDialect.h"
#include "dyconv/Dialect/DyConvOps.h"
#include "dyconv/Dialect/Layout.h"
#include "dyconv/Passes/Passes.h"

namespace mlir::dyconv {
#define GEN_PASS_DEF_SELECTSCHEDULES
#include "dyconv/Passes/Passes.h.inc"
} // namespace mlir::dyconv

using namespace mlir;
using namespace mlir::dyconv;

namespace {

struct SelectSchedules
    : mlir::dyconv::impl::SelectSchedulesBase<SelectSchedules> {
  using SelectSchedulesBase::SelectSchedulesBase;

  void runOnOperation() override {
    std::optional<TargetDesc> desc = lookupTarget(target);
    if (!desc) {
      getOperation().emitError("unknown target '") << target << "'";
      return signalPassFailure();
    }
    getOperation().walk([&](FusedConv2DOp conv) {
      if (conv.getScheduleAttr())
        return;
      FailureOr<KernelDesc> kernel = conv.describeKernel();
      if (failed(kernel))
        return;
      auto geometry = std::get<ConvKernel>(kernel->family);
      bool blocked = static_cast<bool>(getBlockedLayout(conv.getType()));
      chooseConvSchedule(geometry, blocked, *desc);
      conv.setScheduleAttr(ConvScheduleAttr::get(
          &getContext(), geometry.schedule, geometry.tile));
    });
  }
};

} // namespace
