//===- Kernels.cpp - dispatch from kernel descriptors to builders ---------===//

#include "Builders.h"

namespace mlir::dyconv::codegen {

namespace {
/// Overload set for std::visit over the descriptor families.
struct BuildVisitor {
  const Halide::Target &target;
  KernelPipeline operator()(const ConvKernel &d) const {
    return buildConv(d, target);
  }
  KernelPipeline operator()(const ODConvAttentionKernel &d) const {
    return buildODConvAttention(d, target);
  }
  KernelPipeline operator()(const AggregateKernel &d) const {
    return buildAggregate(d, target);
  }
  KernelPipeline operator()(const KWAttentionKernel &d) const {
    return buildKWAttention(d, target);
  }
  KernelPipeline operator()(const KWAssembleKernel &d) const {
    return buildKWAssemble(d, target);
  }
  KernelPipeline operator()(const DDFKernel &d) const {
    return buildDDF(d, target);
  }
  KernelPipeline operator()(const FilterNormKernel &d) const {
    return buildFilterNorm(d, target);
  }
  KernelPipeline operator()(const PoolKernel &d) const {
    return buildPool(d, target);
  }
  KernelPipeline operator()(const LinearKernel &d) const {
    return buildLinear(d, target);
  }
  KernelPipeline operator()(const ElementwiseKernel &d) const {
    return buildElementwise(d, target);
  }
  KernelPipeline operator()(const ChannelAffineKernel &d) const {
    return buildChannelAffine(d, target);
  }
  KernelPipeline operator()(const SoftmaxKernel &d) const {
    return buildSoftmax(d, target);
  }
  KernelPipeline operator()(const LayerNormKernel &d) const {
    return buildLayerNorm(d, target);
  }
  KernelPipeline operator()(const ConcatKernel &d) const {
    return buildConcat(d, target);
  }
};
} // namespace

KernelPipeline buildKernel(const KernelDesc &desc,
                           const Halide::Target &target) {
  return std::visit(BuildVisitor{target}, desc);
}

std::string describeKernel(const KernelDesc &desc) {
  return std::visit([](const auto &d) { return describe(d); }, desc);
}

} // namespace mlir::dyconv::codegen
