//===- StaticOpsTest.cpp - the ordinary CNN ops on hand-computed cases ----===//
//
// Every expected value here is worked out by hand in the comment next to it,
// independently of the interpreter.
//
//===----------------------------------------------------------------------===//

#include "ReferenceTestSupport.h"

#include "dyconv/Reference/Kernels.h"

using namespace mlir::dyconv::reference;
using namespace mlir::dyconv::reference::test;

namespace {

/// 1..n as floats.
std::vector<float> iota(int n, float first = 1.0f) {
  std::vector<float> v(n);
  for (int i = 0; i < n; ++i)
    v[i] = first + i;
  return v;
}

//===----------------------------------------------------------------------===//
// conv2d
//===----------------------------------------------------------------------===//

TEST_F(ReferenceTest, Conv2DKnownKernelAndBias) {
  // x = [[1,2,3],[4,5,6],[7,8,9]], w = [[1,2],[3,4]], bias 0.5:
  // y00 = 1*1 + 2*2 + 3*4 + 4*5 = 37, y01 = 2 + 6 + 15 + 24 = 47,
  // y10 = 4 + 10 + 21 + 32 = 67,     y11 = 5 + 12 + 24 + 36 = 77.
  auto results =
      runOk(R"mlir(
    func.func @f(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x2x2xf32>, %b: tensor<1xf32>) -> tensor<1x1x2x2xf32> {
      %y = dyconv.conv2d %x, %w, %b : (tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
      return %y : tensor<1x1x2x2xf32>
    })mlir",
            {tensor({1, 1, 3, 3}, iota(9)), tensor({1, 1, 2, 2}, {1, 2, 3, 4}),
             tensor({1}, {0.5})});
  ASSERT_EQ(results.size(), 1u);
  expectNear(results[0], tensor({1, 1, 2, 2}, {37.5, 47.5, 67.5, 77.5}));
}

TEST_F(ReferenceTest, Conv2DStrideAndPadding) {
  // 3x3 ones kernel, padding 1, stride 2 on x = 1..9: output
  // floor((3+2-2-1)/2)+1 = 2. Windows start at rows/cols -1 and 1: y00 =
  // 1+2+4+5 = 12, y01 = 2+3+5+6 = 16, y10 = 4+5+7+8 = 24, y11 = 5+6+8+9 = 28.
  auto results = runOk(
      R"mlir(
    func.func @f(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x2x2xf32> {
      %y = dyconv.conv2d %x, %w {stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>}
          : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x2x2xf32>
      return %y : tensor<1x1x2x2xf32>
    })mlir",
      {tensor({1, 1, 3, 3}, iota(9)), Tensor::filled({1, 1, 3, 3}, 1.0f)});
  ASSERT_EQ(results.size(), 1u);
  expectNear(results[0], tensor({1, 1, 2, 2}, {12, 16, 24, 28}));
}

TEST_F(ReferenceTest, Conv2DDilation) {
  // x[i][j] = 5i + j on 5x5, a 2x2 ones kernel with dilation 2 reads
  // x[i][j] + x[i][j+2] + x[i+2][j] + x[i+2][j+2] = 4(5i + j) + 24; 3x3 output.
  auto results = runOk(
      R"mlir(
    func.func @f(%x: tensor<1x1x5x5xf32>, %w: tensor<1x1x2x2xf32>) -> tensor<1x1x3x3xf32> {
      %y = dyconv.conv2d %x, %w {dilation = array<i64: 2, 2>}
          : (tensor<1x1x5x5xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x3x3xf32>
      return %y : tensor<1x1x3x3xf32>
    })mlir",
      {tensor({1, 1, 5, 5}, iota(25, 0)), Tensor::filled({1, 1, 2, 2}, 1.0f)});
  ASSERT_EQ(results.size(), 1u);
  std::vector<float> expected;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      expected.push_back(4 * (5 * i + j) + 24);
  expectNear(results[0], tensor({1, 1, 3, 3}, expected));
}

TEST_F(ReferenceTest, Conv2DGroups) {
  // Two groups of one input channel each, two output channels per group:
  // out0 = 1*ch0, out1 = 2*ch0, out2 = 3*ch1, out3 = 4*ch1.
  auto grouped = runOk(
      R"mlir(
    func.func @f(%x: tensor<1x2x2x2xf32>, %w: tensor<4x1x1x1xf32>) -> tensor<1x4x2x2xf32> {
      %y = dyconv.conv2d %x, %w {groups = 2} : (tensor<1x2x2x2xf32>, tensor<4x1x1x1xf32>) -> tensor<1x4x2x2xf32>
      return %y : tensor<1x4x2x2xf32>
    })mlir",
      {tensor({1, 2, 2, 2}, iota(8)), tensor({4, 1, 1, 1}, {1, 2, 3, 4})});
  ASSERT_EQ(grouped.size(), 1u);
  expectNear(grouped[0],
             tensor({1, 4, 2, 2}, {1, 2, 3, 4, 2, 4, 6, 8, //
                                   15, 18, 21, 24, 20, 24, 28, 32}));

