//===- dynamic_kernels_bench.cpp - time the dynamic-convolution kernels ---===//
//
// JIT-compiles the ODConv, KernelWarehouse and DDF kernels for ResNet-sized
// layers and prints the median milliseconds per call. Usage:
//   dynamic_kernels_bench [halide-target]   (default: host)
//
//===----------------------------------------------------------------------===//

#include "Builders.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <tuple>
#include <vector>

using namespace mlir::dyconv::codegen;

namespace {

/// Random dense buffers of the row-major shapes, batch dimension resolved.
std::vector<Halide::Buffer<float>> randomBuffers(std::vector<Shape> shapes,
                                                 int64_t batch) {
  std::mt19937 gen(7);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<Halide::Buffer<float>> buffers;
  for (Shape &shape : shapes) {
    std::vector<int> extents;
    for (auto it = shape.rbegin(); it != shape.rend(); ++it)
      extents.push_back(static_cast<int>(*it == kBatch ? batch : *it));
    Halide::Buffer<float> buffer(extents);
    buffer.for_each_value([&](float &v) { v = dist(gen); });
    buffers.push_back(buffer);
  }
  return buffers;
}

/// JIT-compiles and times one kernel; prints the median ms per call.
void timeKernel(KernelPipeline kernel, const std::string &name,
                const std::vector<Shape> &inputs,
                const std::vector<Shape> &outputs, int64_t batch,
                const Halide::Target &target) {
  std::vector<Halide::Buffer<float>> in = randomBuffers(inputs, batch);
  std::vector<Halide::Buffer<float>> out = randomBuffers(outputs, batch);
  for (size_t i = 0; i < in.size(); ++i)
    kernel.inputs[i].set(in[i]);
  std::vector<Halide::Buffer<>> outBuffers(out.begin(), out.end());
  kernel.pipeline.compile_jit(target);
  std::vector<double> times;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  while (times.size() < 5 ||
         (times.size() < 200 && std::chrono::steady_clock::now() < deadline)) {
    auto start = std::chrono::steady_clock::now();
    kernel.pipeline.realize(Halide::Realization(outBuffers), target);
    std::chrono::duration<double, std::milli> elapsed =
        std::chrono::steady_clock::now() - start;
    times.push_back(elapsed.count());
  }
  std::nth_element(times.begin(), times.begin() + times.size() / 2,
                   times.end());
  std::printf("%-60s N=%-2lld %8.3f ms\n", name.c_str(),
              static_cast<long long>(batch), times[times.size() / 2]);
}

void benchODConv(const Halide::Target &target, int64_t batch) {
  for (auto [cin, size, hidden] :
       {std::tuple<int64_t, int64_t, int64_t>{64, 56, 16}, {512, 7, 32}}) {
    ODConvAttentionKernel d{cin, size, size, hidden, cin, 9,
                            4,   true, true, true,   1.0f};
    timeKernel(buildODConvAttention(d, target), describe(d),
               {{kBatch, cin, size, size},
                {hidden, cin},
                {hidden},
                {cin, hidden},
                {cin},
                {cin, hidden},
                {cin},
                {9, hidden},
                {9},
                {4, hidden},
                {4}},
               {{kBatch, cin}, {kBatch, cin}, {kBatch, 9}, {kBatch, 4}}, batch,
               target);
  }
  AggregateKernel a{4, 512, 512, 3, 3, 1, true, true, true};
  timeKernel(buildAggregate(a, target), describe(a),
             {{4, 512, 512, 3, 3},
              {kBatch, 512},
              {kBatch, 512},
              {kBatch, 9},
              {kBatch, 4}},
             {{kBatch, 512, 512, 3, 3}}, batch, target);
}

void benchKW(const Halide::Target &target, int64_t batch) {
  // kw1x_resnet18: warehouse 0 (64x64 cells, M = 56) and 3 (512x512, M = 27).
  for (auto [cin, size, hidden, mixtures, cells] :
       {std::tuple<int64_t, int64_t, int64_t, int64_t, int64_t>{64, 56, 16, 9,
                                                                56},
        {512, 7, 32, 9, 27}}) {
    KWAttentionKernel d;
    d.inChannels = cin;
    d.height = d.width = size;
    d.hidden = hidden;
    d.numMixtures = mixtures;
    d.numCells = cells;
    int64_t rows = mixtures * (cells + 1);
    timeKernel(buildKWAttention(d, target), describe(d),
               {{kBatch, cin, size, size},
                {hidden, cin},
                {hidden},
                {rows, hidden},
                {rows}},
               {{kBatch, mixtures, cells}}, batch, target);
  }
  struct Layer {
    int64_t cells, cell, kernel, outBlocks, inBlocks;
  };
  for (Layer l : {Layer{56, 64, 3, 1, 1}, Layer{56, 64, 3, 2, 1},
                  Layer{56, 64, 1, 2, 1}, Layer{27, 512, 3, 1, 1}}) {
    int64_t mixtures = l.kernel * l.kernel * l.outBlocks * l.inBlocks;
    KWAssembleKernel d;
    d.numMixtures = mixtures;
    d.numCells = l.cells;
    d.cellShape = {l.cell, l.cell, 1};
    d.kernelSize = {l.kernel, l.kernel};
    d.outBlocks = l.outBlocks;
    d.inBlocks = l.inBlocks;
    timeKernel(buildKWAssemble(d, target), describe(d),
               {{kBatch, mixtures, l.cells}, {l.cells, l.cell, l.cell, 1, 1}},
               {{kBatch, l.outBlocks * l.cell, l.inBlocks * l.cell, l.kernel,
                 l.kernel}},
               batch, target);
  }
}

void benchDDF(const Halide::Target &target, int64_t batch) {
  for (int64_t stride : {1, 2}) {
    DDFKernel d{64, 56, 56, 3, stride, 1, DDFCombine::Mul};
    int64_t out = 56 / stride;
    timeKernel(
        buildDDF(d, target), describe(d),
        {{kBatch, 64, 56, 56}, {kBatch, 64, 3, 3}, {kBatch, 9, out, out}},
        {{kBatch, 64, out, out}}, batch, target);
  }
  FilterNormKernel spatial{9, 56, 56, 9, false, 1.4142135f, 1e-10f};
  timeKernel(buildFilterNorm(spatial, target), describe(spatial),
             {{kBatch, 9, 56, 56}}, {{kBatch, 9, 56, 56}}, batch, target);
  FilterNormKernel channel{576, 1, 1, 9, true, 1.0f, 1e-10f};
  timeKernel(buildFilterNorm(channel, target), describe(channel),
             {{kBatch, 576, 1, 1}, {576}}, {{kBatch, 576, 1, 1}}, batch,
             target);
}

} // namespace

int main(int argc, char **argv) {
  Halide::Target target = argc > 1 ? Halide::Target(argv[1])
                                   : Halide::get_jit_target_from_environment();
  std::printf("target %s\n", target.to_string().c_str());
  for (int64_t batch : {1, 8}) {
    benchODConv(target, batch);
    benchKW(target, batch);
    benchDDF(target, batch);
  }
  return 0;
}
