//===- Passes.h - dyconv passes ---------------------------------*- C++ -*-===//

#ifndef DYCONV_PASSES_PASSES_H
#define DYCONV_PASSES_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::dyconv {

#define GEN_PASS_DECL
#include "dyconv/Passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dyconv/Passes/Passes.h.inc"

} // namespace mlir::dyconv

#endif // DYCONV_PASSES_PASSES_H
