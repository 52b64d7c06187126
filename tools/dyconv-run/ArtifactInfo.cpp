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

/// A plan shape with its batch dimensions written N (or kN).
std::string planShape(const std::vector<int64_t> &shape) {
  std::string text;
  for (size_t i = 0; i < shape.size(); ++i) {
    text += i ? ", " : "";
    if (shape[i] >= 0)
      text += std::to_string(shape[i]);
    else
      text += (shape[i] == -1 ? "" : std::to_string(-shape[i])) + "N";
  }
  return "[" + text + "]";
}

double mebibytes(uint64_t bytes) { return double(bytes) / 1048576.0; }

void printBindings(const char *title, const Plan &plan,
                   const std::vector<PlanBinding> &bindings) {
  std::printf("%s:\n", title);
  for (size_t i = 0; i < bindings.size(); ++i)
    std::printf("  %zu '%s': %s\n", i, bindings[i].name.c_str(),
                planShape(plan.tensors[bindings[i].tensor].shape).c_str());
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
  printBindings("inputs", plan, plan.inputs);
  printBindings("outputs", plan, plan.outputs);
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
