//===- DynamicConvOps.cpp - odconv, kw_attention, kw_assemble, ddf --------===//
//
// The dynamic convolutions of the operator specification
// (shared/spec/operators.md): ODConv §1, KernelWarehouse §2.4-2.5, DDF §3.
// The small attention MLPs run in double on [N, features] row-major vectors;
// only the op results are rounded to float.
//
//===----------------------------------------------------------------------===//

#include "KernelSupport.h"

#include "dyconv/Reference/Kernels.h"

#include <algorithm>
#include <cmath>

namespace mlir::dyconv::reference {

using detail::expectRank;
using detail::expectShape;
using detail::fail;
using detail::formatList;
using detail::formatNumber;

namespace {
/// A row-major [rows, cols] matrix of doubles: a batch of feature vectors.
struct Matrix {
  int64_t rows = 0, cols = 0;
  std::vector<double> data;

  Matrix(int64_t rows, int64_t cols, double value = 0.0)
      : rows(rows), cols(cols), data(rows * cols, value) {}
  double &operator()(int64_t r, int64_t c) { return data[r * cols + c]; }
  double operator()(int64_t r, int64_t c) const { return data[r * cols + c]; }
};
} // namespace

/// a[n, c] = mean of input[n, c, ...] over every dimension >= 2 (the input
/// itself for rank 2).
static Matrix spatialMean(const Tensor &input) {
  int64_t batch = input.dim(0), channels = input.dim(1);
  int64_t count = product(llvm::ArrayRef<int64_t>(input.shape).drop_front(2));
  Matrix result(batch, channels);
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t c = 0; c < channels; ++c) {
      double sum = 0.0;
      for (int64_t i = 0; i < count; ++i)
        sum += input.data[(n * channels + c) * count + i];
      result(n, c) = sum / count;
    }
  return result;
}

/// y[n, o] = sum_i x[n, i] * weight[o, i] (+ bias[o]); weight is [out, in].
static Matrix affine(const Matrix &x, const Tensor &weight,
                     const Tensor *bias) {
  int64_t out = weight.dim(0);
  Matrix y(x.rows, out);
  for (int64_t n = 0; n < x.rows; ++n)
    for (int64_t o = 0; o < out; ++o) {
      double sum = bias ? bias->data[o] : 0.0;
      for (int64_t i = 0; i < x.cols; ++i)
        sum += x(n, i) * weight.data[o * x.cols + i];
      y(n, o) = sum;
    }
  return y;
}

/// Checks that `weight` is [out, in] and `bias` (when given) is [out].
static llvm::Error checkAffine(const Tensor &weight, const Tensor *bias,
                               llvm::StringRef name, int64_t out, int64_t in) {
  if (auto error = expectShape(weight, (name + "_weight").str(), {out, in}))
    return error;
  if (bias)
    return expectShape(*bias, (name + "_bias").str(), {out});
  return llvm::Error::success();
}

/// x = (x - mean) / sqrt(var + eps) * scale + bias per column (BatchNorm at
/// inference).
static llvm::Error batchNormColumns(Matrix &x, const Tensor &scale,
                                    const Tensor &bias, const Tensor &mean,
                                    const Tensor &variance, double epsilon) {
  for (int64_t j = 0; j < x.cols; ++j)
    if (!(variance.data[j] + epsilon > 0))
      return fail("variance + epsilon is not positive for feature " +
                  llvm::Twine(j));
  for (int64_t n = 0; n < x.rows; ++n)
    for (int64_t j = 0; j < x.cols; ++j)
      x(n, j) = (x(n, j) - mean.data[j]) /
                    std::sqrt(variance.data[j] + epsilon) * scale.data[j] +
                bias.data[j];
  return llvm::Error::success();
}

static void reluInPlace(Matrix &x) {
  for (double &v : x.data)
    v = v > 0.0 ? v : 0.0;
}

/// sigmoid(x / temperature)
static void sigmoidInPlace(Matrix &x, double temperature) {
  for (double &v : x.data)
    v = 1.0 / (1.0 + std::exp(-v / temperature));
}

