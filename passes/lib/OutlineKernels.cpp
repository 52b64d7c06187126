//===- OutlineKernels.cpp - one function per distinct computation ---------===//

#include "dyconv/Dialect/DyConvDialect.h"
#include "dyconv/Dialect/DyConvOps.h"
#include "dyconv/Dialect/PlanAttrs.h"
#include "dyconv/Passes/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/StringMap.h"

namespace mlir::dyconv {
#define GEN_PASS_DEF_OUTLINEKERNELS
#include "dyconv/Passes/Passes.h.inc"
} // namespace mlir::dyconv

using namespace mlir;
using namespace mlir::dyconv;

namespace {

/// Whether `op` computes, i.e. becomes a kernel: every dyconv op but the
/// views, which only reinterpret their input's bytes.
bool isComputation(Operation *op) {
  return isa<DyConvDialect>(op->getDialect()) && !isa<ReshapeOp, FlattenOp>(op);
}

/// What makes two ops the same kernel: name, attributes (properties
/// included) and operand and result types.
std::string kernelKey(Operation *op) {
  std::string key;
  llvm::raw_string_ostream os(key);
  os << op->getName() << op->getAttrDictionary() << "(";
  llvm::interleaveComma(op->getOperandTypes(), os);
  os << ")->(";
  llvm::interleaveComma(op->getResultTypes(), os);
  os << ")";
  return key;
}

/// Creates `func.func private @name` whose body is a copy of `op` over the
/// function's arguments.
func::FuncOp createKernel(OpBuilder &builder, Operation *op, StringRef name) {
  auto type =
      builder.getFunctionType(op->getOperandTypes(), op->getResultTypes());
  auto kernel = func::FuncOp::create(builder, op->getLoc(), name, type);
  kernel.setPrivate();
  markKernelFunction(kernel);
  Block *body = kernel.addEntryBlock();
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(body);
  IRMapping mapping;
  mapping.map(op->getOperands(), body->getArguments());
  Operation *copy = builder.clone(*op, mapping);
  func::ReturnOp::create(builder, op->getLoc(), copy->getResults());
  return kernel;
}

struct OutlineKernels : mlir::dyconv::impl::OutlineKernelsBase<OutlineKernels> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> graphs;
    for (auto func : module.getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal())
        graphs.push_back(func);

    OpBuilder builder(&getContext());
    builder.setInsertionPointToEnd(module.getBody());
    llvm::StringMap<func::FuncOp> kernels;
    unsigned counter = 0;
    for (func::FuncOp graph : graphs) {
      SmallVector<Operation *> computations;
      for (Operation &op : graph.getBody().getOps())
        if (isComputation(&op))
          computations.push_back(&op);
      for (Operation *op : computations) {
        func::FuncOp &kernel = kernels[kernelKey(op)];
        if (!kernel) {
          StringRef opName = op->getName().stripDialect();
          kernel = createKernel(builder, op,
                                (opName + "_" + llvm::Twine(counter++)).str());
        }
        OpBuilder callBuilder(op);
        auto call = func::CallOp::create(callBuilder, op->getLoc(), kernel,
                                         op->getOperands());
        op->replaceAllUsesWith(call.getResults());
        op->erase();
      }
    }
  }
};

} // namespace
