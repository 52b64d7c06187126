// RUN: dyconv-opt %s -dyconv-fold-batchnorm -dyconv-fuse-epilogues | FileCheck %s \
// RUN:   --implicit-check-not=dyconv.channel_affine --implicit-check-not=dyconv.batch_norm \
// RUN:   --implicit-check-not=dyconv.relu --implicit-check-not=dyconv.dynamic_conv2d

// A batch norm after a dynamic_conv2d cannot be folded into its per-sample
// kernel: dyconv-fold-batchnorm makes it a channel_affine, and
// dyconv-fuse-epilogues makes that the fused conv's epilogue scale and shift,
// with the ReLU after it. No pass over the activation is left.
//   gamma = [3, 0.5], beta = [1, -1], mean = [0.5, 2], var = [3, 0], eps = 1
//   scale = gamma / sqrt(var + eps) = [1.5, 0.5]
//   shift = beta - mean * scale     = [0.25, -2]
// CHECK-LABEL: func.func @bn_after_dynamic_conv
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x2x4x4xf32>, %[[W:[^:]*]]: tensor<?x2x2x3x3xf32>)
// CHECK-DAG: %[[S:.*]] = arith.constant dense<[1.500000e+00, 5.000000e-01]> : tensor<2xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[2.500000e-01, -2.000000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = dyconv.fused_conv2d %[[X]], %[[W]] scale %[[S]] bias %[[B]] {activation = #dyconv<activation relu>, padding = array<i64: 1, 1, 1, 1>} : (tensor<?x2x4x4xf32>, tensor<?x2x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<?x2x4x4xf32>
// CHECK: return %[[Y]]
func.func @bn_after_dynamic_conv(%x: tensor<?x2x4x4xf32>, %w: tensor<?x2x2x3x3xf32>) -> tensor<?x2x4x4xf32> {
  %gamma = arith.constant dense<[3.0, 0.5]> : tensor<2xf32>
  %beta = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[0.5, 2.0]> : tensor<2xf32>
  %var = arith.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %0 = dyconv.dynamic_conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>}
      : (tensor<?x2x4x4xf32>, tensor<?x2x2x3x3xf32>) -> tensor<?x2x4x4xf32>
  %1 = dyconv.batch_norm %0, %gamma, %beta, %mean, %var {epsilon = 1.0 : f64}
      : (tensor<?x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<?x2x4x4xf32>
  %2 = dyconv.relu %1 : tensor<?x2x4x4xf32>
  return %2 : tensor<?x2x4x4xf32>
}
