//===- classify_threads.cpp - one dyconv model shared by several threads --===//
//
//   classify_threads MODEL.dyc INPUT.f32 [THREADS]
//
// Opens the model once and classifies the samples of INPUT.f32 (float32,
// row-major, as numpy's tofile() writes them) one sample per run from
// THREADS threads (default 4) at the same time: the weights are loaded once
// and each concurrent run gets its own working memory. Prints, for every
// sample, the index of the largest value of the model's first output.
//
// Build against an installed dyconv with CMake (this folder's
// CMakeLists.txt): find_package(dyconv) and link dyconv::runtime.
//
//===----------------------------------------------------------------------===//

#include "dyconv/Runtime/Runtime.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

namespace {

size_t elementCount(const std::vector<int64_t> &shape) {
  size_t count = 1;
  for (int64_t extent : shape)
    count *= static_cast<size_t>(extent);
  return count;
}

/// Runs sample \p n of \p samples and returns the argmax of the first output.
int classify(dyconv::CompiledModel &model, const std::vector<float> &samples,
             size_t n, std::string &error) {
  std::vector<int64_t> inShape = model.inputShape(0, 1);
  size_t sampleSize = elementCount(inShape);
  std::vector<float> x(samples.begin() + n * sampleSize,
                       samples.begin() + (n + 1) * sampleSize);
  std::vector<dyconv_tensor> inputs = {dyconv::makeTensor(inShape, x.data())};
  // Every output is passed; only the first is read.
  std::vector<std::vector<int64_t>> shapes;
  std::vector<std::vector<float>> values;
  for (size_t i = 0; i < model.numOutputs(); ++i) {
    shapes.push_back(model.outputShape(i, 1));
    values.emplace_back(elementCount(shapes.back()));
  }
  std::vector<dyconv_tensor> outputs;
  for (size_t i = 0; i < shapes.size(); ++i)
    outputs.push_back(dyconv::makeTensor(shapes[i], values[i].data()));
  if (model.run(inputs, outputs) != DYCONV_OK) {
    error = dyconv::CompiledModel::lastError();
    return -1;
  }
  return static_cast<int>(std::max_element(values[0].begin(), values[0].end()) -
                          values[0].begin());
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr,
                 "usage: classify_threads MODEL.dyc INPUT.f32 [THREADS]\n");
    return 2;
  }
  dyconv::CompiledModel model;
  if (!model.open(argv[1])) {
    std::fprintf(stderr, "classify_threads: %s\n",
                 dyconv::CompiledModel::lastError().c_str());
    return 1;
  }
  std::ifstream file(argv[2], std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "classify_threads: %s: cannot open\n", argv[2]);
    return 1;
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(file)),
                          std::istreambuf_iterator<char>());
  size_t sampleBytes = elementCount(model.inputShape(0, 1)) * sizeof(float);
  if (model.numInputs() != 1 || bytes.empty() || bytes.size() % sampleBytes) {
    std::fprintf(stderr,
                 "classify_threads: expected one model input and whole samples "
                 "of %zu bytes in %s\n",
                 sampleBytes, argv[2]);
    return 1;
  }
  std::vector<float> samples(bytes.size() / sizeof(float));
  std::copy(bytes.begin(), bytes.end(),
            reinterpret_cast<char *>(samples.data()));
  size_t count = bytes.size() / sampleBytes;

  // Each kernel runs single-threaded: the parallelism is across requests.
  model.setNumThreads(1);
  unsigned threadCount = 4;
  if (argc == 4) {
    char *end = nullptr;
    unsigned long parsed = std::strtoul(argv[3], &end, 10);
    if (*argv[3] == '\0' || *end != '\0' || parsed < 1 || parsed > 256) {
      std::fprintf(stderr,
                   "classify_threads: THREADS must be 1-256, got '%s'\n",
                   argv[3]);
      return 2;
    }
    threadCount = static_cast<unsigned>(parsed);
  }
  std::vector<int> classes(count, -1);
  std::vector<std::string> errors(threadCount);
  std::atomic<size_t> next{0};
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threadCount; ++t)
    workers.emplace_back([&, t] {
      for (size_t n = next++; n < count && errors[t].empty(); n = next++)
        classes[n] = classify(model, samples, n, errors[t]);
    });
  for (std::thread &worker : workers)
    worker.join();
  for (const std::string &error : errors)
    if (!error.empty()) {
      std::fprintf(stderr, "classify_threads: %s\n", error.c_str());
      return 1;
    }
  for (size_t n = 0; n < count; ++n)
    std::printf("sample %zu: class %d\n", n, classes[n]);
  return 0;
}
