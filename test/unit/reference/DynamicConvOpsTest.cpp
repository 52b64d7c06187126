//===- DynamicConvOpsTest.cpp - dynamic_conv2d, odconv, KW, DDF -----------===//
//
// Hand-computed cases, and identities against the interpreter's own simpler
// ops on the same IR (e.g. ODConv written out as linear/batch_norm/sigmoid/
// softmax/mul/dynamic_conv2d), so that each fused op is checked against an
// independent code path.
//
//===----------------------------------------------------------------------===//

#include "ReferenceTestSupport.h"

using namespace mlir::dyconv::reference;
using namespace mlir::dyconv::reference::test;

namespace {

/// Replaces every `{name}` in `text` by `value`.
std::string substitute(
    std::string text,
    std::initializer_list<std::pair<std::string, std::string>> replacements) {
  for (const auto &[name, value] : replacements) {
    std::string key = "{" + name + "}";
    for (size_t at = text.find(key); at != std::string::npos;
         at = text.find(key, at + value.size()))
      text.replace(at, key.size(), value);
  }
  return text;
}

//===----------------------------------------------------------------------===//
// dynamic_conv2d
//===----------------------------------------------------------------------===//

TEST_F(ReferenceTest, DynamicConvWithEqualKernelsIsConv2D) {
  // Groups 2, stride (2,1), asymmetric padding, dilation (1,2), bias; both
  // samples get the same kernel, so the result must equal conv2d exactly.
  Tensor x = randomTensor({2, 4, 7, 6}, 1);
  Tensor w = randomTensor({6, 2, 3, 3}, 2);
  Tensor b = randomTensor({6}, 3);
  Tensor perSample = Tensor::zeros({2, 6, 2, 3, 3});
  for (size_t i = 0; i < perSample.data.size(); ++i)
    perSample.data[i] = w.data[i % w.data.size()];
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<?x4x7x6xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>, %ws: tensor<?x6x2x3x3xf32>)
        -> (tensor<?x6x4x4xf32>, tensor<?x6x4x4xf32>) {
      %y = dyconv.conv2d %x, %w, %b {groups = 2, stride = array<i64: 2, 1>, padding = array<i64: 1, 2, 1, 0>, dilation = array<i64: 1, 2>}
          : (tensor<?x4x7x6xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<?x6x4x4xf32>
      %z = dyconv.dynamic_conv2d %x, %ws, %b {groups = 2, stride = array<i64: 2, 1>, padding = array<i64: 1, 2, 1, 0>, dilation = array<i64: 1, 2>}
          : (tensor<?x4x7x6xf32>, tensor<?x6x2x3x3xf32>, tensor<6xf32>) -> tensor<?x6x4x4xf32>
      return %y, %z : tensor<?x6x4x4xf32>, tensor<?x6x4x4xf32>
    })mlir",
                       {x, w, b, perSample});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(formatShape(results[0].shape), "2x6x4x4");
  expectNear(results[1], results[0], 0.0);
}

TEST_F(ReferenceTest, DynamicConvUsesEachSamplesKernel) {
  // 1x1 kernels: sample 0 doubles, sample 1 negates its single channel.
  auto results = runOk(
      R"mlir(
    func.func @f(%x: tensor<2x1x1x2xf32>, %w: tensor<2x1x1x1x1xf32>) -> tensor<2x1x1x2xf32> {
      %y = dyconv.dynamic_conv2d %x, %w : (tensor<2x1x1x2xf32>, tensor<2x1x1x1x1xf32>) -> tensor<2x1x1x2xf32>
      return %y : tensor<2x1x1x2xf32>
    })mlir",
      {tensor({2, 1, 1, 2}, {1, 2, 3, 4}), tensor({2, 1, 1, 1, 1}, {2, -1})});
  ASSERT_EQ(results.size(), 1u);
  expectNear(results[0], tensor({2, 1, 1, 2}, {2, 4, -3, -4}));
}

//===----------------------------------------------------------------------===//
// odconv
//===----------------------------------------------------------------------===//

/// The attention parameters of a layer with Cin inputs, Cout outputs, k*k
/// taps, K kernels and width A, with positive BN variances.
struct ODConvCase {
  Tensor x, fc, bnScale, bnBias, bnMean, bnVar, cw, cb, fw, fb, sw, sb, kw, kb;
  ODConvCase(int64_t n, int64_t cin, int64_t h, int64_t w, int64_t cout,
             int64_t taps, int64_t kernels, int64_t width, uint32_t seed)
      : x(randomTensor({n, cin, h, w}, seed)),
        fc(randomTensor({width, cin}, seed + 1)),
        bnScale(randomTensor({width}, seed + 2, 0.5, 1.5)),
        bnBias(randomTensor({width}, seed + 3)),
        bnMean(randomTensor({width}, seed + 4, -0.2, 0.2)),
        bnVar(randomTensor({width}, seed + 5, 0.5, 1.5)),
        cw(randomTensor({cin, width}, seed + 6)),
        cb(randomTensor({cin}, seed + 7)),
        fw(randomTensor({cout, width}, seed + 8)),
        fb(randomTensor({cout}, seed + 9)),
        sw(randomTensor({taps, width}, seed + 10)),
        sb(randomTensor({taps}, seed + 11)),
        kw(randomTensor({kernels, width}, seed + 12)),
        kb(randomTensor({kernels}, seed + 13)) {}
};

