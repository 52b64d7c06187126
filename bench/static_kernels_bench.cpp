//===- static_kernels_bench.cpp - time the ordinary kernel families -------===//
//
// JIT-compiles pooling, linear and elementwise kernels at ResNet-18 and
// MobileNetV2 shapes and prints the median milliseconds per call, with the
// bandwidth that time implies for the kernel's compulsory traffic. Usage:
//   dyconv-static-kernels-bench
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
#include <vector>

using namespace mlir::dyconv;
using namespace dyconv::bench;

namespace {

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

int main() {
  std::printf("%s, target %s\n", cpuModel().c_str(),
              codegen::targetString("cpu")->c_str());
  printKernelTime(pool(PoolKind::Max, 64, 112, 3, 2, 1),
                  {{kBatch, 64, 112, 112}}, {{kBatch, 64, 56, 56}}, 1);
  printKernelTime(pool(PoolKind::GlobalAverage, 512, 7, 1, 1, 0),
                  {{kBatch, 512, 7, 7}}, {{kBatch, 512, 1, 1}}, 1);
  printKernelTime(pool(PoolKind::GlobalAverage, 1280, 7, 1, 1, 0),
                  {{kBatch, 1280, 7, 7}}, {{kBatch, 1280, 1, 1}}, 1);
  for (int64_t in : {512, 1280})
    for (int64_t batch : {1, 8})
      printKernelTime(LinearKernel{in, 1000, true, Activation::None},
                      {{kBatch, in}, {1000, in}, {1000}}, {{kBatch, 1000}},
                      batch);
  Shape activation = {kBatch, 64, 56, 56};
  printKernelTime(
      ElementwiseKernel{ElementwiseOp::Add, {activation, activation}},
      {activation, activation}, {activation}, 1);
  printKernelTime(ElementwiseKernel{ElementwiseOp::Relu, {activation}},
                  {activation}, {activation}, 1);
  return 0;
}
