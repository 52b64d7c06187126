//===- DenseLayout.h - dense tensors of static shape in Halide --*- C++ -*-===//
//
// Internal to DyConvCodegen: loop nests over tensors of any rank, shared by
// the builders of the dense and elementwise families. A tensor of a
// descriptor shape is a dense float32 Halide buffer whose dimensions are the
// shape reversed (constrainDense, HalideHelpers.h); every extent but the batch
// (kBatch) is baked into the pipeline.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_CODEGEN_LIB_DENSELAYOUT_H
#define DYCONV_CODEGEN_LIB_DENSELAYOUT_H

#include "HalideHelpers.h"

#include <algorithm>
#include <string>
#include <vector>

namespace mlir::dyconv::codegen {

/// The extent of Halide dimension `dim` of a tensor of `shape`.
inline int64_t halideExtent(const Shape &shape, size_t dim) {
  return shape[shape.size() - 1 - dim];
}

/// `2x3x4`, with `N` for the batch.
inline std::string formatShape(const Shape &shape) {
  std::string text;
  for (int64_t extent : shape)
    text += (text.empty() ? "" : "x") +
            (extent == kBatch ? std::string("N") : std::to_string(extent));
  return shape.empty() ? "scalar" : text;
}

/// The extent of Halide dimension `dim` of `param`, a tensor of `shape`.
inline Halide::Expr extentOf(const Halide::ImageParam &param,
                             const Shape &shape, size_t dim) {
  int64_t extent = halideExtent(shape, dim);
  return extent == kBatch ? param.dim(static_cast<int>(dim)).extent()
                          : Halide::Expr(static_cast<int>(extent));
}

/// One Var per Halide dimension of a tensor of `rank`.
inline std::vector<Halide::Var> makeVars(size_t rank) {
  std::vector<Halide::Var> vars;
  for (size_t dim = 0; dim < rank; ++dim)
    vars.emplace_back("d" + std::to_string(dim));
  return vars;
}

/// The innermost Halide dimension of `shape` longer than 1, at or after
/// `from` (shape.size() if none).
inline size_t firstLongDim(const Shape &shape, size_t from = 0) {
  while (from < shape.size() && halideExtent(shape, from) == 1)
    ++from;
  return from;
}

/// Vectorizes `loop`, of static `extent` or kBatch, by the target's vector
/// width, or by the whole extent when that is shorter. Static pure loops of
/// a pure stage shift their tail inwards (recomputing a few points); the
/// others, which must not compute a point twice, guard it.
inline void vectorizeLoop(Halide::Stage stage, const Halide::VarOrRVar &loop,
                          int64_t extent, const Halide::Target &target,
                          bool pureStage = true) {
  int vectorSize = target.natural_vector_size<float>();
  if (extent == 1)
    return;
  if (extent != kBatch && extent < vectorSize) {
    stage.vectorize(loop, static_cast<int>(extent));
    return;
  }
  bool shiftable = pureStage && !loop.is_rvar && extent != kBatch;
  stage.vectorize(loop, vectorSize,
                  shiftable ? Halide::TailStrategy::ShiftInwards
                            : Halide::TailStrategy::GuardWithIf);
}

/// Fuses `loops[first..]` (innermost first, adjacent in the loop nest) into
/// one loop, which it returns.
inline Halide::VarOrRVar fuseLoops(Halide::Stage stage,
                                   const std::vector<Halide::VarOrRVar> &loops,
                                   size_t first) {
  Halide::VarOrRVar fused = loops[first];
  for (size_t dim = first + 1; dim < loops.size(); ++dim) {
    Halide::VarOrRVar next(fused.name() + "_" + loops[dim].name(),
                           fused.is_rvar);
    stage.fuse(fused, loops[dim], next);
    fused = next;
  }
  return fused;
}

/// The NumPy broadcast of two shapes; kBatch broadcasts against 1 and kBatch.
inline Shape broadcastShape(const Shape &lhs, const Shape &rhs) {
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
inline void scheduleLoopNest(Halide::Stage stage,
                             const std::vector<Halide::VarOrRVar> &loops,
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

inline void scheduleLoopNest(Halide::Func &func,
                             const std::vector<Halide::Var> &vars,
                             const Shape &shape, const Halide::Target &target) {
  scheduleLoopNest(func,
                   std::vector<Halide::VarOrRVar>(vars.begin(), vars.end()),
                   shape, target);
}

} // namespace mlir::dyconv::codegen

#endif // DYCONV_CODEGEN_LIB_DENSELAYOUT_H
