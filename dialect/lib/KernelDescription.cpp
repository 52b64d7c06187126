//===- KernelDescription.cpp - what every kernel and evaluation shares ----===//

#include "dyconv/Dialect/DyConvInterfaces.h"
#include "dyconv/Dialect/Layout.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/STLExtras.h"

namespace mlir::dyconv {

/// Codegen bakes every extent but the batch into the kernel.
static LogicalResult checkKernelTypes(Operation *op) {
  for (Type type :
       llvm::concat<const Type>(op->getOperandTypes(), op->getResultTypes())) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.getElementType().isF32())
      return op->emitOpError("codegen supports f32 tensors only, got ") << type;
    // A scalar (rank 0) has no batch dimension to drop.
    for (int64_t dim : tensor.getShape().drop_front(tensor.getRank() > 0))
      if (ShapedType::isDynamic(dim))
        return op->emitOpError("codegen needs static shapes except for the "
                               "leading batch dimension, got ")
               << type;
  }
  return success();
}

/// How a value of `type` is stored.
static Layout layoutOf(Type type) {
  BlockedLayoutAttr blocked = getBlockedLayout(type);
  if (!blocked)
    return {};
  return {
      std::vector<int64_t>(blocked.getDims().begin(), blocked.getDims().end()),
      std::vector<int64_t>(blocked.getTiles().begin(),
                           blocked.getTiles().end())};
}

FailureOr<KernelDesc> describeKernel(Operation *op) {
  auto kernel = dyn_cast<KernelOpInterface>(op);
  if (!kernel)
    return op->emitOpError("has no kernel family in codegen");
  if (failed(checkKernelTypes(op)))
    return failure();
  FailureOr<KernelDesc> desc = kernel.describeKernel();
  if (failed(desc))
    return failure();
  auto types =
      llvm::concat<const Type>(op->getOperandTypes(), op->getResultTypes());
  if (llvm::any_of(types, [](Type type) { return getBlockedLayout(type); }))
    for (Type type : types)
      desc->layouts.push_back(layoutOf(type));
  return desc;
}

llvm::Expected<std::vector<reference::Tensor>>
singleResult(llvm::Expected<reference::Tensor> result) {
  if (!result)
    return result.takeError();
  std::vector<reference::Tensor> results;
  results.push_back(std::move(*result));
  return results;
}

} // namespace mlir::dyconv
