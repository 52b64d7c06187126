//===- ElementwiseKernels.cpp - elementwise ops, channel affine, concat ---===//
//
// Kernels on tensors of any rank. Every extent but the batch (kBatch) is baked
// into the pipeline; the loop nests vectorize the innermost dimension that is
// longer than 1 and run the dimensions above the next one in parallel.
//
//===----------------------------------------------------------------------===//

#include "Builders.h"
#include "DenseLayout.h"
#include "LayoutAccess.h"

#include <algorithm>
#include <cmath>

namespace mlir::dyconv::codegen {

using Halide::Expr;
using Halide::Func;
using Halide::ImageParam;
using Halide::Var;
using Halide::VarOrRVar;

namespace {

bool isBinary(ElementwiseOp op) {
  return op == ElementwiseOp::Add || op == ElementwiseOp::Mul ||
         op == ElementwiseOp::Sub || op == ElementwiseOp::Div;
}

/// tanh(x) = 1 - 2 / (exp(2x) + 1): Halide's exp vectorizes, its tanh does
/// not. exp overflowing to infinity gives the limit 1; near 0 the error is
/// absolute (~1e-7), which is what GELU, adding it to 1, sees.
Expr tanhViaExp(const Expr &x) {
  return 1.0f - 2.0f / (Halide::exp(2.0f * x) + 1.0f);
}

Expr applyElementwise(const ElementwiseKernel &desc,
                      const std::vector<Expr> &operands) {
  switch (desc.op) {
  case ElementwiseOp::Relu:
    return Halide::max(operands[0], 0.0f);
  case ElementwiseOp::Sigmoid:
    return 1.0f / (1.0f + Halide::exp(-operands[0]));
  case ElementwiseOp::Clip:
    return Halide::min(Halide::max(operands[0], desc.clipMin), desc.clipMax);
  case ElementwiseOp::Abs:
    return Halide::abs(operands[0]);
  case ElementwiseOp::Sqrt:
    return Halide::sqrt(operands[0]);
  case ElementwiseOp::Erf:
    return Halide::erf(operands[0]);
  case ElementwiseOp::Tanh:
    return Halide::tanh(operands[0]);
  case ElementwiseOp::Gelu:
    return 0.5f * operands[0] *
           (1.0f + Halide::erf(operands[0] * static_cast<float>(M_SQRT1_2)));
  case ElementwiseOp::GeluTanh: {
    const float scale = static_cast<float>(M_2_SQRTPI * M_SQRT1_2);
    Expr x = operands[0];
    return 0.5f * x * (1.0f + tanhViaExp(scale * (x + 0.044715f * x * x * x)));
  }
  case ElementwiseOp::Add:
    return operands[0] + operands[1];
  case ElementwiseOp::Mul:
    return operands[0] * operands[1];
  case ElementwiseOp::Sub:
    return operands[0] - operands[1];
  case ElementwiseOp::Div:
    return operands[0] / operands[1];
  }
  throw Halide::CompileError("unknown elementwise op");
}

const char *opName(ElementwiseOp op) {
  switch (op) {
  case ElementwiseOp::Relu:
    return "relu";
  case ElementwiseOp::Sigmoid:
    return "sigmoid";
  case ElementwiseOp::Clip:
    return "clip";
  case ElementwiseOp::Abs:
    return "abs";
  case ElementwiseOp::Sqrt:
    return "sqrt";
  case ElementwiseOp::Erf:
    return "erf";
  case ElementwiseOp::Tanh:
    return "tanh";
  case ElementwiseOp::Gelu:
    return "gelu";
  case ElementwiseOp::GeluTanh:
    return "gelu_tanh";
  case ElementwiseOp::Add:
    return "add";
  case ElementwiseOp::Mul:
    return "mul";
  case ElementwiseOp::Sub:
    return "sub";
  case ElementwiseOp::Div:
    return "div";
  }
  return "elementwise";
}

/// The output shape of a concatenation, checking that the inputs agree
/// outside `desc.axis` and that the axis is static.
Shape concatShape(const ConcatKernel &desc) {
  if (desc.inputShapes.empty())
    throw Halide::CompileError("concat needs at least one input");
  Shape result = desc.inputShapes.front();
  auto axis = static_cast<size_t>(desc.axis);
  if (desc.axis < 0 || axis >= result.size())
    throw Halide::CompileError("concat axis " + std::to_string(desc.axis) +
                               " is out of range for " + formatShape(result));
  result[axis] = 0;
  for (const Shape &shape : desc.inputShapes) {
    bool matches = shape.size() == result.size() && shape[axis] != kBatch;
    for (size_t dim = 0; matches && dim < shape.size(); ++dim)
      matches = dim == axis || shape[dim] == desc.inputShapes.front()[dim];
    if (!matches)
      throw Halide::CompileError(
          "concat inputs " + formatShape(desc.inputShapes.front()) + " and " +
          formatShape(shape) + " do not join along a static axis " +
          std::to_string(desc.axis));
    result[axis] += shape[axis];
  }
  return result;
}

} // namespace

/// The element of `input` that broadcasts to the output element at logical
/// `index` (row-major, the output's rank): shapes align from the right and a
/// dimension of extent 1 is read at 0.
static Expr broadcastAt(const LayoutArgument &input,
                        const std::vector<Expr> &index) {
  const Shape &shape = input.logical;
  size_t offset = index.size() - shape.size();
  std::vector<Expr> at;
  for (size_t d = 0; d < shape.size(); ++d)
    at.push_back(shape[d] == 1 ? Expr(0) : index[offset + d]);
  return input.at(at);
}

KernelPipeline buildElementwise(const ElementwiseKernel &desc,
                                const std::vector<Layout> &layouts,
                                const Halide::Target &target) {
  size_t arity = isBinary(desc.op) ? 2 : 1;
  if (desc.inputShapes.size() != arity)
    throw Halide::CompileError(std::string(opName(desc.op)) + " takes " +
                               std::to_string(arity) + " inputs, got " +
                               std::to_string(desc.inputShapes.size()));
  auto layoutOf = [&](size_t i) {
    return i < layouts.size() ? layouts[i] : Layout();
  };
  Shape outShape = desc.inputShapes[0];
  if (arity == 2)
    outShape = broadcastShape(outShape, desc.inputShapes[1]);
  KernelPipeline kernel;
  std::vector<LayoutArgument> inputs;
  for (size_t i = 0; i < arity; ++i) {
    inputs.push_back(LayoutArgument::input("input" + std::to_string(i),
                                           desc.inputShapes[i], layoutOf(i)));
    kernel.inputs.push_back(inputs.back().param);
  }
  std::vector<Var> vars;
  Layout outLayout = layoutOf(arity);
  Func out = defineOutput(
      opName(desc.op), outShape, outLayout,
      [&](const std::vector<Expr> &index) {
        std::vector<Expr> operands;
        for (const LayoutArgument &input : inputs)
          operands.push_back(broadcastAt(input, index));
        return applyElementwise(desc, operands);
      },
      vars);
  scheduleLoopNest(out, vars, outLayout.physicalShape(outShape), target);
  kernel.pipeline = Halide::Pipeline(out);
  return kernel;
}

KernelPipeline buildChannelAffine(const ChannelAffineKernel &desc,
                                  const std::vector<Layout> &layouts,
                                  const Halide::Target &target) {
  size_t rank = desc.shape.size();
  if (rank < 2 || desc.shape[1] == kBatch)
    throw Halide::CompileError("channel affine needs a static channel "
                               "dimension 1, got " +
                               formatShape(desc.shape));
  auto layoutOf = [&](size_t i) {
    return i < layouts.size() ? layouts[i] : Layout();
  };
  Shape channels = {desc.shape[1]};
  LayoutArgument input =
      LayoutArgument::input("input", desc.shape, layoutOf(0));
  LayoutArgument scale = LayoutArgument::input("scale", channels, layoutOf(1));
  LayoutArgument shift = LayoutArgument::input("shift", channels, layoutOf(2));
  std::vector<Var> vars;
  Func out = defineOutput(
      "channel_affine", desc.shape, layoutOf(3),
      [&](const std::vector<Expr> &index) {
        return input.at(index) * scale.at({index[1]}) + shift.at({index[1]});
      },
      vars);
  scheduleLoopNest(out, vars, layoutOf(3).physicalShape(desc.shape), target);
  return {Halide::Pipeline(out), {input.param, scale.param, shift.param}};
}

/// Each input is copied into its slice of the output by one update.
KernelPipeline buildConcat(const ConcatKernel &desc,
                           const Halide::Target &target) {
  Shape outShape = concatShape(desc);
  size_t rank = outShape.size();
  size_t axisDim = rank - 1 - static_cast<size_t>(desc.axis);
  std::vector<Var> vars = makeVars(rank);
  Func out("concat");
  out(vars) = Halide::undef<float>();
  KernelPipeline kernel;
  int offset = 0;
  for (const Shape &shape : desc.inputShapes) {
    ImageParam input =
        denseInput("input" + std::to_string(kernel.inputs.size()), shape);
    Halide::Region box;
    for (size_t dim = 0; dim < rank; ++dim)
      box.emplace_back(0, extentOf(input, shape, dim));
    Halide::RDom r(box);
    std::vector<Expr> from, to;
    std::vector<VarOrRVar> loops;
    for (size_t dim = 0; dim < rank; ++dim) {
      from.push_back(r[static_cast<int>(dim)]);
      to.push_back(dim == axisDim ? r[static_cast<int>(dim)] + offset
                                  : r[static_cast<int>(dim)]);
      loops.emplace_back(r[static_cast<int>(dim)]);
    }
    out(to) = input(from);
    scheduleLoopNest(out.update(static_cast<int>(kernel.inputs.size())), loops,
                     shape, target);
    kernel.inputs.push_back(input);
    offset += static_cast<int>(shape[desc.axis]);
  }
  constrainDense(out.output_buffer(), outShape);
  kernel.pipeline = Halide::Pipeline(out);
  return kernel;
}

std::string describe(const ElementwiseKernel &desc) {
  std::string text = opName(desc.op);
  for (size_t i = 0; i < desc.inputShapes.size(); ++i)
    text += (i ? ", " : " ") + formatShape(desc.inputShapes[i]);
  return text;
}

std::string describe(const ChannelAffineKernel &desc) {
  return "channel_affine " + formatShape(desc.shape);
}

std::string describe(const ConcatKernel &desc) {
  std::string text = "concat";
  for (size_t i = 0; i < desc.inputShapes.size(); ++i)
    text += (i ? ", " : " ") + formatShape(desc.inputShapes[i]);
  return text + " axis " + std::to_string(desc.axis);
}

} // namespace mlir::dyconv::codegen
