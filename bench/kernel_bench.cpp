//===- kernel_bench.cpp - conv2d kernel throughput at network shapes ------===//
//
// JIT-compiles the convolution kernel for the host at every distinct conv
// layer of ResNet-18, ResNet-50 and MobileNetV2 (224x224), with the layouts
// and schedule the compiler chooses (NCHW16c/8c activations, packed weights),
// times each at batch 1 and 8 (median of many runs) and prints GFLOP/s and
// the fraction of this machine's measured fp32 peak (PeakProbe.h) for the
// same threads and vector width.
//
//   dyconv-kernel-bench [--per-sample] [--nchw] [--tile AxBxC] [FILTER]
//
// --per-sample gives every layer one kernel per sample (dynamic_conv2d);
// --nchw times the NCHW schedules instead; --tile replaces the chosen
// register tile (for tuning the cost model); FILTER keeps the layers whose
// name contains it. Threads come from HL_NUM_THREADS (default 2).
//
//===----------------------------------------------------------------------===//

#include "BenchSupport.h"
#include "PeakProbe.h"

#include "dyconv/Codegen/Codegen.h"
#include "dyconv/Dialect/ConvSchedule.h"

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
  std::string name;
  ConvKernel desc;
};

/// A square-kernel convolution with symmetric padding, bias and ReLU (the
/// usual shape after BatchNorm folding).
ConvKernel conv(int64_t cin, int64_t cout, int64_t size, int64_t k,
                int64_t stride, int64_t groups = 1) {
  ConvKernel d;
  d.inChannels = cin;
  d.outChannels = cout;
  d.height = d.width = size;
  d.kernelH = d.kernelW = k;
  d.stride = {stride, stride};
  int64_t pad = k / 2;
  d.padding = {pad, pad, pad, pad};
  d.groups = groups;
  d.epilogue.bias = true;
  d.epilogue.activation = Activation::Relu;
  return d;
}

/// A depthwise 3x3 convolution.
ConvKernel depthwise(int64_t channels, int64_t size, int64_t stride) {
  return conv(channels, channels, size, 3, stride, channels);
}

