// RUN: dyconv-opt %s -dyconv-outline-kernels -dyconv-plan-memory -split-input-file -verify-diagnostics | FileCheck %s

// Sizes are per sample (the batch is the leading dimension) and rounded up
// to 64 bytes: [?, 2, 4, 4] is 128 B, [?, 3, 2, 2] 48 -> 64 B,
// [?, 5, 2, 2] 80 -> 128 B, [?, 4] 16 -> 64 B. Offsets are first fit among
// the buffers still live when a call starts.

// A chain of convs: %0 at 0, %1 after it (%0 is its operand), %2 reuses %0's
// dead buffer, %3 goes after %2. The arena is 64 + 128 = 192 bytes, not
// 48 + 80.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: attributes {dyconv.arena_bytes = 192 : i64}
// CHECK: %[[A:.*]] = call @conv2d_{{[0-9]+}}(%{{.*}}) {dyconv.arena_offsets = array<i64: 0>} : {{.*}} -> tensor<?x3x2x2xf32>
// CHECK: %[[B:.*]] = call @conv2d_{{[0-9]+}}(%[[A]], %{{.*}}) {dyconv.arena_offsets = array<i64: 64>} : {{.*}} -> tensor<?x3x2x2xf32>
// CHECK: %[[C:.*]] = call @conv2d_{{[0-9]+}}(%[[B]], %{{.*}}) {dyconv.arena_offsets = array<i64: 0>} : {{.*}} -> tensor<?x3x2x2xf32>
// CHECK: %[[D:.*]] = call @conv2d_{{[0-9]+}}(%[[C]], %{{.*}}) {dyconv.arena_offsets = array<i64: 64>} : {{.*}} -> tensor<?x5x2x2xf32>
// CHECK: return %[[D]]
func.func @chain(%x: tensor<?x2x4x4xf32>) -> tensor<?x5x2x2xf32> {
  %w0 = arith.constant dense<0.5> : tensor<3x2x3x3xf32>
  %w1 = arith.constant dense<0.5> : tensor<3x3x1x1xf32>
  %w2 = arith.constant dense<0.5> : tensor<5x3x1x1xf32>
  %0 = dyconv.conv2d %x, %w0 : (tensor<?x2x4x4xf32>, tensor<3x2x3x3xf32>) -> tensor<?x3x2x2xf32>
  %1 = dyconv.conv2d %0, %w1 : (tensor<?x3x2x2xf32>, tensor<3x3x1x1xf32>) -> tensor<?x3x2x2xf32>
  %2 = dyconv.conv2d %1, %w1 : (tensor<?x3x2x2xf32>, tensor<3x3x1x1xf32>) -> tensor<?x3x2x2xf32>
  %3 = dyconv.conv2d %2, %w2 : (tensor<?x3x2x2xf32>, tensor<5x3x1x1xf32>) -> tensor<?x5x2x2xf32>
  return %3 : tensor<?x5x2x2xf32>
}

// -----