TEST_F(ReferenceTest, ODConvAllHeadsMatchesDecomposition) {
  // Cin 4 -> Cout 6, groups 2, k 3, K 2, A 3, temperature 2, BN epsilon 1e-3,
  // stride (2,1), padding (1,2,1,0), dilation (1,2): 7x6 -> 4x4.
  // The second result spells out spec §1.2-1.4 with plain ops:
  //   ch/fil/sp = sigmoid(linear(h)/T), ker = softmax(linear(h)/T),
  //   W_b = sp_b * (ker_b0 * bank0 + ker_b1 * bank1),
  //   y = fil * dynamic_conv2d(x * ch, W).
  ODConvCase c(2, 4, 7, 6, 6, 9, 2, 3, 100);
  Tensor bank0 = randomTensor({1, 6, 2, 3, 3}, 200);
  Tensor bank1 = randomTensor({1, 6, 2, 3, 3}, 201);
  auto results =
      runOk(R"mlir(
    func.func @f(%x: tensor<?x4x7x6xf32>, %bank0: tensor<1x6x2x3x3xf32>, %bank1: tensor<1x6x2x3x3xf32>,
                 %fc: tensor<3x4xf32>, %bs: tensor<3xf32>, %bb: tensor<3xf32>, %bm: tensor<3xf32>, %bv: tensor<3xf32>,
                 %cw: tensor<4x3xf32>, %cb: tensor<4xf32>, %fw: tensor<6x3xf32>, %fb: tensor<6xf32>,
                 %sw: tensor<9x3xf32>, %sb: tensor<9xf32>, %kw: tensor<2x3xf32>, %kb: tensor<2xf32>)
        -> (tensor<?x6x4x4xf32>, tensor<?x6x4x4xf32>) {
      %bank = dyconv.concat %bank0, %bank1 {axis = 0} : (tensor<1x6x2x3x3xf32>, tensor<1x6x2x3x3xf32>) -> tensor<2x6x2x3x3xf32>
      %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bs, %bb, %bm, %bv) channel(%cw, %cb)
              filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb))
              {stride = array<i64: 2, 1>, padding = array<i64: 1, 2, 1, 0>, dilation = array<i64: 1, 2>, groups = 2,
               temperature = 2.0 : f64, bn_epsilon = 1.0e-3 : f64}
          : (tensor<?x4x7x6xf32>, tensor<2x6x2x3x3xf32>, tensor<3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>,
             tensor<3xf32>, tensor<4x3xf32>, tensor<4xf32>, tensor<6x3xf32>, tensor<6xf32>, tensor<9x3xf32>,
             tensor<9xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<?x6x4x4xf32>

      %gap = dyconv.global_avg_pool %x : (tensor<?x4x7x6xf32>) -> tensor<?x4x1x1xf32>
      %a = dyconv.flatten %gap : (tensor<?x4x1x1xf32>) -> tensor<?x4xf32>
      %z = dyconv.linear %a, %fc : (tensor<?x4xf32>, tensor<3x4xf32>) -> tensor<?x3xf32>
      %zn = dyconv.batch_norm %z, %bs, %bb, %bm, %bv {epsilon = 1.0e-3 : f64}
          : (tensor<?x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
      %h = dyconv.relu %zn : tensor<?x3xf32>
      %inv_t = arith.constant dense<0.5> : tensor<1xf32>
      %cl = dyconv.linear %h, %cw, %cb : (tensor<?x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<?x4xf32>
      %clt = dyconv.mul %cl, %inv_t : (tensor<?x4xf32>, tensor<1xf32>) -> tensor<?x4xf32>
      %ch = dyconv.sigmoid %clt : tensor<?x4xf32>
      %fl = dyconv.linear %h, %fw, %fb : (tensor<?x3xf32>, tensor<6x3xf32>, tensor<6xf32>) -> tensor<?x6xf32>
      %flt = dyconv.mul %fl, %inv_t : (tensor<?x6xf32>, tensor<1xf32>) -> tensor<?x6xf32>
      %fil = dyconv.sigmoid %flt : tensor<?x6xf32>
      %sl = dyconv.linear %h, %sw, %sb : (tensor<?x3xf32>, tensor<9x3xf32>, tensor<9xf32>) -> tensor<?x9xf32>
      %slt = dyconv.mul %sl, %inv_t : (tensor<?x9xf32>, tensor<1xf32>) -> tensor<?x9xf32>
      %sp = dyconv.sigmoid %slt : tensor<?x9xf32>
      %kl = dyconv.linear %h, %kw, %kb : (tensor<?x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<?x2xf32>
      %klt = dyconv.mul %kl, %inv_t : (tensor<?x2xf32>, tensor<1xf32>) -> tensor<?x2xf32>
      %ker = dyconv.softmax %klt {axis = 1} : tensor<?x2xf32>

      %sel0 = arith.constant dense<[[1.0, 0.0]]> : tensor<1x2xf32>
      %sel1 = arith.constant dense<[[0.0, 1.0]]> : tensor<1x2xf32>
      %k0 = dyconv.linear %ker, %sel0 : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x1xf32>
      %k1 = dyconv.linear %ker, %sel1 : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x1xf32>
      %k0r = dyconv.reshape %k0 {shape = array<i64: 0, 1, 1, 1, 1>} : (tensor<?x1xf32>) -> tensor<?x1x1x1x1xf32>
      %k1r = dyconv.reshape %k1 {shape = array<i64: 0, 1, 1, 1, 1>} : (tensor<?x1xf32>) -> tensor<?x1x1x1x1xf32>
      %w0 = dyconv.mul %k0r, %bank0 : (tensor<?x1x1x1x1xf32>, tensor<1x6x2x3x3xf32>) -> tensor<?x6x2x3x3xf32>
      %w1 = dyconv.mul %k1r, %bank1 : (tensor<?x1x1x1x1xf32>, tensor<1x6x2x3x3xf32>) -> tensor<?x6x2x3x3xf32>
      %wsum = dyconv.add %w0, %w1 : (tensor<?x6x2x3x3xf32>, tensor<?x6x2x3x3xf32>) -> tensor<?x6x2x3x3xf32>
      %spr = dyconv.reshape %sp {shape = array<i64: 0, 1, 1, 3, 3>} : (tensor<?x9xf32>) -> tensor<?x1x1x3x3xf32>
      %w = dyconv.mul %wsum, %spr : (tensor<?x6x2x3x3xf32>, tensor<?x1x1x3x3xf32>) -> tensor<?x6x2x3x3xf32>
      %chr = dyconv.reshape %ch {shape = array<i64: 0, 4, 1, 1>} : (tensor<?x4xf32>) -> tensor<?x4x1x1xf32>
      %xs = dyconv.mul %x, %chr : (tensor<?x4x7x6xf32>, tensor<?x4x1x1xf32>) -> tensor<?x4x7x6xf32>
      %y0 = dyconv.dynamic_conv2d %xs, %w {stride = array<i64: 2, 1>, padding = array<i64: 1, 2, 1, 0>, dilation = array<i64: 1, 2>, groups = 2}
          : (tensor<?x4x7x6xf32>, tensor<?x6x2x3x3xf32>) -> tensor<?x6x4x4xf32>
      %filr = dyconv.reshape %fil {shape = array<i64: 0, 6, 1, 1>} : (tensor<?x6xf32>) -> tensor<?x6x1x1xf32>
      %ref = dyconv.mul %y0, %filr : (tensor<?x6x4x4xf32>, tensor<?x6x1x1xf32>) -> tensor<?x6x4x4xf32>
      return %y, %ref : tensor<?x6x4x4xf32>, tensor<?x6x4x4xf32>
    })mlir",
            {c.x, bank0, bank1, c.fc, c.bnScale, c.bnBias, c.bnMean, c.bnVar,
             c.cw, c.cb, c.fw, c.fb, c.sw, c.sb, c.kw, c.kb});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(formatShape(results[0].shape), "2x6x4x4");
  expectNear(results[0], results[1], 1e-5);
}

