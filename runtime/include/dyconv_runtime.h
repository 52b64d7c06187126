/*===- dyconv_runtime.h - run compiled dyconv models (C API) ------*- C -*-===*
 *
 * Opens a .dyc artifact written by dyconv-compile and runs it on caller-owned
 * buffers. The runtime depends on libc, libdl and pthreads only: the kernels
 * and the Halide runtime come inside the artifact.
 *
 * Tensors are dense, row-major float32. A model may accept any batch size
 * (dyconv_fixed_batch() == 0) or one only; the batch is read from the
 * inputs' shapes. Every call that can fail returns NULL or a nonzero status
 * and leaves a message for dyconv_last_error() on the calling thread.
 *
 * One opened model may be run by any number of threads at once: the weights
 * and kernels are shared, and each concurrent dyconv_run() takes its own
 * working memory (an arena) from the model's pool, which keeps as many as
 * have run at the same time.
 *
 *===----------------------------------------------------------------------===*/

#ifndef DYCONV_RUNTIME_H
#define DYCONV_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define DYCONV_API __attribute__((visibility("default")))
#else
#define DYCONV_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** An opened artifact. */
typedef struct dyconv_model dyconv_model;

/** Element types. Only float32 is supported. */
enum { DYCONV_FLOAT32 = 1 };

/** Status codes returned by the functions below. */
enum {
  DYCONV_OK = 0,
  DYCONV_ERROR_INVALID_ARGUMENT = 1, /**< bad model, tensor or index */
  DYCONV_ERROR_OUT_OF_MEMORY = 2,
  DYCONV_ERROR_KERNEL = 3, /**< a kernel failed at run time */
};

/** A caller-owned tensor: `rank` extents in `shape`, `data` row-major. */
typedef struct {
  int dtype; /**< DYCONV_FLOAT32 */
  int rank;
  const int64_t *shape;
  void *data;
} dyconv_tensor;

/** Opens the artifact at `path`, or returns NULL (see dyconv_last_error).
 *
 *  An artifact holds native code that runs in the calling process: open
 *  only artifacts from a source you trust, as you would run its programs.
 *  The checks the runtime makes (checksums, plan, kernel table) reject
 *  damaged and inconsistent files, not malicious ones; to know that a file
 *  is the one that source published, compare its SHA-256 (below). */
DYCONV_API dyconv_model *dyconv_open(const char *path);

/** Options of dyconv_open_with_options; zero-initialise, then set `size`. */
typedef struct {
  size_t size; /**< sizeof(dyconv_open_options), for later extensions */
  /** When not NULL: the SHA-256 of the whole file in hex (64 digits, as
   *  `sha256sum` prints it). A file with another digest is not opened, and
   *  nothing of it is loaded. */
  const char *expected_sha256;
} dyconv_open_options;

/** dyconv_open with `options` (NULL: none). */
DYCONV_API dyconv_model *
dyconv_open_with_options(const char *path, const dyconv_open_options *options);

/** Releases `model` and everything it holds. NULL is ignored. */
DYCONV_API void dyconv_close(dyconv_model *model);

DYCONV_API size_t dyconv_num_inputs(const dyconv_model *model);
DYCONV_API size_t dyconv_num_outputs(const dyconv_model *model);

/** The name of input or output `index`, or NULL if out of range. */
DYCONV_API const char *dyconv_input_name(const dyconv_model *model,
                                         size_t index);
DYCONV_API const char *dyconv_output_name(const dyconv_model *model,
                                          size_t index);

/** The rank of input or output `index`, or -1 if out of range. */
DYCONV_API int dyconv_input_rank(const dyconv_model *model, size_t index);
DYCONV_API int dyconv_output_rank(const dyconv_model *model, size_t index);

/** Writes the shape of input or output `index` at batch size `batch` (>= 1)
 *  to `dims` (rank entries). Returns a status. */
DYCONV_API int dyconv_input_shape(const dyconv_model *model, size_t index,
                                  int64_t batch, int64_t *dims);
DYCONV_API int dyconv_output_shape(const dyconv_model *model, size_t index,
                                   int64_t batch, int64_t *dims);

/** The only batch size the model accepts, or 0 if it accepts any. */
DYCONV_API int64_t dyconv_fixed_batch(const dyconv_model *model);

/** Checks `num_inputs` inputs as dyconv_run does and stores their batch size
 *  in `*batch`. Returns a status. */
DYCONV_API int dyconv_infer_batch(const dyconv_model *model,
                                  const dyconv_tensor *inputs,
                                  size_t num_inputs, int64_t *batch);

/** Runs the model: checks every input and output tensor, then writes each
 *  output's data. Returns a status; on failure the outputs' contents are
 *  unspecified. */
DYCONV_API int dyconv_run(dyconv_model *model, const dyconv_tensor *inputs,
                          size_t num_inputs, dyconv_tensor *outputs,
                          size_t num_outputs);

/** Sets the number of threads the model's kernels use; 0 restores the
 *  default (HL_NUM_THREADS, else the number of cores). Returns a status. */
DYCONV_API int dyconv_set_num_threads(dyconv_model *model, int num_threads);

/** The number of threads the model's kernels use. */
DYCONV_API int dyconv_num_threads(const dyconv_model *model);

/**
 * Per-step profiling. While enabled, every run adds the wall time of each
 * plan step (one kernel call) to that step's total; enabling it clears the
 * totals. dyconv_num_steps gives the steps, dyconv_step_kernel the kernel
 * symbol a step calls (valid while the model is open) and
 * dyconv_step_seconds its total, 0 for an index out of range.
 */
DYCONV_API int dyconv_set_profiling(dyconv_model *model, int enabled);
DYCONV_API size_t dyconv_num_steps(const dyconv_model *model);
DYCONV_API const char *dyconv_step_kernel(const dyconv_model *model,
                                          size_t step);
DYCONV_API double dyconv_step_seconds(const dyconv_model *model, size_t step);

/** A static description of status `code`, e.g. "invalid argument". */
DYCONV_API const char *dyconv_error_string(int code);

/** The message of the calling thread's last failure ("" if none). */
DYCONV_API const char *dyconv_last_error(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* DYCONV_RUNTIME_H */
