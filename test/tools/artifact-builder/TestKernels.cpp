//===- TestKernels.cpp - hand-written kernels for runtime tests -----------===//
//
// Stands in for the shared object dyconv-compile links, so that the runtime
// is tested without the compiler: kernels in Halide's argv convention
// (`int name_argv(void **args)`, each argument a halide_buffer_t *), and the
// two Halide runtime entry points the runtime looks up. The kernels read
// their sizes from the buffers, as Halide pipelines do, and report misuse
// through the installed error handler.
//
//===----------------------------------------------------------------------===//

#include "HalideRuntime.h"

#include <algorithm>
#include <cstdint>

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

/// Fills its only argument with the thread count.
int test_threads_argv(void **args) {
  auto *out = static_cast<halide_buffer_t *>(args[0]);
  int64_t count = denseElements(out);
  if (count < 0)
    return fail("test_threads: bad buffer");
  std::fill(data(out), data(out) + count, static_cast<float>(threads));
  return 0;
}

} // extern "C"
