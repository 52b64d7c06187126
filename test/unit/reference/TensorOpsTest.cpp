//===- TensorOpsTest.cpp - the generic tensor ops on hand-computed cases --===//
//
// sub, div, abs, transpose, slice, reduce_sum, reduce_mean and matmul; every
// expected value is worked out by hand in the comment next to it.
//
//===----------------------------------------------------------------------===//

#include "ReferenceTestSupport.h"

#include "dyconv/Reference/Kernels.h"

using namespace mlir::dyconv::reference;
using namespace mlir::dyconv::reference::test;

namespace {

TEST_F(ReferenceTest, SubDivAbsBroadcast) {
  // x = [[1, -2, 3], [-4, 5, -6]], s = [2]:
  // (x - s) / s = [[-0.5, -2, 0.5], [-3, 1.5, -4]], |x| = [[1,2,3],[4,5,6]].
  auto results =
      runOk(R"mlir(
    func.func @f(%x: tensor<2x3xf32>, %s: tensor<1xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
      %d = dyconv.sub %x, %s : (tensor<2x3xf32>, tensor<1xf32>) -> tensor<2x3xf32>
      %q = dyconv.div %d, %s : (tensor<2x3xf32>, tensor<1xf32>) -> tensor<2x3xf32>
      %a = dyconv.abs %x : tensor<2x3xf32>
      return %q, %a : tensor<2x3xf32>, tensor<2x3xf32>
    })mlir",
            {tensor({2, 3}, {1, -2, 3, -4, 5, -6}), tensor({1}, {2})});
  ASSERT_EQ(results.size(), 2u);
  expectNear(results[0], tensor({2, 3}, {-0.5, -2, 0.5, -3, 1.5, -4}));
  expectNear(results[1], tensor({2, 3}, {1, 2, 3, 4, 5, 6}));
}

TEST_F(ReferenceTest, TransposeThreeAxes) {
  // x[a, b, c] = 100a + 10b + c with shape 2x3x2; perm (2, 0, 1) gives
  // y[c, a, b] = x[a, b, c]: y[0] = [[0, 10, 20], [100, 110, 120]],
  // y[1] = [[1, 11, 21], [101, 111, 121]].
  std::vector<float> x;
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 3; ++b)
      for (int c = 0; c < 2; ++c)
        x.push_back(100 * a + 10 * b + c);
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<2x3x2xf32>) -> tensor<2x2x3xf32> {
      %y = dyconv.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x2xf32>) -> tensor<2x2x3xf32>
      return %y : tensor<2x2x3xf32>
    })mlir",
                       {tensor({2, 3, 2}, x)});
  ASSERT_EQ(results.size(), 1u);
  expectNear(results[0], tensor({2, 2, 3}, {0, 10, 20, 100, 110, 120, 1, 11, 21,
                                            101, 111, 121}));
}

TEST_F(ReferenceTest, SliceDropsLastColumnAndStepsBackwards) {
  // x = [[0..4], [5..9]]: [:, 0:-1] = [[0,1,2,3],[5,6,7,8]];
  // [:, 100:-100:-2] clamps to 4, 2, 0 = [[4,2,0],[9,7,5]].
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<2x5xf32>) -> (tensor<2x4xf32>, tensor<2x3xf32>) {
      %a = dyconv.slice %x {axes = array<i64: 1>, starts = array<i64: 0>, ends = array<i64: -1>, steps = array<i64: 1>} : (tensor<2x5xf32>) -> tensor<2x4xf32>
      %b = dyconv.slice %x {axes = array<i64: -1>, starts = array<i64: 100>, ends = array<i64: -100>, steps = array<i64: -2>} : (tensor<2x5xf32>) -> tensor<2x3xf32>
      return %a, %b : tensor<2x4xf32>, tensor<2x3xf32>
    })mlir",
                       {tensor({2, 5}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})});
  ASSERT_EQ(results.size(), 2u);
  expectNear(results[0], tensor({2, 4}, {0, 1, 2, 3, 5, 6, 7, 8}));
  expectNear(results[1], tensor({2, 3}, {4, 2, 0, 9, 7, 5}));
}

TEST_F(ReferenceTest, ReduceSumAndMean) {
  // x = 1..12 as 2x3x2: sum over axis 1 (dropped) = [[1+3+5, 2+4+6],
  // [7+9+11, 8+10+12]] = [[9, 12], [27, 30]]; mean over axes (0, 2) kept =
  // [[[(1+2+7+8)/4], [(3+4+9+10)/4], [(5+6+11+12)/4]]] = [4.5, 6.5, 8.5].
  std::vector<float> x;
  for (int i = 1; i <= 12; ++i)
    x.push_back(i);
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<2x3x2xf32>) -> (tensor<2x2xf32>, tensor<1x3x1xf32>) {
      %s = dyconv.reduce_sum %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x3x2xf32>) -> tensor<2x2xf32>
      %m = dyconv.reduce_mean %x {axes = array<i64: 0, -1>} : (tensor<2x3x2xf32>) -> tensor<1x3x1xf32>
      return %s, %m : tensor<2x2xf32>, tensor<1x3x1xf32>
    })mlir",
                       {tensor({2, 3, 2}, x)});
  ASSERT_EQ(results.size(), 2u);
  expectNear(results[0], tensor({2, 2}, {9, 12, 27, 30}));
  expectNear(results[1], tensor({1, 3, 1}, {4.5, 6.5, 8.5}));
}

TEST_F(ReferenceTest, MatMulBroadcastsBatch) {
  // a = [[[1, 2]], [[3, 4]]] (2x1x2), b = [[1, 0, 2], [0, 1, 3]] (2x3, no
  // batch): rows [1, 2, 1*2+2*3 = 8] and [3, 4, 3*2+4*3 = 18].
  auto results = runOk(
      R"mlir(
    func.func @f(%a: tensor<2x1x2xf32>, %b: tensor<2x3xf32>) -> tensor<2x1x3xf32> {
      %y = dyconv.matmul %a, %b : (tensor<2x1x2xf32>, tensor<2x3xf32>) -> tensor<2x1x3xf32>
      return %y : tensor<2x1x3xf32>
    })mlir",
      {tensor({2, 1, 2}, {1, 2, 3, 4}), tensor({2, 3}, {1, 0, 2, 0, 1, 3})});
  ASSERT_EQ(results.size(), 1u);
  expectNear(results[0], tensor({2, 1, 3}, {1, 2, 8, 3, 4, 18}));
}

} // namespace
