// RUN: dyconv-opt %s -canonicalize -split-input-file | FileCheck %s

// Folders and canonicalization patterns of the dyconv ops.

//===----------------------------------------------------------------------===//
// relu
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func @relu_relu
// CHECK-SAME: (%[[X:.*]]: tensor<?x16xf32>)
// CHECK-NEXT: %[[R:.*]] = dyconv.relu %[[X]] : tensor<?x16xf32>
// CHECK-NEXT: return %[[R]]
func.func @relu_relu(%x: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %a = dyconv.relu %x : tensor<?x16xf32>
  %b = dyconv.relu %a : tensor<?x16xf32>
  %c = dyconv.relu %b : tensor<?x16xf32>
  return %c : tensor<?x16xf32>
}

// -----

// relu(sigmoid(x)) is not relu(relu(x)).
// CHECK-LABEL: func @relu_sigmoid
// CHECK: dyconv.sigmoid
// CHECK: dyconv.relu
func.func @relu_sigmoid(%x: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %a = dyconv.sigmoid %x : tensor<?x16xf32>
  %b = dyconv.relu %a : tensor<?x16xf32>
  return %b : tensor<?x16xf32>
}

//===----------------------------------------------------------------------===//
// flatten, reshape
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func @identity_flatten
// CHECK-SAME: (%[[X:.*]]: tensor<?x16xf32>)
// CHECK-NOT: dyconv.flatten
// CHECK: return %[[X]]
func.func @identity_flatten(%x: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %y = dyconv.flatten %x : (tensor<?x16xf32>) -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}

// -----

// A flatten that changes the type stays.
// CHECK-LABEL: func @flatten_stays
// CHECK: dyconv.flatten %{{.*}} : (tensor<?x16x1x1xf32>) -> tensor<?x16xf32>
func.func @flatten_stays(%x: tensor<?x16x1x1xf32>) -> tensor<?x16xf32> {
  %y = dyconv.flatten %x : (tensor<?x16x1x1xf32>) -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}

// -----

// CHECK-LABEL: func @identity_reshape
// CHECK-SAME: (%[[X:.*]]: tensor<?x16xf32>, %[[S:.*]]: tensor<2x3x4xf32>)
// CHECK-NOT: dyconv.reshape
// CHECK: return %[[X]], %[[S]]
func.func @identity_reshape(%x: tensor<?x16xf32>, %s: tensor<2x3x4xf32>) -> (tensor<?x16xf32>, tensor<2x3x4xf32>) {
  %y = dyconv.reshape %x {shape = array<i64: -1, 16>} : (tensor<?x16xf32>) -> tensor<?x16xf32>
  %z = dyconv.reshape %s {shape = array<i64: 2, 3, 4>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %y, %z : tensor<?x16xf32>, tensor<2x3x4xf32>
}

// -----

// A reshape that changes the type stays, and so does one between equal types
// with two dynamic dimensions: the folder proves the identity only when at
// most one dimension is dynamic.
// CHECK-LABEL: func @reshape_stays
// CHECK: dyconv.reshape %{{.*}} {shape = array<i64: 0, -1>} : (tensor<?x16x1x1xf32>) -> tensor<?x16xf32>
// CHECK: dyconv.reshape %{{.*}} {shape = array<i64: 0, -1>} : (tensor<?x?xf32>) -> tensor<?x?xf32>
func.func @reshape_stays(%x: tensor<?x16x1x1xf32>, %y: tensor<?x?xf32>) -> (tensor<?x16xf32>, tensor<?x?xf32>) {
  %a = dyconv.reshape %x {shape = array<i64: 0, -1>} : (tensor<?x16x1x1xf32>) -> tensor<?x16xf32>
  %b = dyconv.reshape %y {shape = array<i64: 0, -1>} : (tensor<?x?xf32>) -> tensor<?x?xf32>
  return %a, %b : tensor<?x16xf32>, tensor<?x?xf32>
}

// -----

// The outer `0` copies the batch that the inner reshape copied from the
// source, so it stays a `0`.
// CHECK-LABEL: func @compose_reshapes_dynamic_batch
// CHECK-SAME: (%[[X:.*]]: tensor<?x16x1x1xf32>)
// CHECK-NEXT: %[[R:.*]] = dyconv.reshape %[[X]] {shape = array<i64: 0, 4, 4>} : (tensor<?x16x1x1xf32>) -> tensor<?x4x4xf32>
// CHECK-NEXT: return %[[R]]
func.func @compose_reshapes_dynamic_batch(%x: tensor<?x16x1x1xf32>) -> tensor<?x4x4xf32> {
  %a = dyconv.reshape %x {shape = array<i64: 0, -1>} : (tensor<?x16x1x1xf32>) -> tensor<?x16xf32>
  %b = dyconv.reshape %a {shape = array<i64: 0, 4, 4>} : (tensor<?x16xf32>) -> tensor<?x4x4xf32>
  return %b : tensor<?x4x4xf32>
}

// -----

// A `0` that copies a static dimension of the intermediate value is
// substituted by that size.
// CHECK-LABEL: func @compose_reshapes_static
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[R:.*]] = dyconv.reshape %[[X]] {shape = array<i64: 6, 2, -1>} : (tensor<2x3x4xf32>) -> tensor<6x2x2xf32>
// CHECK-NEXT: return %[[R]]
func.func @compose_reshapes_static(%x: tensor<2x3x4xf32>) -> tensor<6x2x2xf32> {
  %a = dyconv.reshape %x {shape = array<i64: 6, 4>} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %b = dyconv.reshape %a {shape = array<i64: 0, 2, -1>} : (tensor<6x4xf32>) -> tensor<6x2x2xf32>
  return %b : tensor<6x2x2xf32>
}

