//===- KWKernels.cpp - KernelWarehouse attention and kernel assembly ------===//
//
// Spec §2.4 (the contrasting-driven attention, with a BatchNorm folded into
// fc1 by the compiler) and §2.5 (the per-sample kernel as a mixture of
// warehouse cells).
//
//===----------------------------------------------------------------------===//

#include "Builders.h"
#include "HalideHelpers.h"
#include "LayoutAccess.h"

#include <sstream>

namespace mlir::dyconv::codegen {

using Halide::Expr;
using Halide::Func;
using Halide::ImageParam;
using Halide::RDom;
using Halide::Var;

namespace {
/// ReLU(LayerNorm(z)) over the hidden features of each sample (biased
/// variance), with the norm's scale and bias.
Func reluLayerNorm(const Func &z, const ImageParam &scale,
                   const ImageParam &bias, int64_t hidden, float epsilon) {
  Var h("h"), b("b");
  RDom r(0, static_cast<int>(hidden), "ln_r");
  Func mean("ln_mean"), variance("ln_variance"), out("hidden");
  float inverseCount = 1.0f / static_cast<float>(hidden);
  mean(b) = Halide::sum(z(r, b)) * inverseCount;
  Expr centred = z(r, b) - mean(b);
  variance(b) = Halide::sum(centred * centred) * inverseCount;
  out(h, b) = Halide::max(
      (z(h, b) - mean(b)) / Halide::sqrt(variance(b) + epsilon) * scale(h) +
          bias(h),
      0.0f);
  mean.compute_root();
  variance.compute_root();
  return out;
}

/// The logits of nonlocal-basis mode, logits(p, m, b) for p <= M: each
/// mixture's fc2 row [L local, Nb basis, 1 zero-cell] with the basis mapped
/// to the M - L nonlocal cells by fc3 and placed around the local cells.
Func nonlocalLogits(const KWAttentionKernel &desc, const Func &fc2,
                    const ImageParam &fc3Weight, int lanes) {
  int mixtures = static_cast<int>(desc.numMixtures);
  int cells = static_cast<int>(desc.numCells);
  int local = static_cast<int>(desc.localCells);
  int basis = static_cast<int>(desc.basisCells);
  int start = static_cast<int>(desc.startCell);
  int rowSize = local + basis + 1;
  Var p("p"), m("m"), b("b"), r("r"), mb("mb");
  // basisRows(r, b * n + m): the basis coefficients of one mixture.
  Func basisRows("basis_rows");
  basisRows(r, mb) = fc2((mb % mixtures) * rowSize + local + r, mb / mixtures);
  Func nonlocal =
      denseLayer("nonlocal", basisRows, fc3Weight, std::nullopt, basis, lanes);
  Expr rowStart = m * rowSize;
  Expr isLocal = p >= start && p < start + local;
  Expr localCell =
      fc2(rowStart + Halide::clamp(p - start, 0, std::max(local - 1, 0)), b);
  Expr nonlocalIndex = Halide::clamp(Halide::select(p < start, p, p - local), 0,
                                     cells - local - 1);
  Expr nonlocalCell = nonlocal(nonlocalIndex, b * mixtures + m);
  Expr zeroCell = fc2(rowStart + local + basis, b);
  Func logits("logits");
  logits(p, m, b) =
      Halide::select(p == cells, zeroCell, isLocal, localCell, nonlocalCell);
  return logits;
}
} // namespace

KernelPipeline buildKWAttention(const KWAttentionKernel &desc,
                                const std::vector<Layout> &layouts,
                                const Halide::Target &target) {
  requirePlainExcept(layouts, {0}, "kw_attention");
  if (desc.nonlocal && !(desc.localCells < desc.numCells &&
                         desc.basisCells > 0 && desc.startCell >= 0 &&
                         desc.startCell <= desc.numCells - desc.localCells))
    throw Halide::CompileError(
        "kw_attention: nonlocal mode needs 0 <= start <= M - L, L < M and "
        "Nb > 0");
  int lanes = target.natural_vector_size<float>();
  int64_t mixtures = desc.numMixtures, cells = desc.numCells;
  int64_t logitCount = mixtures * (cells + 1);
  int64_t rows = desc.nonlocal
                     ? mixtures * (desc.localCells + desc.basisCells + 1)
                     : logitCount;
  KernelPipeline kernel;
  LayoutArgument input = LayoutArgument::input(
      "input", {kBatch, desc.inChannels, desc.height, desc.width},
      layouts.empty() ? Layout() : layouts[0]);
  ImageParam fc1Weight =
      denseInput("fc1_weight", {desc.hidden, desc.inChannels});
  ImageParam fc1Bias = denseInput("fc1_bias", {desc.hidden});
  kernel.inputs = {input.param, fc1Weight, fc1Bias};

  Func gap = meanOverPlane(input, lanes);
  Func fc1 = denseLayer("fc1", gap, fc1Weight, fc1Bias, desc.inChannels, lanes);
  Var h("h"), p("p"), j("j"), m("m"), b("b");
  Func hidden("hidden");
  if (desc.layerNorm) {
    ImageParam scale = denseInput("norm_scale", {desc.hidden});
    ImageParam bias = denseInput("norm_bias", {desc.hidden});
    kernel.inputs.push_back(scale);
    kernel.inputs.push_back(bias);
    hidden = reluLayerNorm(fc1, scale, bias, desc.hidden, desc.normEpsilon);
  } else {
    hidden(h, b) = Halide::max(fc1(h, b), 0.0f);
  }
  hidden.compute_root();

  ImageParam fc2Weight = denseInput("fc2_weight", {rows, desc.hidden});
  kernel.inputs.push_back(fc2Weight);
  Func logits("logits");
  int cellsPlusZero = static_cast<int>(cells + 1);
  if (desc.nonlocal) {
    ImageParam fc3Weight =
        denseInput("fc3_weight", {cells - desc.localCells, desc.basisCells});
    ImageParam basisBias = denseInput("basis_bias", {logitCount});
    kernel.inputs.push_back(fc3Weight);
    kernel.inputs.push_back(basisBias);
    Func fc2 =
        denseLayer("fc2", hidden, fc2Weight, std::nullopt, desc.hidden, lanes);
    Func rowsOut = nonlocalLogits(desc, fc2, fc3Weight, lanes);
    logits(p, m, b) = rowsOut(p, m, b) + basisBias(m * cellsPlusZero + p);
  } else {
    ImageParam fc2Bias = denseInput("fc2_bias", {logitCount});
    kernel.inputs.push_back(fc2Bias);
    Func fc2 =
        denseLayer("fc2", hidden, fc2Weight, fc2Bias, desc.hidden, lanes);
    logits(p, m, b) = fc2(m * cellsPlusZero + p, b);
  }
  logits.compute_root();

  // L1 normalisation over the M + 1 logits (zero cell included); the zero
  // cell itself is dropped from the output.
  RDom r(0, cellsPlusZero, "r");
  Func norm("norm"), out("coefficients");
  norm(m, b) = Halide::sum(Halide::abs(logits(r, m, b))) + 1e-3f;
  out(j, m, b) = logits(j, m, b) / norm(m, b);
  constrainDense(out.output_buffer(), {kBatch, mixtures, cells});
  norm.compute_at(out, m);
  vectorizePure(out, j, cells, lanes);
  kernel.pipeline = out;
  return kernel;
}

KernelPipeline buildKWAssemble(const KWAssembleKernel &desc,
                               const Halide::Target &target) {
  auto [cellOut, cellIn, cellSize] = desc.cellShape;
  auto [kernelH, kernelW] = desc.kernelSize;
  bool pointCells = cellSize == 1;
  if (!pointCells && (cellSize != kernelH || cellSize != kernelW))
    throw Halide::CompileError(
        "kw_assemble: cells must be 1x1 or the whole kernel");
  int64_t taps = kernelH * kernelW;
  int64_t spatialCells = pointCells ? taps : 1;
  if (desc.numMixtures != spatialCells * desc.outBlocks * desc.inBlocks)
    throw Halide::CompileError(
        "kw_assemble: num_mixtures must be spatial cells x out_blocks x "
        "in_blocks");
  int lanes = target.natural_vector_size<float>();
  KernelPipeline kernel;
  ImageParam coefficients =
      denseInput("coefficients", {kBatch, desc.numMixtures, desc.numCells});
  ImageParam warehouse = denseInput(
      "warehouse", {desc.numCells, cellOut, cellIn, cellSize, cellSize});
  kernel.inputs = {coefficients, warehouse};

  int co = static_cast<int>(cellOut), ci = static_cast<int>(cellIn);
  int cs = static_cast<int>(cellSize);
  int go = static_cast<int>(desc.outBlocks),
      gi = static_cast<int>(desc.inBlocks);
  int kw = static_cast<int>(kernelW), kh = static_cast<int>(kernelH);
  int cellElements = ci * cs * cs;
  Var ei("ei"), eo("eo"), cell("cell"), s("s"), ib("ib"), o("o"), b("b");

  // packed(ei, cell, eo, o): the cells of output channel o, tiled so that the
  // vectors of cell elements [eo * lanes, (eo + 1) * lanes) of all cells are
  // adjacent. The element is the input channel for 1x1 cells and the
  // flattened (ic, ky, kx) for whole-kernel cells; padding lanes repeat the
  // last element.
  Func packed("packed");
  Expr element = Halide::min(eo * lanes + ei, cellElements - 1);
  packed(ei, cell, eo, o) = warehouse(element % cs, (element / cs) % cs,
                                      element / (cs * cs), o % co, cell);

  // mixed(ei, eo, s, ib, o, b) = sum_j alpha[b, m, j] * E[j, o % co, e] for
  // spatial cell s and input block ib, m = (s * go + ob) * gi + ib.
  RDom j(0, static_cast<int>(desc.numCells), "j");
  Func mixed("mixed");
  Expr mixture = (s * go + o / co) * gi + ib;
  mixed(ei, eo, s, ib, o, b) = 0.0f;
  mixed(ei, eo, s, ib, o, b) +=
      coefficients(j, mixture, b) * packed(ei, j, eo, o);

  Var kx("kx"), ky("ky"), c("c");
  Expr e = pointCells ? c % ci : ((c % ci) * kh + ky) * kw + kx;
  Expr spatialCell = pointCells ? ky * kw + kx : Expr(0);
  Func out("kernels");
  out(kx, ky, c, o, b) = mixed(e % lanes, e / lanes, spatialCell, c / ci, o, b);
  constrainDense(out.output_buffer(),
                 {kBatch, go * cellOut, gi * cellIn, kernelH, kernelW});

  // A mixture GEMM per sample. The packed cells of one output channel are
  // shared by all samples. One output row (o, b) is contiguous over
  // (c, ky, kx); each of its input blocks is mixed at once (the bounds of
  // c % ci within a block are exact), a vector of cell elements x the
  // unrolled taps accumulating in registers while the cells stream by
  // contiguously.
  Var inBlock("in_block"), ic("ic"), kxy("kxy"), fi("fi");
  out.split(c, inBlock, ic, ci)
      .fuse(kx, ky, kxy)
      .fuse(kxy, ic, fi)
      .reorder(fi, inBlock, b, o)
      .parallel(o);
  vectorizePure(out, fi, cellIn * taps, lanes);
  packed.compute_at(out, o).vectorize(ei);
  mixed.compute_at(out, inBlock).vectorize(ei);
  Halide::Stage accumulate = mixed.update();
  accumulate.reorder(ei, s, j, eo, ib).vectorize(ei);
  if (spatialCells > 1 && spatialCells <= 16)
    accumulate.unroll(s);
  kernel.pipeline = out;
  return kernel;
}

std::string describe(const KWAttentionKernel &desc) {
  std::ostringstream os;
  os << "kw_attention " << desc.inChannels << "x" << desc.height << "x"
     << desc.width << " hid" << desc.hidden << " n" << desc.numMixtures << " M"
     << desc.numCells << (desc.layerNorm ? " ln" : "");
  if (desc.nonlocal)
    os << " nonlocal L" << desc.localCells << " Nb" << desc.basisCells
       << " start" << desc.startCell;
  return os.str();
}

std::string describe(const KWAssembleKernel &desc) {
  std::ostringstream os;
  os << "kw_assemble " << desc.kernelSize[0] << "x" << desc.kernelSize[1] << " "
     << desc.inBlocks * desc.cellShape[1] << "->"
     << desc.outBlocks * desc.cellShape[0] << " M" << desc.numCells << " cells "
     << desc.cellShape[0] << "x" << desc.cellShape[1] << "x"
     << desc.cellShape[2];
  return os.str();
}

} // namespace mlir::dyconv::codegen
