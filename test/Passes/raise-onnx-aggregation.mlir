// RUN: dyconv-opt %s -split-input-file -verify-diagnostics -dyconv-raise-onnx-dynamic-conv -dyconv-free-export-batch | FileCheck %s

// CondConv/DyConv layers in their imported form: kernels and biases
// aggregated as linear(routing, bank^T), applied by a conv with the batch
// folded into its groups (batch 2, groups 1 * 2, Cout 2, Cin 2, 1x1).

// CHECK-LABEL: func.func @aggregation
// CHECK-SAME: (%[[X:.*]]: tensor<?x2x3x3xf32>, %[[R:.*]]: tensor<?x3xf32>) -> tensor<?x2x3x3xf32>
// CHECK-NOT: export_batch
// CHECK: %[[K:.*]] = dyconv.linear %[[R]], %{{.*}} : (tensor<?x3xf32>, tensor<4x3xf32>) -> tensor<?x4xf32>
// CHECK: %[[B:.*]] = dyconv.linear %[[R]], %{{.*}} : (tensor<?x3xf32>, tensor<2x3xf32>) -> tensor<?x2xf32>
// CHECK: %[[W:.*]] = dyconv.reshape %[[K]] {shape = array<i64: 0, 2, 2, 1, 1>} : (tensor<?x4xf32>) -> tensor<?x2x2x1x1xf32>
// CHECK: %[[Y:.*]] = dyconv.dynamic_conv2d %[[X]], %[[W]] :
// CHECK: %[[C:.*]] = dyconv.reshape %[[B]] {shape = array<i64: 0, 2, 1, 1>}
// CHECK: %[[O:.*]] = dyconv.add %[[Y]], %[[C]]
// CHECK: return %[[O]]
// expected-remark@+2 {{raised 0 odconv, 0 kw_assemble and 1 dynamic_conv2d layers}}
// expected-remark@+1 {{freed the export batch 2}}
func.func @aggregation(%x: tensor<2x2x3x3xf32>, %r: tensor<2x3xf32>) -> tensor<2x2x3x3xf32>
    attributes {dyconv.export_batch = 2 : i64} {
  %bank = arith.constant dense<0.1> : tensor<4x3xf32>
  %biases = arith.constant dense<0.2> : tensor<2x3xf32>
  %k = dyconv.linear %r, %bank : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x4xf32>
  %w = dyconv.reshape %k {shape = array<i64: 4, 2, 1, 1>} : (tensor<2x4xf32>) -> tensor<4x2x1x1xf32>
  %b0 = dyconv.linear %r, %biases : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x2xf32>
  %b = dyconv.reshape %b0 {shape = array<i64: -1>} : (tensor<2x2xf32>) -> tensor<4xf32>
  %xr = dyconv.reshape %x {shape = array<i64: 1, 4, 3, 3>} : (tensor<2x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  %y = dyconv.conv2d %xr, %w, %b {groups = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4x2x1x1xf32>, tensor<4xf32>) -> tensor<1x4x3x3xf32>
  %out = dyconv.reshape %y {shape = array<i64: 2, 2, 3, 3>} : (tensor<1x4x3x3xf32>) -> tensor<2x2x3x3xf32>
  return %out : tensor<2x2x3x3xf32>
}

// -----

// The bank is not a constant: not a kernel aggregation, left alone.
// CHECK-LABEL: func.func @bank_not_constant
// CHECK-SAME: attributes {dyconv.export_batch = 2 : i64}
// CHECK-NOT: dyconv.dynamic_conv2d
func.func @bank_not_constant(%x: tensor<2x2x3x3xf32>, %r: tensor<2x3xf32>, %bank: tensor<4x3xf32>) -> tensor<2x2x3x3xf32>
    attributes {dyconv.export_batch = 2 : i64} {
  %k = dyconv.linear %r, %bank : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x4xf32>
  %w = dyconv.reshape %k {shape = array<i64: 4, 2, 1, 1>} : (tensor<2x4xf32>) -> tensor<4x2x1x1xf32>
  %xr = dyconv.reshape %x {shape = array<i64: 1, 4, 3, 3>} : (tensor<2x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  // expected-warning @+1 {{cannot free the export batch 2: the kernel of this convolution is computed, so its groups may fold the batch}}
  %y = dyconv.conv2d %xr, %w {groups = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x3x3xf32>
  %out = dyconv.reshape %y {shape = array<i64: 2, 2, 3, 3>} : (tensor<1x4x3x3xf32>) -> tensor<2x2x3x3xf32>
  return %out : tensor<2x2x3x3xf32>
}

// -----

// The kernels are an affine map of the routing (a biased linear), not an
// aggregation of a bank: left alone.
// CHECK-LABEL: func.func @biased_aggregation
// CHECK-SAME: attributes {dyconv.export_batch = 2 : i64}
// CHECK-NOT: dyconv.dynamic_conv2d
func.func @biased_aggregation(%x: tensor<2x2x3x3xf32>, %r: tensor<2x3xf32>) -> tensor<2x2x3x3xf32>
    attributes {dyconv.export_batch = 2 : i64} {
  %bank = arith.constant dense<0.1> : tensor<4x3xf32>
  %shift = arith.constant dense<0.3> : tensor<4xf32>
  %k = dyconv.linear %r, %bank, %shift : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %w = dyconv.reshape %k {shape = array<i64: 4, 2, 1, 1>} : (tensor<2x4xf32>) -> tensor<4x2x1x1xf32>
  %xr = dyconv.reshape %x {shape = array<i64: 1, 4, 3, 3>} : (tensor<2x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  // expected-warning @+1 {{cannot free the export batch 2: the kernel of this convolution is computed, so its groups may fold the batch}}
  %y = dyconv.conv2d %xr, %w {groups = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x3x3xf32>
  %out = dyconv.reshape %y {shape = array<i64: 2, 2, 3, 3>} : (tensor<1x4x3x3xf32>) -> tensor<2x2x3x3xf32>
  return %out : tensor<2x2x3x3xf32>
}
