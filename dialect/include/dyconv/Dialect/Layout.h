//===- Layout.h - physical layouts of tensor values -------------*- C++ -*-===//
//
// What a BlockedLayoutAttr encoding (DyConvAttrs.td) means for the bytes of a
// tensor: its physical shape, and the packing of logical row-major data into
// it (zero padding) and back. The one definition of the layout arithmetic:
// the layout passes, the artifact writer, the memory planner and the
// reference interpreter use it.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_DIALECT_LAYOUT_H
#define DYCONV_DIALECT_LAYOUT_H

#include "dyconv/Dialect/DyConvOps.h"

#include "mlir/IR/BuiltinTypes.h"

#include <vector>

namespace mlir::dyconv {

/// The blocked layout of `type`, or null when it is stored plain.
BlockedLayoutAttr getBlockedLayout(Type type);

/// The physical shape of a tensor of `logical` shape whose dimensions `dims`
/// are split into blocks of `tiles`: those dimensions hold their block count
/// (rounded up), and the tiles follow innermost. A dynamic dimension stays
/// dynamic.
SmallVector<int64_t> physicalShape(ArrayRef<int64_t> logical,
                                   ArrayRef<int64_t> dims,
                                   ArrayRef<int64_t> tiles);

/// The physical shape of a tensor of `logical` shape stored in `layout`
/// (plain when null).
SmallVector<int64_t> physicalShape(ArrayRef<int64_t> logical,
                                   BlockedLayoutAttr layout);

/// The physical shape of `type` under its encoding.
SmallVector<int64_t> physicalShape(RankedTensorType type);

/// `type` with the blocked layout `layout` (plain when null).
RankedTensorType withLayout(RankedTensorType type, BlockedLayoutAttr layout);

/// Packs `logical`, the row-major elements of a static `shape`, into the
/// physical order of `layout`, padding with zeros.
std::vector<float> packData(ArrayRef<float> logical, ArrayRef<int64_t> shape,
                            BlockedLayoutAttr layout);

/// The row-major logical elements of `physical`, elements of a static
/// `shape` stored in `layout`.
std::vector<float> unpackData(ArrayRef<float> physical, ArrayRef<int64_t> shape,
                              BlockedLayoutAttr layout);

/// The elements of a constant `value` of f32 `type` (static shape), in
/// logical row-major order or, with `physical`, in the order its layout
/// stores them: inline dense elements are logical, a dense_resource blob of
/// a blocked type holds the physical ones (padding included). Returns
/// failure with `error` set when the data is absent or of the wrong size.
FailureOr<std::vector<float>> readConstantElements(Attribute value,
                                                   RankedTensorType type,
                                                   bool physical,
                                                   std::string &error);

} // namespace mlir::dyconv

#endif // DYCONV_DIALECT_LAYOUT_H
