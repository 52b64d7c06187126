//===- ErrorsTest.cpp - failures come with a message, never a crash ------===//

#include "ReferenceTestSupport.h"

#include "dyconv/Reference/Kernels.h"

using namespace mlir;
using namespace mlir::dyconv::reference;
using namespace mlir::dyconv::reference::test;

namespace {

const char *reluOf1x3x4x4 = R"mlir(
  func.func @f(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32> {
    %y = dyconv.relu %x : tensor<1x3x4x4xf32>
    return %y : tensor<1x3x4x4xf32>
  })mlir";

/// A fixture whose `expectRunFails` runs `source`, expects failure and a
/// diagnostic containing every one of `fragments`.
class InterpreterErrors : public ReferenceTest {
protected:
  void expectRunFails(llvm::StringRef source, std::vector<Tensor> inputs,
                      std::initializer_list<const char *> fragments) {
    EXPECT_TRUE(failed(run(source, inputs)));
    for (const char *fragment : fragments)
      EXPECT_NE(diagnostics.find(fragment), std::string::npos)
          << "missing '" << fragment << "' in:\n"
          << diagnostics;
  }
};

TEST_F(InterpreterErrors, RejectsWrongInputRank) {
  expectRunFails(reluOf1x3x4x4, {Tensor::zeros({3, 4, 4})},
                 {"input #0 has shape 3x4x4", "tensor<1x3x4x4xf32>"});
}

TEST_F(InterpreterErrors, RejectsWrongStaticDimension) {
  expectRunFails(
      reluOf1x3x4x4, {Tensor::zeros({1, 3, 5, 4})},
      {"input #0 has shape 1x3x5x4", "expects 'tensor<1x3x4x4xf32>'"});
}

TEST_F(ReferenceTest, DynamicDimensionsTakeTheRuntimeSize) {
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
      %y = dyconv.relu %x : tensor<?x3xf32>
      return %y : tensor<?x3xf32>
    })mlir",
                       {Tensor::filled({7, 3}, -1.0f)});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(formatShape(results[0].shape), "7x3");
}

TEST_F(InterpreterErrors, RejectsWrongInputCount) {
  expectRunFails(reluOf1x3x4x4, {}, {"takes 1 inputs, got 0"});
}

TEST_F(InterpreterErrors, RejectsMalformedTensor) {
  Tensor bad = tensor({1, 3, 4, 4}, {1, 2, 3});
  expectRunFails(reluOf1x3x4x4, {bad},
                 {"input #0 is malformed", "shape 1x3x4x4 with 3 values"});
}

TEST_F(InterpreterErrors, RejectsNonFiniteInput) {
  Tensor x = Tensor::zeros({1, 3, 4, 4});
  x.data[5] = std::nanf("");
  expectRunFails(reluOf1x3x4x4, {x},
                 {"input #0 holds a non-finite value", "[0, 0, 1, 1]"});
}

TEST_F(InterpreterErrors, RejectsUnsupportedOp) {
  expectRunFails(R"mlir(
    func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
      %y = arith.addf %x, %x : tensor<2xf32>
      return %y : tensor<2xf32>
    })mlir",
                 {Tensor::zeros({2})}, {"does not support 'arith.addf'"});
}

TEST_F(InterpreterErrors, RejectsFunctionWithoutBody) {
  expectRunFails(R"mlir(
    func.func private @f(tensor<2xf32>) -> tensor<2xf32>
  )mlir",
                 {Tensor::zeros({2})}, {"has no body"});
}

TEST_F(InterpreterErrors, RejectsRuntimeMismatchOfDynamicDims) {
  // The verifier cannot compare dynamic sizes; the interpreter must.
  expectRunFails(
      R"mlir(
    func.func @f(%x: tensor<?x?xf32>, %w: tensor<3x?xf32>) -> tensor<?x3xf32> {
      %y = dyconv.linear %x, %w : (tensor<?x?xf32>, tensor<3x?xf32>) -> tensor<?x3xf32>
      return %y : tensor<?x3xf32>
    })mlir",
      {Tensor::zeros({2, 4}), Tensor::zeros({3, 5})},
      {"'dyconv.linear' op input 2x4 has 4 features", "weight 3x5 expects 5"});
}

TEST_F(InterpreterErrors, RejectsKernelsForAnotherBatch) {
  expectRunFails(R"mlir(
    func.func @f(%x: tensor<?x1x2x2xf32>, %w: tensor<?x1x1x1x1xf32>) -> tensor<?x1x2x2xf32> {
      %y = dyconv.dynamic_conv2d %x, %w : (tensor<?x1x2x2xf32>, tensor<?x1x1x1x1xf32>) -> tensor<?x1x2x2xf32>
      return %y : tensor<?x1x2x2xf32>
    })mlir",
                 {Tensor::zeros({2, 1, 2, 2}), Tensor::zeros({3, 1, 1, 1, 1})},
                 {"'dyconv.dynamic_conv2d' op",
                  "holds kernels for 3 samples but input 2x1x2x2 has batch 2"});
}

