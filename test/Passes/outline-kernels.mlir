// RUN: dyconv-opt %s -dyconv-outline-kernels -split-input-file | FileCheck %s

// Each computation moves into a private `dyconv.kernel` function named after
// its op and a counter, and becomes a call; the weight constant stays in the
// graph and is passed to the kernel as an operand.
// CHECK-LABEL: func.func @conv_relu
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x2x4x4xf32>) -> tensor<?x3x4x4xf32> {
// CHECK: %[[W:.*]] = arith.constant dense<5.000000e-01> : tensor<3x2x1x1xf32>
// CHECK: %[[C:.*]] = call @conv2d_0(%[[X]], %[[W]]) : (tensor<?x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<?x3x4x4xf32>
// CHECK: %[[R:.*]] = call @relu_1(%[[C]]) : (tensor<?x3x4x4xf32>) -> tensor<?x3x4x4xf32>
// CHECK-NOT: dyconv.
// CHECK: return %[[R]]
// CHECK: func.func private @conv2d_0(%[[KX:[^:]*]]: tensor<?x2x4x4xf32>, %[[KW:[^:]*]]: tensor<3x2x1x1xf32>) -> tensor<?x3x4x4xf32> attributes {dyconv.kernel} {
// CHECK-NEXT: %[[K:.*]] = dyconv.conv2d %[[KX]], %[[KW]] {dilation = array<i64: 2, 2>} : (tensor<?x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<?x3x4x4xf32>
// CHECK-NEXT: return %[[K]]
// CHECK: func.func private @relu_1(%[[RX:[^:]*]]: tensor<?x3x4x4xf32>) -> tensor<?x3x4x4xf32> attributes {dyconv.kernel} {
// CHECK-NEXT: %[[K:.*]] = dyconv.relu %[[RX]] : tensor<?x3x4x4xf32>
// CHECK-NEXT: return %[[K]]
func.func @conv_relu(%x: tensor<?x2x4x4xf32>) -> tensor<?x3x4x4xf32> {
  %w = arith.constant dense<0.5> : tensor<3x2x1x1xf32>
  %0 = dyconv.conv2d %x, %w {dilation = array<i64: 2, 2>}
      : (tensor<?x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<?x3x4x4xf32>
  %1 = dyconv.relu %0 : tensor<?x3x4x4xf32>
  return %1 : tensor<?x3x4x4xf32>
}

// -----

// Identical ops (name, attributes, operand and result types) share one
// kernel, even with different operand values; an op with another attribute
// (padding) or other types gets a kernel of its own. Kernels are shared
// across the public functions of a module.
// CHECK-LABEL: func.func @sharing
// CHECK: %[[A:.*]] = call @conv2d_0(%{{.*}}, %{{.*}}) : (tensor<1x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x4x4xf32>
// CHECK: %[[B:.*]] = call @conv2d_0(%[[A]], %{{.*}}) : (tensor<1x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x4x4xf32>
// CHECK: %[[C:.*]] = call @conv2d_1(%[[B]], %{{.*}}) : (tensor<1x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x2x2xf32>
// CHECK: %[[D:.*]] = call @conv2d_2(%{{.*}}, %{{.*}}) : (tensor<2x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<2x2x4x4xf32>
// CHECK: return %[[C]], %[[D]]
// CHECK-LABEL: func.func @sharing_too
// CHECK: call @conv2d_0(
// CHECK: func.func private @conv2d_0(
// CHECK-NEXT: dyconv.conv2d {{.*}} {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x4x4xf32>
// CHECK: func.func private @conv2d_1(
// CHECK-NEXT: dyconv.conv2d {{.*}} : (tensor<1x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x2x2xf32>
// CHECK: func.func private @conv2d_2(
// CHECK-NEXT: dyconv.conv2d {{.*}} {padding = array<i64: 1, 1, 1, 1>} : (tensor<2x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<2x2x4x4xf32>
// CHECK-NOT: func.func private @conv2d_3
func.func @sharing(%x: tensor<1x2x4x4xf32>, %y: tensor<2x2x4x4xf32>, %v: tensor<2x2x3x3xf32>)
    -> (tensor<1x2x2x2xf32>, tensor<2x2x4x4xf32>) {
  %w = arith.constant dense<0.5> : tensor<2x2x3x3xf32>
  %0 = dyconv.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>}
      : (tensor<1x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x4x4xf32>
  %1 = dyconv.conv2d %0, %v {padding = array<i64: 1, 1, 1, 1>}
      : (tensor<1x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x4x4xf32>
  %2 = dyconv.conv2d %1, %w : (tensor<1x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x2x2xf32>
  %3 = dyconv.conv2d %y, %w {padding = array<i64: 1, 1, 1, 1>}
      : (tensor<2x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<2x2x4x4xf32>
  return %2, %3 : tensor<1x2x2x2xf32>, tensor<2x2x4x4xf32>
}
func.func @sharing_too(%x: tensor<1x2x4x4xf32>, %w: tensor<2x2x3x3xf32>) -> tensor<1x2x4x4xf32> {
  %0 = dyconv.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>}
      : (tensor<1x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// Views stay in the graph: flatten and reshape only reinterpret their input
// and get no kernel; the pooling and the linear between them do.
// CHECK-LABEL: func.func @views
// CHECK: %[[P:.*]] = call @global_avg_pool_0(%{{.*}}) : (tensor<?x8x4x4xf32>) -> tensor<?x8x1x1xf32>
// CHECK: %[[F:.*]] = dyconv.flatten %[[P]] : (tensor<?x8x1x1xf32>) -> tensor<?x8xf32>
// CHECK: %[[L:.*]] = call @linear_1(%[[F]], %{{.*}}, %{{.*}}) : (tensor<?x8xf32>, tensor<6x8xf32>, tensor<6xf32>) -> tensor<?x6xf32>
// CHECK: %[[R:.*]] = dyconv.reshape %[[L]] {shape = array<i64: 0, 2, 3>} : (tensor<?x6xf32>) -> tensor<?x2x3xf32>
// CHECK: return %[[R]]
// CHECK-NOT: func.func private @flatten
// CHECK-NOT: func.func private @reshape
func.func @views(%x: tensor<?x8x4x4xf32>) -> tensor<?x2x3xf32> {
  %w = arith.constant dense<0.5> : tensor<6x8xf32>
  %b = arith.constant dense<0.1> : tensor<6xf32>
  %0 = dyconv.global_avg_pool %x : (tensor<?x8x4x4xf32>) -> tensor<?x8x1x1xf32>
  %1 = dyconv.flatten %0 : (tensor<?x8x1x1xf32>) -> tensor<?x8xf32>
  %2 = dyconv.linear %1, %w, %b : (tensor<?x8xf32>, tensor<6x8xf32>, tensor<6xf32>) -> tensor<?x6xf32>
  %3 = dyconv.reshape %2 {shape = array<i64: 0, 2, 3>} : (tensor<?x6xf32>) -> tensor<?x2x3xf32>
  return %3 : tensor<?x2x3xf32>
}

// -----

// A multi-result op: the kernel returns all of odconv_attention's results
// and the call's results replace them one for one.
// CHECK-LABEL: func.func @multi_result
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x2x4x4xf32>, %[[CW:[^:]*]]: tensor<2x4xf32>, %[[P2:[^:]*]]: tensor<2xf32>, %[[SW:[^:]*]]: tensor<9x4xf32>, %[[P9:[^:]*]]: tensor<9xf32>, %[[FC:[^:]*]]: tensor<4x2xf32>, %[[P4:[^:]*]]: tensor<4xf32>, %[[BANK:[^:]*]]: tensor<2x2x2x3x3xf32>)
// CHECK: %[[ATT:.*]]:4 = call @odconv_attention_0(%[[X]], %[[FC]], %[[P4]], %[[CW]], %[[P2]], %[[CW]], %[[P2]], %[[SW]], %[[P9]], %[[CW]], %[[P2]]) : {{.*}} -> (tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x9xf32>, tensor<?x2xf32>)
// CHECK: %[[W:.*]] = call @aggregate_1(%[[BANK]], %[[ATT]]#0, %[[ATT]]#1, %[[ATT]]#2, %[[ATT]]#3) :
// CHECK: %[[Y:.*]] = call @dynamic_conv2d_2(%[[X]], %[[W]]) :
// CHECK: return %[[Y]]
// CHECK: func.func private @odconv_attention_0({{.*}}) -> (tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x9xf32>, tensor<?x2xf32>) attributes {dyconv.kernel} {
// CHECK-NEXT: %[[K:.*]]:4 = dyconv.odconv_attention
// CHECK-NEXT: return %[[K]]#0, %[[K]]#1, %[[K]]#2, %[[K]]#3 :
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

// Only public functions are graphs: a private function keeps its ops.
// CHECK-LABEL: func.func private @helper
// CHECK-NEXT: dyconv.relu
// CHECK-NOT: call
// CHECK: return
func.func private @helper(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %0 = dyconv.relu %x : tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}