TEST_F(ReferenceTest, ODConvPointwiseSingleKernelIsScaledConv2D) {
  // k = 1, K = 1 (the pw1x path, spec §1.5): only the channel and filter
  // heads; y = conv2d(x * ch, weight[0]) * fil with groups 2 and stride 2.
  ODConvCase c(3, 4, 5, 5, 6, 1, 1, 3, 300);
  Tensor bank = randomTensor({1, 6, 2, 1, 1}, 400);
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<?x4x5x5xf32>, %bank: tensor<1x6x2x1x1xf32>,
                 %fc: tensor<3x4xf32>, %bs: tensor<3xf32>, %bb: tensor<3xf32>, %bm: tensor<3xf32>, %bv: tensor<3xf32>,
                 %cw: tensor<4x3xf32>, %cb: tensor<4xf32>, %fw: tensor<6x3xf32>, %fb: tensor<6xf32>)
        -> (tensor<?x6x3x3xf32>, tensor<?x6x3x3xf32>) {
      %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bs, %bb, %bm, %bv) channel(%cw, %cb) filter(%fw, %fb))
              {stride = array<i64: 2, 2>, groups = 2}
          : (tensor<?x4x5x5xf32>, tensor<1x6x2x1x1xf32>, tensor<3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>,
             tensor<3xf32>, tensor<4x3xf32>, tensor<4xf32>, tensor<6x3xf32>, tensor<6xf32>) -> tensor<?x6x3x3xf32>

      %gap = dyconv.global_avg_pool %x : (tensor<?x4x5x5xf32>) -> tensor<?x4x1x1xf32>
      %a = dyconv.flatten %gap : (tensor<?x4x1x1xf32>) -> tensor<?x4xf32>
      %z = dyconv.linear %a, %fc : (tensor<?x4xf32>, tensor<3x4xf32>) -> tensor<?x3xf32>
      %zn = dyconv.batch_norm %z, %bs, %bb, %bm, %bv
          : (tensor<?x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
      %h = dyconv.relu %zn : tensor<?x3xf32>
      %cl = dyconv.linear %h, %cw, %cb : (tensor<?x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<?x4xf32>
      %ch = dyconv.sigmoid %cl : tensor<?x4xf32>
      %fl = dyconv.linear %h, %fw, %fb : (tensor<?x3xf32>, tensor<6x3xf32>, tensor<6xf32>) -> tensor<?x6xf32>
      %fil = dyconv.sigmoid %fl : tensor<?x6xf32>
      %chr = dyconv.reshape %ch {shape = array<i64: 0, 4, 1, 1>} : (tensor<?x4xf32>) -> tensor<?x4x1x1xf32>
      %xs = dyconv.mul %x, %chr : (tensor<?x4x5x5xf32>, tensor<?x4x1x1xf32>) -> tensor<?x4x5x5xf32>
      %w = dyconv.reshape %bank {shape = array<i64: 6, 2, 1, 1>} : (tensor<1x6x2x1x1xf32>) -> tensor<6x2x1x1xf32>
      %y0 = dyconv.conv2d %xs, %w {stride = array<i64: 2, 2>, groups = 2}
          : (tensor<?x4x5x5xf32>, tensor<6x2x1x1xf32>) -> tensor<?x6x3x3xf32>
      %filr = dyconv.reshape %fil {shape = array<i64: 0, 6, 1, 1>} : (tensor<?x6xf32>) -> tensor<?x6x1x1xf32>
      %ref = dyconv.mul %y0, %filr : (tensor<?x6x3x3xf32>, tensor<?x6x1x1xf32>) -> tensor<?x6x3x3xf32>
      return %y, %ref : tensor<?x6x3x3xf32>, tensor<?x6x3x3xf32>
    })mlir",
                       {c.x, bank, c.fc, c.bnScale, c.bnBias, c.bnMean, c.bnVar,
                        c.cw, c.cb, c.fw, c.fb});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(formatShape(results[0].shape), "3x6x3x3");
  expectNear(results[0], results[1], 1e-5);
}

