//===- PeakProbe.h - the machine's measured fp32 peak -----------*- C++ -*-===//
//
// A tiny FMA-throughput probe: every thread runs independent fused
// multiply-adds on as many vector accumulators as the register file holds,
// for a fixed time, and the probe reports the floating-point operations per
// second they reached. Benchmarks quote "% of peak" against this measured
// limit, not against one assumed from a data sheet (the FMA unit count and
// the clock under load differ from CPU to CPU).
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_BENCH_PEAKPROBE_H
#define DYCONV_BENCH_PEAKPROBE_H

#include <string>

namespace dyconv::bench {

/// The vector instruction sets the probe measures.
enum class VectorIsa { Avx2, Avx512 };

/// The widest of them this CPU runs.
VectorIsa widestIsa();

/// "AVX2" or "AVX-512".
std::string isaName(VectorIsa isa);

/// The fp32 FMA throughput of `threads` threads with `isa`'s vectors, in
/// GFLOP/s (2 flop per lane per FMA), the best of a few timed rounds.
double measurePeakGflops(VectorIsa isa, int threads);

/// The CPU model name from /proc/cpuinfo, or "unknown CPU".
std::string cpuModel();

} // namespace dyconv::bench

#endif // DYCONV_BENCH_PEAKPROBE_H