  // Two groups of two input channels: x = [1, 2, 3, 4],
  // out0 = 1*1 + 10*2 = 21, out1 = 100*3 + 1000*4 = 4300.
  auto pairs = runOk(R"mlir(
    func.func @f(%x: tensor<1x4x1x1xf32>, %w: tensor<2x2x1x1xf32>) -> tensor<1x2x1x1xf32> {
      %y = dyconv.conv2d %x, %w {groups = 2} : (tensor<1x4x1x1xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x1x1xf32>
      return %y : tensor<1x2x1x1xf32>
    })mlir",
                     {tensor({1, 4, 1, 1}, {1, 2, 3, 4}),
                      tensor({2, 2, 1, 1}, {1, 10, 100, 1000})});
  ASSERT_EQ(pairs.size(), 1u);
  expectNear(pairs[0], tensor({1, 2, 1, 1}, {21, 4300}));
}

TEST_F(ReferenceTest, Conv2DAsymmetricPaddingAndBatch) {
  // padding [top 1, left 0, bottom 0, right 2] around [[1,2],[3,4]] with a 1x1
  // kernel of 2: a zero row on top, two zero columns on the right. Sample 1
  // is sample 0 plus 10.
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<?x1x2x2xf32>, %w: tensor<1x1x1x1xf32>) -> tensor<?x1x3x4xf32> {
      %y = dyconv.conv2d %x, %w {padding = array<i64: 1, 0, 0, 2>}
          : (tensor<?x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<?x1x3x4xf32>
      return %y : tensor<?x1x3x4xf32>
    })mlir",
                       {tensor({2, 1, 2, 2}, {1, 2, 3, 4, 11, 12, 13, 14}),
                        tensor({1, 1, 1, 1}, {2})});
  ASSERT_EQ(results.size(), 1u);
  expectNear(results[0],
             tensor({2, 1, 3, 4}, {0, 0, 0, 0, 2,  4,  0, 0, 6,  8,  0, 0, //
                                   0, 0, 0, 0, 22, 24, 0, 0, 26, 28, 0, 0}));
}

//===----------------------------------------------------------------------===//
// linear, normalisation
//===----------------------------------------------------------------------===//

TEST_F(ReferenceTest, Linear) {
  // [[1,2,3],[4,5,6]] @ [[1,0,-1],[0.5,0.5,0.5]]^T + [10,-1]
  // = [[1-3+10, 3-1], [4-6+10, 7.5-1]] = [[8, 2], [8, 6.5]].
  auto results =
      runOk(R"mlir(
    func.func @f(%x: tensor<?x3xf32>, %w: tensor<2x3xf32>, %b: tensor<2xf32>) -> tensor<?x2xf32> {
      %y = dyconv.linear %x, %w, %b : (tensor<?x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<?x2xf32>
      return %y : tensor<?x2xf32>
    })mlir",
            {tensor({2, 3}, iota(6)), tensor({2, 3}, {1, 0, -1, 0.5, 0.5, 0.5}),
             tensor({2}, {10, -1})});
  ASSERT_EQ(results.size(), 1u);
  expectNear(results[0], tensor({2, 2}, {8, 2, 8, 6.5}));
}

