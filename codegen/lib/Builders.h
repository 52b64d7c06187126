//===- Builders.h - one Halide builder per kernel family --------*- C++ -*-===//
//
// Internal to DyConvCodegen: buildKernel (Kernels.cpp) dispatches on the
// descriptor to these. Each builder writes the algorithm and its schedule for
// the given target, and follows the calling convention of
// dyconv/Dialect/KernelDesc.h.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_CODEGEN_LIB_BUILDERS_H
#define DYCONV_CODEGEN_LIB_BUILDERS_H

#include "dyconv/Dialect/KernelDesc.h"

#include "Halide.h"

#include <string>

namespace mlir::dyconv::codegen {

/// The batch extent in descriptor shapes: the IR's dynamic extent, read from
/// the buffers at run time.
inline constexpr int64_t kBatch = ShapedType::kDynamic;

/// A Halide pipeline ready to JIT-run or to compile ahead of time.
struct KernelPipeline {
  Halide::Pipeline pipeline;
  /// The input buffers in calling-convention order.
  std::vector<Halide::ImageParam> inputs;
};

/// Builds the pipeline of \p desc, scheduled for \p target. Throws
/// Halide::CompileError for descriptors it cannot build.
KernelPipeline buildKernel(const KernelDesc &desc,
                           const Halide::Target &target);

// ConvKernel.cpp (dispatching to BlockedConvKernel.cpp)
KernelPipeline buildConv(const ConvKernel &desc,
                         const std::vector<Layout> &layouts,
                         const Halide::Target &target);

// LayoutKernels.cpp
KernelPipeline buildConvertLayout(const ConvertLayoutKernel &desc,
                                  const std::vector<Layout> &layouts,
                                  const Halide::Target &target);

// ODConvKernels.cpp
KernelPipeline buildODConvAttention(const ODConvAttentionKernel &desc,
                                    const std::vector<Layout> &layouts,
                                    const Halide::Target &target);
KernelPipeline buildAggregate(const AggregateKernel &desc,
                              const std::vector<Layout> &layouts,
                              const Halide::Target &target);

// KWKernels.cpp
KernelPipeline buildKWAttention(const KWAttentionKernel &desc,
                                const std::vector<Layout> &layouts,
                                const Halide::Target &target);
KernelPipeline buildKWAssemble(const KWAssembleKernel &desc,
                               const Halide::Target &target);

// DDFKernels.cpp
KernelPipeline buildDDF(const DDFKernel &desc, const Halide::Target &target);
KernelPipeline buildFilterNorm(const FilterNormKernel &desc,
                               const Halide::Target &target);

// PoolKernels.cpp
KernelPipeline buildPool(const PoolKernel &desc,
                         const std::vector<Layout> &layouts,
                         const Halide::Target &target);

// DenseKernels.cpp
KernelPipeline buildLinear(const LinearKernel &desc,
                           const Halide::Target &target);
KernelPipeline buildSoftmax(const SoftmaxKernel &desc,
                            const Halide::Target &target);
KernelPipeline buildLayerNorm(const LayerNormKernel &desc,
                              const Halide::Target &target);

// ElementwiseKernels.cpp
KernelPipeline buildElementwise(const ElementwiseKernel &desc,
                                const std::vector<Layout> &layouts,
                                const Halide::Target &target);
KernelPipeline buildChannelAffine(const ChannelAffineKernel &desc,
                                  const std::vector<Layout> &layouts,
                                  const Halide::Target &target);
KernelPipeline buildConcat(const ConcatKernel &desc,
                           const Halide::Target &target);

// ShapeKernels.cpp
KernelPipeline buildTranspose(const TransposeKernel &desc,
                              const Halide::Target &target);
KernelPipeline buildSlice(const SliceKernel &desc,
                          const Halide::Target &target);
KernelPipeline buildPad(const PadKernel &desc, const Halide::Target &target);
KernelPipeline buildReduce(const ReduceKernel &desc,
                           const Halide::Target &target);
KernelPipeline buildMatMul(const MatMulKernel &desc,
                           const Halide::Target &target);

// Each family's describe line for progress output (same files).
std::string describe(const ConvKernel &desc);
std::string describe(const ODConvAttentionKernel &desc);
std::string describe(const AggregateKernel &desc);
std::string describe(const KWAttentionKernel &desc);
std::string describe(const KWAssembleKernel &desc);
std::string describe(const DDFKernel &desc);
std::string describe(const FilterNormKernel &desc);
std::string describe(const PoolKernel &desc);
std::string describe(const LinearKernel &desc);
std::string describe(const ElementwiseKernel &desc);
std::string describe(const ChannelAffineKernel &desc);
std::string describe(const SoftmaxKernel &desc);
std::string describe(const LayerNormKernel &desc);
std::string describe(const ConcatKernel &desc);
std::string describe(const ConvertLayoutKernel &desc);
std::string describe(const TransposeKernel &desc);
std::string describe(const SliceKernel &desc);
std::string describe(const PadKernel &desc);
std::string describe(const ReduceKernel &desc);
std::string describe(const MatMulKernel &desc);

} // namespace mlir::dyconv::codegen

#endif // DYCONV_CODEGEN_LIB_BUILDERS_H
