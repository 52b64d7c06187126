// RUN: dyconv-opt %s | dyconv-opt | FileCheck %s
// RUN: dyconv-opt %s --mlir-print-op-generic | dyconv-opt | FileCheck %s

// Round trip of every dyconv op, in custom and generic form.

// CHECK-LABEL: func @conv2d
func.func @conv2d(%x: tensor<?x16x8x8xf32>, %w: tensor<32x16x3x3xf32>, %b: tensor<32xf32>,
                  %dw: tensor<16x1x3x3xf32>) -> (tensor<?x32x4x4xf32>, tensor<?x16x4x4xf32>) {
  // CHECK: dyconv.conv2d %{{.*}}, %{{.*}}, %{{.*}} {padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<?x16x8x8xf32>, tensor<32x16x3x3xf32>, tensor<32xf32>) -> tensor<?x32x4x4xf32>
  %y = dyconv.conv2d %x, %w, %b {stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>}
      : (tensor<?x16x8x8xf32>, tensor<32x16x3x3xf32>, tensor<32xf32>) -> tensor<?x32x4x4xf32>
  // Depthwise, dilation 2, no bias: the defaults are not printed.
  // CHECK: dyconv.conv2d %{{.*}}, %{{.*}} {dilation = array<i64: 2, 2>, groups = 16 : i64} : (tensor<?x16x8x8xf32>, tensor<16x1x3x3xf32>) -> tensor<?x16x4x4xf32>
  %z = dyconv.conv2d %x, %dw {dilation = array<i64: 2, 2>, groups = 16, padding = array<i64: 0, 0, 0, 0>}
      : (tensor<?x16x8x8xf32>, tensor<16x1x3x3xf32>) -> tensor<?x16x4x4xf32>
  return %y, %z : tensor<?x32x4x4xf32>, tensor<?x16x4x4xf32>
}

// CHECK-LABEL: func @dynamic_conv2d
func.func @dynamic_conv2d(%x: tensor<2x8x7x7xf32>, %w: tensor<2x4x8x1x1xf32>, %b: tensor<4xf32>) -> tensor<2x4x4x4xf32> {
  // CHECK: dyconv.dynamic_conv2d %{{.*}}, %{{.*}}, %{{.*}} {stride = array<i64: 2, 2>} : (tensor<2x8x7x7xf32>, tensor<2x4x8x1x1xf32>, tensor<4xf32>) -> tensor<2x4x4x4xf32>
  %y = dyconv.dynamic_conv2d %x, %w, %b {stride = array<i64: 2, 2>}
      : (tensor<2x8x7x7xf32>, tensor<2x4x8x1x1xf32>, tensor<4xf32>) -> tensor<2x4x4x4xf32>
  return %y : tensor<2x4x4x4xf32>
}

// CHECK-LABEL: func @linear
func.func @linear(%x: tensor<?x64xf32>, %w: tensor<10x64xf32>, %b: tensor<10xf32>) -> (tensor<?x10xf32>, tensor<?x10xf32>) {
  // CHECK: dyconv.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x64xf32>, tensor<10x64xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  %y = dyconv.linear %x, %w, %b : (tensor<?x64xf32>, tensor<10x64xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  // CHECK: dyconv.linear %{{.*}}, %{{.*}} : (tensor<?x64xf32>, tensor<10x64xf32>) -> tensor<?x10xf32>
  %z = dyconv.linear %x, %w : (tensor<?x64xf32>, tensor<10x64xf32>) -> tensor<?x10xf32>
  return %y, %z : tensor<?x10xf32>, tensor<?x10xf32>
}