/// The distinct conv layers of the three networks, named
/// `net.kind.channels@input size`.
std::vector<Layer> layers() {
  std::vector<Layer> all = {
      // ResNet-18 (and the stem of ResNet-50).
      {"resnet.stem7x7s2", conv(3, 64, 224, 7, 2)},
      {"resnet18.3x3.64@56", conv(64, 64, 56, 3, 1)},
      {"resnet18.3x3s2.64-128@56", conv(64, 128, 56, 3, 2)},
      {"resnet18.1x1s2.64-128@56", conv(64, 128, 56, 1, 2)},
      {"resnet18.3x3.128@28", conv(128, 128, 28, 3, 1)},
      {"resnet18.3x3s2.128-256@28", conv(128, 256, 28, 3, 2)},
      {"resnet18.1x1s2.128-256@28", conv(128, 256, 28, 1, 2)},
      {"resnet18.3x3.256@14", conv(256, 256, 14, 3, 1)},
      {"resnet18.3x3s2.256-512@14", conv(256, 512, 14, 3, 2)},
      {"resnet18.1x1s2.256-512@14", conv(256, 512, 14, 1, 2)},
      {"resnet18.3x3.512@7", conv(512, 512, 7, 3, 1)},
      // ResNet-50 (the stride in the 3x3 of each stage's first block).
      {"resnet50.1x1.64-64@56", conv(64, 64, 56, 1, 1)},
      {"resnet50.1x1.64-256@56", conv(64, 256, 56, 1, 1)},
      {"resnet50.1x1.256-64@56", conv(256, 64, 56, 1, 1)},
      {"resnet50.1x1.256-128@56", conv(256, 128, 56, 1, 1)},
      {"resnet50.3x3s2.128@56", conv(128, 128, 56, 3, 2)},
      {"resnet50.1x1s2.256-512@56", conv(256, 512, 56, 1, 2)},
      {"resnet50.1x1.128-512@28", conv(128, 512, 28, 1, 1)},
      {"resnet50.1x1.512-128@28", conv(512, 128, 28, 1, 1)},
      {"resnet50.1x1.512-256@28", conv(512, 256, 28, 1, 1)},
      {"resnet50.3x3s2.256@28", conv(256, 256, 28, 3, 2)},
      {"resnet50.1x1s2.512-1024@28", conv(512, 1024, 28, 1, 2)},
      {"resnet50.1x1.256-1024@14", conv(256, 1024, 14, 1, 1)},
      {"resnet50.1x1.1024-256@14", conv(1024, 256, 14, 1, 1)},
      {"resnet50.1x1.1024-512@14", conv(1024, 512, 14, 1, 1)},
      {"resnet50.3x3s2.512@14", conv(512, 512, 14, 3, 2)},
      {"resnet50.1x1s2.1024-2048@14", conv(1024, 2048, 14, 1, 2)},
      {"resnet50.1x1.512-2048@7", conv(512, 2048, 7, 1, 1)},
      {"resnet50.1x1.2048-512@7", conv(2048, 512, 7, 1, 1)},
      // MobileNetV2 1.0.
      {"mbv2.stem3x3s2", conv(3, 32, 224, 3, 2)},
      {"mbv2.dw3x3.32@112", depthwise(32, 112, 1)},
      {"mbv2.1x1.32-16@112", conv(32, 16, 112, 1, 1)},
      {"mbv2.1x1.16-96@112", conv(16, 96, 112, 1, 1)},
      {"mbv2.dw3x3s2.96@112", depthwise(96, 112, 2)},
      {"mbv2.1x1.96-24@56", conv(96, 24, 56, 1, 1)},
      {"mbv2.1x1.24-144@56", conv(24, 144, 56, 1, 1)},
      {"mbv2.dw3x3.144@56", depthwise(144, 56, 1)},
      {"mbv2.1x1.144-24@56", conv(144, 24, 56, 1, 1)},
      {"mbv2.dw3x3s2.144@56", depthwise(144, 56, 2)},
      {"mbv2.1x1.144-32@28", conv(144, 32, 28, 1, 1)},
      {"mbv2.1x1.32-192@28", conv(32, 192, 28, 1, 1)},
      {"mbv2.dw3x3.192@28", depthwise(192, 28, 1)},
      {"mbv2.1x1.192-32@28", conv(192, 32, 28, 1, 1)},
      {"mbv2.dw3x3s2.192@28", depthwise(192, 28, 2)},
      {"mbv2.1x1.192-64@14", conv(192, 64, 14, 1, 1)},
      {"mbv2.1x1.64-384@14", conv(64, 384, 14, 1, 1)},
      {"mbv2.dw3x3.384@14", depthwise(384, 14, 1)},
      {"mbv2.1x1.384-64@14", conv(384, 64, 14, 1, 1)},
      {"mbv2.1x1.384-96@14", conv(384, 96, 14, 1, 1)},
      {"mbv2.1x1.96-576@14", conv(96, 576, 14, 1, 1)},
      {"mbv2.dw3x3.576@14", depthwise(576, 14, 1)},
      {"mbv2.1x1.576-96@14", conv(576, 96, 14, 1, 1)},
      {"mbv2.dw3x3s2.576@14", depthwise(576, 14, 2)},
      {"mbv2.1x1.576-160@7", conv(576, 160, 7, 1, 1)},
      {"mbv2.1x1.160-960@7", conv(160, 960, 7, 1, 1)},
      {"mbv2.dw3x3.960@7", depthwise(960, 7, 1)},
      {"mbv2.1x1.960-160@7", conv(960, 160, 7, 1, 1)},
      {"mbv2.1x1.960-320@7", conv(960, 320, 7, 1, 1)},
      {"mbv2.1x1.320-1280@7", conv(320, 1280, 7, 1, 1)},
  };
  return all;
}

/// The logical shapes of the arguments of `d` at any batch.
std::vector<Shape> argumentShapes(const ConvKernel &d, int64_t outH,
                                  int64_t outW) {
  Shape weight = {d.outChannels, d.inChannels / d.groups, d.kernelH, d.kernelW};
  if (d.perSample)
    weight.insert(weight.begin(), kBatch);
  return {{kBatch, d.inChannels, d.height, d.width},
          weight,
          {d.outChannels},
          {kBatch, d.outChannels, outH, outW}};
}

