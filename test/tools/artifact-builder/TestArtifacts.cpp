//===- TestArtifacts.cpp - small artifacts over the test kernels ----------===//

#include "TestArtifacts.h"

#include <cstring>
#include <fstream>
#include <iterator>

namespace dyconv::test {
namespace {

PlanTensor input(uint32_t index, std::vector<int64_t> shape) {
  return {Storage::Input, index, 0, std::move(shape)};
}

PlanTensor arena(uint64_t offset, std::vector<int64_t> shape) {
  return {Storage::Arena, 0, offset, std::move(shape)};
}

PlanTensor weight(uint64_t offset, std::vector<int64_t> shape) {
  return {Storage::Weight, 0, offset, std::move(shape)};
}

/// A kernel reading arguments of ranks \p inputs and writing one of rank
/// \p output, as the test kernel library's table describes it.
PlanKernel kernel(const char *symbol, std::vector<uint32_t> inputs,
                  uint32_t output) {
  PlanKernel result{symbol, {}};
  for (uint32_t rank : inputs)
    result.arguments.push_back({rank, Access::Read});
  result.arguments.push_back({output, Access::Write});
  return result;
}

std::vector<uint8_t> bytesOf(const std::vector<float> &values) {
  std::vector<uint8_t> bytes(values.size() * sizeof(float));
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

Plan biasRelu() {
  Plan plan;
  plan.kernels = {kernel("test_add_bias_argv", {3, 2}, 3),
                  kernel("test_relu3_argv", {3}, 3)};
  plan.tensors = {input(0, {-1, 2, 3}), weight(0, {2, 3}), arena(0, {-1, 2, 3}),
                  arena(24, {-1, 2, 3}), arena(0, {-6})};
  plan.steps = {{0, {0, 1, 2}}, {1, {2, 3}}};
  plan.inputs = {{"x", 0}};
  plan.outputs = {{"y", 3}, {"h", 4}};
  plan.arenaBytesPerSample = 48;
  plan.target = "test";
  return plan;
}

Plan twoInputs() {
  Plan plan;
  plan.kernels = {kernel("test_add_argv", {2, 2}, 2),
                  kernel("test_relu_argv", {2}, 2)};
  plan.tensors = {input(0, {-1, 4}), input(1, {-1, 4}), arena(0, {-1, 4}),
                  arena(16, {-1, 4})};
  plan.steps = {{0, {0, 1, 2}}, {1, {2, 3}}};
  plan.inputs = {{"x", 0}, {"z", 1}};
  plan.outputs = {{"y", 3}};
  plan.arenaBytesPerSample = 32;
  return plan;
}

Plan singleKernel(const char *symbol, int64_t width, bool takesInput) {
  Plan plan;
  plan.kernels = {kernel(
      symbol, takesInput ? std::vector<uint32_t>{2} : std::vector<uint32_t>{},
      2)};
  plan.tensors = {input(0, {-1, width}), arena(0, {-1, width})};
  plan.steps = {
      {0, takesInput ? std::vector<uint32_t>{0, 1} : std::vector<uint32_t>{1}}};
  plan.inputs = {{"x", 0}};
  plan.outputs = {{"y", 1}};
  plan.arenaBytesPerSample = static_cast<uint64_t>(width) * sizeof(float);
  return plan;
}

} // namespace

const std::vector<float> kBias = {0.5f, -1.0f, 2.0f, -0.25f, 0.0f, 1.0f};

std::string testKernelsPath() { return DYCONV_TEST_KERNELS_PATH; }

std::string foreignKernelsPath() { return DYCONV_TEST_FOREIGN_KERNELS_PATH; }

bool testArtifact(const std::string &kind, Artifact &artifact) {
  artifact = Artifact();
  if (kind == "bias-relu" || kind == "fixed-batch") {
    artifact.plan = biasRelu();
    artifact.plan.fixedBatch = kind == "fixed-batch" ? 2 : 0;
    artifact.weights = bytesOf(kBias);
  } else if (kind == "two-inputs") {
    artifact.plan = twoInputs();
  } else if (kind == "failing") {
    artifact.plan = singleKernel("test_fail_argv", 2, true);
  } else if (kind == "threads") {
    artifact.plan = singleKernel("test_threads_argv", 1, false);
  } else {
    return false;
  }
  return true;
}

bool buildTestArtifact(const std::string &kind, const std::string &libraryPath,
                       Artifact &artifact, std::string &error) {
  if (!testArtifact(kind, artifact)) {
    error = "unknown test artifact '" + kind + "'";
    return false;
  }
  std::ifstream stream(libraryPath, std::ios::binary);
  if (!stream) {
    error = libraryPath + ": cannot open";
    return false;
  }
  artifact.library.assign(std::istreambuf_iterator<char>(stream),
                          std::istreambuf_iterator<char>());
  return true;
}

} // namespace dyconv::test