TEST_F(ReferenceTest, ODConvDepthwiseHasNoFilterHead) {
  // Cin == groups == Cout = 4, k = 3, K = 1: channel and spatial heads only;
  // y = depthwise dynamic_conv2d(x * ch, sp * weight[0]).
  ODConvCase c(2, 4, 5, 6, 4, 9, 1, 3, 500);
  Tensor bank = randomTensor({1, 4, 1, 3, 3}, 600);
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<?x4x5x6xf32>, %bank: tensor<1x4x1x3x3xf32>,
                 %fc: tensor<3x4xf32>, %bs: tensor<3xf32>, %bb: tensor<3xf32>, %bm: tensor<3xf32>, %bv: tensor<3xf32>,
                 %cw: tensor<4x3xf32>, %cb: tensor<4xf32>, %sw: tensor<9x3xf32>, %sb: tensor<9xf32>)
        -> (tensor<?x4x5x6xf32>, tensor<?x4x5x6xf32>) {
      %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bs, %bb, %bm, %bv) channel(%cw, %cb) spatial(%sw, %sb))
              {padding = array<i64: 1, 1, 1, 1>, groups = 4}
          : (tensor<?x4x5x6xf32>, tensor<1x4x1x3x3xf32>, tensor<3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>,
             tensor<3xf32>, tensor<4x3xf32>, tensor<4xf32>, tensor<9x3xf32>, tensor<9xf32>) -> tensor<?x4x5x6xf32>

      %gap = dyconv.global_avg_pool %x : (tensor<?x4x5x6xf32>) -> tensor<?x4x1x1xf32>
      %a = dyconv.flatten %gap : (tensor<?x4x1x1xf32>) -> tensor<?x4xf32>
      %z = dyconv.linear %a, %fc : (tensor<?x4xf32>, tensor<3x4xf32>) -> tensor<?x3xf32>
      %zn = dyconv.batch_norm %z, %bs, %bb, %bm, %bv
          : (tensor<?x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
      %h = dyconv.relu %zn : tensor<?x3xf32>
      %cl = dyconv.linear %h, %cw, %cb : (tensor<?x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<?x4xf32>
      %ch = dyconv.sigmoid %cl : tensor<?x4xf32>
      %sl = dyconv.linear %h, %sw, %sb : (tensor<?x3xf32>, tensor<9x3xf32>, tensor<9xf32>) -> tensor<?x9xf32>
      %sp = dyconv.sigmoid %sl : tensor<?x9xf32>
      %spr = dyconv.reshape %sp {shape = array<i64: 0, 1, 1, 3, 3>} : (tensor<?x9xf32>) -> tensor<?x1x1x3x3xf32>
      %w = dyconv.mul %bank, %spr : (tensor<1x4x1x3x3xf32>, tensor<?x1x1x3x3xf32>) -> tensor<?x4x1x3x3xf32>
      %chr = dyconv.reshape %ch {shape = array<i64: 0, 4, 1, 1>} : (tensor<?x4xf32>) -> tensor<?x4x1x1xf32>
      %xs = dyconv.mul %x, %chr : (tensor<?x4x5x6xf32>, tensor<?x4x1x1xf32>) -> tensor<?x4x5x6xf32>
      %ref = dyconv.dynamic_conv2d %xs, %w {padding = array<i64: 1, 1, 1, 1>, groups = 4}
          : (tensor<?x4x5x6xf32>, tensor<?x4x1x3x3xf32>) -> tensor<?x4x5x6xf32>
      return %y, %ref : tensor<?x4x5x6xf32>, tensor<?x4x5x6xf32>
    })mlir",
                       {c.x, bank, c.fc, c.bnScale, c.bnBias, c.bnMean, c.bnVar,
                        c.cw, c.cb, c.sw, c.sb});
  ASSERT_EQ(results.size(), 2u);
  expectNear(results[0], results[1], 1e-5);
}

//===----------------------------------------------------------------------===//
// kw_attention
//===----------------------------------------------------------------------===//

// The input of the batch-norm cases: channel means (1, 2). With fc1 = I,
// BN(mean (0, 3), var 1, epsilon 0) gives (1, -1) and ReLU h = (1, 0), so
// fc2 contributes its first column.
const char *kwBatchNormInput = R"mlir(
    %x: tensor<1x2x2x2xf32>, %fc1: tensor<2x2xf32>, %s: tensor<2xf32>, %b: tensor<2xf32>,
    %m: tensor<2xf32>, %v: tensor<2xf32>)mlir";

std::vector<Tensor> kwBatchNormInputs() {
  return {tensor({1, 2, 2, 2}, {0, 2, 1, 1, 2, 2, 2, 2}),
          tensor({2, 2}, {1, 0, 0, 1}),
          tensor({2}, {1, 1}),
          tensor({2}, {0, 0}),
          tensor({2}, {0, 3}),
          tensor({2}, {1, 1})};
}

TEST_F(ReferenceTest, KWAttentionPlainBatchNorm) {
  // n = 2, M = 2: logits mixture-major, 3 per mixture (the last the zero cell).
  // m0: (2, -1, 1.5) -> (2, -1) / (4.5 + 1e-3); m1: (0, 3, -1) -> (0, 3)
  // / 4.001.
  std::vector<Tensor> inputs = kwBatchNormInputs();
  inputs.push_back(tensor({6, 2}, {2, 0, -1, 0, 1, 0, 0, 5, 3, 0, 0, 0}));
  inputs.push_back(tensor({6}, {0, 0, 0.5, 0, 0, -1}));
  auto results = runOk(substitute(R"mlir(
    func.func @f({args}, %fc2: tensor<6x2xf32>, %b2: tensor<6xf32>) -> tensor<1x2x2xf32> {
      %c = dyconv.kw_attention %x fc1(%fc1) norm(%s, %b, %m, %v) fc2(%fc2, %b2)
          {num_mixtures = 2, num_cells = 2, norm_epsilon = 0.0 : f64}
          : (tensor<1x2x2x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>,
             tensor<6x2xf32>, tensor<6xf32>) -> tensor<1x2x2xf32>
      return %c : tensor<1x2x2xf32>
    })mlir",
                                  {{"args", kwBatchNormInput}}),
                       inputs);
  ASSERT_EQ(results.size(), 1u);
  expectNear(results[0], tensor({1, 2, 2}, {float(2 / 4.501), float(-1 / 4.501),
                                            0, float(3 / 4.001)}));
}

