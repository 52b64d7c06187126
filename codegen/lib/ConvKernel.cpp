//===- ConvKernel.cpp - static and per-sample conv2d with fused epilogue --===//
//
// The algorithm is PyTorch's Conv2d followed by the epilogue (* scale, +
// bias, + residual, activation). Every extent but the batch is a compile-time
// constant, and the descriptor carries the schedule that
// dyconv-select-schedules chose:
//
//  - Blocked, BlockedDepthwise: channel-blocked activations and packed
//    weights (BlockedConvKernel.cpp);
//  - XVectors: NCHW activations, a register tile of vectors along x times a
//    few output channels (weights broadcast), the reduction (input channels,
//    then taps) outside the tile; for grouped convolutions;
//  - Depthwise: NCHW, vectors along x, taps unrolled.
//
// Tiles that do not divide an extent are shifted inwards (recomputing a few
// outputs), which is legal because every tile is no larger than its extent.
// The NCHW input is staged once: zero-padded and, when x vectors meet a
// stride, split by column phase so that every tap is a dense vector load.
//
//===----------------------------------------------------------------------===//

#include "ConvCommon.h"
#include "HalideHelpers.h"

#include "dyconv/Dialect/ConvSchedule.h"
#include "dyconv/Dialect/ShapeUtils.h"

#include <algorithm>
#include <sstream>

