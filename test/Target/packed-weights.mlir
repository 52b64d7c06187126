// RUN: dyconv-opt %s --dyconv-default-pipeline=target=x86-64-avx512 | dyconv-translate --mlir-to-dyc-plan | FileCheck %s \
// RUN:   --implicit-check-not=convert_layout
// RUN: dyconv-opt %s --dyconv-default-pipeline=target=x86-64-avx2 | dyconv-translate --mlir-to-dyc-plan | FileCheck %s --check-prefix=AVX2

// Static weights arrive in the artifact packed, in the layout the blocked
// conv kernels read, so no kernel repacks them at run time: the artifact
// holds physical shapes. For AVX-512 (16 lanes):
//   stem   [32, 3, 3, 3] OIhw16o    -> [2, 3, 3, 3, 16]
//   conv   [32, 32, 3, 3] OIhw16i16o -> [2, 2, 3, 3, 16, 16]
//   biases [32] 16o                  -> [2, 16]
// and the activations between them NCHW16c, [N, 2, 8, 8, 16]. The pooling
// reads NCHW16c and writes a plain vector: no convert_layout kernel exists.
// CHECK: kernel 0 dyconv_fused_conv2d_0: conv2d 3x3 3->32 8x8 s1 g1 p1,1,1,1 +bias relu, blocked
// CHECK-NEXT: kernel 1 dyconv_fused_conv2d_1: conv2d 3x3 32->32 8x8 s1 g1 p1,1,1,1 +bias relu, blocked
// CHECK-NEXT: kernel 2 dyconv_global_avg_pool_2: global_avgpool 32x8x8
// CHECK-NEXT: tensor 0: input 0 [N, 3, 8, 8]
// CHECK-DAG: weight +{{[0-9]+}} [2, 2, 3, 3, 16, 16]
// CHECK-DAG: weight +{{[0-9]+}} [2, 3, 3, 3, 16]
// CHECK-DAG: weight +{{[0-9]+}} [2, 16]
// CHECK: arena +{{[0-9]+}}/sample [N, 2, 8, 8, 16]
// CHECK-NEXT: arena +{{[0-9]+}}/sample [N, 2, 8, 8, 16]
// CHECK-NEXT: arena +{{[0-9]+}}/sample [N, 32, 1, 1]
// AVX2 packs for 8 lanes: OIhw8i8o, 8o, NCHW8c.
// AVX2-DAG: weight +{{[0-9]+}} [4, 4, 3, 3, 8, 8]
// AVX2-DAG: weight +{{[0-9]+}} [4, 3, 3, 3, 8]
// AVX2-DAG: weight +{{[0-9]+}} [4, 8]
// AVX2: arena +{{[0-9]+}}/sample [N, 4, 8, 8, 8]
func.func @two_convs(%x: tensor<?x3x8x8xf32>) -> tensor<?x32x1x1xf32> {
  %w0 = arith.constant dense<0.1> : tensor<32x3x3x3xf32>
  %b0 = arith.constant dense<0.5> : tensor<32xf32>
  %w1 = arith.constant dense<0.2> : tensor<32x32x3x3xf32>
  %b1 = arith.constant dense<-0.5> : tensor<32xf32>
  %0 = dyconv.conv2d %x, %w0, %b0 {padding = array<i64: 1, 1, 1, 1>}
      : (tensor<?x3x8x8xf32>, tensor<32x3x3x3xf32>, tensor<32xf32>) -> tensor<?x32x8x8xf32>
  %1 = dyconv.relu %0 : tensor<?x32x8x8xf32>
  %2 = dyconv.conv2d %1, %w1, %b1 {padding = array<i64: 1, 1, 1, 1>}
      : (tensor<?x32x8x8xf32>, tensor<32x32x3x3xf32>, tensor<32xf32>) -> tensor<?x32x8x8xf32>
  %3 = dyconv.relu %2 : tensor<?x32x8x8xf32>
  %4 = dyconv.global_avg_pool %3 : (tensor<?x32x8x8xf32>) -> tensor<?x32x1x1xf32>
  return %4 : tensor<?x32x1x1xf32>
}
