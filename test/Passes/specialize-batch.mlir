// RUN: dyconv-opt %s -dyconv-specialize-batch=batch=4 | FileCheck %s
// RUN: dyconv-opt %s -dyconv-specialize-batch=batch=4 | FileCheck %s --check-prefix=STATIC
// RUN: not dyconv-opt %s -dyconv-specialize-batch=batch=0 2>&1 | FileCheck %s --check-prefix=ERR
// RUN: not dyconv-opt %s -dyconv-specialize-batch=batch=-3 2>&1 | FileCheck %s --check-prefix=ERR-NEG

// Every dynamic batch becomes 4, in every type and in the signatures; no
// dynamic dimension is left anywhere, and the function records its batch.
// STATIC-NOT: ?x

// ERR: error: batch must be at least 1, got 0
// ERR-NEG: error: batch must be at least 1, got -3

// A small network with a dynamic batch: a stem conv, an ODConv layer (3x3
// depthwise, K = 1), a KernelWarehouse layer, a DDF layer, a residual add and
// a classifier head.
// CHECK-LABEL: func.func @network
// CHECK-SAME: (%[[X:[^:]*]]: tensor<4x8x8x8xf32>, %{{[^:]*}}: tensor<8x8x3x3xf32>, %{{[^:]*}}: tensor<8xf32>,
// CHECK-SAME: %{{[^:]*}}: tensor<4x8x3x3xf32>, %{{[^:]*}}: tensor<4x9x8x8xf32>,
// CHECK-SAME: -> (tensor<4x10xf32>, tensor<4x2x5xf32>)
// CHECK-SAME: attributes {dyconv.batch = 4 : i64}
// CHECK: dyconv.conv2d {{.*}} -> tensor<4x8x8x8xf32>
// CHECK: dyconv.batch_norm {{.*}} -> tensor<4x8x8x8xf32>
// CHECK: dyconv.relu %{{.*}} : tensor<4x8x8x8xf32>
// CHECK: dyconv.odconv {{.*}} -> tensor<4x8x8x8xf32>
// CHECK: dyconv.kw_attention {{.*}} -> tensor<4x9x6xf32>
// CHECK: dyconv.kw_assemble {{.*}} : (tensor<4x9x6xf32>, tensor<6x8x8x1x1xf32>) -> tensor<4x8x8x3x3xf32>
// CHECK: dyconv.dynamic_conv2d {{.*}} : (tensor<4x8x8x8xf32>, tensor<4x8x8x3x3xf32>) -> tensor<4x8x8x8xf32>
// CHECK: dyconv.ddf {{.*}} : (tensor<4x8x8x8xf32>, tensor<4x8x3x3xf32>, tensor<4x9x8x8xf32>) -> tensor<4x8x8x8xf32>
// CHECK: dyconv.add {{.*}} -> tensor<4x8x8x8xf32>
// CHECK: dyconv.global_avg_pool %{{.*}} : (tensor<4x8x8x8xf32>) -> tensor<4x8x1x1xf32>
// CHECK: dyconv.flatten %{{.*}} : (tensor<4x8x1x1xf32>) -> tensor<4x8xf32>
// CHECK: dyconv.linear {{.*}} : (tensor<4x8xf32>, tensor<10x8xf32>, tensor<10xf32>) -> tensor<4x10xf32>
// CHECK: dyconv.softmax %{{.*}} {axis = 1 : i64} : tensor<4x10xf32>
// CHECK: dyconv.reshape %{{.*}} {shape = array<i64: 0, 2, 5>} : (tensor<4x10xf32>) -> tensor<4x2x5xf32>
// CHECK: return %{{.*}}, %{{.*}} : tensor<4x10xf32>, tensor<4x2x5xf32>
func.func @network(%x: tensor<?x8x8x8xf32>, %stem: tensor<8x8x3x3xf32>, %p8: tensor<8xf32>,
    %cf: tensor<?x8x3x3xf32>, %sf: tensor<?x9x8x8xf32>,
    %bank: tensor<1x8x1x3x3xf32>, %fc: tensor<16x8xf32>, %p16: tensor<16xf32>,
    %cw: tensor<8x16xf32>, %sw: tensor<9x16xf32>, %p9: tensor<9xf32>,
    %fc2: tensor<63x16xf32>, %b2: tensor<63xf32>, %e: tensor<6x8x8x1x1xf32>,
    %head: tensor<10x8xf32>, %p10: tensor<10xf32>) -> (tensor<?x10xf32>, tensor<?x2x5xf32>) {
  %0 = dyconv.conv2d %x, %stem {padding = array<i64: 1, 1, 1, 1>}
      : (tensor<?x8x8x8xf32>, tensor<8x8x3x3xf32>) -> tensor<?x8x8x8xf32>
  %1 = dyconv.batch_norm %0, %p8, %p8, %p8, %p8
      : (tensor<?x8x8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x8x8x8xf32>
  %2 = dyconv.relu %1 : tensor<?x8x8x8xf32>
  %3 = dyconv.odconv %2, %bank attention(fc(%fc) bn(%p16, %p16, %p16, %p16) channel(%cw, %p8) spatial(%sw, %p9))
          {groups = 8, padding = array<i64: 1, 1, 1, 1>}
      : (tensor<?x8x8x8xf32>, tensor<1x8x1x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<9x16xf32>, tensor<9xf32>)
      -> tensor<?x8x8x8xf32>
  %4 = dyconv.kw_attention %3 fc1(%fc) norm(%p16, %p16, %p16, %p16) fc2(%fc2, %b2) {num_mixtures = 9, num_cells = 6}
      : (tensor<?x8x8x8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<63x16xf32>, tensor<63xf32>) -> tensor<?x9x6xf32>
  %5 = dyconv.kw_assemble %4, %e {kernel_size = array<i64: 3, 3>, out_blocks = 1, in_blocks = 1}
      : (tensor<?x9x6xf32>, tensor<6x8x8x1x1xf32>) -> tensor<?x8x8x3x3xf32>
  %6 = dyconv.dynamic_conv2d %3, %5 {padding = array<i64: 1, 1, 1, 1>}
      : (tensor<?x8x8x8xf32>, tensor<?x8x8x3x3xf32>) -> tensor<?x8x8x8xf32>
  %7 = dyconv.ddf %6, %cf, %sf combine mul {kernel_size = 3}
      : (tensor<?x8x8x8xf32>, tensor<?x8x3x3xf32>, tensor<?x9x8x8xf32>) -> tensor<?x8x8x8xf32>
  %8 = dyconv.add %7, %2 : (tensor<?x8x8x8xf32>, tensor<?x8x8x8xf32>) -> tensor<?x8x8x8xf32>
  %9 = dyconv.global_avg_pool %8 : (tensor<?x8x8x8xf32>) -> tensor<?x8x1x1xf32>
  %10 = dyconv.flatten %9 : (tensor<?x8x1x1xf32>) -> tensor<?x8xf32>
  %11 = dyconv.linear %10, %head, %p10 : (tensor<?x8xf32>, tensor<10x8xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  %12 = dyconv.softmax %11 {axis = 1} : tensor<?x10xf32>
  %13 = dyconv.reshape %11 {shape = array<i64: 0, 2, 5>} : (tensor<?x10xf32>) -> tensor<?x2x5xf32>
  return %12, %13 : tensor<?x10xf32>, tensor<?x2x5xf32>
}

// An argument whose leading dimension is static keeps it; so does everything
// computed from it alone.
// CHECK-LABEL: func.func @static_leading_dim
// CHECK-SAME: (%{{[^:]*}}: tensor<2x16xf32>, %{{[^:]*}}: tensor<4x16xf32>, %{{[^:]*}}: tensor<10x16xf32>)
// CHECK-SAME: -> (tensor<2x10xf32>, tensor<4x10xf32>)
// CHECK: dyconv.linear {{.*}} -> tensor<2x10xf32>
// CHECK: dyconv.linear {{.*}} -> tensor<4x10xf32>
// CHECK: return %{{.*}}, %{{.*}} : tensor<2x10xf32>, tensor<4x10xf32>
func.func @static_leading_dim(%a: tensor<2x16xf32>, %b: tensor<?x16xf32>, %w: tensor<10x16xf32>)
    -> (tensor<2x10xf32>, tensor<?x10xf32>) {
  %0 = dyconv.linear %a, %w : (tensor<2x16xf32>, tensor<10x16xf32>) -> tensor<2x10xf32>
  %1 = dyconv.linear %b, %w : (tensor<?x16xf32>, tensor<10x16xf32>) -> tensor<?x10xf32>
  return %0, %1 : tensor<2x10xf32>, tensor<?x10xf32>
}

// A declaration has no body to specialize and stays as it is.
// CHECK-LABEL: func.func private @external(tensor<2x16xf32>) -> tensor<2x10xf32>
func.func private @external(tensor<2x16xf32>) -> tensor<2x10xf32>
