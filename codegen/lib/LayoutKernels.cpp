//===- LayoutKernels.cpp - convert_layout ---------------------------------===//
//
// A copy of a tensor from one layout into another: the output over its
// physical index reads the input at the logical index it holds, the output
// lanes vectorised, the padding written as zeros.
//
//===----------------------------------------------------------------------===//

#include "Builders.h"
#include "DenseLayout.h"
#include "LayoutAccess.h"

#include <sstream>

namespace mlir::dyconv::codegen {

KernelPipeline buildConvertLayout(const ConvertLayoutKernel &desc,
                                  const std::vector<Layout> &layouts,
                                  const Halide::Target &target) {
  if (layouts.size() != 2)
    throw Halide::CompileError("convert_layout needs the layouts of its input "
                               "and output");
  LayoutArgument input = LayoutArgument::input("input", desc.shape, layouts[0]);
  std::vector<Halide::Var> vars;
  Halide::Func output = defineOutput(
      "output", desc.shape, layouts[1],
      [&](const std::vector<Halide::Expr> &index) { return input.at(index); },
      vars);
  Shape physical = layouts[1].physicalShape(desc.shape);
  std::vector<Halide::VarOrRVar> loops(vars.begin(), vars.end());
  size_t inner = firstLongDim(physical);
  if (inner < physical.size()) {
    vectorizeLoop(output, loops[inner], halideExtent(physical, inner), target);
    if (inner + 2 < physical.size())
      output.parallel(fuseLoops(output, loops, inner + 2));
  }
  KernelPipeline kernel;
  kernel.pipeline = Halide::Pipeline(output);
  kernel.inputs = {input.param};
  return kernel;
}

std::string describe(const ConvertLayoutKernel &desc) {
  std::ostringstream os;
  os << "convert_layout " << formatShape(desc.shape);
  return os.str();
}

} // namespace mlir::dyconv::codegen
