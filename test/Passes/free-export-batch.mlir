// RUN: dyconv-opt %s -split-input-file -verify-diagnostics -dyconv-free-export-batch | FileCheck %s

// Freeing the batch of an export at batch 2: the argument gets a dynamic
// batch, a reshape target that restates the batch copies it (0), every result
// type is re-inferred, and the attribute is gone.
// CHECK-LABEL: func.func @frees
// CHECK-SAME: (%[[X:.*]]: tensor<?x4x3x3xf32>) -> tensor<?x36xf32> {
// CHECK-NEXT: %[[R:.*]] = dyconv.relu %[[X]] : tensor<?x4x3x3xf32>
// CHECK-NEXT: %[[F:.*]] = dyconv.reshape %[[R]] {shape = array<i64: 0, 36>} : (tensor<?x4x3x3xf32>) -> tensor<?x36xf32>
// CHECK-NEXT: return %[[F]]
// CHECK-NOT: export_batch
// expected-remark@+1 {{freed the export batch 2}}
func.func @frees(%x: tensor<2x4x3x3xf32>) -> tensor<2x36xf32>
    attributes {dyconv.export_batch = 2 : i64} {
  %r = dyconv.relu %x : tensor<2x4x3x3xf32>
  %f = dyconv.reshape %r {shape = array<i64: 2, 36>} : (tensor<2x4x3x3xf32>) -> tensor<2x36xf32>
  return %f : tensor<2x36xf32>
}

// -----

// A convolution whose kernel is computed may fold the batch into its groups
// (a layer that was not raised): the function keeps its batch.
// CHECK-LABEL: func.func @computed_kernel
// CHECK-SAME: (%{{.*}}: tensor<2x2x3x3xf32>, %{{.*}}: tensor<4x1x1x1xf32>) -> tensor<1x4x3x3xf32>
// CHECK-SAME: dyconv.export_batch = 2
func.func @computed_kernel(%x: tensor<2x2x3x3xf32>, %w: tensor<4x1x1x1xf32>) -> tensor<1x4x3x3xf32>
    attributes {dyconv.export_batch = 2 : i64} {
  %v = dyconv.reshape %x {shape = array<i64: 1, 4, 3, 3>} : (tensor<2x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  %k = dyconv.relu %w : tensor<4x1x1x1xf32>
  // expected-warning@+1 {{cannot free the export batch 2: the kernel of this convolution is computed, so its groups may fold the batch}}
  %y = dyconv.conv2d %v, %k {groups = 4 : i64} : (tensor<1x4x3x3xf32>, tensor<4x1x1x1xf32>) -> tensor<1x4x3x3xf32>
  return %y : tensor<1x4x3x3xf32>
}

// -----

// A reshape that gives the batched data a fixed leading dimension (here the
// batch folded into the channels) would fix the batch: every type is restored.
// CHECK-LABEL: func.func @fixes_batch
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x3x3xf32>) -> tensor<1x8x3x3xf32>
// CHECK-SAME: dyconv.export_batch = 2
// CHECK-NEXT: dyconv.relu %[[X]] : tensor<2x4x3x3xf32>
// CHECK-NEXT: dyconv.reshape {{.*}} {shape = array<i64: 1, 8, 3, 3>} : (tensor<2x4x3x3xf32>) -> tensor<1x8x3x3xf32>
func.func @fixes_batch(%x: tensor<2x4x3x3xf32>) -> tensor<1x8x3x3xf32>
    attributes {dyconv.export_batch = 2 : i64} {
  %r = dyconv.relu %x : tensor<2x4x3x3xf32>
  // expected-warning@+1 {{cannot free the export batch 2: it gives the batch a fixed size}}
  %f = dyconv.reshape %r {shape = array<i64: 1, 8, 3, 3>} : (tensor<2x4x3x3xf32>) -> tensor<1x8x3x3xf32>
  return %f : tensor<1x8x3x3xf32>
}

// -----

// A function without dyconv.export_batch is left alone.
// CHECK-LABEL: func.func @not_an_export
// CHECK-SAME: (%{{.*}}: tensor<2x4x3x3xf32>) -> tensor<2x4x3x3xf32>
func.func @not_an_export(%x: tensor<2x4x3x3xf32>) -> tensor<2x4x3x3xf32> {
  %r = dyconv.relu %x : tensor<2x4x3x3xf32>
  return %r : tensor<2x4x3x3xf32>
}
