//===- static_kernels_bench.cpp - time the ordinary kernel families -------===//
//
// JIT-compiles pooling, linear and elementwise kernels at ResNet-18 and
// MobileNetV2 shapes and prints the median and best milliseconds per call,
// with the bandwidth the best time implies for the kernel's compulsory
// traffic. Usage:
//   static_kernels_bench [halide-target]   (default: host)
//
//===----------------------------------------------------------------------===//

#include "Builders.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

using namespace mlir::dyconv::codegen;

namespace {

/// Random dense buffers of the row-major shapes, batch dimension resolved.
std::vector<Halide::Buffer<float>>
randomBuffers(const std::vector<Shape> &shapes, int64_t batch) {
  std::mt19937 gen(7);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<Halide::Buffer<float>> buffers;
  for (const Shape &shape : shapes) {
    std::vector<int> extents;
    for (auto it = shape.rbegin(); it != shape.rend(); ++it)
      extents.push_back(static_cast<int>(*it == kBatch ? batch : *it));
    Halide::Buffer<float> buffer(extents);
    buffer.for_each_value([&](float &v) { v = dist(gen); });
    buffers.push_back(buffer);
  }
  return buffers;
}

/// JIT-compiles and times one kernel; prints the median ms per call and the
/// GB/s of reading its inputs and writing its outputs once.
void timeKernel(const KernelDesc &desc, const std::vector<Shape> &inputs,
                const std::vector<Shape> &outputs, int64_t batch,
                const Halide::Target &target) {
  KernelPipeline kernel = buildKernel(desc, target);
  std::vector<Halide::Buffer<float>> in = randomBuffers(inputs, batch);
  std::vector<Halide::Buffer<float>> out = randomBuffers(outputs, batch);
  double bytes = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    kernel.inputs[i].set(in[i]);
    bytes += in[i].size_in_bytes();
  }
  for (const auto &buffer : out)
    bytes += buffer.size_in_bytes();
  std::vector<Halide::Buffer<>> outBuffers(out.begin(), out.end());
  kernel.pipeline.compile_jit(target);
  std::vector<double> times;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  while (times.size() < 5 ||
         (times.size() < 2000 && std::chrono::steady_clock::now() < deadline)) {
    auto start = std::chrono::steady_clock::now();
    kernel.pipeline.realize(Halide::Realization(outBuffers), target);
    std::chrono::duration<double, std::milli> elapsed =
        std::chrono::steady_clock::now() - start;
    times.push_back(elapsed.count());
  }
  std::sort(times.begin(), times.end());
  double best = times.front(), median = times[times.size() / 2];
  std::printf("%-40s N=%-2lld median %7.4f ms, best %7.4f ms (%5.1f GB/s)\n",
              describeKernel(desc).c_str(), static_cast<long long>(batch),
              median, best, bytes / best * 1e-6);
}

PoolKernel pool(PoolKind kind, int64_t channels, int64_t size, int64_t kernel,
                int64_t stride, int64_t padding) {
  PoolKernel desc;
  desc.kind = kind;
  desc.channels = channels;
  desc.height = desc.width = size;
  desc.kernel = {kernel, kernel};
  desc.stride = {stride, stride};
  desc.padding = {padding, padding, padding, padding};
  return desc;
}

} // namespace

int main(int argc, char **argv) {
  Halide::Target target =
      argc > 1 ? Halide::Target(argv[1]) : Halide::get_host_target();
  std::printf("target %s\n", target.to_string().c_str());
  timeKernel(pool(PoolKind::Max, 64, 112, 3, 2, 1), {{kBatch, 64, 112, 112}},
             {{kBatch, 64, 56, 56}}, 1, target);
  timeKernel(pool(PoolKind::GlobalAverage, 512, 7, 1, 1, 0),
             {{kBatch, 512, 7, 7}}, {{kBatch, 512, 1, 1}}, 1, target);
  timeKernel(pool(PoolKind::GlobalAverage, 1280, 7, 1, 1, 0),
             {{kBatch, 1280, 7, 7}}, {{kBatch, 1280, 1, 1}}, 1, target);
  for (int64_t in : {512, 1280})
    for (int64_t batch : {1, 8})
      timeKernel(LinearKernel{in, 1000, true, Activation::None},
                 {{kBatch, in}, {1000, in}, {1000}}, {{kBatch, 1000}}, batch,
                 target);
  Shape activation = {kBatch, 64, 56, 56};
  timeKernel(ElementwiseKernel{ElementwiseOp::Add, {activation, activation}},
             {activation, activation}, {activation}, 1, target);
  timeKernel(ElementwiseKernel{ElementwiseOp::Relu, {activation}}, {activation},
             {activation}, 1, target);
  return 0;
}
