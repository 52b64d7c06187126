//===- peak_main.cpp - dyconv-peak: this machine's measured fp32 peak -----===//
//
//   dyconv-peak [THREADS]
//
// Prints one JSON object, {"cpu", "isa", "threads", "gflops"}, the FMA
// throughput of PeakProbe.h with THREADS threads (default: all cores), for
// the Python benchmarks to record next to their latencies.
//
//===----------------------------------------------------------------------===//

#include "PeakProbe.h"

#include <cstdio>
#include <cstdlib>
#include <thread>

using namespace dyconv::bench;

int main(int argc, char **argv) {
  int threads = static_cast<int>(std::thread::hardware_concurrency());
  if (argc > 2 || (argc == 2 && (threads = std::atoi(argv[1])) < 1)) {
    std::fprintf(stderr, "usage: dyconv-peak [THREADS >= 1]\n");
    return 1;
  }
  VectorIsa isa = widestIsa();
  double gflops = measurePeakGflops(isa, threads);
  std::printf("{\"cpu\": \"%s\", \"isa\": \"%s\", \"threads\": %d, "
              "\"gflops\": %.1f}\n",
              cpuModel().c_str(), isaName(isa).c_str(), threads, gflops);
  return 0;
}
