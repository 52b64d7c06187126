//===- FuzzRun.cpp - libFuzzer target: dyconv_run with fuzzed shapes ------===//
//
// Opens one valid artifact (DYCONV_FUZZ_ARTIFACT) and calls dyconv_run with
// input and output tensors whose count, ranks and extents come from the
// bytes: every tensor the runtime accepts must be one it can run, and every
// other one a status, never an access out of bounds. Extents stay small
// (0..15, or the model's own shape at a small batch) so that accepted runs
// are quick.
//
//===----------------------------------------------------------------------===//

#include "dyconv_runtime.h"

#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

dyconv_model *model = nullptr;

/// Reads the fuzz input byte by byte, zeros once it runs out.
class Bytes {
public:
  Bytes(const uint8_t *data, size_t size) : data(data), size(size) {}
  uint8_t next() { return at < size ? data[at++] : 0; }

private:
  const uint8_t *data;
  size_t size, at = 0;
};

/// One tensor the run gets: the model's shape at \p batch, or (one time in
/// four) a shape made of the next bytes.
struct Tensor {
  std::vector<int64_t> shape;
  std::vector<float> data;

  void fill(Bytes &bytes, int modelRank, bool output, size_t index,
            int64_t batch) {
    uint8_t choice = bytes.next();
    if (choice % 4 == 0 || modelRank < 0) {
      shape.resize(bytes.next() % 6);
      for (int64_t &dim : shape)
        dim = bytes.next() % 16;
    } else {
      shape.resize(static_cast<size_t>(modelRank));
      if (output)
        dyconv_output_shape(model, index, batch, shape.data());
      else
        dyconv_input_shape(model, index, batch, shape.data());
    }
    size_t elements = 1;
    for (int64_t dim : shape)
      elements *= static_cast<size_t>(dim);
    data.assign(elements, 0.5f);
  }

  dyconv_tensor view() {
    return {DYCONV_FLOAT32, static_cast<int>(shape.size()), shape.data(),
            data.data()};
  }
};

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  const char *path = std::getenv("DYCONV_FUZZ_ARTIFACT");
  model = path ? dyconv_open(path) : nullptr;
  if (!model) {
    std::fprintf(stderr,
                 "fuzz-run: set DYCONV_FUZZ_ARTIFACT to a valid "
                 "artifact (%s)\n",
                 path ? dyconv_last_error() : "unset");
    std::exit(1);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Bytes bytes(data, size);
  int64_t batch = 1 + bytes.next() % 4;
  size_t inputs = dyconv_num_inputs(model), outputs = dyconv_num_outputs(model);
  // One time in eight, a wrong number of tensors.
  if (bytes.next() % 8 == 0) {
    inputs = bytes.next() % (inputs + 2);
    outputs = bytes.next() % (outputs + 2);
  }
  std::vector<Tensor> tensors(inputs + outputs);
  std::vector<dyconv_tensor> views;
  for (size_t i = 0; i < tensors.size(); ++i) {
    bool output = i >= inputs;
    size_t index = output ? i - inputs : i;
    int rank = output ? dyconv_output_rank(model, index)
                      : dyconv_input_rank(model, index);
    tensors[i].fill(bytes, rank, output, index, batch);
    views.push_back(tensors[i].view());
  }
  dyconv_run(model, views.data(), inputs, views.data() + inputs, outputs);
  return 0;
}
