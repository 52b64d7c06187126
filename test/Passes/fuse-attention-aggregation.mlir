// RUN: dyconv-opt %s -split-input-file -dyconv-fuse-attention-aggregation | FileCheck %s

// A blocked conv whose row strip covers its whole output (tile [7, 1, 2, 1,
// 7] on 7 rows) reads the bank and the aggregate's attentions itself: the
// aggregate and its per-sample kernels are gone, the bank keeps its packed
// layout.
// CHECK-LABEL: func.func @one_strip
// CHECK-SAME: (%[[X:[^:]*]]: {{.*}}, %[[BANK:[^:]*]]: {{.*}}, %[[C:[^:]*]]: {{.*}}, %[[F:[^:]*]]: {{.*}}, %[[S:[^:]*]]: {{.*}}, %[[K:[^:]*]]: {{.*}})
// CHECK-NOT: dyconv.aggregate
// CHECK: %[[Y:.*]] = dyconv.fused_conv2d %[[X]], %[[BANK]] channel_attention %[[C]] filter_attention %[[F]] spatial_attention %[[S]] kernel_attention %[[K]] {activation = #dyconv<activation relu>, padding = array<i64: 1, 1, 1, 1>, schedule = #dyconv.conv_schedule<blocked, tile = [7, 1, 2, 1, 7]>} : (tensor<?x32x7x7xf32, #dyconv.blocked<[1] x[16]>>, tensor<2x32x32x3x3xf32, #dyconv.blocked<[2, 1] x[16, 16]>>, tensor<?x32xf32>, tensor<?x32xf32>, tensor<?x9xf32>, tensor<?x2xf32>) -> tensor<?x32x7x7xf32, #dyconv.blocked<[1] x[16]>>
// CHECK: return %[[Y]]
func.func @one_strip(%x: tensor<?x32x7x7xf32, #dyconv.blocked<[1] x[16]>>, %bank: tensor<2x32x32x3x3xf32, #dyconv.blocked<[2, 1] x[16, 16]>>,
                     %c: tensor<?x32xf32>, %f: tensor<?x32xf32>, %s: tensor<?x9xf32>, %k: tensor<?x2xf32>) -> tensor<?x32x7x7xf32, #dyconv.blocked<[1] x[16]>> {
  %w = dyconv.aggregate %bank channel(%c) filter(%f) spatial(%s) kernel(%k)
      : (tensor<2x32x32x3x3xf32, #dyconv.blocked<[2, 1] x[16, 16]>>, tensor<?x32xf32>, tensor<?x32xf32>, tensor<?x9xf32>, tensor<?x2xf32>) -> tensor<?x32x32x3x3xf32, #dyconv.blocked<[2, 1] x[16, 16]>>
  %y = dyconv.fused_conv2d %x, %w {activation = #dyconv<activation relu>, padding = array<i64: 1, 1, 1, 1>, schedule = #dyconv.conv_schedule<blocked, tile = [7, 1, 2, 1, 7]>}
      : (tensor<?x32x7x7xf32, #dyconv.blocked<[1] x[16]>>, tensor<?x32x32x3x3xf32, #dyconv.blocked<[2, 1] x[16, 16]>>) -> tensor<?x32x7x7xf32, #dyconv.blocked<[1] x[16]>>
  return %y : tensor<?x32x7x7xf32, #dyconv.blocked<[1] x[16]>>
}

// -----

// Kept apart: 7 strips of one row (each would aggregate the kernels again),
// a batch of 8 with 4 kernels (reading the bank for every sample, 32 kernels'
// worth, costs more than the aggregate's 4 + 2 x 8) and an aggregate with two
// users. A batch of 2 with the same bank fuses (8 <= 4 + 2 x 2).
// CHECK-LABEL: func.func @kept_apart
// CHECK: %[[W1:.*]] = dyconv.aggregate
// CHECK: dyconv.fused_conv2d %{{.*}}, %[[W1]] {{.*}}tile = [7, 1, 2, 1, 1]
// CHECK: %[[W8:.*]] = dyconv.aggregate
// CHECK: dyconv.fused_conv2d %{{.*}}, %[[W8]] {
// CHECK: %[[WT:.*]] = dyconv.aggregate
// CHECK: dyconv.fused_conv2d %{{.*}}, %[[WT]] {
// CHECK: dyconv.fused_conv2d %{{.*}}, %[[WT]] {
// CHECK-NOT: dyconv.aggregate
// CHECK: dyconv.fused_conv2d %{{.*}}, %{{.*}} channel_attention %{{.*}} kernel_attention %{{.*}} {{.*}} -> tensor<2x32x7x7xf32
!act = tensor<?x32x7x7xf32, #dyconv.blocked<[1] x[16]>>
!act8 = tensor<8x32x7x7xf32, #dyconv.blocked<[1] x[16]>>
!act2 = tensor<2x32x7x7xf32, #dyconv.blocked<[1] x[16]>>
!bank2 = tensor<2x32x32x3x3xf32, #dyconv.blocked<[2, 1] x[16, 16]>>
!bank4 = tensor<4x32x32x3x3xf32, #dyconv.blocked<[2, 1] x[16, 16]>>
!w = tensor<?x32x32x3x3xf32, #dyconv.blocked<[2, 1] x[16, 16]>>
!w8 = tensor<8x32x32x3x3xf32, #dyconv.blocked<[2, 1] x[16, 16]>>
!w2 = tensor<2x32x32x3x3xf32, #dyconv.blocked<[2, 1] x[16, 16]>>
func.func @kept_apart(%x: !act, %x8: !act8, %x2: !act2, %bank: !bank2, %bank4: !bank4,
                      %c: tensor<?x32xf32>, %k: tensor<?x2xf32>, %c8: tensor<8x32xf32>, %k8: tensor<8x4xf32>,
                      %c2: tensor<2x32xf32>, %k2: tensor<2x4xf32>) -> (!act, !act8, !act, !act, !act2) {
  %w1 = dyconv.aggregate %bank channel(%c) kernel(%k) : (!bank2, tensor<?x32xf32>, tensor<?x2xf32>) -> !w
  %y1 = dyconv.fused_conv2d %x, %w1 {padding = array<i64: 1, 1, 1, 1>, schedule = #dyconv.conv_schedule<blocked, tile = [7, 1, 2, 1, 1]>} : (!act, !w) -> !act
  %w8 = dyconv.aggregate %bank4 channel(%c8) kernel(%k8) : (!bank4, tensor<8x32xf32>, tensor<8x4xf32>) -> !w8
  %y8 = dyconv.fused_conv2d %x8, %w8 {padding = array<i64: 1, 1, 1, 1>, schedule = #dyconv.conv_schedule<blocked, tile = [7, 1, 2, 1, 7]>} : (!act8, !w8) -> !act8
  %wt = dyconv.aggregate %bank channel(%c) kernel(%k) : (!bank2, tensor<?x32xf32>, tensor<?x2xf32>) -> !w
  %ya = dyconv.fused_conv2d %x, %wt {padding = array<i64: 1, 1, 1, 1>, schedule = #dyconv.conv_schedule<blocked, tile = [7, 1, 2, 1, 7]>} : (!act, !w) -> !act
  %yb = dyconv.fused_conv2d %x, %wt {padding = array<i64: 1, 1, 1, 1>, schedule = #dyconv.conv_schedule<blocked, tile = [7, 1, 2, 1, 7]>} : (!act, !w) -> !act
  %w2 = dyconv.aggregate %bank4 channel(%c2) kernel(%k2) : (!bank4, tensor<2x32xf32>, tensor<2x4xf32>) -> !w2
  %y2 = dyconv.fused_conv2d %x2, %w2 {padding = array<i64: 1, 1, 1, 1>, schedule = #dyconv.conv_schedule<blocked, tile = [7, 1, 2, 1, 7]>} : (!act2, !w2) -> !act2
  return %y1, %y8, %ya, %yb, %y2 : !act, !act8, !act, !act, !act2
}
