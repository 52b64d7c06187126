//===- DyConvDialect.h - the dyconv dialect ---------------------*- C++ -*-===//

#ifndef DYCONV_DIALECT_DYCONVDIALECT_H
#define DYCONV_DIALECT_DYCONVDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dyconv/Dialect/DyConvOpsDialect.h.inc"

#endif // DYCONV_DIALECT_DYCONVDIALECT_H
