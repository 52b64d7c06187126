//===- ConvKernel.cpp - static and per-sample conv2d with fused epilogue --===//
//
// The algorithm is PyTorch's Conv2d on NCHW tensors followed by the epilogue
// (+ bias, + residual, activation). Every extent but the batch is a
// compile-time constant, so the schedule is chosen per descriptor:
//
//  - depthwise (one input channel per group): vectorized over x, taps
//    unrolled, a zero-padded copy of one input plane per channel task;
//  - otherwise a register tile of outputs, accumulated over the reduction
//    (input channels outermost, taps inner) with every tile loop unrolled,
//    in one of two orientations, whichever a small cost model prefers:
//      * spatial: vectors along x times a few output channels (weights
//        broadcast), for rows wide enough to fill vectors;
//      * channel: vectors along the output channels times a few pixels
//        (inputs broadcast, weights repacked channel-innermost), for small
//        images such as 7x7 and 14x14.
//
// Tiles that do not divide an extent are shifted inwards (recomputing a few
// outputs), which is legal because every tile is no larger than its extent.
// The input is staged once: zero-padded and, when x vectors meet a stride,
// split by column phase so that every tap is a dense vector load.
//
//===----------------------------------------------------------------------===//

#include "Builders.h"

#include "dyconv/Dialect/ShapeUtils.h"

#include <algorithm>
#include <sstream>

