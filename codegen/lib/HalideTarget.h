//===- HalideTarget.h - dyconv target names as Halide targets ---*- C++ -*-===//
//
// Internal to DyConvCodegen: maps dyconv's target names to Halide targets.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_CODEGEN_LIB_HALIDETARGET_H
#define DYCONV_CODEGEN_LIB_HALIDETARGET_H

#include "Halide.h"

#include <optional>
#include <string>
#include <string_view>

namespace mlir::dyconv::codegen {

/// The Halide target of the dyconv target \p name (the names are listed at
/// targetString in dyconv/Codegen/Codegen.h), or std::nullopt.
std::optional<Halide::Target> getHalideTarget(std::string_view name);

} // namespace mlir::dyconv::codegen

#endif // DYCONV_CODEGEN_LIB_HALIDETARGET_H