// -----

// The outer `0` copies a dynamic dimension that the inner reshape inferred
// (a quarter of the source's): composing would copy the source's instead.
// CHECK-LABEL: func @compose_reshapes_blocked
// CHECK-SAME: (%[[X:.*]]: tensor<?x16xf32>)
// CHECK: %[[A:.*]] = dyconv.reshape %[[X]] {shape = array<i64: -1, 4>} : (tensor<?x16xf32>) -> tensor<?x4xf32>
// CHECK: %[[B:.*]] = dyconv.reshape %[[A]] {shape = array<i64: 0, 2, 2>} : (tensor<?x4xf32>) -> tensor<?x2x2xf32>
// CHECK: return %[[B]]
func.func @compose_reshapes_blocked(%x: tensor<?x16xf32>) -> tensor<?x2x2xf32> {
  %a = dyconv.reshape %x {shape = array<i64: -1, 4>} : (tensor<?x16xf32>) -> tensor<?x4xf32>
  %b = dyconv.reshape %a {shape = array<i64: 0, 2, 2>} : (tensor<?x4xf32>) -> tensor<?x2x2xf32>
  return %b : tensor<?x2x2xf32>
}

// -----

// The intermediate value knows a size (8) that the composed reshape of the
// source could not infer (the source's second dimension is dynamic): the pair
// stays.
// CHECK-LABEL: func @compose_reshapes_loses_sizes
// CHECK: dyconv.reshape %{{.*}} {shape = array<i64: 0, 2, 4>} : (tensor<?x?xf32>) -> tensor<?x2x4xf32>
// CHECK: dyconv.reshape %{{.*}} {shape = array<i64: 0, -1>} : (tensor<?x2x4xf32>) -> tensor<?x8xf32>
func.func @compose_reshapes_loses_sizes(%x: tensor<?x?xf32>) -> tensor<?x8xf32> {
  %a = dyconv.reshape %x {shape = array<i64: 0, 2, 4>} : (tensor<?x?xf32>) -> tensor<?x2x4xf32>
  %b = dyconv.reshape %a {shape = array<i64: 0, -1>} : (tensor<?x2x4xf32>) -> tensor<?x8xf32>
  return %b : tensor<?x8xf32>
}

//===----------------------------------------------------------------------===//
// concat
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func @concat_single_input
// CHECK-SAME: (%[[X:.*]]: tensor<?x8x4x4xf32>)
// CHECK-NOT: dyconv.concat
// CHECK: return %[[X]]
func.func @concat_single_input(%x: tensor<?x8x4x4xf32>) -> tensor<?x8x4x4xf32> {
  %y = dyconv.concat %x {axis = 1} : (tensor<?x8x4x4xf32>) -> tensor<?x8x4x4xf32>
  return %y : tensor<?x8x4x4xf32>
}