/// softmax(x / temperature) along each row.
static void softmaxRowsInPlace(Matrix &x, double temperature) {
  for (int64_t n = 0; n < x.rows; ++n) {
    double max = -INFINITY;
    for (int64_t j = 0; j < x.cols; ++j)
      max = std::max(max, x(n, j) / temperature);
    double sum = 0.0;
    for (int64_t j = 0; j < x.cols; ++j)
      sum += std::exp(x(n, j) / temperature - max);
    for (int64_t j = 0; j < x.cols; ++j)
      x(n, j) = std::exp(x(n, j) / temperature - max) / sum;
  }
}

//===----------------------------------------------------------------------===//
// ODConv
//===----------------------------------------------------------------------===//

/// Spec §1.2-1.4:
///   a = GAP(x); h = ReLU(BN(a @ fc^T))
///   ch = sigmoid((h @ Wc^T + bc)/T), fil = sigmoid(...) | 1,
///   sp = sigmoid(...) | 1, ker = softmax((h @ Wk^T + bk)/T) | 1
///   W_b[o,c,ky,kx] = sp[b, ky*k+kx] * sum_i ker[b,i] * bank[i,o,c,ky,kx]
///   y[b] = fil[b] * conv2d(ch[b] * x[b], W_b)
/// The pw1x path (k == 1, K == 1, §1.5) is the same formula with sp = ker = 1.
llvm::Expected<Tensor> odconv(const Tensor &input, const ODConvWeights &w,
                              const ODConvParams &params) {
  if (!w.bank || !w.fcWeight || !w.bnScale || !w.bnBias || !w.bnMean ||
      !w.bnVariance || !w.channelWeight || !w.channelBias)
    return fail("odconv needs the kernel bank, fc, bn and channel parameters");
  if (auto error = expectRank(input, "input", 4))
    return std::move(error);
  if (auto error = expectRank(*w.bank, "weight", 5))
    return std::move(error);
  if (auto error = expectRank(*w.fcWeight, "fc_weight", 2))
    return std::move(error);
  const Tensor &bank = *w.bank;
  int64_t batch = input.dim(0), cin = input.dim(1);
  int64_t kernels = bank.dim(0), cout = bank.dim(1), cinPerGroup = bank.dim(2);
  int64_t kh = bank.dim(3), kw = bank.dim(4);
  int64_t width = w.fcWeight->dim(0);
  if (auto error = checkAffine(*w.fcWeight, nullptr, "fc", width, cin))
    return std::move(error);
  for (auto [tensor, name] :
       {std::pair{w.bnScale, "bn_scale"}, std::pair{w.bnBias, "bn_bias"},
        std::pair{w.bnMean, "bn_mean"}, std::pair{w.bnVariance, "bn_variance"}})
    if (auto error = expectShape(*tensor, name, {width}))
      return std::move(error);
  if (auto error =
          checkAffine(*w.channelWeight, w.channelBias, "channel", cin, width))
    return std::move(error);
  struct Head {
    const Tensor *weight, *bias;
    llvm::StringRef name;
    int64_t size;
  };
  Head heads[] = {{w.filterWeight, w.filterBias, "filter", cout},
                  {w.spatialWeight, w.spatialBias, "spatial", kh * kw},
                  {w.kernelWeight, w.kernelBias, "kernel", kernels}};
  for (const Head &head : heads) {
    if (!head.weight != !head.bias)
      return fail("the " + head.name + " head needs both its weight and bias");
    if (head.weight)
      if (auto error =
              checkAffine(*head.weight, head.bias, head.name, head.size, width))
        return std::move(error);
  }
  // Without a kernel head every kernel of the bank would weigh 1; the
  // authors' module has no such case, so do not guess.
  if (!w.kernelWeight && kernels != 1)
    return fail("a bank of " + llvm::Twine(kernels) +
                " kernels needs the kernel head");
  if (!(params.temperature > 0))
    return fail("temperature must be positive, got " +
                formatNumber(params.temperature));

  // The attention (§1.2).
  Matrix hidden = affine(spatialMean(input), *w.fcWeight, nullptr);
  if (auto error = batchNormColumns(hidden, *w.bnScale, *w.bnBias, *w.bnMean,
                                    *w.bnVariance, params.bnEpsilon))
    return std::move(error);
  reluInPlace(hidden);
  double t = params.temperature;
  Matrix channel = affine(hidden, *w.channelWeight, w.channelBias);
  sigmoidInPlace(channel, t);
  Matrix filter(batch, cout, 1.0), spatial(batch, kh * kw, 1.0),
      kernel(batch, kernels, 1.0);
  if (w.filterWeight) {
    filter = affine(hidden, *w.filterWeight, w.filterBias);
    sigmoidInPlace(filter, t);
  }
  if (w.spatialWeight) {
    spatial = affine(hidden, *w.spatialWeight, w.spatialBias);
    sigmoidInPlace(spatial, t);
  }
  if (w.kernelWeight) {
    kernel = affine(hidden, *w.kernelWeight, w.kernelBias);
    softmaxRowsInPlace(kernel, t);
  }

  // The per-sample kernels (§1.4).
  Tensor sampleKernels = Tensor::zeros({batch, cout, cinPerGroup, kh, kw});
  int64_t kernelSize = cout * cinPerGroup * kh * kw;
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t e = 0; e < kernelSize; ++e) {
      int64_t tap = e % (kh * kw); // ky*kw + kx
      double sum = 0.0;
      for (int64_t i = 0; i < kernels; ++i)
        sum += kernel(n, i) * bank.data[i * kernelSize + e];
      sampleKernels.data[n * kernelSize + e] =
          static_cast<float>(spatial(n, tap) * sum);
    }

  // ch scales the input channels, fil the output channels.
  Tensor scaled = input;
  int64_t area = input.dim(2) * input.dim(3);
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t c = 0; c < cin; ++c)
      for (int64_t i = 0; i < area; ++i) {
        float &v = scaled.data[(n * cin + c) * area + i];
        v = static_cast<float>(v * channel(n, c));
      }
  auto output = dynamicConv2d(scaled, sampleKernels, nullptr, params.conv);
  if (!output)
    return output.takeError();
  int64_t outArea = output->dim(2) * output->dim(3);
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t o = 0; o < cout; ++o)
      for (int64_t i = 0; i < outArea; ++i) {
        float &v = output->data[(n * cout + o) * outArea + i];
        v = static_cast<float>(v * filter(n, o));
      }
  return output;
}