TEST_F(ReferenceTest, KWAttentionLayerNormOnRank2Input) {
  // A KWLinear input [N, Cin]: the "spatial mean" is the input itself.
  // z = I*(1,2) + (0,1) = (1,3); LayerNorm (epsilon 0): (-1, 1); scale 2,
  // bias (0, 0.5): (-2, 2.5); ReLU: (0, 2.5). fc2 = [[0,1],[0,-2],[1,1]]:
  // logits (2.5, -5, 2.5) -> (2.5, -5) / 10.001.
  auto results =
      runOk(R"mlir(
    func.func @f(%x: tensor<1x2xf32>, %fc1: tensor<2x2xf32>, %b1: tensor<2xf32>, %s: tensor<2xf32>,
                 %b: tensor<2xf32>, %fc2: tensor<3x2xf32>, %b2: tensor<3xf32>) -> tensor<1x1x2xf32> {
      %c = dyconv.kw_attention %x fc1(%fc1, %b1) norm(%s, %b) fc2(%fc2, %b2)
          {num_mixtures = 1, num_cells = 2, norm_epsilon = 0.0 : f64}
          : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>,
             tensor<3x2xf32>, tensor<3xf32>) -> tensor<1x1x2xf32>
      return %c : tensor<1x1x2xf32>
    })mlir",
            {tensor({1, 2}, {1, 2}), tensor({2, 2}, {1, 0, 0, 1}),
             tensor({2}, {0, 1}), tensor({2}, {2, 2}), tensor({2}, {0, 0.5}),
             tensor({3, 2}, {0, 1, 0, -2, 1, 1}), tensor({3}, {0, 0, 0})});
  ASSERT_EQ(results.size(), 1u);
  expectNear(results[0],
             tensor({1, 1, 2}, {float(2.5 / 10.001), float(-5 / 10.001)}));
}

TEST_F(ReferenceTest, KWAttentionNonlocalBasis) {
  // n = 1, M = 4, fc3 [3, 2] so L = 1 local cell and Nb = 2 basis logits;
  // fc2 has 1*(1+2+1) = 4 rows. With h = (1, 0): r = (7 | 1, 2 | -3):
  // local 7, basis (1, 2), zero -3; nonlocal = fc3 @ (1, 2) = (1, 2, 3).
  // start 1: row (1, 7, 2, 3, -3); start 3: (1, 2, 3, 7, -3). basis_bias adds
  // 0.5 to entry 3: (1, 7, 2, 3.5, -3) and (1, 2, 3, 7.5, -3). Sum |row| =
  // 16.5, + 1e-3.
  std::vector<Tensor> inputs = kwBatchNormInputs();
  inputs.push_back(tensor({4, 2}, {7, 0, 1, 0, 2, 0, -3, 0}));
  inputs.push_back(tensor({3, 2}, {1, 0, 0, 1, 1, 1}));
  inputs.push_back(tensor({5}, {0, 0, 0, 0.5, 0}));
  auto results = runOk(substitute(R"mlir(
    func.func @f({args}, %fc2: tensor<4x2xf32>, %fc3: tensor<3x2xf32>, %bb: tensor<5xf32>)
        -> (tensor<1x1x4xf32>, tensor<1x1x4xf32>) {
      %c1 = dyconv.kw_attention %x fc1(%fc1) norm(%s, %b, %m, %v) fc2(%fc2) nonlocal(%fc3, %bb)
          {num_mixtures = 1, num_cells = 4, start_cell = 1, norm_epsilon = 0.0 : f64}
          : (tensor<1x2x2x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>,
             tensor<4x2xf32>, tensor<3x2xf32>, tensor<5xf32>) -> tensor<1x1x4xf32>
      %c3 = dyconv.kw_attention %x fc1(%fc1) norm(%s, %b, %m, %v) fc2(%fc2) nonlocal(%fc3, %bb)
          {num_mixtures = 1, num_cells = 4, start_cell = 3, norm_epsilon = 0.0 : f64}
          : (tensor<1x2x2x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>,
             tensor<4x2xf32>, tensor<3x2xf32>, tensor<5xf32>) -> tensor<1x1x4xf32>
      return %c1, %c3 : tensor<1x1x4xf32>, tensor<1x1x4xf32>
    })mlir",
                                  {{"args", kwBatchNormInput}}),
                       inputs);
  ASSERT_EQ(results.size(), 2u);
  float d = 16.501f;
  expectNear(results[0], tensor({1, 1, 4}, {1 / d, 7 / d, 2 / d, 3.5f / d}));
  expectNear(results[1], tensor({1, 1, 4}, {1 / d, 2 / d, 3 / d, 7.5f / d}));
}

//===----------------------------------------------------------------------===//
// kw_assemble
//===----------------------------------------------------------------------===//

TEST_F(ReferenceTest, KWAssembleSpatialAndOutputBlocks) {
  // Kernel 1x2 (gs = 2 spatial cells s = kx), out_blocks 2, in_blocks 1,
  // cells [co 1, ci 2]: n = 4 mixtures m = s*2 + o_blk over M = 2 cells
  // E0 = (1, 2), E1 = (10, 20). Coefficients m0 (1,0), m1 (0,1), m2 (1,1),
  // m3 (2,-1):
  //   W[o0, :, 0, kx0] = m0 -> E0 = (1, 2)      W[o1, :, 0, kx0] = m1 -> (10,
  //   20) W[o0, :, 0, kx1] = m2 -> (11, 22)         W[o1, :, 0, kx1] = m3 ->
  //   (-8, -16)
  // Flat [o][i][0][kx]: 1 11 | 2 22 | 10 -8 | 20 -16.
  auto results = runOk(R"mlir(
    func.func @f(%c: tensor<1x4x2xf32>, %e: tensor<2x1x2x1x1xf32>) -> tensor<1x2x2x1x2xf32> {
      %w = dyconv.kw_assemble %c, %e {kernel_size = array<i64: 1, 2>, out_blocks = 2, in_blocks = 1}
          : (tensor<1x4x2xf32>, tensor<2x1x2x1x1xf32>) -> tensor<1x2x2x1x2xf32>
      return %w : tensor<1x2x2x1x2xf32>
    })mlir",
                       {tensor({1, 4, 2}, {1, 0, 0, 1, 1, 1, 2, -1}),
                        tensor({2, 1, 2, 1, 1}, {1, 2, 10, 20})});
  ASSERT_EQ(results.size(), 1u);
  expectNear(results[0],
             tensor({1, 2, 2, 1, 2}, {1, 11, 2, 22, 10, -8, 20, -16}));
}

