//===- LayoutKernelsTest.cpp - kernels on channel-blocked tensors ---------===//
//
// The kernels that a blocked network runs besides its convolutions, in the
// layouts dyconv-assign-layouts gives them: pooling, elementwise ops and
// channel_affine on NCHW<b>c activations, the global average pool from
// NCHW<b>c to a plain or blocked vector, and convert_layout between any two
// layouts. Inputs are packed and outputs unpacked by the test's own code
// (KernelTestSupport.h), channel counts are not multiples of the block (the
// padding lanes must come out zero), and the results are compared with the
// reference kernels on the logical tensors.
//
//===----------------------------------------------------------------------===//

#include "KernelTestSupport.h"

#include <functional>

namespace mlir::dyconv::codegen::test {
namespace {

/// NCHW<block>c.
Layout blocked(int64_t block) { return Layout{{1}, {block}}; }

const int64_t kBlocks[] = {16, 8};

/// Runs `desc` in `layouts` on `inputs` and compares its one output with
/// `expected` (both logical).
void expectInLayouts(const KernelDesc &desc, const std::vector<Tensor> &inputs,
                     const Tensor &expected) {
  std::vector<Tensor> outputs = runInLayouts(desc, inputs, {expected.shape});
  ASSERT_EQ(outputs.size(), 1u);
  EXPECT_LE(relativeError(outputs[0], expected), kRelativeTolerance);
}

/// `family` with `layouts`.
template <typename Family>
KernelDesc withLayouts(Family family, std::vector<Layout> layouts) {
  KernelDesc desc(std::move(family));
  desc.layouts = std::move(layouts);
  return desc;
}

PoolKernel pool(PoolKind kind, int64_t channels, int64_t size, int64_t kernel,
                int64_t stride, int64_t padding) {
  PoolKernel desc;
  desc.kind = kind;
  desc.channels = channels;
  desc.height = desc.width = size;
  desc.kernel = {kernel, kernel};
  desc.stride = {stride, stride};
  desc.padding = {padding, padding, padding, padding};
  return desc;
}

reference::PoolParams poolParams(const PoolKernel &desc) {
  reference::PoolParams params;
  params.kernel = desc.kernel;
  params.stride = desc.stride;
  params.padding = desc.padding;
  params.dilation = desc.dilation;
  params.ceilMode = desc.ceilMode;
  return params;
}

TEST(LayoutKernelsTest, BlockedMaxAndAveragePools) {
  // The ResNet stem's max pool, and average pools with their padding rule.
  for (int64_t block : kBlocks)
    for (int64_t batch : {1, 3}) {
      SCOPED_TRACE("block " + std::to_string(block) + ", batch " +
                   std::to_string(batch));
      PoolKernel maxPool = pool(PoolKind::Max, 20, 15, 3, 2, 1);
      Tensor input = randomTensor({batch, 20, 15, 15}, 1);
      expectInLayouts(
          withLayouts(maxPool, {blocked(block), blocked(block)}), {input},
          valueOf(reference::maxPool2d(input, poolParams(maxPool))));
      for (bool includePad : {false, true}) {
        PoolKernel average = pool(PoolKind::Average, 20, 15, 3, 2, 1);
        average.countIncludePad = includePad;
        expectInLayouts(withLayouts(average, {blocked(block), blocked(block)}),
                        {input},
                        valueOf(reference::avgPool2d(input, poolParams(average),
                                                     includePad)));
      }
    }
}

TEST(LayoutKernelsTest, GlobalAveragePoolFromBlocked) {
  PoolKernel gap = pool(PoolKind::GlobalAverage, 37, 7, 1, 1, 0);
  Tensor input = randomTensor({3, 37, 7, 7}, 2);
  Tensor expected = valueOf(reference::globalAvgPool(input));
  for (int64_t block : kBlocks) {
    SCOPED_TRACE("block " + std::to_string(block));
    expectInLayouts(withLayouts(gap, {blocked(block), Layout()}), {input},
                    expected);
    expectInLayouts(withLayouts(gap, {blocked(block), blocked(block)}), {input},
                    expected);
  }
}

TEST(LayoutKernelsTest, BlockedUnaryElementwise) {
  Shape shape = {kBatch, 20, 5, 9};
  Tensor input = randomTensor({2, 20, 5, 9}, 3);
  const std::pair<ElementwiseOp, std::function<Tensor(const Tensor &)>>
      cases[] = {
          {ElementwiseOp::Relu, reference::relu},
          {ElementwiseOp::Sigmoid, reference::sigmoid},
          {ElementwiseOp::Clip,
           [](const Tensor &x) {
             return valueOf(reference::clip(x, -0.25f, 0.5f));
           }},
      };
  for (int64_t block : kBlocks)
    for (const auto &[op, reference] : cases) {
      SCOPED_TRACE("block " + std::to_string(block));
      ElementwiseKernel desc{op, {shape}, -0.25f, 0.5f};
      expectInLayouts(withLayouts(desc, {blocked(block), blocked(block)}),
                      {input}, reference(input));
    }
}

TEST(LayoutKernelsTest, BlockedBinaryElementwiseWithBroadcasts) {
  // Both operands blocked (a residual add), and a blocked activation with a
  // per-channel operand stored plain or blocked (an SE-style scale).
  Tensor x = randomTensor({2, 20, 6, 7}, 4), y = randomTensor({2, 20, 6, 7}, 5);
  Tensor perChannel = randomTensor({2, 20, 1, 1}, 6, 0.5f, 1.5f);
  Tensor constant = randomTensor({1, 20, 1, 1}, 7);
  Shape full = {kBatch, 20, 6, 7}, vector = {kBatch, 20, 1, 1};
  for (int64_t block : kBlocks) {
    SCOPED_TRACE("block " + std::to_string(block));
    Layout b = blocked(block);
    expectInLayouts(
        withLayouts(ElementwiseKernel{ElementwiseOp::Add, {full, full}},
                    {b, b, b}),
        {x, y}, valueOf(reference::add(x, y)));
    for (Layout vectorLayout : {Layout(), b}) {
      expectInLayouts(
          withLayouts(ElementwiseKernel{ElementwiseOp::Mul, {full, vector}},
                      {b, vectorLayout, b}),
          {x, perChannel}, valueOf(reference::mul(x, perChannel)));
      expectInLayouts(
          withLayouts(ElementwiseKernel{ElementwiseOp::Sub, {vector, full}},
                      {vectorLayout, b, b}),
          {perChannel, x}, valueOf(reference::sub(perChannel, x)));
    }
    expectInLayouts(withLayouts(ElementwiseKernel{ElementwiseOp::Add,
                                                  {full, {1, 20, 1, 1}}},
                                {b, Layout(), b}),
                    {x, constant}, valueOf(reference::add(x, constant)));
  }
}

TEST(LayoutKernelsTest, BlockedChannelAffine) {
  Shape shape = {kBatch, 20, 5, 5};
  Tensor input = randomTensor({3, 20, 5, 5}, 8);
  Tensor scale = randomTensor({20}, 9), shift = randomTensor({20}, 10);
  Tensor expected = valueOf(reference::channelAffine(input, scale, shift));
  for (int64_t block : kBlocks) {
    SCOPED_TRACE("block " + std::to_string(block));
    Layout vector{{0}, {block}};
    expectInLayouts(
        withLayouts(ChannelAffineKernel{shape},
                    {blocked(block), Layout(), Layout(), blocked(block)}),
        {input, scale, shift}, expected);
    expectInLayouts(
        withLayouts(ChannelAffineKernel{shape},
                    {blocked(block), vector, vector, blocked(block)}),
        {input, scale, shift}, expected);
  }
}

TEST(LayoutKernelsTest, ConvertLayoutRoundTrips) {
  // A layout conversion keeps every logical element and zeroes the padding
  // (fromLayout checks it): activations to and from NCHW<b>c and between
  // block sizes, a weight to OIhw16i16o.
  Tensor activation = randomTensor({2, 20, 3, 5}, 11);
  Shape activationShape = {kBatch, 20, 3, 5};
  const std::pair<Layout, Layout> activationCases[] = {
      {Layout(), blocked(16)},
      {blocked(16), Layout()},
      {Layout(), blocked(8)},
      {blocked(8), blocked(16)},
      {blocked(16), blocked(8)}};
  for (const auto &[from, to] : activationCases)
    expectInLayouts(
        withLayouts(ConvertLayoutKernel{activationShape}, {from, to}),
        {activation}, activation);
  Tensor weight = randomTensor({24, 20, 3, 3}, 12);
  expectInLayouts(withLayouts(ConvertLayoutKernel{{24, 20, 3, 3}},
                              {Layout(), Layout{{1, 0}, {16, 16}}}),
                  {weight}, weight);
}

} // namespace
} // namespace mlir::dyconv::codegen::test
