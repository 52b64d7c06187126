//===- DyConvOps.h - dyconv operations --------------------------*- C++ -*-===//

#ifndef DYCONV_DIALECT_DYCONVOPS_H
#define DYCONV_DIALECT_DYCONVOPS_H

#include "dyconv/Dialect/DyConvDialect.h"
#include "dyconv/Dialect/DyConvInterfaces.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/TensorEncoding.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dyconv/Dialect/DyConvEnums.h"

namespace mlir::dyconv::inference {
/// Reports type-inference errors at an op (dialect/lib/OpInference.h).
class OpDiagnostics;
} // namespace mlir::dyconv::inference

namespace mlir::OpTrait {
/// Marks the ops whose `inferResultTypes` infers their result types (see
/// DyConv_InferResultTypes in DyConvOps.td); all it adds is declared there.
template <typename ConcreteType>
class DyConvInferResultTypes
    : public TraitBase<ConcreteType, DyConvInferResultTypes> {};
} // namespace mlir::OpTrait

#define GET_ATTRDEF_CLASSES
#include "dyconv/Dialect/DyConvAttrs.h.inc"

#define GET_OP_CLASSES
#include "dyconv/Dialect/DyConvOps.h.inc"

#endif // DYCONV_DIALECT_DYCONVOPS_H
