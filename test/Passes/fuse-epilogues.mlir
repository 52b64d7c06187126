// RUN: dyconv-opt %s -dyconv-fuse-epilogues -split-input-file | FileCheck %s

// A conv2d alone becomes a fused_conv2d with the same operands and
// attributes and no epilogue.
// CHECK-LABEL: func.func @conv_only
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x2x8x8xf32>, %[[W:[^:]*]]: tensor<4x1x3x3xf32>, %[[B:[^:]*]]: tensor<4xf32>)
// CHECK: %[[Y:.*]] = dyconv.fused_conv2d %[[X]], %[[W]] bias %[[B]] {dilation = array<i64: 1, 2>, groups = 2 : i64, padding = array<i64: 1, 2, 1, 2>, stride = array<i64: 2, 2>} : (tensor<1x2x8x8xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
// CHECK-NOT: activation
// CHECK-NOT: dyconv.conv2d
// CHECK: return %[[Y]]
func.func @conv_only(%x: tensor<1x2x8x8xf32>, %w: tensor<4x1x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x4x4xf32> {
  %0 = dyconv.conv2d %x, %w, %b {stride = array<i64: 2, 2>, padding = array<i64: 1, 2, 1, 2>,
                                  dilation = array<i64: 1, 2>, groups = 2}
      : (tensor<1x2x8x8xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// A [Cout, 1, 1] constant added to a bias-free conv becomes the bias [Cout].
// CHECK-LABEL: func.func @bias_c11
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x2x4x4xf32>, %[[W:[^:]*]]: tensor<3x2x1x1xf32>)
// CHECK: %[[B:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK: %[[Y:.*]] = dyconv.fused_conv2d %[[X]], %[[W]] bias %[[B]] : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
// CHECK-NOT: dyconv.add
// CHECK: return %[[Y]]
func.func @bias_c11(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x1x1xf32>) -> tensor<1x3x4x4xf32> {
  %c = arith.constant dense<[[[1.0]], [[2.0]], [[3.0]]]> : tensor<3x1x1xf32>
  %0 = dyconv.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x4x4xf32>
  %1 = dyconv.add %0, %c : (tensor<1x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32>
  return %1 : tensor<1x3x4x4xf32>
}

// -----

// A [1, Cout, 1, 1] constant on the left of the add, summed with the conv's
// existing constant bias: [0.5, -1, 2] + [1, 2, 3] = [1.5, 1, 5].
// CHECK-LABEL: func.func @bias_1c11_lhs_summed
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x2x4x4xf32>, %[[W:[^:]*]]: tensor<3x2x1x1xf32>)
// CHECK: %[[B:.*]] = arith.constant dense<[1.500000e+00, 1.000000e+00, 5.000000e+00]> : tensor<3xf32>
// CHECK: %[[Y:.*]] = dyconv.fused_conv2d %[[X]], %[[W]] bias %[[B]] : (tensor<?x2x4x4xf32>, tensor<3x2x1x1xf32>, tensor<3xf32>) -> tensor<?x3x4x4xf32>
// CHECK-NOT: dyconv.add
// CHECK: return %[[Y]]
func.func @bias_1c11_lhs_summed(%x: tensor<?x2x4x4xf32>, %w: tensor<3x2x1x1xf32>) -> tensor<?x3x4x4xf32> {
  %b = arith.constant dense<[0.5, -1.0, 2.0]> : tensor<3xf32>
  %c = arith.constant dense<[[[[1.0]], [[2.0]], [[3.0]]]]> : tensor<1x3x1x1xf32>
  %0 = dyconv.conv2d %x, %w, %b : (tensor<?x2x4x4xf32>, tensor<3x2x1x1xf32>, tensor<3xf32>) -> tensor<?x3x4x4xf32>
  %1 = dyconv.add %c, %0 : (tensor<1x3x1x1xf32>, tensor<?x3x4x4xf32>) -> tensor<?x3x4x4xf32>
  return %1 : tensor<?x3x4x4xf32>
}

// -----

// Two bias adds in a row, [Cout, 1, 1] then [1, Cout, 1, 1]: both fold into
// one bias, [1, 2, 3] + [10, 20, 30] = [11, 22, 33].
// CHECK-LABEL: func.func @two_bias_adds
// CHECK: %[[B:.*]] = arith.constant dense<[1.100000e+01, 2.200000e+01, 3.300000e+01]> : tensor<3xf32>
// CHECK: %[[Y:.*]] = dyconv.fused_conv2d %{{.*}}, %{{.*}} bias %[[B]] :
// CHECK-NOT: dyconv.add
// CHECK: return %[[Y]]
func.func @two_bias_adds(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x1x1xf32>) -> tensor<1x3x4x4xf32> {
  %c = arith.constant dense<[[[1.0]], [[2.0]], [[3.0]]]> : tensor<3x1x1xf32>
  %d = arith.constant dense<[[[[10.0]], [[20.0]], [[30.0]]]]> : tensor<1x3x1x1xf32>
  %0 = dyconv.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x4x4xf32>
  %1 = dyconv.add %0, %c : (tensor<1x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32>
  %2 = dyconv.add %1, %d : (tensor<1x3x4x4xf32>, tensor<1x3x1x1xf32>) -> tensor<1x3x4x4xf32>
  return %2 : tensor<1x3x4x4xf32>
}

// -----

// A same-shape add becomes the residual, with the conv on either side.
// CHECK-LABEL: func.func @residual_either_order
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x2x4x4xf32>, %[[W:[^:]*]]: tensor<2x2x1x1xf32>, %[[R:[^:]*]]: tensor<1x2x4x4xf32>)
// CHECK: %[[A:.*]] = dyconv.fused_conv2d %[[X]], %[[W]] residual %[[R]] : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
// CHECK: %[[B:.*]] = dyconv.fused_conv2d %[[X]], %[[W]] residual %[[R]] : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NOT: dyconv.add
// CHECK: return %[[A]], %[[B]]
func.func @residual_either_order(%x: tensor<1x2x4x4xf32>, %w: tensor<2x2x1x1xf32>, %r: tensor<1x2x4x4xf32>)
    -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %0 = dyconv.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = dyconv.add %0, %r : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %2 = dyconv.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %3 = dyconv.add %r, %2 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %1, %3 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// add(a, b) of two convs: b is defined after a, so it cannot be a's residual;
// the add fuses into b with a as the residual, and a stays a plain fused conv.
// CHECK-LABEL: func.func @residual_defined_after_conv
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x2x4x4xf32>, %[[Y:[^:]*]]: tensor<1x2x4x4xf32>, %[[W:[^:]*]]: tensor<2x2x1x1xf32>)
// CHECK: %[[A:.*]] = dyconv.fused_conv2d %[[X]], %[[W]] :
// CHECK: %[[B:.*]] = dyconv.fused_conv2d %[[Y]], %[[W]] residual %[[A]] :
// CHECK-NOT: dyconv.add
// CHECK: return %[[B]]
func.func @residual_defined_after_conv(%x: tensor<1x2x4x4xf32>, %y: tensor<1x2x4x4xf32>, %w: tensor<2x2x1x1xf32>)
    -> tensor<1x2x4x4xf32> {
  %0 = dyconv.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = dyconv.conv2d %y, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %2 = dyconv.add %0, %1 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %2 : tensor<1x2x4x4xf32>
}

// -----

// The residual is produced by an op after the conv (a relu of the input): the
// conv cannot take it, so the add stays.
// CHECK-LABEL: func.func @residual_computed_after_conv
// CHECK: %[[C:.*]] = dyconv.fused_conv2d %{{[^ ]*}}, %{{[^ ]*}} :
// CHECK: %[[R:.*]] = dyconv.relu
// CHECK: %[[S:.*]] = dyconv.add %[[C]], %[[R]]
// CHECK: return %[[S]]
func.func @residual_computed_after_conv(%x: tensor<1x2x4x4xf32>, %w: tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32> {
  %0 = dyconv.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = dyconv.relu %x : tensor<1x2x4x4xf32>
  %2 = dyconv.add %0, %1 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %2 : tensor<1x2x4x4xf32>
}

// -----

// relu -> activation relu; clip -> activation clip with its bounds.
// CHECK-LABEL: func.func @activations
// CHECK: %[[A:.*]] = dyconv.fused_conv2d %{{.*}}, %{{.*}} {activation = #dyconv<activation relu>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
// CHECK: %[[B:.*]] = dyconv.fused_conv2d %{{.*}}, %{{.*}} {activation = #dyconv<activation clip>, clip_max = 2.500000e+00 : f32, clip_min = -1.000000e+00 : f32} :
// CHECK-NOT: dyconv.relu
// CHECK-NOT: dyconv.clip
// CHECK: return %[[A]], %[[B]]
func.func @activations(%x: tensor<1x2x4x4xf32>, %w: tensor<2x2x1x1xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %0 = dyconv.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = dyconv.relu %0 : tensor<1x2x4x4xf32>
  %2 = dyconv.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %3 = dyconv.clip %2 {min = -1.0 : f32, max = 2.5 : f32} : tensor<1x2x4x4xf32>
  return %1, %3 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// Activations after the conv's own compose: relu then clip(0, 6) (ReLU6 as
// some exports write it) is clip(0, 6); clip(-1, 4) then relu is clip(0, 4);
// clip(-2, 3) then clip(1, 5) is clip(1, 3). Disjoint clamps (clip(-2, -1)
// then relu, a constant 0) stay apart.
// CHECK-LABEL: func.func @composed_activations
// CHECK: %[[A:.*]] = dyconv.fused_conv2d {{.*}}{activation = #dyconv<activation clip>} :
// CHECK: %[[B:.*]] = dyconv.fused_conv2d {{.*}}{activation = #dyconv<activation clip>, clip_max = 4.000000e+00 : f32} :
// CHECK: %[[C:.*]] = dyconv.fused_conv2d {{.*}}{activation = #dyconv<activation clip>, clip_max = 3.000000e+00 : f32, clip_min = 1.000000e+00 : f32} :
// CHECK: %[[D:.*]] = dyconv.fused_conv2d {{.*}}{activation = #dyconv<activation clip>, clip_max = -1.000000e+00 : f32, clip_min = -2.000000e+00 : f32} :
// CHECK: %[[DR:.*]] = dyconv.relu %[[D]]
// CHECK: return %[[A]], %[[B]], %[[C]], %[[DR]]
func.func @composed_activations(%x: tensor<1x2x4x4xf32>, %w: tensor<2x2x1x1xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %0 = dyconv.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = dyconv.relu %0 : tensor<1x2x4x4xf32>
  %2 = dyconv.clip %1 {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x2x4x4xf32>
  %3 = dyconv.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %4 = dyconv.clip %3 {min = -1.0 : f32, max = 4.0 : f32} : tensor<1x2x4x4xf32>
  %5 = dyconv.relu %4 : tensor<1x2x4x4xf32>
  %6 = dyconv.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %7 = dyconv.clip %6 {min = -2.0 : f32, max = 3.0 : f32} : tensor<1x2x4x4xf32>
  %8 = dyconv.clip %7 {min = 1.0 : f32, max = 5.0 : f32} : tensor<1x2x4x4xf32>
  %9 = dyconv.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %10 = dyconv.clip %9 {min = -2.0 : f32, max = -1.0 : f32} : tensor<1x2x4x4xf32>
  %11 = dyconv.relu %10 : tensor<1x2x4x4xf32>
  return %2, %5, %8, %11 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// A dynamic_conv2d (one kernel per sample) fuses the same way: bias,
// residual and ReLU6 (clip to [0, 6], the default bounds, not printed).
// CHECK-LABEL: func.func @dynamic_conv
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x2x4x4xf32>, %[[W:[^:]*]]: tensor<?x3x2x3x3xf32>, %[[R:[^:]*]]: tensor<?x3x4x4xf32>)
// CHECK: %[[B:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK: %[[Y:.*]] = dyconv.fused_conv2d %[[X]], %[[W]] bias %[[B]] residual %[[R]] {activation = #dyconv<activation clip>, padding = array<i64: 1, 1, 1, 1>} : (tensor<?x2x4x4xf32>, tensor<?x3x2x3x3xf32>, tensor<3xf32>, tensor<?x3x4x4xf32>) -> tensor<?x3x4x4xf32>
// CHECK-NOT: dyconv.dynamic_conv2d
// CHECK-NOT: dyconv.add
// CHECK-NOT: dyconv.clip
// CHECK: return %[[Y]]
func.func @dynamic_conv(%x: tensor<?x2x4x4xf32>, %w: tensor<?x3x2x3x3xf32>, %r: tensor<?x3x4x4xf32>) -> tensor<?x3x4x4xf32> {
  %c = arith.constant dense<[[[1.0]], [[2.0]], [[3.0]]]> : tensor<3x1x1xf32>
  %0 = dyconv.dynamic_conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>}
      : (tensor<?x2x4x4xf32>, tensor<?x3x2x3x3xf32>) -> tensor<?x3x4x4xf32>
  %1 = dyconv.add %c, %0 : (tensor<3x1x1xf32>, tensor<?x3x4x4xf32>) -> tensor<?x3x4x4xf32>
  %2 = dyconv.add %r, %1 : (tensor<?x3x4x4xf32>, tensor<?x3x4x4xf32>) -> tensor<?x3x4x4xf32>
  %3 = dyconv.clip %2 {min = 0.0 : f32, max = 6.0 : f32} : tensor<?x3x4x4xf32>
  return %3 : tensor<?x3x4x4xf32>
}

// -----

// The ResNet basic block tail: conv -> add(bias) -> add(shortcut) -> relu is
// one fused_conv2d, the shortcut being the block input; the conv's own bias
// [1, 1] and the added one [0.5, -0.5] sum to [1.5, 0.5].
// CHECK-LABEL: func.func @resnet_block
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x2x4x4xf32>)
// CHECK: %[[B:.*]] = arith.constant dense<[1.500000e+00, 5.000000e-01]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = dyconv.fused_conv2d %[[X]], %{{.*}} bias %[[B]] residual %[[X]] {activation = #dyconv<activation relu>, padding = array<i64: 1, 1, 1, 1>} : (tensor<?x2x4x4xf32>, tensor<2x2x3x3xf32>, tensor<2xf32>, tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32>
// CHECK-NOT: dyconv.add
// CHECK-NOT: dyconv.relu
// CHECK: return %[[Y]]
func.func @resnet_block(%x: tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32> {
  %w = arith.constant dense<0.1> : tensor<2x2x3x3xf32>
  %b = arith.constant dense<1.0> : tensor<2xf32>
  %c = arith.constant dense<[[[[0.5]], [[-0.5]]]]> : tensor<1x2x1x1xf32>
  %0 = dyconv.conv2d %x, %w, %b {padding = array<i64: 1, 1, 1, 1>}
      : (tensor<?x2x4x4xf32>, tensor<2x2x3x3xf32>, tensor<2xf32>) -> tensor<?x2x4x4xf32>
  %1 = dyconv.add %0, %c : (tensor<?x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<?x2x4x4xf32>
  %2 = dyconv.add %1, %x : (tensor<?x2x4x4xf32>, tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32>
  %3 = dyconv.relu %2 : tensor<?x2x4x4xf32>
  return %3 : tensor<?x2x4x4xf32>
}

// -----

// Near-miss: the conv's result has a second user (it is returned), so the
// add is not fused (the conv alone still becomes a fused_conv2d).
// CHECK-LABEL: func.func @conv_two_users
// CHECK: %[[C:.*]] = dyconv.fused_conv2d %{{[^ ]*}}, %{{[^ ]*}} :
// CHECK: %[[S:.*]] = dyconv.add %[[C]], %{{.*}}
// CHECK: return %[[C]], %[[S]]
func.func @conv_two_users(%x: tensor<1x2x4x4xf32>, %w: tensor<2x2x1x1xf32>)
    -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %c = arith.constant dense<[[[1.0]], [[2.0]]]> : tensor<2x1x1xf32>
  %0 = dyconv.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = dyconv.add %0, %c : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %0, %1 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// Near-miss: relu comes before the add; the relu fuses, and the add after
// the activation (bias or residual) does not.
// CHECK-LABEL: func.func @add_after_activation
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x2x4x4xf32>, %{{[^:]*}}: tensor<2x2x1x1xf32>)
// CHECK: %[[C:.*]] = dyconv.fused_conv2d %[[X]], %{{[^ ]*}} {activation = #dyconv<activation relu>} :
// CHECK: %[[S:.*]] = dyconv.add %[[C]], %{{.*}} : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>)
// CHECK: %[[D:.*]] = dyconv.fused_conv2d %[[X]], %{{[^ ]*}} {activation = #dyconv<activation relu>} :
// CHECK: %[[T:.*]] = dyconv.add %[[D]], %[[X]]
// CHECK: return %[[S]], %[[T]]
func.func @add_after_activation(%x: tensor<1x2x4x4xf32>, %w: tensor<2x2x1x1xf32>)
    -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %c = arith.constant dense<[[[1.0]], [[2.0]]]> : tensor<2x1x1xf32>
  %0 = dyconv.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = dyconv.relu %0 : tensor<1x2x4x4xf32>
  %2 = dyconv.add %1, %c : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %3 = dyconv.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %4 = dyconv.relu %3 : tensor<1x2x4x4xf32>
  %5 = dyconv.add %4, %x : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %2, %5 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// Near-miss: a constant bias after the residual is not fused (the fused op
// adds the bias before the residual, and the stage order is fixed).
// CHECK-LABEL: func.func @bias_after_residual
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x2x4x4xf32>, %{{[^:]*}}: tensor<2x2x1x1xf32>)
// CHECK: %[[C:.*]] = dyconv.fused_conv2d %[[X]], %{{[^ ]*}} residual %[[X]] :
// CHECK: %[[S:.*]] = dyconv.add %[[C]], %{{.*}} : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>)
// CHECK: return %[[S]]
func.func @bias_after_residual(%x: tensor<1x2x4x4xf32>, %w: tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32> {
  %c = arith.constant dense<[[[1.0]], [[2.0]]]> : tensor<2x1x1xf32>
  %0 = dyconv.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = dyconv.add %0, %x : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %2 = dyconv.add %1, %c : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %2 : tensor<1x2x4x4xf32>
}

// -----

// Near-misses: constants that are not per channel are no bias. [1, C, H, W]
// varies over space: shaped like the result (batch 1) it is a residual; [C, H]
// and [C] align with the trailing dimensions (broadcasting goes from the
// right), so with C = H = W = 2 they are valid adds along H, W and W, not
// along C, and stay adds.
// CHECK-LABEL: func.func @not_per_channel
// CHECK: %[[FULL:.*]] = arith.constant dense<1.000000e+00> : tensor<1x2x2x2xf32>
// CHECK: %[[A:.*]] = dyconv.fused_conv2d %{{[^ ]*}}, %{{[^ ]*}} residual %[[FULL]] :
// CHECK: %[[B:.*]] = dyconv.fused_conv2d %{{[^ ]*}}, %{{[^ ]*}} :
// CHECK: %[[SB:.*]] = dyconv.add %[[B]], %{{.*}} : (tensor<1x2x2x2xf32>, tensor<2x2xf32>)
// CHECK: %[[C:.*]] = dyconv.fused_conv2d %{{[^ ]*}}, %{{[^ ]*}} :
// CHECK: %[[SC:.*]] = dyconv.add %[[C]], %{{.*}} : (tensor<1x2x2x2xf32>, tensor<2xf32>)
// CHECK-NOT: bias
// CHECK: return %[[A]], %[[SB]], %[[SC]]
func.func @not_per_channel(%x: tensor<1x2x2x2xf32>, %w: tensor<2x2x1x1xf32>)
    -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) {
  %full = arith.constant dense<1.0> : tensor<1x2x2x2xf32>
  %ch = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %c = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %0 = dyconv.conv2d %x, %w : (tensor<1x2x2x2xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x2x2xf32>
  %1 = dyconv.add %0, %full : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %2 = dyconv.conv2d %x, %w : (tensor<1x2x2x2xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x2x2xf32>
  %3 = dyconv.add %2, %ch : (tensor<1x2x2x2xf32>, tensor<2x2xf32>) -> tensor<1x2x2x2xf32>
  %4 = dyconv.conv2d %x, %w : (tensor<1x2x2x2xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x2x2xf32>
  %5 = dyconv.add %4, %c : (tensor<1x2x2x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %1, %3, %5 : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
}

// -----

// Near-miss: the conv's existing bias is not a constant, so a constant add
// cannot be summed into it and stays.
// CHECK-LABEL: func.func @bias_not_constant
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x2x4x4xf32>, %[[W:[^:]*]]: tensor<2x2x1x1xf32>, %[[B:[^:]*]]: tensor<2xf32>)
// CHECK: %[[C:.*]] = dyconv.fused_conv2d %[[X]], %[[W]] bias %[[B]] :
// CHECK: %[[S:.*]] = dyconv.add %[[C]], %{{.*}}
// CHECK: return %[[S]]
func.func @bias_not_constant(%x: tensor<1x2x4x4xf32>, %w: tensor<2x2x1x1xf32>, %b: tensor<2xf32>) -> tensor<1x2x4x4xf32> {
  %c = arith.constant dense<[[[1.0]], [[2.0]]]> : tensor<2x1x1xf32>
  %0 = dyconv.conv2d %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %1 = dyconv.add %0, %c : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// -----

// A static conv scaled per sample and output channel (ODConv's filter
// attention on a 1x1 layer whose other attentions fold away) takes the
// attention as a per-sample scale [N, Cout]; the BatchNorm after it (a
// channel_affine) multiplies that scale per channel and becomes the bias;
// the ReLU the activation.
// CHECK-LABEL: func.func @per_sample_scale
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x2x4x4xf32>, %[[W:[^:]*]]: tensor<3x2x1x1xf32>, %[[A:[^:]*]]: tensor<?x3x1x1xf32>)
// CHECK-DAG: %[[S:.*]] = arith.constant dense<[2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[T:.*]] = arith.constant dense<[5.000000e-01, 1.000000e+00, 1.500000e+00]> : tensor<3xf32>
// CHECK: %[[F:.*]] = dyconv.flatten %[[A]] : (tensor<?x3x1x1xf32>) -> tensor<?x3xf32>
// CHECK: %[[FS:.*]] = dyconv.mul %[[F]], %[[S]] : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
// CHECK: %[[Y:.*]] = dyconv.fused_conv2d %[[X]], %[[W]] scale %[[FS]] bias %[[T]] {activation = #dyconv<activation relu>} : (tensor<?x2x4x4xf32>, tensor<3x2x1x1xf32>, tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x3x4x4xf32>
// CHECK-NOT: dyconv.channel_affine
// CHECK: return %[[Y]]
func.func @per_sample_scale(%x: tensor<?x2x4x4xf32>, %w: tensor<3x2x1x1xf32>, %a: tensor<?x3x1x1xf32>) -> tensor<?x3x4x4xf32> {
  %s = arith.constant dense<[2.0, 3.0, 4.0]> : tensor<3xf32>
  %t = arith.constant dense<[0.5, 1.0, 1.5]> : tensor<3xf32>
  %0 = dyconv.conv2d %x, %w : (tensor<?x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<?x3x4x4xf32>
  %1 = dyconv.mul %a, %0 : (tensor<?x3x1x1xf32>, tensor<?x3x4x4xf32>) -> tensor<?x3x4x4xf32>
  %2 = dyconv.channel_affine %1, %s, %t : (tensor<?x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<?x3x4x4xf32>
  %3 = dyconv.relu %2 : tensor<?x3x4x4xf32>
  return %3 : tensor<?x3x4x4xf32>
}

// -----

// Near misses: a scale after the bias would scale the bias too; a [1, C,
// 1, 1] computed value against a batch of N is no per-sample scale; a
// per-channel shape with spatial extent is no scale at all.
// CHECK-LABEL: func.func @per_sample_scale_near_misses
// CHECK: %[[B:.*]] = dyconv.fused_conv2d {{.*}} bias
// CHECK: dyconv.mul %{{.*}}, %[[B]]
// CHECK: %[[N:.*]] = dyconv.fused_conv2d
// CHECK-NOT: scale
// CHECK-SAME: -> tensor<?x3x4x4xf32>
// CHECK: dyconv.mul %{{.*}}, %[[N]]
// CHECK: %[[P:.*]] = dyconv.fused_conv2d
// CHECK-NOT: scale
// CHECK-SAME: -> tensor<?x3x4x4xf32>
// CHECK: dyconv.mul %{{.*}}, %[[P]]
func.func @per_sample_scale_near_misses(%x: tensor<?x2x4x4xf32>, %w: tensor<3x2x1x1xf32>, %a: tensor<?x3x1x1xf32>, %one: tensor<1x3x1x1xf32>, %sp: tensor<?x3x4x1xf32>)
    -> (tensor<?x3x4x4xf32>, tensor<?x3x4x4xf32>, tensor<?x3x4x4xf32>) {
  %c = arith.constant dense<[[[1.0]], [[2.0]], [[3.0]]]> : tensor<3x1x1xf32>
  %0 = dyconv.conv2d %x, %w : (tensor<?x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<?x3x4x4xf32>
  %1 = dyconv.add %0, %c : (tensor<?x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<?x3x4x4xf32>
  %2 = dyconv.mul %a, %1 : (tensor<?x3x1x1xf32>, tensor<?x3x4x4xf32>) -> tensor<?x3x4x4xf32>
  %3 = dyconv.conv2d %x, %w : (tensor<?x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<?x3x4x4xf32>
  %4 = dyconv.mul %one, %3 : (tensor<1x3x1x1xf32>, tensor<?x3x4x4xf32>) -> tensor<?x3x4x4xf32>
  %5 = dyconv.conv2d %x, %w : (tensor<?x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<?x3x4x4xf32>
  %6 = dyconv.mul %sp, %5 : (tensor<?x3x4x1xf32>, tensor<?x3x4x4xf32>) -> tensor<?x3x4x4xf32>
  return %2, %4, %6 : tensor<?x3x4x4xf32>, tensor<?x3x4x4xf32>, tensor<?x3x4x4xf32>
}