TEST_F(ReferenceTest, KWAssembleInputBlocksAndWholeKernelCells) {
  // 1x1 kernel, in_blocks 2, cells [1, 1]: m = i_blk. E = (3, 5):
  // m0 (1, 1) -> 8, m1 (1, -1) -> -2, so W[0, (0, 1), 0, 0] = (8, -2).
  // Whole-kernel cells [1, 1, 2, 1] for a 2x1 kernel: E0 = (1, 2),
  // E1 = (3, 4), one mixture (0.5, 1) -> (3.5, 5).
  auto results = runOk(
      R"mlir(
    func.func @f(%c: tensor<1x2x2xf32>, %e: tensor<2x1x1x1x1xf32>, %d: tensor<1x1x2xf32>, %f: tensor<2x1x1x2x1xf32>)
        -> (tensor<1x1x2x1x1xf32>, tensor<1x1x1x2x1xf32>) {
      %w = dyconv.kw_assemble %c, %e {kernel_size = array<i64: 1, 1>, out_blocks = 1, in_blocks = 2}
          : (tensor<1x2x2xf32>, tensor<2x1x1x1x1xf32>) -> tensor<1x1x2x1x1xf32>
      %v = dyconv.kw_assemble %d, %f {kernel_size = array<i64: 2, 1>, out_blocks = 1, in_blocks = 1}
          : (tensor<1x1x2xf32>, tensor<2x1x1x2x1xf32>) -> tensor<1x1x1x2x1xf32>
      return %w, %v : tensor<1x1x2x1x1xf32>, tensor<1x1x1x2x1xf32>
    })mlir",
      {tensor({1, 2, 2}, {1, 1, 1, -1}), tensor({2, 1, 1, 1, 1}, {3, 5}),
       tensor({1, 1, 2}, {0.5, 1}), tensor({2, 1, 1, 2, 1}, {1, 2, 3, 4})});
  ASSERT_EQ(results.size(), 2u);
  expectNear(results[0], tensor({1, 1, 2, 1, 1}, {8, -2}));
  expectNear(results[1], tensor({1, 1, 1, 2, 1}, {3.5, 5}));
}

TEST_F(ReferenceTest, KWWholeKernelCellsAreAMixtureOfConvolutions) {
  // n = 1 and whole-kernel cells make KW a 2-kernel dynamic conv (spec §4):
  // conv(x, a0*E0 + a1*E1) = a0*conv(x, E0) + a1*conv(x, E1) per sample.
  Tensor x = randomTensor({2, 3, 5, 4}, 700);
  Tensor coefficients = randomTensor({2, 1, 2}, 701);
  Tensor e0 = randomTensor({2, 3, 3, 3}, 702);
  Tensor e1 = randomTensor({2, 3, 3, 3}, 703);
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<?x3x5x4xf32>, %c: tensor<?x1x2xf32>, %e0: tensor<2x3x3x3xf32>, %e1: tensor<2x3x3x3xf32>)
        -> (tensor<?x2x5x4xf32>, tensor<?x2x5x4xf32>) {
      %r0 = dyconv.reshape %e0 {shape = array<i64: 1, 2, 3, 3, 3>} : (tensor<2x3x3x3xf32>) -> tensor<1x2x3x3x3xf32>
      %r1 = dyconv.reshape %e1 {shape = array<i64: 1, 2, 3, 3, 3>} : (tensor<2x3x3x3xf32>) -> tensor<1x2x3x3x3xf32>
      %e = dyconv.concat %r0, %r1 {axis = 0} : (tensor<1x2x3x3x3xf32>, tensor<1x2x3x3x3xf32>) -> tensor<2x2x3x3x3xf32>
      %w = dyconv.kw_assemble %c, %e {kernel_size = array<i64: 3, 3>, out_blocks = 1, in_blocks = 1}
          : (tensor<?x1x2xf32>, tensor<2x2x3x3x3xf32>) -> tensor<?x2x3x3x3xf32>
      %y = dyconv.dynamic_conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>}
          : (tensor<?x3x5x4xf32>, tensor<?x2x3x3x3xf32>) -> tensor<?x2x5x4xf32>

      %c2 = dyconv.reshape %c {shape = array<i64: 0, 2>} : (tensor<?x1x2xf32>) -> tensor<?x2xf32>
      %sel0 = arith.constant dense<[[1.0, 0.0]]> : tensor<1x2xf32>
      %sel1 = arith.constant dense<[[0.0, 1.0]]> : tensor<1x2xf32>
      %a0 = dyconv.linear %c2, %sel0 : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x1xf32>
      %a1 = dyconv.linear %c2, %sel1 : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x1xf32>
      %a0r = dyconv.reshape %a0 {shape = array<i64: 0, 1, 1, 1>} : (tensor<?x1xf32>) -> tensor<?x1x1x1xf32>
      %a1r = dyconv.reshape %a1 {shape = array<i64: 0, 1, 1, 1>} : (tensor<?x1xf32>) -> tensor<?x1x1x1xf32>
      %y0 = dyconv.conv2d %x, %e0 {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x3x5x4xf32>, tensor<2x3x3x3xf32>) -> tensor<?x2x5x4xf32>
      %y1 = dyconv.conv2d %x, %e1 {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x3x5x4xf32>, tensor<2x3x3x3xf32>) -> tensor<?x2x5x4xf32>
      %s0 = dyconv.mul %y0, %a0r : (tensor<?x2x5x4xf32>, tensor<?x1x1x1xf32>) -> tensor<?x2x5x4xf32>
      %s1 = dyconv.mul %y1, %a1r : (tensor<?x2x5x4xf32>, tensor<?x1x1x1xf32>) -> tensor<?x2x5x4xf32>
      %ref = dyconv.add %s0, %s1 : (tensor<?x2x5x4xf32>, tensor<?x2x5x4xf32>) -> tensor<?x2x5x4xf32>
      return %y, %ref : tensor<?x2x5x4xf32>, tensor<?x2x5x4xf32>
    })mlir",
                       {x, coefficients, e0, e1});
  ASSERT_EQ(results.size(), 2u);
  expectNear(results[0], results[1], 1e-5);
}

