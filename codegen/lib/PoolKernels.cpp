//===- PoolKernels.cpp - max, average and global average pooling ----------===//
//
// Window placement follows PyTorch (and the reference interpreter): window
// (oy, ox) starts at (oy*sh - top, ox*sw - left); with ceil mode a last window
// that would start in the end padding is dropped. Taps outside the input never
// win a max and add nothing to an average.
//
//===----------------------------------------------------------------------===//

#include "Builders.h"
#include "HalideHelpers.h"
#include "LayoutAccess.h"

#include "dyconv/Dialect/ShapeUtils.h"

#include <functional>
#include <limits>

namespace mlir::dyconv::codegen {

using Halide::Expr;
using Halide::Func;
using Halide::ImageParam;
using Halide::Var;

namespace {

/// The pooled extents {height, width}, checking the attributes.
std::array<int64_t, 2> pooledSize(const PoolKernel &desc) {
  if (desc.kind == PoolKind::GlobalAverage)
    return {1, 1};
  for (int axis = 0; axis < 2; ++axis)
    if (desc.kernel[axis] < 1 || desc.stride[axis] < 1 ||
        desc.dilation[axis] < 1)
      throw Halide::CompileError("pooling kernel, stride and dilation must be "
                                 "positive");
  for (int64_t pad : desc.padding)
    if (pad < 0)
      throw Halide::CompileError("pooling padding must be non-negative");
  if (desc.kind == PoolKind::Average &&
      (desc.dilation[0] != 1 || desc.dilation[1] != 1))
    throw Halide::CompileError("average pooling has no dilation");
  std::array<int64_t, 2> size;
  std::array<int64_t, 2> in = {desc.height, desc.width};
  for (int axis = 0; axis < 2; ++axis) {
    std::optional<int64_t> windows = shape::slidingWindowSize(
        in[axis], desc.kernel[axis], desc.stride[axis], desc.padding[axis],
        desc.padding[axis + 2], desc.dilation[axis], desc.ceilMode);
    if (!windows)
      throw Halide::CompileError("the pooling window does not fit the padded "
                                 "input");
    size[axis] = *windows;
  }
  return size;
}

/// Whether some window reaches outside the input along `axis` (0: rows).
bool readsOutside(const PoolKernel &desc, int axis, int64_t outSize) {
  int64_t in = axis == 0 ? desc.height : desc.width;
  int64_t lastTap = (outSize - 1) * desc.stride[axis] - desc.padding[axis] +
                    (desc.kernel[axis] - 1) * desc.dilation[axis];
  return desc.padding[axis] > 0 || lastTap >= in;
}

/// The shape [N, C, H, W] of `desc`'s planes of `height` x `width`.
Shape planes(const PoolKernel &desc, int64_t height, int64_t width) {
  return {kBatch, desc.channels, height, width};
}

/// Global average pooling: the per-channel mean of an input in any layout,
/// stored as the [N, C, 1, 1] output in its layout.
KernelPipeline buildGlobalAverage(const PoolKernel &desc,
                                  const std::vector<Layout> &layouts,
                                  const Halide::Target &target) {
  Layout inLayout = layouts.empty() ? Layout() : layouts[0];
  Layout outLayout = layouts.empty() ? Layout() : layouts[1];
  LayoutArgument input = LayoutArgument::input(
      "input", planes(desc, desc.height, desc.width), inLayout);
  int vectorSize = target.natural_vector_size<float>();
  Func mean = meanOverPlane(input, vectorSize);
  std::vector<Var> vars;
  Func out = defineOutput(
      "global_avgpool", planes(desc, 1, 1), outLayout,
      [&](const std::vector<Expr> &index) { return mean(index[1], index[0]); },
      vars);
  vectorizePure(out, vars[0], outLayout.isPlain() ? 1 : outLayout.tiles.front(),
                vectorSize);
  if (outLayout.isPlain())
    vectorizePure(out, vars[2], desc.channels, vectorSize);
  return {Halide::Pipeline(out), {input.param}};
}

/// Folds the `count` taps `tap(k)` of a window axis with max or +.
Expr foldTaps(bool isMax, int64_t count, const std::function<Expr(int)> &tap) {
  Expr value = tap(0);
  for (int k = 1; k < count; ++k)
    value = isMax ? Halide::max(value, tap(k)) : value + tap(k);
  return value;
}

/// The input coordinate of tap `k` of the window at output `position` along
/// `axis` (0: rows).
Expr tapCoordinate(const PoolKernel &desc, int axis, const Expr &position,
                   int k) {
  return position * static_cast<int>(desc.stride[axis]) +
         static_cast<int>(k * desc.dilation[axis] - desc.padding[axis]);
}

/// The number of input elements average pooling divides by at (x, y).
Expr averageDivisor(const PoolKernel &desc, const Var &x, const Var &y) {
  Expr area = 1;
  std::array<Var, 2> position = {y, x};
  std::array<int64_t, 2> in = {desc.height, desc.width};
  for (int axis = 0; axis < 2; ++axis) {
    // The window, clipped to the padded input, then (unless
    // count_include_pad) to the input.
    Expr begin = position[axis] * static_cast<int>(desc.stride[axis]) -
                 static_cast<int>(desc.padding[axis]);
    Expr end = Halide::min(begin + static_cast<int>(desc.kernel[axis]),
                           static_cast<int>(in[axis] + desc.padding[axis + 2]));
    if (!desc.countIncludePad) {
      begin = Halide::max(begin, 0);
      end = Halide::min(end, static_cast<int>(in[axis]));
    }
    area *= Halide::max(end - begin, 0);
  }
  // An empty window sums to 0; any divisor keeps it 0.
  return Halide::cast<float>(Halide::max(area, 1));
}

} // namespace

KernelPipeline buildPool(const PoolKernel &desc,
                         const std::vector<Layout> &layouts,
                         const Halide::Target &target) {
  if (desc.kind == PoolKind::GlobalAverage)
    return buildGlobalAverage(desc, layouts, target);
  // Windows pool each channel on its own: a channel-blocked input gives a
  // blocked output whose lanes are the vectors.
  Layout layout = layouts.empty() ? Layout() : layouts[0];
  if (!layouts.empty() &&
      (!(layouts[1] == layout) ||
       (!layout.isPlain() && layout.dims != std::vector<int64_t>{1})))
    throw Halide::CompileError("pooling keeps an NCHW or channel-blocked "
                               "layout");
  int block = layout.isPlain() ? 0 : static_cast<int>(layout.tiles[0]);
  std::array<int64_t, 2> outSize = pooledSize(desc);
  ImageParam input = denseInput(
      "input", layout.physicalShape(planes(desc, desc.height, desc.width)));
  bool isMax = desc.kind == PoolKind::Max;
  bool padded =
      readsOutside(desc, 0, outSize[0]) || readsOutside(desc, 1, outSize[1]);
  size_t xDim = block ? 1 : 0;
  Func source = static_cast<Func>(input);
  if (padded) {
    Expr outside =
        isMax ? Expr(-std::numeric_limits<float>::infinity()) : Expr(0.0f);
    Halide::Region bounds(input.dimensions(), Halide::Range());
    bounds[xDim] = Halide::Range(0, static_cast<int>(desc.width));
    bounds[xDim + 1] = Halide::Range(0, static_cast<int>(desc.height));
    source =
        Halide::BoundaryConditions::constant_exterior(input, outside, bounds);
  }

  // The window is separable: reduce along x, then along y.
  Var l("l"), x("x"), y("y"), c("c"), n("n"), plane("plane");
  std::vector<Var> args =
      block ? std::vector<Var>{l, x, y, c, n} : std::vector<Var>{x, y, c, n};
  auto at = [&](Func f, Expr atX, Expr atY) {
    std::vector<Expr> index(args.begin(), args.end());
    index[xDim] = atX;
    index[xDim + 1] = atY;
    return f(index);
  };
  Func rows(isMax ? "maxpool_rows" : "avgpool_rows");
  rows(args) = foldTaps(isMax, desc.kernel[1], [&](int k) {
    return at(source, tapCoordinate(desc, 1, x, k), y);
  });
  Expr value = foldTaps(isMax, desc.kernel[0], [&](int k) {
    return at(rows, x, tapCoordinate(desc, 0, y, k));
  });
  if (!isMax)
    value = value / averageDivisor(desc, x, y);
  Func out(isMax ? "maxpool" : "avgpool");
  out(args) = value;
  constrainDense(out.output_buffer(),
                 layout.physicalShape(planes(desc, outSize[0], outSize[1])));

  int vectorSize = target.natural_vector_size<float>();
  out.fuse(c, n, plane).parallel(plane);
  rows.compute_at(out, plane);
  if (block) {
    out.vectorize(l);
    rows.vectorize(l);
  } else {
    vectorizePure(out, x, outSize[1], vectorSize);
    vectorizePure(rows, x, outSize[1], vectorSize);
  }
  return {Halide::Pipeline(out), {input}};
}

std::string describe(const PoolKernel &desc) {
  std::string planes = std::to_string(desc.channels) + "x" +
                       std::to_string(desc.height) + "x" +
                       std::to_string(desc.width);
  if (desc.kind == PoolKind::GlobalAverage)
    return "global_avgpool " + planes;
  std::string text = desc.kind == PoolKind::Max ? "maxpool " : "avgpool ";
  text += std::to_string(desc.kernel[0]) + "x" +
          std::to_string(desc.kernel[1]) + " " + planes + " s" +
          std::to_string(desc.stride[0]);
  if (desc.dilation[0] != 1 || desc.dilation[1] != 1)
    text += " d" + std::to_string(desc.dilation[0]);
  return desc.ceilMode ? text + " ceil" : text;
}

} // namespace mlir::dyconv::codegen