// -----

// CHECK-LABEL: func @concat_two_inputs
// CHECK: dyconv.concat %{{.*}}, %{{.*}} {axis = 1 : i64}
func.func @concat_two_inputs(%x: tensor<?x8x4x4xf32>) -> tensor<?x16x4x4xf32> {
  %y = dyconv.concat %x, %x {axis = 1} : (tensor<?x8x4x4xf32>, tensor<?x8x4x4xf32>) -> tensor<?x16x4x4xf32>
  return %y : tensor<?x16x4x4xf32>
}

//===----------------------------------------------------------------------===//
// odconv with k == 1 and K == 1 (the authors' _forward_impl_pw1x)
//===----------------------------------------------------------------------===//

// -----

// Grouped pointwise layer, Cin 8 -> Cout 32, groups 2, stride 2, A = 16: the
// channel and filter scalings around a static conv2d with the bank's only
// kernel.
// CHECK-LABEL: func @odconv_pw1x
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x8x8x8xf32>, %[[BANK:[^:]*]]: tensor<1x32x4x1x1xf32>, %[[FC:[^:]*]]: tensor<16x8xf32>,
// CHECK-SAME: %[[BN:[^:]*]]: tensor<16xf32>, %[[CW:[^:]*]]: tensor<8x16xf32>, %[[CB:[^:]*]]: tensor<8xf32>, %[[FW:[^:]*]]: tensor<32x16xf32>, %[[FB:[^:]*]]: tensor<32xf32>)
// CHECK-NOT: dyconv.odconv
// CHECK: %[[GAP:.*]] = dyconv.global_avg_pool %[[X]] : (tensor<?x8x8x8xf32>) -> tensor<?x8x1x1xf32>
// CHECK: %[[FLAT:.*]] = dyconv.flatten %[[GAP]] : (tensor<?x8x1x1xf32>) -> tensor<?x8xf32>
// CHECK: %[[Z:.*]] = dyconv.linear %[[FLAT]], %[[FC]] : (tensor<?x8xf32>, tensor<16x8xf32>) -> tensor<?x16xf32>
// CHECK: %[[NORM:.*]] = dyconv.batch_norm %[[Z]], %[[BN]], %[[BN]], %[[BN]], %[[BN]] {epsilon = 1.000000e-03 : f64} : (tensor<?x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<?x16xf32>
// CHECK: %[[H:.*]] = dyconv.relu %[[NORM]] : tensor<?x16xf32>
// CHECK: %[[CL:.*]] = dyconv.linear %[[H]], %[[CW]], %[[CB]] : (tensor<?x16xf32>, tensor<8x16xf32>, tensor<8xf32>) -> tensor<?x8xf32>
// CHECK: %[[CS:.*]] = dyconv.sigmoid %[[CL]] : tensor<?x8xf32>
// CHECK: %[[CH:.*]] = dyconv.reshape %[[CS]] {shape = array<i64: 0, 8, 1, 1>} : (tensor<?x8xf32>) -> tensor<?x8x1x1xf32>
// CHECK: %[[XS:.*]] = dyconv.mul %[[X]], %[[CH]] : (tensor<?x8x8x8xf32>, tensor<?x8x1x1xf32>) -> tensor<?x8x8x8xf32>
// CHECK: %[[K:.*]] = dyconv.reshape %[[BANK]] {shape = array<i64: 32, 4, 1, 1>} : (tensor<1x32x4x1x1xf32>) -> tensor<32x4x1x1xf32>
// CHECK: %[[CONV:.*]] = dyconv.conv2d %[[XS]], %[[K]] {groups = 2 : i64, stride = array<i64: 2, 2>} : (tensor<?x8x8x8xf32>, tensor<32x4x1x1xf32>) -> tensor<?x32x4x4xf32>
// CHECK: %[[FL:.*]] = dyconv.linear %[[H]], %[[FW]], %[[FB]] : (tensor<?x16xf32>, tensor<32x16xf32>, tensor<32xf32>) -> tensor<?x32xf32>
// CHECK: %[[FS:.*]] = dyconv.sigmoid %[[FL]] : tensor<?x32xf32>
// CHECK: %[[FIL:.*]] = dyconv.reshape %[[FS]] {shape = array<i64: 0, 32, 1, 1>} : (tensor<?x32xf32>) -> tensor<?x32x1x1xf32>
// CHECK: %[[Y:.*]] = dyconv.mul %[[CONV]], %[[FIL]] : (tensor<?x32x4x4xf32>, tensor<?x32x1x1xf32>) -> tensor<?x32x4x4xf32>
// CHECK-NOT: dyconv.odconv
// CHECK: return %[[Y]] : tensor<?x32x4x4xf32>
func.func @odconv_pw1x(%x: tensor<?x8x8x8xf32>, %bank: tensor<1x32x4x1x1xf32>, %fc: tensor<16x8xf32>,
    %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>, %fw: tensor<32x16xf32>, %fb: tensor<32xf32>)
    -> tensor<?x32x4x4xf32> {
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb) filter(%fw, %fb))
          {groups = 2, stride = array<i64: 2, 2>, bn_epsilon = 1.0e-3 : f64}
      : (tensor<?x8x8x8xf32>, tensor<1x32x4x1x1xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>)
      -> tensor<?x32x4x4xf32>
  return %y : tensor<?x32x4x4xf32>
}

