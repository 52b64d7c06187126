//===- ReinferTypes.h - recompute result types after operand changes -----===//
//
// Internal to DyConvPasses: the passes that change the shapes of a
// function's arguments (dyconv-specialize-batch, dyconv-specialize-input-
// shapes, the batch freeing of dyconv-free-export-batch) re-infer every result
// type in program order from the updated operands.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_PASSES_LIB_REINFERTYPES_H
#define DYCONV_PASSES_LIB_REINFERTYPES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Operation.h"

namespace mlir::dyconv {

/// The result types `op` infers from its current operands and attributes:
/// the first operand's type for `SameOperandsAndResultType` ops, the current
/// types for ops that infer nothing. Inference errors are reported at the
/// op's location only when `diagnose` is set.
FailureOr<SmallVector<Type>> inferResultTypes(Operation *op, bool diagnose);

/// Sets the result types of `op` to the ones it infers.
LogicalResult reinferResultTypes(Operation *op, bool diagnose = true);

/// Re-infers every result type of `func`'s body in program order after its
/// argument types changed, and updates the function type.
LogicalResult reinferFunction(func::FuncOp func);

} // namespace mlir::dyconv

#endif // DYCONV_PASSES_LIB_REINFERTYPES_H