/// Converts a matrix to a float tensor [rows, cols].
static Tensor toTensor(const Matrix &m) {
  Tensor t = Tensor::zeros({m.rows, m.cols});
  for (size_t i = 0; i < m.data.size(); ++i)
    t.data[i] = static_cast<float>(m.data[i]);
  return t;
}

llvm::Expected<std::vector<Tensor>>
odconvAttention(const Tensor &input, const ODConvAttentionWeights &w,
                double temperature) {
  if (!w.fcWeight || !w.fcBias || !w.channelWeight || !w.channelBias)
    return fail("odconv_attention needs the fc and channel parameters");
  if (auto error = expectRank(input, "input", 4))
    return std::move(error);
  if (auto error = expectRank(*w.fcWeight, "fc_weight", 2))
    return std::move(error);
  if (!(temperature > 0))
    return fail("temperature must be positive, got " +
                formatNumber(temperature));
  int64_t cin = input.dim(1), width = w.fcWeight->dim(0);
  if (auto error = checkAffine(*w.fcWeight, w.fcBias, "fc", width, cin))
    return std::move(error);
  Matrix hidden = affine(spatialMean(input), *w.fcWeight, w.fcBias);
  reluInPlace(hidden);
  struct Head {
    const Tensor *weight, *bias;
    llvm::StringRef name;
    bool softmax;
  } heads[] = {{w.channelWeight, w.channelBias, "channel", false},
               {w.filterWeight, w.filterBias, "filter", false},
               {w.spatialWeight, w.spatialBias, "spatial", false},
               {w.kernelWeight, w.kernelBias, "kernel", true}};
  std::vector<Tensor> results;
  for (const Head &head : heads) {
    if (!head.weight != !head.bias)
      return fail("the " + head.name + " head needs both its weight and bias");
    if (!head.weight)
      continue;
    if (auto error = expectRank(*head.weight, (head.name + "_weight").str(), 2))
      return std::move(error);
    if (auto error = checkAffine(*head.weight, head.bias, head.name,
                                 head.weight->dim(0), width))
      return std::move(error);
    Matrix logits = affine(hidden, *head.weight, head.bias);
    if (head.softmax)
      softmaxRowsInPlace(logits, temperature);
    else
      sigmoidInPlace(logits, temperature);
    results.push_back(toTensor(logits));
  }
  return results;
}