TEST_F(ReferenceTest, BatchNorm) {
  // epsilon 0: ch0 (1,3): (x-2)/2*2+1 = (0, 2); ch1 (5,9): (x-5)/4*0.5-1 = (-1,
  // -0.5).
  auto results =
      runOk(R"mlir(
    func.func @f(%x: tensor<1x2x1x2xf32>, %s: tensor<2xf32>, %b: tensor<2xf32>, %m: tensor<2xf32>, %v: tensor<2xf32>) -> tensor<1x2x1x2xf32> {
      %y = dyconv.batch_norm %x, %s, %b, %m, %v {epsilon = 0.0 : f64}
          : (tensor<1x2x1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x1x2xf32>
      return %y : tensor<1x2x1x2xf32>
    })mlir",
            {tensor({1, 2, 1, 2}, {1, 3, 5, 9}), tensor({2}, {2, 0.5}),
             tensor({2}, {1, -1}), tensor({2}, {2, 5}), tensor({2}, {4, 16})});
  ASSERT_EQ(results.size(), 1u);
  expectNear(results[0], tensor({1, 2, 1, 2}, {0, 2, -1, -0.5}));
}

TEST_F(ReferenceTest, LayerNormLastAxis) {
  // epsilon 0. Row 0 (1,2,3,4): mean 2.5, biased var 1.25.
  // Row 1 (2,2,2,6): mean 3, var (1+1+1+9)/4 = 3.
  // scale (1,1,1,2), bias (0,0,0,1).
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<2x4xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
      %y = dyconv.layer_norm %x, %s, %b {epsilon = 0.0 : f64} : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
      return %y : tensor<2x4xf32>
    })mlir",
                       {tensor({2, 4}, {1, 2, 3, 4, 2, 2, 2, 6}),
                        tensor({4}, {1, 1, 1, 2}), tensor({4}, {0, 0, 0, 1})});
  ASSERT_EQ(results.size(), 1u);
  double r0 = std::sqrt(1.25), r1 = std::sqrt(3.0);
  expectNear(
      results[0],
      tensor({2, 4}, {float(-1.5 / r0), float(-0.5 / r0), float(0.5 / r0),
                      float(2 * 1.5 / r0 + 1), float(-1 / r1), float(-1 / r1),
                      float(-1 / r1), float(2 * 3 / r1 + 1)}));
}

TEST_F(ReferenceTest, LayerNormOverTwoAxes) {
  // axis 1 of [1, 2, 2]: all four values (0, 2, 4, 6) together, mean 3,
  // var (9+1+1+9)/4 = 5; scale 1, bias 0.
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<1x2x2xf32>, %s: tensor<2x2xf32>, %b: tensor<2x2xf32>) -> tensor<1x2x2xf32> {
      %y = dyconv.layer_norm %x, %s, %b {axis = 1, epsilon = 0.0 : f64} : (tensor<1x2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<1x2x2xf32>
      return %y : tensor<1x2x2xf32>
    })mlir",
                       {tensor({1, 2, 2}, {0, 2, 4, 6}),
                        Tensor::filled({2, 2}, 1.0f), Tensor::zeros({2, 2})});
  ASSERT_EQ(results.size(), 1u);
  float s = static_cast<float>(std::sqrt(5.0));
  expectNear(results[0], tensor({1, 2, 2}, {-3 / s, -1 / s, 1 / s, 3 / s}));
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

TEST_F(ReferenceTest, ReluSigmoidClip) {
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<5xf32>) -> (tensor<5xf32>, tensor<5xf32>, tensor<5xf32>) {
      %a = dyconv.relu %x : tensor<5xf32>
      %b = dyconv.sigmoid %x : tensor<5xf32>
      %c = dyconv.clip %x {min = 0.0 : f32, max = 6.0 : f32} : tensor<5xf32>
      return %a, %b, %c : tensor<5xf32>, tensor<5xf32>, tensor<5xf32>
    })mlir",
                       {tensor({5}, {-2, -0.5, 0, 0.5, 7})});
  ASSERT_EQ(results.size(), 3u);
  expectNear(results[0], tensor({5}, {0, 0, 0, 0.5, 7}));
  auto sig = [](double x) { return float(1 / (1 + std::exp(-x))); };
  expectNear(results[1],
             tensor({5}, {sig(-2), sig(-0.5), 0.5f, sig(0.5), sig(7)}));
  // sigmoid(-x) = 1 - sigmoid(x)
  EXPECT_NEAR(results[1].data[1] + results[1].data[3], 1.0, 1e-7);
  expectNear(results[2], tensor({5}, {0, 0, 0, 0.5, 6}));
}

