//===- RaiseKernelWarehouse.cpp - recognise the KW layers of ONNX exports -===//
//
// `torch.onnx.export` of the authors' KWconv (operator spec §2.4, §2.5)
// leaves, with B the export batch, n mixtures, M warehouse cells and the
// warehouse E [M, co, ci, ckh, ckw],
//
//   a      = view(reduce_mean(view(x), spatial axes))       [B, Cin]
//   h      = relu(batch_norm(linear(a, fc1)))               [B, hid]
//   l      = view(linear(h, fc2, b2))                       [B*n, M+1]
//   caf    = l / (view(reduce_sum(abs(l), axis 1)) + 1e-3)
//   coeffs = slice(view(caf * (1 - tau) + tau * temp_bias), columns [0, M))
//   cells  = linear(coeffs, E^T)                            [B*n,
//   co*ci*ckh*ckw] w      = view(transpose(view(cells), [0, 2, 4, 3, 5, 1, 6,
//   7])) y      = view(conv2d(view(x), w, groups = g*B))         [B, Cout, H',
//   W']
//
// where the first view of `cells` is [B, gs, go, gi, co, ci, ckh, ckw] (so row
// m of a sample is mixture `(s*go + o_blk)*gi + i_blk`, the kw_assemble
// order) and the permuted [B, go, co, gi, ci, gs, ckh, ckw] views as the
// per-sample kernels [B*Cout, Cin/g, kh, kw]. At inference tau = 0: the mul
// is by 1 and temp_bias is multiplied by 0, so only ones and zeros match.
// BatchNorm mode (a bias-free fc1 and a batch_norm) and the no-norm form (a
// biased fc1) are recognised.
//
//===----------------------------------------------------------------------===//

#include "Constants.h"
#include "RaiseMatchers.h"
#include "RaiseOnnx.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <optional>