//===----------------------------------------------------------------------===//
// ddf
//===----------------------------------------------------------------------===//

/// ddf with SF = 1 (mul) next to a depthwise conv2d whose kernel is CF,
/// padding r*d: the two must agree (spec §3.1 special case "SF = 1").
std::string ddfVersusDepthwise(int64_t n, int64_t c, int64_t h, int64_t w,
                               int64_t k, int64_t s, int64_t d) {
  auto dims = [](std::initializer_list<int64_t> list) {
    std::string text;
    for (int64_t v : list)
      text += std::to_string(v) + "x";
    return "tensor<" + text + "f32>";
  };
  std::string pad = std::to_string((k - 1) / 2 * d);
  return substitute(R"mlir(
    func.func @f(%x: {x}, %cf: {cf}, %sf: {sf}, %w: {w}) -> ({y}, {y}) {
      %y = dyconv.ddf %x, %cf, %sf combine mul {kernel_size = {k}, stride = {s}, dilation = {d}}
          : ({x}, {cf}, {sf}) -> {y}
      %z = dyconv.conv2d %x, %w {groups = {c}, stride = array<i64: {s}, {s}>, dilation = array<i64: {d}, {d}>,
                                 padding = array<i64: {p}, {p}, {p}, {p}>} : ({x}, {w}) -> {y}
      return %y, %z : {y}, {y}
    })mlir",
                    {{"x", dims({n, c, h, w})},
                     {"cf", dims({n, c, k, k})},
                     {"sf", dims({n, k * k, h / s, w / s})},
                     {"w", dims({c, 1, k, k})},
                     {"y", dims({n, c, h / s, w / s})},
                     {"k", std::to_string(k)},
                     {"s", std::to_string(s)},
                     {"d", std::to_string(d)},
                     {"c", std::to_string(c)},
                     {"p", pad}});
}

TEST_F(ReferenceTest, DDFWithUnitSpatialFilterIsDepthwiseConv) {
  struct Case {
    int64_t n, c, h, w, k, s, d;
  };
  for (Case t : {Case{2, 3, 7, 5, 5, 1, 1}, Case{2, 3, 8, 6, 3, 2, 2},
                 Case{1, 2, 6, 6, 3, 1, 2}}) {
    SCOPED_TRACE("k=" + std::to_string(t.k) + " s=" + std::to_string(t.s) +
                 " d=" + std::to_string(t.d));
    Tensor x = randomTensor({t.n, t.c, t.h, t.w}, 800);
    Tensor w = randomTensor({t.c, 1, t.k, t.k}, 801);
    Tensor cf = Tensor::zeros({t.n, t.c, t.k, t.k});
    for (size_t i = 0; i < cf.data.size(); ++i)
      cf.data[i] = w.data[i % w.data.size()];
    Tensor sf = Tensor::filled({t.n, t.k * t.k, t.h / t.s, t.w / t.s}, 1.0f);
    auto results = runOk(ddfVersusDepthwise(t.n, t.c, t.h, t.w, t.k, t.s, t.d),
                         {x, cf, sf, w});
    ASSERT_EQ(results.size(), 2u);
    expectNear(results[0], results[1], 1e-6);
  }
}

TEST_F(ReferenceTest, DDFAddCombineByHand) {
  // x = 1..9 (3x3), k = 3; SF is 1 at the centre tap (t = 4) and 0 elsewhere,
  // CF = 1, combine add: F = 2 at the centre, 1 at the other taps, so
  // y = x + (3x3 neighbourhood sum, zero outside):
  //   13 23 19 / 31 50 39 / 31 47 37.
  Tensor sf = Tensor::zeros({1, 9, 3, 3});
  for (int i = 0; i < 9; ++i)
    sf.data[4 * 9 + i] = 1.0f;
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<1x1x3x3xf32>, %cf: tensor<1x1x3x3xf32>, %sf: tensor<1x9x3x3xf32>) -> tensor<1x1x3x3xf32> {
      %y = dyconv.ddf %x, %cf, %sf combine add {kernel_size = 3}
          : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1x9x3x3xf32>) -> tensor<1x1x3x3xf32>
      return %y : tensor<1x1x3x3xf32>
    })mlir",
                       {tensor({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}),
                        Tensor::filled({1, 1, 3, 3}, 1.0f), sf});
  ASSERT_EQ(results.size(), 1u);
  expectNear(results[0],
             tensor({1, 1, 3, 3}, {13, 23, 19, 31, 50, 39, 31, 47, 37}));
}

