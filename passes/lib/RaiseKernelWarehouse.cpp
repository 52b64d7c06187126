//===- RaiseKernelWarehouse.cpp - recognise the KW layers of ONNX exports -===//
//
// `torch.onnx.export` of the authors' KWconv (operator spec §2.4, §2.5)
// leaves, with B the export batch, n mixtures, M warehouse cells and the
// warehouse E [M, co, ci, ckh, ckw],
//
//   a      = view(reduce_mean(view(x), spatial axes))            [B, Cin]
//   h      = relu(norm(linear(a, fc1)))                          [B, hid]
//   l      = view(linear(h, fc2, b2))                            [B*n, M+1]
//   caf    = l / (view(reduce_sum(abs(l), axis 1)) + 1e-3)
//   coeffs = slice(view(caf * (1 - tau) + tau * temp_bias), columns [0, M))
//   cells  = linear(coeffs, E^T)                 [B*n, co*ci*ckh*ckw]
//   w      = view(transpose(view(cells), [0, 2, 4, 3, 5, 1, 6, 7]))
//   y      = view(conv2d(view(x), w, groups = g*B))      [B, Cout, H', W']
//
// where the first view of `cells` is [B, gs, go, gi, co, ci, ckh, ckw] (so
// row m of a sample is mixture `(s*go + o_blk)*gi + i_blk`, the kw_assemble
// order) and the permuted [B, go, co, gi, ci, gs, ckh, ckw] views as the
// per-sample kernels [B*Cout, Cin/g, kh, kw]. At inference tau = 0: the mul
// is by 1 and temp_bias is multiplied by 0, so only ones and zeros match.
//
// The norm is a batch_norm after a bias-free fc1, a layer_norm after a
// biased one (ConvNeXt's attentions, once dyconv's LayerNorm raise has run)
// or absent after a biased one. In nonlocal-basis mode (fc3, basis_bias) the
// logits are the concatenation described at matchNonlocal. A linear layer
// (KWLinear: a 1-D conv over one token, which the importer makes a conv2d of
// height 1) has 7-D cells [B, gs, go, gi, co, ci, ckw] permuted by
// [0, 2, 4, 3, 5, 1, 6]; its input and output are views of [B, C, L].
//
//===----------------------------------------------------------------------===//

#include "Constants.h"
#include "RaiseMatchers.h"
#include "RaiseOnnx.h"

#include "dyconv/Dialect/ShapeUtils.h"

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