llvm::Expected<Tensor> aggregate(const Tensor &bank, const Tensor &channel,
                                 const Tensor *filter, const Tensor *spatial,
                                 const Tensor *kernel, int64_t groups) {
  if (auto error = expectRank(bank, "bank", 5))
    return std::move(error);
  if (auto error = expectRank(channel, "channel", 2))
    return std::move(error);
  if (groups < 1 || bank.dim(1) % groups != 0)
    return fail("groups " + llvm::Twine(groups) + " do not divide " +
                llvm::Twine(bank.dim(1)) + " output channels");
  int64_t batch = channel.dim(0), kernels = bank.dim(0), cout = bank.dim(1);
  int64_t cpg = bank.dim(2), taps = bank.dim(3) * bank.dim(4);
  if (auto error = expectShape(channel, "channel", {batch, cpg * groups}))
    return std::move(error);
  for (auto [tensor, name, size] : {std::tuple{filter, "filter", cout},
                                    std::tuple{spatial, "spatial", taps},
                                    std::tuple{kernel, "kernel", kernels}})
    if (tensor)
      if (auto error = expectShape(*tensor, name, {batch, size}))
        return std::move(error);
  if (!kernel && kernels != 1)
    return fail("a bank of " + llvm::Twine(kernels) +
                " kernels needs the kernel attention");
  auto at = [](const Tensor *t, int64_t n, int64_t i) {
    return t ? static_cast<double>(t->data[n * t->dim(1) + i]) : 1.0;
  };
  int64_t outPerGroup = cout / groups, size = cout * cpg * taps;
  Tensor output = Tensor::zeros({batch, cout, cpg, bank.dim(3), bank.dim(4)});
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t e = 0; e < size; ++e) {
      int64_t t = e % taps, c = (e / taps) % cpg, o = e / (taps * cpg);
      double sum = 0.0;
      for (int64_t i = 0; i < kernels; ++i)
        sum += at(kernel, n, i) * bank.data[i * size + e];
      double scale = at(filter, n, o) * at(spatial, n, t) *
                     at(&channel, n, (o / outPerGroup) * cpg + c);
      output.data[n * size + e] = static_cast<float>(scale * sum);
    }
  return output;
}

//===----------------------------------------------------------------------===//
// KernelWarehouse
//===----------------------------------------------------------------------===//

