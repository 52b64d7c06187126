//===- Model.h - an opened artifact and its execution -----------*- C++ -*-===//
//
// What dyconv_model holds: the artifact's bytes (the weights are used in
// place), its plan, the loaded kernel library, and a pool of execution
// contexts. Concurrent runs share the weights and the kernels; each takes
// its own context (arena and Halide buffer descriptors) from the pool, so
// N threads running at once hold N arenas and one copy of the weights.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_RUNTIME_LIB_MODEL_H
#define DYCONV_RUNTIME_LIB_MODEL_H

#include "AlignedBuffer.h"
#include "KernelBinding.h"
#include "ReadOnlyBuffer.h"
#include "SharedLibrary.h"

#include "dyconv/Runtime/Artifact.h"
#include "dyconv_runtime.h"

#include "HalideRuntime.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace dyconv {

/// The working state of one run: the arena and the Halide buffer
/// descriptors, kept between runs and rebuilt only when the batch changes.
struct ExecutionContext {
  AlignedBuffer arena;
  /// The batch that `buffers` and `dimensions` describe, 0 for none yet.
  int64_t preparedBatch = 0;
  /// One descriptor per plan tensor, its dimensions in `dimensions`.
  std::vector<halide_buffer_t> buffers;
  std::vector<halide_dimension_t> dimensions;
  /// Every step's arguments, step after step: pointers into `buffers`.
  std::vector<void *> arguments;
  /// This run's wall seconds per step while profiling.
  std::vector<double> stepTimes;
};

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

  /// Reads, validates and loads the artifact at \p path. With
  /// \p expectedSha256 (64 hex digits), the file's SHA-256 must equal it.
  Status open(const std::string &path, const std::string &expectedSha256 = "");

  const Plan &plan() const { return artifact.plan; }
  /// The plan shape of input (\p output false) or output \p index.
  const std::vector<int64_t> &shape(bool output, size_t index) const;

  /// Checks \p count inputs against the plan and finds their batch size.
  Status inferBatch(const dyconv_tensor *inputs, size_t count,
                    int64_t &batch) const;

  /// Checks every tensor, then runs the steps and copies the outputs. Any
  /// number of threads may run at once, each with its own context.
  Status run(const dyconv_tensor *inputs, size_t numInputs,
             dyconv_tensor *outputs, size_t numOutputs);

  Status setNumThreads(int count);
  int numThreads() const { return threads; }

  /// Starts (clearing the totals) or stops timing every step of every run.
  void setProfiling(bool enabled);
  /// The wall seconds step \p step took over the profiled runs.
  double stepSeconds(size_t step) const;

private:
  Status readFile(const std::string &path);
  Status checkDigest(const std::string &expected) const;
  Status loadKernels();
  Status checkOutputs(const dyconv_tensor *outputs, size_t count,
                      int64_t batch) const;
  /// An idle context from the pool, or a new one when all are running.
  std::unique_ptr<ExecutionContext> acquireContext();
  void releaseContext(std::unique_ptr<ExecutionContext> context);
  /// Sizes the context's arena and buffer descriptors for \p batch.
  Status prepare(ExecutionContext &context, int64_t batch) const;
  /// Points the buffers of the Input tensors at the caller's data.
  void bindInputs(ExecutionContext &context, const dyconv_tensor *inputs) const;
  Status runSteps(ExecutionContext &context) const;
  /// Adds a profiled run's step times to the totals.
  void addStepTimes(const std::vector<double> &times);

  ReadOnlyBuffer file;
  ArtifactView artifact;
  SharedLibrary library;
  KernelBinding binding;
  int threads = 1;

  /// Guards `idleContexts`.
  std::mutex poolMutex;
  /// The contexts of finished runs: as many as ran at once at most.
  std::vector<std::unique_ptr<ExecutionContext>> idleContexts;

  /// Guards `stepTimes`.
  mutable std::mutex profileMutex;
  std::atomic<bool> profiling{false};
  /// Per-step wall seconds summed over the profiled runs.
  std::vector<double> stepTimes;
};

} // namespace dyconv

#endif // DYCONV_RUNTIME_LIB_MODEL_H
