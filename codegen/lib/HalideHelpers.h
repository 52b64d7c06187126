//===- HalideHelpers.h - Halide pieces shared by the kernel builders -*- C++
//-*-===//
//
// Internal to DyConvCodegen: dense buffer constraints, tail-safe
// vectorisation, and the two building blocks of every attention MLP (a global
// average pool and a fully connected layer), each with its CPU schedule.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_CODEGEN_LIB_HALIDEHELPERS_H
#define DYCONV_CODEGEN_LIB_HALIDEHELPERS_H

#include "Builders.h"

#include <algorithm>
#include <optional>
#include <string>

namespace mlir::dyconv::codegen {

/// Constrains \p buffer to a dense float32 tensor of row-major \p shape
/// (kBatch in the first dimension stays symbolic). Static extents and
/// strides let Halide simplify addressing and check shapes at run time.
inline void constrainDense(Halide::OutputImageParam buffer,
                           const Shape &shape) {
  int rank = static_cast<int>(shape.size());
  int64_t stride = 1;
  for (int d = 0; d < rank; ++d) {
    int64_t extent = shape[rank - 1 - d];
    Halide::Internal::Dimension dim = buffer.dim(d);
    dim.set_min(0).set_stride(static_cast<int>(stride));
    if (extent != kBatch)
      dim.set_extent(static_cast<int>(extent));
    stride *= extent;
  }
}

/// A dense float32 input of row-major \p shape (see constrainDense).
inline Halide::ImageParam denseInput(const std::string &name,
                                     const Shape &shape) {
  Halide::ImageParam param(Halide::Float(32), static_cast<int>(shape.size()),
                           name);
  constrainDense(param, shape);
  return param;
}

/// Vectorises the pure loop \p var of extent \p extent by \p lanes without
/// touching anything outside the extent: a short loop is vectorised whole,
/// a longer one gets an overlapping last vector (ShiftInwards).
inline void vectorizePure(Halide::Func func, const Halide::VarOrRVar &var,
                          int64_t extent, int lanes) {
  if (extent <= 1)
    return;
  if (extent < lanes)
    func.vectorize(var, static_cast<int>(extent));
  else
    func.vectorize(var, lanes, Halide::TailStrategy::ShiftInwards);
}

/// Chooses how many channels one parallel task handles so that it reads
/// about \p bytesPerTask bytes of \p planeElements-element planes.
inline int64_t channelsPerTask(int64_t channels, int64_t planeElements,
                               int64_t bytesPerTask = 64 * 1024) {
  int64_t perTask = bytesPerTask / (4 * std::max<int64_t>(planeElements, 1));
  return std::clamp<int64_t>(perTask, 1, channels);
}

/// gap(c, n): the mean of a dense [N, C, H, W] input over H and W. Computed
/// at root, parallel over batch x channel blocks; each channel's rows are
/// first summed as vectors along the contiguous x.
inline Halide::Func globalAveragePool(const Halide::ImageParam &input,
                                      int64_t channels, int64_t height,
                                      int64_t width, int lanes) {
  Halide::Var x("x"), c("c"), n("n"), co("co"), ci("ci"), task("task");
  Halide::RDom rows(0, static_cast<int>(height), "rows");
  Halide::RDom columns(0, static_cast<int>(width), "columns");
  Halide::Func columnSums("gap_column_sums"), gap("gap");
  columnSums(x, c, n) = 0.0f;
  columnSums(x, c, n) += input(x, rows, c, n);
  gap(c, n) = Halide::sum(columnSums(columns, c, n)) *
              (1.0f / static_cast<float>(height * width));

  gap.compute_root()
      .split(c, co, ci,
             static_cast<int>(channelsPerTask(channels, height * width)),
             Halide::TailStrategy::ShiftInwards)
      .fuse(co, n, task)
      .parallel(task);
  columnSums.compute_at(gap, ci);
  vectorizePure(columnSums, x, width, lanes);
  // An update cannot recompute elements, so its tail is predicated.
  columnSums.update().reorder(x, rows).vectorize(
      x, std::min<int>(lanes, static_cast<int>(width)),
      Halide::TailStrategy::GuardWithIf);
  return gap;
}

/// gap(c, n) of a channel-blocked input [N, C/b, H, W, b] (Halide dimensions
/// (lane, x, y, block, n)): each block's lanes summed as one vector over the
/// plane, at root, parallel over batch x blocks.
inline Halide::Func blockedGlobalAveragePool(const Halide::ImageParam &input,
                                             int64_t height, int64_t width,
                                             int block) {
  Halide::Var l("l"), cb("cb"), c("c"), n("n"), task("task");
  Halide::RDom plane(0, static_cast<int>(width), 0, static_cast<int>(height),
                     "plane");
  Halide::Func sums("gap_block_sums"), gap("gap");
  sums(l, cb, n) = 0.0f;
  sums(l, cb, n) += input(l, plane.x, plane.y, cb, n);
  gap(c, n) = sums(c % block, c / block, n) *
              (1.0f / static_cast<float>(height * width));
  sums.compute_root().vectorize(l).fuse(cb, n, task).parallel(task);
  sums.update()
      .reorder(l, plane.x, plane.y, cb, n)
      .vectorize(l)
      .fuse(cb, n, task)
      .parallel(task);
  return gap;
}

/// y(o, n) = bias(o) + sum_i x(i, n) * weight(i, o) for a weight [out, in]
/// (Halide dimensions (i, o)) and a bias [out] when given. Computed at root
/// as vectorised dot products: the reduction is split into vector lanes
/// (rfactor), zero-padded to whole vectors, then the lanes are summed.
inline Halide::Func denseLayer(const std::string &name, const Halide::Func &x,
                               const Halide::ImageParam &weight,
                               const std::optional<Halide::ImageParam> &bias,
                               int64_t inFeatures, int lanes) {
  Halide::Var o("o"), n("n"), lane("lane");
  int in = static_cast<int>(inFeatures);
  int padded = (in + lanes - 1) / lanes * lanes;
  Halide::Func paddedX = Halide::BoundaryConditions::constant_exterior(
      x, 0.0f, {{0, in}, {Halide::Expr(), Halide::Expr()}});
  Halide::Func paddedWeight = Halide::BoundaryConditions::constant_exterior(
      weight, 0.0f, {{0, in}, {Halide::Expr(), Halide::Expr()}});
  Halide::RDom r(0, padded, name + "_r");
  Halide::Func y(name);
  y(o, n) = bias ? (*bias)(o) : Halide::Expr(0.0f);
  y(o, n) += paddedX(r, n) * paddedWeight(r, o);

  y.compute_root();
  Halide::RVar outer("outer"), inner("inner");
  Halide::Func lanesSum =
      y.update().split(r.x, outer, inner, lanes).rfactor(inner, lane);
  lanesSum.compute_at(y, o).vectorize(lane);
  lanesSum.update().vectorize(lane);
  return y;
}

/// sigmoid(z)
inline Halide::Expr sigmoid(const Halide::Expr &z) {
  return 1.0f / (1.0f + Halide::exp(-z));
}

} // namespace mlir::dyconv::codegen

#endif // DYCONV_CODEGEN_LIB_HALIDEHELPERS_H
