//===- Model.h - an opened artifact and its execution -----------*- C++ -*-===//
//
// What dyconv_model holds: the artifact's bytes (the weights are used in
// place), its plan, the loaded kernel library, and the state of the last
// run (the arena and the Halide buffer descriptors), reused while the batch
// size stays the same.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_RUNTIME_LIB_MODEL_H
#define DYCONV_RUNTIME_LIB_MODEL_H

#include "AlignedBuffer.h"
#include "SharedLibrary.h"

#include "dyconv/Runtime/Artifact.h"
#include "dyconv_runtime.h"

#include "HalideRuntime.h"

#include <mutex>
#include <string>
#include <vector>

namespace dyconv {

/// An outcome of a model operation: a DYCONV_* status and its message.
struct Status {
  int code = DYCONV_OK;
  std::string message;

  static Status ok() { return {}; }
  static Status invalid(std::string message) {
    return {DYCONV_ERROR_INVALID_ARGUMENT, std::move(message)};
  }
  bool failed() const { return code != DYCONV_OK; }
};

class Model {
public:
  Model() = default;
  Model(const Model &) = delete;
  Model &operator=(const Model &) = delete;

  /// Reads, validates and loads the artifact at \p path.
  Status open(const std::string &path);

  const Plan &plan() const { return artifact.plan; }
  /// The plan shape of input (\p output false) or output \p index.
  const std::vector<int64_t> &shape(bool output, size_t index) const;

  /// Checks \p count inputs against the plan and finds their batch size.
  Status inferBatch(const dyconv_tensor *inputs, size_t count,
                    int64_t &batch) const;

  /// Checks every tensor, then runs the steps and copies the outputs.
  Status run(const dyconv_tensor *inputs, size_t numInputs,
             dyconv_tensor *outputs, size_t numOutputs);

  Status setNumThreads(int count);
  int numThreads() const { return threads; }

  /// Starts (clearing the totals) or stops timing every step of every run.
  void setProfiling(bool enabled);
  /// The wall seconds step \p step took over the profiled runs.
  double stepSeconds(size_t step) const;

private:
  using KernelFunction = int (*)(void **);
  using SetErrorHandler = halide_error_handler_t (*)(halide_error_handler_t);
  using SetNumThreads = int (*)(int);

  Status readFile(const std::string &path);
  Status loadKernels();
  Status checkOutputs(const dyconv_tensor *outputs, size_t count,
                      int64_t batch) const;
  /// Sizes the arena and the buffer descriptors for \p batch.
  Status prepare(int64_t batch);
  /// Points the buffers of the Input tensors at the caller's data.
  void bindInputs(const dyconv_tensor *inputs);
  Status runSteps();

  AlignedBuffer file;
  ArtifactView artifact;
  SharedLibrary library;
  std::vector<KernelFunction> kernels;
  SetNumThreads setThreads = nullptr;
  int threads = 1;

  /// Serialises runs, which share the arena and the descriptors.
  std::mutex runMutex;
  AlignedBuffer arena;
  /// The batch that `buffers` and `dimensions` describe, 0 for none yet.
  int64_t preparedBatch = 0;
  /// One descriptor per plan tensor, its dimensions in `dimensions`.
  std::vector<halide_buffer_t> buffers;
  std::vector<halide_dimension_t> dimensions;
  /// Every step's arguments, step after step: pointers into `buffers`.
  std::vector<void *> arguments;
  /// Per-step wall seconds while profiling; empty otherwise.
  std::vector<double> stepTimes;
};

} // namespace dyconv

#endif // DYCONV_RUNTIME_LIB_MODEL_H
