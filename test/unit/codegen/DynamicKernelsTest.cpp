//===- DynamicKernelsTest.cpp - ODConv, KernelWarehouse and DDF kernels ---===//
//
// Each dynamic-convolution kernel family JIT-run against the reference
// interpreter's kernels. ODConv is checked end to end: the attention and
// aggregate kernels, followed by the reference per-sample conv, must match
// reference::odconv (whose attention BatchNorm the test folds into the fc,
// as the compiler does).
//
//===----------------------------------------------------------------------===//

#include "Builders.h"
#include "KernelTestSupport.h"

#include <cmath>
#include <optional>
#include <ostream>

namespace mlir::dyconv::codegen::test {
namespace {

using Shape64 = llvm::SmallVector<int64_t>;

Halide::Target hostTarget() {
  return Halide::get_jit_target_from_environment();
}

/// Unwraps a reference result, failing the test on an error.
Tensor unwrap(llvm::Expected<Tensor> result) {
  if (!result) {
    ADD_FAILURE() << llvm::toString(result.takeError());
    return Tensor();
  }
  return std::move(*result);
}

/// Runs \p body, turning a Halide error into a test failure with its message.
template <typename Body> void reportHalideErrors(Body body) {
  try {
    body();
  } catch (const Halide::Error &error) {
    ADD_FAILURE() << "Halide: " << error.what();
  }
}

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

/// Checks one ODConv layer end to end.
void checkODConv(const ODConvCase &c) {
  constexpr double kBnEpsilon = 1e-5;
  int64_t taps = c.kernelSize * c.kernelSize;
  bool hasKernel = c.kernels > 1;
  ODConvLayer layer(c);
  Tensor input =
      randomTensor({c.batch, c.inChannels, c.height, c.width}, 20, -1.0f, 2.0f);

  ODConvAttentionKernel attentionDesc{
      c.inChannels, c.height, c.width,   c.hidden,  c.outChannels, taps,
      c.kernels,    c.filter, c.spatial, hasKernel, c.temperature};
  KernelPipeline attention = buildODConvAttention(attentionDesc, hostTarget());
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
  std::vector<Tensor> attentions =
      runKernel(attention, attentionInputs, attentionShapes);

  AggregateKernel aggregateDesc{
      c.kernels,    c.outChannels, c.inChannels / c.groups,
      c.kernelSize, c.kernelSize,  c.groups,
      c.filter,     c.spatial,     hasKernel};
  KernelPipeline aggregate = buildAggregate(aggregateDesc, hostTarget());
  std::vector<Tensor> aggregateInputs = {layer.bank};
  aggregateInputs.insert(aggregateInputs.end(), attentions.begin(),
                         attentions.end());
  Tensor sampleKernels =
      runKernel(aggregate, aggregateInputs,
                {{c.batch, c.outChannels, c.inChannels / c.groups, c.kernelSize,
                  c.kernelSize}})[0];

  reference::ConvParams conv;
  int64_t pad = (c.kernelSize - 1) / 2;
  conv.stride = {c.stride, c.stride};
  conv.padding = {pad, pad, pad, pad};
  conv.groups = c.groups;
  Tensor actual =
      unwrap(reference::dynamicConv2d(input, sampleKernels, nullptr, conv));
  reference::ODConvParams params;
  params.conv = conv;
  params.temperature = c.temperature;
  params.bnEpsilon = kBnEpsilon;
  Tensor expected =
      unwrap(reference::odconv(input, layer.referenceWeights(), params));
  EXPECT_LT(relativeError(actual, expected), kRelativeTolerance) << c;
}

TEST_P(ODConvTest, AttentionAndAggregateMatchReference) {
  reportHalideErrors([&] { checkODConv(GetParam()); });
}

// Heads absent and present, K = 1/2/4, groups and depthwise, k = 1/3/5, odd
// spatial sizes, batch 1 and 3.
INSTANTIATE_TEST_SUITE_P(
    DynamicKernels, ODConvTest,
    ::testing::Values(
        //         N  Cin Cout  H   W  k  K  g   A  s  filter spatial
        ODConvCase{1, 16, 24, 7, 7, 3, 4, 1, 16, 1, true, true},
        ODConvCase{3, 16, 16, 13, 11, 3, 4, 1, 16, 2, true, true},
        ODConvCase{3, 24, 40, 5, 9, 1, 1, 1, 16, 1, true, false},
        ODConvCase{1, 32, 32, 9, 7, 3, 1, 32, 16, 1, false, true},
        ODConvCase{3, 32, 64, 6, 6, 3, 1, 32, 16, 1, true, true},
        ODConvCase{1, 20, 12, 7, 13, 5, 2, 4, 16, 1, true, true},
        ODConvCase{3, 48, 48, 15, 15, 3, 4, 1, 24, 2, false, false},
        ODConvCase{3, 13, 7, 3, 5, 1, 2, 1, 16, 1, false, false},
        ODConvCase{1, 64, 64, 14, 14, 3, 4, 1, 16, 1, true, true, 2.5f},
        ODConvCase{3, 12, 12, 8, 8, 5, 1, 12, 16, 1, false, false}));

} // namespace
} // namespace mlir::dyconv::codegen::test
