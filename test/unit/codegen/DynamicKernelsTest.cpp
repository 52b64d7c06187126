//===- DynamicKernelsTest.cpp - ODConv, KernelWarehouse and DDF kernels ---===//
//
// Each dynamic-convolution kernel family JIT-run against the reference
// interpreter's kernels. ODConv is checked end to end: the attention and
// aggregate kernels, followed by the reference per-sample conv, must match
// reference::odconv (whose attention BatchNorm the test folds into the fc,
// as the compiler does).
//
//===----------------------------------------------------------------------===//

#include "KernelTestSupport.h"

#include <cmath>
#include <optional>
#include <ostream>

namespace mlir::dyconv::codegen::test {
namespace {

using Shape64 = llvm::SmallVector<int64_t>;

/// A [size] tensor of positive values, e.g. BatchNorm variances.
Tensor positiveTensor(int64_t size, uint32_t seed) {
  return randomTensor({size}, seed, 0.5f, 1.5f);
}

/// A BatchNorm at inference, folded into the preceding bias-free fc
/// (weight [out, in]) as the compiler does: returns the weight and bias.
std::pair<Tensor, Tensor>
foldBatchNorm(const Tensor &weight, const Tensor &scale, const Tensor &bias,
              const Tensor &mean, const Tensor &variance, double epsilon) {
  int64_t out = weight.dim(0), in = weight.dim(1);
  Tensor foldedWeight = weight, foldedBias = Tensor::zeros({out});
  for (int64_t o = 0; o < out; ++o) {
    double s = scale.data[o] / std::sqrt(variance.data[o] + epsilon);
    for (int64_t i = 0; i < in; ++i)
      foldedWeight.data[o * in + i] =
          static_cast<float>(weight.data[o * in + i] * s);
    foldedBias.data[o] = static_cast<float>(bias.data[o] - mean.data[o] * s);
  }
  return {foldedWeight, foldedBias};
}

//===----------------------------------------------------------------------===//
// ODConv: attention + aggregate + per-sample conv == reference::odconv
//===----------------------------------------------------------------------===//

struct ODConvCase {
  int64_t batch, inChannels, outChannels, height, width;
  int64_t kernelSize, kernels, groups, hidden, stride;
  bool filter, spatial;
  float temperature = 1.0f;
};

std::ostream &operator<<(std::ostream &os, const ODConvCase &c) {
  return os << "N" << c.batch << " " << c.inChannels << "->" << c.outChannels
            << " " << c.height << "x" << c.width << " k" << c.kernelSize << " K"
            << c.kernels << " g" << c.groups << " A" << c.hidden << " s"
            << c.stride << (c.filter ? " filter" : "")
            << (c.spatial ? " spatial" : "") << " T" << c.temperature;
}

/// The random parameters of one ODConv layer.
struct ODConvLayer {
  Tensor bank, fcWeight, bnScale, bnBias, bnMean, bnVariance;
  Tensor channelWeight, channelBias;
  std::optional<Tensor> filterWeight, filterBias, spatialWeight, spatialBias,
      kernelWeight, kernelBias;

  explicit ODConvLayer(const ODConvCase &c) {
    int64_t taps = c.kernelSize * c.kernelSize;
    bank = randomTensor({c.kernels, c.outChannels, c.inChannels / c.groups,
                         c.kernelSize, c.kernelSize},
                        1);
    fcWeight = randomTensor({c.hidden, c.inChannels}, 2);
    bnScale = randomTensor({c.hidden}, 3);
    bnBias = randomTensor({c.hidden}, 4);
    bnMean = randomTensor({c.hidden}, 5, -0.1f, 0.1f);
    bnVariance = positiveTensor(c.hidden, 6);
    channelWeight = randomTensor({c.inChannels, c.hidden}, 7);
    channelBias = randomTensor({c.inChannels}, 8);
    if (c.filter) {
      filterWeight = randomTensor({c.outChannels, c.hidden}, 9);
      filterBias = randomTensor({c.outChannels}, 10);
    }
    if (c.spatial) {
      spatialWeight = randomTensor({taps, c.hidden}, 11);
      spatialBias = randomTensor({taps}, 12);
    }
    if (c.kernels > 1) {
      kernelWeight = randomTensor({c.kernels, c.hidden}, 13);
      kernelBias = randomTensor({c.kernels}, 14);
    }
  }