TEST_F(InterpreterErrors, RejectsOverflowToInfinity) {
  expectRunFails(R"mlir(
    func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
      %c = arith.constant dense<1.0e38> : tensor<2xf32>
      %y = dyconv.mul %x, %c : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
      return %y : tensor<2xf32>
    })mlir",
                 {tensor({2}, {1, 10})},
                 {"'dyconv.mul' op produced a non-finite value",
                  "at [1] of its 2 result"});
}

TEST_F(InterpreterErrors, RejectsZeroVarianceWithoutEpsilon) {
  expectRunFails(
      R"mlir(
    func.func @f(%x: tensor<1x1x1x1xf32>, %p: tensor<1xf32>, %v: tensor<1xf32>) -> tensor<1x1x1x1xf32> {
      %y = dyconv.batch_norm %x, %p, %p, %p, %v {epsilon = 0.0 : f64}
          : (tensor<1x1x1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
      return %y : tensor<1x1x1x1xf32>
    })mlir",
      {Tensor::zeros({1, 1, 1, 1}), Tensor::zeros({1}), Tensor::zeros({1})},
      {"'dyconv.batch_norm' op variance + epsilon is not positive"});
}

TEST_F(InterpreterErrors, RejectsDegenerateFilterNormWithoutEpsilon) {
  expectRunFails(R"mlir(
    func.func @f(%x: tensor<1x2x1x1xf32>) -> tensor<1x2x1x1xf32> {
      %y = dyconv.filter_norm %x {taps = 2, epsilon = 0.0 : f64} : (tensor<1x2x1x1xf32>) -> tensor<1x2x1x1xf32>
      return %y : tensor<1x2x1x1xf32>
    })mlir",
                 {Tensor::filled({1, 2, 1, 1}, 3.0f)}, {"are all equal"});
}

TEST_F(InterpreterErrors, RejectsMaxPoolWindowOutsideInput) {
  // 2x2 input, window 2 with dilation 3 and padding 1: the only window's
  // taps are at -1 and 2, both outside the input.
  expectRunFails(R"mlir(
    func.func @f(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x1x1xf32> {
      %y = dyconv.max_pool2d %x {kernel_size = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, dilation = array<i64: 3, 3>}
          : (tensor<1x1x2x2xf32>) -> tensor<1x1x1x1xf32>
      return %y : tensor<1x1x1x1xf32>
    })mlir",
                 {Tensor::zeros({1, 1, 2, 2})}, {"covers no input element"});
}

TEST_F(InterpreterErrors, RejectsResourceWithoutData) {
  expectRunFails(R"mlir(
    func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
      %c = arith.constant dense_resource<__elided__> : tensor<2xf32>
      %y = dyconv.add %x, %c : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
      return %y : tensor<2xf32>
    })mlir",
                 {Tensor::zeros({2})}, {"'__elided__' holds no data"});
}

TEST(ReferenceKernels, ReportShapeErrorsInsteadOfReadingOutOfBounds) {
  // Called directly, the kernels check what the verifier would have.
  llvm::Expected<Tensor> conv = conv2d(
      Tensor::zeros({1, 3, 4, 4}), Tensor::zeros({2, 2, 3, 3}), nullptr, {});
  ASSERT_FALSE(static_cast<bool>(conv));
  EXPECT_NE(llvm::toString(conv.takeError()).find("1x3x4x4"),
            std::string::npos);

  llvm::Expected<Tensor> big = conv2d(Tensor::zeros({1, 1, 2, 2}),
                                      Tensor::zeros({1, 1, 3, 3}), nullptr, {});
  ASSERT_FALSE(static_cast<bool>(big));
  EXPECT_NE(llvm::toString(big.takeError()).find("does not fit"),
            std::string::npos);

  llvm::Expected<Tensor> sum = add(Tensor::zeros({2, 3}), Tensor::zeros({4}));
  ASSERT_FALSE(static_cast<bool>(sum));
  EXPECT_EQ(llvm::toString(sum.takeError()),
            "shapes 2x3 and 4 do not broadcast");

  llvm::Expected<Tensor> reshaped = reshape(Tensor::zeros({2, 3}), {4, -1});
  ASSERT_FALSE(static_cast<bool>(reshaped));
  EXPECT_NE(llvm::toString(reshaped.takeError()).find("not a multiple of 4"),
            std::string::npos);

  llvm::Expected<Tensor> filter =
      ddf(Tensor::zeros({1, 2, 5, 5}), Tensor::zeros({1, 2, 3, 3}),
          Tensor::zeros({1, 9, 3, 3}), 3, 2, 1, mlir::dyconv::DDFCombine::Mul);
  ASSERT_FALSE(static_cast<bool>(filter));
  EXPECT_NE(llvm::toString(filter.takeError()).find("must be 1x9x2x2"),
            std::string::npos);
}

} // namespace
