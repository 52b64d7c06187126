//===- ODConvKernels.cpp - the ODConv attention and kernel aggregation ----===//
//
// Spec §1.2 and §1.4, with the compiler's folding applied (see Kernels.h):
// the attention is GAP -> fc (+ folded BN) -> ReLU -> up to four heads, and
// the aggregation folds every attention into one kernel per sample, so that
// the convolution itself is a plain per-sample conv.
//
//===----------------------------------------------------------------------===//

#include "Builders.h"
#include "DenseLayout.h"
#include "HalideHelpers.h"
#include "LayoutAccess.h"

#include <algorithm>
#include <sstream>

namespace mlir::dyconv::codegen {

using Halide::Expr;
using Halide::Func;
using Halide::ImageParam;
using Halide::Var;

namespace {
/// The fully connected layer of one attention head: its weight [size, A] and
/// bias [size], applied to the hidden vector.
Func attentionHead(KernelPipeline &kernel, const std::string &name,
                   const Func &hidden, int64_t size, int64_t hiddenSize,
                   int lanes) {
  ImageParam weight = denseInput(name + "_weight", {size, hiddenSize});
  ImageParam bias = denseInput(name + "_bias", {size});
  kernel.inputs.push_back(weight);
  kernel.inputs.push_back(bias);
  return denseLayer(name + "_logits", hidden, weight, bias, hiddenSize, lanes);
}

/// out(i, n) = sigmoid(logits(i, n) / T) as the [N, size] output \p name.
Func sigmoidHead(const std::string &name, const Func &logits, int64_t size,
                 float temperature, int lanes) {
  Var i("i"), n("n");
  Func out(name);
  out(i, n) = sigmoid(logits(i, n) / temperature);
  constrainDense(out.output_buffer(), {kBatch, size});
  vectorizePure(out, i, size, lanes);
  return out;
}

/// out(i, n) = softmax over i of logits(i, n) / T as the [N, size] output.
Func softmaxHead(const std::string &name, const Func &logits, int64_t size,
                 float temperature) {
  Var i("i"), n("n");
  Halide::RDom r(0, static_cast<int>(size), name + "_r");
  Func scaled(name + "_scaled"), exps(name + "_exps"), out(name);
  scaled(i, n) = logits(i, n) / temperature;
  Expr max = Halide::maximum(scaled(r, n));
  exps(i, n) = Halide::exp(scaled(i, n) - max);
  out(i, n) = exps(i, n) / Halide::sum(exps(r, n));
  constrainDense(out.output_buffer(), {kBatch, size});
  exps.compute_at(out, n);
  return out;
}
} // namespace

KernelPipeline buildODConvAttention(const ODConvAttentionKernel &desc,
                                    const std::vector<Layout> &layouts,
                                    const Halide::Target &target) {
  requirePlainExcept(layouts, {0}, "odconv_attention");
  int lanes = target.natural_vector_size<float>();
  KernelPipeline kernel;
  LayoutArgument input = LayoutArgument::input(
      "input", {kBatch, desc.inChannels, desc.height, desc.width},
      layouts.empty() ? Layout() : layouts[0]);
  ImageParam fcWeight = denseInput("fc_weight", {desc.hidden, desc.inChannels});
  ImageParam fcBias = denseInput("fc_bias", {desc.hidden});
  kernel.inputs = {input.param, fcWeight, fcBias};

  Func gap = meanOverPlane(input, lanes);
  Func fc = denseLayer("fc", gap, fcWeight, fcBias, desc.inChannels, lanes);
  Var a("a"), n("n");
  Func hidden("hidden");
  hidden(a, n) = Halide::max(fc(a, n), 0.0f);
  hidden.compute_root();

  auto head = [&](const std::string &name, int64_t size) {
    return attentionHead(kernel, name, hidden, size, desc.hidden, lanes);
  };
  float t = desc.temperature;
  std::vector<Func> outputs = {sigmoidHead(
      "channel", head("channel", desc.inChannels), desc.inChannels, t, lanes)};
  if (desc.hasFilter)
    outputs.push_back(sigmoidHead("filter", head("filter", desc.outChannels),
                                  desc.outChannels, t, lanes));
  if (desc.hasSpatial)
    outputs.push_back(sigmoidHead("spatial", head("spatial", desc.taps),
                                  desc.taps, t, lanes));
  if (desc.hasKernel)
    outputs.push_back(
        softmaxHead("kernel", head("kernel", desc.kernels), desc.kernels, t));
  kernel.pipeline = Halide::Pipeline(outputs);
  return kernel;
}

KernelPipeline buildAggregate(const AggregateKernel &desc,
                              const std::vector<Layout> &layouts,
                              const Halide::Target &target) {
  if (!desc.hasKernel && desc.kernels != 1)
    throw Halide::CompileError("aggregate: a bank of " +
                               std::to_string(desc.kernels) +
                               " kernels needs the kernel attention");
  // The bank and the result may be packed (weights of a blocked conv).
  Layout bankLayout = layouts.empty() ? Layout() : layouts.front();
  Layout outLayout = layouts.empty() ? Layout() : layouts.back();
  requirePlainExcept(layouts, {0, layouts.size() - 1}, "aggregate");
  int lanes = target.natural_vector_size<float>();
  int64_t taps = desc.kernelH * desc.kernelW;
  int64_t inChannels = desc.inChannelsPerGroup * desc.groups;
  int64_t outPerGroup = desc.outChannels / desc.groups;
  Shape bankShape = {desc.kernels, desc.outChannels, desc.inChannelsPerGroup,
                     desc.kernelH, desc.kernelW};
  Shape outShape = {kBatch, desc.outChannels, desc.inChannelsPerGroup,
                    desc.kernelH, desc.kernelW};
  KernelPipeline kernel;
  LayoutArgument bank = LayoutArgument::input("bank", bankShape, bankLayout);
  ImageParam channel = denseInput("channel", {kBatch, inChannels});
  kernel.inputs = {bank.param, channel};
  auto optionalInput = [&](bool present, const std::string &name,
                           int64_t size) -> std::optional<ImageParam> {
    if (!present)
      return std::nullopt;
    kernel.inputs.push_back(denseInput(name, {kBatch, size}));
    return kernel.inputs.back();
  };
  auto filter = optionalInput(desc.hasFilter, "filter", desc.outChannels);
  auto spatial = optionalInput(desc.hasSpatial, "spatial", taps);
  auto mixture = optionalInput(desc.hasKernel, "kernel", desc.kernels);

  Var kx("kx"), ky("ky"), c("c"), n("n"), g("g"), i("i");
  // scale(kx, ky, c, g, i, n): every attention that does not depend on the
  // output channel, i.e. all but the filter one, for bank kernel i.
  Func scale("scale");
  Expr tap = ky * static_cast<int>(desc.kernelW) + kx;
  scale(kx, ky, c, g, i, n) =
      channel(g * static_cast<int>(desc.inChannelsPerGroup) + c, n) *
      (spatial ? (*spatial)(tap, n) : Expr(1.0f)) *
      (mixture ? (*mixture)(i, n) : Expr(1.0f));
  // W[n, o, c, ky, kx]; the sum over the few bank kernels is unrolled into
  // one expression.
  auto weight = [&](const std::vector<Expr> &index) {
    const Expr &sample = index[0], &o = index[1], &ic = index[2];
    const Expr &y = index[3], &x = index[4];
    Expr group = o / static_cast<int>(outPerGroup);
    Expr mixed = 0.0f;
    for (int k = 0; k < desc.kernels; ++k)
      mixed += scale(x, y, ic, group, k, sample) * bank.at({k, o, ic, y, x});
    return filter ? (*filter)(o, sample) * mixed : mixed;
  };
  std::vector<Var> vars;
  Func out = defineOutput("aggregate", outShape, outLayout, weight, vars);

  // Memory-bound: vectorise along the innermost physical dimension (the
  // kernel's row (c, ky, kx) when plain, the output channels of a block when
  // packed) and share blocks of output channels sized for L2 between every
  // sample, so that the bank is read from memory once per call.
  Shape physical = outLayout.physicalShape(outShape);
  size_t rank = physical.size(), channelDim = rank - 2; // Halide dims
  int64_t channels = physical[1], channelSize = 4 * desc.kernels;
  for (size_t d = 2; d < rank; ++d)
    channelSize *= physical[d];
  int block = static_cast<int>(
      std::clamp<int64_t>((256 * 1024) / channelSize, 1, channels));
  std::vector<Halide::VarOrRVar> inner(vars.begin(), vars.begin() + channelDim);
  Halide::VarOrRVar row = fuseLoops(out, inner, 0);
  Var oo("oo"), oi("oi");
  out.split(vars[channelDim], oo, oi, block, Halide::TailStrategy::ShiftInwards)
      .reorder(row, oi, vars[rank - 1], oo)
      .parallel(oo);
  int64_t rowSize = 1;
  for (size_t d = 2; d < rank; ++d)
    rowSize *= physical[d];
  vectorizePure(out, row, rowSize, lanes);
  Var kxy("kxy"), f("f");
  scale.compute_root().fuse(kx, ky, kxy).fuse(kxy, c, f).parallel(n);
  vectorizePure(scale, f, desc.inChannelsPerGroup * taps, lanes);
  kernel.pipeline = out;
  return kernel;
}

std::string describe(const ODConvAttentionKernel &desc) {
  std::ostringstream os;
  os << "odconv_attention " << desc.inChannels << "x" << desc.height << "x"
     << desc.width << " A" << desc.hidden << " heads c";
  if (desc.hasFilter)
    os << ",f" << desc.outChannels;
  if (desc.hasSpatial)
    os << ",s" << desc.taps;
  if (desc.hasKernel)
    os << ",k" << desc.kernels;
  return os.str();
}

std::string describe(const AggregateKernel &desc) {
  std::ostringstream os;
  os << "odconv_aggregate K" << desc.kernels << " " << desc.kernelH << "x"
     << desc.kernelW << " " << desc.inChannelsPerGroup * desc.groups << "->"
     << desc.outChannels;
  if (desc.groups != 1)
    os << " g" << desc.groups;
  return os.str();
}

} // namespace mlir::dyconv::codegen
