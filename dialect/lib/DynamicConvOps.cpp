//===- DynamicConvOps.cpp - type inference of the dynamic convolutions ----===//
//
// The rules for which attention heads exist, the KernelWarehouse cell layout
// and the DDF filter shapes follow the operator specification (ODConv §1.3,
// KernelWarehouse §2.3-2.5, DDF §3.1).
//
//===----------------------------------------------------------------------===//

#include "OpInference.h"

#include "dyconv/Dialect/DyConvOps.h"
#include "dyconv/Dialect/ShapeUtils.h"

using namespace mlir;
using namespace mlir::dyconv;
using inference::OpDiagnostics;
using inference::tensorLike;

LogicalResult
DynamicConv2DOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                  Adaptor adaptor,
                                  SmallVectorImpl<Type> &results) {
  OpDiagnostics diag(loc, getOperationName());
  FailureOr<RankedTensorType> input =
      diag.ranked(adaptor.getInput(), "input", 4);
  FailureOr<RankedTensorType> weight =
      diag.ranked(adaptor.getWeight(), "weight", 5);
  if (failed(input) || failed(weight))
    return failure();
  FailureOr<ArrayRef<int64_t>> kernel =
      inference::perSampleKernel(diag, *input, *weight);
  if (failed(kernel))
    return failure();
  FailureOr<SmallVector<int64_t>> shape = inference::inferConv2D(
      diag, *input, *kernel, *weight, adaptor.getBias(), adaptor.getStride(),
      adaptor.getPadding(), adaptor.getDilation(), adaptor.getGroups());
  if (failed(shape))
    return failure();
  if (shape::isDynamic((*shape)[0]))
    (*shape)[0] = weight->getDimSize(0);
  results.push_back(tensorLike(*shape, *input));
  return success();
}

//===----------------------------------------------------------------------===//
// odconv
//===----------------------------------------------------------------------===//

bool ODConvOp::isPointwiseSingleKernel() {
  ArrayRef<int64_t> bank = getWeight().getType().getShape();
  return bank[0] == 1 && bank[3] == 1 && bank[4] == 1;
}

namespace {
/// One optional attention head of an ODConv layer: `[size, A]` weight and
/// `[size]` bias, present exactly when `required`.
struct ODConvHead {
  StringRef name;
  Value weight, bias;
  bool required;
  int64_t size;
  StringRef absentBecause;
};
} // namespace

/// Checks one optional head of the layer with kernel bank `bank` and `groups`
/// groups, whose hidden width is `width`.
static LogicalResult checkHead(const OpDiagnostics &diag,
                               const ODConvHead &head, int64_t width,
                               RankedTensorType bank, int64_t groups) {
  if (static_cast<bool>(head.weight) != static_cast<bool>(head.bias))
    return diag.fail("the ", head.name,
                     " head needs both its weight and its "
                     "bias, got only its ",
                     head.weight ? "weight" : "bias");
  if (!head.weight && head.required)
    return diag.fail("the ", head.name, " head is required for weight ", bank,
                     " with groups ", groups, " (it is absent only ",
                     head.absentBecause, ")");
  if (head.weight && !head.required)
    return diag.fail("the ", head.name, " head must be absent ",
                     head.absentBecause, ", got weight ", bank, " with groups ",
                     groups);
  if (!head.weight)
    return success();
  return failure(
      failed(diag.matrix(head.weight, (head.name + "_weight").str(), head.size,
                         width)) ||
      failed(diag.vector(head.bias, (head.name + "_bias").str(), head.size)));
}

