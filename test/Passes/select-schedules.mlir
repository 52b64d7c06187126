// RUN: dyconv-opt %s -split-input-file -dyconv-assign-layouts=target=x86-64-avx512 -dyconv-select-schedules=target=x86-64-avx512 | FileCheck %s --check-prefix=AVX512
// RUN: dyconv-opt %s -split-input-file -dyconv-assign-layouts=target=x86-64-avx2 -dyconv-select-schedules=target=x86-64-avx2 | FileCheck %s --check-prefix=AVX2
// RUN: dyconv-opt %s -split-input-file -dyconv-select-schedules=target=x86-64-avx512 | FileCheck %s --check-prefix=PLAIN
// RUN: not dyconv-opt %s -dyconv-select-schedules=target=riscv 2>&1 | FileCheck %s --check-prefix=BAD

// Every fused_conv2d gets the tile of its kind, from the cost model of
// ConvSchedule.h, for the target's registers (32 of 16 lanes on AVX-512,
// 16 of 8 on AVX2) and caches. A 3x3 conv on blocked activations gets
// [columns, rows, blocks] of one register tile (8 x 1 x 2 = 16 accumulators
// of the 32 AVX-512 registers, 4 x 1 x 2 = 8 of the 16 AVX2 ones), then the
// input blocks of a reduction chunk (the most whose weights fit 24 KiB of
// L1: one 16 x 9 x 2 x 16 block is 18 KiB on AVX-512, four 8 x 9 x 2 x 8
// blocks 18 KiB on AVX2) and the rows of a task (a strip of accumulators
// within 16 KiB: 2 rows of 56 x 2 blocks on AVX-512, 4 on AVX2); a depthwise
// conv on blocked activations [columns, rows] of one channel block; a
// grouped conv (NCHW) [lanes, output channels, columns, rows] with vectors
// along x.
// AVX512-LABEL: func.func @schedules
// AVX512: dyconv.fused_conv2d {{.*}}schedule = #dyconv.conv_schedule<blocked, tile = [8, 1, 2, 1, 2]>
// AVX512: dyconv.fused_conv2d {{.*}}groups = 64 : i64, padding = array<i64: 1, 1, 1, 1>, schedule = #dyconv.conv_schedule<blocked_depthwise, tile = [8, 1]>
// AVX512: dyconv.fused_conv2d {{.*}}groups = 2 : i64, schedule = #dyconv.conv_schedule<x_vectors, tile = [16, 4, 32, 3]>
// AVX2-LABEL: func.func @schedules
// AVX2: dyconv.fused_conv2d {{.*}}schedule = #dyconv.conv_schedule<blocked, tile = [4, 1, 2, 4, 4]>
// AVX2: dyconv.fused_conv2d {{.*}}schedule = #dyconv.conv_schedule<blocked_depthwise, tile = [6, 1]>
// AVX2: dyconv.fused_conv2d {{.*}}schedule = #dyconv.conv_schedule<x_vectors, tile = [8, 5, 8, 3]>

// Without dyconv-assign-layouts the activations are NCHW: the NCHW kinds.
// PLAIN: dyconv.fused_conv2d {{.*}}schedule = #dyconv.conv_schedule<x_vectors, tile = [16, 4, 32, 3]>
// PLAIN: dyconv.fused_conv2d {{.*}}schedule = #dyconv.conv_schedule<depthwise, tile = []>
// PLAIN: dyconv.fused_conv2d {{.*}}schedule = #dyconv.conv_schedule<x_vectors, tile = [16, 4, 32, 3]>

// BAD: error: unknown target 'riscv'
func.func @schedules(%x: tensor<?x64x56x56xf32>) -> (tensor<?x64x56x56xf32>, tensor<?x64x56x56xf32>, tensor<?x64x56x56xf32>) {
  %w3 = arith.constant dense<0.1> : tensor<64x64x3x3xf32>
  %wd = arith.constant dense<0.1> : tensor<64x1x3x3xf32>
  %wg = arith.constant dense<0.1> : tensor<64x32x1x1xf32>
  %0 = dyconv.fused_conv2d %x, %w3 {padding = array<i64: 1, 1, 1, 1>} : (tensor<?x64x56x56xf32>, tensor<64x64x3x3xf32>) -> tensor<?x64x56x56xf32>
  %1 = dyconv.fused_conv2d %0, %wd {padding = array<i64: 1, 1, 1, 1>, groups = 64 : i64} : (tensor<?x64x56x56xf32>, tensor<64x1x3x3xf32>) -> tensor<?x64x56x56xf32>
  %2 = dyconv.fused_conv2d %0, %wg {groups = 2 : i64} : (tensor<?x64x56x56xf32>, tensor<64x32x1x1xf32>) -> tensor<?x64x56x56xf32>
  return %0, %1, %2 : tensor<?x64x56x56xf32>, tensor<?x64x56x56xf32>, tensor<?x64x56x56xf32>
}

// -----

// A schedule already on the op (set by hand or by an earlier run) is kept.
// AVX512-LABEL: func.func @kept
// AVX512: schedule = #dyconv.conv_schedule<blocked, tile = [1, 1, 1, 1, 1]>
func.func @kept(%x: tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32> {
  %w = arith.constant dense<0.1> : tensor<16x16x1x1xf32>
  %0 = dyconv.fused_conv2d %x, %w {schedule = #dyconv.conv_schedule<blocked, tile = [1, 1, 1, 1, 1]>} : (tensor<1x16x4x4xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x4x4xf32>
  return %0 : tensor<1x16x4x4xf32>
}
