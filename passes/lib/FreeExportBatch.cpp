//===- FreeExportBatch.cpp - make the batch of an ONNX export dynamic -----===//
//
// An export at batch B has B written into its types and into the targets of
// its reshapes. Once the batch-folded convolutions are raised, the batch is
// only the leading dimension of the activations: the arguments of leading
// dimension B become `?`, a reshape target whose entry 0 restates the batch
// of its input copies it instead (`0`), and every result type is re-inferred
// in program order. A graph that would still depend on B keeps it, with a
// warning at the op in the way.
//
//===----------------------------------------------------------------------===//

#include "RaiseMatchers.h"
#include "ReinferTypes.h"

#include "dyconv/Dialect/DyConvDialect.h"
#include "dyconv/Dialect/DyConvOps.h"
#include "dyconv/Passes/Passes.h"

#include "mlir/IR/BuiltinTypes.h"

namespace mlir::dyconv {
#define GEN_PASS_DEF_FREEEXPORTBATCH
#include "dyconv/Passes/Passes.h.inc"
} // namespace mlir::dyconv

using namespace mlir;
using namespace mlir::dyconv;

namespace {

/// The leading dimension of `type`, a ranked tensor of rank >= 1; nullopt
/// otherwise.
std::optional<int64_t> leadingDim(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || tensor.getRank() == 0)
    return std::nullopt;
  return tensor.getDimSize(0);
}

/// The types and reshape targets that freeing the batch changes, to restore
/// them when it has to give up.
class Snapshot {
public:
  explicit Snapshot(func::FuncOp func) {
    for (BlockArgument arg : func.getArguments())
      types.try_emplace(arg, arg.getType());
    func.getBody().walk([&](Operation *op) {
      for (Value result : op->getResults())
        types.try_emplace(result, result.getType());
    });
  }

  /// The type `value` had when the snapshot was taken.
  Type originalType(Value value) const { return types.lookup(value); }

  /// Sets the target of `reshape`, remembering its original one.
  void setTarget(ReshapeOp reshape, ArrayRef<int64_t> shape) {
    targets.try_emplace(reshape, reshape.getShapeAttr());
    reshape.setShape(shape);
  }

  void restore() {
    for (auto [value, type] : types)
      value.setType(type);
    for (auto [op, shape] : targets)
      cast<ReshapeOp>(op).setShapeAttr(shape);
  }

private:
  DenseMap<Value, Type> types;
  DenseMap<Operation *, DenseI64ArrayAttr> targets;
};

/// Gives the arguments of `func` with leading dimension `batch` a dynamic
/// one and re-infers every type. Warns at the op in the way and fails when
/// the batch cannot be freed.
LogicalResult reinferWithDynamicBatch(func::FuncOp func, int64_t batch,
                                      Snapshot &snapshot) {
  for (BlockArgument arg : func.getArguments()) {
    if (leadingDim(arg.getType()) != batch)
      continue;
    auto type = cast<RankedTensorType>(arg.getType());
    SmallVector<int64_t> shape(type.getShape());
    shape[0] = ShapedType::kDynamic;
    arg.setType(type.clone(shape));
  }
  auto refuse = [&](Operation *op, StringRef reason) {
    op->emitWarning("cannot free the export batch ") << batch << ": " << reason;
    return WalkResult::interrupt();
  };
  WalkResult walk = func.getBody().walk([&](Operation *op) {
    bool batchedOperand = llvm::any_of(op->getOperandTypes(), [](Type type) {
      return leadingDim(type) == ShapedType::kDynamic;
    });
    auto reshape = dyn_cast<ReshapeOp>(op);
    // A target that restates the batch of its input copies it instead.
    if (reshape && batchedOperand && !reshape.getShape().empty() &&
        reshape.getShape()[0] == batch &&
        leadingDim(snapshot.originalType(reshape.getInput())) == batch) {
      SmallVector<int64_t> target(reshape.getShape());
      target[0] = 0;
      snapshot.setTarget(reshape, target);
    }
    if (failed(reinferResultTypes(op, /*diagnose=*/false)))
      return refuse(op, "its result type does not re-infer");
    // A reshape of the batched data keeps a dynamic leading dimension, and
    // so does every batch-sized result of an op on it.
    bool fixesBatch = llvm::any_of(op->getResults(), [&](Value result) {
      std::optional<int64_t> dim = leadingDim(result.getType());
      return dim && *dim != ShapedType::kDynamic &&
             (reshape || leadingDim(snapshot.originalType(result)) == batch);
    });
    if (batchedOperand && fixesBatch)
      return refuse(op, "it gives the batch a fixed size");
    return WalkResult::advance();
  });
  return failure(walk.wasInterrupted());
}

/// Frees the batch of `func`, or warns and leaves it unchanged.
void freeExportBatch(func::FuncOp func) {
  auto exportBatch = func->getAttrOfType<IntegerAttr>(kExportBatchAttr);
  if (!exportBatch || func.isExternal())
    return;
  int64_t batch = exportBatch.getInt();
  // A convolution with a computed kernel is a batch fold that was not
  // raised: its groups hold the batch.
  WalkResult folds = func.walk([&](Conv2DOp conv) {
    if (raise::isTensorConstant(conv.getWeight()))
      return WalkResult::advance();
    conv.emitWarning("cannot free the export batch ")
        << batch
        << ": the kernel of this convolution is computed, so its "
           "groups may fold the batch";
    return WalkResult::interrupt();
  });
  if (folds.wasInterrupted())
    return;
  Snapshot snapshot(func);
  if (failed(reinferWithDynamicBatch(func, batch, snapshot))) {
    snapshot.restore();
    return;
  }
  Block &entry = func.getBody().front();
  func.setType(FunctionType::get(func.getContext(), entry.getArgumentTypes(),
                                 entry.getTerminator()->getOperandTypes()));
  func->removeAttr(kExportBatchAttr);
  emitRemark(func.getLoc(), "freed the export batch ") << batch;
}

struct FreeExportBatch
    : mlir::dyconv::impl::FreeExportBatchBase<FreeExportBatch> {
  void runOnOperation() override { freeExportBatch(getOperation()); }
};

} // namespace