TEST_F(ReferenceTest, DDFStrideSamplesAtYTimesS) {
  // x[i][j] = 4i + j + 1 on 4x4, stride 2, CF = 1, mul.
  // k = 1: y = x[2y][2x] = 1 3 / 9 11.
  // k = 3, SF one-hot at tap (0,0): y = x[2y-1][2x-1] (0 when outside) = 0 0 /
  // 0 6. k = 3, SF one-hot at tap (2,2): y = x[2y+1][2x+1] = 6 8 / 14 16. k =
  // 3, dilation 2, tap (0,0): y = x[2y-2][2x-2] = 0 0 / 0 1.
  std::vector<float> values(16);
  for (int i = 0; i < 16; ++i)
    values[i] = i + 1;
  Tensor x = tensor({1, 1, 4, 4}, values);
  auto oneHot = [](int tap) {
    Tensor sf = Tensor::zeros({1, 9, 2, 2});
    for (int i = 0; i < 4; ++i)
      sf.data[tap * 4 + i] = 1.0f;
    return sf;
  };
  auto results =
      runOk(R"mlir(
    func.func @f(%x: tensor<1x1x4x4xf32>, %cf1: tensor<1x1x1x1xf32>, %sf1: tensor<1x1x2x2xf32>,
                 %cf3: tensor<1x1x3x3xf32>, %first: tensor<1x9x2x2xf32>, %last: tensor<1x9x2x2xf32>)
        -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) {
      %a = dyconv.ddf %x, %cf1, %sf1 combine mul {kernel_size = 1, stride = 2}
          : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
      %b = dyconv.ddf %x, %cf3, %first combine mul {kernel_size = 3, stride = 2}
          : (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>, tensor<1x9x2x2xf32>) -> tensor<1x1x2x2xf32>
      %c = dyconv.ddf %x, %cf3, %last combine mul {kernel_size = 3, stride = 2}
          : (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>, tensor<1x9x2x2xf32>) -> tensor<1x1x2x2xf32>
      %d = dyconv.ddf %x, %cf3, %first combine mul {kernel_size = 3, stride = 2, dilation = 2}
          : (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>, tensor<1x9x2x2xf32>) -> tensor<1x1x2x2xf32>
      return %a, %b, %c, %d : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>
    })mlir",
            {x, Tensor::filled({1, 1, 1, 1}, 1.0f),
             Tensor::filled({1, 1, 2, 2}, 1.0f),
             Tensor::filled({1, 1, 3, 3}, 1.0f), oneHot(0), oneHot(8)});
  ASSERT_EQ(results.size(), 4u);
  expectNear(results[0], tensor({1, 1, 2, 2}, {1, 3, 9, 11}));
  expectNear(results[1], tensor({1, 1, 2, 2}, {0, 0, 0, 6}));
  expectNear(results[2], tensor({1, 1, 2, 2}, {6, 8, 14, 16}));
  expectNear(results[3], tensor({1, 1, 2, 2}, {0, 0, 0, 1}));
}

//===----------------------------------------------------------------------===//
// filter_norm
//===----------------------------------------------------------------------===//

TEST_F(ReferenceTest, FilterNormChannelBranchByHand) {
  // taps 3, gain 0.5, scale (1,1,1, 1,-1,2).
  // Group 0 (1,2,3): mean 2, unbiased std sqrt((1+0+1)/2) = 1 -> (-1,0,1)*0.5.
  // Group 1 (0,0,6): mean 2, std sqrt((4+4+16)/2) = sqrt(12)
  //   -> (-2,-2,4)/sqrt(12) * 0.5 * (1,-1,2) = (-1, 1, 4)/sqrt(12).
  auto results = runOk(R"mlir(
    func.func @f(%x: tensor<?x6x1x1xf32>, %s: tensor<6xf32>) -> tensor<?x6x1x1xf32> {
      %y = dyconv.filter_norm %x scale %s {taps = 3, gain = 0.5 : f64}
          : (tensor<?x6x1x1xf32>, tensor<6xf32>) -> tensor<?x6x1x1xf32>
      return %y : tensor<?x6x1x1xf32>
    })mlir",
                       {tensor({1, 6, 1, 1}, {1, 2, 3, 0, 0, 6}),
                        tensor({6}, {1, 1, 1, 1, -1, 2})});
  ASSERT_EQ(results.size(), 1u);
  float r = static_cast<float>(std::sqrt(12.0));
  expectNear(results[0],
             tensor({1, 6, 1, 1}, {-0.5, 0, 0.5, -1 / r, 1 / r, 4 / r}));
}

TEST_F(ReferenceTest, FilterNormSpatialBranch) {
  // taps 2 over channels at each pixel: pixel 0 holds (1, 3): mean 2, unbiased
  // std sqrt(2) -> (-1, 1)/sqrt(2); pixel 1 holds (5, 5): centred to 0, and
  // 0 / (0 + 1e-10) = 0.
  auto results = runOk(
      R"mlir(
    func.func @f(%x: tensor<1x2x1x2xf32>, %r: tensor<2x18x3x3xf32>) -> (tensor<1x2x1x2xf32>, tensor<2x18x3x3xf32>) {
      %y = dyconv.filter_norm %x {taps = 2} : (tensor<1x2x1x2xf32>) -> tensor<1x2x1x2xf32>
      %z = dyconv.filter_norm %r {taps = 9, gain = 1.5 : f64} : (tensor<2x18x3x3xf32>) -> tensor<2x18x3x3xf32>
      return %y, %z : tensor<1x2x1x2xf32>, tensor<2x18x3x3xf32>
    })mlir",
      {tensor({1, 2, 1, 2}, {1, 5, 3, 5}), randomTensor({2, 18, 3, 3}, 900)});
  ASSERT_EQ(results.size(), 2u);
  float h = static_cast<float>(1 / std::sqrt(2.0));
  expectNear(results[0], tensor({1, 2, 1, 2}, {-h, 0, h, 0}));
  // Every group of 9 taps ends with mean 0 and unbiased std equal to the gain.
  const Tensor &z = results[1];
  for (int n = 0; n < 2; ++n)
    for (int g = 0; g < 2; ++g)
      for (int p = 0; p < 9; ++p) {
        double mean = 0, square = 0;
        for (int t = 0; t < 9; ++t)
          mean += z.at({n, g * 9 + t, p / 3, p % 3}) / 9.0;
        for (int t = 0; t < 9; ++t) {
          double d = z.at({n, g * 9 + t, p / 3, p % 3}) - mean;
          square += d * d;
        }
        EXPECT_NEAR(mean, 0.0, 1e-6);
        EXPECT_NEAR(std::sqrt(square / 8), 1.5, 1e-5);
      }
}

} // namespace
