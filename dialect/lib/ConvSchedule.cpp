//===- ConvSchedule.cpp - choosing a convolution's register tile ----------===//
//
// A register tile of T accumulators issues, per step of the reduction, T
// vector FMAs, the loads of its weight vectors and one load (a broadcast or a
// vector) per output position, and waits at least an FMA latency on each
// accumulator. The model estimates cycles per useful multiply-accumulate,
// counting the outputs that shifted tails recompute as waste, and keeps the
// tile within the register file with room for the weights and a broadcast.
//
//===----------------------------------------------------------------------===//

#include "dyconv/Dialect/ConvSchedule.h"

#include "dyconv/Dialect/DyConvOps.h"
#include "dyconv/Dialect/ShapeUtils.h"

#include <algorithm>

namespace mlir::dyconv {
namespace {

constexpr double kFmaLatency = 4.0, kLoopOverhead = 1.0;
/// FMAs issued per cycle, and loads (vector or broadcast) sustained per
/// cycle next to them, as measured on AVX-512 register tiles.
constexpr double kFmaPorts = 2.0, kLoadPorts = 1.5;

/// How many elements tiles of `tile` compute to cover `extent` when the
/// last one is shifted inwards.
double covered(int64_t extent, int64_t tile) {
  return double((extent + tile - 1) / tile * tile);
}

/// The output extents of `desc`.
std::pair<int64_t, int64_t> outputSize(const ConvKernel &desc) {
  int64_t height = shape::slidingWindowSize(desc.height, desc.kernelH,
                                            desc.stride[0], desc.padding[0],
                                            desc.padding[2], desc.dilation[0])
                       .value_or(1);
  int64_t width = shape::slidingWindowSize(desc.width, desc.kernelW,
                                           desc.stride[1], desc.padding[1],
                                           desc.padding[3], desc.dilation[1])
                      .value_or(1);
  return {height, width};
}

/// Vector registers a tile may use for accumulators and weight vectors:
/// the rest hold broadcasts and addresses. Measured on AVX-512 (ResNet
/// layers, dyconv-kernel-bench --tile): tiles of 24 or more accumulators
/// lose a third of their speed, 16-20 run best.
int tileRegisters(const TargetDesc &target) {
  return target.vectorRegisters >= 32 ? 24 : target.vectorRegisters - 1;
}

/// The most accumulators a tile keeps.
int maxAccumulators(const TargetDesc &target) {
  return target.vectorRegisters >= 32 ? 20 : 12;
}

/// Extra cycles per reduction step for each tile row beyond the first: its
/// broadcasts come from another input row (measured on ResNet layers,
/// dyconv-kernel-bench --tile: on 14-wide planes a 7x1 tile beats a 2x4 one
/// by a fifth; on wider planes they tie).
constexpr double kRowSwitch = 0.5;

/// Output blocks per blocked tile at most: each block's packed weights are
/// one more stream, and tiles of 4 blocks ran 15-40% slower than tiles of 2
/// on every ResNet layer measured (dyconv-kernel-bench --tile).
constexpr int64_t kMaxTileBlocks = 2;

/// Estimated cycles per useful vector MAC of a blocked tile of `columns` x
/// `rows` pixels by `blocks` output blocks.
double blockedCost(int64_t columns, int64_t rows, int64_t blocks, int64_t outW,
                   int64_t outH, int64_t outBlocks) {
  double accumulators = double(columns * rows * blocks);
  double loads = double(blocks + columns * rows);
  double cycles =
      std::max({accumulators / kFmaPorts, loads / kLoadPorts, kFmaLatency}) +
      kLoopOverhead + kRowSwitch * double(rows - 1);
  double useful = double(outW) / covered(outW, columns) * double(outH) /
                  covered(outH, rows) * double(outBlocks) /
                  covered(outBlocks, blocks);
  return cycles / (accumulators * useful);
}

/// Bytes of weights a reduction chunk may keep in the L1 data cache (32 KiB
/// on the x86 cores dyconv targets, at least), leaving room for the input
/// rows it reads.
constexpr int64_t kChunkWeightBytes = 24 * 1024;

/// Input blocks per reduction chunk: the most, dividing the input blocks,
/// whose weights for `blocks` output blocks fit kChunkWeightBytes (one at
/// least; one after a plain input, whose reduction is not chunked).
int64_t chooseReductionChunk(const ConvKernel &desc, int64_t blocks,
                             const TargetDesc &target) {
  if (readsPlainInput(desc))
    return 1;
  int64_t lanes = target.vectorLanes;
  int64_t inBlocks = (desc.inChannels + lanes - 1) / lanes;
  int64_t bytesPerBlock =
      lanes * desc.kernelH * desc.kernelW * blocks * lanes * 4;
  int64_t chunk = 1;
  for (int64_t c = 1; c <= inBlocks; ++c)
    if (inBlocks % c == 0 && c * bytesPerBlock <= kChunkWeightBytes)
      chunk = c;
  return chunk;
}

/// Parallel tasks a convolution at batch 1 should offer at least, for the
/// cores to share them evenly.
constexpr int64_t kMinTasks = 16;

/// Bytes of a task's accumulators (its strip of outputs) that stay in L1
/// next to a chunk's weights.
constexpr int64_t kStripBytes = 16 * 1024;

/// Output rows per task: as many multiples of the tile's rows as keep the
/// strip's accumulators within kStripBytes and leave kMinTasks tasks at
/// batch 1, so that on small planes a task reads its weights once for many
/// tiles; one tile's rows at least.
int64_t chooseStripRows(const ConvKernel &desc, int64_t rows, int64_t blocks,
                        const TargetDesc &target) {
  auto [outH, outW] = outputSize(desc);
  int64_t lanes = target.vectorLanes;
  int64_t blockGroups =
      ((desc.outChannels + lanes - 1) / lanes + blocks - 1) / blocks;
  int64_t rowBytes = outW * blocks * lanes * 4;
  int64_t strip = rows;
  for (int64_t s = rows; s <= outH; s += rows)
    if (blockGroups * ((outH + s - 1) / s) >= kMinTasks &&
        s * rowBytes <= kStripBytes)
      strip = s;
  return strip;
}

/// The blocked tile [columns, rows, blocks, chunk, strip] with the lowest
/// cost.
std::vector<int64_t> chooseBlockedTile(const ConvKernel &desc,
                                       const TargetDesc &target) {
  auto [outH, outW] = outputSize(desc);
  int64_t lanes = target.vectorLanes;
  int64_t outBlocks = (desc.outChannels + lanes - 1) / lanes;
  int budget = tileRegisters(target), maxTile = maxAccumulators(target);
  std::vector<int64_t> best = {1, 1, 1};
  double bestCost = 1e30;
  // More rows first: among tiles of equal cost, the squarer one reuses more
  // of the input window in cache.
  for (int64_t blocks = 1;
       blocks <= std::min<int64_t>(kMaxTileBlocks, outBlocks); ++blocks)
    for (int64_t rows = std::min<int64_t>(4, outH); rows >= 1; --rows)
      for (int64_t columns = 1; columns <= std::min<int64_t>(16, outW);
           ++columns) {
        // The tiles cover a row strip exactly (the accumulation over
        // reduction chunks cannot recompute a shifted tile).
        if (outW % columns != 0)
          continue;
        int64_t accumulators = columns * rows * blocks;
        if (accumulators > maxTile || accumulators + blocks > budget)
          continue;
        double cost = blockedCost(columns, rows, blocks, outW, outH, outBlocks);
        if (cost < bestCost - 1e-12) {
          bestCost = cost;
          best = {columns, rows, blocks};
        }
      }
  best.push_back(chooseReductionChunk(desc, best[2], target));
  best.push_back(chooseStripRows(desc, best[1], best[2], target));
  return best;
}

/// The blocked depthwise tile [columns, rows]: a row segment of whole
/// vectors per tap, short enough to keep its accumulators and the taps'
/// weight vectors in registers.
std::vector<int64_t> chooseDepthwiseTile(const ConvKernel &desc,
                                         const TargetDesc &target) {
  auto [outH, outW] = outputSize(desc);
  int64_t taps = desc.kernelH * desc.kernelW;
  int64_t budget = std::max<int64_t>(1, tileRegisters(target) - taps);
  int64_t columns = std::min<int64_t>({outW, 8, budget});
  int64_t rows =
      std::min<int64_t>(outH, std::max<int64_t>(1, budget / columns));
  return {columns, std::min<int64_t>(rows, 2)};
}

/// The NCHW x-vector tile [lanes, channels, columns, rows] with the lowest
/// cost: vectors along x times a few output channels, weights broadcast.
std::vector<int64_t> chooseXVectorTile(const ConvKernel &desc,
                                       const TargetDesc &target) {
  auto [outH, outW] = outputSize(desc);
  int64_t lanes = std::min<int64_t>(target.vectorLanes, outW);
  while (lanes & (lanes - 1)) // a power of two
    lanes &= lanes - 1;
  int budget = tileRegisters(target);
  std::vector<int64_t> best = {lanes, 1, lanes, 1};
  double bestCost = 1e30;
  for (int64_t rows = 1; rows <= std::min<int64_t>(4, outH); ++rows)
    for (int64_t channels = 1;
         channels <= std::min<int64_t>(8, desc.outChannels); ++channels)
      for (int64_t vectors = 1; vectors <= 4 && vectors * lanes <= outW;
           ++vectors) {
        int64_t accumulators = channels * vectors * rows;
        if (accumulators > budget)
          continue;
        int64_t columns = vectors * lanes;
        double loads =
            double(channels + vectors * rows * (desc.stride[1] > 1 ? 2 : 1));
        double cycles = std::max({accumulators / kFmaPorts, loads / kLoadPorts,
                                  kFmaLatency}) +
                        kLoopOverhead;
        double useful = double(desc.outChannels) /
                        covered(desc.outChannels, channels) * double(outW) /
                        covered(outW, columns) * double(outH) /
                        covered(outH, rows);
        double cost = cycles / (double(accumulators) * useful);
        if (cost < bestCost - 1e-12) {
          bestCost = cost;
          best = {lanes, channels, columns, rows};
        }
      }
  return best;
}

bool isDepthwise(const ConvKernel &desc) {
  return desc.groups == desc.inChannels && desc.groups == desc.outChannels;
}

} // namespace

size_t scheduleTileSize(ConvScheduleKind kind) {
  switch (kind) {
  case ConvScheduleKind::Blocked:
    return 5;
  case ConvScheduleKind::BlockedDepthwise:
    return 2;
  case ConvScheduleKind::XVectors:
    return 4;
  case ConvScheduleKind::Depthwise:
    return 0;
  }
  return 0;
}

LogicalResult
ConvScheduleAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                         ConvScheduleKind kind, ArrayRef<int64_t> tile) {
  size_t size = scheduleTileSize(kind);
  if (tile.size() != size)
    return emitError() << "a " << stringifyConvScheduleKind(kind)
                       << " schedule lists " << size << " tile extents, got "
                       << tile.size();
  if (llvm::any_of(tile, [](int64_t extent) { return extent < 1; }))
    return emitError() << "tile extents must be positive";
  return success();
}

