//===- ConvKernelTest.cpp - conv2d kernels against the reference ----------===//
//
// Each case JIT-compiles one ConvKernel and compares it with the reference
// convolution followed by the reference epilogue ops, with the schedule
// dyconv-select-schedules would choose: NCHW (x-vector tiles, depthwise) and,
// where the conv has one, blocked (NCHW16c and NCHW8c activations, packed
// weights, a plain stem input). The shapes cover the semantics (odd sizes
// and channel counts that leave padding lanes, strides, dilation, groups,
// asymmetric padding, per-sample weights, every epilogue) on wide and narrow
// images.
//
//===----------------------------------------------------------------------===//

#include "KernelTestSupport.h"

#include "dyconv/Dialect/ConvSchedule.h"

#include <string>

namespace mlir::dyconv::codegen::test {
namespace {

/// One test case: a descriptor, the batch to run it at and a readable name.
struct ConvCase {
  std::string name;
  ConvKernel desc;
  int64_t batch = 1;
};

/// Names a case in failure messages instead of dumping its bytes.
void PrintTo(const ConvCase &c, std::ostream *os) { *os << c.name; }

/// A descriptor of a square-kernel convolution with symmetric padding.
ConvKernel conv(int64_t cin, int64_t cout, int64_t h, int64_t w, int64_t k,
                int64_t stride = 1, int64_t pad = 0, int64_t groups = 1) {
  ConvKernel d;
  d.inChannels = cin;
  d.outChannels = cout;
  d.height = h;
  d.width = w;
  d.kernelH = d.kernelW = k;
  d.stride = {stride, stride};
  d.padding = {pad, pad, pad, pad};
  d.groups = groups;
  return d;
}

ConvKernel withDilation(ConvKernel d, int64_t dilation) {
  d.dilation = {dilation, dilation};
  return d;
}

ConvKernel withPadding(ConvKernel d, std::array<int64_t, 4> padding) {
  d.padding = padding;
  return d;
}

ConvKernel perSample(ConvKernel d) {
  d.perSample = true;
  return d;
}

ConvKernel withEpilogue(ConvKernel d, bool bias, bool residual,
                        Activation activation, bool scale = false) {
  d.epilogue.scale = scale;
  d.epilogue.bias = bias;
  d.epilogue.residual = residual;
  d.epilogue.activation = activation;
  d.epilogue.clipMin = -0.5f;
  d.epilogue.clipMax = 0.75f;
  return d;
}

/// `d` aggregating its kernels from a bank of `kernels` with the channel
/// attention and, with `allHeads`, the filter, spatial and kernel ones.
ConvKernel aggregating(ConvKernel d, int64_t kernels, bool allHeads) {
  d.perSample = true;
  AggregateKernel a;
  a.kernels = kernels;
  a.outChannels = d.outChannels;
  a.inChannelsPerGroup = d.inChannels / d.groups;
  a.kernelH = d.kernelH;
  a.kernelW = d.kernelW;
  a.groups = d.groups;
  a.hasFilter = a.hasSpatial = allHeads;
  a.hasKernel = allHeads || kernels > 1;
  d.aggregation = a;
  return d;
}

/// `d` with a scale per sample and output channel ([N, Cout]).
ConvKernel sampleScaled(ConvKernel d) {
  d.epilogue.scale = true;
  d.epilogue.perSampleScale = true;
  return d;
}

/// The output extent of one spatial axis.
int64_t outExtent(int64_t in, int64_t k, int64_t stride, int64_t padBegin,
                  int64_t padEnd, int64_t dilation) {
  return (in + padBegin + padEnd - dilation * (k - 1) - 1) / stride + 1;
}

/// This machine's target, whose schedules the tests choose.
const TargetDesc &host() {
  static const TargetDesc target = *lookupTarget("cpu");
  return target;
}

/// The reference result: convolution, * scale, + bias, + residual,
/// activation, from the reference kernels of the ops composed.
Tensor expectedOutput(const ConvKernel &d, const std::vector<Tensor> &inputs) {
  reference::ConvParams params;
  params.stride = d.stride;
  params.padding = d.padding;
  params.dilation = d.dilation;
  params.groups = d.groups;
  Tensor out = valueOf(
      d.perSample
          ? reference::dynamicConv2d(inputs[0], inputs[1], nullptr, params)
          : reference::conv2d(inputs[0], inputs[1], nullptr, params));
  size_t next = 2;
  int64_t cout = d.outChannels;
  if (d.epilogue.perSampleScale) {
    Tensor scale = inputs[next++];
    scale.shape = {scale.dim(0), cout, 1, 1};
    out = valueOf(reference::mul(out, scale));
  }
  Tensor scale = d.epilogue.scale && !d.epilogue.perSampleScale
                     ? inputs[next++]
                     : Tensor::filled({cout}, 1.0f);
  Tensor bias = d.epilogue.bias ? inputs[next++] : Tensor::zeros({cout});
  out = valueOf(reference::channelAffine(out, scale, bias));
  if (d.epilogue.residual)
    out = valueOf(reference::add(out, inputs.back()));
  if (d.epilogue.activation == Activation::Relu)
    out = reference::relu(out);
  else if (d.epilogue.activation == Activation::Clip)
    out = valueOf(reference::clip(out, d.epilogue.clipMin, d.epilogue.clipMax));
  return out;
}

/// The arguments of a case (inputs in calling-convention order) and its
/// output shape.
struct ConvArguments {
  std::vector<Tensor> inputs;
  llvm::SmallVector<int64_t> outShape;
};

ConvArguments randomArguments(const ConvKernel &d, int64_t n) {
  int64_t ho = outExtent(d.height, d.kernelH, d.stride[0], d.padding[0],
                         d.padding[2], d.dilation[0]);
  int64_t wo = outExtent(d.width, d.kernelW, d.stride[1], d.padding[1],
                         d.padding[3], d.dilation[1]);
  llvm::SmallVector<int64_t> weightShape = {
      d.outChannels, d.inChannels / d.groups, d.kernelH, d.kernelW};
  if (d.perSample)
    weightShape.insert(weightShape.begin(), n);
  ConvArguments args;
  args.outShape = {n, d.outChannels, ho, wo};
  args.inputs = {randomTensor({n, d.inChannels, d.height, d.width}, 1),
                 randomTensor(weightShape, 2)};
  if (d.epilogue.scale) {
    llvm::SmallVector<int64_t> scaleShape = {d.outChannels};
    if (d.epilogue.perSampleScale)
      scaleShape.insert(scaleShape.begin(), n);
    args.inputs.push_back(randomTensor(scaleShape, 5, 0.5f, 1.5f));
  }
  if (d.epilogue.bias)
    args.inputs.push_back(randomTensor({d.outChannels}, 3));
  if (d.epilogue.residual)
    args.inputs.push_back(randomTensor(args.outShape, 4));
  return args;
}

/// The layouts of the arguments of a blocked convolution with `block`
/// lanes: activations NCHW{block}c (a stem input of fewer than 4 channels
/// stays NCHW), weights packed for the reduction, epilogue vectors blocked.
std::vector<Layout> blockedLayouts(const ConvKernel &d, int64_t block) {
  Layout activation{{1}, {block}}, vector{{0}, {block}};
  bool plainInput = d.inChannels < 4;
  int64_t sample = d.perSample ? 1 : 0;
  bool depthwise = d.groups > 1;
  Layout weight = depthwise || plainInput
                      ? Layout{{sample}, {block}}
                      : Layout{{1 + sample, sample}, {block, block}};
  std::vector<Layout> layouts = {plainInput ? Layout() : activation, weight};
  if (d.epilogue.scale) // a per-sample scale [N, Cout] stays plain
    layouts.push_back(d.epilogue.perSampleScale ? Layout() : vector);
  if (d.epilogue.bias)
    layouts.push_back(vector);
  if (d.epilogue.residual)
    layouts.push_back(activation);
  for (size_t i = 0; i < aggregationAttentions(d); ++i)
    layouts.push_back(Layout()); // attentions [N, size], plain
  layouts.push_back(activation);
  return layouts;
}

/// Runs `d` with a blocked schedule on both blocked targets (16-lane blocks
/// on AVX-512, 8-lane on AVX2; each target's tile, whose reduction chunks
/// count its blocks), inputs packed and the output unpacked by the test's
/// own code, and compares with `expected`.
void expectBlockedMatch(ConvKernel d, const ConvArguments &args,
                        const Tensor &expected) {
  for (const char *target : {"x86-64-avx512", "x86-64-avx2"}) {
    int64_t block = lookupTarget(target)->vectorLanes;
    SCOPED_TRACE("block " + std::to_string(block));
    chooseConvSchedule(d, /*blocked=*/true, *lookupTarget(target));
    KernelDesc desc(d);
    desc.layouts = blockedLayouts(d, block);
    std::vector<Tensor> outputs =
        runInLayouts(desc, args.inputs, {args.outShape});
    ASSERT_EQ(outputs.size(), 1u);
    EXPECT_LE(relativeError(outputs[0], expected), kRelativeTolerance)
        << describeKernel(d);
  }
}

class ConvKernelTest : public ::testing::TestWithParam<ConvCase> {};

TEST_P(ConvKernelTest, NchwMatchesReference) {
  ConvKernel d = GetParam().desc;
  chooseConvSchedule(d, /*blocked=*/false, host());
  ConvArguments args = randomArguments(d, GetParam().batch);
  Tensor expected = expectedOutput(d, args.inputs);
  std::vector<Tensor> outputs = runKernel(d, args.inputs, {args.outShape});
  ASSERT_EQ(outputs.size(), 1u);
  EXPECT_LE(relativeError(outputs[0], expected), kRelativeTolerance)
      << describeKernel(d);
}

/// The blocked schedules, with 16-lane blocks (AVX-512) and 8-lane ones
/// (AVX2): inputs packed and the output unpacked by the test's own code.
TEST_P(ConvKernelTest, BlockedMatchesReference) {
  ConvKernel d = GetParam().desc;
  if (!hasBlockedSchedule(d)) {
    // Grouped convolutions (not depthwise) run NCHW, with x-vector tiles.
    chooseConvSchedule(d, /*blocked=*/false, host());
    EXPECT_EQ(d.schedule, ConvScheduleKind::XVectors);
    return;
  }
  ConvArguments args = randomArguments(d, GetParam().batch);
  Tensor expected = expectedOutput(d, args.inputs);
  expectBlockedMatch(d, args, expected);
}

const Activation kNone = Activation::None, kRelu = Activation::Relu,
                 kClip = Activation::Clip;

/// Semantics: geometry and attributes on small shapes.
const ConvCase kSemanticCases[] = {
    {"Odd13x11K3", conv(5, 8, 13, 11, 3, 1, 1), 1},
    {"OddBatch3", conv(6, 12, 11, 13, 3, 1, 1), 3},
    {"Stride2", conv(8, 16, 13, 11, 3, 2, 1), 1},
    {"Stride2x1",
     [] {
       ConvKernel d = conv(4, 8, 12, 10, 3, 1, 1);
       d.stride = {2, 1};
       return d;
     }(),
     2},
    {"Dilation2", withDilation(conv(6, 10, 15, 13, 3, 1, 2), 2), 1},
    {"Groups2", conv(8, 12, 11, 9, 3, 1, 1, 2), 3},
    {"Groups4Stride2", conv(16, 16, 14, 14, 3, 2, 1, 4), 1},
    {"K1", conv(12, 20, 9, 13, 1), 1},
    {"K1Stride2", conv(16, 24, 14, 14, 1, 2), 3},
    // x vectors split by phase read past an unpadded odd-width input.
    {"K1Stride2Groups2OddWidth", conv(8, 8, 9, 9, 1, 2, 0, 2), 2},
    {"K5", conv(4, 9, 13, 11, 5, 1, 2), 1},
    {"K7Stride2Stem", conv(3, 16, 32, 30, 7, 2, 3), 1},
    {"AsymmetricPadding", withPadding(conv(6, 8, 10, 11, 3), {0, 1, 2, 0}), 2},
    {"AsymmetricPaddingStride2",
     withPadding(conv(4, 8, 13, 12, 3, 2), {1, 0, 0, 2}), 1},
    {"NoPaddingTinyOutput", conv(6, 5, 3, 3, 3), 2},
    {"FewOutputChannels", conv(7, 3, 9, 9, 3, 1, 1), 1},
    {"RectangularKernel",
     [] {
       ConvKernel d = conv(5, 8, 9, 12, 1, 1);
       d.kernelH = 3;
       d.kernelW = 5;
       d.padding = {1, 2, 1, 2};
       return d;
     }(),
     1},
};

/// Depthwise: one input channel per group, with and without a multiplier.
const ConvCase kDepthwiseCases[] = {
    {"Depthwise3x3", conv(24, 24, 13, 11, 3, 1, 1, 24), 1},
    {"DepthwiseStride2", conv(16, 16, 14, 14, 3, 2, 1, 16), 3},
    {"DepthwiseMultiplier2", conv(8, 16, 11, 9, 3, 1, 1, 8), 2},
    {"DepthwiseK5Dilation2", withDilation(conv(8, 8, 13, 13, 5, 1, 4, 8), 2),
     1},
    {"DepthwiseNarrow7x7", conv(32, 32, 7, 7, 3, 1, 1, 32), 2},
    {"DepthwiseNoPadding", conv(8, 8, 9, 17, 3, 1, 0, 8), 1},
    {"DepthwiseWidth1", conv(4, 4, 5, 3, 3, 1, 0, 4), 1},
};

/// Schedule branches at (scaled-down) network shapes.
const ConvCase kScheduleCases[] = {
    {"WideSpatialTiles28x28", conv(32, 32, 28, 28, 3, 1, 1), 1},
    {"WideStride2Transition", conv(16, 32, 30, 30, 3, 2, 1), 2},
    {"Pointwise56x56", conv(8, 24, 56, 56, 1), 1},
    {"Narrow7x7", conv(64, 64, 7, 7, 3, 1, 1), 2},
    {"Narrow14x14", conv(32, 48, 14, 14, 3, 1, 1), 1},
    {"NarrowPointwise", conv(40, 96, 7, 7, 1), 1},
    {"NarrowCoutTail", conv(16, 20, 5, 5, 3, 1, 1), 1},
    {"NarrowGroups2", conv(32, 32, 7, 7, 3, 1, 1, 2), 1},
};

/// Per-sample weights, on wide and narrow images.
const ConvCase kPerSampleCases[] = {
    {"PerSampleOdd", perSample(conv(5, 8, 13, 11, 3, 1, 1)), 3},
    {"PerSampleStride2Groups2", perSample(conv(8, 8, 12, 12, 3, 2, 1, 2)), 2},
    {"PerSampleDepthwise", perSample(conv(12, 12, 9, 9, 3, 1, 1, 12)), 3},
    {"PerSampleNarrow",
     perSample(withEpilogue(conv(32, 32, 7, 7, 3, 1, 1), true, true, kRelu)),
     2},
    {"PerSampleEpilogue",
     perSample(withEpilogue(conv(6, 8, 10, 10, 3, 1, 1), true, false, kClip)),
     1},
    {"PerSampleScaleShift",
     perSample(withEpilogue(conv(20, 24, 9, 9, 3, 1, 1), true, true, kRelu,
                            /*scale=*/true)),
     2},
};

/// A scale per sample and output channel (an attention on the outputs of a
/// static kernel, as ODConv's filter attention of a 1x1 layer), before a
/// bias and an activation; the output channels 20 and 24 leave a partial
/// block of 4 lanes at 16 or 8 lanes.
const ConvCase kSampleScaleCases[] = {
    {"SampleScalePointwise",
     sampleScaled(withEpilogue(conv(24, 20, 9, 7, 1), true, false, kRelu)), 3},
    {"SampleScale3x3Residual",
     sampleScaled(
         withEpilogue(conv(16, 24, 8, 8, 3, 1, 1), false, true, kNone)),
     2},
    {"SampleScalePerSampleWeights",
     sampleScaled(perSample(
         withEpilogue(conv(8, 20, 10, 10, 3, 1, 1), true, false, kClip))),
     2},
};

/// Convs that aggregate their ODConv kernels from a bank: every head with 4
/// kernels (bias, residual, ReLU), the channel attention alone with 1 (20
/// output channels: a partial block), a strided layer over two strips.
const ConvCase kAggregatingCases[] = {
    {"AggregateK4AllHeads",
     aggregating(withEpilogue(conv(32, 32, 7, 7, 3, 1, 1), true, true, kRelu),
                 4, true),
     2},
    {"AggregateK1Channel", aggregating(conv(16, 20, 6, 6, 3, 1, 1), 1, false),
     3},
    {"AggregateStride2",
     aggregating(
         withEpilogue(conv(32, 48, 14, 14, 3, 2, 1), true, false, kNone), 4,
         true),
     1},
};

/// Every epilogue combination, on an x-vector tile.
std::vector<ConvCase> epilogueCases() {
  std::vector<ConvCase> cases;
  for (bool bias : {false, true})
    for (bool residual : {false, true})
      for (Activation act : {kNone, kRelu, kClip}) {
        std::string name = std::string(bias ? "Bias" : "NoBias") +
                           (residual ? "Residual" : "") +
                           (act == kRelu   ? "Relu"
                            : act == kClip ? "Clip"
                                           : "");
        cases.push_back(
            {name,
             withEpilogue(conv(6, 8, 11, 13, 3, 1, 1), bias, residual, act),
             2});
      }
  // The epilogue on small images and on the depthwise schedules, with a
  // scale (a BatchNorm after the conv).
  cases.push_back({"ScaleBiasResidualClip7x7",
                   withEpilogue(conv(16, 32, 6, 6, 3, 1, 1), true, true, kClip,
                                /*scale=*/true),
                   2});
  // A clip above zero would turn padding lanes nonzero: the blocked output
  // must mask them.
  ConvKernel clipAboveZero =
      withEpilogue(conv(5, 9, 7, 6, 3, 1, 1), true, false, kClip);
  clipAboveZero.epilogue.clipMin = 0.25f;
  cases.push_back({"ClipAboveZeroOddChannels", clipAboveZero, 2});
  cases.push_back({"ScaleOnly",
                   withEpilogue(conv(6, 8, 11, 13, 3, 1, 1), false, false,
                                kNone, /*scale=*/true),
                   1});
  cases.push_back(
      {"DepthwiseBiasResidualRelu",
       withEpilogue(conv(16, 16, 9, 9, 3, 1, 1, 16), true, true, kRelu), 2});
  return cases;
}

std::string caseName(const ::testing::TestParamInfo<ConvCase> &info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(Semantics, ConvKernelTest,
                         ::testing::ValuesIn(kSemanticCases), caseName);
INSTANTIATE_TEST_SUITE_P(Depthwise, ConvKernelTest,
                         ::testing::ValuesIn(kDepthwiseCases), caseName);
INSTANTIATE_TEST_SUITE_P(Schedules, ConvKernelTest,
                         ::testing::ValuesIn(kScheduleCases), caseName);
INSTANTIATE_TEST_SUITE_P(PerSample, ConvKernelTest,
                         ::testing::ValuesIn(kPerSampleCases), caseName);
INSTANTIATE_TEST_SUITE_P(SampleScale, ConvKernelTest,
                         ::testing::ValuesIn(kSampleScaleCases), caseName);
/// An aggregating conv computes what dyconv.aggregate's kernels convolved
/// compute (the reference of each), on both blocked targets.
class AggregatingConvTest : public ::testing::TestWithParam<ConvCase> {};

TEST_P(AggregatingConvTest, MatchesAggregateThenConv) {
  ConvKernel d = GetParam().desc;
  int64_t n = GetParam().batch;
  const AggregateKernel &a = *d.aggregation;
  ConvKernel perSampleConv = d;
  perSampleConv.aggregation.reset();
  ConvArguments args = randomArguments(perSampleConv, n);
  Tensor bank = randomTensor(
      {a.kernels, d.outChannels, a.inChannelsPerGroup, d.kernelH, d.kernelW},
      6);
  std::vector<Tensor> attentions = {
      randomTensor({n, d.inChannels}, 7, 0.5f, 1.5f)};
  if (a.hasFilter)
    attentions.push_back(randomTensor({n, d.outChannels}, 8, 0.5f, 1.5f));
  if (a.hasSpatial)
    attentions.push_back(
        randomTensor({n, d.kernelH * d.kernelW}, 9, 0.5f, 1.5f));
  if (a.hasKernel)
    attentions.push_back(randomTensor({n, a.kernels}, 10, 0.0f, 1.0f));
  const Tensor *filter = a.hasFilter ? &attentions[1] : nullptr;
  const Tensor *spatial = a.hasSpatial ? &attentions[1 + a.hasFilter] : nullptr;
  const Tensor *kernel = a.hasKernel ? &attentions.back() : nullptr;
  args.inputs[1] = valueOf(reference::aggregate(bank, attentions[0], filter,
                                                spatial, kernel, a.groups));
  Tensor expected = expectedOutput(perSampleConv, args.inputs);
  args.inputs[1] = bank;
  llvm::append_range(args.inputs, attentions);
  expectBlockedMatch(d, args, expected);
}

INSTANTIATE_TEST_SUITE_P(Aggregating, AggregatingConvTest,
                         ::testing::ValuesIn(kAggregatingCases), caseName);

INSTANTIATE_TEST_SUITE_P(Epilogues, ConvKernelTest,
                         ::testing::ValuesIn(epilogueCases()), caseName);

/// The schedules lower for AVX-512 too (more accumulators, 16 lanes), which
/// this machine may not be able to run.
class ConvKernelAvx512Test : public ::testing::TestWithParam<ConvCase> {};

TEST_P(ConvKernelAvx512Test, Lowers) {
  ConvKernel d = GetParam().desc;
  const TargetDesc avx512 = *lookupTarget("x86-64-avx512");
  chooseConvSchedule(d, /*blocked=*/false, avx512);
  EXPECT_EQ(lowerKernel(d, "x86-64-avx512"), "") << describeKernel(d);
  if (!hasBlockedSchedule(d))
    return;
  chooseConvSchedule(d, /*blocked=*/true, avx512);
  KernelDesc desc(d);
  desc.layouts = blockedLayouts(d, avx512.vectorLanes);
  EXPECT_EQ(lowerKernel(desc, "x86-64-avx512"), "") << describeKernel(d);
}

const ConvCase kAvx512Cases[] = {
    {"Wide", conv(16, 32, 28, 28, 3, 1, 1), 1},
    {"Narrow", conv(64, 64, 7, 7, 3, 1, 1), 1},
    {"Depthwise", conv(32, 32, 13, 13, 3, 2, 1, 32), 1},
    {"Odd", conv(5, 7, 13, 11, 3, 1, 1), 1},
};

INSTANTIATE_TEST_SUITE_P(Targets, ConvKernelAvx512Test,
                         ::testing::ValuesIn(kAvx512Cases), caseName);

TEST(ConvKernelDescribeTest, SummarisesShapeAndEpilogue) {
  EXPECT_EQ(describeKernel(conv(64, 64, 56, 56, 3, 2, 1)),
            "conv2d 3x3 64->64 56x56 s2 g1 p1,1,1,1");
  EXPECT_EQ(describeKernel(perSample(
                withEpilogue(conv(8, 8, 7, 7, 1), true, true, kRelu))),
            "dynamic_conv2d 1x1 8->8 7x7 s1 g1 +bias+res relu");
}

TEST(ConvKernelErrorTest, RejectsIndivisibleGroups) {
  ConvKernel d = conv(6, 8, 5, 5, 3, 1, 1, 4);
  chooseConvSchedule(d, /*blocked=*/false, host());
  std::string error = lowerKernel(d, "cpu");
  EXPECT_NE(error.find("groups must divide"), std::string::npos) << error;
}

TEST(ConvKernelErrorTest, AggregatesOnlyWhenBlocked) {
  ConvKernel d = aggregating(conv(16, 16, 5, 5, 3, 1, 1), 1, false);
  chooseConvSchedule(d, /*blocked=*/false, host());
  std::string error = lowerKernel(d, "cpu");
  EXPECT_NE(error.find("only a blocked schedule aggregates"), std::string::npos)
      << error;
}

TEST(ConvKernelErrorTest, NeedsASchedule) {
  std::string error = lowerKernel(conv(6, 8, 5, 5, 3, 1, 1), "cpu");
  EXPECT_NE(error.find("run --dyconv-select-schedules"), std::string::npos)
      << error;
}

TEST(ConvKernelErrorTest, RejectsWeightsInAnotherLayout) {
  ConvKernel d = conv(16, 16, 5, 5, 3, 1, 1);
  chooseConvSchedule(d, /*blocked=*/true, host());
  KernelDesc desc(d);
  desc.layouts = blockedLayouts(d, 16);
  desc.layouts[1] = Layout(); // plain OIHW weights
  std::string error = lowerKernel(desc, "cpu");
  EXPECT_NE(error.find("the weight is not in the layout"), std::string::npos)
      << error;
}

} // namespace
} // namespace mlir::dyconv::codegen::test