namespace mlir::dyconv::codegen {

using namespace Halide;

namespace {

/// The shape facts of one convolution, as ints for Halide expressions.
struct ConvGeometry {
  int batchlessInput[3]; ///< W, H, Cin
  int outW, outH, outC;  ///< output extents
  int kernelW, kernelH;  ///< taps
  int strideX, strideY;  ///< strides
  int dilationX, dilationY;
  int padLeft, padTop;
  int inPerGroup, outPerGroup;
  bool padded; ///< some padding is non-zero
  bool depthwise() const { return inPerGroup == 1; }
  /// Multiply-accumulates per output element.
  int reduction() const { return inPerGroup * kernelW * kernelH; }
};

/// Checks \p desc and derives its geometry; throws Halide::CompileError for
/// descriptors that do not describe a convolution.
ConvGeometry analyze(const ConvKernel &desc) {
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
  g.batchlessInput[0] = int(desc.width);
  g.batchlessInput[1] = int(desc.height);
  g.batchlessInput[2] = int(desc.inChannels);
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

/// How many elements tiles of \p tile compute to cover \p extent when the
/// last one is shifted inwards.
double covered(int extent, int tile) {
  return double((extent + tile - 1) / tile * tile);
}

/// A register tile of outputs and the axis its vectors run along.
struct RegisterTile {
  bool channelVectors = false; ///< vectors along Cout, else along x
  int lanes = 1;               ///< vector width
  int channels = 1;            ///< output channels per tile
  int columns = 1;             ///< x positions per tile
  int rows = 1;                ///< y positions per tile
  double cost = 1e30;          ///< estimated cycles per useful MAC
};

/// Estimated cycles per useful multiply-accumulate of \p tile. Per
/// reduction step the tile issues its FMAs (two per cycle up to 256 bits,
/// one per cycle at 512), its loads (two per cycle) and one step of loop
/// overhead, and waits at least an FMA latency on each accumulator. Outputs
/// recomputed by shifted tails do not count; channel vectors pay for the
/// weight repacking and for storing lanes one by one.
double tileCost(const RegisterTile &tile, const ConvGeometry &g) {
  int vectors = tile.channels * tile.columns * tile.rows / tile.lanes;
  int broadcasts =
      tile.channelVectors ? tile.columns * tile.rows : tile.channels;
  int vectorLoads =
      tile.channelVectors
          ? tile.channels / tile.lanes
          : tile.columns / tile.lanes * tile.rows * (g.strideX > 1 ? 2 : 1);
  double fmaIssue = tile.lanes > 8 ? 1.0 : 2.0;
  constexpr double kFmaLatency = 4.0, kLoopOverhead = 0.5;
  double cycles = std::max({vectors / fmaIssue,
                            (broadcasts + vectorLoads) / 2.0, kFmaLatency}) +
                  kLoopOverhead;
  double useful = double(g.outC) / covered(g.outC, tile.channels) *
                  double(g.outW) / covered(g.outW, tile.columns) *
                  double(g.outH) / covered(g.outH, tile.rows);
  double perMac = cycles / (vectors * tile.lanes * useful);
  if (tile.channelVectors)
    perMac += 1.0 / g.reduction() + 1.0 / (g.outW * g.outH);
  return perMac;
}

/// The cheapest register tile for \p g with at most \p accumulators vector
/// accumulators of \p vectorSize or half as many lanes.
RegisterTile chooseTile(const ConvGeometry &g, int vectorSize,
                        int accumulators) {
  RegisterTile best;
  auto consider = [&](RegisterTile tile) {
    tile.cost = tileCost(tile, g);
    if (tile.cost < best.cost)
      best = tile;
  };
  for (int lanes : {vectorSize, std::max(1, vectorSize / 2)}) {
    int xLanes = std::min(lanes, floorPow2(g.outW));
    for (int rows = 1; rows <= std::min(4, g.outH); ++rows) {
      for (int channels = 1; channels <= std::min(8, g.outC); ++channels)
        for (int xVectors = 1; xVectors <= 4; ++xVectors)
          if (channels * xVectors * rows <= accumulators &&
              xVectors * xLanes <= g.outW)
            consider({false, xLanes, channels, xVectors * xLanes, rows});
      for (int cVectors = 1; cVectors * lanes <= g.outC && cVectors <= 4;
           ++cVectors)
        for (int columns = 1; columns <= std::min(8, g.outW); ++columns)
          if (cVectors * columns * rows <= accumulators)
            consider({true, lanes, cVectors * lanes, columns, rows});
    }
  }
  return best;
}

/// The Funcs and Vars of one convolution, shared by the schedules.
struct ConvFuncs {
  Var x{"x"}, y{"y"}, c{"c"}, n{"n"};
  Func padded{"padded"}, packedWeight{"packed_weight"};
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

/// Schedules a register tile: the tile loops innermost and unrolled, the
/// reduction (input channels, then taps) around them, and parallel tasks
/// over batch x row blocks x channel blocks.
void scheduleTiled(ConvFuncs &f, const ConvGeometry &g,
                   const RegisterTile &tile) {
  Var xo("xo"), xi("xi"), yo("yo"), yi("yi"), co("co"), ci("ci");
  Var rowBlock("row_block"), task("task");
  Var vectorVar = tile.channelVectors ? ci : xi;
  f.output.split(f.x, xo, xi, tile.columns, TailStrategy::ShiftInwards)
      .split(f.y, yo, yi, tile.rows, TailStrategy::ShiftInwards)
      .split(f.c, co, ci, tile.channels, TailStrategy::ShiftInwards);
  if (tile.channelVectors)
    f.output.reorder(ci, xi, yi, xo, co, yo, f.n);
  else
    f.output.reorder(xi, ci, yi, xo, co, yo, f.n);
  f.output.vectorize(vectorVar, tile.lanes)
      .unroll(xi)
      .unroll(yi)
      .unroll(ci)
      .fuse(co, yo, rowBlock)
      .fuse(rowBlock, f.n, task)
      .parallel(task);

  Var innerVar = tile.channelVectors ? f.c : f.x;
  Var otherVar = tile.channelVectors ? f.x : f.c;
  f.conv.compute_at(f.output, xo)
      .store_in(MemoryType::Register)
      .vectorize(innerVar, tile.lanes)
      .unroll(innerVar)
      .unroll(otherVar)
      .unroll(f.y);
  if (tile.channelVectors)
    f.conv.reorder_storage(f.c, f.x, f.y, f.n);
  f.conv.update()
      .reorder(innerVar, otherVar, f.y, f.r.x, f.r.y, f.r.z, f.n)
      .vectorize(innerVar, tile.lanes)
      .unroll(innerVar)
      .unroll(otherVar)
      .unroll(f.y)
      .unroll(f.r.x);
  if (tile.channelVectors)
    f.packedWeight.compute_root().parallel(f.packedWeight.args().back());
  if (f.stagedStored) {
    std::vector<Var> args = f.staged.args();
    Var plane("plane");
    f.staged.compute_root()
        .fuse(args[args.size() - 2], args.back(), plane)
        .parallel(plane)
        .vectorize(args[0], tile.lanes);
  }
}

} // namespace

KernelPipeline buildConv(const ConvKernel &desc, const Target &target) {
  ConvGeometry g = analyze(desc);
  const Epilogue &epi = desc.epilogue;

  ImageParam input(Float(32), 4, "input");
  ImageParam weight(Float(32), desc.perSample ? 5 : 4, "weight");
  ImageParam bias(Float(32), 1, "bias");
  ImageParam residual(Float(32), 4, "residual");
  KernelPipeline kernel;
  kernel.inputs = {input, weight};
  if (epi.bias)
    kernel.inputs.push_back(bias);
  if (epi.residual)
    kernel.inputs.push_back(residual);

  int vectorSize = target.natural_vector_size<float>();
  bool manyRegisters = target.has_feature(Target::AVX512) ||
                       (target.arch == Target::ARM && target.bits == 64);
  RegisterTile tile = chooseTile(g, vectorSize, manyRegisters ? 24 : 12);

  ConvFuncs f;
  Var &x = f.x, &y = f.y, &c = f.c, &n = f.n;

  // Zero padding: reads outside the image see 0.
  if (g.padded)
    f.padded = BoundaryConditions::constant_exterior(
        input, 0.0f, {{0, g.batchlessInput[0]}, {0, g.batchlessInput[1]}});
  else
    f.padded(x, y, c, n) = input(x, y, c, n);

  // Weights as [co][kx][ky][ci] with co innermost, for channel vectors.
  auto weightAt = [&](Expr co, Expr ci, Expr ky, Expr kx) -> Expr {
    if (tile.channelVectors && !g.depthwise())
      return desc.perSample ? f.packedWeight(co, kx, ky, ci, n)
                            : f.packedWeight(co, kx, ky, ci);
    return desc.perSample ? weight(kx, ky, ci, co, n) : weight(kx, ky, ci, co);
  };
  f.r = RDom(0, g.kernelW, 0, g.kernelH, 0, g.inPerGroup, "r");
  Var k("k");
  if (desc.perSample)
    f.packedWeight(c, x, y, k, n) = weight(x, y, k, c, n);
  else
    f.packedWeight(c, x, y, k) = weight(x, y, k, c);

  Expr group = c / g.outPerGroup;
  Expr inY = y * g.strideY + f.r.y * g.dilationY - g.padTop;
  Expr inC = group * g.inPerGroup + f.r.z;
  Expr window;
  // x vectors over a strided window would load and shuffle every tap;
  // splitting the columns by phase once makes each tap a dense load.
  bool phaseSplit = g.strideX > 1 && (g.depthwise() || !tile.channelVectors);
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
  f.conv(x, y, c, n) = 0.0f;
  f.conv(x, y, c, n) += weightAt(c, f.r.z, f.r.y, f.r.x) * window;

  Expr value = f.conv(x, y, c, n);
  if (epi.bias)
    value += bias(c);
  if (epi.residual)
    value += residual(x, y, c, n);
  if (epi.activation == Activation::Relu)
    value = max(value, 0.0f);
  else if (epi.activation == Activation::Clip)
    value = clamp(value, epi.clipMin, epi.clipMax);
  f.output(x, y, c, n) = value;

  // Constant extents let Halide drop bounds arithmetic and specialise.
  requireDense(input,
               {g.batchlessInput[0], g.batchlessInput[1], g.batchlessInput[2]});
  requireDense(weight, {g.kernelW, g.kernelH, g.inPerGroup, g.outC});
  if (epi.bias)
    requireDense(bias, {g.outC});
  if (epi.residual)
    requireDense(residual, {g.outW, g.outH, g.outC});
  requireDense(f.output.output_buffer(), {g.outW, g.outH, g.outC});

  if (g.depthwise())
    scheduleDepthwise(f, g, vectorSize);
  else
    scheduleTiled(f, g, tile);

  kernel.pipeline = Pipeline(f.output);
  return kernel;
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
  if (epi.bias || epi.residual || epi.activation != Activation::None)
    os << " ";
  if (epi.bias)
    os << "+bias";
  if (epi.residual)
    os << "+res";
  if (epi.activation == Activation::Relu)
    os << (epi.bias || epi.residual ? " " : "") << "relu";
  else if (epi.activation == Activation::Clip)
    os << (epi.bias || epi.residual ? " " : "") << "clip(" << epi.clipMin << ","
       << epi.clipMax << ")";
  return os.str();
}

} // namespace mlir::dyconv::codegen
