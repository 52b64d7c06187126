//===- kernel_bench.cpp - conv2d kernel throughput at network shapes ------===//
//
// JIT-compiles buildConv for the host at ResNet-18 and MobileNetV2 layer
// shapes, times each at batch 1 and 8 (median of many runs) and prints
// GFLOP/s and the fraction of the fp32 peak:
//   threads x 2 FMA units x 8 lanes x 2 flop x clock,
// with the clock read from /proc/cpuinfo ("cpu MHz", the nominal clock: a
// boost clock makes the fraction look higher). The FMA units are 256 bits
// wide on the CPUs this targets (AVX2, and Zen 4, which splits AVX-512 FMAs
// in two), hence 8 lanes whatever vector width Halide uses. Threads come from
// HL_NUM_THREADS (default 2). An optional argument keeps only the layers
// whose name contains it.
//
//===----------------------------------------------------------------------===//

#include "Builders.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

using namespace mlir::dyconv::codegen;

namespace {

/// One benchmarked layer.
struct Layer {
  const char *name;
  ConvKernel desc;
};

/// A square-kernel convolution with symmetric padding, bias and ReLU (the
/// usual shape after BatchNorm folding).
ConvKernel conv(int64_t cin, int64_t cout, int64_t size, int64_t k,
                int64_t stride, int64_t pad, int64_t groups = 1) {
  ConvKernel d;
  d.inChannels = cin;
  d.outChannels = cout;
  d.height = d.width = size;
  d.kernelH = d.kernelW = k;
  d.stride = {stride, stride};
  d.padding = {pad, pad, pad, pad};
  d.groups = groups;
  d.epilogue.bias = true;
  d.epilogue.activation = Activation::Relu;
  return d;
}

std::vector<Layer> layers() {
  return {
      {"resnet18.stem7x7s2", conv(3, 64, 224, 7, 2, 3)},
      {"resnet18.3x3.64@56", conv(64, 64, 56, 3, 1, 1)},
      {"resnet18.3x3s2.64-128@56", conv(64, 128, 56, 3, 2, 1)},
      {"resnet18.1x1s2.64-128@56", conv(64, 128, 56, 1, 2, 0)},
      {"resnet18.3x3.128@28", conv(128, 128, 28, 3, 1, 1)},
      {"resnet18.3x3s2.128-256@28", conv(128, 256, 28, 3, 2, 1)},
      {"resnet18.1x1s2.128-256@28", conv(128, 256, 28, 1, 2, 0)},
      {"resnet18.3x3.256@14", conv(256, 256, 14, 3, 1, 1)},
      {"resnet18.3x3s2.256-512@14", conv(256, 512, 14, 3, 2, 1)},
      {"resnet18.3x3.512@7", conv(512, 512, 7, 3, 1, 1)},
      {"mbv2.1x1.24-144@56", conv(24, 144, 56, 1, 1, 0)},
      {"mbv2.1x1.144-24@56", conv(144, 24, 56, 1, 1, 0)},
      {"mbv2.1x1.160-960@7", conv(160, 960, 7, 1, 1, 0)},
      {"mbv2.1x1.960-160@7", conv(960, 160, 7, 1, 1, 0)},
      {"mbv2.dw3x3s2.96@112", conv(96, 96, 112, 3, 2, 1, 96)},
      {"mbv2.dw3x3.144@56", conv(144, 144, 56, 3, 1, 1, 144)},
      {"mbv2.dw3x3s2.144@56", conv(144, 144, 56, 3, 2, 1, 144)},
      {"mbv2.dw3x3.576@14", conv(576, 576, 14, 3, 1, 1, 576)},
      {"mbv2.dw3x3.960@7", conv(960, 960, 7, 3, 1, 1, 960)},
  };
}

/// floor((in + 2 pad - k) / stride) + 1.
int outExtent(const ConvKernel &d, int in, int axis) {
  int pads = int(d.padding[axis] + d.padding[axis + 2]);
  int k = int(axis == 0 ? d.kernelH : d.kernelW);
  return (in + pads - k) / int(d.stride[axis]) + 1;
}

/// A buffer of \p extents (Halide order) filled with values in [-1, 1).
Halide::Buffer<float> randomBuffer(const std::vector<int> &extents,
                                   std::mt19937 &gen) {
  Halide::Buffer<float> buffer(extents);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  buffer.for_each_value([&](float &v) { v = dist(gen); });
  return buffer;
}

/// The clock in GHz from /proc/cpuinfo, or 0 when it does not say.
double cpuinfoGHz() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line))
    if (line.rfind("cpu MHz", 0) == 0)
      return std::atof(line.substr(line.find(':') + 1).c_str()) / 1000.0;
  return 0.0;
}