// CHECK-LABEL: func @normalization
func.func @normalization(%x: tensor<?x16x8x8xf32>, %p: tensor<16xf32>, %h: tensor<?x8x32xf32>,
                         %s: tensor<8x32xf32>, %t: tensor<32xf32>) -> (tensor<?x16x8x8xf32>, tensor<?x8x32xf32>, tensor<?x8x32xf32>) {
  // CHECK: dyconv.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 1.000000e-03 : f64} : (tensor<?x16x8x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<?x16x8x8xf32>
  %y = dyconv.batch_norm %x, %p, %p, %p, %p {epsilon = 1.0e-3 : f64}
      : (tensor<?x16x8x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<?x16x8x8xf32>
  // CHECK: dyconv.layer_norm %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<?x8x32xf32>, tensor<8x32xf32>, tensor<8x32xf32>) -> tensor<?x8x32xf32>
  %z = dyconv.layer_norm %h, %s, %s {axis = 1}
      : (tensor<?x8x32xf32>, tensor<8x32xf32>, tensor<8x32xf32>) -> tensor<?x8x32xf32>
  // CHECK: dyconv.layer_norm %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x8x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<?x8x32xf32>
  %u = dyconv.layer_norm %h, %t, %t : (tensor<?x8x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<?x8x32xf32>
  return %y, %z, %u : tensor<?x16x8x8xf32>, tensor<?x8x32xf32>, tensor<?x8x32xf32>
}

// CHECK-LABEL: func @elementwise
func.func @elementwise(%x: tensor<?x16x8x8xf32>, %s: tensor<?x16x1x1xf32>) -> tensor<?x16x8x8xf32> {
  // CHECK: dyconv.relu %{{.*}} : tensor<?x16x8x8xf32>
  %a = dyconv.relu %x : tensor<?x16x8x8xf32>
  // CHECK: dyconv.sigmoid %{{.*}} : tensor<?x16x1x1xf32>
  %b = dyconv.sigmoid %s : tensor<?x16x1x1xf32>
  // CHECK: dyconv.clip %{{.*}} {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32} : tensor<?x16x8x8xf32>
  %c = dyconv.clip %a {min = 0.0 : f32, max = 6.0 : f32} : tensor<?x16x8x8xf32>
  // CHECK: dyconv.mul %{{.*}}, %{{.*}} : (tensor<?x16x8x8xf32>, tensor<?x16x1x1xf32>) -> tensor<?x16x8x8xf32>
  %d = dyconv.mul %c, %b : (tensor<?x16x8x8xf32>, tensor<?x16x1x1xf32>) -> tensor<?x16x8x8xf32>
  // CHECK: dyconv.add %{{.*}}, %{{.*}} : (tensor<?x16x8x8xf32>, tensor<?x16x8x8xf32>) -> tensor<?x16x8x8xf32>
  %e = dyconv.add %d, %x : (tensor<?x16x8x8xf32>, tensor<?x16x8x8xf32>) -> tensor<?x16x8x8xf32>
  // CHECK: dyconv.softmax %{{.*}} {axis = 1 : i64} : tensor<?x16x8x8xf32>
  %f = dyconv.softmax %e {axis = 1} : tensor<?x16x8x8xf32>
  return %f : tensor<?x16x8x8xf32>
}

// CHECK-LABEL: func @pooling
func.func @pooling(%x: tensor<?x16x112x112xf32>) -> (tensor<?x16x56x56xf32>, tensor<?x16x56x56xf32>, tensor<?x16x1x1xf32>) {
  // CHECK: dyconv.max_pool2d %{{.*}} {kernel_size = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<?x16x112x112xf32>) -> tensor<?x16x56x56xf32>
  %a = dyconv.max_pool2d %x {kernel_size = array<i64: 3, 3>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>}
      : (tensor<?x16x112x112xf32>) -> tensor<?x16x56x56xf32>
  // CHECK: dyconv.avg_pool2d %{{.*}} {ceil_mode = true, count_include_pad = true, kernel_size = array<i64: 3, 3>, stride = array<i64: 2, 2>} : (tensor<?x16x112x112xf32>) -> tensor<?x16x56x56xf32>
  %b = dyconv.avg_pool2d %x {kernel_size = array<i64: 3, 3>, stride = array<i64: 2, 2>, ceil_mode = true, count_include_pad = true}
      : (tensor<?x16x112x112xf32>) -> tensor<?x16x56x56xf32>
  // CHECK: dyconv.global_avg_pool %{{.*}} : (tensor<?x16x112x112xf32>) -> tensor<?x16x1x1xf32>
  %c = dyconv.global_avg_pool %x : (tensor<?x16x112x112xf32>) -> tensor<?x16x1x1xf32>
  return %a, %b, %c : tensor<?x16x56x56xf32>, tensor<?x16x56x56xf32>, tensor<?x16x1x1xf32>
}

// CHECK-LABEL: func @shapes
func.func @shapes(%x: tensor<?x16x1x1xf32>, %y: tensor<?x8x4x4xf32>) -> (tensor<?x16xf32>, tensor<?x16xf32>, tensor<?x24x4x4xf32>) {
  // CHECK: dyconv.flatten %{{.*}} : (tensor<?x16x1x1xf32>) -> tensor<?x16xf32>
  %a = dyconv.flatten %x : (tensor<?x16x1x1xf32>) -> tensor<?x16xf32>
  // CHECK: dyconv.reshape %{{.*}} {shape = array<i64: 0, -1>} : (tensor<?x16x1x1xf32>) -> tensor<?x16xf32>
  %b = dyconv.reshape %x {shape = array<i64: 0, -1>} : (tensor<?x16x1x1xf32>) -> tensor<?x16xf32>
  // CHECK: dyconv.concat %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<?x8x4x4xf32>, tensor<?x8x4x4xf32>, tensor<?x8x4x4xf32>) -> tensor<?x24x4x4xf32>
  %c = dyconv.concat %y, %y, %y {axis = 1} : (tensor<?x8x4x4xf32>, tensor<?x8x4x4xf32>, tensor<?x8x4x4xf32>) -> tensor<?x24x4x4xf32>
  return %a, %b, %c : tensor<?x16xf32>, tensor<?x16xf32>, tensor<?x24x4x4xf32>
}

// An ODConv layer with all four heads: 3x3, K = 4, Cin 16 -> Cout 32, A = 16.
// CHECK-LABEL: func @odconv_all_heads
func.func @odconv_all_heads(%x: tensor<?x16x8x8xf32>, %bank: tensor<4x32x16x3x3xf32>,
    %fc: tensor<16x16xf32>, %bn: tensor<16xf32>, %cw: tensor<16x16xf32>, %cb: tensor<16xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>,
    %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x4x4xf32> {
  // CHECK: dyconv.odconv %{{.*}}, %{{.*}} attention(fc(%{{.*}}) bn(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) channel(%{{.*}}, %{{.*}}) filter(%{{.*}}, %{{.*}}) spatial(%{{.*}}, %{{.*}}) kernel(%{{.*}}, %{{.*}})) {padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb))
          {stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>}
      : (tensor<?x16x8x8xf32>, tensor<4x32x16x3x3xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<9x16xf32>, tensor<9xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x32x4x4xf32>
  return %y : tensor<?x32x4x4xf32>
}

// Depthwise 3x3 (no filter head), K = 1 (no kernel head).
// CHECK-LABEL: func @odconv_depthwise
func.func @odconv_depthwise(%x: tensor<?x16x8x8xf32>, %bank: tensor<1x16x1x3x3xf32>,
    %fc: tensor<16x16xf32>, %bn: tensor<16xf32>, %cw: tensor<16x16xf32>, %cb: tensor<16xf32>,
    %sw: tensor<9x16xf32>, %sb: tensor<9xf32>) -> tensor<?x16x8x8xf32> {
  // CHECK: dyconv.odconv %{{.*}}, %{{.*}} attention(fc(%{{.*}}) bn(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) channel(%{{.*}}, %{{.*}}) spatial(%{{.*}}, %{{.*}})) {groups = 16 : i64, padding = array<i64: 1, 1, 1, 1>}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb) spatial(%sw, %sb))
          {groups = 16, padding = array<i64: 1, 1, 1, 1>}
      : (tensor<?x16x8x8xf32>, tensor<1x16x1x3x3xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<9x16xf32>, tensor<9xf32>)
      -> tensor<?x16x8x8xf32>
  return %y : tensor<?x16x8x8xf32>
}

// KernelWarehouse, plain mode with batch norm: n = 9 mixtures of M = 6 cells
// (3x3 kernel, 1x1 cells, go = gi = 1), hid = 16.
// CHECK-LABEL: func @kw_plain
func.func @kw_plain(%x: tensor<?x8x6x6xf32>, %fc1: tensor<16x8xf32>, %n: tensor<16xf32>,
    %fc2: tensor<63x16xf32>, %b2: tensor<63xf32>, %e: tensor<6x8x8x1x1xf32>) -> tensor<?x8x6x6xf32> {
  // CHECK: dyconv.kw_attention %{{.*}} fc1(%{{.*}}) norm(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) fc2(%{{.*}}, %{{.*}}) {num_cells = 6 : i64, num_mixtures = 9 : i64} : {{.*}} -> tensor<?x9x6xf32>
  %c = dyconv.kw_attention %x fc1(%fc1) norm(%n, %n, %n, %n) fc2(%fc2, %b2) {num_mixtures = 9, num_cells = 6}
      : (tensor<?x8x6x6xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<63x16xf32>, tensor<63xf32>) -> tensor<?x9x6xf32>
  // CHECK: dyconv.kw_assemble %{{.*}}, %{{.*}} {in_blocks = 1 : i64, kernel_size = array<i64: 3, 3>, out_blocks = 1 : i64} : (tensor<?x9x6xf32>, tensor<6x8x8x1x1xf32>) -> tensor<?x8x8x3x3xf32>
  %w = dyconv.kw_assemble %c, %e {kernel_size = array<i64: 3, 3>, out_blocks = 1, in_blocks = 1}
      : (tensor<?x9x6xf32>, tensor<6x8x8x1x1xf32>) -> tensor<?x8x8x3x3xf32>
  // CHECK: dyconv.dynamic_conv2d
  %y = dyconv.dynamic_conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>}
      : (tensor<?x8x6x6xf32>, tensor<?x8x8x3x3xf32>) -> tensor<?x8x6x6xf32>
  return %y : tensor<?x8x6x6xf32>
}

// KernelWarehouse, nonlocal-basis mode with layer norm: n = 2, M = 20 cells of
// which L = 4 are local, Nb = 16 basis logits, fc2 rows n*(L+Nb+1) = 42.
// CHECK-LABEL: func @kw_nonlocal
func.func @kw_nonlocal(%x: tensor<?x32xf32>, %fc1: tensor<16x32xf32>, %v: tensor<16xf32>,
    %fc2: tensor<42x16xf32>, %fc3: tensor<16x16xf32>, %bb: tensor<42xf32>) -> tensor<?x2x20xf32> {
  // CHECK: dyconv.kw_attention %{{.*}} fc1(%{{.*}}, %{{.*}}) norm(%{{.*}}, %{{.*}}) fc2(%{{.*}}) nonlocal(%{{.*}}, %{{.*}}) {num_cells = 20 : i64, num_mixtures = 2 : i64, start_cell = 3 : i64}
  %c = dyconv.kw_attention %x fc1(%fc1, %v) norm(%v, %v) fc2(%fc2) nonlocal(%fc3, %bb)
          {num_mixtures = 2, num_cells = 20, start_cell = 3}
      : (tensor<?x32xf32>, tensor<16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<42x16xf32>, tensor<16x16xf32>, tensor<42xf32>) -> tensor<?x2x20xf32>
  return %c : tensor<?x2x20xf32>
}

// CHECK-LABEL: func @ddf
func.func @ddf(%x: tensor<?x16x8x8xf32>, %cf: tensor<?x16x3x3xf32>, %sf: tensor<?x9x4x4xf32>) -> tensor<?x16x4x4xf32> {
  // CHECK: dyconv.ddf %{{.*}}, %{{.*}}, %{{.*}} combine add {dilation = 2 : i64, kernel_size = 3 : i64, stride = 2 : i64} : (tensor<?x16x8x8xf32>, tensor<?x16x3x3xf32>, tensor<?x9x4x4xf32>) -> tensor<?x16x4x4xf32>
  %y = dyconv.ddf %x, %cf, %sf combine add {kernel_size = 3, stride = 2, dilation = 2}
      : (tensor<?x16x8x8xf32>, tensor<?x16x3x3xf32>, tensor<?x9x4x4xf32>) -> tensor<?x16x4x4xf32>
  return %y : tensor<?x16x4x4xf32>
}

// CHECK-LABEL: func @filter_norm
func.func @filter_norm(%s: tensor<?x36x8x8xf32>, %c: tensor<?x576x1x1xf32>, %std: tensor<576xf32>) -> (tensor<?x36x8x8xf32>, tensor<?x576x1x1xf32>) {
  // CHECK: dyconv.filter_norm %{{.*}} {gain = 0.47140452079103173 : f64, taps = 9 : i64} : (tensor<?x36x8x8xf32>) -> tensor<?x36x8x8xf32>
  %a = dyconv.filter_norm %s {taps = 9, gain = 0.47140452079103173 : f64} : (tensor<?x36x8x8xf32>) -> tensor<?x36x8x8xf32>
  // CHECK: dyconv.filter_norm %{{.*}} scale %{{.*}} {taps = 9 : i64} : (tensor<?x576x1x1xf32>, tensor<576xf32>) -> tensor<?x576x1x1xf32>
  %b = dyconv.filter_norm %c scale %std {taps = 9} : (tensor<?x576x1x1xf32>, tensor<576xf32>) -> tensor<?x576x1x1xf32>
  return %a, %b : tensor<?x36x8x8xf32>, tensor<?x576x1x1xf32>
}