namespace {

/// What the assembly of a layer's kernel tells: the cells linear layer and
/// the cell layout.
struct Assembly {
  LinearOp cells;
  int64_t batch, spatialCells, outBlocks, inBlocks;
  int64_t co, ci, ckh, ckw, kh, kw;
};

/// The kernel assembly `view(transpose(view(linear(coeffs, E^T))))` read by
/// `conv`; the 1-D form (a KernelWarehouse linear layer, its conv2d of
/// height 1) transposes `[0, 2, 4, 3, 5, 1, 6]`.
std::optional<Assembly> matchAssembly(Conv2DOp conv) {
  auto transpose = skipReshapes(conv.getWeight()).getDefiningOp<TransposeOp>();
  ArrayRef<int64_t> perm =
      transpose ? transpose.getPerm() : ArrayRef<int64_t>();
  bool is2d = perm == ArrayRef<int64_t>{0, 2, 4, 3, 5, 1, 6, 7};
  if (!is2d && perm != ArrayRef<int64_t>{0, 2, 4, 3, 5, 1, 6})
    return std::nullopt;
  auto cellView = transpose.getInput().getDefiningOp<ReshapeOp>();
  auto cells =
      cellView ? cellView.getInput().getDefiningOp<LinearOp>() : LinearOp();
  if (!cells || cells.getBias() || !isTensorConstant(cells.getWeight()) ||
      !hasExportShape(cellView.getResult()))
    return std::nullopt;
  ArrayRef<int64_t> layout = shapeOf(cellView.getResult());
  ArrayRef<int64_t> kernel = shapeOf(conv.getWeight());
  Assembly a{cells,         layout[0], layout[1], layout[2],
             layout[3],     layout[4], layout[5], is2d ? layout[6] : 1,
             layout.back(), kernel[2], kernel[3]};
  bool pointCells = a.ckh == 1 && a.ckw == 1;
  bool wholeCells = a.spatialCells == 1 && a.ckh == a.kh && a.ckw == a.kw;
  if ((!(pointCells && a.spatialCells == a.kh * a.kw) && !wholeCells) ||
      kernel[0] != a.batch * a.outBlocks * a.co ||
      kernel[1] != a.inBlocks * a.ci)
    return std::nullopt;
  return a;
}

/// The logits of a layer's mixtures: fc2 and, in nonlocal-basis mode, the
/// basis mapping.
struct Logits {
  LinearOp fc2;
  LinearOp fc3;    ///< nonlocal mode only
  Value basisBias; ///< nonlocal mode only, [n*(M+1)]
  int64_t startCell = 0;
};

/// Nonlocal-basis mode (spec §2.4), from the logits `[B*n, M+1]` on:
///   l = view(linear(h, fc2))                 [B*n, L+Nb+1]
///   f = linear(l[:, L:L+Nb], fc3)            [B*n, M-L]
///   view(concat(f[:, :s], l[:, :L], f[:, s:], l[:, -1:]) + basis_bias)
std::optional<Logits> matchNonlocal(Value logits, int64_t rows,
                                    int64_t numCells) {
  auto add = skipReshapes(logits).getDefiningOp<AddOp>();
  if (!add)
    return std::nullopt;
  for (unsigned i = 0; i < 2; ++i) {
    Value bias = add->getOperand(i);
    std::optional<constants::ConstantTensor> constant =
        constants::readConstant(bias);
    auto concat =
        skipReshapes(add->getOperand(1 - i)).getDefiningOp<ConcatOp>();
    ArrayRef<int64_t> sum = shapeOf(add.getResult());
    if (!constant || !concat || sum.empty() ||
        static_cast<int64_t>(constant->values.size()) != sum.back() ||
        shape::product(sum) != rows * (numCells + 1) ||
        !hasShape(concat.getResult(), {rows, numCells + 1}) ||
        normalizeAxes({static_cast<int64_t>(concat.getAxis())}, 2) !=
            SmallVector<int64_t>{1})
      continue;
    // The four pieces f[:, :s], l[:, :L], f[:, s:], l[:, -1:], where either
    // part of f may be empty and a whole f may be f itself.
    if (concat.getInputs().size() != 4)
      continue;
    auto sliceOf = [](Value value) -> std::pair<Value, int64_t> {
      auto slice = value.getDefiningOp<SliceOp>();
      if (!slice ||
          normalizeAxes(slice.getAxes(), 2) != SmallVector<int64_t>{1} ||
          slice.getSteps() != ArrayRef<int64_t>{1})
        return {value, 0};
      int64_t start = slice.getStarts()[0];
      if (start < 0)
        start += shapeOf(slice.getInput())[1];
      return {slice.getInput(), std::max<int64_t>(start, 0)};
    };
    auto width = [](Value value) { return shapeOf(value)[1]; };
    Value headPiece = concat.getInputs()[0], localPiece = concat.getInputs()[1];
    Value tailPiece = concat.getInputs()[2], zeroPiece = concat.getInputs()[3];
    auto [headSource, headStart] = sliceOf(headPiece);
    auto [localSource, localStart] = sliceOf(localPiece);
    auto [tailSource, tailStart] = sliceOf(tailPiece);
    auto [zeroSource, zeroStart] = sliceOf(zeroPiece);
    int64_t local = width(localPiece), start = width(headPiece);
    auto fc3 = tailSource.getDefiningOp<LinearOp>();
    if (!fc3 || fc3.getBias() || !isTensorConstant(fc3.getWeight()) ||
        headSource != tailSource || headStart != 0 || tailStart != start ||
        start + width(tailPiece) != width(fc3.getResult()) ||
        width(fc3.getResult()) != numCells - local ||
        localSource != zeroSource || localStart != 0 || width(zeroPiece) != 1)
      continue;
    int64_t logitsWidth = width(localSource);
    int64_t basis = logitsWidth - local - 1;
    auto [basisSource, basisStart] = sliceOf(fc3.getInput());
    if (zeroStart != logitsWidth - 1 || basisSource != localSource ||
        basisStart != local || width(fc3.getInput()) != basis)
      continue;
    auto fc2 = skipReshapes(localSource).getDefiningOp<LinearOp>();
    if (!fc2 || fc2.getBias())
      continue;
    Logits result;
    result.fc2 = fc2;
    result.fc3 = fc3;
    result.basisBias = bias;
    result.startCell = start;
    return result;
  }
  return std::nullopt;
}

/// The hidden layer `relu(norm(linear(a, fc1)))` of the attention, the
/// norm a batch_norm after a bias-free fc1, a layer_norm over the hidden
/// units after a biased one (ConvNeXt), or absent after a biased one.
struct Hidden {
  LinearOp fc1;
  BatchNormOp batchNorm;
  LayerNormOp layerNorm;
};

std::optional<Hidden> matchHidden(Value value) {
  auto relu = value.getDefiningOp<ReluOp>();
  Value hidden = relu ? relu.getInput() : Value();
  Hidden h;
  h.batchNorm = hidden ? hidden.getDefiningOp<BatchNormOp>() : BatchNormOp();
  h.layerNorm = hidden ? hidden.getDefiningOp<LayerNormOp>() : LayerNormOp();
  if (h.batchNorm)
    hidden = h.batchNorm.getInput();
  if (h.layerNorm)
    hidden = h.layerNorm.getInput();
  h.fc1 = hidden ? hidden.getDefiningOp<LinearOp>() : LinearOp();
  if (!h.fc1 ||
      static_cast<bool>(h.batchNorm) == static_cast<bool>(h.fc1.getBias()) ||
      (h.batchNorm && !(h.batchNorm.getEpsilon().convertToDouble() >= 0)))
    return std::nullopt;
  if (h.layerNorm &&
      (normalizeAxes({static_cast<int64_t>(h.layerNorm.getAxis())}, 2) !=
           SmallVector<int64_t>{1} ||
       !(h.layerNorm.getEpsilon().convertToDouble() >= 0)))
    return std::nullopt;
  return h;
}

/// The last view of `value` (itself or along its chain of only users that
/// are reshapes) shaped `[batch, channels, ...]` with `elements` elements:
/// the raised layer replaces the whole chain up to it.
Value sampleView(Value value, int64_t batch, int64_t channels,
                 int64_t elements) {
  Value last;
  while (value) {
    ArrayRef<int64_t> shape = shapeOf(value);
    if (shape.size() >= 3 && shape[0] == batch && shape[1] == channels &&
        shape::product(shape) == elements)
      last = value;
    if (!value.hasOneUse())
      break;
    auto reshape = dyn_cast<ReshapeOp>(*value.getUsers().begin());
    value = reshape ? reshape.getResult() : Value();
  }
  return last;
}

} // namespace

