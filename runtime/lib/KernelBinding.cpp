//===- KernelBinding.cpp - a plan's kernels in the library's table --------===//
//
// Everything read from the table is checked to lie in the library before it
// is read: the table, the entries, the symbol strings, the metadata and its
// argument array. Function pointers must point into executable segments.
//
//===----------------------------------------------------------------------===//

#include "KernelBinding.h"

#include "HalideRuntime.h"

#include <cstring>
#include <map>

namespace dyconv {
namespace {

/// Far more kernels than any model has; bounds the table walk.
constexpr uint32_t kMaxTableEntries = 1 << 20;
/// The longest symbol read from the table (the plan allows 256).
constexpr size_t kMaxSymbolLength = 256;

std::string describeAccess(const KernelArgument &argument) {
  return std::string(argument.access == Access::Write ? "an output"
                                                      : "an input") +
         " buffer of rank " + std::to_string(argument.rank);
}

bool isFloat32(const halide_type_t &type) {
  return type.code == halide_type_float && type.bits == 32 && type.lanes == 1;
}

std::string describeHalide(const halide_filter_argument_t &argument) {
  if (argument.kind == halide_argument_kind_input_scalar)
    return "a scalar";
  if (!isFloat32(argument.type))
    return "a buffer of another type than float32";
  std::string kind = argument.kind == halide_argument_kind_output_buffer
                         ? "an output"
                         : "an input";
  return kind + " buffer of rank " + std::to_string(argument.dimensions);
}

bool matches(const halide_filter_argument_t &argument,
             const KernelArgument &expected) {
  int32_t kind = expected.access == Access::Write
                     ? halide_argument_kind_output_buffer
                     : halide_argument_kind_input_buffer;
  return argument.kind == kind &&
         argument.dimensions == static_cast<int32_t>(expected.rank) &&
         isFloat32(argument.type);
}

class Binder {
public:
  Binder(const SharedLibrary &library, const Plan &plan, KernelBinding &binding)
      : library(library), plan(plan), binding(binding) {}

  std::string bind() {
    const dyconv_kernel_table_t *table = library.kernelTable();
    if (!table)
      return "the kernel library exports no " DYCONV_KERNEL_TABLE_SYMBOL;
    if (table->version != DYCONV_KERNEL_TABLE_VERSION)
      return "the kernel library's table has version " +
             std::to_string(table->version) + ", this runtime reads " +
             std::to_string(DYCONV_KERNEL_TABLE_VERSION);
    if (table->count > kMaxTableEntries ||
        (table->count &&
         !library.contains(table->kernels,
                           table->count * sizeof(dyconv_kernel_entry_t))))
      return "the kernel library's table lies outside the library";
    if (!optionalCode(
            reinterpret_cast<const void *>(table->set_error_handler)) ||
        !optionalCode(reinterpret_cast<const void *>(table->set_num_threads)))
      return "the kernel library's table points outside the library";
    std::string error = indexTable(*table);
    for (size_t i = 0; error.empty() && i < plan.kernels.size(); ++i)
      error = bindKernel(plan.kernels[i]);
    binding.setErrorHandler = table->set_error_handler;
    binding.setNumThreads = table->set_num_threads;
    return error;
  }

private:
  bool optionalCode(const void *function) const {
    return !function || library.contains(function, 1, /*executable=*/true);
  }

  std::string indexTable(const dyconv_kernel_table_t &table) {
    for (uint32_t i = 0; i < table.count; ++i) {
      const dyconv_kernel_entry_t &entry = table.kernels[i];
      if (!library.containsString(entry.symbol, kMaxSymbolLength) ||
          !library.contains(reinterpret_cast<const void *>(entry.entry), 1,
                            /*executable=*/true) ||
          !library.contains(reinterpret_cast<const void *>(entry.metadata), 1,
                            /*executable=*/true))
        return "entry " + std::to_string(i) +
               " of the kernel library's table points outside the library";
      entries.emplace(entry.symbol, &entry);
    }
    return "";
  }

  std::string bindKernel(const PlanKernel &kernel) {
    auto found = entries.find(kernel.symbol);
    if (found == entries.end())
      return "the kernel library has no kernel '" + kernel.symbol + "'";
    const dyconv_kernel_entry_t &entry = *found->second;
    std::string error = checkMetadata(kernel, entry.metadata());
    if (!error.empty())
      return "kernel '" + kernel.symbol + "': " + error;
    binding.kernels.push_back(entry.entry);
    return "";
  }

  std::string checkMetadata(const PlanKernel &kernel,
                            const halide_filter_metadata_t *metadata) const {
    if (!library.contains(metadata, sizeof(*metadata)) ||
        metadata->version != halide_filter_metadata_t::VERSION ||
        metadata->num_arguments < 0 ||
        (metadata->num_arguments &&
         !library.contains(metadata->arguments,
                           metadata->num_arguments *
                               sizeof(halide_filter_argument_t))))
      return "its metadata is not Halide's";
    size_t count = static_cast<size_t>(metadata->num_arguments);
    if (count != kernel.arguments.size())
      return "the library's kernel takes " + std::to_string(count) +
             " arguments, the plan passes " +
             std::to_string(kernel.arguments.size());
    for (size_t a = 0; a < count; ++a)
      if (!matches(metadata->arguments[a], kernel.arguments[a]))
        return "argument " + std::to_string(a) + " is " +
               describeHalide(metadata->arguments[a]) +
               " in the library, the plan expects " +
               describeAccess(kernel.arguments[a]);
    return "";
  }

  const SharedLibrary &library;
  const Plan &plan;
  KernelBinding &binding;
  std::map<std::string, const dyconv_kernel_entry_t *> entries;
};

} // namespace

std::string bindKernels(const SharedLibrary &library, const Plan &plan,
                        KernelBinding &binding) {
  return Binder(library, plan, binding).bind();
}

} // namespace dyconv
