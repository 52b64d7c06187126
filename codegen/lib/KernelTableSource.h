//===- KernelTableSource.h - the kernel table of a library ------*- C++ -*-===//
//
// The C++ source of the table a kernel library exports for the runtime
// (runtime/include/dyconv/Runtime/KernelTable.h): one entry per kernel with
// its argv entry point and Halide metadata, and the Halide runtime's
// functions. It is compiled and linked with the kernels.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_CODEGEN_KERNELTABLESOURCE_H
#define DYCONV_CODEGEN_KERNELTABLESOURCE_H

#include "dyconv/Codegen/Codegen.h"

#include <string>
#include <vector>

namespace mlir::dyconv::codegen {

/// The table of \p jobs, whose symbols Halide compiled with their `_argv`
/// and `_metadata` functions.
std::string kernelTableSource(const std::vector<KernelJob> &jobs);

} // namespace mlir::dyconv::codegen

#endif // DYCONV_CODEGEN_KERNELTABLESOURCE_H