LogicalResult raiseKernelWarehouse(RewriterBase &rewriter, Conv2DOp conv,
                                   WarehouseCache &warehouses) {
  if (!hasExportShape(conv.getInput()) || !hasExportShape(conv.getWeight()))
    return failure();
  std::optional<Assembly> a = matchAssembly(conv);
  if (!a)
    return failure();
  int64_t batch = a->batch;
  int64_t mixtures = a->spatialCells * a->outBlocks * a->inBlocks;
  int64_t cellSize = a->co * a->ci * a->ckh * a->ckw;
  LinearOp cells = a->cells;
  ArrayRef<int64_t> coefficients = shapeOf(cells.getInput());
  int64_t numCells = coefficients[1];
  int64_t rows = batch * mixtures;
  if (coefficients[0] != rows ||
      !hasShape(cells.getWeight(), {cellSize, numCells}))
    return failure();

  // The coefficients: the first M columns of the normalised logits.
  auto slice = cells.getInput().getDefiningOp<SliceOp>();
  if (!slice || !hasShape(slice.getInput(), {rows, numCells + 1}) ||
      normalizeAxes(slice.getAxes(), 2) != SmallVector<int64_t>{1} ||
      slice.getStarts() != ArrayRef<int64_t>{0} ||
      slice.getSteps() != ArrayRef<int64_t>{1})
    return failure();
  auto caf = skipIdentities(slice.getInput()).getDefiningOp<DivOp>();
  if (!caf || !hasShape(caf.getResult(), {rows, numCells + 1}) ||
      caf.getLhs().getType() != caf.getType() ||
      !isCafDenominator(caf.getRhs(), caf.getLhs()))
    return failure();

  // The logits, plain or nonlocal, and the attention MLP on the spatial
  // mean of x.
  std::optional<Logits> logits;
  if (auto fc2 = skipReshapes(caf.getLhs()).getDefiningOp<LinearOp>()) {
    if (fc2.getBias() &&
        hasShape(fc2.getResult(), {batch, mixtures * (numCells + 1)}))
      logits = Logits{fc2, LinearOp(), Value(), 0};
  } else {
    logits = matchNonlocal(caf.getLhs(), rows, numCells);
  }
  std::optional<Hidden> hidden =
      logits ? matchHidden(logits->fc2.getInput()) : std::nullopt;
  if (!hidden)
    return failure();
  Value pooled = matchSpatialMean(hidden->fc1.getInput());

  // The batch folded into the groups, and x shared with the attention.
  ArrayRef<int64_t> folded = shapeOf(conv.getInput());
  if (!pooled || folded[0] != 1 || folded[1] % batch != 0 ||
      (folded[1] / batch) % (a->inBlocks * a->ci) != 0)
    return failure();
  int64_t cin = folded[1] / batch, groups = cin / (a->inBlocks * a->ci);
  int64_t cout = a->outBlocks * a->co;
  Value source = skipReshapes(conv.getInput());
  ArrayRef<int64_t> convShape = shapeOf(conv.getResult());
  Value output =
      sampleView(conv.getResult(), batch, cout, shape::product(convShape));
  if (static_cast<int64_t>(conv.getGroups()) != groups * batch || !output ||
      shapeOf(source).size() < 3 || shapeOf(source)[0] != batch ||
      shapeOf(source)[1] != cin || !isViewOf(pooled, source))
    return failure();

  Value warehouse =
      getWarehouse(rewriter, cells.getWeight(),
                   {numCells, a->co, a->ci, a->ckh, a->ckw}, warehouses);
  if (!warehouse)
    return failure();
  Operation *rootOp = output.getDefiningOp();
  rewriter.setInsertionPoint(rootOp);
  Location loc = conv.getLoc();
  Type f32 = rewriter.getF32Type();
  Value input = source;
  SmallVector<int64_t> image = {batch, cin, folded[2], folded[3]};
  if (!hasShape(input, image))
    input = ReshapeOp::create(rewriter, loc, input, image).getResult();
  BatchNormOp bn = hidden->batchNorm;
  LayerNormOp ln = hidden->layerNorm;
  double epsilon = bn   ? bn.getEpsilon().convertToDouble()
                   : ln ? ln.getEpsilon().convertToDouble()
                        : 1e-5;
  Value fc2Bias = logits->fc3 ? Value() : logits->fc2.getBias();
  Value basisBias =
      logits->basisBias
          ? reshapeConstant(rewriter, logits->basisBias,
                            {shape::product(shapeOf(logits->basisBias))})
          : Value();
  auto attention = KWAttentionOp::create(
      rewriter, loc, RankedTensorType::get({batch, mixtures, numCells}, f32),
      input, hidden->fc1.getWeight(), hidden->fc1.getBias(),
      bn   ? bn.getScale()
      : ln ? ln.getScale()
           : Value(),
      bn   ? bn.getBias()
      : ln ? ln.getBias()
           : Value(),
      bn ? bn.getMean() : Value(), bn ? bn.getVariance() : Value(),
      logits->fc2.getWeight(), fc2Bias,
      logits->fc3 ? logits->fc3.getWeight() : Value(), basisBias, mixtures,
      numCells, logits->startCell, llvm::APFloat(epsilon));
  auto kernels = KWAssembleOp::create(
      rewriter, loc,
      RankedTensorType::get({batch, cout, a->inBlocks * a->ci, a->kh, a->kw},
                            f32),
      attention.getResult(), warehouse, ArrayRef<int64_t>{a->kh, a->kw},
      a->outBlocks, a->inBlocks);
  Value dynamic =
      DynamicConv2DOp::create(
          rewriter, loc,
          RankedTensorType::get({batch, cout, convShape[2], convShape[3]}, f32),
          input, kernels.getResult(), Value(), conv.getStrideAttr(),
          conv.getPaddingAttr(), conv.getDilationAttr(),
          rewriter.getI64IntegerAttr(groups))
          .getResult();
  if (dynamic.getType() != output.getType())
    dynamic =
        ReshapeOp::create(rewriter, loc, dynamic, shapeOf(output)).getResult();
  replaceAndEraseDead(rewriter, rootOp, dynamic);
  return success();
}

} // namespace mlir::dyconv::raise
