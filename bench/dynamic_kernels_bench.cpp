//===- dynamic_kernels_bench.cpp - time the dynamic-convolution kernels ---===//
//
// JIT-compiles the ODConv, KernelWarehouse and DDF kernels for ResNet-sized
// layers and prints the median milliseconds per call. Usage:
//   dyconv-dynamic-kernels-bench
//
//===----------------------------------------------------------------------===//

#include "BenchSupport.h"
#include "PeakProbe.h"

#include "dyconv/Codegen/Codegen.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <tuple>
#include <vector>

using namespace mlir::dyconv;
using namespace dyconv::bench;

namespace {

void benchODConv(int64_t batch) {
  for (auto [cin, size, hidden] :
       {std::tuple<int64_t, int64_t, int64_t>{64, 56, 16}, {512, 7, 32}}) {
    ODConvAttentionKernel d{cin, size, size, hidden, cin, 9,
                            4,   true, true, true,   1.0f};
    printKernelTime(d,
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
                    {{kBatch, cin}, {kBatch, cin}, {kBatch, 9}, {kBatch, 4}},
                    batch);
  }
  AggregateKernel a{4, 512, 512, 3, 3, 1, true, true, true};
  printKernelTime(a,
                  {{4, 512, 512, 3, 3},
                   {kBatch, 512},
                   {kBatch, 512},
                   {kBatch, 9},
                   {kBatch, 4}},
                  {{kBatch, 512, 512, 3, 3}}, batch);
}

void benchKW(int64_t batch) {
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
    printKernelTime(d,
                    {{kBatch, cin, size, size},
                     {hidden, cin},
                     {hidden},
                     {rows, hidden},
                     {rows}},
                    {{kBatch, mixtures, cells}}, batch);
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
    printKernelTime(
        d, {{kBatch, mixtures, l.cells}, {l.cells, l.cell, l.cell, 1, 1}},
        {{kBatch, l.outBlocks * l.cell, l.inBlocks * l.cell, l.kernel,
          l.kernel}},
        batch);
  }
}

void benchDDF(int64_t batch) {
  for (int64_t stride : {1, 2}) {
    DDFKernel d{64, 56, 56, 3, stride, 1, DDFCombine::Mul};
    int64_t out = 56 / stride;
    printKernelTime(
        d, {{kBatch, 64, 56, 56}, {kBatch, 64, 3, 3}, {kBatch, 9, out, out}},
        {{kBatch, 64, out, out}}, batch);
  }
  FilterNormKernel spatial{9, 56, 56, 9, false, 1.4142135f, 1e-10f};
  printKernelTime(spatial, {{kBatch, 9, 56, 56}}, {{kBatch, 9, 56, 56}}, batch);
  FilterNormKernel channel{576, 1, 1, 9, true, 1.0f, 1e-10f};
  printKernelTime(channel, {{kBatch, 576, 1, 1}, {576}}, {{kBatch, 576, 1, 1}},
                  batch);
}

} // namespace

int main() {
  std::printf("%s, target %s\n", cpuModel().c_str(),
              codegen::targetString("cpu")->c_str());
  for (int64_t batch : {1, 8}) {
    benchODConv(batch);
    benchKW(batch);
    benchDDF(batch);
  }
  return 0;
}
