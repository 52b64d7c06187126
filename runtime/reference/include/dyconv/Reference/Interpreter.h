//===- Interpreter.h - the dyconv reference interpreter ---------*- C++ -*-===//
//
// Executes graph-level dyconv IR op by op with plain loops: the oracle that
// compiled code is tested against. Slow on purpose; every op is a direct
// transcription of its formula (see Kernels.h).
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_REFERENCE_INTERPRETER_H
#define DYCONV_REFERENCE_INTERPRETER_H

#include "dyconv/Reference/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Support/LLVM.h"

#include <vector>

namespace mlir::dyconv::reference {

/// Executes `func` (a verified func.func whose single block holds dyconv ops,
/// f32 `arith.constant`s — dense or `dense_resource` — and `func.return`) on
/// `inputs`, one per argument in order, and returns one tensor per result.
///
/// Every input is checked against its argument type (rank and every static
/// dimension; dynamic dimensions take the runtime size) and must hold only
/// finite values. Result shapes are computed from the actual operand shapes
/// and then checked against the static dimensions of each result type.
/// Returns failure after emitting an error (at the function or at the op,
/// naming the shapes involved) on a mismatch, on an op it does not support,
/// or when an op would produce a non-finite value.
FailureOr<std::vector<Tensor>> run(func::FuncOp func, ArrayRef<Tensor> inputs);

} // namespace mlir::dyconv::reference

#endif // DYCONV_REFERENCE_INTERPRETER_H