// -----

// Depthwise pointwise layer (Cin == groups == Cout == 16): no filter head, so
// the conv2d is the result.
// CHECK-LABEL: func @odconv_pw1x_depthwise
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x16x7x7xf32>, %[[BANK:[^:]*]]: tensor<1x16x1x1x1xf32>
// CHECK-NOT: dyconv.odconv
// CHECK: dyconv.global_avg_pool %[[X]]
// CHECK: dyconv.flatten
// CHECK: dyconv.linear
// CHECK: dyconv.batch_norm
// CHECK: dyconv.relu
// CHECK: dyconv.linear
// CHECK: dyconv.sigmoid
// CHECK: %[[CH:.*]] = dyconv.reshape %{{.*}} {shape = array<i64: 0, 16, 1, 1>} : (tensor<?x16xf32>) -> tensor<?x16x1x1xf32>
// CHECK: %[[XS:.*]] = dyconv.mul %[[X]], %[[CH]] : (tensor<?x16x7x7xf32>, tensor<?x16x1x1xf32>) -> tensor<?x16x7x7xf32>
// CHECK: %[[K:.*]] = dyconv.reshape %[[BANK]] {shape = array<i64: 16, 1, 1, 1>} : (tensor<1x16x1x1x1xf32>) -> tensor<16x1x1x1xf32>
// CHECK: %[[CONV:.*]] = dyconv.conv2d %[[XS]], %[[K]] {groups = 16 : i64} : (tensor<?x16x7x7xf32>, tensor<16x1x1x1xf32>) -> tensor<?x16x7x7xf32>
// CHECK-NOT: dyconv.linear
// CHECK-NOT: dyconv.mul
// CHECK: return %[[CONV]] : tensor<?x16x7x7xf32>
func.func @odconv_pw1x_depthwise(%x: tensor<?x16x7x7xf32>, %bank: tensor<1x16x1x1x1xf32>, %fc: tensor<16x16xf32>,
    %bn: tensor<16xf32>, %cw: tensor<16x16xf32>, %cb: tensor<16xf32>) -> tensor<?x16x7x7xf32> {
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)) {groups = 16}
      : (tensor<?x16x7x7xf32>, tensor<1x16x1x1x1xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<?x16x7x7xf32>
  return %y : tensor<?x16x7x7xf32>
}

// -----