/// Spec §2.4:
///   a = mean of x over dims >= 2; h = ReLU(Norm(a @ fc1^T (+ b1)))
///   plain:    logits[b, m*(M+1) + j] = (h @ fc2^T + b2)[...]
///   nonlocal: r = (h @ fc2^T) as [n, L+Nb+1] per sample, split into
///             local_m [L], nb_m [Nb], zero_m; u_m = fc3 @ nb_m [M-L];
///             row_m = u_m[:start] ++ local_m ++ u_m[start:] ++ zero_m;
///             logits = rows + basis_bias
///   alpha[b, m, j] = z_j / (sum_{p<=M} |z_p| + 1e-3) for j < M (z = one
///   mixture's M+1 logits; the zero cell M is dropped).
llvm::Expected<Tensor> kwAttention(const Tensor &input,
                                   const KWAttentionWeights &w,
                                   const KWAttentionParams &params) {
  if (!w.fc1Weight || !w.fc2Weight)
    return fail("kw_attention needs fc1 and fc2 parameters");
  if (!w.normScale != !w.normBias)
    return fail("norm_scale and norm_bias must be given together");
  if (input.rank() < 2)
    return fail("input must have rank >= 2 ([N, Cin, ...]), got " +
                formatShape(input.shape));
  if (auto error = expectRank(*w.fc1Weight, "fc1_weight", 2))
    return std::move(error);
  if (auto error = expectRank(*w.fc2Weight, "fc2_weight", 2))
    return std::move(error);
  int64_t batch = input.dim(0), cin = input.dim(1);
  int64_t hidden = w.fc1Weight->dim(0);
  int64_t n = params.numMixtures, cells = params.numCells;
  if (n < 1 || cells < 1)
    return fail("num_mixtures (" + llvm::Twine(n) + ") and num_cells (" +
                llvm::Twine(cells) + ") must be positive");
  if (auto error = checkAffine(*w.fc1Weight, w.fc1Bias, "fc1", hidden, cin))
    return std::move(error);
  bool batchNorm = w.normMean != nullptr;
  if (batchNorm != (w.normVariance != nullptr))
    return fail("norm_mean and norm_variance must be given together");
  if (batchNorm && !w.normScale)
    return fail("a batch norm needs norm_scale and norm_bias");
  for (auto [tensor, name] :
       {std::pair{w.normScale, "norm_scale"},
        std::pair{w.normBias, "norm_bias"}, std::pair{w.normMean, "norm_mean"},
        std::pair{w.normVariance, "norm_variance"}})
    if (tensor)
      if (auto error = expectShape(*tensor, name, {hidden}))
        return std::move(error);

  bool nonlocal = w.fc3Weight != nullptr;
  if (nonlocal != (w.basisBias != nullptr))
    return fail("nonlocal-basis mode needs both fc3_weight and basis_bias");
  int64_t local = cells, basis = 0;
  if (nonlocal) {
    if (auto error = expectRank(*w.fc3Weight, "fc3_weight", 2))
      return std::move(error);
    local = cells - w.fc3Weight->dim(0);
    basis = w.fc3Weight->dim(1);
    if (local < 0)
      return fail("fc3_weight " + formatShape(w.fc3Weight->shape) +
                  " has more rows than num_cells (" + llvm::Twine(cells) + ")");
    if (params.startCell < 0 || params.startCell > cells - local)
      return fail("start_cell " + llvm::Twine(params.startCell) +
                  " leaves no room for " + llvm::Twine(local) +
                  " local cells among " + llvm::Twine(cells));
    if (w.fc2Bias)
      return fail("fc2 has no bias in nonlocal-basis mode");
    if (auto error = checkAffine(*w.fc2Weight, nullptr, "fc2",
                                 n * (local + basis + 1), hidden))
      return std::move(error);
    if (auto error = expectShape(*w.basisBias, "basis_bias", {n * (cells + 1)}))
      return std::move(error);
  } else {
    if (auto error = checkAffine(*w.fc2Weight, w.fc2Bias, "fc2",
                                 n * (cells + 1), hidden))
      return std::move(error);
  }

  Matrix h = affine(spatialMean(input), *w.fc1Weight, w.fc1Bias);
  if (batchNorm) {
    if (auto error = batchNormColumns(h, *w.normScale, *w.normBias, *w.normMean,
                                      *w.normVariance, params.normEpsilon))
      return std::move(error);
  } else if (w.normScale) {
    // LayerNorm over the hidden features, biased variance.
    for (int64_t b = 0; b < batch; ++b) {
      double mean = 0.0, var = 0.0;
      for (int64_t j = 0; j < hidden; ++j)
        mean += h(b, j);
      mean /= hidden;
      for (int64_t j = 0; j < hidden; ++j)
        var += (h(b, j) - mean) * (h(b, j) - mean);
      var /= hidden;
      if (!(var + params.normEpsilon > 0))
        return fail("layer norm of a constant vector with epsilon 0");
      for (int64_t j = 0; j < hidden; ++j)
        h(b, j) = (h(b, j) - mean) / std::sqrt(var + params.normEpsilon) *
                      w.normScale->data[j] +
                  w.normBias->data[j];
    }
  }
  reluInPlace(h);
  Matrix fc2 = affine(h, *w.fc2Weight, w.fc2Bias);

  Tensor output = Tensor::zeros({batch, n, cells});
  std::vector<double> row(cells + 1);
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t m = 0; m < n; ++m) {
      if (!nonlocal) {
        for (int64_t p = 0; p <= cells; ++p)
          row[p] = fc2(b, m * (cells + 1) + p);
      } else {
        int64_t base = m * (local + basis + 1);
        int64_t start = params.startCell;
        // nonloc[q] = sum_r nb[r] * fc3[q, r], q < M - L.
        auto nonlocalCell = [&](int64_t q) {
          double sum = 0.0;
          for (int64_t r = 0; r < basis; ++r)
            sum += fc2(b, base + local + r) * w.fc3Weight->data[q * basis + r];
          return sum;
        };
        for (int64_t p = 0; p < cells; ++p) {
          if (p < start)
            row[p] = nonlocalCell(p);
          else if (p < start + local)
            row[p] = fc2(b, base + (p - start));
          else
            row[p] = nonlocalCell(p - local);
        }
        row[cells] = fc2(b, base + local + basis);
        for (int64_t p = 0; p <= cells; ++p)
          row[p] += w.basisBias->data[m * (cells + 1) + p];
      }
      double norm = 1e-3;
      for (double v : row)
        norm += std::fabs(v);
      for (int64_t j = 0; j < cells; ++j)
        output.data[(b * n + m) * cells + j] =
            static_cast<float>(row[j] / norm);
    }
  return output;
}

