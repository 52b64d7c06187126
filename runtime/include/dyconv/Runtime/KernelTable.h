/*===- KernelTable.h - what an artifact's kernel library exports --*- C -*-===*
 *
 * The LIBRARY section of a .dyc artifact is a shared object that exports one
 * symbol the runtime looks up, DYCONV_KERNEL_TABLE_SYMBOL: a table of its
 * kernels (each with the plan's name for it, its Halide argv entry point and
 * Halide's description of its arguments) and of the Halide runtime functions
 * the runtime calls. The runtime resolves a plan's kernels in this table
 * only, never through a global symbol search, checks that every pointer in
 * it lies in the library itself, and checks each kernel's Halide metadata
 * against the signature the plan records for it.
 *
 * dyconv-compile generates the table as C++ source that starts with this
 * header (so it must stay self-contained) and links it into the library.
 *
 *===----------------------------------------------------------------------===*/

#ifndef DYCONV_RUNTIME_KERNELTABLE_H
#define DYCONV_RUNTIME_KERNELTABLE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DYCONV_KERNEL_TABLE_SYMBOL "dyconv_kernel_table"
#define DYCONV_KERNEL_TABLE_VERSION 1

/* Halide's description of a compiled pipeline (HalideRuntime.h). */
struct halide_filter_metadata_t;

/* Halide's error handler type, halide_error_handler_t. */
typedef void (*dyconv_error_handler_t)(void *user_context, const char *message);

typedef struct dyconv_kernel_entry_t {
  /* The kernel's symbol in the plan, e.g. "dyconv_conv2d_0_argv". */
  const char *symbol;
  /* Halide's argv entry point: one halide_buffer_t * per argument. */
  int (*entry)(void **args);
  /* Halide's `<name>_metadata`: the kind, rank and type of every argument. */
  const struct halide_filter_metadata_t *(*metadata)(void);
} dyconv_kernel_entry_t;

typedef struct dyconv_kernel_table_t {
  uint32_t version; /* DYCONV_KERNEL_TABLE_VERSION */
  uint32_t count;
  const dyconv_kernel_entry_t *kernels;
  /* The Halide runtime's halide_set_error_handler and halide_set_num_threads
   * inside the library (NULL where it has none). */
  dyconv_error_handler_t (*set_error_handler)(dyconv_error_handler_t handler);
  int (*set_num_threads)(int count);
} dyconv_kernel_table_t;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* DYCONV_RUNTIME_KERNELTABLE_H */
