//===- ConvOps.cpp - conv2d, dynamic_conv2d, linear -----------------------===//

#include "KernelSupport.h"

#include "dyconv/Reference/Kernels.h"

#include "dyconv/Dialect/ShapeUtils.h"

namespace mlir::dyconv::reference {

using detail::expectRank;
using detail::expectShape;
using detail::fail;
using detail::formatList;

namespace {
/// The checked sizes of one convolution.
struct ConvGeometry {
  int64_t batch, cin, height, width;
  int64_t cout, cinPerGroup, kh, kw;
  int64_t outHeight, outWidth;
  ConvParams params;
};
} // namespace

/// Checks a convolution of `input [N, Cin, H, W]` with a kernel of shape
/// `kernel = [Cout, Cin/groups, KH, KW]` and an optional `[Cout]` bias.
static llvm::Expected<ConvGeometry> checkConv(const Tensor &input,
                                              llvm::ArrayRef<int64_t> kernel,
                                              const Tensor *bias,
                                              const ConvParams &p) {
  if (auto error = expectRank(input, "input", 4))
    return std::move(error);
  for (int i = 0; i < 2; ++i)
    if (p.stride[i] < 1 || p.dilation[i] < 1)
      return fail("stride " + formatList(p.stride) + " and dilation " +
                  formatList(p.dilation) + " must be positive");
  for (int64_t pad : p.padding)
    if (pad < 0)
      return fail("padding " + formatList(p.padding) + " must be non-negative");
  if (p.groups < 1)
    return fail("groups must be positive, got " + llvm::Twine(p.groups));
  ConvGeometry g;
  g.params = p;
  g.batch = input.dim(0);
  g.cin = input.dim(1);
  g.height = input.dim(2);
  g.width = input.dim(3);
  g.cout = kernel[0];
  g.cinPerGroup = kernel[1];
  g.kh = kernel[2];
  g.kw = kernel[3];
  if (g.cin % p.groups != 0 || g.cout % p.groups != 0 ||
      g.cinPerGroup * p.groups != g.cin)
    return fail("input " + formatShape(input.shape) + " and kernel " +
                formatShape(kernel) + " do not match groups " +
                llvm::Twine(p.groups) +
                " (need Cin = kernel[1] * groups and "
                "Cout divisible by groups)");
  if (bias)
    if (auto error = expectShape(*bias, "bias", {g.cout}))
      return std::move(error);
  std::optional<int64_t> outHeight = shape::slidingWindowSize(
      g.height, g.kh, p.stride[0], p.padding[0], p.padding[2], p.dilation[0]);
  std::optional<int64_t> outWidth = shape::slidingWindowSize(
      g.width, g.kw, p.stride[1], p.padding[1], p.padding[3], p.dilation[1]);
  if (!outHeight || !outWidth)
    return fail("kernel " + formatShape(kernel) + " with dilation " +
                formatList(p.dilation) + " does not fit input " +
                formatShape(input.shape) + " padded by " +
                formatList(p.padding));
  g.outHeight = *outHeight;
  g.outWidth = *outWidth;
  return g;
}

/// One sample of a convolution, `weight` pointing at a [Cout, Cin/g, KH, KW]
/// kernel:
///   y[n,o,oy,ox] = bias[o] + sum_{c,ky,kx} w[o,c,ky,kx] * x[n, ci, iy, ix]
///   ci = grp*Cin/g + c, iy = oy*sh - top + ky*dh, ix = ox*sw - left + kx*dw
/// with grp = o / (Cout/g); taps outside the input read zero.
static void convolveSample(const Tensor &input, int64_t n, const float *weight,
                           const Tensor *bias, const ConvGeometry &g,
                           Tensor &output) {
  const ConvParams &p = g.params;
  int64_t coutPerGroup = g.cout / p.groups;
  for (int64_t o = 0; o < g.cout; ++o) {
    int64_t group = o / coutPerGroup;
    for (int64_t oy = 0; oy < g.outHeight; ++oy) {
      for (int64_t ox = 0; ox < g.outWidth; ++ox) {
        double sum = bias ? bias->data[o] : 0.0;
        for (int64_t c = 0; c < g.cinPerGroup; ++c) {
          int64_t inChannel = group * g.cinPerGroup + c;
          for (int64_t ky = 0; ky < g.kh; ++ky) {
            int64_t iy = oy * p.stride[0] - p.padding[0] + ky * p.dilation[0];
            if (iy < 0 || iy >= g.height)
              continue;
            for (int64_t kx = 0; kx < g.kw; ++kx) {
              int64_t ix = ox * p.stride[1] - p.padding[1] + kx * p.dilation[1];
              if (ix < 0 || ix >= g.width)
                continue;
              float x = input.data[((n * g.cin + inChannel) * g.height + iy) *
                                       g.width +
                                   ix];
              float w =
                  weight[((o * g.cinPerGroup + c) * g.kh + ky) * g.kw + kx];
              sum += static_cast<double>(x) * w;
            }
          }
        }
        output.data[((n * g.cout + o) * g.outHeight + oy) * g.outWidth + ox] =
            static_cast<float>(sum);
      }
    }
  }
}

llvm::Expected<Tensor> conv2d(const Tensor &input, const Tensor &weight,
                              const Tensor *bias, const ConvParams &params) {
  if (auto error = expectRank(weight, "weight", 4))
    return std::move(error);
  auto geometry = checkConv(input, weight.shape, bias, params);
  if (!geometry)
    return geometry.takeError();
  const ConvGeometry &g = *geometry;
  Tensor output = Tensor::zeros({g.batch, g.cout, g.outHeight, g.outWidth});
  for (int64_t n = 0; n < g.batch; ++n)
    convolveSample(input, n, weight.data.data(), bias, g, output);
  return output;
}

llvm::Expected<Tensor> dynamicConv2d(const Tensor &input, const Tensor &weight,
                                     const Tensor *bias,
                                     const ConvParams &params) {
  if (auto error = expectRank(weight, "weight", 5))
    return std::move(error);
  auto geometry = checkConv(
      input, llvm::ArrayRef<int64_t>(weight.shape).drop_front(), bias, params);
  if (!geometry)
    return geometry.takeError();
  const ConvGeometry &g = *geometry;
  if (weight.dim(0) != g.batch)
    return fail("weight " + formatShape(weight.shape) + " holds kernels for " +
                llvm::Twine(weight.dim(0)) + " samples but input " +
                formatShape(input.shape) + " has batch " +
                llvm::Twine(g.batch));
  Tensor output = Tensor::zeros({g.batch, g.cout, g.outHeight, g.outWidth});
  int64_t kernelSize = g.cout * g.cinPerGroup * g.kh * g.kw;
  for (int64_t n = 0; n < g.batch; ++n)
    convolveSample(input, n, weight.data.data() + n * kernelSize, bias, g,
                   output);
  return output;
}

/// y[n,o] = bias[o] + sum_i x[n,i] * w[o,i]
llvm::Expected<Tensor> linear(const Tensor &input, const Tensor &weight,
                              const Tensor *bias) {
  if (auto error = expectRank(input, "input", 2))
    return std::move(error);
  if (auto error = expectRank(weight, "weight", 2))
    return std::move(error);
  int64_t batch = input.dim(0), in = input.dim(1), out = weight.dim(0);
  if (weight.dim(1) != in)
    return fail("input " + formatShape(input.shape) + " has " +
                llvm::Twine(in) + " features but weight " +
                formatShape(weight.shape) + " expects " +
                llvm::Twine(weight.dim(1)));
  if (bias)
    if (auto error = expectShape(*bias, "bias", {out}))
      return std::move(error);
  Tensor output = Tensor::zeros({batch, out});
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t o = 0; o < out; ++o) {
      double sum = bias ? bias->data[o] : 0.0;
      for (int64_t i = 0; i < in; ++i)
        sum += static_cast<double>(input.data[n * in + i]) *
               weight.data[o * in + i];
      output.data[n * out + o] = static_cast<float>(sum);
    }
  return output;
}

} // namespace mlir::dyconv::reference