/// Spec §2.5: with 1x1 cells (s = ky*kw + kx)
///   W[b, ob*co + oc, ib*ci + ic, ky, kx] =
///       sum_j c[b, (s*go + ob)*gi + ib, j] * E[j, oc, ic, 0, 0]
/// and with whole-kernel cells (s = 0) E[j, oc, ic, ky, kx] instead.
llvm::Expected<Tensor> kwAssemble(const Tensor &coefficients,
                                  const Tensor &warehouse,
                                  std::array<int64_t, 2> kernelSize,
                                  int64_t outBlocks, int64_t inBlocks) {
  if (auto error = expectRank(coefficients, "coefficients", 3))
    return std::move(error);
  if (auto error = expectRank(warehouse, "warehouse", 5))
    return std::move(error);
  int64_t kh = kernelSize[0], kw = kernelSize[1];
  if (kh < 1 || kw < 1 || outBlocks < 1 || inBlocks < 1)
    return fail("kernel_size " + formatList(kernelSize) + ", out_blocks " +
                llvm::Twine(outBlocks) + " and in_blocks " +
                llvm::Twine(inBlocks) + " must be positive");
  int64_t batch = coefficients.dim(0), cells = warehouse.dim(0);
  int64_t co = warehouse.dim(1), ci = warehouse.dim(2);
  int64_t ckh = warehouse.dim(3), ckw = warehouse.dim(4);
  bool pointCells = ckh == 1 && ckw == 1;
  if (!pointCells && (ckh != kh || ckw != kw))
    return fail("cells must be 1x1 or the whole kernel " +
                formatShape({kh, kw}) + ", got warehouse " +
                formatShape(warehouse.shape));
  int64_t spatialCells = pointCells ? kh * kw : 1;
  int64_t mixtures = spatialCells * outBlocks * inBlocks;
  if (auto error =
          expectShape(coefficients, "coefficients", {batch, mixtures, cells}))
    return std::move(error);
  int64_t cout = outBlocks * co, cin = inBlocks * ci;
  Tensor output = Tensor::zeros({batch, cout, cin, kh, kw});
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t ob = 0; ob < outBlocks; ++ob)
      for (int64_t oc = 0; oc < co; ++oc)
        for (int64_t ib = 0; ib < inBlocks; ++ib)
          for (int64_t ic = 0; ic < ci; ++ic)
            for (int64_t ky = 0; ky < kh; ++ky)
              for (int64_t kx = 0; kx < kw; ++kx) {
                int64_t s = pointCells ? ky * kw + kx : 0;
                int64_t m = (s * outBlocks + ob) * inBlocks + ib;
                int64_t cy = pointCells ? 0 : ky, cx = pointCells ? 0 : kx;
                double sum = 0.0;
                for (int64_t j = 0; j < cells; ++j)
                  sum +=
                      static_cast<double>(
                          coefficients.data[(b * mixtures + m) * cells + j]) *
                      warehouse
                          .data[(((j * co + oc) * ci + ic) * ckh + cy) * ckw +
                                cx];
                output.at({b, ob * co + oc, ib * ci + ic, ky, kx}) =
                    static_cast<float>(sum);
              }
  return output;
}

//===----------------------------------------------------------------------===//
// DDF
//===----------------------------------------------------------------------===//

