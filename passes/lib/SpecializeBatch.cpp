//===- SpecializeBatch.cpp - fix the batch size of a graph ----------------===//

#include "ReinferTypes.h"

#include "dyconv/Dialect/PlanAttrs.h"
#include "dyconv/Passes/Passes.h"

#include "mlir/IR/BuiltinTypes.h"

namespace mlir::dyconv {
#define GEN_PASS_DEF_SPECIALIZEBATCH
#include "dyconv/Passes/Passes.h.inc"
} // namespace mlir::dyconv

using namespace mlir;
using namespace mlir::dyconv;

namespace {

struct SpecializeBatch
    : mlir::dyconv::impl::SpecializeBatchBase<SpecializeBatch> {
  using SpecializeBatchBase::SpecializeBatchBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // The option converts implicitly to int64_t, and from there to the
    // diagnostic's `char` overload: read the value explicitly.
    int64_t batchSize = batch.getValue();
    if (batchSize < 1) {
      func.emitError("batch must be at least 1, got ") << batchSize;
      return signalPassFailure();
    }
    if (func.isExternal())
      return;
    Block &entry = func.getBody().front();
    for (BlockArgument arg : entry.getArguments()) {
      auto type = dyn_cast<RankedTensorType>(arg.getType());
      if (!type || type.getRank() == 0 || !type.isDynamicDim(0))
        continue;
      SmallVector<int64_t> shape(type.getShape());
      shape[0] = batchSize;
      arg.setType(type.clone(shape));
    }
    if (failed(reinferFunction(func)))
      return signalPassFailure();
    setFixedBatch(func, batchSize);
  }
};

} // namespace
