//===- ShapeKernels.cpp - transpose, slice, pad, reductions, matmul -------===//
//
// The generic ONNX ops that an imported graph keeps where no layer was
// raised. Each is one plain loop nest over its output (dense row-major
// tensors of any rank, the batch dimension 0 untouched), scheduled like the
// elementwise kernels: correct everywhere, fast nowhere in particular.
//
//===----------------------------------------------------------------------===//

#include "Builders.h"
#include "DenseLayout.h"

#include <numeric>

namespace mlir::dyconv::codegen {

using Halide::Expr;
using Halide::Func;
using Halide::ImageParam;
using Halide::Var;

namespace {

/// Row-major logical coordinates of the Halide `vars` (innermost first).
std::vector<Expr> logicalIndex(const std::vector<Var> &vars) {
  return std::vector<Expr>(vars.rbegin(), vars.rend());
}

/// `input` read at the row-major logical coordinates `index`.
Expr readAt(const ImageParam &input, const std::vector<Expr> &index) {
  return input(std::vector<Expr>(index.rbegin(), index.rend()));
}

/// The pure output Func of `shape` defined by `value` at logical
/// coordinates, dense and scheduled as a loop nest.
Func defineDense(const std::string &name, const Shape &shape,
                 const std::function<Expr(const std::vector<Expr> &)> &value,
                 const Halide::Target &target) {
  std::vector<Var> vars = makeVars(shape.size());
  Func out(name);
  out(vars) = value(logicalIndex(vars));
  constrainDense(out.output_buffer(), shape);
  scheduleLoopNest(out, vars, shape, target);
  return out;
}

void requireStaticBeyondBatch(const Shape &shape, const std::string &what) {
  for (size_t d = 1; d < shape.size(); ++d)
    if (shape[d] == kBatch)
      throw Halide::CompileError(what +
                                 " needs static extents except the "
                                 "batch, got " +
                                 formatShape(shape));
}

} // namespace

KernelPipeline buildTranspose(const TransposeKernel &desc,
                              const Halide::Target &target) {
  size_t rank = desc.shape.size();
  std::vector<int64_t> sorted = desc.perm;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int64_t> identity(rank);
  std::iota(identity.begin(), identity.end(), 0);
  if (sorted != identity || (rank && desc.perm[0] != 0))
    throw Halide::CompileError("transpose of " + formatShape(desc.shape) +
                               " needs a permutation keeping dimension 0");
  requireStaticBeyondBatch(desc.shape, "transpose");
  Shape outShape(rank);
  for (size_t d = 0; d < rank; ++d)
    outShape[d] = desc.shape[desc.perm[d]];
  ImageParam input = denseInput("input", desc.shape);
  Func out = defineDense(
      "transpose", outShape,
      [&](const std::vector<Expr> &index) {
        std::vector<Expr> from(rank);
        for (size_t d = 0; d < rank; ++d)
          from[desc.perm[d]] = index[d];
        return readAt(input, from);
      },
      target);
  return {Halide::Pipeline(out), {input}};
}

KernelPipeline buildSlice(const SliceKernel &desc,
                          const Halide::Target &target) {
  size_t rank = desc.shape.size();
  if (desc.outputShape.size() != rank || desc.starts.size() != rank ||
      desc.steps.size() != rank)
    throw Halide::CompileError("slice of " + formatShape(desc.shape) +
                               " needs one start and step per dimension");
  requireStaticBeyondBatch(desc.shape, "slice");
  ImageParam input = denseInput("input", desc.shape);
  Func out = defineDense(
      "slice", desc.outputShape,
      [&](const std::vector<Expr> &index) {
        std::vector<Expr> from;
        for (size_t d = 0; d < rank; ++d)
          from.push_back(static_cast<int>(desc.starts[d]) +
                         index[d] * static_cast<int>(desc.steps[d]));
        return readAt(input, from);
      },
      target);
  return {Halide::Pipeline(out), {input}};
}

KernelPipeline buildPad(const PadKernel &desc, const Halide::Target &target) {
  size_t rank = desc.shape.size();
  if (desc.pads.size() != 2 * rank ||
      (rank && (desc.pads[0] != 0 || desc.pads[rank] != 0)))
    throw Halide::CompileError("pad of " + formatShape(desc.shape) +
                               " needs 2 x rank pads, none on the batch");
  requireStaticBeyondBatch(desc.shape, "pad");
  Shape outShape(rank);
  for (size_t d = 0; d < rank; ++d)
    outShape[d] = d == 0 ? desc.shape[0]
                         : desc.shape[d] + desc.pads[d] + desc.pads[d + rank];
  ImageParam input = denseInput("input", desc.shape);
  // The input's bounds, innermost Halide dimension first; the batch is
  // never padded, so it needs none.
  Halide::Region bounds;
  for (size_t dim = 0; dim < rank; ++dim)
    bounds.emplace_back(dim + 1 == rank
                            ? Halide::Range()
                            : Halide::Range(0, static_cast<int>(halideExtent(
                                                   desc.shape, dim))));
  Func padded =
      Halide::BoundaryConditions::constant_exterior(input, desc.value, bounds);
  Func out = defineDense(
      "pad", outShape,
      [&](const std::vector<Expr> &index) {
        std::vector<Expr> from;
        for (size_t d = 0; d < rank; ++d)
          from.push_back(index[d] - static_cast<int>(desc.pads[d]));
        return padded(std::vector<Expr>(from.rbegin(), from.rend()));
      },
      target);
  return {Halide::Pipeline(out), {input}};
}

KernelPipeline buildReduce(const ReduceKernel &desc,
                           const Halide::Target &target) {
  const Shape &shape = desc.shape;
  size_t rank = shape.size();
  std::vector<bool> reduced(rank, false);
  Halide::Region box;
  int64_t count = 1;
  for (int64_t axis : desc.axes) {
    if (axis <= 0 || static_cast<size_t>(axis) >= rank || reduced[axis])
      throw Halide::CompileError("reduction of " + formatShape(shape) +
                                 " over axis " + std::to_string(axis) +
                                 " (the batch, repeated or out of range)");
    reduced[axis] = true;
    box.emplace_back(0, static_cast<int>(shape[axis]));
    count *= shape[axis];
  }
  requireStaticBeyondBatch(shape, "reduction");
  Shape outShape;
  for (size_t d = 0; d < rank; ++d)
    if (!reduced[d] || desc.keepDims)
      outShape.push_back(reduced[d] ? 1 : shape[d]);
  ImageParam input = denseInput("input", shape);
  Halide::RDom r(box);
  Func out = defineDense(
      desc.mean ? "reduce_mean" : "reduce_sum", outShape,
      [&](const std::vector<Expr> &index) {
        std::vector<Expr> from;
        size_t next = 0, axis = 0;
        for (size_t d = 0; d < rank; ++d) {
          if (reduced[d]) {
            from.push_back(r[static_cast<int>(axis++)]);
            next += desc.keepDims;
          } else {
            from.push_back(index[next++]);
          }
        }
        Expr total = Halide::sum(readAt(input, from));
        return desc.mean ? total * static_cast<float>(1.0 / count) : total;
      },
      target);
  return {Halide::Pipeline(out), {input}};
}

KernelPipeline buildMatMul(const MatMulKernel &desc,
                           const Halide::Target &target) {
  const Shape &lhs = desc.lhsShape, &rhs = desc.rhsShape;
  if (lhs.size() < 2 || rhs.size() < 2 || lhs.back() != rhs[rhs.size() - 2] ||
      lhs.back() == kBatch)
    throw Halide::CompileError("matmul of " + formatShape(lhs) + " and " +
                               formatShape(rhs) +
                               " needs [..., M, K] x [..., K, N]");
  Shape lead = broadcastShape(Shape(lhs.begin(), lhs.end() - 2),
                              Shape(rhs.begin(), rhs.end() - 2));
  Shape outShape = lead;
  outShape.push_back(lhs[lhs.size() - 2]);
  outShape.push_back(rhs.back());
  requireStaticBeyondBatch(outShape, "matmul");
  ImageParam a = denseInput("lhs", lhs), b = denseInput("rhs", rhs);
  Halide::RDom k(0, static_cast<int>(lhs.back()), "k");
  // An operand's leading dimensions broadcast against the output's: aligned
  // from the right, extent 1 read at 0.
  auto operandIndex = [&](const Shape &shape, const std::vector<Expr> &index,
                          Expr row, Expr column) {
    size_t leading = shape.size() - 2, offset = lead.size() - leading;
    std::vector<Expr> at;
    for (size_t d = 0; d < leading; ++d)
      at.push_back(shape[d] == 1 ? Expr(0) : index[offset + d]);
    at.push_back(row);
    at.push_back(column);
    return at;
  };
  Func out = defineDense(
      "matmul", outShape,
      [&](const std::vector<Expr> &index) {
        Expr m = index[lead.size()], n = index[lead.size() + 1];
        return Halide::sum(readAt(a, operandIndex(lhs, index, m, k)) *
                           readAt(b, operandIndex(rhs, index, k, n)));
      },
      target);
  return {Halide::Pipeline(out), {a, b}};
}

std::string describe(const TransposeKernel &desc) {
  std::string perm;
  for (int64_t d : desc.perm)
    perm += (perm.empty() ? "" : ",") + std::to_string(d);
  return "transpose " + formatShape(desc.shape) + " perm " + perm;
}

std::string describe(const SliceKernel &desc) {
  return "slice " + formatShape(desc.shape) + " -> " +
         formatShape(desc.outputShape);
}

std::string describe(const PadKernel &desc) {
  std::string pads;
  for (int64_t p : desc.pads)
    pads += (pads.empty() ? "" : ",") + std::to_string(p);
  return "pad " + formatShape(desc.shape) + " by " + pads;
}

std::string describe(const ReduceKernel &desc) {
  std::string axes;
  for (int64_t d : desc.axes)
    axes += (axes.empty() ? "" : ",") + std::to_string(d);
  return std::string(desc.mean ? "reduce_mean " : "reduce_sum ") +
         formatShape(desc.shape) + " axes " + axes;
}

std::string describe(const MatMulKernel &desc) {
  return "matmul " + formatShape(desc.lhsShape) + ", " +
         formatShape(desc.rhsShape);
}

} // namespace mlir::dyconv::codegen
