//===- DyConvOps.h - dyconv operations --------------------------*- C++ -*-===//

#ifndef DYCONV_DIALECT_DYCONVOPS_H
#define DYCONV_DIALECT_DYCONVOPS_H

#include "dyconv/Dialect/DyConvDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dyconv/Dialect/DyConvEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dyconv/Dialect/DyConvAttrs.h.inc"

#define GET_OP_CLASSES
#include "dyconv/Dialect/DyConvOps.h.inc"

#endif // DYCONV_DIALECT_DYCONVOPS_H
