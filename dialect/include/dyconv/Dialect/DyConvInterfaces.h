//===- DyConvInterfaces.h - what every dyconv op knows ----------*- C++ -*-===//
//
// ReferenceOpInterface (how the reference interpreter evaluates an op) and
// KernelOpInterface (what codegen compiles an op into); see
// DyConvInterfaces.td.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_DIALECT_DYCONVINTERFACES_H
#define DYCONV_DIALECT_DYCONVINTERFACES_H

#include "dyconv/Dialect/KernelDesc.h"
#include "dyconv/Reference/Tensor.h"

#include "mlir/IR/OpDefinition.h"
#include "llvm/Support/Error.h"

#include <vector>

namespace mlir::dyconv {

/// The tensors of the operands of the op being evaluated, by SSA value.
class OperandTensors {
public:
  virtual ~OperandTensors() = default;
  /// The tensor of `value`, an operand of the op.
  virtual const reference::Tensor &get(Value value) const = 0;
  /// The tensor of an optional operand, or null when it is absent.
  const reference::Tensor *optional(Value value) const {
    return value ? &get(value) : nullptr;
  }
};

} // namespace mlir::dyconv

#include "dyconv/Dialect/DyConvInterfaces.h.inc"

namespace mlir::dyconv {

/// The kernel descriptor of `op`, after checking what every kernel needs:
/// f32 tensors with static extents except the leading (batch) dimension.
/// Emits an error on `op` and fails for ops that are no kernel.
FailureOr<KernelDesc> describeKernel(Operation *op);

/// Wraps the single result of a reference kernel for
/// ReferenceOpInterface::evaluate.
llvm::Expected<std::vector<reference::Tensor>>
singleResult(llvm::Expected<reference::Tensor> result);

} // namespace mlir::dyconv

#endif // DYCONV_DIALECT_DYCONVINTERFACES_H
