// RUN: dyconv-opt %s -split-input-file -verify-diagnostics -dyconv-raise-onnx-dynamic-conv | FileCheck %s

// The written-out LayerNorm, GELU and layer scale: each base case is raised,
// and each near miss, which changes one thing in it, is left as it is.

// LayerNorm over the last axis with a weight and a bias.
// CHECK-LABEL: func.func @layer_norm
// CHECK: %[[Y:.*]] = dyconv.layer_norm %arg0, %{{.*}}, %{{.*}} {axis = 2 : i64, epsilon = 9.9999999747524271E-7 : f64}
// CHECK-NEXT: return %[[Y]]
// expected-remark@+1 {{raised 0 ddf, 0 filter_norm, 1 layer_norm, 0 gelu and 0 layer scale patterns}}
func.func @layer_norm(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %eps = arith.constant dense<1.0e-6> : tensor<f32>
  %w = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %b = arith.constant dense<0.5> : tensor<4xf32>
  %m = dyconv.reduce_mean %x {axes = array<i64: -1>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
  %d = dyconv.sub %x, %m : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32>
  %sq = dyconv.mul %d, %d : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %v = dyconv.reduce_mean %sq {axes = array<i64: -1>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
  %ve = dyconv.add %v, %eps : (tensor<2x3x1xf32>, tensor<f32>) -> tensor<2x3x1xf32>
  %s = dyconv.sqrt %ve : tensor<2x3x1xf32>
  %n = dyconv.div %d, %s : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32>
  %nw = dyconv.mul %n, %w : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  %y = dyconv.add %nw, %b : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

// The variance over another axis than the mean.
// CHECK-LABEL: func.func @layer_norm_variance_axis
// CHECK-NOT: dyconv.layer_norm
func.func @layer_norm_variance_axis(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %eps = arith.constant dense<1.0e-6> : tensor<f32>
  %m = dyconv.reduce_mean %x {axes = array<i64: -1>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
  %d = dyconv.sub %x, %m : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32>
  %sq = dyconv.mul %d, %d : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %v = dyconv.reduce_mean %sq {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  %ve = dyconv.add %v, %eps : (tensor<2x1x4xf32>, tensor<f32>) -> tensor<2x1x4xf32>
  %s = dyconv.sqrt %ve : tensor<2x1x4xf32>
  %y = dyconv.div %d, %s : (tensor<2x3x4xf32>, tensor<2x1x4xf32>) -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

// The square of x instead of the centred x.
// CHECK-LABEL: func.func @layer_norm_uncentred_square
// CHECK-NOT: dyconv.layer_norm
func.func @layer_norm_uncentred_square(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %eps = arith.constant dense<1.0e-6> : tensor<f32>
  %m = dyconv.reduce_mean %x {axes = array<i64: -1>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
  %d = dyconv.sub %x, %m : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32>
  %sq = dyconv.mul %x, %x : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %v = dyconv.reduce_mean %sq {axes = array<i64: -1>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
  %ve = dyconv.add %v, %eps : (tensor<2x3x1xf32>, tensor<f32>) -> tensor<2x3x1xf32>
  %s = dyconv.sqrt %ve : tensor<2x3x1xf32>
  %y = dyconv.div %d, %s : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

// A weight that varies along an axis that is not normalised stays a mul
// after the raised layer_norm.
// CHECK-LABEL: func.func @layer_norm_outer_weight
// CHECK: %[[N:.*]] = dyconv.layer_norm
// CHECK-NEXT: dyconv.mul %[[N]]
// expected-remark@+1 {{raised 0 ddf, 0 filter_norm, 1 layer_norm, 0 gelu and 0 layer scale patterns}}
func.func @layer_norm_outer_weight(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %eps = arith.constant dense<1.0e-6> : tensor<f32>
  %w = arith.constant dense<[[1.0], [2.0], [3.0]]> : tensor<3x1xf32>
  %m = dyconv.reduce_mean %x {axes = array<i64: -1>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
  %d = dyconv.sub %x, %m : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32>
  %sq = dyconv.mul %d, %d : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %v = dyconv.reduce_mean %sq {axes = array<i64: -1>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
  %ve = dyconv.add %v, %eps : (tensor<2x3x1xf32>, tensor<f32>) -> tensor<2x3x1xf32>
  %s = dyconv.sqrt %ve : tensor<2x3x1xf32>
  %n = dyconv.div %d, %s : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32>
  %y = dyconv.mul %n, %w : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

// GELU, the Erf form, operands in any order.
// CHECK-LABEL: func.func @gelu
// CHECK: %[[Y:.*]] = dyconv.gelu %arg0 : tensor<2x3xf32>
// CHECK-NEXT: return %[[Y]]
// expected-remark@+1 {{raised 0 ddf, 0 filter_norm, 0 layer_norm, 1 gelu and 0 layer scale patterns}}
func.func @gelu(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %root2 = arith.constant dense<1.41421354> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %half = arith.constant dense<0.5> : tensor<f32>
  %a = dyconv.div %x, %root2 : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %e = dyconv.erf %a : tensor<2x3xf32>
  %p = dyconv.add %one, %e : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %xp = dyconv.mul %p, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = dyconv.mul %xp, %half : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// A half that is not exactly PyTorch's.
// CHECK-LABEL: func.func @gelu_other_constant
// CHECK-NOT: dyconv.gelu
func.func @gelu_other_constant(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %root2 = arith.constant dense<1.41421354> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %half = arith.constant dense<0.4> : tensor<f32>
  %a = dyconv.div %x, %root2 : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %e = dyconv.erf %a : tensor<2x3xf32>
  %p = dyconv.add %one, %e : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %xp = dyconv.mul %p, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = dyconv.mul %xp, %half : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// The erf of another value than x / sqrt(2).
// CHECK-LABEL: func.func @gelu_other_argument
// CHECK-NOT: dyconv.gelu
func.func @gelu_other_argument(%x: tensor<2x3xf32>, %z: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %root2 = arith.constant dense<1.41421354> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %half = arith.constant dense<0.5> : tensor<f32>
  %a = dyconv.div %z, %root2 : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %e = dyconv.erf %a : tensor<2x3xf32>
  %p = dyconv.add %one, %e : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %xp = dyconv.mul %p, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = dyconv.mul %xp, %half : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// A layer scale: a per-channel constant times a 4-D value.
// CHECK-LABEL: func.func @layer_scale
// CHECK: dyconv.channel_affine %arg0
// expected-remark@+1 {{raised 0 ddf, 0 filter_norm, 0 layer_norm, 0 gelu and 1 layer scale patterns}}
func.func @layer_scale(%x: tensor<2x3x4x4xf32>) -> tensor<2x3x4x4xf32> {
  %g = arith.constant dense<[[[0.5]], [[0.25]], [[2.0]]]> : tensor<3x1x1xf32>
  %y = dyconv.mul %g, %x : (tensor<3x1x1xf32>, tensor<2x3x4x4xf32>) -> tensor<2x3x4x4xf32>
  return %y : tensor<2x3x4x4xf32>
}

// -----

// A constant that varies along the width is no layer scale.
// CHECK-LABEL: func.func @layer_scale_width
// CHECK-NOT: dyconv.channel_affine
func.func @layer_scale_width(%x: tensor<2x3x4x4xf32>) -> tensor<2x3x4x4xf32> {
  %g = arith.constant dense<[0.5, 0.25, 2.0, 1.0]> : tensor<4xf32>
  %y = dyconv.mul %g, %x : (tensor<4xf32>, tensor<2x3x4x4xf32>) -> tensor<2x3x4x4xf32>
  return %y : tensor<2x3x4x4xf32>
}
