//===- PeakProbe.cpp - the machine's measured fp32 peak -------------------===//

#include "PeakProbe.h"

#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>
#include <vector>

namespace dyconv::bench {
namespace {

/// FMAs per accumulator per timed call; long enough that the loop control
/// and the clock reads vanish.
constexpr long kIterations = 1 << 22;

// Enough independent accumulators to hide the FMA latency on two FMA ports
// (4-5 cycles x 2), within the 16 (AVX2) or 32 (AVX-512) vector registers.
constexpr int kAvx2Accumulators = 12;
constexpr int kAvx512Accumulators = 24;

/// Runs kIterations FMAs on each accumulator; returns their sum so that the
/// work is not optimised away.
__attribute__((target("avx2,fma"))) float fmaLoopAvx2() {
  __m256 acc[kAvx2Accumulators];
  for (int i = 0; i < kAvx2Accumulators; ++i)
    acc[i] = _mm256_set1_ps(float(i));
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (long it = 0; it < kIterations; ++it)
#pragma GCC unroll 12
    for (int i = 0; i < kAvx2Accumulators; ++i)
      acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  float sum = 0.0f;
  for (int i = 0; i < kAvx2Accumulators; ++i)
    sum += _mm256_cvtss_f32(acc[i]);
  return sum;
}

__attribute__((target("avx512f"))) float fmaLoopAvx512() {
  __m512 acc[kAvx512Accumulators];
  for (int i = 0; i < kAvx512Accumulators; ++i)
    acc[i] = _mm512_set1_ps(float(i));
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (long it = 0; it < kIterations; ++it)
#pragma GCC unroll 24
    for (int i = 0; i < kAvx512Accumulators; ++i)
      acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  float sum = 0.0f;
  for (int i = 0; i < kAvx512Accumulators; ++i)
    sum += _mm512_cvtss_f32(acc[i]);
  return sum;
}

/// Floating-point operations of one fmaLoop call.
double flopsPerCall(VectorIsa isa) {
  int lanes = isa == VectorIsa::Avx512 ? 16 : 8;
  int accumulators =
      isa == VectorIsa::Avx512 ? kAvx512Accumulators : kAvx2Accumulators;
  return 2.0 * lanes * accumulators * double(kIterations);
}

} // namespace

VectorIsa widestIsa() {
  return __builtin_cpu_supports("avx512f") ? VectorIsa::Avx512
                                           : VectorIsa::Avx2;
}

std::string isaName(VectorIsa isa) {
  return isa == VectorIsa::Avx512 ? "AVX-512" : "AVX2";
}

double measurePeakGflops(VectorIsa isa, int threads) {
  double best = 0.0;
  for (int round = 0; round < 3; ++round) {
    std::vector<float> sums(threads);
    auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        sums[t] = isa == VectorIsa::Avx512 ? fmaLoopAvx512() : fmaLoopAvx2();
      });
    for (std::thread &thread : pool)
      thread.join();
    std::chrono::duration<double> elapsed =
        std::chrono::steady_clock::now() - start;
    best = std::max(best, flopsPerCall(isa) * threads / elapsed.count() * 1e-9);
  }
  return best;
}

std::string cpuModel() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line))
    if (line.rfind("model name", 0) == 0)
      return line.substr(line.find(':') + 2);
  return "unknown CPU";
}

} // namespace dyconv::bench