TEST_F(ReferenceTest, AddAndMulBroadcast) {
  // [2,3] + [3] adds the row to each row; [2,1] * [1,3] is an outer product;
  // [1,2,2,2] * [1,2,1,1] scales channels; a rank-0 operand scales all.
  auto results = runOk(R"mlir(
    func.func @f(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %c: tensor<2x1xf32>, %d: tensor<1x3xf32>,
                 %x: tensor<1x2x2x2xf32>, %s: tensor<1x2x1x1xf32>, %k: tensor<f32>)
        -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<1x2x2x2xf32>, tensor<2x3xf32>) {
      %0 = dyconv.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
      %1 = dyconv.mul %c, %d : (tensor<2x1xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
      %2 = dyconv.mul %x, %s : (tensor<1x2x2x2xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x2x2xf32>
      %3 = dyconv.mul %k, %a : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
      return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<1x2x2x2xf32>, tensor<2x3xf32>
    })mlir",
                       {tensor({2, 3}, iota(6)), tensor({3}, {10, 20, 30}),
                        tensor({2, 1}, {2, 3}), tensor({1, 3}, {1, 10, 100}),
                        tensor({1, 2, 2, 2}, iota(8)),
                        tensor({1, 2, 1, 1}, {-1, 2}), tensor({}, {0.5})});
  ASSERT_EQ(results.size(), 4u);
  expectNear(results[0], tensor({2, 3}, {11, 22, 33, 14, 25, 36}));
  expectNear(results[1], tensor({2, 3}, {2, 20, 200, 3, 30, 300}));
  expectNear(results[2],
             tensor({1, 2, 2, 2}, {-1, -2, -3, -4, 10, 12, 14, 16}));
  expectNear(results[3], tensor({2, 3}, {0.5, 1, 1.5, 2, 2.5, 3}));
}

TEST_F(ReferenceTest, SoftmaxIsStableAndSumsToOne) {
  // Row 0: e^i / (e^1 + e^2 + e^3); row 1 would overflow exp() without the
  // max subtraction and is uniform.
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<2x3xf32>, %y: tensor<3x5x4xf32>) -> (tensor<2x3xf32>, tensor<3x5x4xf32>, tensor<3x5x4xf32>) {
      %a = dyconv.softmax %x {axis = 1} : tensor<2x3xf32>
      %b = dyconv.softmax %y {axis = 1} : tensor<3x5x4xf32>
      %c = dyconv.softmax %y {axis = -1} : tensor<3x5x4xf32>
      return %a, %b, %c : tensor<2x3xf32>, tensor<3x5x4xf32>, tensor<3x5x4xf32>
    })mlir",
                       {tensor({2, 3}, {1, 2, 3, 1000, 1000, 1000}),
                        randomTensor({3, 5, 4}, 7, -5, 5)});
  ASSERT_EQ(results.size(), 3u);
  double z = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  expectNear(
      results[0],
      tensor({2, 3}, {float(std::exp(1.0) / z), float(std::exp(2.0) / z),
                      float(std::exp(3.0) / z), 1 / 3.f, 1 / 3.f, 1 / 3.f}));
  // Along axis 1 of [3,5,4]: for each (i, k) the five values sum to 1.
  for (int i = 0; i < 3; ++i)
    for (int k = 0; k < 4; ++k) {
      double sum = 0;
      for (int j = 0; j < 5; ++j)
        sum += results[1].at({i, j, k});
      EXPECT_NEAR(sum, 1.0, 1e-6);
    }
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 5; ++j) {
      double sum = 0;
      for (int k = 0; k < 4; ++k)
        sum += results[2].at({i, j, k});
      EXPECT_NEAR(sum, 1.0, 1e-6);
    }
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

TEST_F(ReferenceTest, MaxPoolBasic) {
  // 2x2/2 on 0..15 (4x4): the bottom-right of each block.
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
      %y = dyconv.max_pool2d %x {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>}
          : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
      return %y : tensor<1x1x2x2xf32>
    })mlir",
                       {tensor({1, 1, 4, 4}, iota(16, 0))});
  ASSERT_EQ(results.size(), 1u);
  expectNear(results[0], tensor({1, 1, 2, 2}, {5, 7, 13, 15}));
}

