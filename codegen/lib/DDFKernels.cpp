//===- DDFKernels.cpp - decoupled dynamic filter and filter normalisation -===//
//
// Spec §3.1 (the per-pixel depthwise filter, combining a channel filter
// shared by all pixels with a spatial filter shared by all channels) and
// §3.2 (FilterNorm, the per-group standardisation of the generated filters).
//
//===----------------------------------------------------------------------===//

#include "Builders.h"
#include "HalideHelpers.h"

#include <sstream>

namespace mlir::dyconv::codegen {

using Halide::Expr;
using Halide::Func;
using Halide::ImageParam;
using Halide::Var;

KernelPipeline buildDDF(const DDFKernel &desc, const Halide::Target &target) {
  int k = static_cast<int>(desc.kernelSize);
  int stride = static_cast<int>(desc.stride);
  int dilation = static_cast<int>(desc.dilation);
  if (k < 1 || k % 2 == 0 || stride < 1 || dilation < 1)
    throw Halide::CompileError("ddf: the kernel size must be odd and the "
                               "stride and dilation positive");
  int64_t outHeight = desc.height / stride, outWidth = desc.width / stride;
  if (outHeight < 1 || outWidth < 1)
    throw Halide::CompileError("ddf: the stride leaves an empty output");
  int lanes = target.natural_vector_size<float>();
  KernelPipeline kernel;
  ImageParam input =
      denseInput("input", {kBatch, desc.channels, desc.height, desc.width});
  ImageParam channelFilter =
      denseInput("channel_filter", {kBatch, desc.channels, k, k});
  ImageParam spatialFilter = denseInput(
      "spatial_filter", {kBatch, int64_t(k) * k, outHeight, outWidth});
  kernel.inputs = {input, channelFilter, spatialFilter};

  // Out-of-range taps read zeros; Halide peels the image border off the
  // loops, so the interior runs without bounds checks.
  Func padded = Halide::BoundaryConditions::constant_exterior(
      input, 0.0f,
      {{0, static_cast<int>(desc.width)},
       {0, static_cast<int>(desc.height)},
       {Expr(), Expr()},
       {Expr(), Expr()}});
  Var x("x"), y("y"), c("c"), n("n"), cn("cn");
  int radius = (k - 1) / 2;
  // The k x k taps, unrolled into one expression.
  Expr sum = 0.0f;
  for (int i = 0; i < k; ++i)
    for (int j = 0; j < k; ++j) {
      Expr spatial = spatialFilter(x, y, i * k + j, n);
      Expr channel = channelFilter(j, i, c, n);
      Expr filter = desc.combine == DDFCombine::Mul ? spatial * channel
                                                    : spatial + channel;
      sum += padded(x * stride + (j - radius) * dilation,
                    y * stride + (i - radius) * dilation, c, n) *
             filter;
    }
  Func out("ddf");
  out(x, y, c, n) = sum;
  constrainDense(out.output_buffer(),
                 {kBatch, desc.channels, outHeight, outWidth});
  out.fuse(c, n, cn).parallel(cn);
  vectorizePure(out, x, outWidth, lanes);
  kernel.pipeline = out;
  return kernel;
}

KernelPipeline buildFilterNorm(const FilterNormKernel &desc,
                               const Halide::Target &target) {
  int taps = static_cast<int>(desc.taps);
  if (taps < 2 || desc.channels % taps != 0)
    throw Halide::CompileError("filter_norm: taps must be at least 2 and "
                               "divide the channels");
  int lanes = target.natural_vector_size<float>();
  Shape shape = {kBatch, desc.channels, desc.height, desc.width};
  KernelPipeline kernel;
  ImageParam input = denseInput("input", shape);
  kernel.inputs = {input};
  std::optional<ImageParam> scale;
  if (desc.hasScale) {
    scale = denseInput("scale", {desc.channels});
    kernel.inputs.push_back(*scale);
  }

  // Statistics of the taps of group g at one pixel; unbiased variance.
  Var x("x"), y("y"), g("g"), n("n"), ch("ch"), t("t"), gn("gn");
  Halide::RDom r(0, taps, "r");
  Func mean("mean"), reciprocal("reciprocal");
  mean(x, y, g, n) =
      Halide::sum(input(x, y, g * taps + r, n)) / static_cast<float>(taps);
  Expr centred = input(x, y, g * taps + r, n) - mean(x, y, g, n);
  Expr variance = Halide::sum(centred * centred) / static_cast<float>(taps - 1);
  reciprocal(x, y, g, n) = desc.gain / (Halide::sqrt(variance) + desc.epsilon);
  Func out("filter_norm");
  Expr group = ch / taps;
  Expr normalised =
      (input(x, y, ch, n) - mean(x, y, group, n)) * reciprocal(x, y, group, n);
  out(x, y, ch, n) = scale ? normalised * (*scale)(ch) : normalised;
  constrainDense(out.output_buffer(), shape);

  // One row of one group at a time: its statistics, vectorised along x, then
  // its taps.
  out.split(ch, g, t, taps).reorder(x, t, y, g, n).fuse(g, n, gn).parallel(gn);
  vectorizePure(out, x, desc.width, lanes);
  for (Func stat : {mean, reciprocal}) {
    stat.compute_at(out, y);
    vectorizePure(stat, x, desc.width, lanes);
  }
  kernel.pipeline = out;
  return kernel;
}

std::string describe(const DDFKernel &desc) {
  std::ostringstream os;
  os << "ddf " << desc.kernelSize << "x" << desc.kernelSize << " "
     << desc.channels << " " << desc.height << "x" << desc.width << " s"
     << desc.stride << " d" << desc.dilation
     << (desc.combine == DDFCombine::Mul ? " mul" : " add");
  return os.str();
}

std::string describe(const FilterNormKernel &desc) {
  std::ostringstream os;
  os << "filter_norm " << desc.channels << "x" << desc.height << "x"
     << desc.width << " taps" << desc.taps << (desc.hasScale ? " scaled" : "");
  return os.str();
}

} // namespace mlir::dyconv::codegen
