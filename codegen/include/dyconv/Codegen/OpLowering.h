//===- OpLowering.h - kernel-level ops to kernel descriptors ----*- C++ -*-===//
//
// The bridge from the IR to codegen: reads the shapes and attributes of one
// kernel-level op (the body of a kernel made by dyconv-outline-kernels) into
// the descriptor of its kernel family (Kernels.h). The op's operands, absent
// optional ones left out, then its results are the kernel's arguments.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_CODEGEN_OPLOWERING_H
#define DYCONV_CODEGEN_OPLOWERING_H

#include "dyconv/Codegen/Kernels.h"

#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"

namespace mlir::dyconv::codegen {

/// The descriptor of `op`'s kernel, or failure after an error on `op` (ops
/// that have no kernel family, or shapes codegen does not support).
FailureOr<KernelDesc> describeOp(Operation *op);

/// The descriptor shape of a tensor type: its dimensions with dynamic ones
/// as kBatch.
Shape descriptorShape(Type type);

} // namespace mlir::dyconv::codegen

#endif // DYCONV_CODEGEN_OPLOWERING_H
