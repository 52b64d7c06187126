// RUN: dyconv-opt %s -split-input-file -dyconv-raise-onnx-dynamic-conv -dyconv-free-export-batch | FileCheck %s

// The ODConv layers of ONNX exports, in the form the importer gives them,
// become one dyconv.odconv each, and the export batch becomes dynamic.

// All four heads at batch 2, the attention BN folded into the fc's bias (the
// exact BN 1, b, 0, 1 with epsilon 0), a classifier after the layer. The
// batch-folded reshapes and convs are gone and the classifier's reshape
// copies the batch.
// CHECK-LABEL: func.func @all_heads_batch2
// CHECK-SAME: (%[[X:.*]]: tensor<?x4x4x4xf32>) -> tensor<?x3xf32> {
// CHECK-DAG: %[[BANK:.*]] = arith.constant dense<5.000000e-02> : tensor<2x4x4x3x3xf32>
// CHECK-DAG: %[[FC:.*]] = arith.constant dense<1.000000e-01> : tensor<2x4xf32>
// CHECK-DAG: %[[FCB:.*]] = arith.constant dense<2.000000e-01> : tensor<2xf32>
// CHECK-DAG: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<2xf32>
// CHECK-DAG: %[[CW:.*]] = arith.constant dense<3.000000e-01> : tensor<4x2xf32>
// CHECK-DAG: %[[CB:.*]] = arith.constant dense<1.000000e-01> : tensor<4xf32>
// CHECK-DAG: %[[FW:.*]] = arith.constant dense<-3.000000e-01> : tensor<4x2xf32>
// CHECK-DAG: %[[FB:.*]] = arith.constant dense<2.000000e-01> : tensor<4xf32>
// CHECK-DAG: %[[SW:.*]] = arith.constant dense<4.000000e-01> : tensor<9x2xf32>
// CHECK-DAG: %[[SB:.*]] = arith.constant dense<-1.000000e-01> : tensor<9xf32>
// CHECK-DAG: %[[KW:.*]] = arith.constant dense<5.000000e-01> : tensor<2x2xf32>
// CHECK-DAG: %[[KB:.*]] = arith.constant dense<3.000000e-01> : tensor<2xf32>
// CHECK: %[[Y:.*]] = dyconv.odconv %[[X]], %[[BANK]] attention(fc(%[[FC]]) bn(%[[ONE]], %[[FCB]], %[[ZERO]], %[[ONE]])
// CHECK-SAME: channel(%[[CW]], %[[CB]]) filter(%[[FW]], %[[FB]]) spatial(%[[SW]], %[[SB]]) kernel(%[[KW]], %[[KB]]))
// CHECK-SAME: {bn_epsilon = 0.000000e+00 : f64, padding = array<i64: 1, 1, 1, 1>}
// CHECK-SAME: -> tensor<?x4x4x4xf32>
// CHECK-NEXT: %[[P:.*]] = dyconv.global_avg_pool %[[Y]] : (tensor<?x4x4x4xf32>) -> tensor<?x4x1x1xf32>
// CHECK-NEXT: %[[F:.*]] = dyconv.reshape %[[P]] {shape = array<i64: 0, -1>} : (tensor<?x4x1x1xf32>) -> tensor<?x4xf32>
// CHECK-NEXT: %[[L:.*]] = dyconv.linear %[[F]]
// CHECK-NEXT: return %[[L]] : tensor<?x3xf32>
func.func @all_heads_batch2(%x: tensor<2x4x4x4xf32>) -> tensor<2x3xf32>
    attributes {dyconv.export_batch = 2 : i64} {
  %wfc = arith.constant dense<0.1> : tensor<2x4x1x1xf32>
  %bfc = arith.constant dense<0.2> : tensor<2xf32>
  %wc = arith.constant dense<0.3> : tensor<4x2x1x1xf32>
  %bc = arith.constant dense<0.1> : tensor<4xf32>
  %wf = arith.constant dense<-0.3> : tensor<4x2x1x1xf32>
  %bf = arith.constant dense<0.2> : tensor<4xf32>
  %ws = arith.constant dense<0.4> : tensor<9x2x1x1xf32>
  %bs = arith.constant dense<-0.1> : tensor<9xf32>
  %wk = arith.constant dense<0.5> : tensor<2x2x1x1xf32>
  %bk = arith.constant dense<0.3> : tensor<2xf32>
  %t = arith.constant dense<1.0> : tensor<f32>
  %bank = arith.constant dense<0.05> : tensor<1x2x4x4x3x3xf32>
  %head = arith.constant dense<0.7> : tensor<3x4xf32>
  %g = dyconv.global_avg_pool %x : (tensor<2x4x4x4xf32>) -> tensor<2x4x1x1xf32>
  %f = dyconv.conv2d %g, %wfc, %bfc : (tensor<2x4x1x1xf32>, tensor<2x4x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %h = dyconv.relu %f : tensor<2x2x1x1xf32>
  %c0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<4x2x1x1xf32>, tensor<4xf32>) -> tensor<2x4x1x1xf32>
  %c1 = dyconv.reshape %c0 {shape = array<i64: 2, -1, 1, 1>} : (tensor<2x4x1x1xf32>) -> tensor<2x4x1x1xf32>
  %c2 = dyconv.div %c1, %t : (tensor<2x4x1x1xf32>, tensor<f32>) -> tensor<2x4x1x1xf32>
  %ca = dyconv.sigmoid %c2 : tensor<2x4x1x1xf32>
  %f0 = dyconv.conv2d %h, %wf, %bf : (tensor<2x2x1x1xf32>, tensor<4x2x1x1xf32>, tensor<4xf32>) -> tensor<2x4x1x1xf32>
  %f1 = dyconv.reshape %f0 {shape = array<i64: 2, -1, 1, 1>} : (tensor<2x4x1x1xf32>) -> tensor<2x4x1x1xf32>
  %f2 = dyconv.div %f1, %t : (tensor<2x4x1x1xf32>, tensor<f32>) -> tensor<2x4x1x1xf32>
  %fa = dyconv.sigmoid %f2 : tensor<2x4x1x1xf32>
  %s0 = dyconv.conv2d %h, %ws, %bs : (tensor<2x2x1x1xf32>, tensor<9x2x1x1xf32>, tensor<9xf32>) -> tensor<2x9x1x1xf32>
  %s1 = dyconv.reshape %s0 {shape = array<i64: 2, 1, 1, 1, 3, 3>} : (tensor<2x9x1x1xf32>) -> tensor<2x1x1x1x3x3xf32>
  %s2 = dyconv.div %s1, %t : (tensor<2x1x1x1x3x3xf32>, tensor<f32>) -> tensor<2x1x1x1x3x3xf32>
  %sa = dyconv.sigmoid %s2 : tensor<2x1x1x1x3x3xf32>
  %k0 = dyconv.conv2d %h, %wk, %bk : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %k1 = dyconv.reshape %k0 {shape = array<i64: 2, -1, 1, 1, 1, 1>} : (tensor<2x2x1x1xf32>) -> tensor<2x2x1x1x1x1xf32>
  %k2 = dyconv.div %k1, %t : (tensor<2x2x1x1x1x1xf32>, tensor<f32>) -> tensor<2x2x1x1x1x1xf32>
  %ka = dyconv.softmax %k2 {axis = 1 : i64} : tensor<2x2x1x1x1x1xf32>
  %xm = dyconv.mul %x, %ca : (tensor<2x4x4x4xf32>, tensor<2x4x1x1xf32>) -> tensor<2x4x4x4xf32>
  %xr = dyconv.reshape %xm {shape = array<i64: 1, -1, 4, 4>} : (tensor<2x4x4x4xf32>) -> tensor<1x8x4x4xf32>
  %m1 = dyconv.mul %sa, %ka : (tensor<2x1x1x1x3x3xf32>, tensor<2x2x1x1x1x1xf32>) -> tensor<2x2x1x1x3x3xf32>
  %w6 = dyconv.mul %m1, %bank : (tensor<2x2x1x1x3x3xf32>, tensor<1x2x4x4x3x3xf32>) -> tensor<2x2x4x4x3x3xf32>
  %agg = dyconv.reduce_sum %w6 {axes = array<i64: 1>, keepdims = false} : (tensor<2x2x4x4x3x3xf32>) -> tensor<2x4x4x3x3xf32>
  %w = dyconv.reshape %agg {shape = array<i64: -1, 4, 3, 3>} : (tensor<2x4x4x3x3xf32>) -> tensor<8x4x3x3xf32>
  %y = dyconv.conv2d %xr, %w {groups = 2 : i64, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x4x4xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x4x4xf32>
  %yr = dyconv.reshape %y {shape = array<i64: 2, 4, 4, 4>} : (tensor<1x8x4x4xf32>) -> tensor<2x4x4x4xf32>
  %out = dyconv.mul %yr, %fa : (tensor<2x4x4x4xf32>, tensor<2x4x1x1xf32>) -> tensor<2x4x4x4xf32>
  %p = dyconv.global_avg_pool %out : (tensor<2x4x4x4xf32>) -> tensor<2x4x1x1xf32>
  %pf = dyconv.reshape %p {shape = array<i64: 2, -1>} : (tensor<2x4x1x1xf32>) -> tensor<2x4xf32>
  %logits = dyconv.linear %pf, %head : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return %logits : tensor<2x3xf32>
}

// -----

// Batch 1: the batch-fold reshapes are identities, the mul operands come in
// the other order, the kernel product associates the other way and there is
// no div (temperature 1). The groups are g * 1 = 1.
// CHECK-LABEL: func.func @all_heads_batch1
// CHECK-SAME: (%[[X:.*]]: tensor<?x2x3x3xf32>) -> tensor<?x2x3x3xf32> {
// CHECK: %[[Y:.*]] = dyconv.odconv %[[X]], %{{.*}} attention(fc(%{{[^)]*}}) bn(%{{[^)]*}}) channel(%{{[^)]*}}) filter(%{{[^)]*}}) spatial(%{{[^)]*}}) kernel(%{{[^)]*}}))
// CHECK-SAME: {bn_epsilon = 0.000000e+00 : f64, padding = array<i64: 1, 1, 1, 1>}
// CHECK-SAME: (tensor<?x2x3x3xf32>, tensor<2x2x2x3x3xf32>, tensor<2x2xf32>,
// CHECK-NEXT: return %[[Y]]
func.func @all_heads_batch1(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
    attributes {dyconv.export_batch = 1 : i64} {
  %wfc = arith.constant dense<0.1> : tensor<2x2x1x1xf32>
  %bfc = arith.constant dense<0.2> : tensor<2xf32>
  %wc = arith.constant dense<0.3> : tensor<2x2x1x1xf32>
  %bc = arith.constant dense<0.1> : tensor<2xf32>
  %ws = arith.constant dense<0.4> : tensor<9x2x1x1xf32>
  %bs = arith.constant dense<-0.1> : tensor<9xf32>
  %wk = arith.constant dense<0.5> : tensor<2x2x1x1xf32>
  %bk = arith.constant dense<0.3> : tensor<2xf32>
  %bank = arith.constant dense<0.05> : tensor<1x2x2x2x3x3xf32>
  %g = dyconv.global_avg_pool %x : (tensor<1x2x3x3xf32>) -> tensor<1x2x1x1xf32>
  %f = dyconv.conv2d %g, %wfc, %bfc : (tensor<1x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x1x1xf32>
  %h = dyconv.relu %f : tensor<1x2x1x1xf32>
  %c0 = dyconv.conv2d %h, %wc, %bc : (tensor<1x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x1x1xf32>
  %c1 = dyconv.reshape %c0 {shape = array<i64: 1, -1, 1, 1>} : (tensor<1x2x1x1xf32>) -> tensor<1x2x1x1xf32>
  %ca = dyconv.sigmoid %c1 : tensor<1x2x1x1xf32>
  %f0 = dyconv.conv2d %h, %wc, %bc : (tensor<1x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x1x1xf32>
  %f1 = dyconv.reshape %f0 {shape = array<i64: 1, -1, 1, 1>} : (tensor<1x2x1x1xf32>) -> tensor<1x2x1x1xf32>
  %fa = dyconv.sigmoid %f1 : tensor<1x2x1x1xf32>
  %s0 = dyconv.conv2d %h, %ws, %bs : (tensor<1x2x1x1xf32>, tensor<9x2x1x1xf32>, tensor<9xf32>) -> tensor<1x9x1x1xf32>
  %s1 = dyconv.reshape %s0 {shape = array<i64: 1, 1, 1, 1, 3, 3>} : (tensor<1x9x1x1xf32>) -> tensor<1x1x1x1x3x3xf32>
  %sa = dyconv.sigmoid %s1 : tensor<1x1x1x1x3x3xf32>
  %k0 = dyconv.conv2d %h, %wk, %bk : (tensor<1x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x1x1xf32>
  %k1 = dyconv.reshape %k0 {shape = array<i64: 1, -1, 1, 1, 1, 1>} : (tensor<1x2x1x1xf32>) -> tensor<1x2x1x1x1x1xf32>
  %ka = dyconv.softmax %k1 {axis = -5 : i64} : tensor<1x2x1x1x1x1xf32>
  %xm = dyconv.mul %ca, %x : (tensor<1x2x1x1xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %xr = dyconv.reshape %xm {shape = array<i64: 1, -1, 3, 3>} : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %m1 = dyconv.mul %ka, %bank : (tensor<1x2x1x1x1x1xf32>, tensor<1x2x2x2x3x3xf32>) -> tensor<1x2x2x2x3x3xf32>
  %w6 = dyconv.mul %sa, %m1 : (tensor<1x1x1x1x3x3xf32>, tensor<1x2x2x2x3x3xf32>) -> tensor<1x2x2x2x3x3xf32>
  %agg = dyconv.reduce_sum %w6 {axes = array<i64: -5>, keepdims = false} : (tensor<1x2x2x2x3x3xf32>) -> tensor<1x2x2x3x3xf32>
  %w = dyconv.reshape %agg {shape = array<i64: -1, 2, 3, 3>} : (tensor<1x2x2x3x3xf32>) -> tensor<2x2x3x3xf32>
  %y = dyconv.conv2d %xr, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x2x3x3xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %yr = dyconv.reshape %y {shape = array<i64: 1, 2, 3, 3>} : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %out = dyconv.mul %fa, %yr : (tensor<1x2x1x1xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %out : tensor<1x2x3x3xf32>
}

// -----

// Depthwise (Cin == groups == Cout): no filter head, the output multiplied
// by a constant 1, the attention BN left as a batch_norm after a bias-free fc.
// CHECK-LABEL: func.func @depthwise_unfused_bn
// CHECK-SAME: (%[[X:.*]]: tensor<?x2x4x4xf32>) -> tensor<?x2x2x2xf32> {
// CHECK-DAG: %[[SCALE:.*]] = arith.constant dense<1.500000e+00> : tensor<2xf32>
// CHECK-DAG: %[[SHIFT:.*]] = arith.constant dense<-5.000000e-01> : tensor<2xf32>
// CHECK-DAG: %[[MEAN:.*]] = arith.constant dense<2.500000e-01> : tensor<2xf32>
// CHECK-DAG: %[[VAR:.*]] = arith.constant dense<2.000000e+00> : tensor<2xf32>
// CHECK: %[[Y:.*]] = dyconv.odconv %[[X]], %{{.*}} attention(fc(%{{[^)]*}}) bn(%[[SCALE]], %[[SHIFT]], %[[MEAN]], %[[VAR]]) channel(%{{[^)]*}}) spatial(%{{[^)]*}}) kernel(%{{[^)]*}}))
// CHECK-SAME: {bn_epsilon = 1.000000e-03 : f64, groups = 2 : i64, padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>}
// CHECK-SAME: tensor<2x2x1x3x3xf32>
// CHECK-NEXT: return %[[Y]] : tensor<?x2x2x2xf32>
func.func @depthwise_unfused_bn(%x: tensor<2x2x4x4xf32>) -> tensor<2x2x2x2xf32>
    attributes {dyconv.export_batch = 2 : i64} {
  %wfc = arith.constant dense<0.1> : tensor<2x2x1x1xf32>
  %scale = arith.constant dense<1.5> : tensor<2xf32>
  %shift = arith.constant dense<-0.5> : tensor<2xf32>
  %mean = arith.constant dense<0.25> : tensor<2xf32>
  %var = arith.constant dense<2.0> : tensor<2xf32>
  %wc = arith.constant dense<0.3> : tensor<2x2x1x1xf32>
  %bc = arith.constant dense<0.1> : tensor<2xf32>
  %ws = arith.constant dense<0.4> : tensor<9x2x1x1xf32>
  %bs = arith.constant dense<-0.1> : tensor<9xf32>
  %wk = arith.constant dense<0.5> : tensor<2x2x1x1xf32>
  %bk = arith.constant dense<0.3> : tensor<2xf32>
  %t = arith.constant dense<1.0> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %bank = arith.constant dense<0.05> : tensor<1x2x2x1x3x3xf32>
  %g = dyconv.global_avg_pool %x : (tensor<2x2x4x4xf32>) -> tensor<2x2x1x1xf32>
  %f = dyconv.conv2d %g, %wfc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>) -> tensor<2x2x1x1xf32>
  %n = dyconv.batch_norm %f, %scale, %shift, %mean, %var {epsilon = 1.0e-3 : f64}
      : (tensor<2x2x1x1xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %h = dyconv.relu %n : tensor<2x2x1x1xf32>
  %c0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %c1 = dyconv.reshape %c0 {shape = array<i64: 2, -1, 1, 1>} : (tensor<2x2x1x1xf32>) -> tensor<2x2x1x1xf32>
  %c2 = dyconv.div %c1, %t : (tensor<2x2x1x1xf32>, tensor<f32>) -> tensor<2x2x1x1xf32>
  %ca = dyconv.sigmoid %c2 : tensor<2x2x1x1xf32>
  %s0 = dyconv.conv2d %h, %ws, %bs : (tensor<2x2x1x1xf32>, tensor<9x2x1x1xf32>, tensor<9xf32>) -> tensor<2x9x1x1xf32>
  %s1 = dyconv.reshape %s0 {shape = array<i64: 2, 1, 1, 1, 3, 3>} : (tensor<2x9x1x1xf32>) -> tensor<2x1x1x1x3x3xf32>
  %s2 = dyconv.div %s1, %t : (tensor<2x1x1x1x3x3xf32>, tensor<f32>) -> tensor<2x1x1x1x3x3xf32>
  %sa = dyconv.sigmoid %s2 : tensor<2x1x1x1x3x3xf32>
  %k0 = dyconv.conv2d %h, %wk, %bk : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %k1 = dyconv.reshape %k0 {shape = array<i64: 2, -1, 1, 1, 1, 1>} : (tensor<2x2x1x1xf32>) -> tensor<2x2x1x1x1x1xf32>
  %k2 = dyconv.div %k1, %t : (tensor<2x2x1x1x1x1xf32>, tensor<f32>) -> tensor<2x2x1x1x1x1xf32>
  %ka = dyconv.softmax %k2 {axis = 1 : i64} : tensor<2x2x1x1x1x1xf32>
  %xm = dyconv.mul %x, %ca : (tensor<2x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<2x2x4x4xf32>
  %xr = dyconv.reshape %xm {shape = array<i64: 1, -1, 4, 4>} : (tensor<2x2x4x4xf32>) -> tensor<1x4x4x4xf32>
  %m1 = dyconv.mul %sa, %ka : (tensor<2x1x1x1x3x3xf32>, tensor<2x2x1x1x1x1xf32>) -> tensor<2x2x1x1x3x3xf32>
  %w6 = dyconv.mul %m1, %bank : (tensor<2x2x1x1x3x3xf32>, tensor<1x2x2x1x3x3xf32>) -> tensor<2x2x2x1x3x3xf32>
  %agg = dyconv.reduce_sum %w6 {axes = array<i64: 1>, keepdims = false} : (tensor<2x2x2x1x3x3xf32>) -> tensor<2x2x1x3x3xf32>
  %w = dyconv.reshape %agg {shape = array<i64: -1, 1, 3, 3>} : (tensor<2x2x1x3x3xf32>) -> tensor<4x1x3x3xf32>
  %y = dyconv.conv2d %xr, %w {groups = 4 : i64, padding = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>}
      : (tensor<1x4x4x4xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x2x2xf32>
  %yr = dyconv.reshape %y {shape = array<i64: 2, 2, 2, 2>} : (tensor<1x4x2x2xf32>) -> tensor<2x2x2x2xf32>
  %out = dyconv.mul %yr, %one : (tensor<2x2x2x2xf32>, tensor<f32>) -> tensor<2x2x2x2xf32>
  return %out : tensor<2x2x2x2xf32>
}

// -----

// k = 1: no spatial head, a constant 1 in its place in the kernel product.
// The bank is a dense_resource: the odconv's bank views the same blob.
// CHECK-LABEL: func.func @pointwise_no_spatial_head
// CHECK-SAME: (%[[X:.*]]: tensor<?x2x3x3xf32>) -> tensor<?x4x3x3xf32> {
// CHECK: %[[BANK:.*]] = arith.constant dense_resource<bank> : tensor<2x4x2x1x1xf32>
// CHECK: %[[Y:.*]] = dyconv.odconv %[[X]], %[[BANK]] attention(fc(%{{[^)]*}}) bn(%{{[^)]*}}) channel(%{{[^)]*}}) filter(%{{[^)]*}}) kernel(%{{[^)]*}}))
// CHECK-SAME: -> tensor<?x4x3x3xf32>
// CHECK-NEXT: return %[[Y]]
// CHECK: bank: "0x04000000
func.func @pointwise_no_spatial_head(%x: tensor<2x2x3x3xf32>) -> tensor<2x4x3x3xf32>
    attributes {dyconv.export_batch = 2 : i64} {
  %wfc = arith.constant dense<0.1> : tensor<2x2x1x1xf32>
  %bfc = arith.constant dense<0.2> : tensor<2xf32>
  %wc = arith.constant dense<0.3> : tensor<2x2x1x1xf32>
  %bc = arith.constant dense<0.1> : tensor<2xf32>
  %wf = arith.constant dense<-0.3> : tensor<4x2x1x1xf32>
  %bf = arith.constant dense<0.2> : tensor<4xf32>
  %wk = arith.constant dense<0.5> : tensor<2x2x1x1xf32>
  %bk = arith.constant dense<0.3> : tensor<2xf32>
  %t = arith.constant dense<1.0> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %bank = arith.constant dense_resource<bank> : tensor<1x2x4x2x1x1xf32>
  %g = dyconv.global_avg_pool %x : (tensor<2x2x3x3xf32>) -> tensor<2x2x1x1xf32>
  %f = dyconv.conv2d %g, %wfc, %bfc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %h = dyconv.relu %f : tensor<2x2x1x1xf32>
  %c0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %c1 = dyconv.reshape %c0 {shape = array<i64: 2, -1, 1, 1>} : (tensor<2x2x1x1xf32>) -> tensor<2x2x1x1xf32>
  %c2 = dyconv.div %c1, %t : (tensor<2x2x1x1xf32>, tensor<f32>) -> tensor<2x2x1x1xf32>
  %ca = dyconv.sigmoid %c2 : tensor<2x2x1x1xf32>
  %f0 = dyconv.conv2d %h, %wf, %bf : (tensor<2x2x1x1xf32>, tensor<4x2x1x1xf32>, tensor<4xf32>) -> tensor<2x4x1x1xf32>
  %f1 = dyconv.reshape %f0 {shape = array<i64: 2, -1, 1, 1>} : (tensor<2x4x1x1xf32>) -> tensor<2x4x1x1xf32>
  %f2 = dyconv.div %f1, %t : (tensor<2x4x1x1xf32>, tensor<f32>) -> tensor<2x4x1x1xf32>
  %fa = dyconv.sigmoid %f2 : tensor<2x4x1x1xf32>
  %k0 = dyconv.conv2d %h, %wk, %bk : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %k1 = dyconv.reshape %k0 {shape = array<i64: 2, -1, 1, 1, 1, 1>} : (tensor<2x2x1x1xf32>) -> tensor<2x2x1x1x1x1xf32>
  %k2 = dyconv.div %k1, %t : (tensor<2x2x1x1x1x1xf32>, tensor<f32>) -> tensor<2x2x1x1x1x1xf32>
  %ka = dyconv.softmax %k2 {axis = 1 : i64} : tensor<2x2x1x1x1x1xf32>
  %xm = dyconv.mul %x, %ca : (tensor<2x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<2x2x3x3xf32>
  %xr = dyconv.reshape %xm {shape = array<i64: 1, -1, 3, 3>} : (tensor<2x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  %m1 = dyconv.mul %ka, %one : (tensor<2x2x1x1x1x1xf32>, tensor<f32>) -> tensor<2x2x1x1x1x1xf32>
  %w6 = dyconv.mul %m1, %bank : (tensor<2x2x1x1x1x1xf32>, tensor<1x2x4x2x1x1xf32>) -> tensor<2x2x4x2x1x1xf32>
  %agg = dyconv.reduce_sum %w6 {axes = array<i64: 1>, keepdims = false} : (tensor<2x2x4x2x1x1xf32>) -> tensor<2x4x2x1x1xf32>
  %w = dyconv.reshape %agg {shape = array<i64: -1, 2, 1, 1>} : (tensor<2x4x2x1x1xf32>) -> tensor<8x2x1x1xf32>
  %y = dyconv.conv2d %xr, %w {groups = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<8x2x1x1xf32>) -> tensor<1x8x3x3xf32>
  %yr = dyconv.reshape %y {shape = array<i64: 2, 4, 3, 3>} : (tensor<1x8x3x3xf32>) -> tensor<2x4x3x3xf32>
  %out = dyconv.mul %yr, %fa : (tensor<2x4x3x3xf32>, tensor<2x4x1x1xf32>) -> tensor<2x4x3x3xf32>
  return %out : tensor<2x4x3x3xf32>
}

{-#
  dialect_resources: {
    builtin: {
      bank: "0x040000000000803F0000003F0000803E0000003E0000803F0000003F0000803E0000003E0000803F0000003F0000803E0000003E0000803F0000003F0000803E0000003E"
    }
  }
#-}

// -----

// K = 1: no kernel head, a constant 1 in its place; the bank holds one
// kernel.
// CHECK-LABEL: func.func @single_kernel_no_kernel_head
// CHECK-SAME: (%[[X:.*]]: tensor<?x2x3x3xf32>) -> tensor<?x2x3x3xf32> {
// CHECK: %[[Y:.*]] = dyconv.odconv %[[X]], %{{.*}} attention(fc(%{{[^)]*}}) bn(%{{[^)]*}}) channel(%{{[^)]*}}) filter(%{{[^)]*}}) spatial(%{{[^)]*}}))
// CHECK-SAME: (tensor<?x2x3x3xf32>, tensor<1x2x2x3x3xf32>,
// CHECK-NEXT: return %[[Y]]
func.func @single_kernel_no_kernel_head(%x: tensor<2x2x3x3xf32>) -> tensor<2x2x3x3xf32>
    attributes {dyconv.export_batch = 2 : i64} {
  %wfc = arith.constant dense<0.1> : tensor<2x2x1x1xf32>
  %bfc = arith.constant dense<0.2> : tensor<2xf32>
  %wc = arith.constant dense<0.3> : tensor<2x2x1x1xf32>
  %bc = arith.constant dense<0.1> : tensor<2xf32>
  %ws = arith.constant dense<0.4> : tensor<9x2x1x1xf32>
  %bs = arith.constant dense<-0.1> : tensor<9xf32>
  %t = arith.constant dense<1.0> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %bank = arith.constant dense<0.05> : tensor<1x1x2x2x3x3xf32>
  %g = dyconv.global_avg_pool %x : (tensor<2x2x3x3xf32>) -> tensor<2x2x1x1xf32>
  %f = dyconv.conv2d %g, %wfc, %bfc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %h = dyconv.relu %f : tensor<2x2x1x1xf32>
  %c0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %c1 = dyconv.reshape %c0 {shape = array<i64: 2, -1, 1, 1>} : (tensor<2x2x1x1xf32>) -> tensor<2x2x1x1xf32>
  %c2 = dyconv.div %c1, %t : (tensor<2x2x1x1xf32>, tensor<f32>) -> tensor<2x2x1x1xf32>
  %ca = dyconv.sigmoid %c2 : tensor<2x2x1x1xf32>
  %f0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %f1 = dyconv.reshape %f0 {shape = array<i64: 2, -1, 1, 1>} : (tensor<2x2x1x1xf32>) -> tensor<2x2x1x1xf32>
  %f2 = dyconv.div %f1, %t : (tensor<2x2x1x1xf32>, tensor<f32>) -> tensor<2x2x1x1xf32>
  %fa = dyconv.sigmoid %f2 : tensor<2x2x1x1xf32>
  %s0 = dyconv.conv2d %h, %ws, %bs : (tensor<2x2x1x1xf32>, tensor<9x2x1x1xf32>, tensor<9xf32>) -> tensor<2x9x1x1xf32>
  %s1 = dyconv.reshape %s0 {shape = array<i64: 2, 1, 1, 1, 3, 3>} : (tensor<2x9x1x1xf32>) -> tensor<2x1x1x1x3x3xf32>
  %s2 = dyconv.div %s1, %t : (tensor<2x1x1x1x3x3xf32>, tensor<f32>) -> tensor<2x1x1x1x3x3xf32>
  %sa = dyconv.sigmoid %s2 : tensor<2x1x1x1x3x3xf32>
  %xm = dyconv.mul %x, %ca : (tensor<2x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<2x2x3x3xf32>
  %xr = dyconv.reshape %xm {shape = array<i64: 1, -1, 3, 3>} : (tensor<2x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  %m1 = dyconv.mul %sa, %one : (tensor<2x1x1x1x3x3xf32>, tensor<f32>) -> tensor<2x1x1x1x3x3xf32>
  %w6 = dyconv.mul %m1, %bank : (tensor<2x1x1x1x3x3xf32>, tensor<1x1x2x2x3x3xf32>) -> tensor<2x1x2x2x3x3xf32>
  %agg = dyconv.reduce_sum %w6 {axes = array<i64: 1>, keepdims = false} : (tensor<2x1x2x2x3x3xf32>) -> tensor<2x2x2x3x3xf32>
  %w = dyconv.reshape %agg {shape = array<i64: -1, 2, 3, 3>} : (tensor<2x2x2x3x3xf32>) -> tensor<4x2x3x3xf32>
  %y = dyconv.conv2d %xr, %w {groups = 2 : i64, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x4x3x3xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  %yr = dyconv.reshape %y {shape = array<i64: 2, 2, 3, 3>} : (tensor<1x4x3x3xf32>) -> tensor<2x2x3x3xf32>
  %out = dyconv.mul %yr, %fa : (tensor<2x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<2x2x3x3xf32>
  return %out : tensor<2x2x3x3xf32>
}

// -----

// An opset-11 export: PyTorch moves the kernel head's softmax axis last
// between two transposes.
// CHECK-LABEL: func.func @kernel_softmax_opset11
// CHECK-SAME: (%[[X:.*]]: tensor<?x2x3x3xf32>) -> tensor<?x2x3x3xf32> {
// CHECK: %[[Y:.*]] = dyconv.odconv %[[X]], %{{.*}} attention(fc(%{{[^)]*}}) bn(%{{[^)]*}}) channel(%{{[^)]*}}) filter(%{{[^)]*}}) kernel(%{{[^)]*}}))
// CHECK-NEXT: return %[[Y]]
func.func @kernel_softmax_opset11(%x: tensor<2x2x3x3xf32>) -> tensor<2x2x3x3xf32>
    attributes {dyconv.export_batch = 2 : i64} {
  %wfc = arith.constant dense<0.1> : tensor<2x2x1x1xf32>
  %bfc = arith.constant dense<0.2> : tensor<2xf32>
  %wc = arith.constant dense<0.3> : tensor<2x2x1x1xf32>
  %bc = arith.constant dense<0.1> : tensor<2xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %bank = arith.constant dense<0.05> : tensor<1x2x2x2x1x1xf32>
  %g = dyconv.global_avg_pool %x : (tensor<2x2x3x3xf32>) -> tensor<2x2x1x1xf32>
  %f = dyconv.conv2d %g, %wfc, %bfc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %h = dyconv.relu %f : tensor<2x2x1x1xf32>
  %c0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %ca = dyconv.sigmoid %c0 : tensor<2x2x1x1xf32>
  %f0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %fa = dyconv.sigmoid %f0 : tensor<2x2x1x1xf32>
  %k0 = dyconv.conv2d %h, %wc, %bc : (tensor<2x2x1x1xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<2x2x1x1xf32>
  %k1 = dyconv.reshape %k0 {shape = array<i64: 2, -1, 1, 1, 1, 1>} : (tensor<2x2x1x1xf32>) -> tensor<2x2x1x1x1x1xf32>
  %kt = dyconv.transpose %k1 {perm = array<i64: 0, 5, 2, 3, 4, 1>} : (tensor<2x2x1x1x1x1xf32>) -> tensor<2x1x1x1x1x2xf32>
  %ks = dyconv.softmax %kt {axis = 5 : i64} : tensor<2x1x1x1x1x2xf32>
  %ka = dyconv.transpose %ks {perm = array<i64: 0, 5, 2, 3, 4, 1>} : (tensor<2x1x1x1x1x2xf32>) -> tensor<2x2x1x1x1x1xf32>
  %xm = dyconv.mul %x, %ca : (tensor<2x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<2x2x3x3xf32>
  %xr = dyconv.reshape %xm {shape = array<i64: 1, -1, 3, 3>} : (tensor<2x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  %m1 = dyconv.mul %ka, %one : (tensor<2x2x1x1x1x1xf32>, tensor<f32>) -> tensor<2x2x1x1x1x1xf32>
  %w6 = dyconv.mul %m1, %bank : (tensor<2x2x1x1x1x1xf32>, tensor<1x2x2x2x1x1xf32>) -> tensor<2x2x2x2x1x1xf32>
  %agg = dyconv.reduce_sum %w6 {axes = array<i64: 1>, keepdims = false} : (tensor<2x2x2x2x1x1xf32>) -> tensor<2x2x2x1x1xf32>
  %w = dyconv.reshape %agg {shape = array<i64: -1, 2, 1, 1>} : (tensor<2x2x2x1x1xf32>) -> tensor<4x2x1x1xf32>
  %y = dyconv.conv2d %xr, %w {groups = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x3x3xf32>
  %yr = dyconv.reshape %y {shape = array<i64: 2, 2, 3, 3>} : (tensor<1x4x3x3xf32>) -> tensor<2x2x3x3xf32>
  %out = dyconv.mul %yr, %fa : (tensor<2x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<2x2x3x3xf32>
  return %out : tensor<2x2x3x3xf32>
}
