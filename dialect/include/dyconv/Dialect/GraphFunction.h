//===- GraphFunction.h - the graph of a dyconv module -----------*- C++ -*-===//

#ifndef DYCONV_DIALECT_GRAPHFUNCTION_H
#define DYCONV_DIALECT_GRAPHFUNCTION_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::dyconv {

/// A model's graph: the module's one public function with a body (kernel
/// functions are private), or null after an error naming what was found
/// instead.
func::FuncOp getGraphFunction(ModuleOp module);

} // namespace mlir::dyconv

#endif // DYCONV_DIALECT_GRAPHFUNCTION_H
