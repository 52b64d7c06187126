//===- BatchRows.cpp - how the batch maps onto leading dimensions ---------===//

#include "dyconv/Passes/BatchRows.h"

#include "dyconv/Dialect/DyConvOps.h"
#include "dyconv/Dialect/Layout.h"

#include "mlir/IR/BuiltinTypes.h"

namespace mlir::dyconv {

FailureOr<int64_t> rowElements(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || tensor.getRank() < 1)
    return failure();
  int64_t elements = 1;
  SmallVector<int64_t> physical = physicalShape(tensor);
  for (int64_t dim : ArrayRef<int64_t>(physical).drop_front()) {
    if (ShapedType::isDynamic(dim))
      return failure();
    elements *= dim;
  }
  return elements;
}

FailureOr<llvm::DenseMap<Value, int64_t>> computeBatchRows(func::FuncOp graph) {
  llvm::DenseMap<Value, int64_t> rows;
  for (BlockArgument arg : graph.getArguments())
    rows[arg] = 1;
  for (Operation &op : graph.getBody().getOps()) {
    if (op.getNumResults() == 0)
      continue;
    // The first batch-dependent operand decides: every op keeps the batch
    // rows of its inputs, but a view may regroup them.
    Value source;
    for (Value operand : op.getOperands())
      if (rows.count(operand)) {
        source = operand;
        break;
      }
    if (!source)
      continue;
    if (!isa<ReshapeOp, FlattenOp>(op)) {
      for (Value result : op.getResults())
        rows[result] = rows[source];
      continue;
    }
    FailureOr<int64_t> in = rowElements(source.getType());
    FailureOr<int64_t> out = rowElements(op.getResult(0).getType());
    if (failed(in) || failed(out) || (rows[source] * *in) % *out != 0)
      return op.emitOpError("does not keep each sample's elements in whole "
                            "leading rows: ")
             << source.getType() << " -> " << op.getResult(0).getType();
    rows[op.getResult(0)] = rows[source] * *in / *out;
  }
  return rows;
}

} // namespace mlir::dyconv
