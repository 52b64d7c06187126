//===- Kernels.cpp - dispatch from kernel descriptors to builders ---------===//

#include "Builders.h"
#include "LayoutAccess.h"

#include "dyconv/Codegen/Codegen.h"

namespace mlir::dyconv::codegen {

namespace {

/// Overload set for std::visit over the kernel families: the families that
/// store some arguments in other layouts get the descriptor's layouts (and
/// check them), the others must have plain arguments only.
struct BuildVisitor {
  const KernelDesc &desc;
  const Halide::Target &target;

  KernelPipeline operator()(const ConvKernel &d) const {
    return buildConv(d, desc.layouts, target);
  }
  KernelPipeline operator()(const ConvertLayoutKernel &d) const {
    return buildConvertLayout(d, desc.layouts, target);
  }
  template <typename Family>
  KernelPipeline plain(const Family &d,
                       KernelPipeline (*build)(const Family &,
                                               const Halide::Target &)) const {
    requirePlain(desc, describe(d));
    return build(d, target);
  }
  KernelPipeline operator()(const ODConvAttentionKernel &d) const {
    return buildODConvAttention(d, desc.layouts, target);
  }
  KernelPipeline operator()(const AggregateKernel &d) const {
    return buildAggregate(d, desc.layouts, target);
  }
  KernelPipeline operator()(const KWAttentionKernel &d) const {
    return buildKWAttention(d, desc.layouts, target);
  }
  KernelPipeline operator()(const KWAssembleKernel &d) const {
    return plain(d, buildKWAssemble);
  }
  KernelPipeline operator()(const DDFKernel &d) const {
    return plain(d, buildDDF);
  }
  KernelPipeline operator()(const FilterNormKernel &d) const {
    return plain(d, buildFilterNorm);
  }
  KernelPipeline operator()(const PoolKernel &d) const {
    return buildPool(d, desc.layouts, target);
  }
  KernelPipeline operator()(const LinearKernel &d) const {
    return plain(d, buildLinear);
  }
  KernelPipeline operator()(const ElementwiseKernel &d) const {
    return buildElementwise(d, desc.layouts, target);
  }
  KernelPipeline operator()(const ChannelAffineKernel &d) const {
    return buildChannelAffine(d, desc.layouts, target);
  }
  KernelPipeline operator()(const SoftmaxKernel &d) const {
    return plain(d, buildSoftmax);
  }
  KernelPipeline operator()(const LayerNormKernel &d) const {
    return plain(d, buildLayerNorm);
  }
  KernelPipeline operator()(const ConcatKernel &d) const {
    return plain(d, buildConcat);
  }
  KernelPipeline operator()(const TransposeKernel &d) const {
    return plain(d, buildTranspose);
  }
  KernelPipeline operator()(const SliceKernel &d) const {
    return plain(d, buildSlice);
  }
  KernelPipeline operator()(const PadKernel &d) const {
    return plain(d, buildPad);
  }
  KernelPipeline operator()(const ReduceKernel &d) const {
    return plain(d, buildReduce);
  }
  KernelPipeline operator()(const MatMulKernel &d) const {
    return plain(d, buildMatMul);
  }
};

} // namespace

KernelPipeline buildKernel(const KernelDesc &desc,
                           const Halide::Target &target) {
  return std::visit(BuildVisitor{desc, target}, desc.family);
}

std::string describeKernel(const KernelDesc &desc) {
  return std::visit([](const auto &d) { return describe(d); }, desc.family);
}

} // namespace mlir::dyconv::codegen
