//===- ODConvOps.cpp - odconv, odconv_attention, aggregate ----------------===//
//
// Type inference, reference evaluation and kernel description of ODConv: the
// graph-level layer (spec §1) and the two kernels it decomposes into. The
// rules for which attention heads exist follow spec §1.3.
//
//===----------------------------------------------------------------------===//

#include "OpFamily.h"

using namespace mlir;
using namespace mlir::dyconv;

/// Points the head parameters of `w` (reference::ODConvWeights or
/// ODConvAttentionWeights) at the tensors of `op`'s: the channel head always,
/// the filter, spatial and kernel heads when present.
template <typename OpT, typename Weights>
static void readHeads(OpT op, const OperandTensors &operands, Weights &w) {
  w.channelWeight = &operands.get(op.getChannelWeight());
  w.channelBias = &operands.get(op.getChannelBias());
  w.filterWeight = operands.optional(op.getFilterWeight());
  w.filterBias = operands.optional(op.getFilterBias());
  w.spatialWeight = operands.optional(op.getSpatialWeight());
  w.spatialBias = operands.optional(op.getSpatialBias());
  w.kernelWeight = operands.optional(op.getKernelWeight());
  w.kernelBias = operands.optional(op.getKernelBias());
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

FailureOr<TypeList> ODConvOp::inferResultTypes(const OpDiagnostics &diag,
                                               Adaptor adaptor) {
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
  return TypeList{tensorLike(*shape, *input)};
}

llvm::Expected<TensorList> ODConvOp::evaluate(const OperandTensors &operands) {
  auto conv = reference::convParams(*this);
  if (!conv)
    return conv.takeError();
  reference::ODConvParams params;
  params.conv = *conv;
  params.temperature = getTemperature().convertToDouble();
  params.bnEpsilon = getBnEpsilon().convertToDouble();
  reference::ODConvWeights w;
  w.bank = &operands.get(getWeight());
  w.fcWeight = &operands.get(getFcWeight());
  w.bnScale = &operands.get(getBnScale());
  w.bnBias = &operands.get(getBnBias());
  w.bnMean = &operands.get(getBnMean());
  w.bnVariance = &operands.get(getBnVariance());
  readHeads(*this, operands, w);
  return singleResult(reference::odconv(operands.get(getInput()), w, params));
}

//===----------------------------------------------------------------------===//
// odconv_attention
//===----------------------------------------------------------------------===//

namespace {
/// One optional head of an ODConv attention: `[size, A]` weight and `[size]`
/// bias.
struct AttentionHead {
  StringRef name;
  Value weight, bias;
  int64_t size;
};
} // namespace

FailureOr<TypeList>
ODConvAttentionOp::inferResultTypes(const OpDiagnostics &diag,
                                    Adaptor adaptor) {
  FailureOr<RankedTensorType> input =
      diag.ranked(adaptor.getInput(), "input", 4);
  FailureOr<RankedTensorType> fc =
      diag.ranked(adaptor.getFcWeight(), "fc_weight", 2);
  if (failed(input) || failed(fc))
    return failure();
  int64_t batch = input->getDimSize(0), cin = input->getDimSize(1);
  int64_t width = fc->getDimSize(0);
  if (failed(diag.matrix(adaptor.getFcWeight(), "fc_weight", width, cin)) ||
      failed(diag.vector(adaptor.getFcBias(), "fc_bias", width)) ||
      failed(diag.matrix(adaptor.getChannelWeight(), "channel_weight", cin,
                         width)) ||
      failed(diag.vector(adaptor.getChannelBias(), "channel_bias", cin)))
    return failure();
  TypeList results = {tensorLike({batch, cin}, *input)};
  AttentionHead heads[] = {
      {"filter", adaptor.getFilterWeight(), adaptor.getFilterBias(), 0},
      {"spatial", adaptor.getSpatialWeight(), adaptor.getSpatialBias(), 0},
      {"kernel", adaptor.getKernelWeight(), adaptor.getKernelBias(), 0}};
  for (AttentionHead &head : heads) {
    if (static_cast<bool>(head.weight) != static_cast<bool>(head.bias))
      return diag.fail("the ", head.name,
                       " head needs both its weight and its bias");
    if (!head.weight)
      continue;
    FailureOr<RankedTensorType> weight =
        diag.ranked(head.weight, (head.name + "_weight").str(), 2);
    if (failed(weight))
      return failure();
    head.size = weight->getDimSize(0);
    if (failed(diag.matrix(head.weight, (head.name + "_weight").str(),
                           head.size, width)) ||
        failed(diag.vector(head.bias, (head.name + "_bias").str(), head.size)))
      return failure();
    results.push_back(tensorLike({batch, head.size}, *input));
  }
  double temperature = adaptor.getTemperature().convertToDouble();
  if (!(temperature > 0))
    return diag.fail("temperature must be positive, got ", temperature);
  return results;
}

llvm::Expected<TensorList>
ODConvAttentionOp::evaluate(const OperandTensors &operands) {
  reference::ODConvAttentionWeights w;
  w.fcWeight = &operands.get(getFcWeight());
  w.fcBias = &operands.get(getFcBias());
  readHeads(*this, operands, w);
  return reference::odconvAttention(operands.get(getInput()), w,
                                    getTemperature().convertToDouble());
}

FailureOr<KernelDesc> ODConvAttentionOp::describeKernel() {
  ODConvAttentionKernel desc;
  std::tie(desc.inChannels, desc.height, desc.width) = kernels::chw(getInput());
  desc.hidden = kernels::shapeOf(getFcWeight())[0];
  desc.hasFilter = static_cast<bool>(getFilterWeight());
  desc.hasSpatial = static_cast<bool>(getSpatialWeight());
  desc.hasKernel = static_cast<bool>(getKernelWeight());
  if (desc.hasFilter)
    desc.outChannels = kernels::shapeOf(getFilterWeight())[0];
  if (desc.hasSpatial)
    desc.taps = kernels::shapeOf(getSpatialWeight())[0];
  if (desc.hasKernel)
    desc.kernels = kernels::shapeOf(getKernelWeight())[0];
  desc.temperature = static_cast<float>(getTemperature().convertToDouble());
  return KernelDesc(desc);
}

//===----------------------------------------------------------------------===//
// aggregate
//===----------------------------------------------------------------------===//

FailureOr<TypeList> AggregateOp::inferResultTypes(const OpDiagnostics &diag,
                                                  Adaptor adaptor) {
  FailureOr<SmallVector<int64_t>> shape = inference::aggregatedKernels(
      diag, adaptor.getBank(), adaptor.getChannel(), adaptor.getFilter(),
      adaptor.getSpatial(), adaptor.getKernel(), adaptor.getGroups());
  if (failed(shape))
    return failure();
  return TypeList{
      tensorLike(*shape, cast<RankedTensorType>(adaptor.getBank().getType()))};
}

llvm::Expected<TensorList>
AggregateOp::evaluate(const OperandTensors &operands) {
  return singleResult(reference::aggregate(
      operands.get(getBank()), operands.get(getChannel()),
      operands.optional(getFilter()), operands.optional(getSpatial()),
      operands.optional(getKernel()), static_cast<int64_t>(getGroups())));
}

FailureOr<KernelDesc> AggregateOp::describeKernel() {
  return KernelDesc(kernels::aggregation(getBank(), getFilter(), getSpatial(),
                                         getKernel(), getGroups()));
}
