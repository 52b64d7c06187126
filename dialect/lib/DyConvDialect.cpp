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

/// Checks the dyconv attribute `attribute` of an operation (DyConvDialect.h).
static LogicalResult verifyDiscardable(Operation *op,
                                       NamedAttribute attribute) {
  StringRef name = attribute.getName().strref();
  Attribute value = attribute.getValue();
  auto positive = [&](StringRef what) -> LogicalResult {
    auto integer = dyn_cast<IntegerAttr>(value);
    if (!integer || integer.getInt() < 1)
      return op->emitError("'") << name << "' must be " << what
                                << " (a positive integer), got " << value;
    return success();
  };
  if (name == kExportBatchAttr || name == kBatchAttr)
    return positive("a batch size");
  if (name == kKernelAttr) {
    if (!isa<UnitAttr>(value))
      return op->emitError("'") << name << "' must be a unit attribute";
    return success();
  }
  if (name == kArenaBytesAttr) {
    auto bytes = dyn_cast<IntegerAttr>(value);
    if (!bytes || bytes.getInt() < 0)
      return op->emitError("'")
             << name << "' must be a byte count, got " << value;
    return success();
  }
  if (name == kArenaOffsetsAttr) {
    auto offsets = dyn_cast<DenseI64ArrayAttr>(value);
    if (!offsets ||
        llvm::any_of(offsets.asArrayRef(), [](int64_t v) { return v < 0; }))
      return op->emitError("'")
             << name << "' must be an array<i64> of byte offsets, got "
             << value;
    if (op->getNumResults() != static_cast<unsigned>(offsets.size()))
      return op->emitError("'")
             << name << "' has " << offsets.size() << " offsets for "
             << op->getNumResults() << " results";
    return success();
  }
  return op->emitError("unknown dyconv attribute '") << name << "'";
}

/// Checks a dyconv argument or result attribute: only `dyconv.name`.
static LogicalResult verifyValueAttribute(Operation *op,
                                          NamedAttribute attribute) {
  if (attribute.getName() != kValueNameAttr)
    return op->emitError("unknown dyconv argument or result attribute '")
           << attribute.getName().strref() << "'";
  if (!isa<StringAttr>(attribute.getValue()))
    return op->emitError("'") << kValueNameAttr << "' must be a string";
  return success();
}

LogicalResult DyConvDialect::verifyOperationAttribute(Operation *op,
                                                      NamedAttribute attr) {
  return verifyDiscardable(op, attr);
}

LogicalResult DyConvDialect::verifyRegionArgAttribute(Operation *op, unsigned,
                                                      unsigned,
                                                      NamedAttribute attr) {
  return verifyValueAttribute(op, attr);
}

LogicalResult DyConvDialect::verifyRegionResultAttribute(Operation *op,
                                                         unsigned, unsigned,
                                                         NamedAttribute attr) {
  return verifyValueAttribute(op, attr);
}

#define GET_OP_CLASSES
#include "dyconv/Dialect/DyConvOps.cpp.inc"
