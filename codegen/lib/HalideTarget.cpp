//===- HalideTarget.cpp - dyconv target names as Halide targets -----------===//

#include "HalideTarget.h"

#include "dyconv/Codegen/Codegen.h"
#include "dyconv/Dialect/TargetDesc.h"

namespace mlir::dyconv::codegen {

std::optional<Halide::Target> getHalideTarget(std::string_view name) {
  std::optional<TargetDesc> target = lookupTarget(name);
  if (!target)
    return std::nullopt;
  return Halide::Target(target->halideTarget);
}

std::optional<std::string> targetString(std::string_view name) {
  std::optional<Halide::Target> target = getHalideTarget(name);
  if (!target)
    return std::nullopt;
  return target->to_string();
}

} // namespace mlir::dyconv::codegen
