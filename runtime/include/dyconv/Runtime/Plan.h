//===- Plan.h - the execution plan inside a .dyc artifact -------*- C++ -*-===//
//
// What the compiler decides and the runtime executes: the kernels of a model
// (symbols in the artifact's shared object), the tensors they read and write
// and where each one lives, and the order of the calls. Plain C++ with no
// dependencies, shared by dyconv-compile (which fills it in) and the runtime
// (which reads it back from the artifact, see Artifact.h).
//
// Batch-dependent sizes are written as "per sample": a dimension `d` in a
// shape is either a fixed extent (d >= 0) or, when negative, `-d` times the
// batch size at run time (so -1 is the batch itself and -512 a flattened
// [batch*512]). Arena offsets are per-sample byte offsets: a tensor of the
// arena starts at `offset * batch` bytes, which is valid because every
// arena tensor's size is proportional to the batch.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_RUNTIME_PLAN_H
#define DYCONV_RUNTIME_PLAN_H

#include <climits>
#include <cstdint>
#include <string>
#include <vector>

namespace dyconv {

/// Where a tensor's bytes are.
enum class Storage : uint32_t {
  Input = 0,  ///< the caller's input buffer number `index`
  Arena = 1,  ///< the run's arena at `offset * batch`
  Weight = 2, ///< the weight section at byte `offset`
};

/// One float32 tensor of the plan.
struct PlanTensor {
  Storage storage = Storage::Arena;
  uint32_t index = 0;  ///< Storage::Input only
  uint64_t offset = 0; ///< Arena: per-sample bytes; Weight: bytes
  /// Row-major shape; negative dimensions are per-sample (see above).
  std::vector<int64_t> shape;
};

/// How a kernel uses one of its arguments.
enum class Access : uint32_t {
  Read = 0,  ///< the kernel only reads the buffer
  Write = 1, ///< the kernel writes every element and reads none
};

/// One argument of a kernel's signature.
struct KernelArgument {
  uint32_t rank = 0;
  Access access = Access::Read;
};

inline bool operator==(const KernelArgument &a, const KernelArgument &b) {
  return a.rank == b.rank && a.access == b.access;
}

/// A kernel of the artifact's library: the symbol of its `_argv` entry
/// point (`int symbol(void **args)`, Halide's argv calling convention) in
/// the library's kernel table (KernelTable.h), and the signature it was
/// compiled for, which every step calling it must match.
struct PlanKernel {
  std::string symbol;
  std::vector<KernelArgument> arguments;
};

inline bool operator==(const PlanKernel &a, const PlanKernel &b) {
  return a.symbol == b.symbol && a.arguments == b.arguments;
}

/// One kernel call: `kernel` indexes Plan::kernels, `args` index
/// Plan::tensors, one per argument of the kernel's signature, in the
/// kernel's calling convention (dyconv/Dialect/KernelDesc.h: inputs first,
/// outputs last).
struct PlanStep {
  uint32_t kernel = 0;
  std::vector<uint32_t> args;
};

/// A model input or output: its name and the tensor holding it.
struct PlanBinding {
  std::string name;
  uint32_t tensor = 0;
};

struct Plan {
  std::vector<PlanKernel> kernels;
  std::vector<PlanTensor> tensors;
  std::vector<PlanStep> steps;
  std::vector<PlanBinding> inputs, outputs;
  /// Bytes of arena per sample.
  uint64_t arenaBytesPerSample = 0;
  /// The only batch size the model accepts, or 0 for any.
  int64_t fixedBatch = 0;
  /// The compilation target, e.g. "x86-64-avx2" (informational).
  std::string target;
};

/// The extent of shape dimension \p dim at batch size \p batch.
inline int64_t resolveDim(int64_t dim, int64_t batch) {
  return dim >= 0 ? dim : -dim * batch;
}

/// The number of elements of \p shape at batch size \p batch (>= 1); false
/// if a dimension is out of range or the count overflows 64 bits.
inline bool resolveElementCount(const std::vector<int64_t> &shape,
                                int64_t batch, uint64_t &count) {
  count = 1;
  for (int64_t dim : shape) {
    if (dim == INT64_MIN || batch < 1)
      return false;
    uint64_t extent = static_cast<uint64_t>(dim >= 0 ? dim : -dim);
    if ((dim < 0 && __builtin_mul_overflow(extent, static_cast<uint64_t>(batch),
                                           &extent)) ||
        __builtin_mul_overflow(count, extent, &count))
      return false;
  }
  return true;
}

} // namespace dyconv

#endif // DYCONV_RUNTIME_PLAN_H
