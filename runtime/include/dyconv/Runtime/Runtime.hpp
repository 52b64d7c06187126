//===- Runtime.hpp - a C++ wrapper of the dyconv runtime C API --*- C++ -*-===//
//
// RAII ownership of a dyconv_model and std::vector-based calls. Like the C
// API it throws nothing: failures return false or a nonzero status, and
// lastError() gives the message.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_RUNTIME_RUNTIME_HPP
#define DYCONV_RUNTIME_RUNTIME_HPP

#include "dyconv_runtime.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace dyconv {

/// A float32 dyconv_tensor over \p data, which \p shape describes; both must
/// outlive the tensor.
inline dyconv_tensor makeTensor(const std::vector<int64_t> &shape,
                                float *data) {
  return {DYCONV_FLOAT32, static_cast<int>(shape.size()), shape.data(), data};
}

/// An opened .dyc artifact.
class CompiledModel {
public:
  /// Opens \p path, closing any model held before. With \p expectedSha256
  /// (64 hex digits) the file must have that SHA-256. Returns false on
  /// failure.
  bool open(const std::string &path, const std::string &expectedSha256 = "") {
    dyconv_open_options options = {sizeof(options), nullptr};
    if (!expectedSha256.empty())
      options.expected_sha256 = expectedSha256.c_str();
    model.reset(dyconv_open_with_options(path.c_str(), &options));
    return model != nullptr;
  }
  bool isOpen() const { return model != nullptr; }

  size_t numInputs() const { return dyconv_num_inputs(get()); }
  size_t numOutputs() const { return dyconv_num_outputs(get()); }
  std::string inputName(size_t i) const {
    return orEmpty(dyconv_input_name(get(), i));
  }
  std::string outputName(size_t i) const {
    return orEmpty(dyconv_output_name(get(), i));
  }
  int64_t fixedBatch() const { return dyconv_fixed_batch(get()); }

  /// The shape of input \p i at \p batch; empty on failure.
  std::vector<int64_t> inputShape(size_t i, int64_t batch) const {
    std::vector<int64_t> dims(rankOrZero(dyconv_input_rank(get(), i)));
    if (dyconv_input_shape(get(), i, batch, dims.data()) != DYCONV_OK)
      dims.clear();
    return dims;
  }
  /// The shape of output \p i at \p batch; empty on failure.
  std::vector<int64_t> outputShape(size_t i, int64_t batch) const {
    std::vector<int64_t> dims(rankOrZero(dyconv_output_rank(get(), i)));
    if (dyconv_output_shape(get(), i, batch, dims.data()) != DYCONV_OK)
      dims.clear();
    return dims;
  }

  /// The batch size of \p inputs, checked as run() checks them.
  int inferBatch(const std::vector<dyconv_tensor> &inputs,
                 int64_t &batch) const {
    return dyconv_infer_batch(get(), inputs.data(), inputs.size(), &batch);
  }
  /// Runs the model; returns a DYCONV_* status.
  int run(const std::vector<dyconv_tensor> &inputs,
          std::vector<dyconv_tensor> &outputs) {
    return dyconv_run(get(), inputs.data(), inputs.size(), outputs.data(),
                      outputs.size());
  }

  int setNumThreads(int count) { return dyconv_set_num_threads(get(), count); }
  int numThreads() const { return dyconv_num_threads(get()); }

  /// Per-step profiling (see dyconv_set_profiling).
  int setProfiling(bool enabled) {
    return dyconv_set_profiling(get(), enabled ? 1 : 0);
  }
  size_t numSteps() const { return dyconv_num_steps(get()); }
  std::string stepKernel(size_t step) const {
    return orEmpty(dyconv_step_kernel(get(), step));
  }
  double stepSeconds(size_t step) const {
    return dyconv_step_seconds(get(), step);
  }

  dyconv_model *get() const { return model.get(); }

  /// The message of this thread's last failure.
  static std::string lastError() { return dyconv_last_error(); }

private:
  struct Closer {
    void operator()(dyconv_model *model) const { dyconv_close(model); }
  };
  static std::string orEmpty(const char *text) { return text ? text : ""; }
  static size_t rankOrZero(int rank) {
    return rank > 0 ? static_cast<size_t>(rank) : 0;
  }

  std::unique_ptr<dyconv_model, Closer> model;
};

} // namespace dyconv

#endif // DYCONV_RUNTIME_RUNTIME_HPP
