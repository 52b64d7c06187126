//===- ArtifactInfo.cpp - dyconv-run --info -------------------------------===//

#include "ArtifactInfo.h"
#include "ArtifactRun.h"

#include "dyconv/Runtime/Artifact.h"
#include "dyconv/Runtime/Runtime.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

namespace dyconv::run {
namespace {

/// A model tensor's shape with its batch dimensions written N (or kN): the
/// extents that differ between batch 1 and batch 2.
std::string batchShape(const std::vector<int64_t> &atOne,
                       const std::vector<int64_t> &atTwo) {
  std::string text;
  for (size_t d = 0; d < atOne.size(); ++d) {
    std::string extent = std::to_string(atOne[d]);
    if (atOne[d] != atTwo[d])
      extent = (atOne[d] == 1 ? "" : extent) + "N";
    text += (d ? ", " : "") + extent;
  }
  return "[" + text + "]";
}

double mebibytes(uint64_t bytes) { return double(bytes) / 1048576.0; }

void printBindings(const CompiledModel &model, bool outputs) {
  std::printf("%s:\n", outputs ? "outputs" : "inputs");
  size_t count = outputs ? model.numOutputs() : model.numInputs();
  for (size_t i = 0; i < count; ++i) {
    std::string name = outputs ? model.outputName(i) : model.inputName(i);
    std::string shape =
        outputs ? batchShape(model.outputShape(i, 1), model.outputShape(i, 2))
                : batchShape(model.inputShape(i, 1), model.inputShape(i, 2));
    std::printf("  %zu '%s': %s\n", i, name.c_str(), shape.c_str());
  }
}

} // namespace

int printArtifactInfo(const std::string &path) {
  // Opened through the runtime first: --info describes only what would run.
  CompiledModel model;
  if (!openArtifact(path, model))
    return 1;
  Artifact artifact;
  std::string error;
  if (!readArtifact(path, artifact, error))
    return fail(error);
  const Plan &plan = artifact.plan;

  std::printf("%s: dyconv artifact, format %u\n", path.c_str(),
              kArtifactFormatVersion);
  std::printf("target: %s\n", plan.target.c_str());
  if (plan.fixedBatch)
    std::printf("batch: %lld only\n", (long long)plan.fixedBatch);
  else
    std::printf("batch: any >= 1 (N below)\n");
  printBindings(model, /*outputs=*/false);
  printBindings(model, /*outputs=*/true);
  std::printf("sizes: weights %.2f MiB, code %.2f MiB, arena %.2f MiB per "
              "sample\n",
              mebibytes(artifact.weights.size()),
              mebibytes(artifact.library.size()),
              mebibytes(plan.arenaBytesPerSample));

  std::map<std::string, unsigned> calls;
  for (size_t step = 0; step < model.numSteps(); ++step)
    ++calls[model.stepKernel(step)];
  std::vector<std::pair<std::string, unsigned>> kernels(calls.begin(),
                                                        calls.end());
  std::stable_sort(
      kernels.begin(), kernels.end(),
      [](const auto &a, const auto &b) { return a.second > b.second; });
  std::printf("plan: %zu steps calling %zu kernels:\n", model.numSteps(),
              kernels.size());
  std::printf("%7s  %s\n", "calls", "kernel");
  for (const auto &[kernel, count] : kernels)
    std::printf("%7u  %s\n", count, kernel.c_str());
  return 0;
}

} // namespace dyconv::run