bool hasBlockedSchedule(const ConvKernel &desc) {
  return desc.groups == 1 || isDepthwise(desc);
}

bool readsPlainInput(const ConvKernel &desc) {
  return desc.inChannels < 4 && !isDepthwise(desc);
}

size_t aggregationAttentions(const ConvKernel &desc) {
  if (!desc.aggregation)
    return 0;
  const AggregateKernel &a = *desc.aggregation;
  return 1 + a.hasFilter + a.hasSpatial + a.hasKernel;
}

/// Row strips a conv may aggregate its kernels in, each strip again.
constexpr int64_t kMaxAggregatingStrips = 2;

bool aggregatesInConv(const ConvKernel &desc, int64_t kernels, int64_t batch) {
  if (desc.schedule != ConvScheduleKind::Blocked || readsPlainInput(desc) ||
      desc.tile.size() != scheduleTileSize(ConvScheduleKind::Blocked))
    return false;
  // Each strip aggregates its chunks again: at most two strips.
  int64_t strip = desc.tile[4], outH = outputSize(desc).first;
  if ((outH + strip - 1) / strip > kMaxAggregatingStrips)
    return false;
  // Bank traffic, in kernels' sizes, if no sample reuses another's bank
  // chunks from cache (fused: every sample reads the whole bank) against the
  // aggregate's (the bank once, every sample's kernels written and read).
  int64_t samples = ShapedType::isDynamic(batch) ? 1 : batch;
  return samples * kernels <= kernels + 2 * samples;
}