namespace mlir::dyconv::codegen {

using namespace Halide;

ConvGeometry analyzeConv(const ConvKernel &desc) {
  auto fail = [&](const std::string &why) {
    throw CompileError("conv2d: " + why + " (" + describe(desc) + ")");
  };
  if (desc.inChannels <= 0 || desc.outChannels <= 0 || desc.height <= 0 ||
      desc.width <= 0 || desc.kernelH <= 0 || desc.kernelW <= 0)
    fail("extents must be positive");
  if (desc.stride[0] <= 0 || desc.stride[1] <= 0 || desc.dilation[0] <= 0 ||
      desc.dilation[1] <= 0)
    fail("strides and dilations must be positive");
  if (std::any_of(desc.padding.begin(), desc.padding.end(),
                  [](int64_t p) { return p < 0; }))
    fail("padding must be non-negative");
  if (desc.groups <= 0 || desc.inChannels % desc.groups ||
      desc.outChannels % desc.groups)
    fail("groups must divide both channel counts");
  std::optional<int64_t> outH = shape::slidingWindowSize(
      desc.height, desc.kernelH, desc.stride[0], desc.padding[0],
      desc.padding[2], desc.dilation[0]);
  std::optional<int64_t> outW = shape::slidingWindowSize(
      desc.width, desc.kernelW, desc.stride[1], desc.padding[1],
      desc.padding[3], desc.dilation[1]);
  if (!outH || !outW)
    fail("the window is larger than the padded input");

  ConvGeometry g;
  g.inW = int(desc.width);
  g.inH = int(desc.height);
  g.inC = int(desc.inChannels);
  g.outW = int(*outW);
  g.outH = int(*outH);
  g.outC = int(desc.outChannels);
  g.kernelW = int(desc.kernelW);
  g.kernelH = int(desc.kernelH);
  g.strideX = int(desc.stride[1]);
  g.strideY = int(desc.stride[0]);
  g.dilationX = int(desc.dilation[1]);
  g.dilationY = int(desc.dilation[0]);
  g.padTop = int(desc.padding[0]);
  g.padLeft = int(desc.padding[1]);
  g.inPerGroup = int(desc.inChannels / desc.groups);
  g.outPerGroup = int(desc.outChannels / desc.groups);
  g.padded = std::any_of(desc.padding.begin(), desc.padding.end(),
                         [](int64_t p) { return p > 0; });
  return g;
}

std::vector<int> convTile(const ConvKernel &desc) {
  size_t size = scheduleTileSize(desc.schedule);
  if (desc.tile.empty())
    throw CompileError("conv2d has no schedule (" + describe(desc) +
                       "): run --dyconv-select-schedules");
  if (desc.tile.size() != size ||
      std::any_of(desc.tile.begin(), desc.tile.end(),
                  [](int64_t t) { return t < 1; }))
    throw CompileError("conv2d schedule " +
                       stringifyConvScheduleKind(desc.schedule).str() +
                       " needs " + std::to_string(size) +
                       " positive tile extents (" + describe(desc) + ")");
  return std::vector<int>(desc.tile.begin(), desc.tile.end());
}

Expr applyEpilogue(const Epilogue &epi, Expr acc, Expr scale, Expr bias,
                   Expr residual) {
  Expr value = acc;
  if (epi.scale)
    value *= scale;
  if (epi.bias)
    value += bias;
  if (epi.residual)
    value += residual;
  if (epi.activation == Activation::Relu)
    value = max(value, 0.0f);
  else if (epi.activation == Activation::Clip)
    value = clamp(value, epi.clipMin, epi.clipMax);
  return value;
}

namespace {

/// Declares \p param dense with constant extents \p extents (innermost
/// first); a trailing symbolic batch dimension is left unbounded.
void requireDense(OutputImageParam param, const std::vector<int> &extents) {
  Expr stride = 1;
  for (size_t d = 0; d < extents.size(); ++d) {
    param.dim(int(d)).set_bounds(0, extents[d]).set_stride(stride);
    stride = stride * extents[d];
  }
  if (size_t(param.dimensions()) > extents.size())
    param.dim(int(extents.size())).set_min(0).set_stride(stride);
}

/// The largest power of two not above \p n.
int floorPow2(int n) {
  int p = 1;
  while (p * 2 <= n)
    p *= 2;
  return p;
}

/// The Funcs and Vars of one NCHW convolution, shared by its schedules.
struct ConvFuncs {
  Var x{"x"}, y{"y"}, c{"c"}, n{"n"};
  Func padded{"padded"};
  /// The input as the reduction reads it: `padded`, or its columns split by
  /// phase modulo the stride so that strided windows load dense vectors.
  Func staged{"staged_input"};
  /// Whether `staged` is stored (padded or phase-split) rather than inlined.
  bool stagedStored = false;
  Func conv{"conv"}, output{"output"};
  RDom r;
};

/// Schedules the depthwise case: x vectors of one channel, taps unrolled.
void scheduleDepthwise(ConvFuncs &f, const ConvGeometry &g, int vectorSize) {
  int lanes = std::min(vectorSize, floorPow2(g.outW));
  int columns = lanes * std::min(2, g.outW / lanes);
  int rows = std::min(2, g.outH);
  Var xo("xo"), xi("xi"), yo("yo"), yi("yi"), task("task");
  f.output.split(f.x, xo, xi, columns, TailStrategy::ShiftInwards)
      .split(f.y, yo, yi, rows, TailStrategy::ShiftInwards)
      .reorder(xi, yi, xo, yo, f.c, f.n)
      .vectorize(xi, lanes)
      .unroll(xi)
      .unroll(yi)
      .fuse(f.c, f.n, task)
      .parallel(task);
  f.conv.compute_at(f.output, xo)
      .store_in(MemoryType::Register)
      .vectorize(f.x, lanes)
      .unroll(f.x)
      .unroll(f.y);
  f.conv.update()
      .reorder(f.x, f.y, f.r.x, f.r.y, f.r.z, f.c, f.n)
      .vectorize(f.x, lanes)
      .unroll(f.x)
      .unroll(f.y)
      .unroll(f.r.x)
      .unroll(f.r.y);
  // One staged input plane per task stays in L1.
  if (f.stagedStored)
    f.staged.compute_at(f.output, task)
        .vectorize(f.staged.args()[0], vectorSize);
  // Padding a phase-split plane directly would gather; pad it densely first.
  if (g.padded && g.strideX > 1)
    f.padded.compute_at(f.output, task)
        .vectorize(f.padded.args()[0], vectorSize);
}

/// Schedules an x-vector register tile of `lanes`-wide vectors, `channels`
/// output channels, `columns` and `rows`: the tile loops innermost and
/// unrolled, the reduction (input channels, then taps) around them, and
/// parallel tasks over batch x row blocks x channel blocks.
void scheduleXVectors(ConvFuncs &f, int lanes, int channels, int columns,
                      int rows) {
  Var xo("xo"), xi("xi"), yo("yo"), yi("yi"), co("co"), ci("ci");
  Var rowBlock("row_block"), task("task");
  f.output.split(f.x, xo, xi, columns, TailStrategy::ShiftInwards)
      .split(f.y, yo, yi, rows, TailStrategy::ShiftInwards)
      .split(f.c, co, ci, channels, TailStrategy::ShiftInwards)
      .reorder(xi, ci, yi, xo, co, yo, f.n)
      .vectorize(xi, lanes)
      .unroll(xi)
      .unroll(yi)
      .unroll(ci)
      .fuse(co, yo, rowBlock)
      .fuse(rowBlock, f.n, task)
      .parallel(task);
  f.conv.compute_at(f.output, xo)
      .store_in(MemoryType::Register)
      .vectorize(f.x, lanes)
      .unroll(f.x)
      .unroll(f.c)
      .unroll(f.y);
  f.conv.update()
      .reorder(f.x, f.c, f.y, f.r.x, f.r.y, f.r.z, f.n)
      .vectorize(f.x, lanes)
      .unroll(f.x)
      .unroll(f.c)
      .unroll(f.y)
      .unroll(f.r.x);
  if (f.stagedStored) {
    std::vector<Var> args = f.staged.args();
    Var plane("plane");
    f.staged.compute_root()
        .fuse(args[args.size() - 2], args.back(), plane)
        .parallel(plane)
        .vectorize(args[0], lanes);
  }
}

} // namespace

KernelPipeline buildPlainConv(const ConvKernel &desc, const ConvGeometry &g,
                              const Target &target) {
  const Epilogue &epi = desc.epilogue;
  bool depthwise = desc.schedule == ConvScheduleKind::Depthwise;
  if (depthwise && !g.depthwise())
    throw CompileError("conv2d: the depthwise schedule needs one input and "
                       "one output channel per group (" +
                       describe(desc) + ")");
  std::vector<int> tile = depthwise ? std::vector<int>{} : convTile(desc);

  ImageParam input(Float(32), 4, "input");
  ImageParam weight(Float(32), desc.perSample ? 5 : 4, "weight");
  ImageParam scale(Float(32), epi.perSampleScale ? 2 : 1, "scale");
  ImageParam bias(Float(32), 1, "bias");
  ImageParam residual(Float(32), 4, "residual");
  KernelPipeline kernel;
  kernel.inputs = {input, weight};
  if (epi.scale)
    kernel.inputs.push_back(scale);
  if (epi.bias)
    kernel.inputs.push_back(bias);
  if (epi.residual)
    kernel.inputs.push_back(residual);

  ConvFuncs f;
  Var &x = f.x, &y = f.y, &c = f.c, &n = f.n;

  // Zero padding: reads outside the image see 0. A phase split stages every
  // phase of the last columns, which may lie past an unpadded input too.
  bool phaseSplit = g.strideX > 1;
  if (g.padded || phaseSplit)
    f.padded = BoundaryConditions::constant_exterior(input, 0.0f,
                                                     {{0, g.inW}, {0, g.inH}});
  else
    f.padded(x, y, c, n) = input(x, y, c, n);

  f.r = RDom(0, g.kernelW, 0, g.kernelH, 0, g.inPerGroup, "r");
  Expr group = c / g.outPerGroup;
  Expr inY = y * g.strideY + f.r.y * g.dilationY - g.padTop;
  Expr inC = group * g.inPerGroup + f.r.z;
  Expr window;
  // x vectors over a strided window would load and shuffle every tap;
  // splitting the columns by phase once makes each tap a dense load.
  if (phaseSplit) {
    Var xq("xq"), phase("phase");
    f.staged(xq, phase, y, c, n) =
        f.padded(xq * g.strideX + phase - g.padLeft, y, c, n);
    Expr tapX = f.r.x * g.dilationX;
    window = f.staged(x + tapX / g.strideX, tapX % g.strideX, inY, inC, n);
  } else {
    f.staged(x, y, c, n) = f.padded(x, y, c, n);
    window =
        f.staged(x * g.strideX + f.r.x * g.dilationX - g.padLeft, inY, inC, n);
  }
  f.stagedStored = phaseSplit || g.padded;
  Expr w = desc.perSample ? weight(f.r.x, f.r.y, f.r.z, c, n)
                          : weight(f.r.x, f.r.y, f.r.z, c);
  f.conv(x, y, c, n) = 0.0f;
  f.conv(x, y, c, n) += w * window;
  f.output(x, y, c, n) = applyEpilogue(
      epi, f.conv(x, y, c, n), epi.perSampleScale ? scale(c, n) : scale(c),
      bias(c), residual(x, y, c, n));

  // Constant extents let Halide drop bounds arithmetic and specialise.
  requireDense(input, {g.inW, g.inH, g.inC});
  requireDense(weight, {g.kernelW, g.kernelH, g.inPerGroup, g.outC});
  if (epi.scale)
    requireDense(scale, {g.outC}); // a per-sample scale's batch stays free
  if (epi.bias)
    requireDense(bias, {g.outC});
  if (epi.residual)
    requireDense(residual, {g.outW, g.outH, g.outC});
  requireDense(f.output.output_buffer(), {g.outW, g.outH, g.outC});

  if (depthwise)
    scheduleDepthwise(f, g, target.natural_vector_size<float>());
  else
    scheduleXVectors(f, tile[0], tile[1], tile[2], tile[3]);
  kernel.pipeline = Pipeline(f.output);
  return kernel;
}

KernelPipeline buildConv(const ConvKernel &desc,
                         const std::vector<Layout> &layouts,
                         const Target &target) {
  ConvGeometry g = analyzeConv(desc);
  switch (desc.schedule) {
  case ConvScheduleKind::Blocked:
  case ConvScheduleKind::BlockedDepthwise:
    return buildBlockedConv(desc, g, layouts, target);
  case ConvScheduleKind::XVectors:
  case ConvScheduleKind::Depthwise:
    if (desc.aggregation)
      throw CompileError("conv2d: only a blocked schedule aggregates its "
                         "kernels (" +
                         describe(desc) + ")");
    if (!std::all_of(layouts.begin(), layouts.end(),
                     [](const Layout &l) { return l.isPlain(); }))
      throw CompileError("conv2d: the " +
                         stringifyConvScheduleKind(desc.schedule).str() +
                         " schedule reads and writes NCHW tensors only (" +
                         describe(desc) + ")");
    return buildPlainConv(desc, g, target);
  }
  throw CompileError("conv2d: unknown schedule");
}

std::string describe(const ConvKernel &desc) {
  std::ostringstream os;
  os << (desc.perSample ? "dynamic_conv2d " : "conv2d ") << desc.kernelH << "x"
     << desc.kernelW << " " << desc.inChannels << "->" << desc.outChannels
     << " " << desc.height << "x" << desc.width << " s" << desc.stride[0];
  if (desc.stride[1] != desc.stride[0])
    os << "x" << desc.stride[1];
  os << " g" << desc.groups;
  if (desc.dilation[0] != 1 || desc.dilation[1] != 1)
    os << " d" << desc.dilation[0] << "x" << desc.dilation[1];
  if (std::any_of(desc.padding.begin(), desc.padding.end(),
                  [](int64_t p) { return p != 0; }))
    os << " p" << desc.padding[0] << "," << desc.padding[1] << ","
       << desc.padding[2] << "," << desc.padding[3];
  const Epilogue &epi = desc.epilogue;
  std::string stages = std::string(epi.perSampleScale ? "*scale[n]"
                                   : epi.scale        ? "*scale"
                                                      : "") +
                       (epi.bias ? "+bias" : "") + (epi.residual ? "+res" : "");
  if (!stages.empty())
    os << " " << stages;
  if (desc.aggregation)
    os << " aggregating K" << desc.aggregation->kernels;
  if (epi.activation == Activation::Relu)
    os << " relu";
  else if (epi.activation == Activation::Clip)
    os << " clip(" << epi.clipMin << "," << epi.clipMax << ")";
  // Only the NCHW depthwise kind has no tile; an x_vectors kind without one
  // is the descriptor's default, no schedule yet.
  if (!desc.tile.empty() || desc.schedule == ConvScheduleKind::Depthwise) {
    os << ", " << stringifyConvScheduleKind(desc.schedule).str();
    for (size_t i = 0; i < desc.tile.size(); ++i)
      os << (i ? "x" : " ") << desc.tile[i];
  }
  return os.str();
}

} // namespace mlir::dyconv::codegen
