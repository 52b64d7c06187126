//===- ForeignKernels.cpp - a kernel table that points into libc ----------===//
//
// What a crafted kernel library could export so that a plan calls a libc
// function as a kernel: a table entry whose entry point is exit(). The
// runtime must refuse every entry that is not code of the library itself.
//
//===----------------------------------------------------------------------===//

#include "dyconv/Runtime/KernelTable.h"

#include "HalideRuntime.h"

#include <cstdlib>

namespace {

halide_filter_argument_t output() {
  halide_filter_argument_t argument = {};
  argument.name = "out";
  argument.kind = halide_argument_kind_output_buffer;
  argument.dimensions = 2;
  argument.type = halide_type_t(halide_type_float, 32);
  return argument;
}

const halide_filter_argument_t arguments[] = {output()};
const halide_filter_metadata_t metadata = {halide_filter_metadata_t::VERSION, 1,
                                           arguments, "test", "test_foreign"};

const halide_filter_metadata_t *foreignMetadata() { return &metadata; }

const dyconv_kernel_entry_t kernels[] = {
    // Through void (*)(), the generic function pointer type, to say that
    // the mismatch is meant.
    {"test_foreign_argv",
     reinterpret_cast<int (*)(void **)>(
         reinterpret_cast<void (*)()>(&std::exit)),
     foreignMetadata},
};

} // namespace

extern "C" const dyconv_kernel_table_t dyconv_kernel_table = {
    DYCONV_KERNEL_TABLE_VERSION, 1, kernels, nullptr, nullptr};
