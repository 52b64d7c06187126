//===- FoldBatchNormTest.cpp - dyconv-fold-batchnorm keeps the numbers ----===//
//
// Runs the reference interpreter on a small network before and after
// `dyconv-fold-batchnorm` and compares the outputs. The network has a conv2d
// with a bias, an ODConv layer with every attention head (so the shift must
// come after the filter attention) and a strided depthwise conv without a
// bias, each followed by a batch norm with random statistics. Its constants
// are random, written either as inline `dense` hex or as `dense_resource`
// blobs as the importer writes them.
//
//===----------------------------------------------------------------------===//

#include "dyconv/Dialect/DyConvDialect.h"
#include "dyconv/Dialect/DyConvOps.h"
#include "dyconv/Passes/Passes.h"
#include "dyconv/Reference/Interpreter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace mlir;
using namespace mlir::dyconv;

namespace {

/// Writes the text of a function whose constants are random, as inline
/// `dense<"0x...">` hex or as `dense_resource` blobs.
class ModelWriter {
public:
  ModelWriter(bool useResources, unsigned seed)
      : useResources(useResources), rng(seed) {}

  /// Emits `%name = arith.constant ...` with `shape` and values drawn
  /// uniformly from [lo, hi).
  void constant(StringRef name, ArrayRef<int64_t> shape, float lo, float hi) {
    int64_t count = 1;
    for (int64_t d : shape)
      count *= d;
    std::uniform_real_distribution<float> dist(lo, hi);
    std::vector<float> values(count);
    for (float &v : values)
      v = dist(rng);

    std::string type = "tensor<";
    for (int64_t d : shape)
      type += std::to_string(d) + "x";
    type += "f32>";
    std::string hex = hexOf(values);
    if (useResources) {
      body += ("  %" + name + " = arith.constant dense_resource<" + name +
               "> : " + type + "\n")
                  .str();
      // Resource blobs start with their alignment (4) as a little-endian i32.
      if (!resources.empty())
        resources += ",\n";
      resources += ("      " + name + ": \"0x04000000" + hex + "\"").str();
    } else {
      body += ("  %" + name + " = arith.constant dense<\"0x" + hex +
               "\"> : " + type + "\n")
                  .str();
    }
  }

  /// Emits the four parameters `<prefix>_{scale,bias,mean,var}` of a batch
  /// norm over `channels` channels, with a positive variance.
  void batchNormParams(StringRef prefix, int64_t channels) {
    constant((prefix + "_scale").str(), {channels}, 0.5f, 1.5f);
    constant((prefix + "_bias").str(), {channels}, -1.0f, 1.0f);
    constant((prefix + "_mean").str(), {channels}, -0.5f, 0.5f);
    constant((prefix + "_var").str(), {channels}, 0.5f, 1.5f);
  }

  void line(StringRef text) { body += (text + "\n").str(); }

  std::string finish(StringRef signature) const {
    std::string text = signature.str() + " {\n" + body + "}\n";
    if (useResources)
      text += "{-#\n  dialect_resources: {\n    builtin: {\n" + resources +
              "\n    }\n  }\n#-}\n";
    return text;
  }

private:
  static std::string hexOf(ArrayRef<float> values) {
    std::string bytes(values.size() * sizeof(float), '\0');
    std::memcpy(bytes.data(), values.data(), bytes.size());
    return llvm::toHex(bytes);
  }