// No kernel writes in place, not even an elementwise one over an operand
// that dies at it (the vectorized schedules recompute a row's overlapping
// last vector, which would read values already overwritten): the relu gets
// its own buffer (128); the next conv reuses the dead conv's buffer (0).
// CHECK-LABEL: func.func @relu_not_in_place
// CHECK-SAME: attributes {dyconv.arena_bytes = 256 : i64}
// CHECK: %[[A:.*]] = call @conv2d_{{[0-9]+}}({{.*}}) {dyconv.arena_offsets = array<i64: 0>}
// CHECK: %[[R:.*]] = call @relu_{{[0-9]+}}(%[[A]]) {dyconv.arena_offsets = array<i64: 128>}
// CHECK: %[[B:.*]] = call @conv2d_{{[0-9]+}}(%[[R]], %{{.*}}) {dyconv.arena_offsets = array<i64: 0>}
// CHECK: return %[[B]]
func.func @relu_not_in_place(%x: tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32> {
  %w = arith.constant dense<0.5> : tensor<2x2x1x1xf32>
  %0 = dyconv.conv2d %x, %w : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x4x4xf32>
  %1 = dyconv.relu %0 : tensor<?x2x4x4xf32>
  %2 = dyconv.conv2d %1, %w : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x4x4xf32>
  return %2 : tensor<?x2x4x4xf32>
}

// -----

// Likewise an add whose two operands both die at it: its result overlaps
// neither (256), and the conv after it reuses the first one (0).
// CHECK-LABEL: func.func @add_not_in_place
// CHECK-SAME: attributes {dyconv.arena_bytes = 384 : i64}
// CHECK: %[[A:.*]] = call @conv2d_{{[0-9]+}}({{.*}}) {dyconv.arena_offsets = array<i64: 0>}
// CHECK: %[[B:.*]] = call @conv2d_{{[0-9]+}}(%[[A]], %{{.*}}) {dyconv.arena_offsets = array<i64: 128>}
// CHECK: %[[S:.*]] = call @add_{{[0-9]+}}(%[[A]], %[[B]]) {dyconv.arena_offsets = array<i64: 256>}
// CHECK: %[[C:.*]] = call @conv2d_{{[0-9]+}}(%[[S]], %{{.*}}) {dyconv.arena_offsets = array<i64: 0>}
// CHECK: return %[[C]]
func.func @add_not_in_place(%x: tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32> {
  %w = arith.constant dense<0.5> : tensor<2x2x1x1xf32>
  %0 = dyconv.conv2d %x, %w : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x4x4xf32>
  %1 = dyconv.conv2d %0, %w : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x4x4xf32>
  %2 = dyconv.add %0, %1 : (tensor<?x2x4x4xf32>, tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32>
  %3 = dyconv.conv2d %2, %w : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x4x4xf32>
  return %3 : tensor<?x2x4x4xf32>
}

// -----

// Function results stay live to the end: nothing after the first relu reuses
// the returned conv or relu buffers; function arguments take no arena space.
// CHECK-LABEL: func.func @returned_values
// CHECK-SAME: attributes {dyconv.arena_bytes = 384 : i64}
// CHECK: %[[A:.*]] = call @conv2d_{{[0-9]+}}({{.*}}) {dyconv.arena_offsets = array<i64: 0>}
// CHECK: %[[R:.*]] = call @relu_{{[0-9]+}}(%[[A]]) {dyconv.arena_offsets = array<i64: 128>}
// CHECK: %[[S:.*]] = call @relu_{{[0-9]+}}(%{{[^)]*}}) {dyconv.arena_offsets = array<i64: 256>}
// CHECK: return %[[A]], %[[R]], %[[S]]
func.func @returned_values(%x: tensor<?x2x4x4xf32>)
    -> (tensor<?x2x4x4xf32>, tensor<?x2x4x4xf32>, tensor<?x2x4x4xf32>) {
  %w = arith.constant dense<0.5> : tensor<2x2x1x1xf32>
  %0 = dyconv.conv2d %x, %w : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x4x4xf32>
  %1 = dyconv.relu %0 : tensor<?x2x4x4xf32>
  %2 = dyconv.relu %x : tensor<?x2x4x4xf32>
  return %0, %1, %2 : tensor<?x2x4x4xf32>, tensor<?x2x4x4xf32>, tensor<?x2x4x4xf32>
}

// -----

// Views: flatten and reshape stay in the graph without offsets and keep
// %0's buffer alive until the relu of the reshape, so the conv between them
// cannot reuse it (128) and neither can the relu (256). Once the relu has
// run, the buffer is free again: the linear takes it (0).
// CHECK-LABEL: func.func @views
// CHECK-SAME: attributes {dyconv.arena_bytes = 384 : i64}
// CHECK: %[[A:.*]] = call @conv2d_{{[0-9]+}}({{.*}}) {dyconv.arena_offsets = array<i64: 0>}
// CHECK: %[[F:.*]] = dyconv.flatten %[[A]] : (tensor<?x2x4x4xf32>) -> tensor<?x32xf32>
// CHECK-NOT: arena_offsets
// CHECK: %[[V:.*]] = dyconv.reshape %[[F]] {shape = array<i64: 0, 4, 8>} : (tensor<?x32xf32>) -> tensor<?x4x8xf32>
// CHECK-NOT: arena_offsets
// CHECK: %[[B:.*]] = call @conv2d_{{[0-9]+}}({{.*}}) {dyconv.arena_offsets = array<i64: 128>}
// CHECK: %[[R:.*]] = call @relu_{{[0-9]+}}(%[[V]]) {dyconv.arena_offsets = array<i64: 256>}
// CHECK: %[[G:.*]] = dyconv.flatten %[[R]]
// CHECK: %[[L:.*]] = call @linear_{{[0-9]+}}(%[[G]], %{{.*}}) {dyconv.arena_offsets = array<i64: 0>}
// CHECK: return %[[B]], %[[L]]
func.func @views(%x: tensor<?x2x4x4xf32>) -> (tensor<?x2x4x4xf32>, tensor<?x4xf32>) {
  %w = arith.constant dense<0.5> : tensor<2x2x1x1xf32>
  %fc = arith.constant dense<0.5> : tensor<4x32xf32>
  %0 = dyconv.conv2d %x, %w : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x4x4xf32>
  %1 = dyconv.flatten %0 : (tensor<?x2x4x4xf32>) -> tensor<?x32xf32>
  %2 = dyconv.reshape %1 {shape = array<i64: 0, 4, 8>} : (tensor<?x32xf32>) -> tensor<?x4x8xf32>
  %3 = dyconv.conv2d %x, %w : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x4x4xf32>
  %4 = dyconv.relu %2 : tensor<?x4x8xf32>
  %5 = dyconv.flatten %4 : (tensor<?x4x8xf32>) -> tensor<?x32xf32>
  %6 = dyconv.linear %5, %fc : (tensor<?x32xf32>, tensor<4x32xf32>) -> tensor<?x4xf32>
  return %3, %6 : tensor<?x2x4x4xf32>, tensor<?x4xf32>
}

// -----

// A returned view keeps its buffer for good: the second conv does not reuse
// the first one's buffer.
// CHECK-LABEL: func.func @returned_view
// CHECK-SAME: attributes {dyconv.arena_bytes = 256 : i64}
// CHECK: call @conv2d_{{[0-9]+}}({{.*}}) {dyconv.arena_offsets = array<i64: 0>}
// CHECK: dyconv.flatten
// CHECK: call @conv2d_{{[0-9]+}}({{.*}}) {dyconv.arena_offsets = array<i64: 128>}
func.func @returned_view(%x: tensor<?x2x4x4xf32>) -> (tensor<?x32xf32>, tensor<?x2x4x4xf32>) {
  %w = arith.constant dense<0.5> : tensor<2x2x1x1xf32>
  %0 = dyconv.conv2d %x, %w : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x4x4xf32>
  %1 = dyconv.flatten %0 : (tensor<?x2x4x4xf32>) -> tensor<?x32xf32>
  %2 = dyconv.conv2d %x, %w : (tensor<?x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x4x4xf32>
  return %1, %2 : tensor<?x32xf32>, tensor<?x2x4x4xf32>
}

// -----

// A multi-result call: the four attentions ([?, 2], [?, 2], [?, 9], [?, 2],
// 64 B each) get distinct offsets; the aggregate ([?, 2, 2, 3, 3], 144 ->
// 192 B) goes after them, and the conv, once they are dead, at 0.
// CHECK-LABEL: func.func @multi_result
// CHECK-SAME: attributes {dyconv.arena_bytes = 448 : i64}
// CHECK: %[[ATT:.*]]:4 = call @odconv_attention_{{[0-9]+}}({{.*}}) {dyconv.arena_offsets = array<i64: 0, 64, 128, 192>}
// CHECK: %[[W:.*]] = call @aggregate_{{[0-9]+}}(%{{[^,]*}}, %[[ATT]]#0, %[[ATT]]#1, %[[ATT]]#2, %[[ATT]]#3) {dyconv.arena_offsets = array<i64: 256>}
// CHECK: %[[Y:.*]] = call @dynamic_conv2d_{{[0-9]+}}(%{{[^,]*}}, %[[W]]) {dyconv.arena_offsets = array<i64: 0>}
// CHECK: return %[[Y]]
func.func @multi_result(%x: tensor<?x2x4x4xf32>, %cw: tensor<2x4xf32>, %p2: tensor<2xf32>, %sw: tensor<9x4xf32>,
                        %p9: tensor<9xf32>, %fc: tensor<4x2xf32>, %p4: tensor<4xf32>, %bank: tensor<2x2x2x3x3xf32>)
    -> tensor<?x2x4x4xf32> {
  %0:4 = dyconv.odconv_attention %x fc(%fc, %p4) channel(%cw, %p2) filter(%cw, %p2) spatial(%sw, %p9) kernel(%cw, %p2)
      : (tensor<?x2x4x4xf32>, tensor<4x2xf32>, tensor<4xf32>, tensor<2x4xf32>, tensor<2xf32>, tensor<2x4xf32>,
         tensor<2xf32>, tensor<9x4xf32>, tensor<9xf32>, tensor<2x4xf32>, tensor<2xf32>)
      -> (tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x9xf32>, tensor<?x2xf32>)
  %1 = dyconv.aggregate %bank channel(%0#0) filter(%0#1) spatial(%0#2) kernel(%0#3)
      : (tensor<2x2x2x3x3xf32>, tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x9xf32>, tensor<?x2xf32>) -> tensor<?x2x2x3x3xf32>
  %2 = dyconv.dynamic_conv2d %x, %1 {padding = array<i64: 1, 1, 1, 1>}
      : (tensor<?x2x4x4xf32>, tensor<?x2x2x3x3xf32>) -> tensor<?x2x4x4xf32>
  return %2 : tensor<?x2x4x4xf32>
}

// -----

// Error: a result with a dynamic dimension besides the batch has no size per
// sample.
func.func @dynamic_spatial(%x: tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32> {
  %w = arith.constant dense<0.5> : tensor<2x2x1x1xf32>
  // expected-error @below {{'func.call' op result type 'tensor<?x2x?x?xf32>' has no static size per sample (f32 with the batch as its leading dimension)}}
  %0 = dyconv.conv2d %x, %w : (tensor<?x2x?x?xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x?x?xf32>
  return %0 : tensor<?x2x?x?xf32>
}
