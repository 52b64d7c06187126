//===- BatchRows.h - how the batch maps onto leading dimensions -*- C++ -*-===//
//
// The runtime sizes every intermediate tensor per sample. Most tensors have
// the batch as their leading dimension, but a reshape may fold more rows per
// sample into it (DDF's heads: [N, C, H, W] -> [N*h, C/h, H, W]). This
// analysis gives every batch-dependent value of a graph function the number
// of leading rows each sample owns.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_PASSES_BATCHROWS_H
#define DYCONV_PASSES_BATCHROWS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"

namespace mlir::dyconv {

/// Leading rows per sample of every batch-dependent value in `graph`
/// (arguments, results of its ops): 1 for `[N, ...]`, h for `[N*h, ...]`.
/// Values that do not depend on the batch (constants) are absent. Fails,
/// with an error on the op, where a reshape does not keep each sample's
/// elements in whole leading rows.
FailureOr<llvm::DenseMap<Value, int64_t>> computeBatchRows(func::FuncOp graph);

/// The elements of one leading row of a ranked tensor type as its layout
/// stores it (the product of the other physical dimensions), or failure when
/// one of them is dynamic.
FailureOr<int64_t> rowElements(Type type);

} // namespace mlir::dyconv

#endif // DYCONV_PASSES_BATCHROWS_H
