//===- ConvCommon.h - what the convolution schedules share ------*- C++ -*-===//
//
// Internal to DyConvCodegen: the checked geometry of a ConvKernel and its
// epilogue, shared by the NCHW schedules (ConvKernel.cpp) and the blocked
// ones (BlockedConvKernel.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef DYCONV_CODEGEN_LIB_CONVCOMMON_H
#define DYCONV_CODEGEN_LIB_CONVCOMMON_H

#include "Builders.h"

namespace mlir::dyconv::codegen {

/// The shape facts of one convolution, as ints for Halide expressions.
struct ConvGeometry {
  int inW, inH, inC;    ///< input extents
  int outW, outH, outC; ///< output extents
  int kernelW, kernelH; ///< taps
  int strideX, strideY;
  int dilationX, dilationY;
  int padLeft, padTop;
  int inPerGroup, outPerGroup;
  bool padded; ///< some padding is non-zero
  bool depthwise() const { return inPerGroup == 1; }
};

/// Checks `desc` and derives its geometry; throws Halide::CompileError for
/// descriptors that do not describe a convolution.
ConvGeometry analyzeConv(const ConvKernel &desc);

/// The tile of `desc`, checked to have the positive extents its schedule
/// kind lists (scheduleTileSize).
std::vector<int> convTile(const ConvKernel &desc);

/// The epilogue of `desc` applied to the accumulator `acc`: * scale, + bias,
/// + residual, activation, each operand read by the caller.
Halide::Expr applyEpilogue(const Epilogue &epilogue, Halide::Expr acc,
                           Halide::Expr scale, Halide::Expr bias,
                           Halide::Expr residual);

/// The NCHW convolution of `desc` (schedules XVectors and Depthwise).
KernelPipeline buildPlainConv(const ConvKernel &desc, const ConvGeometry &g,
                              const Halide::Target &target);

/// The convolution of `desc` on channel-blocked tensors (schedules Blocked
/// and BlockedDepthwise), `layouts` those of its arguments.
KernelPipeline buildBlockedConv(const ConvKernel &desc, const ConvGeometry &g,
                                const std::vector<Layout> &layouts,
                                const Halide::Target &target);

} // namespace mlir::dyconv::codegen

#endif // DYCONV_CODEGEN_LIB_CONVCOMMON_H
