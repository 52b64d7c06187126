// A small ODConv network on 32x32 RGB images with a dynamic batch:
//   conv 3->16 (3x3) + ReLU
//   ODConv 16->32 (3x3, stride 2, K = 4 kernels, all four attention heads) + ReLU
//   ODConv 32->32 (1x1, K = 1: the authors' "pw1x" path) + ReLU
//   global average pool, linear 32->10.
// Weights are splat constants here; imported models carry real ones.
func.func @odconv_small(%image: tensor<?x3x32x32xf32>) -> tensor<?x10xf32> {
  %stem_w = arith.constant dense<0.1> : tensor<16x3x3x3xf32>
  %stem_b = arith.constant dense<0.01> : tensor<16xf32>
  %x0 = dyconv.conv2d %image, %stem_w, %stem_b {padding = array<i64: 1, 1, 1, 1>}
      : (tensor<?x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<?x16x32x32xf32>
  %x1 = dyconv.relu %x0 : tensor<?x16x32x32xf32>

  // ODConv 3x3, K = 4; attention width A = max(int(16 / 16), 16) = 16.
  %bank1 = arith.constant dense<0.02> : tensor<4x32x16x3x3xf32>
  %fc1 = arith.constant dense<0.05> : tensor<16x16xf32>
  %one16 = arith.constant dense<1.0> : tensor<16xf32>
  %zero16 = arith.constant dense<0.0> : tensor<16xf32>
  %ch1_w = arith.constant dense<0.03> : tensor<16x16xf32>
  %fil1_w = arith.constant dense<0.03> : tensor<32x16xf32>
  %fil1_b = arith.constant dense<0.0> : tensor<32xf32>
  %sp1_w = arith.constant dense<0.03> : tensor<9x16xf32>
  %sp1_b = arith.constant dense<0.0> : tensor<9xf32>
  %ker1_w = arith.constant dense<0.03> : tensor<4x16xf32>
  %ker1_b = arith.constant dense<0.0> : tensor<4xf32>
  %x2 = dyconv.odconv %x1, %bank1 attention(fc(%fc1) bn(%one16, %zero16, %zero16, %one16)
          channel(%ch1_w, %zero16) filter(%fil1_w, %fil1_b) spatial(%sp1_w, %sp1_b)
          kernel(%ker1_w, %ker1_b))
          {stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>}
      : (tensor<?x16x32x32xf32>, tensor<4x32x16x3x3xf32>, tensor<16x16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>,
         tensor<32x16xf32>, tensor<32xf32>, tensor<9x16xf32>, tensor<9xf32>, tensor<4x16xf32>,
         tensor<4xf32>) -> tensor<?x32x16x16xf32>
  %x3 = dyconv.relu %x2 : tensor<?x32x16x16xf32>

  // ODConv 1x1, K = 1: no spatial or kernel head; canonicalization turns it
  // into a static conv between the channel and filter scalings.
  %bank2 = arith.constant dense<0.02> : tensor<1x32x32x1x1xf32>
  %fc2 = arith.constant dense<0.05> : tensor<16x32xf32>
  %ch2_w = arith.constant dense<0.04> : tensor<32x16xf32>
  %ch2_b = arith.constant dense<0.5> : tensor<32xf32>
  %x4 = dyconv.odconv %x3, %bank2 attention(fc(%fc2) bn(%one16, %zero16, %zero16, %one16)
          channel(%ch2_w, %ch2_b) filter(%fil1_w, %fil1_b))
      : (tensor<?x32x16x16xf32>, tensor<1x32x32x1x1xf32>, tensor<16x32xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<32x16xf32>, tensor<32xf32>) -> tensor<?x32x16x16xf32>
  %x5 = dyconv.relu %x4 : tensor<?x32x16x16xf32>

  %pooled = dyconv.global_avg_pool %x5 : (tensor<?x32x16x16xf32>) -> tensor<?x32x1x1xf32>
  %flat = dyconv.flatten %pooled : (tensor<?x32x1x1xf32>) -> tensor<?x32xf32>
  %fc_w = arith.constant dense<0.1> : tensor<10x32xf32>
  %fc_b = arith.constant dense<0.0> : tensor<10xf32>
  %logits = dyconv.linear %flat, %fc_w, %fc_b
      : (tensor<?x32xf32>, tensor<10x32xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  return %logits : tensor<?x10xf32>
}