/// Spec §3.1, r = (k-1)/2:
///   Y[b,c,y,x] = sum_{i,j<k} X[b, c, y*s + (i-r)*d, x*s + (j-r)*d] * F
///   F = SF[b, i*k+j, y, x] * CF[b, c, i, j]   (mul)
///   F = SF[b, i*k+j, y, x] + CF[b, c, i, j]   (add)
/// Out-of-range taps are skipped; the output is [N, C, H/s, W/s] (floor).
llvm::Expected<Tensor> ddf(const Tensor &input, const Tensor &channelFilter,
                           const Tensor &spatialFilter, int64_t k,
                           int64_t stride, int64_t dilation,
                           DDFCombine combine) {
  if (auto error = expectRank(input, "input", 4))
    return std::move(error);
  if (k < 1 || k % 2 == 0)
    return fail("kernel_size must be odd, got " + llvm::Twine(k));
  if (stride < 1 || dilation < 1)
    return fail("stride (" + llvm::Twine(stride) + ") and dilation (" +
                llvm::Twine(dilation) + ") must be positive");
  int64_t batch = input.dim(0), channels = input.dim(1);
  int64_t height = input.dim(2), width = input.dim(3);
  int64_t outHeight = height / stride, outWidth = width / stride;
  if (auto error =
          expectShape(channelFilter, "channel_filter", {batch, channels, k, k}))
    return std::move(error);
  if (auto error = expectShape(spatialFilter, "spatial_filter",
                               {batch, k * k, outHeight, outWidth}))
    return std::move(error);
  int64_t r = (k - 1) / 2;
  Tensor output = Tensor::zeros({batch, channels, outHeight, outWidth});
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t y = 0; y < outHeight; ++y)
        for (int64_t x = 0; x < outWidth; ++x) {
          double sum = 0.0;
          for (int64_t i = 0; i < k; ++i) {
            int64_t iy = y * stride + (i - r) * dilation;
            if (iy < 0 || iy >= height)
              continue;
            for (int64_t j = 0; j < k; ++j) {
              int64_t ix = x * stride + (j - r) * dilation;
              if (ix < 0 || ix >= width)
                continue;
              double sf = spatialFilter.at({b, i * k + j, y, x});
              double cf = channelFilter.at({b, c, i, j});
              double filter = combine == DDFCombine::Mul ? sf * cf : sf + cf;
              sum += input.at({b, c, iy, ix}) * filter;
            }
          }
          output.at({b, c, y, x}) = static_cast<float>(sum);
        }
  return output;
}

/// Spec §3.2 and the op description: for every (n, g, y, x) the taps
/// v_t = x[n, g*taps + t, y, x] become
///   (v_t - mean) / (std + eps) * gain * scale[g*taps + t]
/// with the unbiased (taps - 1) standard deviation; scale defaults to 1.
llvm::Expected<Tensor> filterNorm(const Tensor &input, const Tensor *scale,
                                  int64_t taps, double gain, double epsilon) {
  if (auto error = expectRank(input, "input", 4))
    return std::move(error);
  if (taps < 2)
    return fail("taps must be at least 2, got " + llvm::Twine(taps));
  int64_t batch = input.dim(0), channels = input.dim(1);
  int64_t area = input.dim(2) * input.dim(3);
  if (channels % taps != 0)
    return fail("input channels of " + formatShape(input.shape) +
                " are not a multiple of taps (" + llvm::Twine(taps) + ")");
  if (scale)
    if (auto error = expectShape(*scale, "scale", {channels}))
      return std::move(error);
  Tensor output = input;
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t g = 0; g < channels / taps; ++g)
      for (int64_t i = 0; i < area; ++i) {
        auto at = [&](int64_t t) {
          return (n * channels + g * taps + t) * area + i;
        };
        double mean = 0.0;
        for (int64_t t = 0; t < taps; ++t)
          mean += input.data[at(t)];
        mean /= taps;
        double var = 0.0;
        for (int64_t t = 0; t < taps; ++t)
          var += (input.data[at(t)] - mean) * (input.data[at(t)] - mean);
        double denominator = std::sqrt(var / (taps - 1)) + epsilon;
        if (!(denominator > 0))
          return fail("the taps of group " + llvm::Twine(g) +
                      " are all equal and epsilon is 0");
        for (int64_t t = 0; t < taps; ++t)
          output.data[at(t)] = static_cast<float>(
              (input.data[at(t)] - mean) / denominator * gain *
              (scale ? scale->data[g * taps + t] : 1.0f));
      }
  return output;
}

} // namespace mlir::dyconv::reference
