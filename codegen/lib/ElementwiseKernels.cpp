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

namespace mlir::dyconv::codegen {

using Halide::Expr;
using Halide::Func;
using Halide::ImageParam;
using Halide::Var;
using Halide::VarOrRVar;

namespace {

/// The NumPy broadcast of two shapes; kBatch broadcasts against 1 and kBatch.
Shape broadcastShape(const Shape &lhs, const Shape &rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  Shape result(rank);
  for (size_t i = 0; i < rank; ++i) {
    // Aligned from the right; missing leading dimensions act as 1.
    int64_t a = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t b = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (a != b && a != 1 && b != 1)
      throw Halide::CompileError("shapes " + formatShape(lhs) + " and " +
                                 formatShape(rhs) + " do not broadcast");
    result[i] = a == 1 ? b : a;
  }
  return result;
}

/// Schedules a loop nest over a tensor of `shape`, `loops` holding its
/// Halide dimensions innermost first: vectorizes the innermost loop longer
/// than 1 and fuses the loops above the next one into one parallel loop.
void scheduleLoopNest(Halide::Stage stage, const std::vector<VarOrRVar> &loops,
                      const Shape &shape, const Halide::Target &target) {
  size_t rank = shape.size();
  size_t inner = firstLongDim(shape);
  if (inner == rank)
    return;
  vectorizeLoop(stage, loops[inner], halideExtent(shape, inner), target);
  // One serial loop (e.g. rows) per parallel task keeps the tasks coarse.
  size_t firstParallel = std::min(inner + 2, rank - 1);
  if (firstParallel > inner)
    stage.parallel(fuseLoops(stage, loops, firstParallel));
}

void scheduleLoopNest(Func &func, const std::vector<Var> &vars,
                      const Shape &shape, const Halide::Target &target) {
  scheduleLoopNest(func, std::vector<VarOrRVar>(vars.begin(), vars.end()),
                   shape, target);
}

bool isBinary(ElementwiseOp op) {
  return op == ElementwiseOp::Add || op == ElementwiseOp::Mul ||
         op == ElementwiseOp::Sub || op == ElementwiseOp::Div;
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
