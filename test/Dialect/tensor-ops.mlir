// RUN: dyconv-opt %s -split-input-file -verify-diagnostics | FileCheck %s
// The generic tensor ops that imported ONNX graphs use: result types are
// inferred and checked, malformed attributes are rejected with the shapes.

// CHECK-LABEL: func @arith
func.func @arith(%a: tensor<?x4x1x1xf32>, %t: tensor<f32>) -> (tensor<?x4x1x1xf32>, tensor<?x4x1x1xf32>, tensor<?x4x1x1xf32>) {
  // CHECK: dyconv.div %{{.*}}, %{{.*}} : (tensor<?x4x1x1xf32>, tensor<f32>) -> tensor<?x4x1x1xf32>
  %d = dyconv.div %a, %t : (tensor<?x4x1x1xf32>, tensor<f32>) -> tensor<?x4x1x1xf32>
  // CHECK: dyconv.sub %{{.*}}, %{{.*}} : (tensor<f32>, tensor<?x4x1x1xf32>) -> tensor<?x4x1x1xf32>
  %s = dyconv.sub %t, %a : (tensor<f32>, tensor<?x4x1x1xf32>) -> tensor<?x4x1x1xf32>
  // CHECK: dyconv.abs %{{.*}} : tensor<?x4x1x1xf32>
  %b = dyconv.abs %a : tensor<?x4x1x1xf32>
  return %d, %s, %b : tensor<?x4x1x1xf32>, tensor<?x4x1x1xf32>, tensor<?x4x1x1xf32>
}

// -----

// CHECK-LABEL: func @shapes
func.func @shapes(%x: tensor<2x9x1x1x16x3x1x1xf32>, %c: tensor<18x10xf32>) -> (tensor<2x1x16x1x3x9x1x1xf32>, tensor<18x9xf32>, tensor<18x1xf32>, tensor<18xf32>) {
  // CHECK: dyconv.transpose %{{.*}} {perm = array<i64: 0, 2, 4, 3, 5, 1, 6, 7>} : (tensor<2x9x1x1x16x3x1x1xf32>) -> tensor<2x1x16x1x3x9x1x1xf32>
  %t = dyconv.transpose %x {perm = array<i64: 0, 2, 4, 3, 5, 1, 6, 7>} : (tensor<2x9x1x1x16x3x1x1xf32>) -> tensor<2x1x16x1x3x9x1x1xf32>
  // CHECK: dyconv.slice %{{.*}} : (tensor<18x10xf32>) -> tensor<18x9xf32>
  %s = dyconv.slice %c {axes = array<i64: 1>, starts = array<i64: 0>, ends = array<i64: -1>, steps = array<i64: 1>} : (tensor<18x10xf32>) -> tensor<18x9xf32>
  // CHECK: dyconv.reduce_mean %{{.*}} {axes = array<i64: -1>} : (tensor<18x10xf32>) -> tensor<18x1xf32>
  %m = dyconv.reduce_mean %c {axes = array<i64: -1>} : (tensor<18x10xf32>) -> tensor<18x1xf32>
  // CHECK: dyconv.reduce_sum %{{.*}} {axes = array<i64: 1>, keepdims = false} : (tensor<18x10xf32>) -> tensor<18xf32>
  %r = dyconv.reduce_sum %c {axes = array<i64: 1>, keepdims = false} : (tensor<18x10xf32>) -> tensor<18xf32>
  return %t, %s, %m, %r : tensor<2x1x16x1x3x9x1x1xf32>, tensor<18x9xf32>, tensor<18x1xf32>, tensor<18xf32>
}

// -----

// Reverse slice with clamped bounds: starts 100 -> 9, ends -100 -> -1, step -3: 9, 6, 3, 0.
// CHECK-LABEL: func @reverse_slice
func.func @reverse_slice(%c: tensor<?x10xf32>) -> tensor<?x4xf32> {
  // CHECK: -> tensor<?x4xf32>
  %s = dyconv.slice %c {axes = array<i64: -1>, starts = array<i64: 100>, ends = array<i64: -100>, steps = array<i64: -3>} : (tensor<?x10xf32>) -> tensor<?x4xf32>
  return %s : tensor<?x4xf32>
}

// -----

// CHECK-LABEL: func @matmul
func.func @matmul(%a: tensor<3x1x4x5xf32>, %b: tensor<2x5x6xf32>) -> tensor<3x2x4x6xf32> {
  // CHECK: dyconv.matmul %{{.*}}, %{{.*}} : (tensor<3x1x4x5xf32>, tensor<2x5x6xf32>) -> tensor<3x2x4x6xf32>
  %y = dyconv.matmul %a, %b : (tensor<3x1x4x5xf32>, tensor<2x5x6xf32>) -> tensor<3x2x4x6xf32>
  return %y : tensor<3x2x4x6xf32>
}

// -----

func.func @bad_perm(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+2 {{'dyconv.transpose' op perm [0, 0, 1] is not a permutation of the 3 dimensions of 2x3x4}}
  // expected-error @+1 {{'dyconv.transpose' op failed to infer returned types}}
  %t = dyconv.transpose %x {perm = array<i64: 0, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %t : tensor<2x3x4xf32>
}

// -----

func.func @slice_dynamic(%x: tensor<?x3xf32>) -> tensor<1x3xf32> {
  // expected-error @+2 {{'dyconv.slice' op cannot slice dynamic dimension 0 of ?x3}}
  // expected-error @+1 {{'dyconv.slice' op failed to infer returned types}}
  %s = dyconv.slice %x {axes = array<i64: 0>, starts = array<i64: 0>, ends = array<i64: 1>, steps = array<i64: 1>} : (tensor<?x3xf32>) -> tensor<1x3xf32>
  return %s : tensor<1x3xf32>
}

// -----

func.func @reduce_repeated(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{'dyconv.reduce_sum' op axes [1, -1] repeat an axis}}
  // expected-error @+1 {{'dyconv.reduce_sum' op failed to infer returned types}}
  %r = dyconv.reduce_sum %x {axes = array<i64: 1, -1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %r : tensor<2xf32>
}

// -----

func.func @matmul_inner(%a: tensor<4x5xf32>, %b: tensor<4x6xf32>) -> tensor<4x6xf32> {
  // expected-error @+2 {{'dyconv.matmul' op inner dimensions of 4x5 and 4x6 differ}}
  // expected-error @+1 {{'dyconv.matmul' op failed to infer returned types}}
  %y = dyconv.matmul %a, %b : (tensor<4x5xf32>, tensor<4x6xf32>) -> tensor<4x6xf32>
  return %y : tensor<4x6xf32>
}
