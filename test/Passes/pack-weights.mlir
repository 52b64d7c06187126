// RUN: dyconv-opt %s -dyconv-pack-weights | FileCheck %s

// A convert_layout of a constant becomes the constant stored in the new
// layout, at compile time; a convert_layout of a value computed at run time
// stays. The 2x2 weight w[o][i] = [[1, 2], [3, 4]] in OIhw4i4o (the output
// channel innermost, each block padded with zeros to 4 x 4):
//   i = 0: w[0][0] w[1][0] 0 0 = 1 3 0 0;  i = 1: w[0][1] w[1][1] 0 0 = 2 4 0 0;
//   then 8 zeros for i = 2, 3.
// CHECK-LABEL: func.func @pack
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x2x1x1xf32>)
// CHECK: %[[W:.*]] = arith.constant dense_resource<[[NAME:[a-z_.0-9]+]]> : tensor<2x2x1x1xf32, #dyconv.blocked<[1, 0] x[4, 4]>>
// CHECK: %[[XB:.*]] = dyconv.convert_layout %[[X]] : tensor<1x2x1x1xf32> -> tensor<1x2x1x1xf32, #dyconv.blocked<[1] x[4]>>
// CHECK: dyconv.fused_conv2d %[[XB]], %[[W]]
// CHECK-NOT: dyconv.convert_layout
// CHECK: [[NAME]]: "0x04000000
// CHECK-SAME: 0000803F00004040000000000000000000000040000080400000000000000000
// CHECK-SAME: 0000000000000000000000000000000000000000000000000000000000000000"
func.func @pack(%x: tensor<1x2x1x1xf32>) -> tensor<1x2x1x1xf32, #dyconv.blocked<[1] x[4]>> {
  %w = arith.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %p = dyconv.convert_layout %w : tensor<2x2x1x1xf32> -> tensor<2x2x1x1xf32, #dyconv.blocked<[1, 0] x[4, 4]>>
  %xb = dyconv.convert_layout %x : tensor<1x2x1x1xf32> -> tensor<1x2x1x1xf32, #dyconv.blocked<[1] x[4]>>
  %y = dyconv.fused_conv2d %xb, %p : (tensor<1x2x1x1xf32, #dyconv.blocked<[1] x[4]>>, tensor<2x2x1x1xf32, #dyconv.blocked<[1, 0] x[4, 4]>>) -> tensor<1x2x1x1xf32, #dyconv.blocked<[1] x[4]>>
  return %y : tensor<1x2x1x1xf32, #dyconv.blocked<[1] x[4]>>
}