/// Compiles and times \p layer at \p batch as the compiler would for the
/// host (blocked unless `nchw`); prints one line.
void benchLayer(const Layer &layer, int64_t batch, bool nchw,
                const std::vector<int64_t> &tile, const TargetDesc &host,
                double peakGflops) {
  ConvKernel d = layer.desc;
  bool blocked = !nchw && hasBlockedSchedule(d);
  chooseConvSchedule(d, blocked, host);
  if (!tile.empty())
    d.tile = tile;
  KernelDesc desc(d);
  if (blocked)
    desc.layouts = blockedConvLayouts(d, host.vectorLanes);
  int64_t ho = (d.height + 2 * d.padding[0] - d.kernelH) / d.stride[0] + 1;
  int64_t wo = (d.width + 2 * d.padding[1] - d.kernelW) / d.stride[1] + 1;
  std::vector<Shape> shapes = argumentShapes(d, ho, wo);
  for (size_t i = 0; i < shapes.size(); ++i)
    shapes[i] = desc.layout(i).physicalShape(shapes[i]);

  auto compileStart = std::chrono::steady_clock::now();
  std::string error;
  std::unique_ptr<JitKernel> kernel = JitKernel::compile(desc, error);
  std::chrono::duration<double> compileTime =
      std::chrono::steady_clock::now() - compileStart;
  if (!kernel) {
    std::printf("%-30s error: %s\n", layer.name.c_str(), error.c_str());
    return;
  }
  Tensors inputs = randomTensors({shapes[0], shapes[1], shapes[2]}, batch);
  Tensors output = randomTensors({shapes[3]}, batch);
  double seconds = medianSeconds(*kernel, inputs, output);
  if (seconds < 0)
    return;
  double flops = 2.0 * batch * d.outChannels * ho * wo *
                 (d.inChannels / d.groups) * d.kernelH * d.kernelW;
  double gflops = flops / seconds * 1e-9;
  std::string tileText;
  for (int64_t t : d.tile)
    tileText += (tileText.empty() ? "" : "x") + std::to_string(t);
  std::printf("%-30s N=%lld %9.3f ms %7.1f GFLOP/s %5.1f%% of peak  %s %s "
              "(compile %.2f s)\n",
              layer.name.c_str(), static_cast<long long>(batch), seconds * 1e3,
              gflops, 100.0 * gflops / peakGflops,
              stringifyConvScheduleKind(d.schedule).str().c_str(),
              tileText.c_str(), compileTime.count());
  std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv) {
  // Halide's thread pool reads HL_NUM_THREADS when it starts.
  setenv("HL_NUM_THREADS", "2", /*overwrite=*/0);
  int threads = std::atoi(std::getenv("HL_NUM_THREADS"));
  bool perSample = false, nchw = false;
  std::vector<int64_t> tile;
  std::string filter;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--per-sample") {
      perSample = true;
    } else if (arg == "--nchw") {
      nchw = true;
    } else if (arg == "--tile" && i + 1 < argc) {
      for (const char *p = argv[++i]; *p;) {
        char *end;
        tile.push_back(std::strtol(p, &end, 10));
        p = *end ? end + 1 : end;
      }
    } else {
      filter = arg;
    }
  }

  TargetDesc host = *lookupTarget("cpu");
  VectorIsa isa = host.vectorLanes == 16 ? VectorIsa::Avx512 : VectorIsa::Avx2;
  double peakGflops = measurePeakGflops(isa, threads);
  std::printf("%s, target %s (%s), %d threads\nmeasured peak: %.1f GFLOP/s "
              "(%s FMA probe, %d threads)\n",
              cpuModel().c_str(), host.name.c_str(),
              codegen::targetString("cpu")->c_str(), threads, peakGflops,
              isaName(isa).c_str(), threads);
  for (int64_t batch : {1, 8})
    for (Layer layer : layers()) {
      if (!filter.empty() && layer.name.find(filter) == std::string::npos)
        continue;
      layer.desc.perSample = perSample;
      benchLayer(layer, batch, nchw, tile, host, peakGflops);
    }
  return 0;
}