std::vector<Layout> blockedConvLayouts(const ConvKernel &desc, int64_t block) {
  Layout activation{{1}, {block}}, vector{{0}, {block}};
  int64_t sample = desc.perSample ? 1 : 0;
  Layout weight = isDepthwise(desc) || readsPlainInput(desc)
                      ? Layout{{sample}, {block}}
                      : Layout{{1 + sample, sample}, {block, block}};
  std::vector<Layout> layouts = {readsPlainInput(desc) ? Layout() : activation,
                                 weight};
  if (desc.epilogue.scale) // a per-sample scale [N, Cout] stays plain
    layouts.push_back(desc.epilogue.perSampleScale ? Layout() : vector);
  if (desc.epilogue.bias)
    layouts.push_back(vector);
  if (desc.epilogue.residual)
    layouts.push_back(activation);
  for (size_t i = 0; i < aggregationAttentions(desc); ++i)
    layouts.push_back(Layout()); // the attentions are plain vectors
  layouts.push_back(activation);
  return layouts;
}

void chooseConvSchedule(ConvKernel &desc, bool blocked,
                        const TargetDesc &target) {
  if (blocked) {
    desc.schedule = isDepthwise(desc) ? ConvScheduleKind::BlockedDepthwise
                                      : ConvScheduleKind::Blocked;
    desc.tile = isDepthwise(desc) ? chooseDepthwiseTile(desc, target)
                                  : chooseBlockedTile(desc, target);
    return;
  }
  if (isDepthwise(desc)) {
    desc.schedule = ConvScheduleKind::Depthwise;
    desc.tile.clear();
    return;
  }
  desc.schedule = ConvScheduleKind::XVectors;
  desc.tile = chooseXVectorTile(desc, target);
}

} // namespace mlir::dyconv