  bool useResources;
  std::mt19937 rng;
  std::string body;
  std::string resources;
};

/// conv2d(3 -> 4, 3x3, bias) -> BN -> relu -> odconv(4 -> 4, 3x3, K = 2,
/// all heads) -> BN -> relu -> depthwise conv2d(3x3, stride 2, no bias) -> BN.
std::string writeModel(bool useResources) {
  ModelWriter w(useResources, /*seed=*/42);
  w.constant("w0", {4, 3, 3, 3}, -0.5f, 0.5f);
  w.constant("b0", {4}, -0.5f, 0.5f);
  w.batchNormParams("bn0", 4);
  w.constant("bank", {2, 4, 4, 3, 3}, -0.5f, 0.5f);
  w.constant("fc", {16, 4}, -1.0f, 1.0f);
  w.batchNormParams("abn", 16);
  w.constant("cw", {4, 16}, -1.0f, 1.0f);
  w.constant("cb", {4}, -0.5f, 0.5f);
  w.constant("fw", {4, 16}, -1.0f, 1.0f);
  w.constant("fb", {4}, -0.5f, 0.5f);
  w.constant("sw", {9, 16}, -1.0f, 1.0f);
  w.constant("sb", {9}, -0.5f, 0.5f);
  w.constant("kw", {2, 16}, -1.0f, 1.0f);
  w.constant("kb", {2}, -0.5f, 0.5f);
  w.batchNormParams("bn1", 4);
  w.constant("w2", {4, 1, 3, 3}, -0.5f, 0.5f);
  w.batchNormParams("bn2", 4);

  const char *bnType = "(tensor<?x4x6x6xf32>, tensor<4xf32>, tensor<4xf32>, "
                       "tensor<4xf32>, tensor<4xf32>) -> tensor<?x4x6x6xf32>";
  w.line("  %0 = dyconv.conv2d %x, %w0, %b0 {padding = array<i64: 1, 1, 1, "
         "1>} : (tensor<?x3x6x6xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> "
         "tensor<?x4x6x6xf32>");
  w.line(std::string("  %1 = dyconv.batch_norm %0, %bn0_scale, %bn0_bias, "
                     "%bn0_mean, %bn0_var : ") +
         bnType);
  w.line("  %2 = dyconv.relu %1 : tensor<?x4x6x6xf32>");
  w.line("  %3 = dyconv.odconv %2, %bank attention(fc(%fc) bn(%abn_scale, "
         "%abn_bias, %abn_mean, %abn_var) channel(%cw, %cb) filter(%fw, %fb) "
         "spatial(%sw, %sb) kernel(%kw, %kb)) {padding = array<i64: 1, 1, 1, "
         "1>} : (tensor<?x4x6x6xf32>, tensor<2x4x4x3x3xf32>, "
         "tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, "
         "tensor<16xf32>, tensor<4x16xf32>, tensor<4xf32>, tensor<4x16xf32>, "
         "tensor<4xf32>, tensor<9x16xf32>, tensor<9xf32>, tensor<2x16xf32>, "
         "tensor<2xf32>) -> tensor<?x4x6x6xf32>");
  w.line(std::string("  %4 = dyconv.batch_norm %3, %bn1_scale, %bn1_bias, "
                     "%bn1_mean, %bn1_var : ") +
         bnType);
  w.line("  %5 = dyconv.relu %4 : tensor<?x4x6x6xf32>");
  w.line("  %6 = dyconv.conv2d %5, %w2 {groups = 4, stride = array<i64: 2, "
         "2>, padding = array<i64: 1, 1, 1, 1>} : (tensor<?x4x6x6xf32>, "
         "tensor<4x1x3x3xf32>) -> tensor<?x4x3x3xf32>");
  w.line("  %7 = dyconv.batch_norm %6, %bn2_scale, %bn2_bias, %bn2_mean, "
         "%bn2_var {epsilon = 1.0e-3 : f64} : (tensor<?x4x3x3xf32>, "
         "tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> "
         "tensor<?x4x3x3xf32>");
  w.line("  return %7 : tensor<?x4x3x3xf32>");
  return w.finish("func.func @model(%x: tensor<?x3x6x6xf32>) -> "
                  "tensor<?x4x3x3xf32>");
}

class FoldBatchNormTest : public ::testing::TestWithParam<bool> {
protected:
  FoldBatchNormTest() {
    DialectRegistry registry;
    registry.insert<DyConvDialect, func::FuncDialect, arith::ArithDialect>();
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }

  MLIRContext context;
};

template <typename OpT> int64_t countOps(ModuleOp module) {
  int64_t count = 0;
  module.walk([&](OpT) { ++count; });
  return count;
}

TEST_P(FoldBatchNormTest, InterpreterOutputsMatch) {
  std::string text = writeModel(/*useResources=*/GetParam());
  OwningOpRef<ModuleOp> original = parseSourceString<ModuleOp>(text, &context);
  ASSERT_TRUE(original) << text;
  OwningOpRef<ModuleOp> folded = original->clone();

  PassManager pm(&context);
  pm.addNestedPass<func::FuncOp>(createFoldBatchNorm());
  ASSERT_TRUE(succeeded(pm.run(*folded)));
  // Every batch norm is folded; the one after the odconv leaves an add.
  EXPECT_EQ(countOps<BatchNormOp>(*original), 3);
  EXPECT_EQ(countOps<BatchNormOp>(*folded), 0);
  EXPECT_EQ(countOps<AddOp>(*folded), 1);

  std::mt19937 rng(7);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  reference::Tensor input = reference::Tensor::zeros({2, 3, 6, 6});
  for (float &v : input.data)
    v = dist(rng);

  auto before =
      reference::run(*original->getOps<func::FuncOp>().begin(), {input});
  auto after = reference::run(*folded->getOps<func::FuncOp>().begin(), {input});
  ASSERT_TRUE(succeeded(before));
  ASSERT_TRUE(succeeded(after));
  ASSERT_EQ(before->size(), 1u);
  ASSERT_EQ(after->size(), 1u);
  const reference::Tensor &want = before->front();
  const reference::Tensor &got = after->front();
  ASSERT_EQ(want.shape, got.shape);

  // Relative to the output's magnitude: folding reassociates f32 products.
  float scale = 0.0f;
  for (float v : want.data)
    scale = std::max(scale, std::fabs(v));
  ASSERT_GT(scale, 0.0f);
  for (size_t i = 0; i < want.data.size(); ++i)
    EXPECT_NEAR(got.data[i], want.data[i], 1e-5f * scale) << "element " << i;
}

INSTANTIATE_TEST_SUITE_P(Constants, FoldBatchNormTest,
                         ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool> &info) {
                           return info.param ? "DenseResource" : "Dense";
                         });

} // namespace
