//===- DenseKernels.cpp - linear layer, softmax, layer norm ---------------===//

#include "Builders.h"
#include "DenseLayout.h"

#include <limits>
#include <optional>

namespace mlir::dyconv::codegen {

using Halide::Expr;
using Halide::Func;
using Halide::ImageParam;
using Halide::Var;
using Halide::VarOrRVar;

namespace {

/// Outputs of the linear layer whose dot products run together: one vector
/// accumulator each, held in registers, sharing each load of the input.
constexpr int kLinearOutputsPerTile = 8;

/// Outputs of the linear layer per parallel task.
constexpr int kLinearOutputsPerTask = 32;

Expr activate(Expr value, Activation activation, float clipMin, float clipMax) {
  switch (activation) {
  case Activation::None:
    return value;
  case Activation::Relu:
    return Halide::max(value, 0.0f);
  case Activation::Clip:
    return Halide::min(Halide::max(value, clipMin), clipMax);
  }
  throw Halide::CompileError("unknown activation");
}

/// The sum of `terms`, added pairwise.
Expr pairwiseSum(std::vector<Expr> terms) {
  while (terms.size() > 1) {
    std::vector<Expr> halves;
    for (size_t i = 0; i + 1 < terms.size(); i += 2)
      halves.push_back(terms[i] + terms[i + 1]);
    if (terms.size() % 2)
      halves.push_back(terms.back());
    terms = std::move(halves);
  }
  return terms.empty() ? Expr(0.0f) : terms.front();
}

/// Halide dimension `dim` of `vars` replaced by `with`.
std::vector<Expr> replaced(const std::vector<Var> &vars, size_t dim,
                           const Expr &with) {
  std::vector<Expr> args(vars.begin(), vars.end());
  args[dim] = with;
  return args;
}

std::vector<VarOrRVar> loopsOf(const std::vector<Var> &vars) {
  return {vars.begin(), vars.end()};
}

/// Computes each of `stages` (row statistics) per iteration of `row` of
/// `consumer`, or once for all when there is no such loop.
void computePerRow(const std::vector<Func> &stages, const Func &consumer,
                   const std::optional<VarOrRVar> &row) {
  for (Func stage : stages)
    if (row)
      stage.compute_at(consumer, row->var);
    else
      stage.compute_root();
}

void checkAxis(const Shape &shape, int64_t axis, const char *op) {
  if (axis < 0 || axis >= static_cast<int64_t>(shape.size()))
    throw Halide::CompileError(std::string(op) + " axis " +
                               std::to_string(axis) + " is out of range for " +
                               formatShape(shape));
}

} // namespace

/// y[n, o] = act(bias[o] + sum_i x[n, i] * w[o, i]). The reduction over i
/// runs in vector lanes (the weight rows are contiguous) for a register tile
/// of outputs, whose lanes are added at the end; tasks are blocks of outputs.
KernelPipeline buildLinear(const LinearKernel &desc,
                           const Halide::Target &target) {
  int64_t in = desc.inFeatures, out = desc.outFeatures;
  if (in < 1 || out < 1)
    throw Halide::CompileError("linear needs positive feature counts");
  KernelPipeline kernel;
  ImageParam input = denseInput("input", {kBatch, in});
  ImageParam weight = denseInput("weight", {out, in});
  kernel.inputs = {input, weight};
  Var lane("lane"), o("o"), n("n");
  int lanes = target.natural_vector_size<float>();
  int chunks = static_cast<int>(in / lanes);
  std::vector<Expr> terms;
  Func partial("linear_partial");
  Halide::RDom k(0, std::max(chunks, 1), "k");
  if (chunks > 0) {
    partial(lane, o, n) = 0.0f;
    partial(lane, o, n) +=
        input(k * lanes + lane, n) * weight(k * lanes + lane, o);
    for (int l = 0; l < lanes; ++l)
      terms.push_back(partial(l, o, n));
  }
  for (int i = chunks * lanes; i < in; ++i)
    terms.push_back(input(i, n) * weight(i, o));
  Expr dot = pairwiseSum(terms);
  if (desc.hasBias) {
    kernel.inputs.push_back(denseInput("bias", {out}));
    dot += kernel.inputs.back()(o);
  }
  Func result("linear");
  result(o, n) = activate(dot, desc.activation, desc.clipMin, desc.clipMax);
  constrainDense(result.output_buffer(), {kBatch, out});

  Var block("block"), oi("oi"), tile("tile"), ot("ot");
  int perTask = static_cast<int>(std::min<int64_t>(out, kLinearOutputsPerTask));
  int perTile = std::min(perTask, kLinearOutputsPerTile);
  result.split(o, block, oi, perTask, Halide::TailStrategy::ShiftInwards)
      .split(oi, tile, ot, perTile, Halide::TailStrategy::ShiftInwards)
      .reorder(ot, n, tile, block)
      .parallel(block);
  if (chunks > 0) {
    partial.compute_at(result, n).vectorize(lane, lanes).unroll(o, perTile);
    partial.update()
        .reorder(lane, o, k, n)
        .vectorize(lane, lanes)
        .unroll(o, perTile);
  }
  kernel.pipeline = Halide::Pipeline(result);
  return kernel;
}

/// y = exp(x - max) / sum(exp(x - max)) along the axis: per row (all the
/// other dimensions), a max, the exponentials and their sum.
KernelPipeline buildSoftmax(const SoftmaxKernel &desc,
                            const Halide::Target &target) {
  const Shape &shape = desc.shape;
  checkAxis(shape, desc.axis, "softmax");
  size_t rank = shape.size(), axisDim = rank - 1 - desc.axis;
  ImageParam input = denseInput("input", shape);
  std::vector<Var> vars = makeVars(rank);
  std::vector<Var> rowVars = vars;
  rowVars.erase(rowVars.begin() + axisDim);
  Halide::RDom r(0, extentOf(input, shape, axisDim), "r");
  Func rowMax("softmax_max"), exps("softmax_exp"), rowSum("softmax_sum");
  rowMax(rowVars) = -std::numeric_limits<float>::infinity();
  rowMax(rowVars) =
      Halide::max(rowMax(rowVars), input(replaced(vars, axisDim, r)));
  exps(vars) = Halide::exp(input(vars) - rowMax(rowVars));
  rowSum(rowVars) = 0.0f;
  rowSum(rowVars) += exps(replaced(vars, axisDim, r));
  Func out("softmax");
  out(vars) = exps(vars) / rowSum(rowVars);
  constrainDense(out.output_buffer(), shape);

  // Loops innermost first: dimension 0 (vectorized), the axis, then the rows,
  // fused into one parallel loop.
  std::vector<VarOrRVar> loops = loopsOf(vars);
  if (axisDim != 0) {
    loops.erase(loops.begin() + axisDim);
    loops.insert(loops.begin() + 1, vars[axisDim]);
    out.reorder(loops);
  }
  size_t firstRowLoop = axisDim == 0 ? 1 : 2;
  std::optional<VarOrRVar> row;
  if (firstRowLoop < rank)
    row = fuseLoops(out, loops, firstRowLoop);
  if (row)
    out.parallel(*row);
  int64_t innerExtent = halideExtent(shape, 0);
  vectorizeLoop(out, vars[0], innerExtent, target);
  computePerRow({rowMax, exps, rowSum}, out, row);
  vectorizeLoop(exps, vars[0], innerExtent, target);
  if (axisDim != 0)
    for (Func rowStat : {rowMax, rowSum}) {
      vectorizeLoop(rowStat, vars[0], innerExtent, target);
      vectorizeLoop(rowStat.update().reorder(vars[0], r), vars[0], innerExtent,
                    target, /*pureStage=*/false);
    }
  return {Halide::Pipeline(out), {input}};
}

/// Over dimensions [axis, rank): y = (x - mean) / sqrt(var + eps) * scale +
/// bias, the biased variance taken about the mean (two passes).
KernelPipeline buildLayerNorm(const LayerNormKernel &desc,
                              const Halide::Target &target) {
  const Shape &shape = desc.shape;
  checkAxis(shape, desc.axis, "layer_norm");
  Shape normalized(shape.begin() + desc.axis, shape.end());
  size_t rank = shape.size(), normDims = normalized.size();
  int64_t count = 1;
  for (int64_t extent : normalized) {
    if (extent == kBatch)
      throw Halide::CompileError("layer_norm cannot normalize over the batch");
    count *= extent;
  }
  ImageParam input = denseInput("input", shape);
  ImageParam scale = denseInput("scale", normalized);
  ImageParam bias = denseInput("bias", normalized);
  std::vector<Var> vars = makeVars(rank);
  std::vector<Var> inner(vars.begin(), vars.begin() + normDims);
  std::vector<Var> rowVars(vars.begin() + normDims, vars.end());
  Halide::Region box;
  for (size_t dim = 0; dim < normDims; ++dim)
    box.emplace_back(0, static_cast<int>(halideExtent(shape, dim)));
  Halide::RDom r(box);
  // The element at r of the row.
  std::vector<Expr> element;
  for (size_t dim = 0; dim < normDims; ++dim)
    element.push_back(r[static_cast<int>(dim)]);
  element.insert(element.end(), rowVars.begin(), rowVars.end());

  float inverseCount = static_cast<float>(1.0 / static_cast<double>(count));
  Func mean("layer_norm_mean"), invStd("layer_norm_inv_std");
  mean(rowVars) = 0.0f;
  mean(rowVars) += input(element) * inverseCount;
  Func squares("layer_norm_squares");
  squares(rowVars) = 0.0f;
  Expr deviation = input(element) - mean(rowVars);
  squares(rowVars) += deviation * deviation;
  invStd(rowVars) =
      1.0f / Halide::sqrt(squares(rowVars) * inverseCount + desc.epsilon);
  Func out("layer_norm");
  out(vars) = (input(vars) - mean(rowVars)) * invStd(rowVars) * scale(inner) +
              bias(inner);
  constrainDense(out.output_buffer(), shape);

  std::vector<VarOrRVar> loops = loopsOf(vars);
  std::optional<VarOrRVar> row;
  if (normDims < rank) {
    row = fuseLoops(out, loops, normDims);
    out.parallel(*row);
  }
  size_t vectorDim = firstLongDim(shape);
  if (vectorDim < normDims)
    vectorizeLoop(out, vars[vectorDim], halideExtent(shape, vectorDim), target);
  computePerRow({mean, squares, invStd}, out, row);
  return {Halide::Pipeline(out), {input, scale, bias}};
}

std::string describe(const LinearKernel &desc) {
  static const char *const kActivations[] = {"", " relu", " clip"};
  return "linear " + std::to_string(desc.inFeatures) + "->" +
         std::to_string(desc.outFeatures) +
         kActivations[static_cast<int>(desc.activation)];
}

std::string describe(const SoftmaxKernel &desc) {
  return "softmax " + formatShape(desc.shape) + " axis " +
         std::to_string(desc.axis);
}

std::string describe(const LayerNormKernel &desc) {
  return "layer_norm " + formatShape(desc.shape) + " axis " +
         std::to_string(desc.axis);
}

} // namespace mlir::dyconv::codegen