// K = 4: the kernels are mixed per sample, so the layer stays.
// CHECK-LABEL: func @odconv_four_kernels_stays
// CHECK: dyconv.odconv %{{.*}}, %{{.*}} attention(fc(%{{.*}}) bn(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) channel(%{{.*}}, %{{.*}}) filter(%{{.*}}, %{{.*}}) kernel(%{{.*}}, %{{.*}}))
// CHECK-NOT: dyconv.conv2d
func.func @odconv_four_kernels_stays(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x32x8x1x1xf32>, %fc: tensor<16x8xf32>,
    %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>, %fw: tensor<32x16xf32>, %fb: tensor<32xf32>,
    %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x8x8xf32> {
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb) filter(%fw, %fb) kernel(%kw, %kb))
      : (tensor<?x8x8x8xf32>, tensor<4x32x8x1x1xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x32x8x8xf32>
  return %y : tensor<?x32x8x8xf32>
}

// -----

// k = 3: the spatial attention scales the kernel per sample, so the layer
// stays.
// CHECK-LABEL: func @odconv_3x3_stays
// CHECK: dyconv.odconv %{{.*}}, %{{.*}} attention(fc(%{{.*}}) bn(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) channel(%{{.*}}, %{{.*}}) filter(%{{.*}}, %{{.*}}) spatial(%{{.*}}, %{{.*}}))
// CHECK-NOT: dyconv.conv2d
func.func @odconv_3x3_stays(%x: tensor<?x8x8x8xf32>, %bank: tensor<1x32x8x3x3xf32>, %fc: tensor<16x8xf32>,
    %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>, %fw: tensor<32x16xf32>, %fb: tensor<32xf32>,
    %sw: tensor<9x16xf32>, %sb: tensor<9xf32>) -> tensor<?x32x8x8xf32> {
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb) filter(%fw, %fb) spatial(%sw, %sb))
          {padding = array<i64: 1, 1, 1, 1>}
      : (tensor<?x8x8x8xf32>, tensor<1x32x8x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<9x16xf32>, tensor<9xf32>) -> tensor<?x32x8x8xf32>
  return %y : tensor<?x32x8x8xf32>
}

// -----

// A depthwise 3x3 layer with a channel multiplier (Cout = 2*Cin, groups = Cin)
// keeps its filter head and stays.
// CHECK-LABEL: func @odconv_channel_multiplier_stays
// CHECK: dyconv.odconv %{{.*}}, %{{.*}} attention({{.*}} filter(%{{.*}}, %{{.*}}) spatial(%{{.*}}, %{{.*}})) {groups = 16 : i64, padding = array<i64: 1, 1, 1, 1>}
// CHECK-NOT: dyconv.conv2d
func.func @odconv_channel_multiplier_stays(%x: tensor<?x16x8x8xf32>, %bank: tensor<1x32x1x3x3xf32>,
    %fc: tensor<16x16xf32>, %bn: tensor<16xf32>, %cw: tensor<16x16xf32>, %cb: tensor<16xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>) -> tensor<?x32x8x8xf32> {
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb)) {groups = 16, padding = array<i64: 1, 1, 1, 1>}
      : (tensor<?x16x8x8xf32>, tensor<1x32x1x3x3xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<9x16xf32>, tensor<9xf32>) -> tensor<?x32x8x8xf32>
  return %y : tensor<?x32x8x8xf32>
}

// -----

// Temperature != 1 divides the logits, which the decomposition does not
// model: the layer stays.
// CHECK-LABEL: func @odconv_pw1x_temperature_stays
// CHECK: dyconv.odconv {{.*}} {temperature = 2.000000e+00 : f64}
// CHECK-NOT: dyconv.conv2d
func.func @odconv_pw1x_temperature_stays(%x: tensor<?x8x8x8xf32>, %bank: tensor<1x32x8x1x1xf32>, %fc: tensor<16x8xf32>,
    %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>, %fw: tensor<32x16xf32>, %fb: tensor<32xf32>)
    -> tensor<?x32x8x8xf32> {
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb) filter(%fw, %fb))
          {temperature = 2.0 : f64}
      : (tensor<?x8x8x8xf32>, tensor<1x32x8x1x1xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>)
      -> tensor<?x32x8x8xf32>
  return %y : tensor<?x32x8x8xf32>
}

// -----

