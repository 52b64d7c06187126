//===- ShapeUtilsTest.cpp - shape arithmetic helpers ----------------------===//

#include "dyconv/Dialect/ShapeUtils.h"

#include "mlir/IR/BuiltinTypeInterfaces.h"

#include <gtest/gtest.h>

using namespace mlir::dyconv;
using mlir::ShapedType;
using Shape = llvm::SmallVector<int64_t>;

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;

TEST(ShapeUtils, SlidingWindowMatchesPyTorchConvFormula) {
  // 224 -> 112 for the ResNet stem: 7x7, stride 2, padding 3.
  EXPECT_EQ(shape::slidingWindowSize(224, 7, 2, 3, 3, 1), 112);
  // Odd input with stride 2: floor.
  EXPECT_EQ(shape::slidingWindowSize(13, 3, 2, 1, 1, 1), 7);
  EXPECT_EQ(shape::slidingWindowSize(11, 3, 2, 1, 1, 1), 6);
  // Dilation 2 widens a 3x3 kernel to 5.
  EXPECT_EQ(shape::slidingWindowSize(8, 3, 1, 0, 0, 2), 4);
  // Asymmetric padding.
  EXPECT_EQ(shape::slidingWindowSize(8, 3, 1, 0, 2, 1), 8);
}

TEST(ShapeUtils, SlidingWindowRejectsWindowsLargerThanInput) {
  EXPECT_EQ(shape::slidingWindowSize(2, 3, 1, 0, 0, 1), std::nullopt);
  EXPECT_EQ(shape::slidingWindowSize(4, 3, 1, 0, 0, 2), std::nullopt);
  EXPECT_EQ(shape::slidingWindowSize(3, 3, 1, 0, 0, 1), 1);
}

TEST(ShapeUtils, SlidingWindowCeilModeDropsWindowsStartingInPadding) {
  // PyTorch: MaxPool2d(3, 2, ceil_mode=True) on 112 -> 56, on 6 -> 3.
  EXPECT_EQ(shape::slidingWindowSize(112, 3, 2, 0, 0, 1, true), 56);
  EXPECT_EQ(shape::slidingWindowSize(6, 3, 2, 0, 0, 1, true), 3);
  EXPECT_EQ(shape::slidingWindowSize(6, 3, 2, 0, 0, 1, false), 2);
  // With padding 1 the last window would start in the right padding.
  EXPECT_EQ(shape::slidingWindowSize(5, 2, 2, 1, 1, 1, true), 3);
}

TEST(ShapeUtils, SlidingWindowKeepsDynamicSizes) {
  EXPECT_EQ(shape::slidingWindowSize(kDyn, 3, 2, 1, 1, 1), kDyn);
}

TEST(ShapeUtils, BroadcastFollowsNumPy) {
  auto result = shape::broadcast({kDyn, 16, 8, 8}, {kDyn, 16, 1, 1});
  ASSERT_TRUE(static_cast<bool>(result));
  EXPECT_EQ(*result, Shape({kDyn, 16, 8, 8}));

  result = shape::broadcast({4, 1, 3}, {5, 1});
  ASSERT_TRUE(static_cast<bool>(result));
  EXPECT_EQ(*result, Shape({4, 5, 3}));

  // A dynamic size meeting a static one (other than 1) must equal it.
  result = shape::broadcast({kDyn, 3}, {2, 3});
  ASSERT_TRUE(static_cast<bool>(result));
  EXPECT_EQ(*result, Shape({2, 3}));
}

TEST(ShapeUtils, BroadcastErrorNamesBothShapes) {
  auto result = shape::broadcast({2, 3}, {4, 3});
  ASSERT_FALSE(static_cast<bool>(result));
  EXPECT_EQ(llvm::toString(result.takeError()),
            "shapes 2x3 and 4x3 do not broadcast (dimension 0: 2 vs 4)");
}

TEST(ShapeUtils, ReshapeCopiesZerosAndInfersMinusOne) {
  auto result = shape::reshape({2, 16, 1, 1}, {0, -1});
  ASSERT_TRUE(static_cast<bool>(result));
  EXPECT_EQ(*result, Shape({2, 16}));

  // A dynamic batch kept by 0 does not hide the inferred size.
  result = shape::reshape({kDyn, 16, 1, 1}, {0, -1});
  ASSERT_TRUE(static_cast<bool>(result));
  EXPECT_EQ(*result, Shape({kDyn, 16}));

  // A dynamic dimension that is folded away leaves -1 unknown.
  result = shape::reshape({kDyn, 16}, {-1});
  ASSERT_TRUE(static_cast<bool>(result));
  EXPECT_EQ(*result, Shape({kDyn}));
}

TEST(ShapeUtils, ReshapeRejectsBadSpecs) {
  auto expectError = [](Shape input, Shape spec, const char *message) {
    auto result = shape::reshape(input, spec);
    ASSERT_FALSE(static_cast<bool>(result));
    EXPECT_EQ(llvm::toString(result.takeError()), message);
  };
  expectError({2, 3}, {-1, -1},
              "cannot reshape 2x3 to [-1, -1]: more than one entry is -1");
  expectError({2, 3}, {4, 2},
              "cannot reshape 2x3 to [4, 2]: the element counts differ");
  expectError({2, 3}, {4, -1},
              "cannot reshape 2x3 to [4, -1]: the element count is not a "
              "multiple of 4");
  expectError({6}, {0, 0, 6},
              "cannot reshape 6 to [0, 0, 6]: entry 1 copies a dimension the "
              "input does not have");
}

TEST(ShapeUtils, ProductAndAxis) {
  EXPECT_EQ(shape::product({2, 3, 4}), 24);
  EXPECT_EQ(shape::product({}), 1);
  EXPECT_EQ(shape::product({2, kDyn}), kDyn);
  EXPECT_EQ(shape::normalizeAxis(-1, 4), 3);
  EXPECT_EQ(shape::normalizeAxis(4, 4), std::nullopt);
  EXPECT_EQ(shape::normalizeAxis(-5, 4), std::nullopt);
  EXPECT_EQ(shape::format({kDyn, 3, 7}), "?x3x7");
}

} // namespace
