//===- LayoutAccess.cpp - kernel arguments in any layout ------------------===//

#include "LayoutAccess.h"

#include <algorithm>
#include <functional>

namespace mlir::dyconv::codegen {

using Halide::Expr;

LayoutArgument LayoutArgument::input(const std::string &name,
                                     const Shape &logical,
                                     const Layout &layout) {
  return {logical, layout, denseInput(name, layout.physicalShape(logical))};
}

Expr LayoutArgument::at(const std::vector<Expr> &index) const {
  // The physical row-major index: each blocked dimension holds its block,
  // the positions within the blocks follow innermost.
  std::vector<Expr> physical = index;
  for (size_t k = 0; k < layout.dims.size(); ++k) {
    int64_t dim = layout.dims[k], tile = layout.tiles[k];
    physical[dim] = index[dim] / static_cast<int>(tile);
    physical.push_back(index[dim] % static_cast<int>(tile));
  }
  std::reverse(physical.begin(), physical.end());
  return param(physical);
}

Halide::Func
defineOutput(const std::string &name, const Shape &logical,
             const Layout &layout,
             const std::function<Expr(const std::vector<Expr> &)> &value,
             std::vector<Halide::Var> &vars) {
  Shape physical = layout.physicalShape(logical);
  vars.clear();
  for (size_t d = 0; d < physical.size(); ++d)
    vars.emplace_back("p" + std::to_string(d));
  // vars[i] is Halide dimension i, physical row-major dimension rank-1-i.
  size_t rank = physical.size();
  auto physicalVar = [&](size_t rowMajor) { return vars[rank - 1 - rowMajor]; };
  std::vector<Expr> index;
  for (size_t d = 0; d < logical.size(); ++d)
    index.push_back(physicalVar(d));
  Expr inside = Halide::cast<bool>(true);
  for (size_t k = 0; k < layout.dims.size(); ++k) {
    size_t dim = static_cast<size_t>(layout.dims[k]);
    int tile = static_cast<int>(layout.tiles[k]);
    index[dim] = physicalVar(dim) * tile + physicalVar(logical.size() + k);
    if (logical[dim] % tile != 0) {
      // Padding lanes are zero; the value they do not use is read at the
      // last element so that every read stays in bounds.
      int last = static_cast<int>(logical[dim]) - 1;
      inside = inside && index[dim] <= last;
      index[dim] = Halide::min(index[dim], last);
    }
  }
  Halide::Func output(name);
  std::vector<Halide::Var> args(vars.begin(), vars.end());
  Expr result = value(index);
  output(args) = Halide::select(inside, result, 0.0f);
  constrainDense(output.output_buffer(), physical);
  return output;
}

Halide::Func meanOverPlane(const LayoutArgument &input, int lanes) {
  const Shape &shape = input.logical;
  if (shape.size() != 4)
    throw Halide::CompileError("a plane mean needs an [N, C, H, W] input");
  if (input.layout.isPlain())
    return globalAveragePool(input.param, shape[1], shape[2], shape[3], lanes);
  if (input.layout.dims != std::vector<int64_t>{1})
    throw Halide::CompileError("a plane mean reads NCHW or channel-blocked "
                               "inputs only");
  return blockedGlobalAveragePool(input.param, shape[2], shape[3],
                                  static_cast<int>(input.layout.tiles[0]));
}

void requirePlain(const KernelDesc &desc, const std::string &family) {
  requirePlainExcept(desc.layouts, {}, family);
}

void requirePlainExcept(const std::vector<Layout> &layouts,
                        std::initializer_list<size_t> stored,
                        const std::string &family) {
  for (size_t i = 0; i < layouts.size(); ++i)
    if (!layouts[i].isPlain() &&
        std::find(stored.begin(), stored.end(), i) == stored.end())
      throw Halide::CompileError(family + " kernels store argument " +
                                 std::to_string(i) + " plain only");
}

} // namespace mlir::dyconv::codegen