  reference::ODConvWeights referenceWeights() const {
    auto ptr = [](const std::optional<Tensor> &t) { return t ? &*t : nullptr; };
    return {&bank,
            &fcWeight,
            &bnScale,
            &bnBias,
            &bnMean,
            &bnVariance,
            &channelWeight,
            &channelBias,
            ptr(filterWeight),
            ptr(filterBias),
            ptr(spatialWeight),
            ptr(spatialBias),
            ptr(kernelWeight),
            ptr(kernelBias)};
  }
};

class ODConvTest : public ::testing::TestWithParam<ODConvCase> {};

/// Whether the per-sample conv of `c` runs on channel-blocked tensors: no
/// groups, or depthwise.
bool hasBlockedForm(const ODConvCase &c) {
  return c.groups == 1 ||
         (c.groups == c.inChannels && c.groups == c.outChannels);
}

/// Checks one ODConv layer end to end. With a `block`, as a blocked network
/// runs it: the attention reads the input NCHW<block>c, and the aggregate
/// reads the bank and writes the per-sample kernels packed (OIhw<b>i<b>o, or
/// Ohw<b>o for a depthwise one), all packed and unpacked by the test.
void checkODConv(const ODConvCase &c, int64_t block = 0) {
  constexpr double kBnEpsilon = 1e-5;
  int64_t taps = c.kernelSize * c.kernelSize;
  bool hasKernel = c.kernels > 1;
  ODConvLayer layer(c);
  Tensor input =
      randomTensor({c.batch, c.inChannels, c.height, c.width}, 20, -1.0f, 2.0f);

  ODConvAttentionKernel attentionDesc{
      c.inChannels, c.height, c.width,   c.hidden,  c.outChannels, taps,
      c.kernels,    c.filter, c.spatial, hasKernel, c.temperature};
  auto [fcWeight, fcBias] =
      foldBatchNorm(layer.fcWeight, layer.bnScale, layer.bnBias, layer.bnMean,
                    layer.bnVariance, kBnEpsilon);
  std::vector<Tensor> attentionInputs = {
      input, fcWeight, fcBias, layer.channelWeight, layer.channelBias};
  std::vector<Shape64> attentionShapes = {{c.batch, c.inChannels}};
  auto addHead = [&](const std::optional<Tensor> &weight,
                     const std::optional<Tensor> &bias, int64_t size) {
    if (!weight)
      return;
    attentionInputs.push_back(*weight);
    attentionInputs.push_back(*bias);
    attentionShapes.push_back({c.batch, size});
  };
  addHead(layer.filterWeight, layer.filterBias, c.outChannels);
  addHead(layer.spatialWeight, layer.spatialBias, taps);
  addHead(layer.kernelWeight, layer.kernelBias, c.kernels);
  KernelDesc attentionKernel(attentionDesc);
  KernelDesc aggregateKernel(AggregateKernel{
      c.kernels, c.outChannels, c.inChannels / c.groups, c.kernelSize,
      c.kernelSize, c.groups, c.filter, c.spatial, hasKernel});
  if (block) {
    attentionKernel.layouts = {Layout{{1}, {block}}};
    Layout packed =
        c.groups == 1 ? Layout{{2, 1}, {block, block}} : Layout{{1}, {block}};
    size_t attentionCount = attentionShapes.size();
    aggregateKernel.layouts.assign(2 + attentionCount, Layout());
    aggregateKernel.layouts.front() = aggregateKernel.layouts.back() = packed;
  }
  std::vector<Tensor> attentions =
      runInLayouts(attentionKernel, attentionInputs, attentionShapes);
  ASSERT_EQ(attentions.size(), attentionShapes.size());

  std::vector<Tensor> aggregateInputs = {layer.bank};
  aggregateInputs.insert(aggregateInputs.end(), attentions.begin(),
                         attentions.end());
  std::vector<Tensor> aggregated =
      runInLayouts(aggregateKernel, aggregateInputs,
                   {{c.batch, c.outChannels, c.inChannels / c.groups,
                     c.kernelSize, c.kernelSize}});
  ASSERT_EQ(aggregated.size(), 1u);
  const Tensor &sampleKernels = aggregated[0];

  reference::ConvParams conv;
  int64_t pad = (c.kernelSize - 1) / 2;
  conv.stride = {c.stride, c.stride};
  conv.padding = {pad, pad, pad, pad};
  conv.groups = c.groups;
  Tensor actual =
      valueOf(reference::dynamicConv2d(input, sampleKernels, nullptr, conv));
  reference::ODConvParams params;
  params.conv = conv;
  params.temperature = c.temperature;
  params.bnEpsilon = kBnEpsilon;
  Tensor expected =
      valueOf(reference::odconv(input, layer.referenceWeights(), params));
  EXPECT_LT(relativeError(actual, expected), kRelativeTolerance) << c;
}

TEST_P(ODConvTest, AttentionAndAggregateMatchReference) {
  checkODConv(GetParam());
}

class BlockedODConvTest : public ::testing::TestWithParam<ODConvCase> {};

TEST_P(BlockedODConvTest, AttentionAndPackedAggregateMatchReference) {
  for (int64_t block : {16, 8}) {
    SCOPED_TRACE("block " + std::to_string(block));
    checkODConv(GetParam(), block);
  }
}

// Heads absent and present, K = 1/2/4, groups and depthwise, k = 1/3/5, odd
// spatial sizes, batch 1 and 3.
const ODConvCase kODConvCases[] = {
    //     N  Cin Cout  H   W  k  K  g   A  s  filter spatial
    ODConvCase{1, 16, 24, 7, 7, 3, 4, 1, 16, 1, true, true},
    ODConvCase{3, 16, 16, 13, 11, 3, 4, 1, 16, 2, true, true},
    ODConvCase{3, 24, 40, 5, 9, 1, 1, 1, 16, 1, true, false},
    ODConvCase{1, 32, 32, 9, 7, 3, 1, 32, 16, 1, false, true},
    ODConvCase{3, 32, 64, 6, 6, 3, 1, 32, 16, 1, true, true},
    ODConvCase{1, 20, 12, 7, 13, 5, 2, 4, 16, 1, true, true},
    ODConvCase{3, 48, 48, 15, 15, 3, 4, 1, 24, 2, false, false},
    ODConvCase{3, 13, 7, 3, 5, 1, 2, 1, 16, 1, false, false},
    ODConvCase{1, 64, 64, 14, 14, 3, 4, 1, 16, 1, true, true, 2.5f},
    ODConvCase{3, 12, 12, 8, 8, 5, 1, 12, 16, 1, false, false},
};

INSTANTIATE_TEST_SUITE_P(DynamicKernels, ODConvTest,
                         ::testing::ValuesIn(kODConvCases));

/// The cases whose per-sample conv has a blocked form (the grouped ones run
/// NCHW).
std::vector<ODConvCase> blockedODConvCases() {
  std::vector<ODConvCase> cases;
  for (const ODConvCase &c : kODConvCases)
    if (hasBlockedForm(c))
      cases.push_back(c);
  return cases;
}

INSTANTIATE_TEST_SUITE_P(DynamicKernels, BlockedODConvTest,
                         ::testing::ValuesIn(blockedODConvCases()));

//===----------------------------------------------------------------------===//
// KernelWarehouse: kw_attention and kw_assemble
//===----------------------------------------------------------------------===//

struct KWAttentionCase {
  int64_t batch, inChannels, height, width, hidden, mixtures, cells;
  bool layerNorm, nonlocal;
  int64_t localCells = 0, basisCells = 0, startCell = 0;
};

std::ostream &operator<<(std::ostream &os, const KWAttentionCase &c) {
  return os << "N" << c.batch << " " << c.inChannels << "x" << c.height << "x"
            << c.width << " hid" << c.hidden << " n" << c.mixtures << " M"
            << c.cells << (c.layerNorm ? " LN" : " BN")
            << (c.nonlocal ? " nonlocal" : "") << " L" << c.localCells << " Nb"
            << c.basisCells << " start" << c.startCell;
}

/// Checks kw_attention against reference::kwAttention, with the BatchNorm
/// folded into fc1 for the kernel.
void checkKWAttention(const KWAttentionCase &c) {
  constexpr double kNormEpsilon = 1e-5;
  int64_t logits = c.mixtures * (c.cells + 1);
  int64_t rows =
      c.nonlocal ? c.mixtures * (c.localCells + c.basisCells + 1) : logits;
  Tensor input =
      randomTensor({c.batch, c.inChannels, c.height, c.width}, 30, -1.0f, 2.0f);
  Tensor fc1Weight = randomTensor({c.hidden, c.inChannels}, 31);
  Tensor fc1Bias = randomTensor({c.hidden}, 32);
  Tensor normScale = randomTensor({c.hidden}, 33);
  Tensor normBias = randomTensor({c.hidden}, 34);
  Tensor normMean = randomTensor({c.hidden}, 35, -0.1f, 0.1f);
  Tensor normVariance = positiveTensor(c.hidden, 36);
  Tensor fc2Weight = randomTensor({rows, c.hidden}, 37);
  Tensor fc2Bias = randomTensor({logits}, 38);
  Tensor fc3Weight = randomTensor({c.cells - c.localCells, c.basisCells}, 39);
  Tensor basisBias = randomTensor({logits}, 40);

  reference::KWAttentionWeights weights;
  weights.fc1Weight = &fc1Weight;
  weights.normScale = &normScale;
  weights.normBias = &normBias;
  weights.fc2Weight = &fc2Weight;
  std::vector<Tensor> inputs = {input};
  if (c.layerNorm) {
    weights.fc1Bias = &fc1Bias;
    inputs.insert(inputs.end(),
                  {fc1Weight, fc1Bias, normScale, normBias, fc2Weight});
  } else {
    weights.normMean = &normMean;
    weights.normVariance = &normVariance;
    auto [foldedWeight, foldedBias] = foldBatchNorm(
        fc1Weight, normScale, normBias, normMean, normVariance, kNormEpsilon);
    inputs.insert(inputs.end(), {foldedWeight, foldedBias, fc2Weight});
  }
  if (c.nonlocal) {
    weights.fc3Weight = &fc3Weight;
    weights.basisBias = &basisBias;
    inputs.insert(inputs.end(), {fc3Weight, basisBias});
  } else {
    weights.fc2Bias = &fc2Bias;
    inputs.push_back(fc2Bias);
  }
  reference::KWAttentionParams params;
  params.numMixtures = c.mixtures;
  params.numCells = c.cells;
  params.startCell = c.startCell;
  params.normEpsilon = kNormEpsilon;
  Tensor expected = valueOf(reference::kwAttention(input, weights, params));

  KWAttentionKernel desc;
  desc.inChannels = c.inChannels;
  desc.height = c.height;
  desc.width = c.width;
  desc.hidden = c.hidden;
  desc.numMixtures = c.mixtures;
  desc.numCells = c.cells;
  desc.startCell = c.startCell;
  desc.layerNorm = c.layerNorm;
  desc.normEpsilon = static_cast<float>(kNormEpsilon);
  desc.nonlocal = c.nonlocal;
  desc.localCells = c.localCells;
  desc.basisCells = c.basisCells;
  Tensor actual = runSingleOutput(desc, inputs, {c.batch, c.mixtures, c.cells});
  EXPECT_LT(relativeError(actual, expected), kRelativeTolerance) << c;
}

class KWAttentionTest : public ::testing::TestWithParam<KWAttentionCase> {};

TEST_P(KWAttentionTest, MatchesReference) { checkKWAttention(GetParam()); }

INSTANTIATE_TEST_SUITE_P(
    DynamicKernels, KWAttentionTest,
    ::testing::Values(
        //              N  Cin  H   W  hid  n   M    LN     nonlocal
        KWAttentionCase{1, 64, 7, 7, 16, 9, 56, false, false},
        KWAttentionCase{3, 20, 13, 9, 16, 2, 5, false, false},
        KWAttentionCase{3, 24, 5, 5, 20, 4, 7, true, false},
        KWAttentionCase{1, 3, 1, 1, 16, 1, 1, true, false},
        //              N  Cin  H  W  hid  n   M    LN    nonlocal L  Nb start
        KWAttentionCase{3, 32, 7, 5, 16, 6, 20, false, true, 3, 16, 10},
        KWAttentionCase{1, 16, 6, 6, 16, 4, 9, true, true, 2, 5, 0},
        KWAttentionCase{3, 16, 3, 7, 24, 3, 12, false, true, 4, 17, 8}));

struct KWAssembleCase {
  int64_t batch, cells, cellOut, cellIn, cellSize, kernelSize;
  int64_t outBlocks, inBlocks;
};

std::ostream &operator<<(std::ostream &os, const KWAssembleCase &c) {
  return os << "N" << c.batch << " M" << c.cells << " cell " << c.cellOut << "x"
            << c.cellIn << "x" << c.cellSize << " k" << c.kernelSize
            << " blocks " << c.outBlocks << "x" << c.inBlocks;
}

/// Checks kw_assemble against reference::kwAssemble.
void checkKWAssemble(const KWAssembleCase &c) {
  int64_t k = c.kernelSize;
  int64_t spatialCells = c.cellSize == 1 ? k * k : 1;
  int64_t mixtures = spatialCells * c.outBlocks * c.inBlocks;
  Tensor coefficients = randomTensor({c.batch, mixtures, c.cells}, 50);
  Tensor warehouse =
      randomTensor({c.cells, c.cellOut, c.cellIn, c.cellSize, c.cellSize}, 51);
  Tensor expected = valueOf(reference::kwAssemble(
      coefficients, warehouse, {k, k}, c.outBlocks, c.inBlocks));

  KWAssembleKernel desc;
  desc.numMixtures = mixtures;
  desc.numCells = c.cells;
  desc.cellShape = {c.cellOut, c.cellIn, c.cellSize};
  desc.kernelSize = {k, k};
  desc.outBlocks = c.outBlocks;
  desc.inBlocks = c.inBlocks;
  Tensor actual = runSingleOutput(
      desc, {coefficients, warehouse},
      {c.batch, c.outBlocks * c.cellOut, c.inBlocks * c.cellIn, k, k});
  EXPECT_LT(relativeError(actual, expected), kRelativeTolerance) << c;
}

class KWAssembleTest : public ::testing::TestWithParam<KWAssembleCase> {};

TEST_P(KWAssembleTest, MatchesReference) { checkKWAssemble(GetParam()); }

INSTANTIATE_TEST_SUITE_P(DynamicKernels, KWAssembleTest,
                         ::testing::Values(
                             //             N   M  co  ci cell k  go gi
                             KWAssembleCase{3, 11, 8, 16, 1, 3, 2, 3},
                             KWAssembleCase{1, 20, 32, 32, 1, 3, 1, 1},
                             KWAssembleCase{1, 5, 24, 12, 1, 1, 1, 2},
                             KWAssembleCase{3, 7, 4, 5, 3, 3, 2, 1},
                             KWAssembleCase{3, 9, 16, 1, 1, 3, 2, 1},
                             KWAssembleCase{1, 6, 8, 3, 1, 7, 1, 2},
                             KWAssembleCase{3, 4, 6, 13, 1, 5, 1, 1}));

//===----------------------------------------------------------------------===//
// DDF: ddf and filter_norm
//===----------------------------------------------------------------------===//

struct DDFCase {
  int64_t batch, channels, height, width, kernelSize, stride, dilation;
  DDFCombine combine;
};

std::ostream &operator<<(std::ostream &os, const DDFCase &c) {
  return os << "N" << c.batch << " C" << c.channels << " " << c.height << "x"
            << c.width << " k" << c.kernelSize << " s" << c.stride << " d"
            << c.dilation << (c.combine == DDFCombine::Mul ? " mul" : " add");
}

/// Checks ddf against reference::ddf.
void checkDDF(const DDFCase &c) {
  int64_t k = c.kernelSize;
  int64_t outHeight = c.height / c.stride, outWidth = c.width / c.stride;
  Tensor input = randomTensor({c.batch, c.channels, c.height, c.width}, 60);
  Tensor channelFilter = randomTensor({c.batch, c.channels, k, k}, 61);
  Tensor spatialFilter =
      randomTensor({c.batch, k * k, outHeight, outWidth}, 62);
  bool mul = c.combine == DDFCombine::Mul;
  Tensor expected = valueOf(
      reference::ddf(input, channelFilter, spatialFilter, k, c.stride,
                     c.dilation, mul ? DDFCombine::Mul : DDFCombine::Add));

  DDFKernel desc{c.channels, c.height,   c.width,  k,
                 c.stride,   c.dilation, c.combine};
  Tensor actual = runSingleOutput(desc, {input, channelFilter, spatialFilter},
                                  {c.batch, c.channels, outHeight, outWidth});
  EXPECT_LT(relativeError(actual, expected), kRelativeTolerance) << c;
}

class DDFTest : public ::testing::TestWithParam<DDFCase> {};

TEST_P(DDFTest, MatchesReference) { checkDDF(GetParam()); }

INSTANTIATE_TEST_SUITE_P(DynamicKernels, DDFTest,
                         ::testing::Values(
                             //      N   C   H   W  k  s  d
                             DDFCase{3, 5, 13, 11, 3, 1, 1, DDFCombine::Mul},
                             DDFCase{1, 8, 14, 14, 3, 2, 1, DDFCombine::Add},
                             DDFCase{3, 4, 9, 17, 5, 1, 2, DDFCombine::Mul},
                             DDFCase{1, 3, 7, 7, 5, 2, 2, DDFCombine::Add},
                             DDFCase{3, 16, 15, 15, 3, 2, 1, DDFCombine::Mul},
                             DDFCase{1, 6, 5, 23, 3, 1, 2, DDFCombine::Add},
                             DDFCase{1, 2, 4, 6, 1, 1, 1, DDFCombine::Mul}));

struct FilterNormCase {
  int64_t batch, channels, height, width, taps;
  bool scale;
  float gain;
};

std::ostream &operator<<(std::ostream &os, const FilterNormCase &c) {
  return os << "N" << c.batch << " C" << c.channels << " " << c.height << "x"
            << c.width << " taps" << c.taps << (c.scale ? " scale" : "")
            << " gain" << c.gain;
}

/// Checks filter_norm against reference::filterNorm.
void checkFilterNorm(const FilterNormCase &c) {
  constexpr float kEpsilon = 1e-10f;
  Tensor input = randomTensor({c.batch, c.channels, c.height, c.width}, 70);
  Tensor scale = randomTensor({c.channels}, 71);
  Tensor expected = valueOf(reference::filterNorm(
      input, c.scale ? &scale : nullptr, c.taps, c.gain, kEpsilon));

  FilterNormKernel desc{c.channels, c.height, c.width, c.taps,
                        c.scale,    c.gain,   kEpsilon};
  std::vector<Tensor> inputs = {input};
  if (c.scale)
    inputs.push_back(scale);
  Tensor actual =
      runSingleOutput(desc, inputs, {c.batch, c.channels, c.height, c.width});
  EXPECT_LT(relativeError(actual, expected), kRelativeTolerance) << c;
}

class FilterNormTest : public ::testing::TestWithParam<FilterNormCase> {};

TEST_P(FilterNormTest, MatchesReference) { checkFilterNorm(GetParam()); }

// The spatial branch ([N, head*k*k, H, W], no scale) and the channel branch
// ([N, C*k*k, 1, 1], learned scale).
INSTANTIATE_TEST_SUITE_P(
    DynamicKernels, FilterNormTest,
    ::testing::Values(FilterNormCase{3, 18, 7, 13, 9, false, 1.4142135f},
                      FilterNormCase{1, 9, 14, 14, 9, false, 1.0f},
                      FilterNormCase{3, 288, 1, 1, 9, true, 1.0f},
                      FilterNormCase{1, 50, 5, 9, 25, true, 0.5f}));

} // namespace
} // namespace mlir::dyconv::codegen::test