TEST_F(ReferenceTest, MaxPoolPaddingNeverWins) {
  // x = -(1..9) in 3x3, 3x3 window, padding 1: every window's max is its
  // top-left-most input element, never the (zero) padding:
  // y[i][j] = x[max(i-1,0)][max(j-1,0)].
  std::vector<float> x = iota(9);
  for (float &v : x)
    v = -v;
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32> {
      %y = dyconv.max_pool2d %x {kernel_size = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>}
          : (tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
      return %y : tensor<1x1x3x3xf32>
    })mlir",
                       {tensor({1, 1, 3, 3}, x)});
  ASSERT_EQ(results.size(), 1u);
  expectNear(results[0],
             tensor({1, 1, 3, 3}, {-1, -1, -2, -1, -1, -2, -4, -4, -5}));
}

TEST_F(ReferenceTest, MaxPoolCeilMode) {
  // 5x5 input (x[i][j] = 5i + j), 2x2/2: floor mode 2x2, ceil mode 3x3 with
  // partial last windows: y[0][2] = x[1][4] = 9, y[2][0] = x[4][1] = 21,
  // y[2][2] = x[4][4] = 24.
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<1x1x5x5xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x3x3xf32>) {
      %a = dyconv.max_pool2d %x {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>}
          : (tensor<1x1x5x5xf32>) -> tensor<1x1x2x2xf32>
      %b = dyconv.max_pool2d %x {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>, ceil_mode = true}
          : (tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32>
      return %a, %b : tensor<1x1x2x2xf32>, tensor<1x1x3x3xf32>
    })mlir",
                       {tensor({1, 1, 5, 5}, iota(25, 0))});
  ASSERT_EQ(results.size(), 2u);
  expectNear(results[0], tensor({1, 1, 2, 2}, {6, 8, 16, 18}));
  expectNear(results[1],
             tensor({1, 1, 3, 3}, {6, 8, 9, 16, 18, 19, 21, 23, 24}));
}

TEST_F(ReferenceTest, MaxPoolCeilModeDropsWindowInPadding) {
  // 5 wide, window 2, stride 2, padding 1, ceil mode: ceil((5+2-1-1)/2)+1 = 4
  // windows, but the 4th would start at 6-1 = 5, in the right padding, so
  // there are 3 (PyTorch). Windows cover rows/cols {0}, {1,2}, {3,4}; with
  // x[i][j] = 5i + j the maxima are 5*{0,2,4} + {0,2,4}.
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32> {
      %y = dyconv.max_pool2d %x {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>,
                                 padding = array<i64: 1, 1, 1, 1>, ceil_mode = true}
          : (tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32>
      return %y : tensor<1x1x3x3xf32>
    })mlir",
                       {tensor({1, 1, 5, 5}, iota(25, 0))});
  ASSERT_EQ(results.size(), 1u);
  expectNear(results[0],
             tensor({1, 1, 3, 3}, {0, 2, 4, 10, 12, 14, 20, 22, 24}));
}

TEST_F(ReferenceTest, MaxPoolDilation) {
  // Row (3,1,4,1,5), window 1x2 with dilation 2 pairs (j, j+2):
  // max(3,4) = 4, max(1,1) = 1, max(4,5) = 5.
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<1x1x1x5xf32>) -> tensor<1x1x1x3xf32> {
      %y = dyconv.max_pool2d %x {kernel_size = array<i64: 1, 2>, dilation = array<i64: 1, 2>}
          : (tensor<1x1x1x5xf32>) -> tensor<1x1x1x3xf32>
      return %y : tensor<1x1x1x3xf32>
    })mlir",
                       {tensor({1, 1, 1, 5}, {3, 1, 4, 1, 5})});
  ASSERT_EQ(results.size(), 1u);
  expectNear(results[0], tensor({1, 1, 1, 3}, {4, 1, 5}));
}

