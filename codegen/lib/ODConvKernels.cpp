//===- ODConvKernels.cpp - the ODConv attention and kernel aggregation ----===//
//
// Spec §1.2 and §1.4, with the compiler's folding applied (see Kernels.h):
// the attention is GAP -> fc (+ folded BN) -> ReLU -> up to four heads, and
// the aggregation folds every attention into one kernel per sample, so that
// the convolution itself is a plain per-sample conv.
//
//===----------------------------------------------------------------------===//

#include "Builders.h"
#include "HalideHelpers.h"

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
                                    const Halide::Target &target) {
  int lanes = target.natural_vector_size<float>();
  KernelPipeline kernel;
  ImageParam input =
      denseInput("input", {kBatch, desc.inChannels, desc.height, desc.width});
  ImageParam fcWeight = denseInput("fc_weight", {desc.hidden, desc.inChannels});
  ImageParam fcBias = denseInput("fc_bias", {desc.hidden});
  kernel.inputs = {input, fcWeight, fcBias};

  Func gap =
      globalAveragePool(input, desc.inChannels, desc.height, desc.width, lanes);
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
                              const Halide::Target &target) {
  if (!desc.hasKernel && desc.kernels != 1)
    throw Halide::CompileError("aggregate: a bank of " +
                               std::to_string(desc.kernels) +
                               " kernels needs the kernel attention");
  int lanes = target.natural_vector_size<float>();
  int64_t taps = desc.kernelH * desc.kernelW;
  int64_t inChannels = desc.inChannelsPerGroup * desc.groups;
  int64_t outPerGroup = desc.outChannels / desc.groups;
  Shape bankShape = {desc.kernels, desc.outChannels, desc.inChannelsPerGroup,
                     desc.kernelH, desc.kernelW};
  KernelPipeline kernel;
  ImageParam bank = denseInput("bank", bankShape);
  ImageParam channel = denseInput("channel", {kBatch, inChannels});
  kernel.inputs = {bank, channel};
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

  Var kx("kx"), ky("ky"), c("c"), o("o"), n("n"), g("g"), i("i");
  // scale(kx, ky, c, g, i, n): every attention that does not depend on the
  // output channel, i.e. all but the filter one, for bank kernel i.
  Func scale("scale");
  Expr tap = ky * static_cast<int>(desc.kernelW) + kx;
  scale(kx, ky, c, g, i, n) =
      channel(g * static_cast<int>(desc.inChannelsPerGroup) + c, n) *
      (spatial ? (*spatial)(tap, n) : Expr(1.0f)) *
      (mixture ? (*mixture)(i, n) : Expr(1.0f));
  // The sum over the few bank kernels is unrolled into one expression.
  Expr group = o / static_cast<int>(outPerGroup);
  Expr mixed = 0.0f;
  for (int k = 0; k < desc.kernels; ++k)
    mixed += scale(kx, ky, c, group, k, n) * bank(kx, ky, c, o, k);
  Func out("aggregate");
  out(kx, ky, c, o, n) = filter ? (*filter)(o, n) * mixed : mixed;
  constrainDense(out.output_buffer(),
                 {kBatch, desc.outChannels, desc.inChannelsPerGroup,
                  desc.kernelH, desc.kernelW});

  // Memory-bound: one (o, n) row of the output is contiguous, so fuse it and
  // vectorise along it. Blocks of output channels sized for L2 are shared
  // by every sample, so the bank is read from memory once per call.
  int64_t row = desc.inChannelsPerGroup * taps;
  int64_t blockBytes = 4 * desc.kernels * row;
  int oBlock = static_cast<int>(
      std::clamp<int64_t>((256 * 1024) / blockBytes, 1, desc.outChannels));
  Var f("f"), kxy("kxy"), oo("oo"), oi("oi");
  out.fuse(kx, ky, kxy).fuse(kxy, c, f);
  out.split(o, oo, oi, oBlock, Halide::TailStrategy::ShiftInwards)
      .reorder(f, oi, n, oo)
      .parallel(oo);
  vectorizePure(out, f, row, lanes);
  scale.compute_root().fuse(kx, ky, kxy).fuse(kxy, c, f).parallel(n);
  vectorizePure(scale, f, row, lanes);
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
