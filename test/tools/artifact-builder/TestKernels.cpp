//===- TestKernels.cpp - hand-written kernels for runtime tests -----------===//
//
// Stands in for the shared object dyconv-compile links, so that the runtime
// is tested without the compiler: kernels in Halide's argv convention
// (`int name_argv(void **args)`, each argument a halide_buffer_t *) with
// Halide-style metadata, the two Halide runtime entry points the runtime
// calls, and the kernel table that exports them all (KernelTable.h). The
// kernels read their sizes from the buffers, as Halide pipelines do, and
// report misuse through the installed error handler.
//
// Halide metadata fixes each argument's rank, so a kernel body used at two
// ranks has one table entry per signature.
//
//===----------------------------------------------------------------------===//

#include "dyconv/Runtime/KernelTable.h"

#include "HalideRuntime.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>

namespace {

/// What halide_set_num_threads(0) selects here.
constexpr int kDefaultThreads = 2;

void printError(void *, const char *) {}

halide_error_handler_t errorHandler = printError;
int threads = kDefaultThreads;

int fail(const char *message) {
  errorHandler(nullptr, message);
  return -1;
}

/// The element count of a dense float32 buffer, or -1 if it is not one.
int64_t denseElements(const halide_buffer_t *buffer) {
  if (buffer->type.code != halide_type_float || buffer->type.bits != 32 ||
      !buffer->host)
    return -1;
  int64_t count = 1;
  for (int d = 0; d < buffer->dimensions; ++d) {
    if (buffer->dim[d].stride != count)
      return -1;
    count *= buffer->dim[d].extent;
  }
  return count;
}

bool sameShape(const halide_buffer_t *a, const halide_buffer_t *b) {
  if (a->dimensions != b->dimensions)
    return false;
  for (int d = 0; d < a->dimensions; ++d)
    if (a->dim[d].extent != b->dim[d].extent)
      return false;
  return true;
}

float *data(const halide_buffer_t *buffer) {
  return reinterpret_cast<float *>(buffer->host);
}

halide_filter_argument_t buffer(const char *name, halide_argument_kind_t kind,
                                int32_t dimensions) {
  halide_filter_argument_t argument = {};
  argument.name = name;
  argument.kind = kind;
  argument.dimensions = dimensions;
  argument.type = halide_type_t(halide_type_float, 32);
  return argument;
}

/// Metadata of a kernel reading buffers of ranks \p inputs and writing one
/// of rank \p output. Held in the library's own memory, as Halide's is:
/// the runtime reads no metadata from elsewhere.
struct TestMetadata {
  TestMetadata(const char *name, std::initializer_list<int32_t> inputs,
               int32_t output) {
    int32_t count = 0;
    for (int32_t rank : inputs)
      arguments[count++] =
          buffer("in", halide_argument_kind_input_buffer, rank);
    arguments[count++] =
        buffer("out", halide_argument_kind_output_buffer, output);
    metadata = {halide_filter_metadata_t::VERSION, count, arguments.data(),
                "test", name};
  }
  std::array<halide_filter_argument_t, 3> arguments;
  halide_filter_metadata_t metadata;
};

const TestMetadata addBias("test_add_bias", {3, 2}, 3);
const TestMetadata add("test_add", {2, 2}, 2);
const TestMetadata relu3("test_relu3", {3}, 3);
const TestMetadata relu("test_relu", {2}, 2);
const TestMetadata failing("test_fail", {2}, 2);
const TestMetadata scribble("test_scribble", {2}, 2);
const TestMetadata threadCount("test_threads", {}, 2);

} // namespace

extern "C" {

halide_error_handler_t
halide_set_error_handler(halide_error_handler_t handler) {
  halide_error_handler_t previous = errorHandler;
  errorHandler = handler;
  return previous;
}

int halide_set_num_threads(int count) {
  int previous = threads;
  threads = count > 0 ? std::min(count, 256) : kDefaultThreads;
  return previous;
}

/// out = relu(in).
int test_relu_argv(void **args) {
  auto *in = static_cast<halide_buffer_t *>(args[0]);
  auto *out = static_cast<halide_buffer_t *>(args[1]);
  int64_t count = denseElements(in);
  if (count < 0 || denseElements(out) != count || !sameShape(in, out))
    return fail("test_relu: buffers do not match");
  for (int64_t i = 0; i < count; ++i)
    data(out)[i] = std::max(data(in)[i], 0.0f);
  return 0;
}

/// out = a + b, b broadcast along a's outer dimensions (b's Halide
/// dimensions are a's innermost ones).
int test_add_argv(void **args) {
  auto *a = static_cast<halide_buffer_t *>(args[0]);
  auto *b = static_cast<halide_buffer_t *>(args[1]);
  auto *out = static_cast<halide_buffer_t *>(args[2]);
  int64_t count = denseElements(a), bCount = denseElements(b);
  if (count < 0 || bCount <= 0 || denseElements(out) != count ||
      !sameShape(a, out) || b->dimensions > a->dimensions)
    return fail("test_add: buffers do not match");
  for (int d = 0; d < b->dimensions; ++d)
    if (b->dim[d].extent != a->dim[d].extent)
      return fail("test_add: the operands do not broadcast");
  for (int64_t i = 0; i < count; ++i)
    data(out)[i] = data(a)[i] + data(b)[i % bCount];
  return 0;
}

/// Always fails, as a kernel whose bounds check fires.
int test_fail_argv(void **) { return fail("test_fail: deliberate failure\n"); }

/// Misbehaves: writes into the buffer it is given to read, as a kernel
/// writing a weight would.
int test_scribble_argv(void **args) {
  auto *in = static_cast<halide_buffer_t *>(args[0]);
  if (denseElements(in) > 0)
    data(in)[0] = 1.0f;
  return 0;
}

/// Fills its only argument with the thread count.
int test_threads_argv(void **args) {
  auto *out = static_cast<halide_buffer_t *>(args[0]);
  int64_t count = denseElements(out);
  if (count < 0)
    return fail("test_threads: bad buffer");
  std::fill(data(out), data(out) + count, static_cast<float>(threads));
  return 0;
}

const halide_filter_metadata_t *test_add_bias_metadata() {
  return &addBias.metadata;
}
const halide_filter_metadata_t *test_add_metadata() { return &add.metadata; }
const halide_filter_metadata_t *test_relu3_metadata() {
  return &relu3.metadata;
}
const halide_filter_metadata_t *test_relu_metadata() { return &relu.metadata; }
const halide_filter_metadata_t *test_fail_metadata() {
  return &failing.metadata;
}
const halide_filter_metadata_t *test_scribble_metadata() {
  return &scribble.metadata;
}
const halide_filter_metadata_t *test_threads_metadata() {
  return &threadCount.metadata;
}

} // extern "C"

namespace {

const dyconv_kernel_entry_t kernels[] = {
    {"test_add_bias_argv", test_add_argv, test_add_bias_metadata},
    {"test_add_argv", test_add_argv, test_add_metadata},
    {"test_relu3_argv", test_relu_argv, test_relu3_metadata},
    {"test_relu_argv", test_relu_argv, test_relu_metadata},
    {"test_fail_argv", test_fail_argv, test_fail_metadata},
    {"test_scribble_argv", test_scribble_argv, test_scribble_metadata},
    {"test_threads_argv", test_threads_argv, test_threads_metadata},
};

} // namespace

extern "C" const dyconv_kernel_table_t dyconv_kernel_table = {
    DYCONV_KERNEL_TABLE_VERSION,
    sizeof(kernels) / sizeof(kernels[0]),
    kernels,
    halide_set_error_handler,
    halide_set_num_threads,
};
