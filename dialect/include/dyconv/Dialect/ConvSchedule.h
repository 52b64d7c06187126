//===- ConvSchedule.h - choosing a convolution's register tile --*- C++ -*-===//
//
// The cost model behind dyconv-select-schedules: for a convolution and a
// target, which schedule kind and register tile codegen uses. Plain C++ on
// descriptors, so that the pass and the kernel tests choose alike.
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_DIALECT_CONVSCHEDULE_H
#define DYCONV_DIALECT_CONVSCHEDULE_H

#include "dyconv/Dialect/KernelDesc.h"
#include "dyconv/Dialect/TargetDesc.h"

namespace mlir::dyconv {

/// How many extents the tile of a `kind` schedule lists (ConvScheduleAttr).
size_t scheduleTileSize(ConvScheduleKind kind);

/// Whether a convolution can run on channel-blocked tensors: no groups, or
/// depthwise.
bool hasBlockedSchedule(const ConvKernel &desc);

/// Whether a blocked convolution reads its input NCHW rather than blocked:
/// a stem on a few image channels, which blocks would mostly pad.
bool readsPlainInput(const ConvKernel &desc);

/// The layouts of the arguments (calling-convention order) of `desc` on
/// channel-blocked tensors of `block` lanes: activations `<[1] x [block]>`
/// (the input plain when readsPlainInput), weights packed in the order the
/// reduction reads them, scale and bias `<[0] x [block]>`.
std::vector<Layout> blockedConvLayouts(const ConvKernel &desc, int64_t block);

/// How many attention operands a conv that aggregates its kernels reads
/// (0 for any other conv).
size_t aggregationAttentions(const ConvKernel &desc);

/// Whether the blocked conv `desc` (its schedule chosen) should aggregate
/// its per-sample kernels from a bank of `kernels` itself, at `batch`
/// samples (dynamic: 1, the latency case), rather than read them from an
/// `aggregate` kernel. Fused, each chunk of kernels is aggregated once per
/// row strip and never written; apart, the aggregate reads the bank once for
/// all samples but writes and the conv reads every sample's kernels.
bool aggregatesInConv(const ConvKernel &desc, int64_t kernels, int64_t batch);

/// Sets `desc.schedule` and `desc.tile` for `target`: a blocked schedule
/// when `blocked` (its activations channel-blocked), an NCHW one otherwise.
void chooseConvSchedule(ConvKernel &desc, bool blocked,
                        const TargetDesc &target);

} // namespace mlir::dyconv

#endif // DYCONV_DIALECT_CONVSCHEDULE_H
