// RUN: dyconv-opt %s -dyconv-decompose-dynamic-conv -split-input-file | FileCheck %s

// The attention batch norm of the exact cases (A = 4 hidden units):
//   scale = [3, 0.5, 1, 1], bias = [1, -1, 0, 0.5], mean = [0.5, 2, 0, -1],
//   var = [3, 0, 0, 3], eps = 1
//   s = scale / sqrt(var + eps) = [3/2, 0.5/1, 1/1, 1/2]  = [1.5, 0.5, 1, 0.5]
//   t = bias - mean * s         = [1 - 0.75, -1 - 1, 0, 0.5 + 0.5]
//                               = [0.25, -2, 0, 1]
// and the fc (bias-free, [A, Cin]) fc = [[1, 2], [3, 4], [5, 6], [7, 8]]:
//   fc'   = fc[o] * s[o] = [[1.5, 3], [1.5, 2], [5, 6], [3.5, 4]]
//   bias' = t            = [0.25, -2, 0, 1]

// All four heads (Cin = Cout = 2, k = 3, K = 2), a dynamic batch and a
// temperature: the folded fc and bias are exact; odconv_attention has four
// results (channel, filter, spatial, kernel) that feed the aggregate in that
// order; the conv attributes go to dynamic_conv2d, the temperature to the
// attention.
// CHECK-LABEL: func.func @all_heads
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x2x4x4xf32>, %[[CW:[^:]*]]: tensor<2x4xf32>, %[[P2:[^:]*]]: tensor<2xf32>, %[[SW:[^:]*]]: tensor<9x4xf32>, %[[P9:[^:]*]]: tensor<9xf32>, %[[BANK:[^:]*]]: tensor<2x2x2x3x3xf32>)
// CHECK-DAG: %[[FC:.*]] = arith.constant dense<{{\[\[}}1.500000e+00, 3.000000e+00], [1.500000e+00, 2.000000e+00], [5.000000e+00, 6.000000e+00], [3.500000e+00, 4.000000e+00]]> : tensor<4x2xf32>
// CHECK-DAG: %[[FCB:.*]] = arith.constant dense<[2.500000e-01, -2.000000e+00, 0.000000e+00, 1.000000e+00]> : tensor<4xf32>
// CHECK: %[[ATT:.*]]:4 = dyconv.odconv_attention %[[X]] fc(%[[FC]], %[[FCB]]) channel(%[[CW]], %[[P2]]) filter(%[[CW]], %[[P2]]) spatial(%[[SW]], %[[P9]]) kernel(%[[CW]], %[[P2]]) {temperature = 2.000000e+00 : f64}
// CHECK-SAME: -> (tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x9xf32>, tensor<?x2xf32>)
// CHECK: %[[W:.*]] = dyconv.aggregate %[[BANK]] channel(%[[ATT]]#0) filter(%[[ATT]]#1) spatial(%[[ATT]]#2) kernel(%[[ATT]]#3) :
// CHECK-SAME: -> tensor<?x2x2x3x3xf32>
// CHECK: %[[Y:.*]] = dyconv.dynamic_conv2d %[[X]], %[[W]] {padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<?x2x4x4xf32>, tensor<?x2x2x3x3xf32>) -> tensor<?x2x2x2xf32>
// CHECK-NOT: dyconv.odconv
// CHECK: return %[[Y]]
func.func @all_heads(%x: tensor<?x2x4x4xf32>, %cw: tensor<2x4xf32>, %p2: tensor<2xf32>,
                     %sw: tensor<9x4xf32>, %p9: tensor<9xf32>, %bank: tensor<2x2x2x3x3xf32>) -> tensor<?x2x2x2xf32> {
  %fc = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %gamma = arith.constant dense<[3.0, 0.5, 1.0, 1.0]> : tensor<4xf32>
  %beta = arith.constant dense<[1.0, -1.0, 0.0, 0.5]> : tensor<4xf32>
  %mean = arith.constant dense<[0.5, 2.0, 0.0, -1.0]> : tensor<4xf32>
  %var = arith.constant dense<[3.0, 0.0, 0.0, 3.0]> : tensor<4xf32>
  %0 = dyconv.odconv %x, %bank attention(fc(%fc) bn(%gamma, %beta, %mean, %var) channel(%cw, %p2)
          filter(%cw, %p2) spatial(%sw, %p9) kernel(%cw, %p2))
          {stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, temperature = 2.0, bn_epsilon = 1.0}
      : (tensor<?x2x4x4xf32>, tensor<2x2x2x3x3xf32>, tensor<4x2xf32>, tensor<4xf32>, tensor<4xf32>,
         tensor<4xf32>, tensor<4xf32>, tensor<2x4xf32>, tensor<2xf32>, tensor<2x4xf32>, tensor<2xf32>,
         tensor<9x4xf32>, tensor<9xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<?x2x2x2xf32>
  return %0 : tensor<?x2x2x2xf32>
}

// -----

// Depthwise (Cin = Cout = groups = 2): no filter head. The attention has
// three results (channel, spatial, kernel), the aggregate takes no filter
// attention, and groups reach both the aggregate and the conv. The attention
// batch norm (scale 1, bias 0, mean 0, var 1, default epsilon) gives
// fc' = 0.5 / sqrt(1 + 1e-5) = 0.499997497 and t = 0.
// CHECK-LABEL: func.func @depthwise_no_filter_head
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x2x4x4xf32>, %[[CW:[^:]*]]: tensor<2x4xf32>, %[[P2:[^:]*]]: tensor<2xf32>, %[[SW:[^:]*]]: tensor<9x4xf32>, %[[P9:[^:]*]]: tensor<9xf32>, %[[BANK:[^:]*]]: tensor<2x2x1x3x3xf32>)
// CHECK-DAG: %[[FC:.*]] = arith.constant dense<0.499997497> : tensor<4x2xf32>
// CHECK-DAG: %[[FCB:.*]] = arith.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK: %[[ATT:.*]]:3 = dyconv.odconv_attention %[[X]] fc(%[[FC]], %[[FCB]]) channel(%[[CW]], %[[P2]]) spatial(%[[SW]], %[[P9]]) kernel(%[[CW]], %[[P2]]) :
// CHECK-SAME: (tensor<1x2x4x4xf32>, tensor<4x2xf32>, tensor<4xf32>, tensor<2x4xf32>, tensor<2xf32>, tensor<9x4xf32>, tensor<9xf32>, tensor<2x4xf32>, tensor<2xf32>) -> (tensor<1x2xf32>, tensor<1x9xf32>, tensor<1x2xf32>)
// CHECK: %[[W:.*]] = dyconv.aggregate %[[BANK]] channel(%[[ATT]]#0) spatial(%[[ATT]]#1) kernel(%[[ATT]]#2) {groups = 2 : i64} :
// CHECK-SAME: -> tensor<1x2x1x3x3xf32>
// CHECK: %[[Y:.*]] = dyconv.dynamic_conv2d %[[X]], %[[W]] {groups = 2 : i64, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<1x2x1x3x3xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NOT: dyconv.odconv
// CHECK: return %[[Y]]
func.func @depthwise_no_filter_head(%x: tensor<1x2x4x4xf32>, %cw: tensor<2x4xf32>, %p2: tensor<2xf32>,
                                    %sw: tensor<9x4xf32>, %p9: tensor<9xf32>, %bank: tensor<2x2x1x3x3xf32>)
    -> tensor<1x2x4x4xf32> {
  %fc = arith.constant dense<0.5> : tensor<4x2xf32>
  %p4 = arith.constant dense<1.0> : tensor<4xf32>
  %zero4 = arith.constant dense<0.0> : tensor<4xf32>
  %0 = dyconv.odconv %x, %bank attention(fc(%fc) bn(%p4, %zero4, %zero4, %p4) channel(%cw, %p2)
          spatial(%sw, %p9) kernel(%cw, %p2))
          {groups = 2, padding = array<i64: 1, 1, 1, 1>}
      : (tensor<1x2x4x4xf32>, tensor<2x2x1x3x3xf32>, tensor<4x2xf32>, tensor<4xf32>, tensor<4xf32>,
         tensor<4xf32>, tensor<4xf32>, tensor<2x4xf32>, tensor<2xf32>,
         tensor<9x4xf32>, tensor<9xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// 1x1 (k = 1, K = 2): no spatial head. The results are channel, filter,
// kernel, fed to the aggregate as such. The batch norm is the exact one of
// the header (var + eps = [4, 1, 1, 4]).
// CHECK-LABEL: func.func @pointwise_no_spatial_head
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x2x4x4xf32>, %[[CW:[^:]*]]: tensor<2x4xf32>, %[[P2:[^:]*]]: tensor<2xf32>, %[[BANK:[^:]*]]: tensor<2x2x2x1x1xf32>)
// CHECK-DAG: %[[FC:.*]] = arith.constant dense<{{\[\[}}1.500000e+00, 3.000000e+00], [1.500000e+00, 2.000000e+00], [5.000000e+00, 6.000000e+00], [3.500000e+00, 4.000000e+00]]> : tensor<4x2xf32>
// CHECK-DAG: %[[FCB:.*]] = arith.constant dense<[2.500000e-01, -2.000000e+00, 0.000000e+00, 1.000000e+00]> : tensor<4xf32>
// CHECK: %[[ATT:.*]]:3 = dyconv.odconv_attention %[[X]] fc(%[[FC]], %[[FCB]]) channel(%[[CW]], %[[P2]]) filter(%[[CW]], %[[P2]]) kernel(%[[CW]], %[[P2]]) :
// CHECK-SAME: -> (tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>)
// CHECK: %[[W:.*]] = dyconv.aggregate %[[BANK]] channel(%[[ATT]]#0) filter(%[[ATT]]#1) kernel(%[[ATT]]#2) :
// CHECK-SAME: -> tensor<1x2x2x1x1xf32>
// CHECK: %[[Y:.*]] = dyconv.dynamic_conv2d %[[X]], %[[W]] : (tensor<1x2x4x4xf32>, tensor<1x2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NOT: dyconv.odconv
// CHECK: return %[[Y]]
func.func @pointwise_no_spatial_head(%x: tensor<1x2x4x4xf32>, %cw: tensor<2x4xf32>, %p2: tensor<2xf32>,
                                     %bank: tensor<2x2x2x1x1xf32>) -> tensor<1x2x4x4xf32> {
  %fc = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %gamma = arith.constant dense<[3.0, 0.5, 1.0, 1.0]> : tensor<4xf32>
  %beta = arith.constant dense<[1.0, -1.0, 0.0, 0.5]> : tensor<4xf32>
  %mean = arith.constant dense<[0.5, 2.0, 0.0, -1.0]> : tensor<4xf32>
  %var = arith.constant dense<[3.0, 0.0, 0.0, 3.0]> : tensor<4xf32>
  %0 = dyconv.odconv %x, %bank attention(fc(%fc) bn(%gamma, %beta, %mean, %var) channel(%cw, %p2)
          filter(%cw, %p2) kernel(%cw, %p2)) {bn_epsilon = 1.0}
      : (tensor<1x2x4x4xf32>, tensor<2x2x2x1x1xf32>, tensor<4x2xf32>, tensor<4xf32>, tensor<4xf32>,
         tensor<4xf32>, tensor<4xf32>, tensor<2x4xf32>, tensor<2xf32>, tensor<2x4xf32>, tensor<2xf32>,
         tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// K = 1: no kernel head. The results are channel, filter, spatial; the
// aggregate takes no kernel attention (a single kernel acts as 1).
// CHECK-LABEL: func.func @single_kernel_no_kernel_head
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x2x4x4xf32>, %[[CW:[^:]*]]: tensor<2x4xf32>, %[[P2:[^:]*]]: tensor<2xf32>, %[[SW:[^:]*]]: tensor<9x4xf32>, %[[P9:[^:]*]]: tensor<9xf32>, %[[BANK:[^:]*]]: tensor<1x2x2x3x3xf32>)
// CHECK-DAG: %[[FC:.*]] = arith.constant dense<{{\[\[}}1.500000e+00, 3.000000e+00], [1.500000e+00, 2.000000e+00], [5.000000e+00, 6.000000e+00], [3.500000e+00, 4.000000e+00]]> : tensor<4x2xf32>
// CHECK-DAG: %[[FCB:.*]] = arith.constant dense<[2.500000e-01, -2.000000e+00, 0.000000e+00, 1.000000e+00]> : tensor<4xf32>
// CHECK: %[[ATT:.*]]:3 = dyconv.odconv_attention %[[X]] fc(%[[FC]], %[[FCB]]) channel(%[[CW]], %[[P2]]) filter(%[[CW]], %[[P2]]) spatial(%[[SW]], %[[P9]]) :
// CHECK-SAME: -> (tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x9xf32>)
// CHECK: %[[W:.*]] = dyconv.aggregate %[[BANK]] channel(%[[ATT]]#0) filter(%[[ATT]]#1) spatial(%[[ATT]]#2) :
// CHECK-SAME: (tensor<1x2x2x3x3xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x9xf32>) -> tensor<1x2x2x3x3xf32>
// CHECK: %[[Y:.*]] = dyconv.dynamic_conv2d %[[X]], %[[W]] {padding = array<i64: 1, 1, 1, 1>} :
// CHECK-NOT: dyconv.odconv
// CHECK: return %[[Y]]
func.func @single_kernel_no_kernel_head(%x: tensor<1x2x4x4xf32>, %cw: tensor<2x4xf32>, %p2: tensor<2xf32>,
                                        %sw: tensor<9x4xf32>, %p9: tensor<9xf32>, %bank: tensor<1x2x2x3x3xf32>)
    -> tensor<1x2x4x4xf32> {
  %fc = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %gamma = arith.constant dense<[3.0, 0.5, 1.0, 1.0]> : tensor<4xf32>
  %beta = arith.constant dense<[1.0, -1.0, 0.0, 0.5]> : tensor<4xf32>
  %mean = arith.constant dense<[0.5, 2.0, 0.0, -1.0]> : tensor<4xf32>
  %var = arith.constant dense<[3.0, 0.0, 0.0, 3.0]> : tensor<4xf32>
  %0 = dyconv.odconv %x, %bank attention(fc(%fc) bn(%gamma, %beta, %mean, %var) channel(%cw, %p2)
          filter(%cw, %p2) spatial(%sw, %p9)) {padding = array<i64: 1, 1, 1, 1>, bn_epsilon = 1.0}
      : (tensor<1x2x4x4xf32>, tensor<1x2x2x3x3xf32>, tensor<4x2xf32>, tensor<4xf32>, tensor<4xf32>,
         tensor<4xf32>, tensor<4xf32>, tensor<2x4xf32>, tensor<2xf32>, tensor<2x4xf32>, tensor<2xf32>,
         tensor<9x4xf32>, tensor<9xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// kw_attention with a BatchNorm (the batch norm of the header on fc1): the
// no-norm form, fc1' = s * fc1 and fc1_bias = t; fc2 and the mixture
// attributes are kept.
// CHECK-LABEL: func.func @kw_attention_batch_norm
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x2x4x4xf32>, %[[FC2:[^:]*]]: tensor<3x4xf32>, %[[B2:[^:]*]]: tensor<3xf32>)
// CHECK-DAG: %[[FC:.*]] = arith.constant dense<{{\[\[}}1.500000e+00, 3.000000e+00], [1.500000e+00, 2.000000e+00], [5.000000e+00, 6.000000e+00], [3.500000e+00, 4.000000e+00]]> : tensor<4x2xf32>
// CHECK-DAG: %[[FCB:.*]] = arith.constant dense<[2.500000e-01, -2.000000e+00, 0.000000e+00, 1.000000e+00]> : tensor<4xf32>
// CHECK: %[[Y:.*]] = dyconv.kw_attention %[[X]] fc1(%[[FC]], %[[FCB]]) fc2(%[[FC2]], %[[B2]])
// CHECK-SAME: num_cells = 2 : i64, num_mixtures = 1 : i64
// CHECK-SAME: : (tensor<1x2x4x4xf32>, tensor<4x2xf32>, tensor<4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<1x1x2xf32>
// CHECK-NOT: norm(
// CHECK: return %[[Y]]
func.func @kw_attention_batch_norm(%x: tensor<1x2x4x4xf32>, %fc2: tensor<3x4xf32>, %b2: tensor<3xf32>)
    -> tensor<1x1x2xf32> {
  %fc = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %gamma = arith.constant dense<[3.0, 0.5, 1.0, 1.0]> : tensor<4xf32>
  %beta = arith.constant dense<[1.0, -1.0, 0.0, 0.5]> : tensor<4xf32>
  %mean = arith.constant dense<[0.5, 2.0, 0.0, -1.0]> : tensor<4xf32>
  %var = arith.constant dense<[3.0, 0.0, 0.0, 3.0]> : tensor<4xf32>
  %0 = dyconv.kw_attention %x fc1(%fc) norm(%gamma, %beta, %mean, %var) fc2(%fc2, %b2)
          {num_mixtures = 1, num_cells = 2, norm_epsilon = 1.0}
      : (tensor<1x2x4x4xf32>, tensor<4x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>,
         tensor<3x4xf32>, tensor<3xf32>) -> tensor<1x1x2xf32>
  return %0 : tensor<1x1x2xf32>
}

// -----

// Negative: a kw_attention with a LayerNorm (scale and bias only, fc1 with a
// bias) is left alone, even with constant parameters.
// CHECK-LABEL: func.func @kw_attention_layer_norm
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x2x4x4xf32>, %[[FC2:[^:]*]]: tensor<3x4xf32>, %[[B2:[^:]*]]: tensor<3xf32>)
// CHECK-DAG: %[[FC:.*]] = arith.constant dense<5.000000e-01> : tensor<4x2xf32>
// CHECK-DAG: %[[P4:.*]] = arith.constant dense<1.000000e+00> : tensor<4xf32>
// CHECK: %[[Y:.*]] = dyconv.kw_attention %[[X]] fc1(%[[FC]], %[[P4]]) norm(%[[P4]], %[[P4]]) fc2(%[[FC2]], %[[B2]])
// CHECK: return %[[Y]]
func.func @kw_attention_layer_norm(%x: tensor<1x2x4x4xf32>, %fc2: tensor<3x4xf32>, %b2: tensor<3xf32>)
    -> tensor<1x1x2xf32> {
  %fc = arith.constant dense<0.5> : tensor<4x2xf32>
  %p4 = arith.constant dense<1.0> : tensor<4xf32>
  %0 = dyconv.kw_attention %x fc1(%fc, %p4) norm(%p4, %p4) fc2(%fc2, %b2) {num_mixtures = 1, num_cells = 2}
      : (tensor<1x2x4x4xf32>, tensor<4x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>,
         tensor<3x4xf32>, tensor<3xf32>) -> tensor<1x1x2xf32>
  return %0 : tensor<1x1x2xf32>
}

// -----

// Negative: an attention batch-norm parameter (the variance) is a function
// argument, so the odconv is left alone; likewise a kw_attention whose norm
// mean is not constant.
// CHECK-LABEL: func.func @attention_bn_not_constant
// CHECK: %[[Y:.*]] = dyconv.odconv
// CHECK-NOT: dyconv.odconv_attention
// CHECK-NOT: dyconv.aggregate
// CHECK-NOT: dyconv.dynamic_conv2d
// CHECK: %[[Z:.*]] = dyconv.kw_attention %{{.*}} fc1(%{{[^,)]*}}) norm(
// CHECK: return %[[Y]], %[[Z]]
func.func @attention_bn_not_constant(%x: tensor<1x2x4x4xf32>, %var: tensor<4xf32>, %cw: tensor<2x4xf32>,
                                     %p2: tensor<2xf32>, %bank: tensor<2x2x2x1x1xf32>,
                                     %fc2: tensor<3x4xf32>, %b2: tensor<3xf32>)
    -> (tensor<1x2x4x4xf32>, tensor<1x1x2xf32>) {
  %fc = arith.constant dense<0.5> : tensor<4x2xf32>
  %p4 = arith.constant dense<1.0> : tensor<4xf32>
  %0 = dyconv.odconv %x, %bank attention(fc(%fc) bn(%p4, %p4, %p4, %var) channel(%cw, %p2)
          filter(%cw, %p2) kernel(%cw, %p2))
      : (tensor<1x2x4x4xf32>, tensor<2x2x2x1x1xf32>, tensor<4x2xf32>, tensor<4xf32>, tensor<4xf32>,
         tensor<4xf32>, tensor<4xf32>, tensor<2x4xf32>, tensor<2xf32>, tensor<2x4xf32>, tensor<2xf32>,
         tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %1 = dyconv.kw_attention %x fc1(%fc) norm(%p4, %p4, %var, %p4) fc2(%fc2, %b2) {num_mixtures = 1, num_cells = 2}
      : (tensor<1x2x4x4xf32>, tensor<4x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>,
         tensor<3x4xf32>, tensor<3xf32>) -> tensor<1x1x2xf32>
  return %0, %1 : tensor<1x2x4x4xf32>, tensor<1x1x2xf32>
}

// -----

// Negative: the fc itself is not a constant; the odconv is left alone.
// CHECK-LABEL: func.func @fc_not_constant
// CHECK: %[[Y:.*]] = dyconv.odconv %{{.*}}, %{{.*}} attention(fc(%{{.*}}) bn(
// CHECK-NOT: dyconv.odconv_attention
// CHECK: return %[[Y]]
func.func @fc_not_constant(%x: tensor<1x2x4x4xf32>, %fc: tensor<4x2xf32>, %cw: tensor<2x4xf32>,
                           %p2: tensor<2xf32>, %bank: tensor<2x2x2x1x1xf32>) -> tensor<1x2x4x4xf32> {
  %p4 = arith.constant dense<1.0> : tensor<4xf32>
  %0 = dyconv.odconv %x, %bank attention(fc(%fc) bn(%p4, %p4, %p4, %p4) channel(%cw, %p2)
          filter(%cw, %p2) kernel(%cw, %p2))
      : (tensor<1x2x4x4xf32>, tensor<2x2x2x1x1xf32>, tensor<4x2xf32>, tensor<4xf32>, tensor<4xf32>,
         tensor<4xf32>, tensor<4xf32>, tensor<2x4xf32>, tensor<2xf32>, tensor<2x4xf32>, tensor<2xf32>,
         tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}
