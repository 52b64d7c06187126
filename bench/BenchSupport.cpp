//===- BenchSupport.cpp - what the kernel benchmarks share ----------------===//

#include "BenchSupport.h"

#include "dyconv/Codegen/Codegen.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>

namespace dyconv::bench {

double Tensors::bytes() const {
  double total = 0;
  for (const std::vector<float> &tensor : storage)
    total += double(tensor.size()) * sizeof(float);
  return total;
}

Tensors randomTensors(const std::vector<Shape> &shapes, int64_t batch) {
  std::mt19937 gen(7);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  Tensors tensors;
  tensors.storage.reserve(shapes.size());
  for (const Shape &shape : shapes) {
    TensorView view;
    int64_t elements = 1;
    for (int64_t extent : shape) {
      view.shape.push_back(extent == kBatch ? batch : extent);
      elements *= view.shape.back();
    }
    std::vector<float> &data = tensors.storage.emplace_back(elements);
    for (float &value : data)
      value = dist(gen);
    view.data = data.data();
    tensors.views.push_back(std::move(view));
  }
  return tensors;
}

double medianSeconds(JitKernel &kernel, const Tensors &inputs,
                     const Tensors &outputs, double budgetSeconds) {
  std::vector<double> samples;
  double total = 0.0;
  for (int run = 0;
       run <= 5 || (total < budgetSeconds && samples.size() < 2000); ++run) {
    auto start = std::chrono::steady_clock::now();
    std::string error = kernel.run(inputs.views, outputs.views);
    std::chrono::duration<double> elapsed =
        std::chrono::steady_clock::now() - start;
    if (!error.empty()) {
      std::fprintf(stderr, "error: %s\n", error.c_str());
      return -1.0;
    }
    if (run > 0) { // the first run is the warm-up
      samples.push_back(elapsed.count());
      total += elapsed.count();
    }
  }
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

void printKernelTime(const mlir::dyconv::KernelDesc &desc,
                     const std::vector<Shape> &inputs,
                     const std::vector<Shape> &outputs, int64_t batch) {
  std::string name = mlir::dyconv::codegen::describeKernel(desc), error;
  std::unique_ptr<JitKernel> kernel = JitKernel::compile(desc, error);
  if (!kernel) {
    std::printf("%-56s error: %s\n", name.c_str(), error.c_str());
    return;
  }
  Tensors in = randomTensors(inputs, batch),
          out = randomTensors(outputs, batch);
  double seconds = medianSeconds(*kernel, in, out);
  if (seconds >= 0)
    std::printf("%-56s N=%-2lld %8.3f ms %6.1f GB/s\n", name.c_str(),
                static_cast<long long>(batch), seconds * 1e3,
                (in.bytes() + out.bytes()) / seconds * 1e-9);
  std::fflush(stdout);
}

} // namespace dyconv::bench
