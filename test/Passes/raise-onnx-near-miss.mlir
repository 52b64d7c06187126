// RUN: dyconv-opt %s -split-input-file -verify-diagnostics -dyconv-raise-onnx-dynamic-conv -dyconv-free-export-batch | FileCheck %s

// Chains that only look like an exported dynamic convolution stay as they
// are, and the batch they fold into their groups stays frozen: the function
// keeps its static types and dyconv.export_batch, with a warning at the
// convolution.

// The ODConv base case (channel, filter and kernel heads, k = 1, batch 2),
// raised; each near miss below changes one thing in it.
// CHECK-LABEL: func.func @base
// CHECK-SAME: (%{{.*}}: tensor<?x2x3x3xf32>) -> tensor<?x2x3x3xf32> {
// CHECK: dyconv.odconv
// expected-remark@+2 {{raised 1 odconv, 0 kw_assemble and 0 dynamic_conv2d layers}}
// expected-remark@+1 {{freed the export batch 2}}
func.func @base(%x: tensor<2x2x3x3xf32>) -> tensor<2x2x3x3xf32>
    attributes {dyconv.export_batch = 2 : i64} {
  %wfc = arith.constant dense<0.1> : tensor<2x2x1x1xf32>
  %bfc = arith.constant dense<0.2> : tensor<2xf32>
  %wc = arith.constant dense<0.3> : tensor<2x2x1x1xf32>
  %bc = arith.constant dense<0.1> : tensor<2xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %bank = arith.constant dense<0.05> : tensor<1x2x2x2x1x1xf32>
  %g = dyconv.global_avg_pool %x : (tensor<2x2x3x3xf32>) -> tensor<2x2x1x1xf32>
  %f = dyconv.conv2d %g, %wfc, %bfc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %h = dyconv.relu %f : tensor<2x2x1x1xf32>
  %c0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %ca = dyconv.sigmoid %c0 : tensor<2x2x1x1xf32>
  %f0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %fa = dyconv.sigmoid %f0 : tensor<2x2x1x1xf32>
  %k0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %k1 = dyconv.reshape %k0 {shape = array<i64: 2, -1, 1, 1, 1, 1>} : (tensor<2x2x1x1xf32>) -> tensor<2x2x1x1x1x1xf32>
  %ka = dyconv.softmax %k1 {axis = 1 : i64} : tensor<2x2x1x1x1x1xf32>
  %xm = dyconv.mul %x, %ca : (tensor<2x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<2x2x3x3xf32>
  %xr = dyconv.reshape %xm {shape = array<i64: 1, -1, 3, 3>} : (tensor<2x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  %m1 = dyconv.mul %ka, %one : (tensor<2x2x1x1x1x1xf32>, tensor<f32>) -> tensor<2x2x1x1x1x1xf32>
  %w6 = dyconv.mul %m1, %bank : (tensor<2x2x1x1x1x1xf32>, tensor<1x2x2x2x1x1xf32>) -> tensor<2x2x2x2x1x1xf32>
  %agg = dyconv.reduce_sum %w6 {axes = array<i64: 1>, keepdims = false} : (tensor<2x2x2x2x1x1xf32>) -> tensor<2x2x2x1x1xf32>
  %w = dyconv.reshape %agg {shape = array<i64: -1, 2, 1, 1>} : (tensor<2x2x2x1x1xf32>) -> tensor<4x2x1x1xf32>
  %y = dyconv.conv2d %xr, %w {groups = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x3x3xf32>
  %yr = dyconv.reshape %y {shape = array<i64: 2, 2, 3, 3>} : (tensor<1x4x3x3xf32>) -> tensor<2x2x3x3xf32>
  %out = dyconv.mul %yr, %fa : (tensor<2x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<2x2x3x3xf32>
  return %out : tensor<2x2x3x3xf32>
}

// -----

// The kernel head normalised with a sigmoid instead of a softmax.
// CHECK-LABEL: func.func @kernel_head_sigmoid
// CHECK-SAME: -> tensor<2x2x3x3xf32> attributes {dyconv.export_batch = 2 : i64}
// CHECK-NOT: dyconv.odconv
// CHECK: dyconv.conv2d %{{.*}}, %{{.*}} {{.*}}: (tensor<1x4x3x3xf32>
// CHECK-NOT: dyconv.odconv
// CHECK: return
func.func @kernel_head_sigmoid(%x: tensor<2x2x3x3xf32>) -> tensor<2x2x3x3xf32>
    attributes {dyconv.export_batch = 2 : i64} {
  %wfc = arith.constant dense<0.1> : tensor<2x2x1x1xf32>
  %bfc = arith.constant dense<0.2> : tensor<2xf32>
  %wc = arith.constant dense<0.3> : tensor<2x2x1x1xf32>
  %bc = arith.constant dense<0.1> : tensor<2xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %bank = arith.constant dense<0.05> : tensor<1x2x2x2x1x1xf32>
  %g = dyconv.global_avg_pool %x : (tensor<2x2x3x3xf32>) -> tensor<2x2x1x1xf32>
  %f = dyconv.conv2d %g, %wfc, %bfc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %h = dyconv.relu %f : tensor<2x2x1x1xf32>
  %c0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %ca = dyconv.sigmoid %c0 : tensor<2x2x1x1xf32>
  %f0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %fa = dyconv.sigmoid %f0 : tensor<2x2x1x1xf32>
  %k0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %k1 = dyconv.reshape %k0 {shape = array<i64: 2, -1, 1, 1, 1, 1>} : (tensor<2x2x1x1xf32>) -> tensor<2x2x1x1x1x1xf32>
  %ka = dyconv.sigmoid %k1 : tensor<2x2x1x1x1x1xf32>
  %xm = dyconv.mul %x, %ca : (tensor<2x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<2x2x3x3xf32>
  %xr = dyconv.reshape %xm {shape = array<i64: 1, -1, 3, 3>} : (tensor<2x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  %m1 = dyconv.mul %ka, %one : (tensor<2x2x1x1x1x1xf32>, tensor<f32>) -> tensor<2x2x1x1x1x1xf32>
  %w6 = dyconv.mul %m1, %bank : (tensor<2x2x1x1x1x1xf32>, tensor<1x2x2x2x1x1xf32>) -> tensor<2x2x2x2x1x1xf32>
  %agg = dyconv.reduce_sum %w6 {axes = array<i64: 1>, keepdims = false} : (tensor<2x2x2x2x1x1xf32>) -> tensor<2x2x2x1x1xf32>
  %w = dyconv.reshape %agg {shape = array<i64: -1, 2, 1, 1>} : (tensor<2x2x2x1x1xf32>) -> tensor<4x2x1x1xf32>
  // expected-warning@+1 {{cannot free the export batch 2: the kernel of this convolution is computed, so its groups may fold the batch}}
  %y = dyconv.conv2d %xr, %w {groups = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x3x3xf32>
  %yr = dyconv.reshape %y {shape = array<i64: 2, 2, 3, 3>} : (tensor<1x4x3x3xf32>) -> tensor<2x2x3x3xf32>
  %out = dyconv.mul %yr, %fa : (tensor<2x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<2x2x3x3xf32>
  return %out : tensor<2x2x3x3xf32>
}

// -----

// The kernel product summed over the output channels instead of the bank.
// CHECK-LABEL: func.func @reduce_wrong_axis
// CHECK-SAME: -> tensor<2x2x3x3xf32> attributes {dyconv.export_batch = 2 : i64}
// CHECK-NOT: dyconv.odconv
// CHECK: dyconv.conv2d %{{.*}}, %{{.*}} {{.*}}: (tensor<1x4x3x3xf32>
// CHECK-NOT: dyconv.odconv
// CHECK: return
func.func @reduce_wrong_axis(%x: tensor<2x2x3x3xf32>) -> tensor<2x2x3x3xf32>
    attributes {dyconv.export_batch = 2 : i64} {
  %wfc = arith.constant dense<0.1> : tensor<2x2x1x1xf32>
  %bfc = arith.constant dense<0.2> : tensor<2xf32>
  %wc = arith.constant dense<0.3> : tensor<2x2x1x1xf32>
  %bc = arith.constant dense<0.1> : tensor<2xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %bank = arith.constant dense<0.05> : tensor<1x2x2x2x1x1xf32>
  %g = dyconv.global_avg_pool %x : (tensor<2x2x3x3xf32>) -> tensor<2x2x1x1xf32>
  %f = dyconv.conv2d %g, %wfc, %bfc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %h = dyconv.relu %f : tensor<2x2x1x1xf32>
  %c0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %ca = dyconv.sigmoid %c0 : tensor<2x2x1x1xf32>
  %f0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %fa = dyconv.sigmoid %f0 : tensor<2x2x1x1xf32>
  %k0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %k1 = dyconv.reshape %k0 {shape = array<i64: 2, -1, 1, 1, 1, 1>} : (tensor<2x2x1x1xf32>) -> tensor<2x2x1x1x1x1xf32>
  %ka = dyconv.softmax %k1 {axis = 1 : i64} : tensor<2x2x1x1x1x1xf32>
  %xm = dyconv.mul %x, %ca : (tensor<2x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<2x2x3x3xf32>
  %xr = dyconv.reshape %xm {shape = array<i64: 1, -1, 3, 3>} : (tensor<2x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  %m1 = dyconv.mul %ka, %one : (tensor<2x2x1x1x1x1xf32>, tensor<f32>) -> tensor<2x2x1x1x1x1xf32>
  %w6 = dyconv.mul %m1, %bank : (tensor<2x2x1x1x1x1xf32>, tensor<1x2x2x2x1x1xf32>) -> tensor<2x2x2x2x1x1xf32>
  %agg = dyconv.reduce_sum %w6 {axes = array<i64: 2>, keepdims = false} : (tensor<2x2x2x2x1x1xf32>) -> tensor<2x2x2x1x1xf32>
  %w = dyconv.reshape %agg {shape = array<i64: -1, 2, 1, 1>} : (tensor<2x2x2x1x1xf32>) -> tensor<4x2x1x1xf32>
  // expected-warning@+1 {{cannot free the export batch 2: the kernel of this convolution is computed, so its groups may fold the batch}}
  %y = dyconv.conv2d %xr, %w {groups = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x3x3xf32>
  %yr = dyconv.reshape %y {shape = array<i64: 2, 2, 3, 3>} : (tensor<1x4x3x3xf32>) -> tensor<2x2x3x3xf32>
  %out = dyconv.mul %yr, %fa : (tensor<2x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<2x2x3x3xf32>
  return %out : tensor<2x2x3x3xf32>
}

// -----

// The bank is not a constant.
// CHECK-LABEL: func.func @bank_not_constant
// CHECK-SAME: -> tensor<2x2x3x3xf32> attributes {dyconv.export_batch = 2 : i64}
// CHECK-NOT: dyconv.odconv
// CHECK: dyconv.conv2d %{{.*}}, %{{.*}} {{.*}}: (tensor<1x4x3x3xf32>
// CHECK-NOT: dyconv.odconv
// CHECK: return
func.func @bank_not_constant(%x: tensor<2x2x3x3xf32>, %bank: tensor<1x2x2x2x1x1xf32>) -> tensor<2x2x3x3xf32>
    attributes {dyconv.export_batch = 2 : i64} {
  %wfc = arith.constant dense<0.1> : tensor<2x2x1x1xf32>
  %bfc = arith.constant dense<0.2> : tensor<2xf32>
  %wc = arith.constant dense<0.3> : tensor<2x2x1x1xf32>
  %bc = arith.constant dense<0.1> : tensor<2xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %g = dyconv.global_avg_pool %x : (tensor<2x2x3x3xf32>) -> tensor<2x2x1x1xf32>
  %f = dyconv.conv2d %g, %wfc, %bfc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %h = dyconv.relu %f : tensor<2x2x1x1xf32>
  %c0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %ca = dyconv.sigmoid %c0 : tensor<2x2x1x1xf32>
  %f0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %fa = dyconv.sigmoid %f0 : tensor<2x2x1x1xf32>
  %k0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %k1 = dyconv.reshape %k0 {shape = array<i64: 2, -1, 1, 1, 1, 1>} : (tensor<2x2x1x1xf32>) -> tensor<2x2x1x1x1x1xf32>
  %ka = dyconv.softmax %k1 {axis = 1 : i64} : tensor<2x2x1x1x1x1xf32>
  %xm = dyconv.mul %x, %ca : (tensor<2x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<2x2x3x3xf32>
  %xr = dyconv.reshape %xm {shape = array<i64: 1, -1, 3, 3>} : (tensor<2x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  %m1 = dyconv.mul %ka, %one : (tensor<2x2x1x1x1x1xf32>, tensor<f32>) -> tensor<2x2x1x1x1x1xf32>
  %w6 = dyconv.mul %m1, %bank : (tensor<2x2x1x1x1x1xf32>, tensor<1x2x2x2x1x1xf32>) -> tensor<2x2x2x2x1x1xf32>
  %agg = dyconv.reduce_sum %w6 {axes = array<i64: 1>, keepdims = false} : (tensor<2x2x2x2x1x1xf32>) -> tensor<2x2x2x1x1xf32>
  %w = dyconv.reshape %agg {shape = array<i64: -1, 2, 1, 1>} : (tensor<2x2x2x1x1xf32>) -> tensor<4x2x1x1xf32>
  // expected-warning@+1 {{cannot free the export batch 2: the kernel of this convolution is computed, so its groups may fold the batch}}
  %y = dyconv.conv2d %xr, %w {groups = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x3x3xf32>
  %yr = dyconv.reshape %y {shape = array<i64: 2, 2, 3, 3>} : (tensor<1x4x3x3xf32>) -> tensor<2x2x3x3xf32>
  %out = dyconv.mul %yr, %fa : (tensor<2x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<2x2x3x3xf32>
  return %out : tensor<2x2x3x3xf32>
}

// -----

// The attention pools another tensor than the one the channel attention
// scales.
// CHECK-LABEL: func.func @pool_other_tensor
// CHECK-SAME: -> tensor<2x2x3x3xf32> attributes {dyconv.export_batch = 2 : i64}
// CHECK-NOT: dyconv.odconv
// CHECK: dyconv.conv2d %{{.*}}, %{{.*}} {{.*}}: (tensor<1x4x3x3xf32>
// CHECK-NOT: dyconv.odconv
// CHECK: return
func.func @pool_other_tensor(%x: tensor<2x2x3x3xf32>, %other: tensor<2x2x3x3xf32>) -> tensor<2x2x3x3xf32>
    attributes {dyconv.export_batch = 2 : i64} {
  %wfc = arith.constant dense<0.1> : tensor<2x2x1x1xf32>
  %bfc = arith.constant dense<0.2> : tensor<2xf32>
  %wc = arith.constant dense<0.3> : tensor<2x2x1x1xf32>
  %bc = arith.constant dense<0.1> : tensor<2xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %bank = arith.constant dense<0.05> : tensor<1x2x2x2x1x1xf32>
  %g = dyconv.global_avg_pool %other : (tensor<2x2x3x3xf32>) -> tensor<2x2x1x1xf32>
  %f = dyconv.conv2d %g, %wfc, %bfc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %h = dyconv.relu %f : tensor<2x2x1x1xf32>
  %c0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %ca = dyconv.sigmoid %c0 : tensor<2x2x1x1xf32>
  %f0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %fa = dyconv.sigmoid %f0 : tensor<2x2x1x1xf32>
  %k0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %k1 = dyconv.reshape %k0 {shape = array<i64: 2, -1, 1, 1, 1, 1>} : (tensor<2x2x1x1xf32>) -> tensor<2x2x1x1x1x1xf32>
  %ka = dyconv.softmax %k1 {axis = 1 : i64} : tensor<2x2x1x1x1x1xf32>
  %xm = dyconv.mul %x, %ca : (tensor<2x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<2x2x3x3xf32>
  %xr = dyconv.reshape %xm {shape = array<i64: 1, -1, 3, 3>} : (tensor<2x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  %m1 = dyconv.mul %ka, %one : (tensor<2x2x1x1x1x1xf32>, tensor<f32>) -> tensor<2x2x1x1x1x1xf32>
  %w6 = dyconv.mul %m1, %bank : (tensor<2x2x1x1x1x1xf32>, tensor<1x2x2x2x1x1xf32>) -> tensor<2x2x2x2x1x1xf32>
  %agg = dyconv.reduce_sum %w6 {axes = array<i64: 1>, keepdims = false} : (tensor<2x2x2x2x1x1xf32>) -> tensor<2x2x2x1x1xf32>
  %w = dyconv.reshape %agg {shape = array<i64: -1, 2, 1, 1>} : (tensor<2x2x2x1x1xf32>) -> tensor<4x2x1x1xf32>
  // expected-warning@+1 {{cannot free the export batch 2: the kernel of this convolution is computed, so its groups may fold the batch}}
  %y = dyconv.conv2d %xr, %w {groups = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x3x3xf32>
  %yr = dyconv.reshape %y {shape = array<i64: 2, 2, 3, 3>} : (tensor<1x4x3x3xf32>) -> tensor<2x2x3x3xf32>
  %out = dyconv.mul %yr, %fa : (tensor<2x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<2x2x3x3xf32>
  return %out : tensor<2x2x3x3xf32>
}

// -----

// One group (not g * B = 2): the conv mixes the two samples, the "bank"
// spanning both samples' channels.
// CHECK-LABEL: func.func @groups_mix_samples
// CHECK-SAME: -> tensor<2x2x3x3xf32> attributes {dyconv.export_batch = 2 : i64}
// CHECK-NOT: dyconv.odconv
// CHECK: dyconv.conv2d %{{.*}}, %{{.*}} {{.*}}: (tensor<1x4x3x3xf32>
// CHECK-NOT: dyconv.odconv
// CHECK: return
func.func @groups_mix_samples(%x: tensor<2x2x3x3xf32>) -> tensor<2x2x3x3xf32>
    attributes {dyconv.export_batch = 2 : i64} {
  %wfc = arith.constant dense<0.1> : tensor<2x2x1x1xf32>
  %bfc = arith.constant dense<0.2> : tensor<2xf32>
  %wc = arith.constant dense<0.3> : tensor<2x2x1x1xf32>
  %bc = arith.constant dense<0.1> : tensor<2xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %bank = arith.constant dense<0.05> : tensor<1x2x2x4x1x1xf32>
  %g = dyconv.global_avg_pool %x : (tensor<2x2x3x3xf32>) -> tensor<2x2x1x1xf32>
  %f = dyconv.conv2d %g, %wfc, %bfc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %h = dyconv.relu %f : tensor<2x2x1x1xf32>
  %c0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %ca = dyconv.sigmoid %c0 : tensor<2x2x1x1xf32>
  %f0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %fa = dyconv.sigmoid %f0 : tensor<2x2x1x1xf32>
  %k0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %k1 = dyconv.reshape %k0 {shape = array<i64: 2, -1, 1, 1, 1, 1>} : (tensor<2x2x1x1xf32>) -> tensor<2x2x1x1x1x1xf32>
  %ka = dyconv.softmax %k1 {axis = 1 : i64} : tensor<2x2x1x1x1x1xf32>
  %xm = dyconv.mul %x, %ca : (tensor<2x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<2x2x3x3xf32>
  %xr = dyconv.reshape %xm {shape = array<i64: 1, -1, 3, 3>} : (tensor<2x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  %m1 = dyconv.mul %ka, %one : (tensor<2x2x1x1x1x1xf32>, tensor<f32>) -> tensor<2x2x1x1x1x1xf32>
  %w6 = dyconv.mul %m1, %bank : (tensor<2x2x1x1x1x1xf32>, tensor<1x2x2x4x1x1xf32>) -> tensor<2x2x2x4x1x1xf32>
  %agg = dyconv.reduce_sum %w6 {axes = array<i64: 1>, keepdims = false} : (tensor<2x2x2x4x1x1xf32>) -> tensor<2x2x4x1x1xf32>
  %w = dyconv.reshape %agg {shape = array<i64: -1, 4, 1, 1>} : (tensor<2x2x4x1x1xf32>) -> tensor<4x4x1x1xf32>
  // expected-warning@+1 {{cannot free the export batch 2: the kernel of this convolution is computed, so its groups may fold the batch}}
  %y = dyconv.conv2d %xr, %w {groups = 1 : i64} : (tensor<1x4x3x3xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x3x3xf32>
  %yr = dyconv.reshape %y {shape = array<i64: 2, 2, 3, 3>} : (tensor<1x4x3x3xf32>) -> tensor<2x2x3x3xf32>
  %out = dyconv.mul %yr, %fa : (tensor<2x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<2x2x3x3xf32>
  return %out : tensor<2x2x3x3xf32>
}

// -----

// The opset-11 softmax form over another axis than the kernels'.
// CHECK-LABEL: func.func @kernel_softmax_opset11_wrong_axis
// CHECK-SAME: -> tensor<2x2x3x3xf32> attributes {dyconv.export_batch = 2 : i64}
// CHECK-NOT: dyconv.odconv
// CHECK: dyconv.conv2d %{{.*}}, %{{.*}} {{.*}}: (tensor<1x4x3x3xf32>
// CHECK-NOT: dyconv.odconv
// CHECK: return
func.func @kernel_softmax_opset11_wrong_axis(%x: tensor<2x2x3x3xf32>) -> tensor<2x2x3x3xf32>
    attributes {dyconv.export_batch = 2 : i64} {
  %wfc = arith.constant dense<0.1> : tensor<2x2x1x1xf32>
  %bfc = arith.constant dense<0.2> : tensor<2xf32>
  %wc = arith.constant dense<0.3> : tensor<2x2x1x1xf32>
  %bc = arith.constant dense<0.1> : tensor<2xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %bank = arith.constant dense<0.05> : tensor<1x2x2x2x1x1xf32>
  %g = dyconv.global_avg_pool %x : (tensor<2x2x3x3xf32>) -> tensor<2x2x1x1xf32>
  %f = dyconv.conv2d %g, %wfc, %bfc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %h = dyconv.relu %f : tensor<2x2x1x1xf32>
  %c0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %ca = dyconv.sigmoid %c0 : tensor<2x2x1x1xf32>
  %f0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %fa = dyconv.sigmoid %f0 : tensor<2x2x1x1xf32>
  %k0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %k1 = dyconv.reshape %k0 {shape = array<i64: 2, -1, 1, 1, 1, 1>} : (tensor<2x2x1x1xf32>) -> tensor<2x2x1x1x1x1xf32>
  %kt = dyconv.transpose %k1 {perm = array<i64: 0, 5, 2, 3, 4, 1>} : (tensor<2x2x1x1x1x1xf32>) -> tensor<2x1x1x1x1x2xf32>
  %ks = dyconv.softmax %kt {axis = 4 : i64} : tensor<2x1x1x1x1x2xf32>
  %ka = dyconv.transpose %ks {perm = array<i64: 0, 5, 2, 3, 4, 1>} : (tensor<2x1x1x1x1x2xf32>) -> tensor<2x2x1x1x1x1xf32>
  %xm = dyconv.mul %x, %ca : (tensor<2x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<2x2x3x3xf32>
  %xr = dyconv.reshape %xm {shape = array<i64: 1, -1, 3, 3>} : (tensor<2x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  %m1 = dyconv.mul %ka, %one : (tensor<2x2x1x1x1x1xf32>, tensor<f32>) -> tensor<2x2x1x1x1x1xf32>
  %w6 = dyconv.mul %m1, %bank : (tensor<2x2x1x1x1x1xf32>, tensor<1x2x2x2x1x1xf32>) -> tensor<2x2x2x2x1x1xf32>
  %agg = dyconv.reduce_sum %w6 {axes = array<i64: 1>, keepdims = false} : (tensor<2x2x2x2x1x1xf32>) -> tensor<2x2x2x1x1xf32>
  %w = dyconv.reshape %agg {shape = array<i64: -1, 2, 1, 1>} : (tensor<2x2x2x1x1xf32>) -> tensor<4x2x1x1xf32>
  // expected-warning@+1 {{cannot free the export batch 2: the kernel of this convolution is computed, so its groups may fold the batch}}
  %y = dyconv.conv2d %xr, %w {groups = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x3x3xf32>
  %yr = dyconv.reshape %y {shape = array<i64: 2, 2, 3, 3>} : (tensor<1x4x3x3xf32>) -> tensor<2x2x3x3xf32>
  %out = dyconv.mul %yr, %fa : (tensor<2x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<2x2x3x3xf32>
  return %out : tensor<2x2x3x3xf32>
}

// -----

// The KernelWarehouse base case (a 1x1 conv, one mixture, batch 2), raised.
// CHECK-LABEL: func.func @kw_base
// CHECK-SAME: (%{{.*}}: tensor<?x2x3x3xf32>) -> tensor<?x2x3x3xf32> {
// CHECK: dyconv.kw_assemble
// expected-remark@+2 {{raised 0 odconv, 1 kw_assemble and 0 dynamic_conv2d layers}}
// expected-remark@+1 {{freed the export batch 2}}
func.func @kw_base(%x: tensor<2x2x3x3xf32>) -> tensor<2x2x3x3xf32>
    attributes {dyconv.export_batch = 2 : i64} {
  %wt = arith.constant dense<0.25> : tensor<4x2xf32>
  %fc1 = arith.constant dense<0.5> : tensor<2x2xf32>
  %p = arith.constant dense<0.7> : tensor<2xf32>
  %fc2 = arith.constant dense<0.3> : tensor<3x2xf32>
  %b2 = arith.constant dense<0.1> : tensor<3xf32>
  %eps = arith.constant dense<1.0e-3> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %tb = arith.constant dense<0.0> : tensor<1x3xf32>
  %a0 = dyconv.reshape %x {shape = array<i64: 2, 2, -1>} : (tensor<2x2x3x3xf32>) -> tensor<2x2x9xf32>
  %a1 = dyconv.reduce_mean %a0 {axes = array<i64: 2>, keepdims = true} : (tensor<2x2x9xf32>) -> tensor<2x2x1xf32>
  %a = dyconv.reshape %a1 {shape = array<i64: 2, 2>} : (tensor<2x2x1xf32>) -> tensor<2x2xf32>
  %z = dyconv.linear %a, %fc1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %zn = dyconv.batch_norm %z, %p, %p, %p, %p : (tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %h = dyconv.relu %zn : tensor<2x2xf32>
  %lg = dyconv.linear %h, %fc2, %b2 : (tensor<2x2xf32>, tensor<3x2xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %l = dyconv.reshape %lg {shape = array<i64: -1, 3>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %ab = dyconv.abs %l : tensor<2x3xf32>
  %sum = dyconv.reduce_sum %ab {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
  %sr = dyconv.reshape %sum {shape = array<i64: -1, 1>} : (tensor<2xf32>) -> tensor<2x1xf32>
  %den = dyconv.add %sr, %eps : (tensor<2x1xf32>, tensor<f32>) -> tensor<2x1xf32>
  %caf = dyconv.div %l, %den : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  %r3 = dyconv.reshape %caf {shape = array<i64: -1, 3>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %mt = dyconv.mul %r3, %one : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %at = dyconv.add %mt, %tb : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  %r4 = dyconv.reshape %at {shape = array<i64: -1, 3>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %co = dyconv.slice %r4 {axes = array<i64: 1>, starts = array<i64: 0>, ends = array<i64: -1>, steps = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  %xr = dyconv.reshape %x {shape = array<i64: 1, -1, 3, 3>} : (tensor<2x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  %cells = dyconv.linear %co, %wt : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %r8 = dyconv.reshape %cells {shape = array<i64: 2, 1, 1, 1, 2, 2, 1, 1>} : (tensor<2x4xf32>) -> tensor<2x1x1x1x2x2x1x1xf32>
  %tr = dyconv.transpose %r8 {perm = array<i64: 0, 2, 4, 3, 5, 1, 6, 7>} : (tensor<2x1x1x1x2x2x1x1xf32>) -> tensor<2x1x2x1x2x1x1x1xf32>
  %w = dyconv.reshape %tr {shape = array<i64: -1, 2, 1, 1>} : (tensor<2x1x2x1x2x1x1x1xf32>) -> tensor<4x2x1x1xf32>
  %y = dyconv.conv2d %xr, %w {groups = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x3x3xf32>
  %yr = dyconv.reshape %y {shape = array<i64: 2, 2, 3, 3>} : (tensor<1x4x3x3xf32>) -> tensor<2x2x3x3xf32>
  return %yr : tensor<2x2x3x3xf32>
}

// -----

// The cells permuted in another order (input and output channels swapped).
// CHECK-LABEL: func.func @kw_other_perm
// CHECK-SAME: -> tensor<2x2x3x3xf32> attributes {dyconv.export_batch = 2 : i64}
// CHECK-NOT: dyconv.kw_assemble
// CHECK: dyconv.conv2d %{{.*}}, %{{.*}} {{.*}}: (tensor<1x4x3x3xf32>
// CHECK-NOT: dyconv.kw_assemble
// CHECK: return
func.func @kw_other_perm(%x: tensor<2x2x3x3xf32>) -> tensor<2x2x3x3xf32>
    attributes {dyconv.export_batch = 2 : i64} {
  %wt = arith.constant dense<0.25> : tensor<4x2xf32>
  %fc1 = arith.constant dense<0.5> : tensor<2x2xf32>
  %p = arith.constant dense<0.7> : tensor<2xf32>
  %fc2 = arith.constant dense<0.3> : tensor<3x2xf32>
  %b2 = arith.constant dense<0.1> : tensor<3xf32>
  %eps = arith.constant dense<1.0e-3> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %tb = arith.constant dense<0.0> : tensor<1x3xf32>
  %a0 = dyconv.reshape %x {shape = array<i64: 2, 2, -1>} : (tensor<2x2x3x3xf32>) -> tensor<2x2x9xf32>
  %a1 = dyconv.reduce_mean %a0 {axes = array<i64: 2>, keepdims = true} : (tensor<2x2x9xf32>) -> tensor<2x2x1xf32>
  %a = dyconv.reshape %a1 {shape = array<i64: 2, 2>} : (tensor<2x2x1xf32>) -> tensor<2x2xf32>
  %z = dyconv.linear %a, %fc1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %zn = dyconv.batch_norm %z, %p, %p, %p, %p : (tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %h = dyconv.relu %zn : tensor<2x2xf32>
  %lg = dyconv.linear %h, %fc2, %b2 : (tensor<2x2xf32>, tensor<3x2xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %l = dyconv.reshape %lg {shape = array<i64: -1, 3>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %ab = dyconv.abs %l : tensor<2x3xf32>
  %sum = dyconv.reduce_sum %ab {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
  %sr = dyconv.reshape %sum {shape = array<i64: -1, 1>} : (tensor<2xf32>) -> tensor<2x1xf32>
  %den = dyconv.add %sr, %eps : (tensor<2x1xf32>, tensor<f32>) -> tensor<2x1xf32>
  %caf = dyconv.div %l, %den : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  %r3 = dyconv.reshape %caf {shape = array<i64: -1, 3>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %mt = dyconv.mul %r3, %one : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %at = dyconv.add %mt, %tb : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  %r4 = dyconv.reshape %at {shape = array<i64: -1, 3>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %co = dyconv.slice %r4 {axes = array<i64: 1>, starts = array<i64: 0>, ends = array<i64: -1>, steps = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  %xr = dyconv.reshape %x {shape = array<i64: 1, -1, 3, 3>} : (tensor<2x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  %cells = dyconv.linear %co, %wt : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %r8 = dyconv.reshape %cells {shape = array<i64: 2, 1, 1, 1, 2, 2, 1, 1>} : (tensor<2x4xf32>) -> tensor<2x1x1x1x2x2x1x1xf32>
  %tr = dyconv.transpose %r8 {perm = array<i64: 0, 2, 5, 3, 4, 1, 6, 7>} : (tensor<2x1x1x1x2x2x1x1xf32>) -> tensor<2x1x2x1x2x1x1x1xf32>
  %w = dyconv.reshape %tr {shape = array<i64: -1, 2, 1, 1>} : (tensor<2x1x2x1x2x1x1x1xf32>) -> tensor<4x2x1x1xf32>
  // expected-warning@+1 {{cannot free the export batch 2: the kernel of this convolution is computed, so its groups may fold the batch}}
  %y = dyconv.conv2d %xr, %w {groups = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x3x3xf32>
  %yr = dyconv.reshape %y {shape = array<i64: 2, 2, 3, 3>} : (tensor<1x4x3x3xf32>) -> tensor<2x2x3x3xf32>
  return %yr : tensor<2x2x3x3xf32>
}

// -----

// A non-zero temperature bias (tau > 0).
// CHECK-LABEL: func.func @kw_temperature_bias
// CHECK-SAME: -> tensor<2x2x3x3xf32> attributes {dyconv.export_batch = 2 : i64}
// CHECK-NOT: dyconv.kw_assemble
// CHECK: dyconv.conv2d %{{.*}}, %{{.*}} {{.*}}: (tensor<1x4x3x3xf32>
// CHECK-NOT: dyconv.kw_assemble
// CHECK: return
func.func @kw_temperature_bias(%x: tensor<2x2x3x3xf32>) -> tensor<2x2x3x3xf32>
    attributes {dyconv.export_batch = 2 : i64} {
  %wt = arith.constant dense<0.25> : tensor<4x2xf32>
  %fc1 = arith.constant dense<0.5> : tensor<2x2xf32>
  %p = arith.constant dense<0.7> : tensor<2xf32>
  %fc2 = arith.constant dense<0.3> : tensor<3x2xf32>
  %b2 = arith.constant dense<0.1> : tensor<3xf32>
  %eps = arith.constant dense<1.0e-3> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %tb = arith.constant dense<0.5> : tensor<1x3xf32>
  %a0 = dyconv.reshape %x {shape = array<i64: 2, 2, -1>} : (tensor<2x2x3x3xf32>) -> tensor<2x2x9xf32>
  %a1 = dyconv.reduce_mean %a0 {axes = array<i64: 2>, keepdims = true} : (tensor<2x2x9xf32>) -> tensor<2x2x1xf32>
  %a = dyconv.reshape %a1 {shape = array<i64: 2, 2>} : (tensor<2x2x1xf32>) -> tensor<2x2xf32>
  %z = dyconv.linear %a, %fc1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %zn = dyconv.batch_norm %z, %p, %p, %p, %p : (tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %h = dyconv.relu %zn : tensor<2x2xf32>
  %lg = dyconv.linear %h, %fc2, %b2 : (tensor<2x2xf32>, tensor<3x2xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %l = dyconv.reshape %lg {shape = array<i64: -1, 3>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %ab = dyconv.abs %l : tensor<2x3xf32>
  %sum = dyconv.reduce_sum %ab {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
  %sr = dyconv.reshape %sum {shape = array<i64: -1, 1>} : (tensor<2xf32>) -> tensor<2x1xf32>
  %den = dyconv.add %sr, %eps : (tensor<2x1xf32>, tensor<f32>) -> tensor<2x1xf32>
  %caf = dyconv.div %l, %den : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  %r3 = dyconv.reshape %caf {shape = array<i64: -1, 3>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %mt = dyconv.mul %r3, %one : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %at = dyconv.add %mt, %tb : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  %r4 = dyconv.reshape %at {shape = array<i64: -1, 3>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %co = dyconv.slice %r4 {axes = array<i64: 1>, starts = array<i64: 0>, ends = array<i64: -1>, steps = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  %xr = dyconv.reshape %x {shape = array<i64: 1, -1, 3, 3>} : (tensor<2x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  %cells = dyconv.linear %co, %wt : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %r8 = dyconv.reshape %cells {shape = array<i64: 2, 1, 1, 1, 2, 2, 1, 1>} : (tensor<2x4xf32>) -> tensor<2x1x1x1x2x2x1x1xf32>
  %tr = dyconv.transpose %r8 {perm = array<i64: 0, 2, 4, 3, 5, 1, 6, 7>} : (tensor<2x1x1x1x2x2x1x1xf32>) -> tensor<2x1x2x1x2x1x1x1xf32>
  %w = dyconv.reshape %tr {shape = array<i64: -1, 2, 1, 1>} : (tensor<2x1x2x1x2x1x1x1xf32>) -> tensor<4x2x1x1xf32>
  // expected-warning@+1 {{cannot free the export batch 2: the kernel of this convolution is computed, so its groups may fold the batch}}
  %y = dyconv.conv2d %xr, %w {groups = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x3x3xf32>
  %yr = dyconv.reshape %y {shape = array<i64: 2, 2, 3, 3>} : (tensor<1x4x3x3xf32>) -> tensor<2x2x3x3xf32>
  return %yr : tensor<2x2x3x3xf32>
}

// -----

// Nothing to raise, but a reshape writes the batch into a fixed size.
// CHECK-LABEL: func.func @reshape_fixes_batch
// CHECK-SAME: (%{{.*}}: tensor<2x4x3x3xf32>) -> tensor<8x9xf32> attributes {dyconv.export_batch = 2 : i64}
// CHECK: dyconv.reshape %{{.*}} {shape = array<i64: 8, 9>} : (tensor<2x4x3x3xf32>) -> tensor<8x9xf32>
func.func @reshape_fixes_batch(%x: tensor<2x4x3x3xf32>) -> tensor<8x9xf32>
    attributes {dyconv.export_batch = 2 : i64} {
  // expected-warning@+1 {{cannot free the export batch 2: it gives the batch a fixed size}}
  %r = dyconv.reshape %x {shape = array<i64: 8, 9>} : (tensor<2x4x3x3xf32>) -> tensor<8x9xf32>
  return %r : tensor<8x9xf32>
}

// -----

// A constant with the batch as leading dimension would fix the batch of the
// sum. The reshape before it is restored too.
// CHECK-LABEL: func.func @batch_sized_constant
// CHECK-SAME: (%{{.*}}: tensor<2x4x1x1xf32>) -> tensor<2x4xf32> attributes {dyconv.export_batch = 2 : i64}
// CHECK: dyconv.reshape %{{.*}} {shape = array<i64: 2, 4>} : (tensor<2x4x1x1xf32>) -> tensor<2x4xf32>
// CHECK: dyconv.add %{{.*}} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
func.func @batch_sized_constant(%x: tensor<2x4x1x1xf32>) -> tensor<2x4xf32>
    attributes {dyconv.export_batch = 2 : i64} {
  %c = arith.constant dense<1.0> : tensor<2x4xf32>
  %r = dyconv.reshape %x {shape = array<i64: 2, 4>} : (tensor<2x4x1x1xf32>) -> tensor<2x4xf32>
  // expected-warning@+1 {{cannot free the export batch 2: it gives the batch a fixed size}}
  %s = dyconv.add %r, %c : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %s : tensor<2x4xf32>
}

// -----

// A slice along the batch needs its size.
// CHECK-LABEL: func.func @slice_of_batch
// CHECK-SAME: (%{{.*}}: tensor<2x4xf32>) -> tensor<1x4xf32> attributes {dyconv.export_batch = 2 : i64}
func.func @slice_of_batch(%x: tensor<2x4xf32>) -> tensor<1x4xf32>
    attributes {dyconv.export_batch = 2 : i64} {
  // expected-warning@+1 {{cannot free the export batch 2: its result type does not re-infer}}
  %s = dyconv.slice %x {axes = array<i64: 0>, starts = array<i64: 0>, ends = array<i64: 1>, steps = array<i64: 1>}
      : (tensor<2x4xf32>) -> tensor<1x4xf32>
  return %s : tensor<1x4xf32>
}