TEST_F(ReferenceTest, AvgPoolCountIncludePad) {
  // x = 1..9 (3x3), 3x3 window, stride 1, padding 1.
  // Excluding padding: corner (1+2+4+5)/4 = 3, edge (1+..+6)/6 = 3.5, centre 5.
  // Including padding: every divisor is 9: corner 12/9, edge 21/9, centre 5.
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<1x1x3x3xf32>) -> (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) {
      %a = dyconv.avg_pool2d %x {kernel_size = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>}
          : (tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
      %b = dyconv.avg_pool2d %x {kernel_size = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, count_include_pad = true}
          : (tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
      return %a, %b : tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>
    })mlir",
                       {tensor({1, 1, 3, 3}, iota(9))});
  ASSERT_EQ(results.size(), 2u);
  expectNear(results[0],
             tensor({1, 1, 3, 3}, {3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7}));
  expectNear(results[1],
             tensor({1, 1, 3, 3}, {12 / 9.f, 21 / 9.f, 16 / 9.f, 27 / 9.f, 5,
                                   33 / 9.f, 24 / 9.f, 39 / 9.f, 28 / 9.f}));
}

TEST_F(ReferenceTest, AvgPoolCeilModeDivisor) {
  // Row 1..6, window 3, stride 2, padding 1, ceil mode: ceil((6+2-2-1)/2)+1
  // = 4 windows starting at -1, 1, 3, 5. The last one, [5, 8), is cut at the
  // end of input+padding (7): with count_include_pad its divisor is 2, not 3
  // (PyTorch), so it gives 6/2 = 3; without, 6/1 = 6.
  // Including: (0+1+2)/3 = 1, (2+3+4)/3 = 3, (4+5+6)/3 = 5, 6/2 = 3.
  // Excluding: (1+2)/2 = 1.5, 3, 5, 6.
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<1x1x1x6xf32>) -> (tensor<1x1x1x4xf32>, tensor<1x1x1x4xf32>) {
      %a = dyconv.avg_pool2d %x {kernel_size = array<i64: 1, 3>, stride = array<i64: 1, 2>,
                                 padding = array<i64: 0, 1, 0, 1>, ceil_mode = true, count_include_pad = true}
          : (tensor<1x1x1x6xf32>) -> tensor<1x1x1x4xf32>
      %b = dyconv.avg_pool2d %x {kernel_size = array<i64: 1, 3>, stride = array<i64: 1, 2>,
                                 padding = array<i64: 0, 1, 0, 1>, ceil_mode = true}
          : (tensor<1x1x1x6xf32>) -> tensor<1x1x1x4xf32>
      return %a, %b : tensor<1x1x1x4xf32>, tensor<1x1x1x4xf32>
    })mlir",
                       {tensor({1, 1, 1, 6}, iota(6))});
  ASSERT_EQ(results.size(), 2u);
  expectNear(results[0], tensor({1, 1, 1, 4}, {1, 3, 5, 3}));
  expectNear(results[1], tensor({1, 1, 1, 4}, {1.5, 3, 5, 6}));
}

TEST_F(ReferenceTest, GlobalAvgPool) {
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<?x2x2x2xf32>) -> tensor<?x2x1x1xf32> {
      %y = dyconv.global_avg_pool %x : (tensor<?x2x2x2xf32>) -> tensor<?x2x1x1xf32>
      return %y : tensor<?x2x1x1xf32>
    })mlir",
                       {tensor({1, 2, 2, 2}, {1, 2, 3, 4, 10, 0, 0, 0})});
  ASSERT_EQ(results.size(), 1u);
  expectNear(results[0], tensor({1, 2, 1, 1}, {2.5, 2.5}));
}

//===----------------------------------------------------------------------===//
// Shape manipulation and constants
//===----------------------------------------------------------------------===//

