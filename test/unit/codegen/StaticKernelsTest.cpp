//===- StaticKernelsTest.cpp - pooling, dense and elementwise kernels -----===//
//
// Each ordinary kernel family JIT-run against the reference interpreter's
// kernel on many shapes: odd extents, tails shorter than a vector, every
// broadcast form, batch 1 and 3 through one pipeline.
//
//===----------------------------------------------------------------------===//

#include "KernelTestSupport.h"

#include <functional>

namespace mlir::dyconv::codegen::test {
namespace {

constexpr int64_t kBatches[] = {1, 3};

/// `shape` with the batch set to `batch`.
llvm::SmallVector<int64_t> concrete(const Shape &shape, int64_t batch) {
  llvm::SmallVector<int64_t> result;
  for (int64_t extent : shape)
    result.push_back(extent == kBatch ? batch : extent);
  return result;
}

/// Runs `kernel` on `inputs` and compares its one output with `expected`.
void expectMatches(JitKernel &kernel, std::vector<Tensor> inputs,
                   const Tensor &expected) {
  std::vector<Tensor> outputs =
      runKernel(kernel, std::move(inputs), {expected.shape});
  ASSERT_EQ(outputs.size(), 1u);
  EXPECT_LE(relativeError(outputs.front(), expected), kRelativeTolerance);
}

/// Builds `desc` once and checks it at every batch size: `makeInputs(batch)`
/// gives the inputs and `reference(inputs)` the expected output.
template <typename Desc>
void checkKernel(
    const Desc &desc,
    const std::function<std::vector<Tensor>(int64_t)> &makeInputs,
    const std::function<Tensor(const std::vector<Tensor> &)> &reference) {
  SCOPED_TRACE(describeKernel(desc));
  std::unique_ptr<JitKernel> kernel = compileKernel(desc);
  if (!kernel)
    return;
  for (int64_t batch : kBatches) {
    SCOPED_TRACE("batch " + std::to_string(batch));
    std::vector<Tensor> inputs = makeInputs(batch);
    Tensor expected = reference(inputs);
    expectMatches(*kernel, inputs, expected);
  }
}

/// Random tensors of `shapes` at `batch`, seeded by position.
std::vector<Tensor> randomInputs(const std::vector<Shape> &shapes,
                                 int64_t batch) {
  std::vector<Tensor> inputs;
  for (const Shape &shape : shapes)
    inputs.push_back(randomTensor(concrete(shape, batch),
                                  static_cast<uint32_t>(inputs.size() + 1)));
  return inputs;
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

reference::PoolParams poolParams(const PoolKernel &desc) {
  reference::PoolParams params;
  params.kernel = desc.kernel;
  params.stride = desc.stride;
  params.padding = desc.padding;
  params.dilation = desc.dilation;
  params.ceilMode = desc.ceilMode;
  return params;
}

Tensor referencePool(const PoolKernel &desc, const Tensor &input) {
  switch (desc.kind) {
  case PoolKind::Max:
    return valueOf(reference::maxPool2d(input, poolParams(desc)));
  case PoolKind::Average:
    return valueOf(
        reference::avgPool2d(input, poolParams(desc), desc.countIncludePad));
  case PoolKind::GlobalAverage:
    return valueOf(reference::globalAvgPool(input));
  }
  return {};
}

void checkPool(const PoolKernel &desc) {
  checkKernel(
      desc,
      [&](int64_t batch) {
        return randomInputs({{kBatch, desc.channels, desc.height, desc.width}},
                            batch);
      },
      [&](const std::vector<Tensor> &inputs) {
        return referencePool(desc, inputs[0]);
      });
}

/// A pooling of `channels` planes of `height` x `width`.
PoolKernel pool(PoolKind kind, int64_t channels, int64_t height, int64_t width,
                int64_t kernel, int64_t stride, int64_t padding = 0) {
  PoolKernel desc;
  desc.kind = kind;
  desc.channels = channels;
  desc.height = height;
  desc.width = width;
  desc.kernel = {kernel, kernel};
  desc.stride = {stride, stride};
  desc.padding = {padding, padding, padding, padding};
  return desc;
}

TEST(StaticKernelsTest, MaxPool) {
  checkPool(pool(PoolKind::Max, 8, 32, 32, 3, 2, 1)); // the ResNet stem's
  checkPool(pool(PoolKind::Max, 5, 13, 17, 3, 2, 1));
  checkPool(pool(PoolKind::Max, 3, 9, 11, 2, 2));
  checkPool(pool(PoolKind::Max, 4, 7, 6, 1, 1));
  checkPool(pool(PoolKind::Max, 2, 15, 19, 5, 1, 2));
  checkPool(pool(PoolKind::Max, 3, 9, 9, 7, 1, 3));
  PoolKernel column = pool(PoolKind::Max, 2, 9, 1, 3, 2, 1);
  column.kernel = {3, 1};
  column.padding = {1, 0, 1, 0};
  checkPool(column);
}

TEST(StaticKernelsTest, MaxPoolDilationCeilAndAsymmetry) {
  PoolKernel dilated = pool(PoolKind::Max, 3, 14, 19, 3, 1, 2);
  dilated.dilation = {2, 2};
  checkPool(dilated);
  PoolKernel mixed = pool(PoolKind::Max, 2, 12, 21, 3, 2);
  mixed.dilation = {1, 2};
  mixed.stride = {2, 3};
  mixed.padding = {1, 0, 0, 2};
  checkPool(mixed);
  for (bool ceil : {false, true}) {
    PoolKernel desc = pool(PoolKind::Max, 3, 10, 13, 3, 2);
    desc.ceilMode = ceil;
    checkPool(desc);
    desc = pool(PoolKind::Max, 2, 11, 11, 2, 2, 1);
    desc.ceilMode = ceil;
    checkPool(desc);
  }
}

TEST(StaticKernelsTest, AveragePool) {
  for (bool includePad : {false, true})
    for (bool ceil : {false, true}) {
      SCOPED_TRACE(std::string("count_include_pad ") +
                   (includePad ? "on" : "off"));
      for (PoolKernel desc : {pool(PoolKind::Average, 3, 13, 17, 3, 2, 1),
                              pool(PoolKind::Average, 2, 10, 11, 2, 2, 1)}) {
        desc.countIncludePad = includePad;
        desc.ceilMode = ceil;
        checkPool(desc);
      }
    }
  checkPool(pool(PoolKind::Average, 4, 14, 14, 2, 2));
  checkPool(pool(PoolKind::Average, 2, 9, 23, 5, 1, 2));
  checkPool(pool(PoolKind::Average, 3, 7, 7, 7, 1));
  PoolKernel asymmetric = pool(PoolKind::Average, 2, 8, 9, 3, 1);
  asymmetric.padding = {0, 1, 2, 1};
  checkPool(asymmetric);
}

TEST(StaticKernelsTest, GlobalAveragePool) {
  for (auto [channels, height, width] :
       {std::array<int64_t, 3>{37, 7, 7}, {3, 1, 1}, {16, 13, 11}, {9, 2, 30}})
    checkPool(pool(PoolKind::GlobalAverage, channels, height, width, 1, 1));
}

//===----------------------------------------------------------------------===//
// Dense
//===----------------------------------------------------------------------===//

/// The reference linear layer followed by the descriptor's activation.
Tensor referenceLinear(const LinearKernel &desc,
                       const std::vector<Tensor> &inputs) {
  Tensor output = valueOf(reference::linear(
      inputs[0], inputs[1], desc.hasBias ? &inputs[2] : nullptr));
  switch (desc.activation) {
  case Activation::None:
    return output;
  case Activation::Relu:
    return reference::relu(output);
  case Activation::Clip:
    return valueOf(reference::clip(output, desc.clipMin, desc.clipMax));
  }
  return output;
}

TEST(StaticKernelsTest, Linear) {
  struct Case {
    int64_t in, out;
    bool bias;
    Activation activation;
  };
  for (Case c : {Case{512, 1000, true, Activation::None},
                 Case{37, 7, true, Activation::Relu},
                 Case{100, 1, false, Activation::None},
                 Case{5, 17, true, Activation::Clip},
                 Case{1280, 10, false, Activation::Relu},
                 Case{33, 64, true, Activation::None}}) {
    LinearKernel desc;
    desc.inFeatures = c.in;
    desc.outFeatures = c.out;
    desc.hasBias = c.bias;
    desc.activation = c.activation;
    desc.clipMin = -0.5f;
    desc.clipMax = 0.5f;
    std::vector<Shape> shapes = {{kBatch, c.in}, {c.out, c.in}};
    if (c.bias)
      shapes.push_back({c.out});
    checkKernel(
        desc, [&](int64_t batch) { return randomInputs(shapes, batch); },
        [&](const std::vector<Tensor> &inputs) {
          return referenceLinear(desc, inputs);
        });
  }
}

TEST(StaticKernelsTest, Softmax) {
  std::vector<std::pair<Shape, int64_t>> cases = {
      {{kBatch, 10}, 1},        {{kBatch, 1000}, 1},    {{kBatch, 4}, 0},
      {{kBatch, 5, 7, 3}, 1},   {{kBatch, 5, 7, 3}, 2}, {{kBatch, 5, 7, 3}, 3},
      {{kBatch, 2, 9, 1, 4}, 2}};
  for (const auto &[shape, axis] : cases) {
    SoftmaxKernel desc{shape, axis};
    checkKernel(
        desc, [&](int64_t batch) { return randomInputs({shape}, batch); },
        [&](const std::vector<Tensor> &inputs) {
          return valueOf(reference::softmax(inputs[0], desc.axis));
        });
  }
}

TEST(StaticKernelsTest, LayerNorm) {
  std::vector<std::pair<Shape, int64_t>> cases = {
      {{kBatch, 16}, 1},      {{kBatch, 6, 5}, 1},    {{kBatch, 6, 5}, 2},
      {{kBatch, 3, 4, 9}, 1}, {{kBatch, 3, 4, 9}, 3}, {{7, 12}, 0}};
  for (const auto &[shape, axis] : cases) {
    LayerNormKernel desc{shape, axis, 1e-5f};
    Shape normalized(shape.begin() + axis, shape.end());
    checkKernel(
        desc,
        [&](int64_t batch) {
          return randomInputs({shape, normalized, normalized}, batch);
        },
        [&](const std::vector<Tensor> &inputs) {
          return valueOf(reference::layerNorm(inputs[0], inputs[1], inputs[2],
                                              desc.axis, desc.epsilon));
        });
  }
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

TEST(StaticKernelsTest, UnaryElementwise) {
  std::vector<Shape> shapes = {
      {kBatch, 13}, {kBatch, 3, 7, 7}, {kBatch, 5, 1, 1}, {kBatch, 2, 3, 4, 9}};
  for (const Shape &shape : shapes)
    for (ElementwiseOp op : {ElementwiseOp::Relu, ElementwiseOp::Sigmoid,
                             ElementwiseOp::Clip, ElementwiseOp::Abs}) {
      ElementwiseKernel desc{op, {shape}, -0.25f, 0.5f};
      checkKernel(
          desc, [&](int64_t batch) { return randomInputs({shape}, batch); },
          [&](const std::vector<Tensor> &inputs) {
            if (op == ElementwiseOp::Relu)
              return reference::relu(inputs[0]);
            if (op == ElementwiseOp::Sigmoid)
              return reference::sigmoid(inputs[0]);
            if (op == ElementwiseOp::Abs)
              return reference::abs(inputs[0]);
            return valueOf(
                reference::clip(inputs[0], desc.clipMin, desc.clipMax));
          });
    }
}

TEST(StaticKernelsTest, BroadcastingBinaryOps) {
  std::vector<std::pair<Shape, Shape>> cases = {
      {{kBatch, 64, 56, 56}, {kBatch, 64, 56, 56}},
      {{kBatch, 16, 9, 11}, {1, 16, 1, 1}},
      {{kBatch, 16, 9, 11}, {16, 1, 1}},
      {{kBatch, 16, 9, 11}, {kBatch, 16, 1, 1}},
      {{16, 1, 1}, {kBatch, 16, 5, 3}},
      {{kBatch, 7}, {1, 7}},
      {{kBatch, 7}, {7}},
      {{kBatch, 1}, {1, 9}},
      {{kBatch, 6, 5}, {1}},
      {{kBatch, 2, 3, 4, 5}, {3, 1, 5}},
      {{kBatch, 2, 1, 4, 1}, {kBatch, 1, 3, 1, 6}}};
  for (const auto &[lhs, rhs] : cases)
    for (ElementwiseOp op : {ElementwiseOp::Add, ElementwiseOp::Mul,
                             ElementwiseOp::Sub, ElementwiseOp::Div}) {
      ElementwiseKernel desc{op, {lhs, rhs}};
      checkKernel(
          desc,
          [&](int64_t batch) {
            std::vector<Tensor> inputs = randomInputs({lhs, rhs}, batch);
            // Divisors in [1, 2] keep the quotients well conditioned.
            for (float &v : inputs[1].data)
              v = 1.5f + 0.5f * v;
            return inputs;
          },
          [&](const std::vector<Tensor> &inputs) {
            switch (op) {
            case ElementwiseOp::Add:
              return valueOf(reference::add(inputs[0], inputs[1]));
            case ElementwiseOp::Mul:
              return valueOf(reference::mul(inputs[0], inputs[1]));
            case ElementwiseOp::Sub:
              return valueOf(reference::sub(inputs[0], inputs[1]));
            default:
              return valueOf(reference::div(inputs[0], inputs[1]));
            }
          });
    }
}

TEST(StaticKernelsTest, RejectsShapesThatDoNotBroadcast) {
  ElementwiseKernel desc{ElementwiseOp::Add, {{kBatch, 3, 4}, {kBatch, 5, 4}}};
  std::string error;
  EXPECT_EQ(JitKernel::compile(desc, error), nullptr);
  EXPECT_NE(error.find("broadcast"), std::string::npos) << error;
}

/// y = x * scale[c] + shift[c] as a batch norm with mean 0, variance 1 - eps.
TEST(StaticKernelsTest, ChannelAffine) {
  std::vector<Shape> shapes = {
      {kBatch, 9}, {kBatch, 5, 11}, {kBatch, 12, 7, 7}, {kBatch, 3, 2, 5, 17}};
  for (const Shape &shape : shapes) {
    ChannelAffineKernel desc{shape};
    Shape channels = {shape[1]};
    checkKernel(
        desc,
        [&](int64_t batch) {
          return randomInputs({shape, channels, channels}, batch);
        },
        [&](const std::vector<Tensor> &inputs) {
          double epsilon = 0.5;
          Tensor mean = Tensor::zeros({shape[1]});
          Tensor variance = Tensor::filled({shape[1]}, 1.0f - epsilon);
          return valueOf(reference::batchNorm(inputs[0], inputs[1], inputs[2],
                                              mean, variance, epsilon));
        });
  }
}

TEST(StaticKernelsTest, Concat) {
  std::vector<std::pair<std::vector<Shape>, int64_t>> cases = {
      {{{kBatch, 16, 7, 7}, {kBatch, 5, 7, 7}}, 1},
      {{{kBatch, 3, 9, 11}, {kBatch, 1, 9, 11}, {kBatch, 4, 9, 11}}, 1},
      {{{kBatch, 2, 5, 3}, {kBatch, 2, 5, 13}}, 3},
      {{{kBatch, 2, 5, 3}, {kBatch, 2, 1, 3}}, 2},
      {{{kBatch, 3}, {kBatch, 9}}, 1},
      {{{2, 5}, {3, 5}}, 0},
      {{{kBatch, 2, 3, 1, 4}, {kBatch, 2, 3, 2, 4}}, 3}};
  for (const auto &[shapes, axis] : cases) {
    ConcatKernel desc{shapes, axis};
    checkKernel(
        desc, [&](int64_t batch) { return randomInputs(shapes, batch); },
        [&](const std::vector<Tensor> &inputs) {
          std::vector<const Tensor *> pointers;
          for (const Tensor &input : inputs)
            pointers.push_back(&input);
          return valueOf(reference::concat(pointers, desc.axis));
        });
  }
}

} // namespace
} // namespace mlir::dyconv::codegen::test