// A pointwise layer whose bank has dynamic channel counts cannot spell its
// conv2d kernel as a reshape: the layer stays (and nothing crashes).
// CHECK-LABEL: func @odconv_pw1x_dynamic_bank_stays
// CHECK: dyconv.odconv
// CHECK-NOT: dyconv.conv2d
func.func @odconv_pw1x_dynamic_bank_stays(%x: tensor<?x8x8x8xf32>, %bank: tensor<1x?x?x1x1xf32>, %fc: tensor<16x8xf32>,
    %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>, %fw: tensor<32x16xf32>, %fb: tensor<32xf32>)
    -> tensor<?x?x8x8xf32> {
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb) filter(%fw, %fb))
      : (tensor<?x8x8x8xf32>, tensor<1x?x?x1x1xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>)
      -> tensor<?x?x8x8xf32>
  return %y : tensor<?x?x8x8xf32>
}

// -----

//===----------------------------------------------------------------------===//
// mul and div by one, reduce_mean over H and W
//===----------------------------------------------------------------------===//

// An absent attention head exports as a multiplication by 1.0 and a
// temperature of 1 as a division by 1.0: both fold away, unless the
// broadcast changes the type.
// CHECK-LABEL: func @times_one
// CHECK-SAME: (%[[X:.*]]: tensor<?x8x4x4xf32>, %[[S:.*]]: tensor<1xf32>)
// CHECK: %[[B:.*]] = dyconv.mul %[[S]], %{{.*}} : (tensor<1xf32>, tensor<4xf32>)
// CHECK: return %[[X]], %[[B]]
func.func @times_one(%x: tensor<?x8x4x4xf32>, %s: tensor<1xf32>) -> (tensor<?x8x4x4xf32>, tensor<4xf32>) {
  %one = arith.constant dense<1.0> : tensor<f32>
  %a = dyconv.mul %one, %x : (tensor<f32>, tensor<?x8x4x4xf32>) -> tensor<?x8x4x4xf32>
  %b = dyconv.div %a, %one : (tensor<?x8x4x4xf32>, tensor<f32>) -> tensor<?x8x4x4xf32>
  %ones = arith.constant dense<1.0> : tensor<4xf32>
  %c = dyconv.mul %ones, %s : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xf32>
  return %b, %c : tensor<?x8x4x4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func @not_one
// CHECK: dyconv.mul
// CHECK: dyconv.div
func.func @not_one(%x: tensor<?x8xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %two = arith.constant dense<2.0> : tensor<f32>
  %a = dyconv.mul %x, %two : (tensor<?x8xf32>, tensor<f32>) -> tensor<?x8xf32>
  %b = dyconv.div %x, %two : (tensor<?x8xf32>, tensor<f32>) -> tensor<?x8xf32>
  return %a, %b : tensor<?x8xf32>, tensor<?x8xf32>
}

// -----

// CHECK-LABEL: func @spatial_mean
// CHECK: %[[P:.*]] = dyconv.global_avg_pool %{{.*}} : (tensor<?x8x5x7xf32>) -> tensor<?x8x1x1xf32>
// CHECK: %[[Q:.*]] = dyconv.global_avg_pool
// CHECK: %[[F:.*]] = dyconv.flatten %[[Q]]
// CHECK: %[[M:.*]] = dyconv.reduce_mean %{{.*}} {axes = array<i64: 1>}
// CHECK: return %[[P]], %[[F]], %[[M]]
func.func @spatial_mean(%x: tensor<?x8x5x7xf32>) -> (tensor<?x8x1x1xf32>, tensor<?x8xf32>, tensor<?x1x5x7xf32>) {
  %a = dyconv.reduce_mean %x {axes = array<i64: -1, 2>} : (tensor<?x8x5x7xf32>) -> tensor<?x8x1x1xf32>
  %b = dyconv.reduce_mean %x {axes = array<i64: 2, 3>, keepdims = false} : (tensor<?x8x5x7xf32>) -> tensor<?x8xf32>
  %c = dyconv.reduce_mean %x {axes = array<i64: 1>} : (tensor<?x8x5x7xf32>) -> tensor<?x1x5x7xf32>
  return %a, %b, %c : tensor<?x8x1x1xf32>, tensor<?x8xf32>, tensor<?x1x5x7xf32>
}
