//===- KernelWarehouseOps.cpp - kw_attention, kw_assemble -----------------===//
//
// Type inference, reference evaluation and kernel description of
// KernelWarehouse (spec §2.3-2.5): the contrasting-driven attention and the
// assembly of per-sample kernels from a shared warehouse.
//
//===----------------------------------------------------------------------===//

#include "OpFamily.h"

using namespace mlir;
using namespace mlir::dyconv;

//===----------------------------------------------------------------------===//
// kw_attention
//===----------------------------------------------------------------------===//

FailureOr<TypeList> KWAttentionOp::inferResultTypes(const OpDiagnostics &diag,
                                                    Adaptor adaptor) {
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
  return TypeList{tensorLike({input->getDimSize(0), n, cells}, *input)};
}

llvm::Expected<TensorList>
KWAttentionOp::evaluate(const OperandTensors &operands) {
  reference::KWAttentionParams params;
  params.numMixtures = static_cast<int64_t>(getNumMixtures());
  params.numCells = static_cast<int64_t>(getNumCells());
  params.startCell = static_cast<int64_t>(getStartCell());
  params.normEpsilon = getNormEpsilon().convertToDouble();
  reference::KWAttentionWeights w;
  w.fc1Weight = &operands.get(getFc1Weight());
  w.fc1Bias = operands.optional(getFc1Bias());
  w.normScale = operands.optional(getNormScale());
  w.normBias = operands.optional(getNormBias());
  w.normMean = operands.optional(getNormMean());
  w.normVariance = operands.optional(getNormVariance());
  w.fc2Weight = &operands.get(getFc2Weight());
  w.fc2Bias = operands.optional(getFc2Bias());
  w.fc3Weight = operands.optional(getFc3Weight());
  w.basisBias = operands.optional(getBasisBias());
  return singleResult(
      reference::kwAttention(operands.get(getInput()), w, params));
}

FailureOr<KernelDesc> KWAttentionOp::describeKernel() {
  if (getNormMean())
    return emitOpError("has a batch norm that was not folded into fc1 "
                       "(run --dyconv-decompose-dynamic-conv first)");
  if (kernels::shapeOf(getInput()).size() != 4)
    return emitOpError("codegen supports [N, C, H, W] inputs only, got ")
           << getInput().getType();
  KWAttentionKernel desc;
  std::tie(desc.inChannels, desc.height, desc.width) = kernels::chw(getInput());
  desc.hidden = kernels::shapeOf(getFc1Weight())[0];
  desc.numMixtures = static_cast<int64_t>(getNumMixtures());
  desc.numCells = static_cast<int64_t>(getNumCells());
  desc.startCell = static_cast<int64_t>(getStartCell());
  desc.layerNorm = static_cast<bool>(getNormScale());
  desc.normEpsilon = static_cast<float>(getNormEpsilon().convertToDouble());
  desc.nonlocal = static_cast<bool>(getFc3Weight());
  if (desc.nonlocal) {
    ArrayRef<int64_t> fc3 = kernels::shapeOf(getFc3Weight());
    desc.localCells = desc.numCells - fc3[0];
    desc.basisCells = fc3[1];
  }
  return KernelDesc(desc);
}

//===----------------------------------------------------------------------===//
// kw_assemble
//===----------------------------------------------------------------------===//

FailureOr<TypeList> KWAssembleOp::inferResultTypes(const OpDiagnostics &diag,
                                                   Adaptor adaptor) {
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
  return TypeList{tensorLike(
      {coeffs->getDimSize(0), cout, cinPerGroup, kernel[0], kernel[1]},
      *coeffs)};
}

llvm::Expected<TensorList>
KWAssembleOp::evaluate(const OperandTensors &operands) {
  std::array<int64_t, 2> kernel;
  if (!reference::copyArray(getKernelSize(), kernel))
    return reference::malformedWindow(*this);
  return singleResult(reference::kwAssemble(
      operands.get(getCoefficients()), operands.get(getWarehouse()), kernel,
      static_cast<int64_t>(getOutBlocks()),
      static_cast<int64_t>(getInBlocks())));
}

FailureOr<KernelDesc> KWAssembleOp::describeKernel() {
  KWAssembleKernel desc;
  ArrayRef<int64_t> coefficients = kernels::shapeOf(getCoefficients());
  ArrayRef<int64_t> warehouse = kernels::shapeOf(getWarehouse());
  desc.numMixtures = coefficients[1];
  desc.numCells = coefficients[2];
  desc.cellShape = {warehouse[1], warehouse[2], warehouse[3]};
  desc.kernelSize = kernels::toArray<2>(getKernelSize());
  desc.outBlocks = static_cast<int64_t>(getOutBlocks());
  desc.inBlocks = static_cast<int64_t>(getInBlocks());
  return KernelDesc(desc);
}