LogicalResult ODConvOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  OpDiagnostics diag(loc, getOperationName());
  FailureOr<RankedTensorType> input =
      diag.ranked(adaptor.getInput(), "input", 4);
  FailureOr<RankedTensorType> bank =
      diag.ranked(adaptor.getWeight(), "weight", 5);
  FailureOr<RankedTensorType> fc =
      diag.ranked(adaptor.getFcWeight(), "fc_weight", 2);
  if (failed(input) || failed(bank) || failed(fc))
    return failure();
  // weight is [K, Cout, Cin/g, k, k]; the layer's shape decides its heads.
  int64_t kernels = bank->getDimSize(0), cout = bank->getDimSize(1);
  int64_t kh = bank->getDimSize(3), kw = bank->getDimSize(4);
  int64_t groups = adaptor.getGroups();
  if (!shape::compatible(kh, kw))
    return diag.fail("kernels must be square, got weight ", *bank);
  int64_t k = shape::isDynamic(kh) ? kw : kh;
  FailureOr<SmallVector<int64_t>> shape = inference::inferConv2D(
      diag, *input, bank->getShape().drop_front(), *bank, Value(),
      adaptor.getStride(), adaptor.getPadding(), adaptor.getDilation(), groups);
  if (failed(shape))
    return failure();
  int64_t cin = shape::product({bank->getDimSize(2), groups});
  int64_t width = fc->getDimSize(0);
  if (failed(diag.matrix(adaptor.getFcWeight(), "fc_weight", width, cin)) ||
      failed(diag.vector(adaptor.getBnScale(), "bn_scale", width)) ||
      failed(diag.vector(adaptor.getBnBias(), "bn_bias", width)) ||
      failed(diag.vector(adaptor.getBnMean(), "bn_mean", width)) ||
      failed(diag.vector(adaptor.getBnVariance(), "bn_variance", width)) ||
      failed(diag.matrix(adaptor.getChannelWeight(), "channel_weight", cin,
                         width)) ||
      failed(diag.vector(adaptor.getChannelBias(), "channel_bias", cin)))
    return failure();

  // Dynamic sizes never compare equal to 1 or to each other here, so a bank
  // of unknown shape requires every head.
  bool depthwise = !shape::isDynamic(cin) && cin == groups && cin == cout;
  ODConvHead heads[] = {
      {"filter", adaptor.getFilterWeight(), adaptor.getFilterBias(), !depthwise,
       cout, "for a depthwise layer, Cin == groups == Cout"},
      {"spatial", adaptor.getSpatialWeight(), adaptor.getSpatialBias(), k != 1,
       shape::product({k, k}), "for 1x1 kernels"},
      {"kernel", adaptor.getKernelWeight(), adaptor.getKernelBias(),
       kernels != 1, kernels, "for a bank of one kernel, K == 1"}};
  for (const ODConvHead &head : heads)
    if (failed(checkHead(diag, head, width, *bank, groups)))
      return failure();
  double temperature = adaptor.getTemperature().convertToDouble();
  if (!(temperature > 0))
    return diag.fail("temperature must be positive, got ", temperature);
  double epsilon = adaptor.getBnEpsilon().convertToDouble();
  if (!(epsilon >= 0))
    return diag.fail("bn_epsilon must be non-negative, got ", epsilon);
  results.push_back(tensorLike(*shape, *input));
  return success();
}

//===----------------------------------------------------------------------===//
// KernelWarehouse
//===----------------------------------------------------------------------===//