TEST_F(ReferenceTest, FlattenReshapeConcat) {
  // The batch is dynamic (3 at run time); reshape [0, -1] keeps it.
  auto results =
      runOk(R"mlir(
    func.func @f(%x: tensor<?x4x1x1xf32>, %a: tensor<1x2x2xf32>, %b: tensor<1x1x2xf32>)
        -> (tensor<?x4xf32>, tensor<?x4xf32>, tensor<2x?xf32>, tensor<1x3x2xf32>, tensor<1x2x3xf32>) {
      %0 = dyconv.flatten %x : (tensor<?x4x1x1xf32>) -> tensor<?x4xf32>
      %1 = dyconv.reshape %x {shape = array<i64: 0, -1>} : (tensor<?x4x1x1xf32>) -> tensor<?x4xf32>
      %2 = dyconv.reshape %x {shape = array<i64: 2, -1>} : (tensor<?x4x1x1xf32>) -> tensor<2x?xf32>
      %3 = dyconv.concat %a, %b {axis = 1} : (tensor<1x2x2xf32>, tensor<1x1x2xf32>) -> tensor<1x3x2xf32>
      %4 = dyconv.concat %a, %a {axis = -1} : (tensor<1x2x2xf32>, tensor<1x2x2xf32>) -> tensor<1x2x4xf32>
      %5 = dyconv.reshape %4 {shape = array<i64: 1, 4, 2>} : (tensor<1x2x4xf32>) -> tensor<1x4x2xf32>
      %6 = dyconv.concat %a, %b {axis = 1} : (tensor<1x2x2xf32>, tensor<1x1x2xf32>) -> tensor<1x3x2xf32>
      %7 = dyconv.reshape %6 {shape = array<i64: 1, 2, 3>} : (tensor<1x3x2xf32>) -> tensor<1x2x3xf32>
      return %0, %1, %2, %3, %7 : tensor<?x4xf32>, tensor<?x4xf32>, tensor<2x?xf32>, tensor<1x3x2xf32>, tensor<1x2x3xf32>
    })mlir",
            {tensor({3, 4, 1, 1}, iota(12)), tensor({1, 2, 2}, {1, 2, 3, 4}),
             tensor({1, 1, 2}, {5, 6})});
  ASSERT_EQ(results.size(), 5u);
  expectNear(results[0], tensor({3, 4}, iota(12)));
  expectNear(results[1], tensor({3, 4}, iota(12)));
  expectNear(results[2], tensor({2, 6}, iota(12)));
  expectNear(results[3], tensor({1, 3, 2}, {1, 2, 3, 4, 5, 6}));
  expectNear(results[4], tensor({1, 2, 3}, {1, 2, 3, 4, 5, 6}));
}

TEST_F(ReferenceTest, ConcatLastAxisInterleaves) {
  auto results = runOk(R"mlir(
    func.func @f(%a: tensor<2x2xf32>, %b: tensor<2x1xf32>) -> tensor<2x3xf32> {
      %y = dyconv.concat %a, %b {axis = -1} : (tensor<2x2xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
      return %y : tensor<2x3xf32>
    })mlir",
                       {tensor({2, 2}, {1, 2, 3, 4}), tensor({2, 1}, {9, 8})});
  ASSERT_EQ(results.size(), 1u);
  expectNear(results[0], tensor({2, 3}, {1, 2, 9, 3, 4, 8}));
}

TEST_F(ReferenceTest, Constants) {
  // Dense, splat and dense_resource constants. The resource blob is hex:
  // alignment 4 (04000000), then 1.0f (0000803F) and 2.0f (00000040).
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
      %d = arith.constant dense<[3.0, -4.0]> : tensor<2xf32>
      %s = arith.constant dense<0.25> : tensor<2xf32>
      %r = arith.constant dense_resource<blob> : tensor<2xf32>
      %0 = dyconv.add %x, %d : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
      %1 = dyconv.mul %x, %s : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
      %2 = dyconv.mul %x, %r : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
      return %0, %1, %2 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
    }
    {-#
      dialect_resources: {
        builtin: {
          blob: "0x040000000000803F00000040"
        }
      }
    #-})mlir",
                       {tensor({2}, {10, 20})});
  ASSERT_EQ(results.size(), 3u);
  expectNear(results[0], tensor({2}, {13, 16}));
  expectNear(results[1], tensor({2}, {2.5, 5}));
  expectNear(results[2], tensor({2}, {10, 40}));
}

TEST_F(ReferenceTest, ReturnsAnArgumentAndAValueTwice) {
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
      %y = dyconv.relu %x : tensor<2xf32>
      return %x, %y, %y : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
    })mlir",
                       {tensor({2}, {-1, 1})});
  ASSERT_EQ(results.size(), 3u);
  expectNear(results[0], tensor({2}, {-1, 1}));
  expectNear(results[1], tensor({2}, {0, 1}));
  expectNear(results[2], tensor({2}, {0, 1}));
}

} // namespace
