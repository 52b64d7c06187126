// RUN: dyconv-opt %s -split-input-file -dyconv-assign-layouts=target=x86-64-avx512 | FileCheck %s
// RUN: dyconv-opt %s -split-input-file -dyconv-assign-layouts=target=x86-64-avx2 | FileCheck %s --check-prefix=AVX2
// RUN: dyconv-opt %s -split-input-file -dyconv-assign-layouts=target=cuda-sm80 | FileCheck %s --check-prefix=GPU \
// RUN:   --implicit-check-not=dyconv.blocked --implicit-check-not=convert_layout
// RUN: not dyconv-opt %s -split-input-file -dyconv-assign-layouts=target=riscv 2>&1 | FileCheck %s --check-prefix=BAD

// A ResNet stem and block: the stem conv reads the plain image (3 channels)
// and writes NCHW16c; pooling, the residual add and the ReLU keep NCHW16c;
// the 1x1 conv reads and writes it; the global average pool reads it and
// writes a plain vector. Constant weights are converted to their packed
// layouts (OIhw16o for the stem, OIhw16i16o for the 1x1 conv; the bias 16o)
// for dyconv-pack-weights to fold. The graph's result goes back to NCHW,
// its arguments stay NCHW.
// CHECK-LABEL: func.func @resnet_stem
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x3x16x16xf32>) -> (tensor<?x32x8x8xf32>, tensor<?x32x1x1xf32>)
// CHECK-DAG: %[[W0:.*]] = dyconv.convert_layout %{{.*}} : tensor<32x3x3x3xf32> -> tensor<32x3x3x3xf32, #dyconv.blocked<[0] x[16]>>
// CHECK-DAG: %[[B0:.*]] = dyconv.convert_layout %{{.*}} : tensor<32xf32> -> tensor<32xf32, #dyconv.blocked<[0] x[16]>>
// CHECK: %[[S:.*]] = dyconv.fused_conv2d %[[X]], %[[W0]] bias %[[B0]] {{.*}} : (tensor<?x3x16x16xf32>, tensor<32x3x3x3xf32, #dyconv.blocked<[0] x[16]>>, tensor<32xf32, #dyconv.blocked<[0] x[16]>>) -> tensor<?x32x16x16xf32, #dyconv.blocked<[1] x[16]>>
// CHECK: %[[P:.*]] = dyconv.max_pool2d %[[S]] {{.*}} : (tensor<?x32x16x16xf32, #dyconv.blocked<[1] x[16]>>) -> tensor<?x32x8x8xf32, #dyconv.blocked<[1] x[16]>>
// CHECK: %[[W1:.*]] = dyconv.convert_layout %{{.*}} : tensor<32x32x1x1xf32> -> tensor<32x32x1x1xf32, #dyconv.blocked<[1, 0] x[16, 16]>>
// CHECK: %[[C:.*]] = dyconv.fused_conv2d %[[P]], %[[W1]] : (tensor<?x32x8x8xf32, #dyconv.blocked<[1] x[16]>>, tensor<32x32x1x1xf32, #dyconv.blocked<[1, 0] x[16, 16]>>) -> tensor<?x32x8x8xf32, #dyconv.blocked<[1] x[16]>>
// CHECK: %[[A:.*]] = dyconv.add %[[C]], %[[P]] : (tensor<?x32x8x8xf32, #dyconv.blocked<[1] x[16]>>, tensor<?x32x8x8xf32, #dyconv.blocked<[1] x[16]>>) -> tensor<?x32x8x8xf32, #dyconv.blocked<[1] x[16]>>
// CHECK: %[[R:.*]] = dyconv.relu %[[A]] : tensor<?x32x8x8xf32, #dyconv.blocked<[1] x[16]>>
// CHECK: %[[G:.*]] = dyconv.global_avg_pool %[[R]] : (tensor<?x32x8x8xf32, #dyconv.blocked<[1] x[16]>>) -> tensor<?x32x1x1xf32>
// CHECK: %[[RP:.*]] = dyconv.convert_layout %[[R]] : tensor<?x32x8x8xf32, #dyconv.blocked<[1] x[16]>> -> tensor<?x32x8x8xf32>
// CHECK: return %[[RP]], %[[G]]
// AVX2 has 8 lanes: NCHW8c and OIhw8i8o.
// AVX2-LABEL: func.func @resnet_stem
// AVX2: dyconv.fused_conv2d {{.*}} -> tensor<?x32x16x16xf32, #dyconv.blocked<[1] x[8]>>
// AVX2: dyconv.fused_conv2d {{.*}} : (tensor<?x32x8x8xf32, #dyconv.blocked<[1] x[8]>>, tensor<32x32x1x1xf32, #dyconv.blocked<[1, 0] x[8, 8]>>) -> tensor<?x32x8x8xf32, #dyconv.blocked<[1] x[8]>>
// GPU-LABEL: func.func @resnet_stem
// BAD: error: unknown target 'riscv'
func.func @resnet_stem(%x: tensor<?x3x16x16xf32>) -> (tensor<?x32x8x8xf32>, tensor<?x32x1x1xf32>) {
  %w0 = arith.constant dense<0.1> : tensor<32x3x3x3xf32>
  %b0 = arith.constant dense<0.0> : tensor<32xf32>
  %w1 = arith.constant dense<0.1> : tensor<32x32x1x1xf32>
  %0 = dyconv.fused_conv2d %x, %w0 bias %b0 {padding = array<i64: 1, 1, 1, 1>, activation = #dyconv<activation relu>}
      : (tensor<?x3x16x16xf32>, tensor<32x3x3x3xf32>, tensor<32xf32>) -> tensor<?x32x16x16xf32>
  %1 = dyconv.max_pool2d %0 {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>} : (tensor<?x32x16x16xf32>) -> tensor<?x32x8x8xf32>
  %2 = dyconv.fused_conv2d %1, %w1 : (tensor<?x32x8x8xf32>, tensor<32x32x1x1xf32>) -> tensor<?x32x8x8xf32>
  %3 = dyconv.add %2, %1 : (tensor<?x32x8x8xf32>, tensor<?x32x8x8xf32>) -> tensor<?x32x8x8xf32>
  %4 = dyconv.relu %3 : tensor<?x32x8x8xf32>
  %5 = dyconv.global_avg_pool %4 : (tensor<?x32x8x8xf32>) -> tensor<?x32x1x1xf32>
  return %4, %5 : tensor<?x32x8x8xf32>, tensor<?x32x1x1xf32>
}

// -----

// A grouped (not depthwise) conv has no blocked schedule: it reads and
// writes NCHW, so the blocked activation is converted once for it, and the
// ReLU after it stays NCHW.
// CHECK-LABEL: func.func @grouped_conv
// CHECK: %[[S:.*]] = dyconv.fused_conv2d {{.*}} -> tensor<1x32x8x8xf32, #dyconv.blocked<[1] x[16]>>
// CHECK: %[[SP:.*]] = dyconv.convert_layout %[[S]] : tensor<1x32x8x8xf32, #dyconv.blocked<[1] x[16]>> -> tensor<1x32x8x8xf32>
// CHECK: %[[G:.*]] = dyconv.fused_conv2d %[[SP]], %{{[^ ]*}} {groups = 2 : i64} : (tensor<1x32x8x8xf32>, tensor<32x16x1x1xf32>) -> tensor<1x32x8x8xf32>
// CHECK: %[[R:.*]] = dyconv.relu %[[G]] : tensor<1x32x8x8xf32>
// CHECK: return %[[R]]
// GPU-LABEL: func.func @grouped_conv
func.func @grouped_conv(%x: tensor<1x32x8x8xf32>) -> tensor<1x32x8x8xf32> {
  %w0 = arith.constant dense<0.1> : tensor<32x32x1x1xf32>
  %w1 = arith.constant dense<0.1> : tensor<32x16x1x1xf32>
  %0 = dyconv.fused_conv2d %x, %w0 : (tensor<1x32x8x8xf32>, tensor<32x32x1x1xf32>) -> tensor<1x32x8x8xf32>
  %1 = dyconv.fused_conv2d %0, %w1 {groups = 2 : i64} : (tensor<1x32x8x8xf32>, tensor<32x16x1x1xf32>) -> tensor<1x32x8x8xf32>
  %2 = dyconv.relu %1 : tensor<1x32x8x8xf32>
  return %2 : tensor<1x32x8x8xf32>
}

// -----

// ODConv decomposed: the attention reads the blocked activation; the bank is
// converted to the packed layout of the per-sample conv (OIhw16i16o for each
// of its K kernels) and the aggregate writes the per-sample kernel in that
// layout, so nothing is converted per sample.
// CHECK-LABEL: func.func @odconv
// CHECK: %[[S:.*]] = dyconv.fused_conv2d {{.*}} -> tensor<?x32x8x8xf32, #dyconv.blocked<[1] x[16]>>
// CHECK: %[[ATT:.*]]:2 = dyconv.odconv_attention %[[S]] {{.*}} : (tensor<?x32x8x8xf32, #dyconv.blocked<[1] x[16]>>,
// CHECK: %[[BANK:.*]] = dyconv.convert_layout %{{.*}} : tensor<2x32x32x3x3xf32> -> tensor<2x32x32x3x3xf32, #dyconv.blocked<[2, 1] x[16, 16]>>
// CHECK: %[[W:.*]] = dyconv.aggregate %[[BANK]] channel(%[[ATT]]#0) kernel(%[[ATT]]#1) : (tensor<2x32x32x3x3xf32, #dyconv.blocked<[2, 1] x[16, 16]>>, tensor<?x32xf32>, tensor<?x2xf32>) -> tensor<?x32x32x3x3xf32, #dyconv.blocked<[2, 1] x[16, 16]>>
// CHECK: dyconv.fused_conv2d %[[S]], %[[W]] {{.*}} : (tensor<?x32x8x8xf32, #dyconv.blocked<[1] x[16]>>, tensor<?x32x32x3x3xf32, #dyconv.blocked<[2, 1] x[16, 16]>>) -> tensor<?x32x8x8xf32, #dyconv.blocked<[1] x[16]>>
// GPU-LABEL: func.func @odconv
func.func @odconv(%x: tensor<?x32x8x8xf32>) -> tensor<?x32x8x8xf32> {
  %w0 = arith.constant dense<0.1> : tensor<32x32x1x1xf32>
  %bank = arith.constant dense<0.02> : tensor<2x32x32x3x3xf32>
  %fc = arith.constant dense<0.05> : tensor<8x32xf32>
  %fcb = arith.constant dense<0.0> : tensor<8xf32>
  %cw = arith.constant dense<0.03> : tensor<32x8xf32>
  %cb = arith.constant dense<0.0> : tensor<32xf32>
  %kw = arith.constant dense<0.03> : tensor<2x8xf32>
  %kb = arith.constant dense<0.0> : tensor<2xf32>
  %0 = dyconv.fused_conv2d %x, %w0 : (tensor<?x32x8x8xf32>, tensor<32x32x1x1xf32>) -> tensor<?x32x8x8xf32>
  %att:2 = dyconv.odconv_attention %0 fc(%fc, %fcb) channel(%cw, %cb) kernel(%kw, %kb)
      : (tensor<?x32x8x8xf32>, tensor<8x32xf32>, tensor<8xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<2x8xf32>, tensor<2xf32>)
      -> (tensor<?x32xf32>, tensor<?x2xf32>)
  %w = dyconv.aggregate %bank channel(%att#0) kernel(%att#1)
      : (tensor<2x32x32x3x3xf32>, tensor<?x32xf32>, tensor<?x2xf32>) -> tensor<?x32x32x3x3xf32>
  %1 = dyconv.fused_conv2d %0, %w {padding = array<i64: 1, 1, 1, 1>}
      : (tensor<?x32x8x8xf32>, tensor<?x32x32x3x3xf32>) -> tensor<?x32x8x8xf32>
  return %1 : tensor<?x32x8x8xf32>
}
