//===- Layout.cpp - physical layouts of tensor values ---------------------===//

#include "dyconv/Dialect/Layout.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/STLExtras.h"

namespace mlir::dyconv {

//===----------------------------------------------------------------------===//
// BlockedLayoutAttr
//===----------------------------------------------------------------------===//

LogicalResult
BlockedLayoutAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                          ArrayRef<int64_t> dims, ArrayRef<int64_t> tiles) {
  if (dims.empty() || dims.size() != tiles.size())
    return emitError() << "a blocked layout needs one tile per blocked "
                          "dimension, got "
                       << dims.size() << " dimensions and " << tiles.size()
                       << " tiles";
  for (auto [i, dim] : llvm::enumerate(dims)) {
    if (dim < 0 || llvm::is_contained(dims.take_front(i), dim))
      return emitError() << "blocked dimensions must be distinct and "
                            "non-negative, got "
                         << dim;
    if (tiles[i] < 1)
      return emitError() << "tiles must be positive, got " << tiles[i];
  }
  return success();
}

LogicalResult BlockedLayoutAttr::verifyEncoding(
    ArrayRef<int64_t> shape, Type elementType,
    function_ref<InFlightDiagnostic()> emitError) const {
  for (int64_t dim : getDims())
    if (dim >= static_cast<int64_t>(shape.size()))
      return emitError() << "blocked dimension " << dim
                         << " is out of range for rank " << shape.size();
  return success();
}

//===----------------------------------------------------------------------===//
// Layout arithmetic
//===----------------------------------------------------------------------===//

BlockedLayoutAttr getBlockedLayout(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor ? dyn_cast_or_null<BlockedLayoutAttr>(tensor.getEncoding())
                : nullptr;
}

SmallVector<int64_t> physicalShape(ArrayRef<int64_t> logical,
                                   ArrayRef<int64_t> dims,
                                   ArrayRef<int64_t> tiles) {
  SmallVector<int64_t> shape(logical);
  for (auto [dim, tile] : llvm::zip(dims, tiles))
    if (!ShapedType::isDynamic(shape[dim]))
      shape[dim] = (shape[dim] + tile - 1) / tile;
  llvm::append_range(shape, tiles);
  return shape;
}

SmallVector<int64_t> physicalShape(ArrayRef<int64_t> logical,
                                   BlockedLayoutAttr layout) {
  if (!layout)
    return SmallVector<int64_t>(logical);
  return physicalShape(logical, layout.getDims(), layout.getTiles());
}

Shape Layout::physicalShape(const Shape &logical) const {
  SmallVector<int64_t> shape =
      mlir::dyconv::physicalShape(logical, dims, tiles);
  return Shape(shape.begin(), shape.end());
}

SmallVector<int64_t> physicalShape(RankedTensorType type) {
  return physicalShape(type.getShape(), getBlockedLayout(type));
}

RankedTensorType withLayout(RankedTensorType type, BlockedLayoutAttr layout) {
  return RankedTensorType::get(type.getShape(), type.getElementType(), layout);
}

namespace {

/// Calls `visit(logicalOffset, physicalOffset)` for every element of a
/// static `shape` stored in `layout`.
template <typename Visit>
void forEachElement(ArrayRef<int64_t> shape, BlockedLayoutAttr layout,
                    Visit visit) {
  SmallVector<int64_t> physical = physicalShape(shape, layout);
  int64_t rank = static_cast<int64_t>(shape.size());
  int64_t count = 1;
  for (int64_t extent : shape)
    count *= extent;
  SmallVector<int64_t> index(rank, 0), physicalIndex(physical.size(), 0);
  for (int64_t offset = 0; offset < count; ++offset) {
    // index is the multi-index of offset; map it to the physical one.
    for (int64_t d = 0; d < rank; ++d)
      physicalIndex[d] = index[d];
    for (auto [k, dim] : llvm::enumerate(layout.getDims())) {
      int64_t tile = layout.getTiles()[k];
      physicalIndex[dim] = index[dim] / tile;
      physicalIndex[rank + k] = index[dim] % tile;
    }
    int64_t physicalOffset = 0;
    for (auto [i, extent] : llvm::enumerate(physical))
      physicalOffset = physicalOffset * extent + physicalIndex[i];
    visit(offset, physicalOffset);
    for (int64_t d = rank - 1; d >= 0 && ++index[d] == shape[d]; --d)
      index[d] = 0;
  }
}

int64_t elementCount(ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t extent : shape)
    count *= extent;
  return count;
}

} // namespace

std::vector<float> packData(ArrayRef<float> logical, ArrayRef<int64_t> shape,
                            BlockedLayoutAttr layout) {
  if (!layout)
    return std::vector<float>(logical.begin(), logical.end());
  std::vector<float> physical(elementCount(physicalShape(shape, layout)), 0.0f);
  forEachElement(shape, layout, [&](int64_t from, int64_t to) {
    physical[to] = logical[from];
  });
  return physical;
}

std::vector<float> unpackData(ArrayRef<float> physical, ArrayRef<int64_t> shape,
                              BlockedLayoutAttr layout) {
  if (!layout)
    return std::vector<float>(physical.begin(), physical.end());
  std::vector<float> logical(elementCount(shape));
  forEachElement(shape, layout, [&](int64_t to, int64_t from) {
    logical[to] = physical[from];
  });
  return logical;
}

FailureOr<std::vector<float>> readConstantElements(Attribute value,
                                                   RankedTensorType type,
                                                   bool physical,
                                                   std::string &error) {
  BlockedLayoutAttr layout = getBlockedLayout(type);
  if (auto dense = dyn_cast<DenseFPElementsAttr>(value)) {
    std::vector<float> logical;
    logical.reserve(type.getNumElements());
    for (float v : dense.getValues<float>())
      logical.push_back(v);
    if (!physical || !layout)
      return logical;
    return packData(logical, type.getShape(), layout);
  }
  auto resource = dyn_cast<DenseF32ResourceElementsAttr>(value);
  if (!resource) {
    error = "only dense and dense_resource f32 constants are supported";
    return failure();
  }
  std::optional<ArrayRef<float>> blob = resource.tryGetAsArrayRef();
  if (!blob) {
    error = "dense_resource blob '" + resource.getRawHandle().getKey().str() +
            "' holds no data";
    return failure();
  }
  int64_t expected = 1;
  for (int64_t extent : physicalShape(type))
    expected *= extent;
  if (static_cast<int64_t>(blob->size()) != expected) {
    error = "dense_resource blob '" + resource.getRawHandle().getKey().str() +
            "' holds " + std::to_string(blob->size()) + " values, its type " +
            "needs " + std::to_string(expected);
    return failure();
  }
  if (physical || !layout)
    return std::vector<float>(blob->begin(), blob->end());
  return unpackData(*blob, type.getShape(), layout);
}

} // namespace mlir::dyconv
