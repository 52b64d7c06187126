// RUN: dyconv-translate %s -split-input-file -verify-diagnostics --mlir-to-dyc-plan | FileCheck %s

// The artifact writer on kernel-level IR (what the default pipeline leaves):
// kernels in call order with their descriptors, the graph input, the weights
// at 64-byte aligned offsets, the results at their arena offsets, a view
// sharing its producer's storage, the steps and the named bindings. The batch
// is written as rows per sample (N); dyconv.batch fixes it.

// CHECK: plan: batch 4, arena 4096 bytes per sample, weights 336 bytes
// CHECK-NEXT: kernel 0 dyconv_conv: conv2d 3x3 2->4 4x4 s1 g1 p1,1,1,1 +bias relu
// CHECK-NEXT: kernel 1 dyconv_pool: global_avgpool 4x4x4
// CHECK-NEXT: tensor 0: input 0 [N, 2, 4, 4]
// CHECK-NEXT: tensor 1: weight +0 [4, 2, 3, 3]
// CHECK-NEXT: tensor 2: weight +320 [4]
// CHECK-NEXT: tensor 3: arena +0/sample [N, 4, 4, 4]
// CHECK-NEXT: tensor 4: arena +256/sample [N, 4, 1, 1]
// CHECK-NEXT: tensor 5: arena +256/sample [N, 4]
// CHECK-NEXT: step 0: kernel 0 (0, 1, 2, 3)
// CHECK-NEXT: step 1: kernel 1 (3, 4)
// CHECK-NEXT: input 'image': tensor 0
// CHECK-NEXT: output 'pooled': tensor 5
module {
  func.func @graph(%x: tensor<4x2x4x4xf32> {dyconv.name = "image"})
      -> (tensor<4x4xf32> {dyconv.name = "pooled"})
      attributes {dyconv.arena_bytes = 4096 : i64, dyconv.batch = 4 : i64} {
    %w = arith.constant dense<0.5> : tensor<4x2x3x3xf32>
    %b = arith.constant dense<0.25> : tensor<4xf32>
    %c = call @conv(%x, %w, %b) {dyconv.arena_offsets = array<i64: 0>}
        : (tensor<4x2x4x4xf32>, tensor<4x2x3x3xf32>, tensor<4xf32>) -> tensor<4x4x4x4xf32>
    %p = call @pool(%c) {dyconv.arena_offsets = array<i64: 256>}
        : (tensor<4x4x4x4xf32>) -> tensor<4x4x1x1xf32>
    %f = dyconv.flatten %p : (tensor<4x4x1x1xf32>) -> tensor<4x4xf32>
    return %f : tensor<4x4xf32>
  }
  func.func private @conv(%x: tensor<4x2x4x4xf32>, %w: tensor<4x2x3x3xf32>, %b: tensor<4xf32>)
      -> tensor<4x4x4x4xf32> attributes {dyconv.kernel} {
    %y = dyconv.fused_conv2d %x, %w bias %b {activation = #dyconv<activation relu>, padding = array<i64: 1, 1, 1, 1>}
        : (tensor<4x2x4x4xf32>, tensor<4x2x3x3xf32>, tensor<4xf32>) -> tensor<4x4x4x4xf32>
    return %y : tensor<4x4x4x4xf32>
  }
  func.func private @pool(%x: tensor<4x4x4x4xf32>) -> tensor<4x4x1x1xf32> attributes {dyconv.kernel} {
    %y = dyconv.global_avg_pool %x : (tensor<4x4x4x4xf32>) -> tensor<4x4x1x1xf32>
    return %y : tensor<4x4x1x1xf32>
  }
}

// -----

// A kernel call needs the memory plan.
module {
  func.func @graph(%x: tensor<?x4xf32>) -> tensor<?x4xf32> attributes {dyconv.arena_bytes = 64 : i64} {
    // expected-error@+1 {{has no memory plan (run --dyconv-plan-memory)}}
    %y = call @relu(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
    return %y : tensor<?x4xf32>
  }
  func.func private @relu(%x: tensor<?x4xf32>) -> tensor<?x4xf32> attributes {dyconv.kernel} {
    %y = dyconv.relu %x : tensor<?x4xf32>
    return %y : tensor<?x4xf32>
  }
}

// -----

// Ops that are neither kernel calls, views nor constants cannot run.
module {
  func.func @graph(%x: tensor<?x4xf32>) -> tensor<?x4xf32> attributes {dyconv.arena_bytes = 64 : i64} {
    // expected-error@+1 {{'dyconv.relu' op cannot be executed by the runtime (not a kernel call)}}
    %y = dyconv.relu %x : tensor<?x4xf32>
    return %y : tensor<?x4xf32>
  }
}

// -----

// A kernel that codegen has no family for is reported at the op (views,
// such as flatten, are never kernels: outlining leaves them in the graph).
module {
  func.func @graph(%x: tensor<?x4x4xf32>) -> tensor<?x16xf32> attributes {dyconv.arena_bytes = 64 : i64} {
    %y = call @flatten(%x) {dyconv.arena_offsets = array<i64: 0>} : (tensor<?x4x4xf32>) -> tensor<?x16xf32>
    return %y : tensor<?x16xf32>
  }
  func.func private @flatten(%x: tensor<?x4x4xf32>) -> tensor<?x16xf32> attributes {dyconv.kernel} {
    // expected-error@+1 {{'dyconv.flatten' op has no kernel family in codegen}}
    %y = dyconv.flatten %x {axis = 1 : i64} : (tensor<?x4x4xf32>) -> tensor<?x16xf32>
    return %y : tensor<?x16xf32>
  }
}