LogicalResult KWAttentionOp::inferReturnTypes(MLIRContext *,
                                              std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &results) {
  OpDiagnostics diag(loc, getOperationName());
  FailureOr<RankedTensorType> input = diag.ranked(adaptor.getInput(), "input");
  FailureOr<RankedTensorType> fc1 =
      diag.ranked(adaptor.getFc1Weight(), "fc1_weight", 2);
  if (failed(input) || failed(fc1))
    return failure();
  if (input->getRank() < 2)
    return diag.fail("input must have rank >= 2 ([N, Cin, ...]), got ", *input);
  int64_t hidden = fc1->getDimSize(0);
  int64_t n = adaptor.getNumMixtures(), cells = adaptor.getNumCells();
  if (failed(diag.matrix(adaptor.getFc1Weight(), "fc1_weight", hidden,
                         input->getDimSize(1))))
    return failure();

  // BatchNorm1d has running statistics and follows a bias-free fc1;
  // LayerNorm has none and follows fc1 with a bias; without a norm (a
  // BatchNorm folded into fc1) fc1 has a bias.
  bool hasNorm = static_cast<bool>(adaptor.getNormScale());
  bool hasMean = static_cast<bool>(adaptor.getNormMean());
  if (hasNorm != static_cast<bool>(adaptor.getNormBias()))
    return diag.fail("norm_scale and norm_bias must be given together");
  if (hasMean != static_cast<bool>(adaptor.getNormVariance()))
    return diag.fail("norm_mean and norm_variance must be given together "
                     "(batch norm) or both omitted (layer norm)");
  if (hasMean && !hasNorm)
    return diag.fail("norm_mean and norm_variance need norm_scale and "
                     "norm_bias");
  if (hasMean && adaptor.getFc1Bias())
    return diag.fail("fc1 has no bias when the norm is a batch norm");
  if (!hasMean && !adaptor.getFc1Bias())
    return diag.fail(hasNorm ? "fc1 needs a bias when the norm is a layer norm"
                             : "fc1 needs a bias when there is no norm");
  if ((adaptor.getFc1Bias() &&
       failed(diag.vector(adaptor.getFc1Bias(), "fc1_bias", hidden))) ||
      (hasNorm &&
       (failed(diag.vector(adaptor.getNormScale(), "norm_scale", hidden)) ||
        failed(diag.vector(adaptor.getNormBias(), "norm_bias", hidden)))) ||
      (hasMean &&
       (failed(diag.vector(adaptor.getNormMean(), "norm_mean", hidden)) ||
        failed(
            diag.vector(adaptor.getNormVariance(), "norm_variance", hidden)))))
    return failure();

  int64_t logits = n * (cells + 1);
  int64_t startCell = adaptor.getStartCell();
  bool nonlocal = static_cast<bool>(adaptor.getFc3Weight());
  if (nonlocal != static_cast<bool>(adaptor.getBasisBias()))
    return diag.fail("nonlocal-basis mode needs both fc3_weight and "
                     "basis_bias");
  if (!nonlocal) {
    if (!adaptor.getFc2Bias())
      return diag.fail("fc2 needs a bias in plain mode");
    if (startCell != 0)
      return diag.fail("start_cell is used only in nonlocal-basis mode");
    if (failed(diag.matrix(adaptor.getFc2Weight(), "fc2_weight", logits,
                           hidden)) ||
        failed(diag.vector(adaptor.getFc2Bias(), "fc2_bias", logits)))
      return failure();
  } else {
    if (adaptor.getFc2Bias())
      return diag.fail("fc2 has no bias in nonlocal-basis mode");
    FailureOr<RankedTensorType> fc3 =
        diag.ranked(adaptor.getFc3Weight(), "fc3_weight", 2);
    if (failed(fc3))
      return failure();
    // fc3_weight is [M - L, Nb]: L local cells, Nb basis logits. A dynamic
    // fc3_weight leaves the rows of fc2_weight unknown.
    int64_t nonlocalCells = fc3->getDimSize(0), basis = fc3->getDimSize(1);
    int64_t fc2Rows = ShapedType::kDynamic;
    if (!shape::isDynamic(nonlocalCells)) {
      if (nonlocalCells > cells)
        return diag.fail("fc3_weight ", *fc3, " has more rows than num_cells (",
                         cells, ")");
      int64_t local = cells - nonlocalCells;
      if (startCell > nonlocalCells)
        return diag.fail("start_cell (", startCell, ") leaves no room for ",
                         local, " local cells among ", cells, " (fc3_weight ",
                         *fc3, ")");
      if (!shape::isDynamic(basis))
        fc2Rows = n * (local + basis + 1);
    }
    if (failed(diag.matrix(adaptor.getFc2Weight(), "fc2_weight", fc2Rows,
                           hidden)) ||
        failed(diag.vector(adaptor.getBasisBias(), "basis_bias", logits)))
      return failure();
  }
  double epsilon = adaptor.getNormEpsilon().convertToDouble();
  if (!(epsilon >= 0))
    return diag.fail("norm_epsilon must be non-negative, got ", epsilon);
  results.push_back(tensorLike({input->getDimSize(0), n, cells}, *input));
  return success();
}

