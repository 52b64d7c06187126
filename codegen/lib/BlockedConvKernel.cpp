//===- BlockedConvKernel.cpp - convolutions on channel-blocked tensors ----===//
//
// The convolutions that run at the machine's peak (schedules Blocked and
// BlockedDepthwise): activations in a channel-blocked layout (NCHW16c on
// AVX-512, NCHW8c on AVX2) and weights packed at compile time in the order
// the reduction reads them, so that
//
//  - a register tile of `columns x rows` output pixels by `blocks` output
//    channel blocks accumulates in vector registers, one vector per pixel and
//    block, the block's lanes the vector lanes;
//  - the reduction runs outside the tile, input channels within a block
//    innermost: each step loads one weight vector per output block and
//    broadcasts one input element per pixel (Halide's apps/conv_layer);
//  - parallel tasks cover row blocks x output channel blocks x the batch.
//
// Layouts (KernelDesc.h): input plain NCHW (a stem with few channels) or
// blocked `<[1] x [bi]>`; weight `<[1, 0] x [bi, bo]>` (`<[0] x [bo]>` after a
// plain input), per sample `<[2, 1] x [bi, bo]>` (`<[1] x [bo]>`); depthwise
// weight `<[0] x [b]>` (`<[1] x [b]>` per sample); scale and bias
// `<[0] x [bo]>` (a per-sample scale `[N, Cout]` plain); residual and output
// `<[1] x [bo]>`. Padding lanes of the
// input are zero (the invariant of blocked activations) and those of the
// weights too, so they add nothing; the output's are written as zeros.
//
//===----------------------------------------------------------------------===//

#include "ConvCommon.h"
#include "LayoutAccess.h"

#include "dyconv/Dialect/ConvSchedule.h"

