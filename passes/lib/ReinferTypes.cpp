//===- ReinferTypes.cpp - recompute result types after operand changes ---===//

#include "ReinferTypes.h"

#include "mlir/Interfaces/InferTypeOpInterface.h"

#include <optional>

namespace mlir::dyconv {

FailureOr<SmallVector<Type>> inferResultTypes(Operation *op, bool diagnose) {
  if (op->hasTrait<OpTrait::SameOperandsAndResultType>())
    return SmallVector<Type>(op->getNumResults(), op->getOperand(0).getType());
  auto infer = dyn_cast<InferTypeOpInterface>(op);
  if (!infer)
    return SmallVector<Type>(op->getResultTypes());
  std::optional<Location> loc;
  if (diagnose)
    loc = op->getLoc();
  SmallVector<Type> types;
  if (failed(infer.inferReturnTypes(
          op->getContext(), loc, op->getOperands(), op->getRawDictionaryAttrs(),
          op->getPropertiesStorage(), op->getRegions(), types)))
    return failure();
  return types;
}

LogicalResult reinferResultTypes(Operation *op, bool diagnose) {
  FailureOr<SmallVector<Type>> types = inferResultTypes(op, diagnose);
  if (failed(types))
    return failure();
  for (auto [result, type] : llvm::zip(op->getResults(), *types))
    result.setType(type);
  return success();
}

LogicalResult reinferFunction(func::FuncOp func) {
  // Ops appear after their operands' producers, so one walk suffices.
  WalkResult walk = func.getBody().walk([](Operation *op) {
    return failed(reinferResultTypes(op)) ? WalkResult::interrupt()
                                          : WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  Block &entry = func.getBody().front();
  func.setType(FunctionType::get(func.getContext(), entry.getArgumentTypes(),
                                 entry.getTerminator()->getOperandTypes()));
  return success();
}

} // namespace mlir::dyconv
