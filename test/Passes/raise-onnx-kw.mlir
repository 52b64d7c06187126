// RUN: dyconv-opt %s -split-input-file -dyconv-raise-onnx-dynamic-conv -dyconv-free-export-batch | FileCheck %s

// The KernelWarehouse layers of ONNX exports, in the form the importer gives
// them, become kw_attention + kw_assemble + dynamic_conv2d, and the export
// batch becomes dynamic.

// Two layers at batch 2 reading one warehouse through linear weights with
// the same contents `wh` and `wh_copy` ([co*ci, M] = [4, 2], the importer's
// transposed copies of one initializer): a 3x3 conv cut into 1x1 cells (9
// mixtures) with a BatchNorm attention and the temperature-0 mul by 1 and
// add of zeros, then a 1x1 conv (1 mixture) with a biased fc1 and no norm,
// no temperature ops, the mean taken without keepdims and the CAF's add
// operands in the other order. Both assemble from one warehouse constant,
// the transpose of `wh` in a new blob.
// CHECK-LABEL: func.func @shared_warehouse
// CHECK-SAME: (%[[X:.*]]: tensor<?x2x3x3xf32>) -> tensor<?x2x3x3xf32> {
// CHECK: %[[E:.*]] = arith.constant dense_resource<wh.warehouse> : tensor<2x2x2x1x1xf32>
// CHECK-NOT: tensor<2x2x2x1x1xf32>
// CHECK: %[[A1:.*]] = dyconv.kw_attention %[[X]] fc1(%{{[^)]*}}) norm(%{{[^)]*}}) fc2(%{{[^)]*}}) {num_cells = 2 : i64, num_mixtures = 9 : i64}
// CHECK-SAME: -> tensor<?x9x2xf32>
// CHECK-NEXT: %[[W1:.*]] = dyconv.kw_assemble %[[A1]], %[[E]] {in_blocks = 1 : i64, kernel_size = array<i64: 3, 3>, out_blocks = 1 : i64}
// CHECK-SAME: (tensor<?x9x2xf32>, tensor<2x2x2x1x1xf32>) -> tensor<?x2x2x3x3xf32>
// CHECK-NEXT: %[[Y1:.*]] = dyconv.dynamic_conv2d %[[X]], %[[W1]] {padding = array<i64: 1, 1, 1, 1>}
// CHECK-SAME: -> tensor<?x2x3x3xf32>
// CHECK-NEXT: %[[A2:.*]] = dyconv.kw_attention %[[Y1]] fc1(%{{[^,]*}}, %{{[^)]*}}) fc2(%{{[^)]*}}) {num_cells = 2 : i64, num_mixtures = 1 : i64}
// CHECK-NEXT: %[[W2:.*]] = dyconv.kw_assemble %[[A2]], %[[E]] {in_blocks = 1 : i64, kernel_size = array<i64: 1, 1>, out_blocks = 1 : i64}
// CHECK-NEXT: %[[Y2:.*]] = dyconv.dynamic_conv2d %[[Y1]], %[[W2]] :
// CHECK-NEXT: return %[[Y2]] : tensor<?x2x3x3xf32>
// E[j, c] = wh[c, j]: cells 1/8, 3/8, 5/8, 7/8 and 2/8, 4/8, 6/8, 8/8.
// CHECK: wh.warehouse: "0x040000000000003E0000C03E0000203F0000603F0000803E0000003F0000403F0000803F"
func.func @shared_warehouse(%x: tensor<2x2x3x3xf32>) -> tensor<2x2x3x3xf32>
    attributes {dyconv.export_batch = 2 : i64} {
  %wt = arith.constant dense_resource<wh> : tensor<4x2xf32>
  %wt2 = arith.constant dense_resource<wh_copy> : tensor<4x2xf32>
  %fc1 = arith.constant dense<0.5> : tensor<2x2xf32>
  %p = arith.constant dense<0.7> : tensor<2xf32>
  %fc2 = arith.constant dense<0.3> : tensor<27x2xf32>
  %b2 = arith.constant dense<0.1> : tensor<27xf32>
  %fc2b = arith.constant dense<0.3> : tensor<3x2xf32>
  %b2b = arith.constant dense<0.1> : tensor<3xf32>
  %eps = arith.constant dense<1.0e-3> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %tb = arith.constant dense<0.0> : tensor<1x27xf32>
  %a0 = dyconv.reshape %x {shape = array<i64: 2, 2, -1>} : (tensor<2x2x3x3xf32>) -> tensor<2x2x9xf32>
  %a1 = dyconv.reduce_mean %a0 {axes = array<i64: 2>, keepdims = true} : (tensor<2x2x9xf32>) -> tensor<2x2x1xf32>
  %a = dyconv.reshape %a1 {shape = array<i64: 2, 2>} : (tensor<2x2x1xf32>) -> tensor<2x2xf32>
  %z = dyconv.linear %a, %fc1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %zn = dyconv.batch_norm %z, %p, %p, %p, %p : (tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %h = dyconv.relu %zn : tensor<2x2xf32>
  %lg = dyconv.linear %h, %fc2, %b2 : (tensor<2x2xf32>, tensor<27x2xf32>, tensor<27xf32>) -> tensor<2x27xf32>
  %l = dyconv.reshape %lg {shape = array<i64: -1, 3>} : (tensor<2x27xf32>) -> tensor<18x3xf32>
  %ab = dyconv.abs %l : tensor<18x3xf32>
  %sum = dyconv.reduce_sum %ab {axes = array<i64: 1>, keepdims = false} : (tensor<18x3xf32>) -> tensor<18xf32>
  %sr = dyconv.reshape %sum {shape = array<i64: -1, 1>} : (tensor<18xf32>) -> tensor<18x1xf32>
  %den = dyconv.add %sr, %eps : (tensor<18x1xf32>, tensor<f32>) -> tensor<18x1xf32>
  %caf = dyconv.div %l, %den : (tensor<18x3xf32>, tensor<18x1xf32>) -> tensor<18x3xf32>
  %r3 = dyconv.reshape %caf {shape = array<i64: -1, 27>} : (tensor<18x3xf32>) -> tensor<2x27xf32>
  %mt = dyconv.mul %r3, %one : (tensor<2x27xf32>, tensor<f32>) -> tensor<2x27xf32>
  %at = dyconv.add %mt, %tb : (tensor<2x27xf32>, tensor<1x27xf32>) -> tensor<2x27xf32>
  %r4 = dyconv.reshape %at {shape = array<i64: -1, 3>} : (tensor<2x27xf32>) -> tensor<18x3xf32>
  %co = dyconv.slice %r4 {axes = array<i64: 1>, starts = array<i64: 0>, ends = array<i64: -1>, steps = array<i64: 1>} : (tensor<18x3xf32>) -> tensor<18x2xf32>
  %xr = dyconv.reshape %x {shape = array<i64: 1, -1, 3, 3>} : (tensor<2x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  %cells = dyconv.linear %co, %wt : (tensor<18x2xf32>, tensor<4x2xf32>) -> tensor<18x4xf32>
  %r8 = dyconv.reshape %cells {shape = array<i64: 2, 9, 1, 1, 2, 2, 1, 1>} : (tensor<18x4xf32>) -> tensor<2x9x1x1x2x2x1x1xf32>
  %tr = dyconv.transpose %r8 {perm = array<i64: 0, 2, 4, 3, 5, 1, 6, 7>} : (tensor<2x9x1x1x2x2x1x1xf32>) -> tensor<2x1x2x1x2x9x1x1xf32>
  %w = dyconv.reshape %tr {shape = array<i64: -1, 2, 3, 3>} : (tensor<2x1x2x1x2x9x1x1xf32>) -> tensor<4x2x3x3xf32>
  %y = dyconv.conv2d %xr, %w {groups = 2 : i64, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x4x3x3xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  %yr = dyconv.reshape %y {shape = array<i64: 2, 2, 3, 3>} : (tensor<1x4x3x3xf32>) -> tensor<2x2x3x3xf32>
  %b0 = dyconv.reshape %yr {shape = array<i64: 2, 2, -1>} : (tensor<2x2x3x3xf32>) -> tensor<2x2x9xf32>
  %b1 = dyconv.reduce_mean %b0 {axes = array<i64: -1>, keepdims = false} : (tensor<2x2x9xf32>) -> tensor<2x2xf32>
  %bz = dyconv.linear %b1, %fc1, %p : (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %bh = dyconv.relu %bz : tensor<2x2xf32>
  %blg = dyconv.linear %bh, %fc2b, %b2b : (tensor<2x2xf32>, tensor<3x2xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %bl = dyconv.reshape %blg {shape = array<i64: -1, 3>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %bab = dyconv.abs %bl : tensor<2x3xf32>
  %bsum = dyconv.reduce_sum %bab {axes = array<i64: 1>, keepdims = true} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  %bden = dyconv.add %eps, %bsum : (tensor<f32>, tensor<2x1xf32>) -> tensor<2x1xf32>
  %bcaf = dyconv.div %bl, %bden : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  %bco = dyconv.slice %bcaf {axes = array<i64: -1>, starts = array<i64: 0>, ends = array<i64: 2>, steps = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  %bxr = dyconv.reshape %yr {shape = array<i64: 1, -1, 3, 3>} : (tensor<2x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  %bcells = dyconv.linear %bco, %wt2 : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %br8 = dyconv.reshape %bcells {shape = array<i64: 2, 1, 1, 1, 2, 2, 1, 1>} : (tensor<2x4xf32>) -> tensor<2x1x1x1x2x2x1x1xf32>
  %btr = dyconv.transpose %br8 {perm = array<i64: 0, 2, 4, 3, 5, 1, 6, 7>} : (tensor<2x1x1x1x2x2x1x1xf32>) -> tensor<2x1x2x1x2x1x1x1xf32>
  %bw = dyconv.reshape %btr {shape = array<i64: -1, 2, 1, 1>} : (tensor<2x1x2x1x2x1x1x1xf32>) -> tensor<4x2x1x1xf32>
  %by = dyconv.conv2d %bxr, %bw {groups = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x3x3xf32>
  %byr = dyconv.reshape %by {shape = array<i64: 2, 2, 3, 3>} : (tensor<1x4x3x3xf32>) -> tensor<2x2x3x3xf32>
  return %byr : tensor<2x2x3x3xf32>
}

{-#
  dialect_resources: {
    builtin: {
      wh: "0x040000000000003E0000803E0000C03E0000003F0000203F0000403F0000603F0000803F",
      wh_copy: "0x040000000000003E0000803E0000C03E0000003F0000203F0000403F0000603F0000803F"
    }
  }
#-}

// -----

// Whole-kernel cells (gs = 1: each mixture a [co, ci, 3, 3] cell) at
// batch 1, the spatial mean taken by global_avg_pool: 2 output blocks of one
// channel, 1 input block of two.
// CHECK-LABEL: func.func @whole_kernel_cells_batch1
// CHECK-SAME: (%[[X:.*]]: tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32> {
// CHECK: %[[E:.*]] = arith.constant dense<2.500000e-01> : tensor<2x1x2x3x3xf32>
// CHECK: %[[A:.*]] = dyconv.kw_attention %[[X]] fc1(%{{[^)]*}}) norm(%{{[^)]*}}) fc2(%{{[^)]*}}) {num_cells = 2 : i64, num_mixtures = 2 : i64}
// CHECK-NEXT: %[[W:.*]] = dyconv.kw_assemble %[[A]], %[[E]] {in_blocks = 1 : i64, kernel_size = array<i64: 3, 3>, out_blocks = 2 : i64}
// CHECK-SAME: (tensor<?x2x2xf32>, tensor<2x1x2x3x3xf32>) -> tensor<?x2x2x3x3xf32>
// CHECK-NEXT: %[[Y:.*]] = dyconv.dynamic_conv2d %[[X]], %[[W]] {padding = array<i64: 1, 1, 1, 1>}
// CHECK-NEXT: return %[[Y]] : tensor<?x2x4x4xf32>
func.func @whole_kernel_cells_batch1(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
    attributes {dyconv.export_batch = 1 : i64} {
  %wt = arith.constant dense<0.25> : tensor<18x2xf32>
  %fc1 = arith.constant dense<0.5> : tensor<2x2xf32>
  %p = arith.constant dense<0.7> : tensor<2xf32>
  %fc2 = arith.constant dense<0.3> : tensor<6x2xf32>
  %b2 = arith.constant dense<0.1> : tensor<6xf32>
  %eps = arith.constant dense<1.0e-3> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %tb = arith.constant dense<0.0> : tensor<1x6xf32>
  %pool = dyconv.global_avg_pool %x : (tensor<1x2x4x4xf32>) -> tensor<1x2x1x1xf32>
  %a = dyconv.reshape %pool {shape = array<i64: 1, 2>} : (tensor<1x2x1x1xf32>) -> tensor<1x2xf32>
  %z = dyconv.linear %a, %fc1 : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %zn = dyconv.batch_norm %z, %p, %p, %p, %p : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %h = dyconv.relu %zn : tensor<1x2xf32>
  %lg = dyconv.linear %h, %fc2, %b2 : (tensor<1x2xf32>, tensor<6x2xf32>, tensor<6xf32>) -> tensor<1x6xf32>
  %l = dyconv.reshape %lg {shape = array<i64: -1, 3>} : (tensor<1x6xf32>) -> tensor<2x3xf32>
  %ab = dyconv.abs %l : tensor<2x3xf32>
  %sum = dyconv.reduce_sum %ab {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
  %sr = dyconv.reshape %sum {shape = array<i64: -1, 1>} : (tensor<2xf32>) -> tensor<2x1xf32>
  %den = dyconv.add %sr, %eps : (tensor<2x1xf32>, tensor<f32>) -> tensor<2x1xf32>
  %caf = dyconv.div %l, %den : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  %r3 = dyconv.reshape %caf {shape = array<i64: -1, 6>} : (tensor<2x3xf32>) -> tensor<1x6xf32>
  %mt = dyconv.mul %one, %r3 : (tensor<f32>, tensor<1x6xf32>) -> tensor<1x6xf32>
  %at = dyconv.add %tb, %mt : (tensor<1x6xf32>, tensor<1x6xf32>) -> tensor<1x6xf32>
  %r4 = dyconv.reshape %at {shape = array<i64: -1, 3>} : (tensor<1x6xf32>) -> tensor<2x3xf32>
  %co = dyconv.slice %r4 {axes = array<i64: 1>, starts = array<i64: 0>, ends = array<i64: -1>, steps = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  %xr = dyconv.reshape %x {shape = array<i64: 1, -1, 4, 4>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %cells = dyconv.linear %co, %wt : (tensor<2x2xf32>, tensor<18x2xf32>) -> tensor<2x18xf32>
  %r8 = dyconv.reshape %cells {shape = array<i64: 1, 1, 2, 1, 1, 2, 3, 3>} : (tensor<2x18xf32>) -> tensor<1x1x2x1x1x2x3x3xf32>
  %tr = dyconv.transpose %r8 {perm = array<i64: 0, 2, 4, 3, 5, 1, 6, 7>} : (tensor<1x1x2x1x1x2x3x3xf32>) -> tensor<1x2x1x1x2x1x3x3xf32>
  %w = dyconv.reshape %tr {shape = array<i64: -1, 2, 3, 3>} : (tensor<1x2x1x1x2x1x3x3xf32>) -> tensor<2x2x3x3xf32>
  %y = dyconv.conv2d %xr, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x4x4xf32>
  %yr = dyconv.reshape %y {shape = array<i64: 1, 2, 4, 4>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %yr : tensor<1x2x4x4xf32>
}
