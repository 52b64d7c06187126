//===- LayoutAccess.h - kernel arguments in any layout ----------*- C++ -*-===//
//
// Internal to DyConvCodegen: a kernel argument's Halide buffer holds its
// physical shape (its Layout's, see KernelDesc.h); these helpers read it by
// logical index and define an output over its physical index, so that a
// builder writes its algorithm once, logically, for plain and blocked
// arguments alike. A blocked output's padding lanes are written as zeros.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_CODEGEN_LIB_LAYOUTACCESS_H
#define DYCONV_CODEGEN_LIB_LAYOUTACCESS_H

#include "HalideHelpers.h"

#include <string>
#include <vector>

namespace mlir::dyconv::codegen {

/// A tensor argument of a kernel: its logical shape, its layout and the
/// Halide buffer of its physical shape.
struct LayoutArgument {
  Shape logical;
  Layout layout;
  Halide::ImageParam param;

  /// The dense input buffer of `logical` stored in `layout`.
  static LayoutArgument input(const std::string &name, const Shape &logical,
                              const Layout &layout);

  /// The element at logical row-major `index` (one Expr per dimension).
  Halide::Expr at(const std::vector<Halide::Expr> &index) const;
};

/// An output in `layout`: `output(physical vars)` = `value(logical index)`,
/// the physical Vars returned innermost first (Halide order) in `vars`.
/// Padding lanes of blocked dimensions are zero. Constrains the output
/// buffer to the physical shape.
Halide::Func defineOutput(
    const std::string &name, const Shape &logical, const Layout &layout,
    const std::function<Halide::Expr(const std::vector<Halide::Expr> &)> &value,
    std::vector<Halide::Var> &vars);

/// gap(c, n), the mean over H and W of a [N, C, H, W] argument, plain or
/// channel-blocked.
Halide::Func meanOverPlane(const LayoutArgument &input, int lanes);

/// Rejects a descriptor whose arguments are not all plain: for the families
/// that read and write plain tensors only.
void requirePlain(const KernelDesc &desc, const std::string &family);

/// Rejects `layouts` where an argument other than those of `stored` is not
/// plain (a family that stores only some arguments in other layouts).
void requirePlainExcept(const std::vector<Layout> &layouts,
                        std::initializer_list<size_t> stored,
                        const std::string &family);

} // namespace mlir::dyconv::codegen

#endif // DYCONV_CODEGEN_LIB_LAYOUTACCESS_H
