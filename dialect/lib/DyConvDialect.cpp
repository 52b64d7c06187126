//===- DyConvDialect.cpp - the dyconv dialect -----------------------------===//

#include "OpInference.h"
#include "OpKernels.h"
#include "OpReference.h"

#include "dyconv/Dialect/DyConvDialect.h"
#include "dyconv/Dialect/DyConvOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::dyconv;

#include "dyconv/Dialect/DyConvEnums.cpp.inc"
#include "dyconv/Dialect/DyConvInterfaces.cpp.inc"
#include "dyconv/Dialect/DyConvOpsDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dyconv/Dialect/DyConvAttrs.cpp.inc"

void DyConvDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dyconv/Dialect/DyConvOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dyconv/Dialect/DyConvAttrs.cpp.inc"
      >();
}

#define GET_OP_CLASSES
#include "dyconv/Dialect/DyConvOps.cpp.inc"