/// The median of \p samples.
double median(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

/// Median seconds per run of \p kernel over ~0.5 s (at least 5 runs), after
/// a warm-up run.
double timeKernel(KernelPipeline &kernel, Halide::Buffer<float> &output,
                  const Halide::Target &target) {
  kernel.pipeline.realize(output, target);
  std::vector<double> samples;
  double total = 0.0;
  while (samples.size() < 5 || (total < 0.5 && samples.size() < 1000)) {
    auto start = std::chrono::steady_clock::now();
    kernel.pipeline.realize(output, target);
    std::chrono::duration<double> elapsed =
        std::chrono::steady_clock::now() - start;
    samples.push_back(elapsed.count());
    total += elapsed.count();
  }
  return median(samples);
}

/// Builds, binds and times \p layer at \p batch; prints one line.
void benchLayer(const Layer &layer, int batch, const Halide::Target &target,
                double peakGflops) {
  const ConvKernel &d = layer.desc;
  int ho = outExtent(d, int(d.height), 0), wo = outExtent(d, int(d.width), 1);
  std::mt19937 gen(42);
  KernelPipeline kernel = buildConv(d, target);
  std::vector<Halide::Buffer<float>> inputs = {
      randomBuffer({int(d.width), int(d.height), int(d.inChannels), batch},
                   gen),
      randomBuffer({int(d.kernelW), int(d.kernelH),
                    int(d.inChannels / d.groups), int(d.outChannels)},
                   gen),
      randomBuffer({int(d.outChannels)}, gen)};
  for (size_t i = 0; i < inputs.size(); ++i)
    kernel.inputs[i].set(inputs[i]);
  Halide::Buffer<float> output(wo, ho, int(d.outChannels), batch);

  auto compileStart = std::chrono::steady_clock::now();
  kernel.pipeline.compile_jit(target);
  std::chrono::duration<double> compileTime =
      std::chrono::steady_clock::now() - compileStart;
  double seconds = timeKernel(kernel, output, target);
  double flops = 2.0 * batch * d.outChannels * ho * wo *
                 (d.inChannels / d.groups) * d.kernelH * d.kernelW;
  double gflops = flops / seconds * 1e-9;
  std::printf("%-28s N=%d  %9.3f ms  %7.1f GFLOP/s  %5.1f%% of peak  "
              "(compile %.2f s)  %s\n",
              layer.name, batch, seconds * 1e3, gflops,
              100.0 * gflops / peakGflops, compileTime.count(),
              describe(d).c_str());
  std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv) {
  // Halide's thread pool reads HL_NUM_THREADS when it starts.
  setenv("HL_NUM_THREADS", "2", /*overwrite=*/0);
  int threads = std::atoi(std::getenv("HL_NUM_THREADS"));
  std::string filter = argc > 1 ? argv[1] : "";

  Halide::Target target = Halide::get_jit_target_from_environment();
  constexpr int kFmaLanes = 8;
  double ghz = cpuinfoGHz();
  double peakGflops = threads * 2.0 * kFmaLanes * 2.0 * ghz;
  std::printf("target %s (%d-lane vectors), %d threads, clock %.3f GHz "
              "(/proc/cpuinfo cpu MHz)\npeak = %d threads x 2 FMA x %d lanes "
              "x 2 flop x clock = %.1f GFLOP/s\n",
              target.to_string().c_str(), target.natural_vector_size<float>(),
              threads, ghz, threads, kFmaLanes, peakGflops);
  for (int batch : {1, 8})
    for (const Layer &layer : layers())
      if (filter.empty() ||
          std::string(layer.name).find(filter) != std::string::npos)
        benchLayer(layer, batch, target, peakGflops);
  return 0;
}
