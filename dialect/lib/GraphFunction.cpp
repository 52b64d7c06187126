//===- GraphFunction.cpp - the graph of a dyconv module -------------------===//

#include "dyconv/Dialect/GraphFunction.h"

namespace mlir::dyconv {

func::FuncOp getGraphFunction(ModuleOp module) {
  func::FuncOp graph;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (!func.isPublic() || func.isExternal())
      continue;
    if (graph) {
      module.emitError("the model has more than one public function (@")
          << graph.getSymName() << ", @" << func.getSymName() << ")";
      return nullptr;
    }
    graph = func;
  }
  if (!graph)
    module.emitError("the model has no public function with a body");
  return graph;
}

} // namespace mlir::dyconv
