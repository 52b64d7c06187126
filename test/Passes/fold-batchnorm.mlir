// RUN: dyconv-opt %s -dyconv-fold-batchnorm -split-input-file | FileCheck %s

// Every case below uses the same batch norm where an exact result is wanted:
//   scale = [3, 0.5], bias = [1, -1], mean = [0.5, 2], var = [3, 0], eps = 1
//   s = scale / sqrt(var + eps)  = [3/2, 0.5/1]       = [1.5, 0.5]
//   t = bias - mean * s          = [1 - 0.75, -1 - 1] = [0.25, -2]

// A 1x1 conv with a bias, W = [[1, 2], [3, 4]], b = [0.5, -1]:
//   W' = W[o] * s[o]    = [[1.5, 3], [1.5, 2]]
//   b' = b * s + t      = [0.75 + 0.25, -0.5 - 2] = [1, -2.5]
// CHECK-LABEL: func.func @conv_with_bias
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x4x4xf32>)
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[\[\[\[}}1.500000e+00]], {{\[\[}}3.000000e+00]]], {{\[\[\[}}1.500000e+00]], {{\[\[}}2.000000e+00]]]]> : tensor<2x2x1x1xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[1.000000e+00, -2.500000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = dyconv.conv2d %[[X]], %[[W]], %[[B]] : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NOT: dyconv.batch_norm
// CHECK: return %[[Y]]
func.func @conv_with_bias(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = arith.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %b = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %gamma = arith.constant dense<[3.0, 0.5]> : tensor<2xf32>
  %beta = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[0.5, 2.0]> : tensor<2xf32>
  %var = arith.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %0 = dyconv.conv2d %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %1 = dyconv.batch_norm %0, %gamma, %beta, %mean, %var {epsilon = 1.0 : f64}
      : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// -----

// No conv bias, the default epsilon 1e-5 and a strided, padded 3x3 conv whose
// attributes must survive. W[o] is constant o + 1 over its 2*3*3 taps.
//   scale = [1, 2], bias = [0, 0.5], mean = [0.1, -0.2], var = [1, 0.5]
//   s  = [1/sqrt(1.00001), 2/sqrt(0.50001)] = [0.999995000, 2.828399...]
//   W' = [1 * s0, 2 * s1]                   = [0.999994993, 5.65679789]
//   b' = t = [-0.1 * s0, 0.5 + 0.2 * s1]    = [-0.0999995, 1.06567979]
// (computed in double, rounded to f32 once).
// CHECK-LABEL: func.func @conv_without_bias_default_eps
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[\[\[\[}}0.999994993, 0.999994993, 0.999994993], {{.*}}{{\[\[\[}}5.65679789, 5.65679789, 5.65679789], {{.*}} : tensor<2x2x3x3xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[-9.999950e-02, 1.06567979]> : tensor<2xf32>
// CHECK: dyconv.conv2d %{{.*}}, %[[W]], %[[B]] {dilation = array<i64: 2, 2>, padding = array<i64: 2, 2, 2, 2>, stride = array<i64: 2, 2>} : (tensor<1x2x8x8xf32>, tensor<2x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NOT: dyconv.batch_norm
func.func @conv_without_bias_default_eps(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32> {
  %w = arith.constant dense<[[[[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]],
                              [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]],
                             [[[2.0, 2.0, 2.0], [2.0, 2.0, 2.0], [2.0, 2.0, 2.0]],
                              [[2.0, 2.0, 2.0], [2.0, 2.0, 2.0], [2.0, 2.0, 2.0]]]]> : tensor<2x2x3x3xf32>
  %gamma = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %beta = arith.constant dense<[0.0, 0.5]> : tensor<2xf32>
  %mean = arith.constant dense<[0.1, -0.2]> : tensor<2xf32>
  %var = arith.constant dense<[1.0, 0.5]> : tensor<2xf32>
  %0 = dyconv.conv2d %x, %w {stride = array<i64: 2, 2>, padding = array<i64: 2, 2, 2, 2>, dilation = array<i64: 2, 2>}
      : (tensor<1x2x8x8xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x4x4xf32>
  %1 = dyconv.batch_norm %0, %gamma, %beta, %mean, %var
      : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// -----

// A depthwise conv (groups = Cin = Cout, W is [Cout, 1, 1, 1] = [2, 4]) with a
// splat bias b = 1 and a dynamic batch: W' = [3, 2], b' = [1.5 + 0.25,
// 0.5 - 2] = [1.75, -1.5].
// CHECK-LABEL: func.func @depthwise_dynamic_batch
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[\[\[\[}}3.000000e+00]]], {{\[\[\[}}2.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[1.750000e+00, -1.500000e+00]> : tensor<2xf32>
// CHECK: dyconv.conv2d %{{.*}}, %[[W]], %[[B]] {groups = 2 : i64} : (tensor<?x2x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<?x2x4x4xf32>
// CHECK-NOT: dyconv.batch_norm
func.func @depthwise_dynamic_batch(%x: tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32> {
  %w = arith.constant dense<[[[[2.0]]], [[[4.0]]]]> : tensor<2x1x1x1xf32>
  %b = arith.constant dense<1.0> : tensor<2xf32>
  %gamma = arith.constant dense<[3.0, 0.5]> : tensor<2xf32>
  %beta = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[0.5, 2.0]> : tensor<2xf32>
  %var = arith.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %0 = dyconv.conv2d %x, %w, %b {groups = 2} : (tensor<?x2x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<?x2x4x4xf32>
  %1 = dyconv.batch_norm %0, %gamma, %beta, %mean, %var {epsilon = 1.0 : f64}
      : (tensor<?x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<?x2x4x4xf32>
  return %1 : tensor<?x2x4x4xf32>
}

// -----

// ODConv (Cin = Cout = 2, k = 1, K = 2, filter and kernel heads): the scale
// goes into both kernels of the bank, bank'[i][o] = bank[i][o] * s[o]:
//   bank  = [[[1], [2]], [[3], [4]]],  [[[5], [6]], [[7], [8]]]
//   bank' = [[[1.5], [3]], [[1.5], [2]]],  [[[7.5], [9]], [[3.5], [4]]]
// and the shift t = [0.25, -2] is added after the odconv (after the filter
// attention), as a [1, Cout, 1, 1] broadcast.
// CHECK-LABEL: func.func @odconv
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x2x4x4xf32>, %[[FC:[^:]*]]: tensor<16x2xf32>
// CHECK-DAG: %[[BANK:.*]] = arith.constant dense<{{\[\[\[\[\[}}1.500000e+00]], {{\[\[}}3.000000e+00]]], {{\[\[\[}}1.500000e+00]], {{\[\[}}2.000000e+00]]]], {{\[\[\[\[}}7.500000e+00]], {{\[\[}}9.000000e+00]]], {{\[\[\[}}3.500000e+00]], {{\[\[}}4.000000e+00]]]]]> : tensor<2x2x2x1x1xf32>
// CHECK-DAG: %[[SHIFT:.*]] = arith.constant dense<{{\[\[\[\[}}2.500000e-01]], {{\[\[}}-2.000000e+00]]]]> : tensor<1x2x1x1xf32>
// CHECK: %[[OD:.*]] = dyconv.odconv %[[X]], %[[BANK]] attention(fc(%[[FC]]) bn({{.*}}) channel({{.*}}) filter({{.*}}) kernel({{.*}})) : {{.*}} -> tensor<1x2x4x4xf32>
// CHECK: %[[Y:.*]] = dyconv.add %[[OD]], %[[SHIFT]] : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NOT: dyconv.batch_norm
// CHECK: return %[[Y]]
func.func @odconv(%x: tensor<1x2x4x4xf32>, %fc: tensor<16x2xf32>, %p16: tensor<16xf32>,
                  %cw: tensor<2x16xf32>, %p2: tensor<2xf32>) -> tensor<1x2x4x4xf32> {
  %bank = arith.constant dense<[[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]],
                                [[[[5.0]], [[6.0]]], [[[7.0]], [[8.0]]]]]> : tensor<2x2x2x1x1xf32>
  %gamma = arith.constant dense<[3.0, 0.5]> : tensor<2xf32>
  %beta = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[0.5, 2.0]> : tensor<2xf32>
  %var = arith.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %0 = dyconv.odconv %x, %bank attention(fc(%fc) bn(%p16, %p16, %p16, %p16) channel(%cw, %p2)
          filter(%cw, %p2) kernel(%cw, %p2))
      : (tensor<1x2x4x4xf32>, tensor<2x2x2x1x1xf32>, tensor<16x2xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<2x16xf32>, tensor<2xf32>, tensor<2x16xf32>, tensor<2xf32>,
         tensor<2x16xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %1 = dyconv.batch_norm %0, %gamma, %beta, %mean, %var {epsilon = 1.0 : f64}
      : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// -----

// Weights as the importer writes them: dense_resource blobs (alignment 4, then
// little-endian f32). The folded constants are new blobs named after the
// originals; the conv has no bias, so its new bias, and the odconv's shift,
// are named after the batch norm's bias. Same numbers as above (bn2.bias has
// the values of bn.bias):
//   conv.weight [1, 2, 3, 4]  -> conv.weight.folded_bn [1.5, 3, 1.5, 2]
//   (no bias)                 -> bn.bias.folded_bn     t = [0.25, -2]
//   od.weight [1, ..., 8]     -> od.weight.folded_bn   [1.5, 3, 1.5, 2, 7.5, 9, 3.5, 4]
//   (shift)                   -> bn2.bias.folded_bn    [[[[0.25]], [[-2]]]]
// CHECK-LABEL: func.func @resources
// CHECK-DAG: %[[W:.*]] = arith.constant dense_resource<conv.weight.folded_bn> : tensor<2x2x1x1xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense_resource<bn.bias.folded_bn> : tensor<2xf32>
// CHECK-DAG: %[[BANK:.*]] = arith.constant dense_resource<od.weight.folded_bn> : tensor<2x2x2x1x1xf32>
// CHECK-DAG: %[[SHIFT:.*]] = arith.constant dense_resource<bn2.bias.folded_bn> : tensor<1x2x1x1xf32>
// CHECK: %[[Y:.*]] = dyconv.conv2d %{{.*}}, %[[W]], %[[B]] :
// CHECK: %[[OD:.*]] = dyconv.odconv %[[Y]], %[[BANK]]
// CHECK: %[[Z:.*]] = dyconv.add %[[OD]], %[[SHIFT]]
// CHECK-NOT: dyconv.batch_norm
// CHECK: return %[[Z]]
// CHECK: dialect_resources: {
// CHECK-NEXT: builtin: {
// CHECK-DAG: conv.weight.folded_bn: "0x040000000000C03F000040400000C03F00000040"
// CHECK-DAG: bn.bias.folded_bn: "0x040000000000803E000000C0"
// CHECK-DAG: od.weight.folded_bn: "0x040000000000C03F000040400000C03F000000400000F040000010410000604000008040"
// CHECK-DAG: bn2.bias.folded_bn: "0x040000000000803E000000C0"
// The originals are no longer referenced and are not printed.
// CHECK-NOT: conv.weight:
// CHECK-NOT: od.weight:
func.func @resources(%x: tensor<1x2x4x4xf32>, %fc: tensor<16x2xf32>, %p16: tensor<16xf32>,
                     %cw: tensor<2x16xf32>, %p2: tensor<2xf32>) -> tensor<1x2x4x4xf32> {
  %w = arith.constant dense_resource<conv.weight> : tensor<2x2x1x1xf32>
  %bank = arith.constant dense_resource<od.weight> : tensor<2x2x2x1x1xf32>
  %gamma = arith.constant dense_resource<bn.weight> : tensor<2xf32>
  %beta = arith.constant dense_resource<bn.bias> : tensor<2xf32>
  %beta2 = arith.constant dense_resource<bn2.bias> : tensor<2xf32>
  %mean = arith.constant dense_resource<bn.running_mean> : tensor<2xf32>
  %var = arith.constant dense_resource<bn.running_var> : tensor<2xf32>
  %0 = dyconv.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = dyconv.batch_norm %0, %gamma, %beta, %mean, %var {epsilon = 1.0 : f64}
      : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %2 = dyconv.odconv %1, %bank attention(fc(%fc) bn(%p16, %p16, %p16, %p16) channel(%cw, %p2)
          filter(%cw, %p2) kernel(%cw, %p2))
      : (tensor<1x2x4x4xf32>, tensor<2x2x2x1x1xf32>, tensor<16x2xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<2x16xf32>, tensor<2xf32>, tensor<2x16xf32>, tensor<2xf32>,
         tensor<2x16xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %3 = dyconv.batch_norm %2, %gamma, %beta2, %mean, %var {epsilon = 1.0 : f64}
      : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %3 : tensor<1x2x4x4xf32>
}

{-#
  dialect_resources: {
    builtin: {
      conv.weight: "0x040000000000803F000000400000404000008040",
      od.weight: "0x040000000000803F0000004000004040000080400000A0400000C0400000E04000000041",
      bn.weight: "0x04000000000040400000003F",
      bn.bias: "0x040000000000803F000080BF",
      bn2.bias: "0x040000000000803F000080BF",
      bn.running_mean: "0x040000000000003F00000040",
      bn.running_var: "0x040000000000404000000000"
    }
  }
#-}

// -----

// Negative: the conv has a second user, so folding would change it; the batch
// norm becomes a channel_affine.
// CHECK-LABEL: func.func @conv_two_users
// CHECK: %[[Y:.*]] = dyconv.conv2d %{{.*}}, %{{.*}} :
// CHECK: %[[N:.*]] = dyconv.channel_affine %[[Y]],
// CHECK: return %[[Y]], %[[N]]
func.func @conv_two_users(%x: tensor<1x2x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = arith.constant dense<1.0> : tensor<2x2x1x1xf32>
  %p = arith.constant dense<[3.0, 0.5]> : tensor<2xf32>
  %0 = dyconv.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = dyconv.batch_norm %0, %p, %p, %p, %p
      : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %0, %1 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// Negative: a batch-norm parameter (the mean) is not a constant.
// CHECK-LABEL: func.func @bn_param_not_constant
// CHECK: arith.constant dense<1.000000e+00> : tensor<2x2x1x1xf32>
// CHECK: %[[Y:.*]] = dyconv.conv2d
// CHECK: dyconv.batch_norm %[[Y]]
// CHECK-NOT: folded
func.func @bn_param_not_constant(%x: tensor<1x2x4x4xf32>, %mean: tensor<2xf32>) -> tensor<1x2x4x4xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2x1x1xf32>
  %p = arith.constant dense<[3.0, 0.5]> : tensor<2xf32>
  %0 = dyconv.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = dyconv.batch_norm %0, %p, %p, %mean, %p
      : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// -----

// Negative: the kernel, or the conv bias, is not a constant.
// CHECK-LABEL: func.func @conv_operands_not_constant
// CHECK: %[[Y:.*]] = dyconv.conv2d %{{.*}}, %{{.*}} :
// CHECK: dyconv.channel_affine %[[Y]]
// CHECK: %[[Z:.*]] = dyconv.conv2d %{{.*}}, %{{.*}}, %{{.*}} :
// CHECK: dyconv.channel_affine %[[Z]]
func.func @conv_operands_not_constant(%x: tensor<1x2x4x4xf32>, %w: tensor<2x2x1x1xf32>, %b: tensor<2xf32>)
    -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %cw = arith.constant dense<1.0> : tensor<2x2x1x1xf32>
  %p = arith.constant dense<[3.0, 0.5]> : tensor<2xf32>
  %0 = dyconv.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = dyconv.batch_norm %0, %p, %p, %p, %p
      : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %2 = dyconv.conv2d %x, %cw, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %3 = dyconv.batch_norm %2, %p, %p, %p, %p
      : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %1, %3 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// Negative: a dynamic_conv2d has per-sample kernels, not constants; the batch
// norm becomes a channel_affine.
// CHECK-LABEL: func.func @dynamic_conv2d
// CHECK: %[[Y:.*]] = dyconv.dynamic_conv2d
// CHECK: %[[N:.*]] = dyconv.channel_affine %[[Y]]
// CHECK-NOT: dyconv.add
// CHECK: return %[[N]]
func.func @dynamic_conv2d(%x: tensor<2x2x4x4xf32>, %w: tensor<2x2x2x1x1xf32>) -> tensor<2x2x4x4xf32> {
  %b = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %p = arith.constant dense<[3.0, 0.5]> : tensor<2xf32>
  %0 = dyconv.dynamic_conv2d %x, %w, %b : (tensor<2x2x4x4xf32>, tensor<2x2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x4x4xf32>
  %1 = dyconv.batch_norm %0, %p, %p, %p, %p
      : (tensor<2x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x2x4x4xf32>
  return %1 : tensor<2x2x4x4xf32>
}

// -----

// Negative: an odconv with a second user, and one whose bank is not constant.
// CHECK-LABEL: func.func @odconv_not_folded
// CHECK: %[[A:.*]] = dyconv.odconv
// CHECK: %[[NA:.*]] = dyconv.channel_affine %[[A]]
// CHECK: %[[B:.*]] = dyconv.odconv
// CHECK: %[[NB:.*]] = dyconv.channel_affine %[[B]]
// CHECK-NOT: dyconv.add
// CHECK: return %[[A]], %[[NA]], %[[NB]]
func.func @odconv_not_folded(%x: tensor<1x2x4x4xf32>, %fc: tensor<16x2xf32>, %p16: tensor<16xf32>,
                             %cw: tensor<2x16xf32>, %p2: tensor<2xf32>, %arg_bank: tensor<1x2x2x1x1xf32>)
    -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %bank = arith.constant dense<1.0> : tensor<1x2x2x1x1xf32>
  %p = arith.constant dense<[3.0, 0.5]> : tensor<2xf32>
  %0 = dyconv.odconv %x, %bank attention(fc(%fc) bn(%p16, %p16, %p16, %p16) channel(%cw, %p2) filter(%cw, %p2))
      : (tensor<1x2x4x4xf32>, tensor<1x2x2x1x1xf32>, tensor<16x2xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<2x16xf32>, tensor<2xf32>, tensor<2x16xf32>, tensor<2xf32>)
      -> tensor<1x2x4x4xf32>
  %1 = dyconv.batch_norm %0, %p, %p, %p, %p
      : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %2 = dyconv.odconv %x, %arg_bank attention(fc(%fc) bn(%p16, %p16, %p16, %p16) channel(%cw, %p2) filter(%cw, %p2))
      : (tensor<1x2x4x4xf32>, tensor<1x2x2x1x1xf32>, tensor<16x2xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<2x16xf32>, tensor<2xf32>, tensor<2x16xf32>, tensor<2xf32>)
      -> tensor<1x2x4x4xf32>
  %3 = dyconv.batch_norm %2, %p, %p, %p, %p
      : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %0, %1, %3 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}