namespace mlir::dyconv::codegen {

using namespace Halide;

namespace {

/// The argument layouts of a blocked convolution, checked against what the
/// kernel reads and writes.
struct BlockedLayouts {
  int inBlock = 0; ///< 0 for a plain NCHW input
  int outBlock = 0;
};

Layout blocked(std::vector<int64_t> dims, std::vector<int64_t> tiles) {
  return {std::move(dims), std::move(tiles)};
}

/// Checks `layouts` (input, weight, [scale], [bias], [residual],
/// [attentions], output) against the layouts a blocked convolution of
/// `desc` reads and writes.
BlockedLayouts checkLayouts(const ConvKernel &desc,
                            const std::vector<Layout> &layouts) {
  const Epilogue &epi = desc.epilogue;
  size_t attentions = aggregationAttentions(desc);
  size_t count = 3 + epi.scale + epi.bias + epi.residual + attentions;
  if (layouts.size() != count)
    throw CompileError("conv2d: a blocked schedule needs the layouts of its " +
                       std::to_string(count) + " arguments (" + describe(desc) +
                       ")");
  const Layout &out = layouts.back();
  if (out.dims != std::vector<int64_t>{1} || out.tiles.size() != 1)
    throw CompileError("conv2d: a blocked schedule writes a channel-blocked "
                       "output (" +
                       describe(desc) + ")");
  BlockedLayouts result;
  result.outBlock = int(out.tiles[0]);
  const Layout &in = layouts[0];
  if (!in.isPlain()) {
    if (in.dims != std::vector<int64_t>{1} || in.tiles.size() != 1)
      throw CompileError("conv2d: the input must be NCHW or channel-blocked (" +
                         describe(desc) + ")");
    result.inBlock = int(in.tiles[0]);
  }
  int64_t bo = result.outBlock, bi = result.inBlock;
  int64_t sample = desc.perSample ? 1 : 0;
  bool depthwise = desc.schedule == ConvScheduleKind::BlockedDepthwise;
  Layout weight = depthwise ? blocked({sample}, {bo})
                  : bi == 0 ? blocked({sample}, {bo})
                            : blocked({1 + sample, sample}, {bi, bo});
  if (depthwise && bi != bo)
    throw CompileError("conv2d: a blocked depthwise conv keeps its block (" +
                       describe(desc) + ")");
  std::vector<std::pair<const char *, Layout>> expected = {{"weight", weight}};
  if (epi.scale) // a per-sample scale [N, Cout] stays plain
    expected.push_back(
        {"scale", epi.perSampleScale ? Layout() : blocked({0}, {bo})});
  if (epi.bias)
    expected.push_back({"bias", blocked({0}, {bo})});
  if (epi.residual)
    expected.push_back({"residual", out});
  for (size_t i = 0; i < attentions; ++i)
    expected.push_back({"attention", Layout()});
  for (size_t i = 0; i < expected.size(); ++i)
    if (!(layouts[1 + i] == expected[i].second))
      throw CompileError(std::string("conv2d: the ") + expected[i].first +
                         " is not in the layout a blocked schedule reads (" +
                         describe(desc) + ")");
  return result;
}

/// The per-sample kernels of an aggregating conv (`dyconv.aggregate` of the
/// packed bank `bank` with the attentions), indexed like a packed per-sample
/// weight: (lo, li, kx, ky, input block, output block, n). The padding lanes
/// read a real channel's attention; the bank's zeros there keep them zero.
Func aggregatedKernels(const AggregateKernel &a, const ConvGeometry &g,
                       const BlockedLayouts &blocks, const LayoutArgument &bank,
                       const LayoutArgument &channel,
                       const LayoutArgument &filter,
                       const LayoutArgument &spatial,
                       const LayoutArgument &kernel) {
  Var lo("lo"), li("li"), kx("kx"), ky("ky"), ib("ib"), ob("ob"), n("n");
  Expr out = min(ob * blocks.outBlock + lo, int(g.outC) - 1);
  Expr in = min(ib * blocks.inBlock + li, int(g.inC) - 1);
  Expr mixed = 0.0f;
  for (int k = 0; k < a.kernels; ++k) {
    Expr weight = bank.param(lo, li, kx, ky, ib, ob, k);
    mixed += a.hasKernel ? kernel.at({n, k}) * weight : weight;
  }
  Expr scale = channel.at({n, in});
  if (a.hasSpatial)
    scale *= spatial.at({n, ky * int(g.kernelW) + kx});
  if (a.hasFilter)
    scale *= filter.at({n, out});
  Func aggregated("aggregated_kernels");
  aggregated(lo, li, kx, ky, ib, ob, n) = scale * mixed;
  return aggregated;
}

} // namespace

KernelPipeline buildBlockedConv(const ConvKernel &desc, const ConvGeometry &g,
                                const std::vector<Layout> &layouts,
                                const Target &target) {
  const Epilogue &epi = desc.epilogue;
  bool depthwise = desc.schedule == ConvScheduleKind::BlockedDepthwise;
  if (depthwise ? !(g.inPerGroup == 1 && g.outPerGroup == 1) : desc.groups != 1)
    throw CompileError(std::string("conv2d: the ") +
                       (depthwise ? "blocked depthwise schedule needs a "
                                    "depthwise conv"
                                  : "blocked schedule needs groups = 1") +
                       " (" + describe(desc) + ")");
  std::vector<int> tile = convTile(desc);
  BlockedLayouts blocks = checkLayouts(desc, layouts);
  int bo = blocks.outBlock, bi = blocks.inBlock;
  int outBlocks = (g.outC + bo - 1) / bo;

  // The arguments, in calling-convention order.
  auto withBatch = [&](Shape shape) {
    shape.insert(shape.begin(), kBatch);
    return shape;
  };
  LayoutArgument input =
      LayoutArgument::input("input", {kBatch, g.inC, g.inH, g.inW}, layouts[0]);
  Shape weightShape = {g.outC, g.inPerGroup, g.kernelH, g.kernelW};
  // An aggregating conv's weight is its bank [K, Cout, Cin, KH, KW].
  if (desc.aggregation)
    weightShape.insert(weightShape.begin(), desc.aggregation->kernels);
  else if (desc.perSample)
    weightShape = withBatch(weightShape);
  LayoutArgument weight = LayoutArgument::input(
      desc.aggregation ? "bank" : "weight", weightShape, layouts[1]);
  KernelPipeline kernel;
  kernel.inputs = {input.param, weight.param};
  size_t next = 2;
  auto epilogueInput = [&](bool present, const char *name, Shape shape) {
    if (!present)
      return LayoutArgument{};
    LayoutArgument argument =
        LayoutArgument::input(name, shape, layouts[next++]);
    kernel.inputs.push_back(argument.param);
    return argument;
  };
  LayoutArgument scale =
      epilogueInput(epi.scale, "scale",
                    epi.perSampleScale ? Shape{kBatch, g.outC} : Shape{g.outC});
  LayoutArgument bias = epilogueInput(epi.bias, "bias", {g.outC});
  LayoutArgument residual =
      epilogueInput(epi.residual, "residual", {kBatch, g.outC, g.outH, g.outW});
  // An aggregating conv's attentions (its weight is then the bank).
  const std::optional<AggregateKernel> &aggregation = desc.aggregation;
  auto attentionInput = [&](bool present, const char *name, int64_t size) {
    return epilogueInput(present, name, {kBatch, size});
  };
  LayoutArgument channelAttention =
      attentionInput(aggregation.has_value(), "channel_attention", g.inC);
  LayoutArgument filterAttention = attentionInput(
      aggregation && aggregation->hasFilter, "filter_attention", g.outC);
  LayoutArgument spatialAttention =
      attentionInput(aggregation && aggregation->hasSpatial,
                     "spatial_attention", g.kernelH * g.kernelW);
  LayoutArgument kernelAttention =
      attentionInput(aggregation && aggregation->hasKernel, "kernel_attention",
                     aggregation ? aggregation->kernels : 0);

  // The input, zero-padded: `staged` over the padded plane.
  Var l("l"), x("x"), y("y"), cb("cb"), n("n");
  Func staged("staged_input");
  std::vector<Var> stagedArgs =
      bi ? std::vector<Var>{l, x, y, cb, n} : std::vector<Var>{x, y, cb, n};
  size_t xDim = bi ? 1 : 0;
  if (g.padded) {
    Halide::Region bounds(stagedArgs.size(), Halide::Range());
    bounds[xDim] = Halide::Range(0, g.inW);
    bounds[xDim + 1] = Halide::Range(0, g.inH);
    Func padded =
        BoundaryConditions::constant_exterior(input.param, 0.0f, bounds);
    std::vector<Expr> at(stagedArgs.begin(), stagedArgs.end());
    at[xDim] = at[xDim] - g.padLeft;
    at[xDim + 1] = at[xDim + 1] - g.padTop;
    staged(stagedArgs) = padded(at);
  } else {
    staged(stagedArgs) = input.param(stagedArgs);
  }

  // The reduction: input channels within a block innermost, then the taps,
  // then the input blocks (or, after a plain input, the input channels). On
  // blocked inputs it runs in chunks of input blocks: `partial`, one register
  // tile's sum over one chunk, is added into `conv`, the accumulator of a
  // whole row strip, so that a chunk's weights stay in L1 while every tile
  // along the strip reuses them.
  Func conv("conv");
  Func aggregated = aggregation
                        ? aggregatedKernels(*aggregation, g, blocks, weight,
                                            channelAttention, filterAttention,
                                            spatialAttention, kernelAttention)
                        : Func();
  auto weightAt = [&](std::vector<Expr> index, Expr sample) {
    if (desc.perSample)
      index.push_back(sample);
    return aggregation ? aggregated(index) : weight.param(index);
  };
  if (aggregation && (depthwise || !bi))
    throw CompileError("conv2d: only a blocked conv on blocked inputs "
                       "aggregates its kernels (" +
                       describe(desc) + ")");
  int chunk = (!depthwise && bi) ? tile[3] : 1;
  int inBlocks = bi ? (g.inC + bi - 1) / bi : 0;
  if (!depthwise && bi && inBlocks % chunk != 0)
    throw CompileError("conv2d: the reduction chunk " + std::to_string(chunk) +
                       " does not divide the " + std::to_string(inBlocks) +
                       " input blocks (" + describe(desc) + ")");
  Func partial("partial");
  Var c("c");
  RDom r, rc;
  if (depthwise) {
    r = RDom(0, g.kernelW, 0, g.kernelH, "r");
    Expr inX = x * g.strideX + r.x * g.dilationX;
    Expr inY = y * g.strideY + r.y * g.dilationY;
    conv(l, x, y, cb, n) = 0.0f;
    conv(l, x, y, cb, n) +=
        weightAt({l, r.x, r.y, 0, cb}, n) * staged(l, inX, inY, cb, n);
  } else if (bi) {
    r = RDom(0, bi, 0, g.kernelW, 0, g.kernelH, 0, chunk, "r");
    Expr inX = x * g.strideX + r[1] * g.dilationX;
    Expr inY = y * g.strideY + r[2] * g.dilationY;
    Expr inBlock = c * chunk + r[3];
    partial(l, x, y, cb, c, n) = 0.0f;
    partial(l, x, y, cb, c, n) +=
        weightAt({l, r[0], r[1], r[2], inBlock, cb}, n) *
        staged(r[0], inX, inY, inBlock, n);
    rc = RDom(0, inBlocks / chunk, "rc");
    conv(l, x, y, cb, n) = 0.0f;
    conv(l, x, y, cb, n) += partial(l, x, y, cb, rc, n);
  } else {
    r = RDom(0, g.kernelW, 0, g.kernelH, 0, g.inC, "r");
    Expr inX = x * g.strideX + r.x * g.dilationX;
    Expr inY = y * g.strideY + r.y * g.dilationY;
    conv(l, x, y, cb, n) = 0.0f;
    conv(l, x, y, cb, n) +=
        weightAt({l, r.x, r.y, r.z, cb}, n) * staged(inX, inY, r.z, n);
  }

  Func output("output");
  Expr channel = cb * bo + l;
  Expr scaleAt;
  if (epi.perSampleScale) // clamped: the padding lanes read a real channel
    scaleAt = scale.at({n, min(channel, g.outC - 1)});
  else if (epi.scale)
    scaleAt = scale.param(l, cb);
  Expr value = applyEpilogue(
      epi, conv(l, x, y, cb, n), scaleAt, epi.bias ? bias.param(l, cb) : Expr(),
      epi.residual ? residual.param(l, x, y, cb, n) : Expr());
  if (g.outC % bo != 0)
    value = select(channel < g.outC, value, 0.0f);
  output(l, x, y, cb, n) = value;
  constrainDense(output.output_buffer(),
                 {kBatch, outBlocks, g.outH, g.outW, bo});

  // The schedule: the register tile innermost and unrolled, the block's
  // lanes vectorised, the reduction around the tile.
  Var xo("xo"), xi("xi"), yo("yo"), yi("yi"), co("co"), ci("ci");
  Var task("task");
  int columns = tile[0], rows = tile[1];
  if (depthwise) {
    output.split(x, xo, xi, columns, TailStrategy::ShiftInwards)
        .split(y, yo, yi, rows, TailStrategy::ShiftInwards);
    conv.compute_at(output, xo)
        .store_in(MemoryType::Register)
        .vectorize(l)
        .unroll(x)
        .unroll(y)
        .unroll(cb);
    output.reorder(l, xi, yi, xo, yo, cb, n)
        .vectorize(l)
        .unroll(xi)
        .unroll(yi)
        .fuse(cb, n, task)
        .parallel(task);
    conv.update()
        .reorder(l, x, y, r.x, r.y, cb, n)
        .vectorize(l)
        .unroll(x)
        .unroll(y)
        .unroll(r.x)
        .unroll(r.y);
    // One padded plane per task, while it is in cache.
    if (g.padded)
      staged.compute_at(output, task).vectorize(l);
  } else if (bi) {
    // Tasks: strips of `strip` output rows by `blocksPerTile` output blocks,
    // the batch inside the blocks so that consecutive tasks share weights.
    // In a task, each reduction chunk runs over every register tile of the
    // strip before the next chunk starts.
    int blocksPerTile = tile[2], strip = tile[4];
    if (g.outW % columns != 0 || strip % rows != 0 || strip > g.outH)
      throw CompileError("conv2d: the tile's " + std::to_string(columns) +
                         " columns must divide the output width and its " +
                         std::to_string(rows) + " rows the strip of " +
                         std::to_string(strip) +
                         " rows, at most the output "
                         "height (" +
                         describe(desc) + ")");
    Var yt("yt"), yr("yr");
    output.split(y, yo, yi, strip, TailStrategy::ShiftInwards)
        .split(cb, co, ci, blocksPerTile, TailStrategy::ShiftInwards)
        .reorder(l, x, yi, ci, yo, n, co)
        .vectorize(l)
        .fuse(yo, n, task)
        .fuse(task, co, task)
        .parallel(task);
    conv.compute_at(output, task).vectorize(l);
    conv.update()
        .split(x, xo, xi, columns, TailStrategy::RoundUp)
        .split(y, yt, yr, rows, TailStrategy::RoundUp)
        .reorder(l, xi, yr, cb, xo, yt, rc, n)
        .vectorize(l)
        .unroll(xi)
        .unroll(yr)
        .unroll(cb);
    partial.compute_at(conv, xo)
        .bound_extent(l, bo)
        .bound_extent(x, columns)
        .bound_extent(y, rows)
        .bound_extent(cb, blocksPerTile)
        .store_in(MemoryType::Register)
        .vectorize(l)
        .unroll(x)
        .unroll(y)
        .unroll(cb);
    partial.update()
        .reorder({l, x, y, cb, r[0], r[1], r[2], r[3], c, n})
        .vectorize(l)
        .unroll(x)
        .unroll(y)
        .unroll(cb)
        .unroll(r[0]);
    if (g.padded) {
      Var plane("plane");
      staged.compute_root().fuse(cb, n, plane).parallel(plane).vectorize(l);
    }
    // A chunk's per-sample kernels, aggregated where the chunk starts and
    // reused by every register tile of the strip: never stored whole.
    if (aggregation)
      aggregated.compute_at(conv, rc).vectorize(aggregated.args()[0], bo);
  } else {
    int blocksPerTile = tile[2];
    output.split(x, xo, xi, columns, TailStrategy::ShiftInwards)
        .split(y, yo, yi, rows, TailStrategy::ShiftInwards);
    conv.compute_at(output, xo)
        .store_in(MemoryType::Register)
        .vectorize(l)
        .unroll(x)
        .unroll(y)
        .unroll(cb);
    output.split(cb, co, ci, blocksPerTile, TailStrategy::ShiftInwards)
        .reorder(l, xi, yi, ci, xo, yo, co, n)
        .vectorize(l)
        .unroll(xi)
        .unroll(yi)
        .unroll(ci)
        .fuse(yo, co, task)
        .fuse(task, n, task)
        .parallel(task);
    conv.update()
        .reorder(l, x, y, cb, r.x, r.y, r.z, n)
        .vectorize(l)
        .unroll(x)
        .unroll(y)
        .unroll(cb);
    if (g.padded) {
      Var plane("plane");
      staged.compute_root()
          .fuse(cb, n, plane)
          .parallel(plane)
          .vectorize(x, target.natural_vector_size<float>());
    }
  }
  kernel.pipeline = Pipeline(output);
  return kernel;
}

} // namespace mlir::dyconv::codegen
