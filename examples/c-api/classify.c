/* classify.c - run a compiled dyconv model from C.
 *
 *   classify MODEL.dyc INPUT.f32
 *
 * INPUT.f32 holds float32 samples, row-major, as numpy's tofile() writes
 * them; the batch is the file's size over one sample's. Prints, for every
 * sample, the index of the largest value of the model's first output.
 *
 * Build against an installed dyconv:
 *   cc classify.c $(pkg-config --cflags --libs dyconv) -o classify
 */
#include "dyconv_runtime.h"

#include <stdio.h>
#include <stdlib.h>

/* Reads the whole file at `path`; its size in bytes goes to `*size`. */
static float *read_file(const char *path, long *size) {
  FILE *file = fopen(path, "rb");
  if (!file)
    return NULL;
  float *data = NULL;
  if (fseek(file, 0, SEEK_END) == 0 && (*size = ftell(file)) > 0 &&
      fseek(file, 0, SEEK_SET) == 0 && (data = malloc((size_t)*size)) &&
      fread(data, 1, (size_t)*size, file) != (size_t)*size) {
    free(data);
    data = NULL;
  }
  fclose(file);
  return data;
}

static size_t element_count(const int64_t *shape, int rank) {
  size_t count = 1;
  for (int i = 0; i < rank; ++i)
    count *= (size_t)shape[i];
  return count;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: classify MODEL.dyc INPUT.f32\n");
    return 2;
  }
  dyconv_model *model = dyconv_open(argv[1]);
  if (!model) {
    fprintf(stderr, "classify: %s\n", dyconv_last_error());
    return 1;
  }
  if (dyconv_num_inputs(model) != 1) {
    fprintf(stderr, "classify: the model takes %zu inputs, expected 1\n",
            dyconv_num_inputs(model));
    dyconv_close(model);
    return 1;
  }

  /* The batch: the file's size over the size of one sample. */
  int64_t in_shape[8], out_shape[8];
  int in_rank = dyconv_input_rank(model, 0),
      out_rank = dyconv_output_rank(model, 0);
  for (size_t i = 0; i < dyconv_num_outputs(model); ++i)
    if (dyconv_output_rank(model, i) > 8 || in_rank > 8) {
      fprintf(stderr,
              "classify: tensors of rank above 8 are not supported here\n");
      dyconv_close(model);
      return 1;
    }
  dyconv_input_shape(model, 0, 1, in_shape);
  long bytes = 0;
  float *x = read_file(argv[2], &bytes);
  size_t sample_bytes = element_count(in_shape, in_rank) * sizeof(float);
  if (!x || bytes % (long)sample_bytes != 0) {
    fprintf(stderr,
            "classify: %s: cannot read, or not whole samples of %zu bytes\n",
            argv[2], sample_bytes);
    free(x);
    dyconv_close(model);
    return 1;
  }
  int64_t batch = bytes / (long)sample_bytes;
  dyconv_input_shape(model, 0, batch, in_shape);
  dyconv_output_shape(model, 0, batch, out_shape);

  /* Every output must be passed; only the first is printed. */
  size_t num_outputs = dyconv_num_outputs(model);
  dyconv_tensor input = {DYCONV_FLOAT32, in_rank, in_shape, x};
  dyconv_tensor *outputs = calloc(num_outputs, sizeof(dyconv_tensor));
  int64_t (*shapes)[8] = calloc(num_outputs, sizeof *shapes);
  for (size_t i = 0; i < num_outputs; ++i) {
    int rank = dyconv_output_rank(model, i);
    dyconv_output_shape(model, i, batch, shapes[i]);
    outputs[i] =
        (dyconv_tensor){DYCONV_FLOAT32, rank, shapes[i],
                        malloc(element_count(shapes[i], rank) * sizeof(float))};
  }
  int status = dyconv_run(model, &input, 1, outputs, num_outputs);
  if (status != DYCONV_OK) {
    fprintf(stderr, "classify: %s: %s\n", dyconv_error_string(status),
            dyconv_last_error());
  } else {
    const float *y = outputs[0].data;
    size_t classes = element_count(out_shape, out_rank) / (size_t)batch;
    for (int64_t n = 0; n < batch; ++n) {
      size_t best = 0;
      for (size_t c = 1; c < classes; ++c)
        if (y[n * classes + c] > y[n * classes + best])
          best = c;
      printf("sample %lld: class %zu\n", (long long)n, best);
    }
  }
  for (size_t i = 0; i < num_outputs; ++i)
    free(outputs[i].data);
  free(outputs);
  free(shapes);
  free(x);
  dyconv_close(model);
  return status != DYCONV_OK;
}
