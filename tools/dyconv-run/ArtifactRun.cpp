//===- ArtifactRun.cpp - dyconv-run on a compiled artifact ----------------===//
//
// The thin path: the runtime C API and .npy files, no MLIR, as an application
// embedding a compiled model would run it.
//
//===----------------------------------------------------------------------===//

#include "ArtifactRun.h"

#include "dyconv/Runtime/Npy.h"
#include "dyconv/Runtime/Runtime.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace dyconv::run {
namespace {

bool endsWith(const std::string &text, const std::string &suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Prints name, shape and value range of output \p index.
void printSummary(size_t index, const std::string &name,
                  const NpyArray &output) {
  const std::vector<float> &values = output.data;
  double sum = 0;
  for (float value : values)
    sum += value;
  auto [min, max] = std::minmax_element(values.begin(), values.end());
  std::printf("output %zu '%s': [%s]", index, name.c_str(),
              joinShape(output.shape).c_str());
  if (!values.empty())
    std::printf(" min %.6g max %.6g mean %.6g", *min, *max,
                sum / double(values.size()));
  std::printf("\n");
}

/// Runs \p runs times after a warm-up run; returns the bench line, or ""
/// if a run fails.
std::string bench(CompiledModel &model,
                  const std::vector<dyconv_tensor> &inputs,
                  std::vector<dyconv_tensor> &outputs, unsigned runs,
                  int64_t batch) {
  std::vector<double> milliseconds;
  for (unsigned i = 0; i <= runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    if (model.run(inputs, outputs) != DYCONV_OK)
      return "";
    std::chrono::duration<double, std::milli> elapsed =
        std::chrono::steady_clock::now() - start;
    if (i > 0) // The first run is the warm-up.
      milliseconds.push_back(elapsed.count());
  }
  std::sort(milliseconds.begin(), milliseconds.end());
  size_t middle = milliseconds.size() / 2;
  double median = milliseconds.size() % 2
                      ? milliseconds[middle]
                      : (milliseconds[middle - 1] + milliseconds[middle]) / 2;
  // The nearest-rank 90th percentile.
  size_t rank = (milliseconds.size() * 9 + 9) / 10;
  double p90 = milliseconds[rank - 1];
  char line[160];
  std::snprintf(line, sizeof(line),
                "bench: batch %lld, threads %d, %u runs: median %.3f ms, p90 "
                "%.3f ms, %.1f images/s",
                (long long)batch, model.numThreads(), runs, median, p90,
                double(batch) * 1000.0 / median);
  return line;
}

/// Runs \p runs times with step profiling and prints the time of every
/// kernel per run, most expensive first. Returns false if a run fails.
bool profile(CompiledModel &model, const std::vector<dyconv_tensor> &inputs,
             std::vector<dyconv_tensor> &outputs, unsigned runs) {
  if (model.run(inputs, outputs) != DYCONV_OK || // warm-up
      model.setProfiling(true) != DYCONV_OK)
    return false;
  for (unsigned i = 0; i < runs; ++i)
    if (model.run(inputs, outputs) != DYCONV_OK)
      return false;
  struct KernelTime {
    std::string kernel;
    unsigned calls = 0;
    double seconds = 0;
  };
  std::vector<KernelTime> kernels;
  double total = 0;
  for (size_t step = 0; step < model.numSteps(); ++step) {
    std::string kernel = model.stepKernel(step);
    auto it =
        std::find_if(kernels.begin(), kernels.end(),
                     [&](const KernelTime &k) { return k.kernel == kernel; });
    if (it == kernels.end())
      it = kernels.insert(kernels.end(), {kernel, 0, 0.0});
    it->calls += 1;
    it->seconds += model.stepSeconds(step);
    total += model.stepSeconds(step);
  }
  std::sort(kernels.begin(), kernels.end(),
            [](const KernelTime &a, const KernelTime &b) {
              return a.seconds > b.seconds;
            });
  std::printf("profile: %u runs, %.3f ms per run in %zu steps\n", runs,
              total * 1e3 / runs, model.numSteps());
  std::printf("%9s %6s %6s  %s\n", "ms/run", "%", "calls", "kernel");
  for (const KernelTime &k : kernels)
    std::printf("%9.3f %6.1f %6u  %s\n", k.seconds * 1e3 / runs,
                total > 0 ? 100.0 * k.seconds / total : 0.0, k.calls,
                k.kernel.c_str());
  return model.setProfiling(false) == DYCONV_OK;
}

} // namespace

bool openArtifact(const std::string &path, CompiledModel &model) {
  if (endsWith(path, ".json") || endsWith(path, ".onnx") ||
      endsWith(path, ".mlir")) {
    fail(path + " is a graph model: run it with --reference, or compile it "
                "with dyconv-compile");
    return false;
  }
  if (model.open(path))
    return true;
  std::string error = CompiledModel::lastError();
  if (error.find("(bad magic)") != std::string::npos)
    error += ": compile the model with dyconv-compile first, or run a "
             ".json, .onnx or .mlir graph with --reference";
  fail(error);
  return false;
}

int runArtifact(const RunOptions &options) {
  if (options.raise)
    return fail("--raise goes with --reference");
  CompiledModel model;
  if (!openArtifact(options.modelPath, model))
    return 1;
  if (options.threads &&
      model.setNumThreads(static_cast<int>(options.threads)) != DYCONV_OK)
    return fail(CompiledModel::lastError());

  if (options.inputPaths.size() != model.numInputs())
    return fail("the model takes " + std::to_string(model.numInputs()) +
                " input(s), got " + std::to_string(options.inputPaths.size()) +
                " --input");
  if (options.outputPaths.size() > model.numOutputs())
    return fail("the model has " + std::to_string(model.numOutputs()) +
                " output(s), got " +
                std::to_string(options.outputPaths.size()) + " --output");
  std::vector<NpyArray> inputArrays(options.inputPaths.size());
  std::vector<dyconv_tensor> inputs;
  for (size_t i = 0; i < inputArrays.size(); ++i) {
    std::string error;
    if (!readNpy(options.inputPaths[i], inputArrays[i], error))
      return fail(error);
    inputs.push_back(
        makeTensor(inputArrays[i].shape, inputArrays[i].data.data()));
  }
  int64_t batch = 0;
  if (model.inferBatch(inputs, batch) != DYCONV_OK)
    return fail(CompiledModel::lastError());

  std::vector<NpyArray> outputArrays(model.numOutputs());
  std::vector<dyconv_tensor> outputs;
  for (size_t i = 0; i < outputArrays.size(); ++i) {
    NpyArray &array = outputArrays[i];
    array.shape = model.outputShape(i, batch);
    uint64_t count = 1;
    for (int64_t dim : array.shape)
      count *= static_cast<uint64_t>(dim);
    array.data.assign(count, 0.0f);
    outputs.push_back(makeTensor(array.shape, array.data.data()));
  }

  if (options.profileRuns > 0 &&
      !profile(model, inputs, outputs, options.profileRuns))
    return fail(CompiledModel::lastError());
  std::string benchLine;
  if (options.benchRuns > 0)
    benchLine = bench(model, inputs, outputs, options.benchRuns, batch);
  else if (model.run(inputs, outputs) != DYCONV_OK)
    return fail(CompiledModel::lastError());
  if (options.benchRuns > 0 && benchLine.empty())
    return fail(CompiledModel::lastError());

  for (size_t i = 0; i < outputArrays.size(); ++i) {
    printSummary(i, model.outputName(i), outputArrays[i]);
    std::string error;
    if (i < options.outputPaths.size() &&
        !writeNpy(options.outputPaths[i], outputArrays[i], error))
      return fail(error);
  }
  if (!options.labelsPath.empty() &&
      reportAccuracy(outputArrays[0].shape, outputArrays[0].data.data(),
                     options.labelsPath) != 0)
    return 1;
  if (!benchLine.empty())
    std::printf("%s\n", benchLine.c_str());
  return 0;
}

} // namespace dyconv::run
