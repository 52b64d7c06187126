//===- kernel_bench.cpp - conv2d kernel throughput at network shapes ------===//
//
// JIT-compiles the convolution kernel for the host at ResNet-18 and
// MobileNetV2 layer shapes, times each at batch 1 and 8 (median of many runs)
// and prints GFLOP/s and the fraction of this machine's measured fp32 peak
// (PeakProbe.h) for the same threads and vector width. Threads come from
// HL_NUM_THREADS (default 2). An optional argument keeps only the layers
// whose name contains it.
//
//===----------------------------------------------------------------------===//

#include "BenchSupport.h"
#include "PeakProbe.h"

#include "dyconv/Codegen/Codegen.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace mlir::dyconv;
using namespace dyconv::bench;

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
int64_t outExtent(const ConvKernel &d, int64_t in, int axis) {
  int64_t pads = d.padding[axis] + d.padding[axis + 2];
  int64_t k = axis == 0 ? d.kernelH : d.kernelW;
  return (in + pads - k) / d.stride[axis] + 1;
}

/// Compiles and times \p layer at \p batch; prints one line.
void benchLayer(const Layer &layer, int64_t batch, double peakGflops) {
  const ConvKernel &d = layer.desc;
  int64_t ho = outExtent(d, d.height, 0), wo = outExtent(d, d.width, 1);
  auto compileStart = std::chrono::steady_clock::now();
  std::string error;
  std::unique_ptr<JitKernel> kernel = JitKernel::compile(d, error);
  std::chrono::duration<double> compileTime =
      std::chrono::steady_clock::now() - compileStart;
  if (!kernel) {
    std::printf("%-28s error: %s\n", layer.name, error.c_str());
    return;
  }
  Tensors inputs = randomTensors(
      {{kBatch, d.inChannels, d.height, d.width},
       {d.outChannels, d.inChannels / d.groups, d.kernelH, d.kernelW},
       {d.outChannels}},
      batch);
  Tensors output = randomTensors({{kBatch, d.outChannels, ho, wo}}, batch);
  double seconds = medianSeconds(*kernel, inputs, output);
  if (seconds < 0)
    return;
  double flops = 2.0 * batch * d.outChannels * ho * wo *
                 (d.inChannels / d.groups) * d.kernelH * d.kernelW;
  double gflops = flops / seconds * 1e-9;
  std::printf("%-28s N=%lld  %9.3f ms  %7.1f GFLOP/s  %5.1f%% of peak  "
              "(compile %.2f s)  %s\n",
              layer.name, static_cast<long long>(batch), seconds * 1e3, gflops,
              100.0 * gflops / peakGflops, compileTime.count(),
              codegen::describeKernel(d).c_str());
  std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv) {
  // Halide's thread pool reads HL_NUM_THREADS when it starts.
  setenv("HL_NUM_THREADS", "2", /*overwrite=*/0);
  int threads = std::atoi(std::getenv("HL_NUM_THREADS"));
  std::string filter = argc > 1 ? argv[1] : "";

  VectorIsa isa = widestIsa();
  double peakGflops = measurePeakGflops(isa, threads);
  std::printf("%s, target %s, %d threads\nmeasured peak: %.1f GFLOP/s (%s "
              "FMA probe, %d threads)\n",
              cpuModel().c_str(), codegen::targetString("cpu")->c_str(),
              threads, peakGflops, isaName(isa).c_str(), threads);
  for (int64_t batch : {1, 8})
    for (const Layer &layer : layers())
      if (filter.empty() ||
          std::string(layer.name).find(filter) != std::string::npos)
        benchLayer(layer, batch, peakGflops);
  return 0;
}