LogicalResult KWAssembleOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &results) {
  OpDiagnostics diag(loc, getOperationName());
  FailureOr<RankedTensorType> coeffs =
      diag.ranked(adaptor.getCoefficients(), "coefficients", 3);
  FailureOr<RankedTensorType> warehouse =
      diag.ranked(adaptor.getWarehouse(), "warehouse", 5);
  if (failed(coeffs) || failed(warehouse) ||
      failed(diag.arraySize(adaptor.getKernelSize(), "kernel_size", 2)))
    return failure();
  ArrayRef<int64_t> kernel = adaptor.getKernelSize();
  ArrayRef<int64_t> cell = warehouse->getShape().take_back(2);
  if (!shape::compatible(coeffs->getDimSize(2), warehouse->getDimSize(0)))
    return diag.fail("coefficients ", *coeffs, " mix ", coeffs->getDimSize(2),
                     " cells but the warehouse ", *warehouse, " holds ",
                     warehouse->getDimSize(0));
  bool pointCells = cell[0] == 1 && cell[1] == 1;
  if (!pointCells && cell != kernel)
    return diag.fail("cells must be 1x1 or the whole kernel ",
                     shape::format(kernel), ", got warehouse ", *warehouse);
  int64_t spatialCells = pointCells ? kernel[0] * kernel[1] : 1;
  int64_t outBlocks = adaptor.getOutBlocks(), inBlocks = adaptor.getInBlocks();
  int64_t mixtures = spatialCells * outBlocks * inBlocks;
  if (!shape::compatible(coeffs->getDimSize(1), mixtures))
    return diag.fail("coefficients ", *coeffs, " have ", coeffs->getDimSize(1),
                     " mixtures, but the cell layout needs ", mixtures, " (",
                     spatialCells, " spatial x ", outBlocks, " out x ",
                     inBlocks, " in)");
  int64_t cout = shape::product({outBlocks, warehouse->getDimSize(1)});
  int64_t cinPerGroup = shape::product({inBlocks, warehouse->getDimSize(2)});
  results.push_back(tensorLike(
      {coeffs->getDimSize(0), cout, cinPerGroup, kernel[0], kernel[1]},
      *coeffs));
  return success();
}

//===----------------------------------------------------------------------===//
// ddf
//===----------------------------------------------------------------------===//

LogicalResult DDFOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &results) {
  OpDiagnostics diag(loc, getOperationName());
  FailureOr<RankedTensorType> input =
      diag.ranked(adaptor.getInput(), "input", 4);
  FailureOr<RankedTensorType> channel =
      diag.ranked(adaptor.getChannelFilter(), "channel_filter", 4);
  FailureOr<RankedTensorType> spatial =
      diag.ranked(adaptor.getSpatialFilter(), "spatial_filter", 4);
  if (failed(input) || failed(channel) || failed(spatial))
    return failure();
  int64_t k = adaptor.getKernelSize(), stride = adaptor.getStride();
  int64_t dilation = adaptor.getDilation();
  if (k < 1 || k % 2 == 0)
    return diag.fail("kernel_size must be odd, got ", k);
  if (stride < 1 || dilation < 1)
    return diag.fail("stride (", stride, ") and dilation (", dilation,
                     ") must be positive");
  int64_t batch = input->getDimSize(0), channels = input->getDimSize(1);
  auto scaled = [&](int64_t size) {
    return shape::isDynamic(size) ? size : size / stride;
  };
  SmallVector<int64_t> out = {batch, channels, scaled(input->getDimSize(2)),
                              scaled(input->getDimSize(3))};
  auto matches = [](RankedTensorType type, ArrayRef<int64_t> expected) {
    return llvm::all_of(llvm::zip(type.getShape(), expected), [](auto p) {
      return shape::compatible(std::get<0>(p), std::get<1>(p));
    });
  };
  if (!matches(*channel, {batch, channels, k, k}))
    return diag.fail("channel_filter must be ",
                     shape::format({batch, channels, k, k}), ", got ",
                     *channel);
  if (!matches(*spatial, {batch, k * k, out[2], out[3]}))
    return diag.fail("spatial_filter must be ",
                     shape::format({batch, k * k, out[2], out[3]}),
                     " (k*k taps at the strided output size), got ", *spatial);
  results.push_back(tensorLike(out, *input));
  return success();
}

LogicalResult FilterNormOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &results) {
  OpDiagnostics diag(loc, getOperationName());
  FailureOr<RankedTensorType> input =
      diag.ranked(adaptor.getInput(), "input", 4);
  if (failed(input))
    return failure();
  int64_t taps = adaptor.getTaps(), channels = input->getDimSize(1);
  if (taps < 2)
    return diag.fail("taps must be at least 2 (the standard deviation is "
                     "unbiased), got ",
                     taps);
  if (!shape::isDynamic(channels) && channels % taps != 0)
    return diag.fail("input channels (", channels,
                     ") are not a multiple of taps (", taps, "): ", *input);
  if (adaptor.getScale() &&
      failed(diag.vector(adaptor.getScale(), "scale", channels)))
    return failure();
  if (!(adaptor.getEpsilon().convertToDouble() >= 0))
    return diag.fail("epsilon must be non-negative");
  results.push_back(*input);
  return success();
}