namespace mlir::dyconv::raise {

namespace {

/// The CAF normalisation's `1e-3`, as the f32 constant an export holds.
constexpr float kCafEpsilon = 1e-3f;

/// The tensor `x [B, C, ...]` whose mean over the dimensions from 2 on,
/// viewed as `[B, C]`, is `mean`: its view that `reduce_mean` or
/// `global_avg_pool` reads. Null otherwise.
Value matchSpatialMean(Value mean) {
  ArrayRef<int64_t> shape = shapeOf(mean);
  if (shape.size() != 2)
    return Value();
  Operation *op = skipReshapes(mean).getDefiningOp();
  Value pooled;
  if (auto pool = dyn_cast_or_null<GlobalAvgPoolOp>(op))
    pooled = pool.getInput();
  if (auto reduce = dyn_cast_or_null<ReduceMeanOp>(op)) {
    int64_t rank = shapeOf(reduce.getInput()).size();
    std::optional<SmallVector<int64_t>> axes =
        normalizeAxes(reduce.getAxes(), rank);
    if (axes)
      llvm::sort(*axes);
    if (rank >= 3 && axes &&
        ArrayRef<int64_t>(*axes) ==
            ArrayRef<int64_t>(llvm::to_vector(llvm::seq<int64_t>(2, rank))))
      pooled = reduce.getInput();
  }
  if (!pooled || shapeOf(pooled).take_front(2) != shape)
    return Value();
  return pooled;
}

/// Whether `denominator` is `view(reduce_sum(abs(logits), axis 1)) + 1e-3`
/// shaped `[rows, 1]`, for `logits [rows, M+1]`.
bool isCafDenominator(Value denominator, Value logits) {
  auto add = denominator.getDefiningOp<AddOp>();
  if (!add || !hasShape(add.getResult(), {shapeOf(logits)[0], 1}))
    return false;
  for (unsigned i = 0; i < 2; ++i) {
    std::optional<double> epsilon = readScalar(add->getOperand(i));
    Value total = add->getOperand(1 - i);
    if (!epsilon || static_cast<float>(*epsilon) != kCafEpsilon ||
        total.getType() != add.getType())
      continue;
    auto sum = skipReshapes(total).getDefiningOp<ReduceSumOp>();
    auto abs = sum ? sum.getInput().getDefiningOp<AbsOp>() : AbsOp();
    std::optional<SmallVector<int64_t>> axes =
        sum ? normalizeAxes(sum.getAxes(), 2) : std::nullopt;
    if (abs && abs.getInput() == logits && axes &&
        *axes == ArrayRef<int64_t>{1})
      return true;
  }
  return false;
}

/// The elements of a `dense_resource` attribute, or nullopt.
std::optional<ArrayRef<char>> blobData(Attribute attr) {
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  AsmResourceBlob *blob =
      resource ? resource.getRawHandle().getBlob() : nullptr;
  if (!blob)
    return std::nullopt;
  return blob->getData();
}

/// The warehouse `[M, co, ci, ckh, ckw]` whose transpose is the constant
/// `[co*ci*ckh*ckw, M]` matrix `transposed`, created once per contents at the
/// start of the function.
Value getWarehouse(RewriterBase &rewriter, Value transposed,
                   ArrayRef<int64_t> shape, WarehouseCache &warehouses) {
  Attribute source = transposed.getDefiningOp<arith::ConstantOp>().getValue();
  if (Value warehouse = warehouses.lookup(source))
    return warehouse;
  std::optional<constants::ConstantTensor> matrix =
      constants::readConstant(transposed);
  if (!matrix)
    return Value();
  int64_t cellSize = matrix->type.getDimSize(0), cells = shape[0];
  SmallVector<double> values(matrix->values.size());
  for (int64_t c = 0; c < cellSize; ++c)
    for (int64_t j = 0; j < cells; ++j)
      values[j * cellSize + c] = matrix->values[c * cells + j];
  OpBuilder::InsertionGuard guard(rewriter);
  auto func = transposed.getDefiningOp()->getParentOfType<func::FuncOp>();
  rewriter.setInsertionPointToStart(&func.getBody().front());
  Value warehouse = constants::createConstant(
      rewriter, transposed.getLoc(),
      RankedTensorType::get(shape, rewriter.getF32Type()), values,
      matrix->isResource(), matrix->resourceName + ".warehouse");
  warehouses.insert(source, warehouse);
  return warehouse;
}

} // namespace

Value WarehouseCache::lookup(Attribute source) const {
  std::optional<ArrayRef<char>> data = blobData(source);
  for (auto [known, warehouse] : warehouses) {
    if (known == source)
      return warehouse;
    std::optional<ArrayRef<char>> knownData = blobData(known);
    if (data && knownData &&
        cast<TypedAttr>(known).getType() == cast<TypedAttr>(source).getType() &&
        *data == *knownData)
      return warehouse;
  }
  return Value();
}

void WarehouseCache::insert(Attribute source, Value warehouse) {
  warehouses.emplace_back(source, warehouse);
}

LogicalResult raiseKernelWarehouse(RewriterBase &rewriter, Conv2DOp conv,
                                   WarehouseCache &warehouses) {
  if (!hasExportShape(conv.getInput()) || !hasExportShape(conv.getWeight()))
    return failure();
  // The kernel assembly: view(transpose(view(linear(coeffs, E^T)))).
  auto kernelView = conv.getWeight().getDefiningOp<ReshapeOp>();
  auto transpose = kernelView
                       ? kernelView.getInput().getDefiningOp<TransposeOp>()
                       : TransposeOp();
  if (!transpose ||
      transpose.getPerm() != ArrayRef<int64_t>{0, 2, 4, 3, 5, 1, 6, 7})
    return failure();
  auto cellView = transpose.getInput().getDefiningOp<ReshapeOp>();
  auto cells =
      cellView ? cellView.getInput().getDefiningOp<LinearOp>() : LinearOp();
  if (!cells || cells.getBias() || !isTensorConstant(cells.getWeight()) ||
      !hasExportShape(cellView.getResult()))
    return failure();
  ArrayRef<int64_t> layout = shapeOf(cellView.getResult());
  int64_t batch = layout[0], spatialCells = layout[1];
  int64_t outBlocks = layout[2], inBlocks = layout[3];
  int64_t co = layout[4], ci = layout[5], ckh = layout[6], ckw = layout[7];
  ArrayRef<int64_t> kernel = shapeOf(conv.getWeight());
  int64_t kh = kernel[2], kw = kernel[3];
  bool pointCells = ckh == 1 && ckw == 1;
  bool wholeCells = spatialCells == 1 && ckh == kh && ckw == kw;
  if (!(pointCells && spatialCells == kh * kw) && !wholeCells)
    return failure();
  if (kernel[0] != batch * outBlocks * co || kernel[1] != inBlocks * ci)
    return failure();
  int64_t mixtures = spatialCells * outBlocks * inBlocks;
  int64_t cellSize = co * ci * ckh * ckw;
  ArrayRef<int64_t> coefficients = shapeOf(cells.getInput());
  int64_t numCells = coefficients[1];
  if (coefficients[0] != batch * mixtures ||
      !hasShape(cells.getWeight(), {cellSize, numCells}))
    return failure();

  // The coefficients: the first M columns of the normalised logits.
  auto slice = cells.getInput().getDefiningOp<SliceOp>();
  if (!slice || !hasShape(slice.getInput(), {batch * mixtures, numCells + 1}) ||
      normalizeAxes(slice.getAxes(), 2) != SmallVector<int64_t>{1} ||
      slice.getStarts() != ArrayRef<int64_t>{0} ||
      slice.getSteps() != ArrayRef<int64_t>{1})
    return failure();
  auto caf = skipIdentities(slice.getInput()).getDefiningOp<DivOp>();
  if (!caf || !hasShape(caf.getResult(), {batch * mixtures, numCells + 1}) ||
      caf.getLhs().getType() != caf.getType() ||
      !isCafDenominator(caf.getRhs(), caf.getLhs()))
    return failure();

  // The logits and the attention MLP on the spatial mean of x.
  auto fc2 = skipReshapes(caf.getLhs()).getDefiningOp<LinearOp>();
  if (!fc2 || !fc2.getBias() ||
      !hasShape(fc2.getResult(), {batch, mixtures * (numCells + 1)}))
    return failure();
  auto relu = fc2.getInput().getDefiningOp<ReluOp>();
  Value hidden = relu ? relu.getInput() : Value();
  auto norm = hidden ? hidden.getDefiningOp<BatchNormOp>() : BatchNormOp();
  if (norm)
    hidden = norm.getInput();
  auto fc1 = hidden ? hidden.getDefiningOp<LinearOp>() : LinearOp();
  if (!fc1 || static_cast<bool>(norm) == static_cast<bool>(fc1.getBias()) ||
      (norm && !(norm.getEpsilon().convertToDouble() >= 0)))
    return failure();
  Value pooled = matchSpatialMean(fc1.getInput());

  // The batch folded into the groups, and x shared with the attention.
  ArrayRef<int64_t> folded = shapeOf(conv.getInput());
  if (!pooled || folded[0] != 1 || folded[1] % batch != 0 ||
      (folded[1] / batch) % (inBlocks * ci) != 0)
    return failure();
  int64_t cin = folded[1] / batch, groups = cin / (inBlocks * ci);
  Value input = viewedAs(conv.getInput(), {batch, cin, folded[2], folded[3]});
  ArrayRef<int64_t> convShape = shapeOf(conv.getResult());
  Value output = viewOf(conv.getResult(),
                        {batch, outBlocks * co, convShape[2], convShape[3]});
  if (static_cast<int64_t>(conv.getGroups()) != groups * batch || !input ||
      !output || !isViewOf(pooled, input))
    return failure();

  Value warehouse = getWarehouse(rewriter, cells.getWeight(),
                                 {numCells, co, ci, ckh, ckw}, warehouses);
  if (!warehouse)
    return failure();
  Operation *rootOp = output.getDefiningOp();
  rewriter.setInsertionPoint(rootOp);
  Location loc = conv.getLoc();
  Type f32 = rewriter.getF32Type();
  auto attention = KWAttentionOp::create(
      rewriter, loc, RankedTensorType::get({batch, mixtures, numCells}, f32),
      input, fc1.getWeight(), fc1.getBias(), norm ? norm.getScale() : Value(),
      norm ? norm.getBias() : Value(), norm ? norm.getMean() : Value(),
      norm ? norm.getVariance() : Value(), fc2.getWeight(), fc2.getBias(),
      Value(), Value(), mixtures, numCells,
      /*start_cell=*/0,
      llvm::APFloat(norm ? norm.getEpsilon().convertToDouble() : 1e-5));
  auto kernels = KWAssembleOp::create(
      rewriter, loc,
      RankedTensorType::get({batch, outBlocks * co, inBlocks * ci, kh, kw},
                            f32),
      attention.getResult(), warehouse, ArrayRef<int64_t>{kh, kw}, outBlocks,
      inBlocks);
  auto dynamic = DynamicConv2DOp::create(
      rewriter, loc, output.getType(), input, kernels.getResult(), Value(),
      conv.getStrideAttr(), conv.getPaddingAttr(), conv.getDilationAttr(),
      rewriter.getI64IntegerAttr(groups));
  replaceAndEraseDead(rewriter, rootOp, dynamic.getResult());
  return success();
}

} // namespace mlir::dyconv::raise
