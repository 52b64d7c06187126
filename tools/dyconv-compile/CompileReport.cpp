//===- CompileReport.cpp - dyconv-compile --report ------------------------===//
//
// Reads the final IR of the pipeline: the graph function calls one outlined
// function per kernel (dyconv-outline-kernels), each holding one kernel op.
//
//===----------------------------------------------------------------------===//

#include "CompileReport.h"

#include "dyconv/Dialect/GraphFunction.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;

namespace dyconv::tools {
namespace {

/// The dyconv op a kernel function runs: its one op besides the return.
Operation *kernelOp(func::FuncOp kernel) {
  Operation *found = nullptr;
  for (Operation &op : kernel.getBody().front().without_terminator())
    if (op.getDialect() && op.getDialect()->getNamespace() == "dyconv")
      found = &op;
  return found;
}

std::string layoutOf(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.getEncoding())
    return "dense";
  std::string text;
  llvm::raw_string_ostream os(text);
  tensor.getEncoding().print(os);
  return text;
}

/// The name of the weight blob behind \p value, or "".
std::string weightName(Value value) {
  auto constant = value.getDefiningOp<arith::ConstantOp>();
  if (!constant)
    return "";
  if (auto blob = dyn_cast<DenseResourceElementsAttr>(constant.getValue()))
    return blob.getRawHandle().getKey().str();
  return "(constant)";
}

void printStep(unsigned step, func::CallOp call, ModuleOp module,
               raw_ostream &os) {
  auto kernel = module.lookupSymbol<func::FuncOp>(call.getCallee());
  Operation *op = kernel ? kernelOp(kernel) : nullptr;
  os << "  " << step << ". " << call.getCallee() << ": ";
  if (!op) {
    os << "(no kernel op)\n";
    return;
  }
  os << op->getName().stripDialect();
  for (NamedAttribute attribute : op->getAttrs()) {
    // How the operands split into groups: no decision of the compiler.
    if (attribute.getName() == "operandSegmentSizes")
      continue;
    os << " " << attribute.getName().getValue() << "=";
    attribute.getValue().print(os, /*elideType=*/true);
  }
  os << "\n      layout " << layoutOf(call.getResult(0).getType());
  llvm::SmallVector<std::string> weights;
  for (Value operand : call.getOperands())
    if (std::string name = weightName(operand); !name.empty())
      weights.push_back(name);
  if (!weights.empty())
    os << "; weights " << llvm::join(weights, ", ");
  os << "\n";
}

} // namespace

void printCompileReport(ModuleOp module, raw_ostream &os) {
  func::FuncOp graph = mlir::dyconv::getGraphFunction(module);
  if (!graph)
    return;
  os << "report: what the layers of @" << graph.getSymName() << " became\n";
  unsigned step = 0;
  for (Operation &op : graph.getBody().front().without_terminator()) {
    if (isa<arith::ConstantOp>(op))
      continue;
    if (auto call = dyn_cast<func::CallOp>(op))
      printStep(step++, call, module, os);
    else
      os << "  -. " << op.getName().stripDialect() << ": no kernel\n";
  }
}

} // namespace dyconv::tools
