// RUN: dyconv-opt %s -dyconv-specialize-input-shapes='shapes=image=?x3x8x12' | FileCheck %s
// RUN: not dyconv-opt %s -dyconv-specialize-input-shapes='shapes=image=?x3x8' 2>&1 | FileCheck %s --check-prefix=RANK
// RUN: not dyconv-opt %s -dyconv-specialize-input-shapes='shapes=picture=?x3x8x12' 2>&1 | FileCheck %s --check-prefix=NAME
// RUN: not dyconv-opt %s -dyconv-specialize-input-shapes='shapes=image=?x4x8x12' 2>&1 | FileCheck %s --check-prefix=FIXED
// RUN: not dyconv-opt %s -dyconv-specialize-input-shapes='shapes=image=?x3xyx12' 2>&1 | FileCheck %s --check-prefix=SYNTAX

// An input exported with dynamic height and width gets the extents given,
// the batch stays free (`?`), and every result type follows: the conv's
// output is 4x6 after stride 2, the pool's 1x1.
// CHECK-LABEL: func.func @detector
// CHECK-SAME: (%{{.*}}: tensor<?x3x8x12xf32> {dyconv.name = "image"}) -> tensor<?x4x1x1xf32>
// CHECK: dyconv.conv2d {{.*}} -> tensor<?x4x4x6xf32>
// CHECK: dyconv.global_avg_pool {{.*}} -> tensor<?x4x1x1xf32>
// RANK: error: input 'image' 'tensor<?x3x?x?xf32>' has rank 4, --input-shape gives 3 extents
// NAME: error: no input named 'picture'
// FIXED: error: input 'image' 'tensor<?x3x?x?xf32>' has extent 3 in dimension 1, --input-shape gives 4
// SYNTAX: error: input shape 'image=?x3xyx12': 'y' is not a positive extent or ?
func.func @detector(%x: tensor<?x3x?x?xf32> {dyconv.name = "image"}) -> tensor<?x4x1x1xf32> {
  %w = arith.constant dense<0.1> : tensor<4x3x3x3xf32>
  %0 = dyconv.conv2d %x, %w {stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : (tensor<?x3x?x?xf32>, tensor<4x3x3x3xf32>) -> tensor<?x4x?x?xf32>
  %1 = dyconv.global_avg_pool %0 : (tensor<?x4x?x?xf32>) -> tensor<?x4x1x1xf32>
  return %1 : tensor<?x4x1x1xf32>
}

// Without a size for its height and width the input is refused, by name.
// RUN: not dyconv-opt %s -dyconv-specialize-input-shapes 2>&1 | FileCheck %s --check-prefix=DYNAMIC
// DYNAMIC: error: input 'image' has type 'tensor<?x3x?x?xf32>': dyconv compiles a fixed size per sample, and only the leading (batch) dimension may stay dynamic; give its size (dyconv-compile --input-shape image=?,...) or export the model at a fixed input size
