// RUN: dyconv-opt %s -split-input-file -verify-diagnostics

// Every verifier rule of every dyconv op, one case per split. Shape errors
// found by type inference (and a result type that differs from the inferred
// one) are followed by the upstream "failed to infer returned types" error of
// the same op. Operand types and attributes that violate the ODS constraints
// are rejected before inference runs, so the rank, entry-count and positivity
// checks that inference repeats for C++ builders are not reachable from here.
// Cases marked "must not crash" feed types that inference cannot assume.

//===----------------------------------------------------------------------===//
// conv2d
//===----------------------------------------------------------------------===//

func.func @conv2d_input_channels_not_divisible(%x: tensor<?x10x8x8xf32>, %w: tensor<8x2x3x3xf32>) -> tensor<?x8x6x6xf32> {
  // expected-error @+2 {{'dyconv.conv2d' op input channels (10) are not divisible by groups (4): input 'tensor<?x10x8x8xf32>'}}
  // expected-error @+1 {{'dyconv.conv2d' op failed to infer returned types}}
  %y = dyconv.conv2d %x, %w {groups = 4} : (tensor<?x10x8x8xf32>, tensor<8x2x3x3xf32>) -> tensor<?x8x6x6xf32>
  return %y : tensor<?x8x6x6xf32>
}

// -----

func.func @conv2d_output_channels_not_divisible(%x: tensor<?x8x8x8xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<?x6x6x6xf32> {
  // expected-error @+2 {{output channels (6) are not divisible by groups (4): weight 'tensor<6x2x3x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.conv2d %x, %w {groups = 4} : (tensor<?x8x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<?x6x6x6xf32>
  return %y : tensor<?x6x6x6xf32>
}

// -----

func.func @conv2d_channel_mismatch(%x: tensor<?x16x8x8xf32>, %w: tensor<32x8x3x3xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{weight 'tensor<32x8x3x3xf32>' expects 8 input channels (8 per group x 1 groups), but input 'tensor<?x16x8x8xf32>' has 16}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.conv2d %x, %w : (tensor<?x16x8x8xf32>, tensor<32x8x3x3xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @conv2d_grouped_channel_mismatch(%x: tensor<?x16x8x8xf32>, %w: tensor<32x8x3x3xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{weight 'tensor<32x8x3x3xf32>' expects 32 input channels (8 per group x 4 groups), but input 'tensor<?x16x8x8xf32>' has 16}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.conv2d %x, %w {groups = 4} : (tensor<?x16x8x8xf32>, tensor<32x8x3x3xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @conv2d_bias_size(%x: tensor<?x16x8x8xf32>, %w: tensor<32x16x3x3xf32>, %b: tensor<16xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{bias must have 32 elements, got 'tensor<16xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.conv2d %x, %w, %b : (tensor<?x16x8x8xf32>, tensor<32x16x3x3xf32>, tensor<16xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @conv2d_kernel_larger_than_input(%x: tensor<?x16x2x2xf32>, %w: tensor<32x16x3x3xf32>) -> tensor<?x32x1x1xf32> {
  // expected-error @+2 {{kernel 3x3 with dilation 1 does not fit the padded input 'tensor<?x16x2x2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.conv2d %x, %w : (tensor<?x16x2x2xf32>, tensor<32x16x3x3xf32>) -> tensor<?x32x1x1xf32>
  return %y : tensor<?x32x1x1xf32>
}

// -----

func.func @conv2d_dilated_kernel_larger_than_input(%x: tensor<?x16x6x6xf32>, %w: tensor<32x16x3x3xf32>) -> tensor<?x32x1x1xf32> {
  // expected-error @+2 {{kernel 3x3 with dilation 3 does not fit the padded input 'tensor<?x16x6x6xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.conv2d %x, %w {dilation = array<i64: 3, 3>} : (tensor<?x16x6x6xf32>, tensor<32x16x3x3xf32>) -> tensor<?x32x1x1xf32>
  return %y : tensor<?x32x1x1xf32>
}

// -----

func.func @conv2d_wrong_result_type(%x: tensor<?x16x8x8xf32>, %w: tensor<32x16x3x3xf32>) -> tensor<?x32x8x8xf32> {
  // expected-error @+2 {{'dyconv.conv2d' op inferred type(s) 'tensor<?x32x6x6xf32>' are incompatible with return type(s) of operation 'tensor<?x32x8x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.conv2d %x, %w : (tensor<?x16x8x8xf32>, tensor<32x16x3x3xf32>) -> tensor<?x32x8x8xf32>
  return %y : tensor<?x32x8x8xf32>
}

// -----

func.func @conv2d_static_result_for_dynamic_batch(%x: tensor<?x16x8x8xf32>, %w: tensor<32x16x3x3xf32>) -> tensor<2x32x6x6xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<?x32x6x6xf32>' are incompatible with return type(s) of operation 'tensor<2x32x6x6xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.conv2d %x, %w : (tensor<?x16x8x8xf32>, tensor<32x16x3x3xf32>) -> tensor<2x32x6x6xf32>
  return %y : tensor<2x32x6x6xf32>
}

// -----

func.func @conv2d_stride_one_entry(%x: tensor<?x16x8x8xf32>, %w: tensor<32x16x3x3xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+1 {{'dyconv.conv2d' op attribute 'stride' failed to satisfy constraint: i64 dense array attribute with exactly 2 elements whose value is positive}}
  %y = dyconv.conv2d %x, %w {stride = array<i64: 1>} : (tensor<?x16x8x8xf32>, tensor<32x16x3x3xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @conv2d_stride_zero(%x: tensor<?x16x8x8xf32>, %w: tensor<32x16x3x3xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+1 {{attribute 'stride' failed to satisfy constraint: i64 dense array attribute with exactly 2 elements whose value is positive}}
  %y = dyconv.conv2d %x, %w {stride = array<i64: 1, 0>} : (tensor<?x16x8x8xf32>, tensor<32x16x3x3xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @conv2d_dilation_zero(%x: tensor<?x16x8x8xf32>, %w: tensor<32x16x3x3xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+1 {{attribute 'dilation' failed to satisfy constraint: i64 dense array attribute with exactly 2 elements whose value is positive}}
  %y = dyconv.conv2d %x, %w {dilation = array<i64: 0, 1>} : (tensor<?x16x8x8xf32>, tensor<32x16x3x3xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @conv2d_padding_two_entries(%x: tensor<?x16x8x8xf32>, %w: tensor<32x16x3x3xf32>) -> tensor<?x32x8x8xf32> {
  // expected-error @+1 {{attribute 'padding' failed to satisfy constraint: i64 dense array attribute with exactly 4 elements whose value is non-negative}}
  %y = dyconv.conv2d %x, %w {padding = array<i64: 1, 1>} : (tensor<?x16x8x8xf32>, tensor<32x16x3x3xf32>) -> tensor<?x32x8x8xf32>
  return %y : tensor<?x32x8x8xf32>
}

// -----

func.func @conv2d_padding_negative(%x: tensor<?x16x8x8xf32>, %w: tensor<32x16x3x3xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+1 {{attribute 'padding' failed to satisfy constraint: i64 dense array attribute with exactly 4 elements whose value is non-negative}}
  %y = dyconv.conv2d %x, %w {padding = array<i64: 0, 0, -1, 0>} : (tensor<?x16x8x8xf32>, tensor<32x16x3x3xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @conv2d_groups_zero(%x: tensor<?x16x8x8xf32>, %w: tensor<32x16x3x3xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+1 {{attribute 'groups' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %y = dyconv.conv2d %x, %w {groups = 0} : (tensor<?x16x8x8xf32>, tensor<32x16x3x3xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @conv2d_groups_negative(%x: tensor<?x16x8x8xf32>, %w: tensor<32x16x3x3xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+1 {{attribute 'groups' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %y = "dyconv.conv2d"(%x, %w) <{groups = -2 : i64}> : (tensor<?x16x8x8xf32>, tensor<32x16x3x3xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

// Must not crash: an unranked input.
func.func @conv2d_unranked_input(%x: tensor<*xf32>, %w: tensor<32x16x3x3xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+1 {{'dyconv.conv2d' op operand #0 must be 4D tensor of 32-bit float values, but got 'tensor<*xf32>'}}
  %y = "dyconv.conv2d"(%x, %w) : (tensor<*xf32>, tensor<32x16x3x3xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

// Must not crash: an i32 input.
func.func @conv2d_i32_input(%x: tensor<?x16x8x8xi32>, %w: tensor<32x16x3x3xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+1 {{operand #0 must be 4D tensor of 32-bit float values, but got 'tensor<?x16x8x8xi32>'}}
  %y = dyconv.conv2d %x, %w : (tensor<?x16x8x8xi32>, tensor<32x16x3x3xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

// Must not crash: a 3-D weight.
func.func @conv2d_weight_rank(%x: tensor<?x16x8x8xf32>, %w: tensor<32x16x3xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+1 {{operand #1 must be 4D tensor of 32-bit float values, but got 'tensor<32x16x3xf32>'}}
  %y = dyconv.conv2d %x, %w : (tensor<?x16x8x8xf32>, tensor<32x16x3xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @conv2d_bias_rank(%x: tensor<?x16x8x8xf32>, %w: tensor<32x16x3x3xf32>, %b: tensor<1x32xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+1 {{operand #2 must be 1D tensor of 32-bit float values, but got 'tensor<1x32xf32>'}}
  %y = dyconv.conv2d %x, %w, %b : (tensor<?x16x8x8xf32>, tensor<32x16x3x3xf32>, tensor<1x32xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @conv2d_result_rank(%x: tensor<?x16x8x8xf32>, %w: tensor<32x16x3x3xf32>) -> tensor<?x32xf32> {
  // expected-error @+1 {{result #0 must be 4D tensor of 32-bit float values, but got 'tensor<?x32xf32>'}}
  %y = dyconv.conv2d %x, %w : (tensor<?x16x8x8xf32>, tensor<32x16x3x3xf32>) -> tensor<?x32xf32>
  return %y : tensor<?x32xf32>
}

//===----------------------------------------------------------------------===//
// dynamic_conv2d
//===----------------------------------------------------------------------===//

// -----

func.func @dynamic_conv2d_batch_mismatch(%x: tensor<2x8x7x7xf32>, %w: tensor<3x4x8x1x1xf32>) -> tensor<2x4x7x7xf32> {
  // expected-error @+2 {{'dyconv.dynamic_conv2d' op weight 'tensor<3x4x8x1x1xf32>' holds kernels for 3 samples but input 'tensor<2x8x7x7xf32>' has batch 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.dynamic_conv2d %x, %w : (tensor<2x8x7x7xf32>, tensor<3x4x8x1x1xf32>) -> tensor<2x4x7x7xf32>
  return %y : tensor<2x4x7x7xf32>
}

// -----

func.func @dynamic_conv2d_channel_mismatch(%x: tensor<?x8x7x7xf32>, %w: tensor<?x4x4x1x1xf32>) -> tensor<?x4x7x7xf32> {
  // expected-error @+2 {{weight 'tensor<?x4x4x1x1xf32>' expects 4 input channels (4 per group x 1 groups), but input 'tensor<?x8x7x7xf32>' has 8}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.dynamic_conv2d %x, %w : (tensor<?x8x7x7xf32>, tensor<?x4x4x1x1xf32>) -> tensor<?x4x7x7xf32>
  return %y : tensor<?x4x7x7xf32>
}

// -----

func.func @dynamic_conv2d_groups(%x: tensor<?x8x7x7xf32>, %w: tensor<?x4x2x1x1xf32>) -> tensor<?x4x7x7xf32> {
  // expected-error @+2 {{input channels (8) are not divisible by groups (3): input 'tensor<?x8x7x7xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.dynamic_conv2d %x, %w {groups = 3} : (tensor<?x8x7x7xf32>, tensor<?x4x2x1x1xf32>) -> tensor<?x4x7x7xf32>
  return %y : tensor<?x4x7x7xf32>
}

// -----

func.func @dynamic_conv2d_bias(%x: tensor<?x8x7x7xf32>, %w: tensor<?x4x8x1x1xf32>, %b: tensor<8xf32>) -> tensor<?x4x7x7xf32> {
  // expected-error @+2 {{bias must have 4 elements, got 'tensor<8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.dynamic_conv2d %x, %w, %b : (tensor<?x8x7x7xf32>, tensor<?x4x8x1x1xf32>, tensor<8xf32>) -> tensor<?x4x7x7xf32>
  return %y : tensor<?x4x7x7xf32>
}

// -----

func.func @dynamic_conv2d_kernel_too_large(%x: tensor<?x8x2x2xf32>, %w: tensor<?x4x8x3x3xf32>) -> tensor<?x4x1x1xf32> {
  // expected-error @+2 {{kernel 3x3 with dilation 1 does not fit the padded input 'tensor<?x8x2x2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.dynamic_conv2d %x, %w : (tensor<?x8x2x2xf32>, tensor<?x4x8x3x3xf32>) -> tensor<?x4x1x1xf32>
  return %y : tensor<?x4x1x1xf32>
}

// -----

// The weight's static batch refines the input's dynamic one.
func.func @dynamic_conv2d_wrong_result_type(%x: tensor<?x8x7x7xf32>, %w: tensor<2x4x8x1x1xf32>) -> tensor<?x4x7x7xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<2x4x7x7xf32>' are incompatible with return type(s) of operation 'tensor<?x4x7x7xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.dynamic_conv2d %x, %w : (tensor<?x8x7x7xf32>, tensor<2x4x8x1x1xf32>) -> tensor<?x4x7x7xf32>
  return %y : tensor<?x4x7x7xf32>
}

// -----

func.func @dynamic_conv2d_weight_rank(%x: tensor<?x8x7x7xf32>, %w: tensor<4x8x1x1xf32>) -> tensor<?x4x7x7xf32> {
  // expected-error @+1 {{operand #1 must be 5D tensor of 32-bit float values, but got 'tensor<4x8x1x1xf32>'}}
  %y = dyconv.dynamic_conv2d %x, %w : (tensor<?x8x7x7xf32>, tensor<4x8x1x1xf32>) -> tensor<?x4x7x7xf32>
  return %y : tensor<?x4x7x7xf32>
}

//===----------------------------------------------------------------------===//
// linear
//===----------------------------------------------------------------------===//

// -----

func.func @linear_features(%x: tensor<?x64xf32>, %w: tensor<10x32xf32>) -> tensor<?x10xf32> {
  // expected-error @+2 {{'dyconv.linear' op input 'tensor<?x64xf32>' has 64 features but weight 'tensor<10x32xf32>' expects 32}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.linear %x, %w : (tensor<?x64xf32>, tensor<10x32xf32>) -> tensor<?x10xf32>
  return %y : tensor<?x10xf32>
}

// -----

func.func @linear_bias(%x: tensor<?x64xf32>, %w: tensor<10x64xf32>, %b: tensor<5xf32>) -> tensor<?x10xf32> {
  // expected-error @+2 {{bias must have 10 elements, got 'tensor<5xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.linear %x, %w, %b : (tensor<?x64xf32>, tensor<10x64xf32>, tensor<5xf32>) -> tensor<?x10xf32>
  return %y : tensor<?x10xf32>
}

// -----

func.func @linear_wrong_result_type(%x: tensor<?x64xf32>, %w: tensor<10x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<?x10xf32>' are incompatible with return type(s) of operation 'tensor<?x64xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.linear %x, %w : (tensor<?x64xf32>, tensor<10x64xf32>) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// -----

func.func @linear_input_rank(%x: tensor<?x64x1x1xf32>, %w: tensor<10x64xf32>) -> tensor<?x10xf32> {
  // expected-error @+1 {{operand #0 must be 2D tensor of 32-bit float values, but got 'tensor<?x64x1x1xf32>'}}
  %y = dyconv.linear %x, %w : (tensor<?x64x1x1xf32>, tensor<10x64xf32>) -> tensor<?x10xf32>
  return %y : tensor<?x10xf32>
}

//===----------------------------------------------------------------------===//
// batch_norm, layer_norm
//===----------------------------------------------------------------------===//

// -----

func.func @batch_norm_rank(%x: tensor<16xf32>, %p: tensor<16xf32>) -> tensor<16xf32> {
  // expected-error @+2 {{'dyconv.batch_norm' op input must have rank >= 2 ([N, C, ...]), got 'tensor<16xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.batch_norm %x, %p, %p, %p, %p : (tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<16xf32>
  return %y : tensor<16xf32>
}

// -----

func.func @batch_norm_scale(%x: tensor<?x16x4x4xf32>, %p: tensor<16xf32>, %q: tensor<8xf32>) -> tensor<?x16x4x4xf32> {
  // expected-error @+2 {{scale must have 16 elements, got 'tensor<8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.batch_norm %x, %q, %p, %p, %p : (tensor<?x16x4x4xf32>, tensor<8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<?x16x4x4xf32>
  return %y : tensor<?x16x4x4xf32>
}

// -----

func.func @batch_norm_bias(%x: tensor<?x16x4x4xf32>, %p: tensor<16xf32>, %q: tensor<8xf32>) -> tensor<?x16x4x4xf32> {
  // expected-error @+2 {{bias must have 16 elements, got 'tensor<8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.batch_norm %x, %p, %q, %p, %p : (tensor<?x16x4x4xf32>, tensor<16xf32>, tensor<8xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<?x16x4x4xf32>
  return %y : tensor<?x16x4x4xf32>
}

// -----

func.func @batch_norm_mean(%x: tensor<?x16x4x4xf32>, %p: tensor<16xf32>, %q: tensor<8xf32>) -> tensor<?x16x4x4xf32> {
  // expected-error @+2 {{mean must have 16 elements, got 'tensor<8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.batch_norm %x, %p, %p, %q, %p : (tensor<?x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<8xf32>, tensor<16xf32>) -> tensor<?x16x4x4xf32>
  return %y : tensor<?x16x4x4xf32>
}

// -----

func.func @batch_norm_variance(%x: tensor<?x16x4x4xf32>, %p: tensor<16xf32>, %q: tensor<8xf32>) -> tensor<?x16x4x4xf32> {
  // expected-error @+2 {{variance must have 16 elements, got 'tensor<8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.batch_norm %x, %p, %p, %p, %q : (tensor<?x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<8xf32>) -> tensor<?x16x4x4xf32>
  return %y : tensor<?x16x4x4xf32>
}

// -----

func.func @batch_norm_epsilon(%x: tensor<?x16x4x4xf32>, %p: tensor<16xf32>) -> tensor<?x16x4x4xf32> {
  // expected-error @+2 {{epsilon must be non-negative, got -1.000000e-03}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.batch_norm %x, %p, %p, %p, %p {epsilon = -1.0e-3 : f64} : (tensor<?x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<?x16x4x4xf32>
  return %y : tensor<?x16x4x4xf32>
}

// -----

func.func @batch_norm_param_rank(%x: tensor<?x16x4x4xf32>, %p: tensor<16xf32>, %q: tensor<16x1xf32>) -> tensor<?x16x4x4xf32> {
  // expected-error @+1 {{operand #1 must be 1D tensor of 32-bit float values, but got 'tensor<16x1xf32>'}}
  %y = dyconv.batch_norm %x, %q, %p, %p, %p : (tensor<?x16x4x4xf32>, tensor<16x1xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<?x16x4x4xf32>
  return %y : tensor<?x16x4x4xf32>
}

// -----

func.func @layer_norm_axis(%x: tensor<?x8x32xf32>, %s: tensor<32xf32>) -> tensor<?x8x32xf32> {
  // expected-error @+2 {{'dyconv.layer_norm' op axis 3 is out of range for 'tensor<?x8x32xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.layer_norm %x, %s, %s {axis = 3} : (tensor<?x8x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<?x8x32xf32>
  return %y : tensor<?x8x32xf32>
}

// -----

func.func @layer_norm_negative_axis(%x: tensor<?x8x32xf32>, %s: tensor<32xf32>) -> tensor<?x8x32xf32> {
  // expected-error @+2 {{axis -4 is out of range for 'tensor<?x8x32xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.layer_norm %x, %s, %s {axis = -4} : (tensor<?x8x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<?x8x32xf32>
  return %y : tensor<?x8x32xf32>
}

// -----

func.func @layer_norm_scale_shape(%x: tensor<?x8x32xf32>, %s: tensor<8xf32>, %t: tensor<32xf32>) -> tensor<?x8x32xf32> {
  // expected-error @+2 {{scale 'tensor<8xf32>' must have the normalized shape 32 of input 'tensor<?x8x32xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.layer_norm %x, %s, %t : (tensor<?x8x32xf32>, tensor<8xf32>, tensor<32xf32>) -> tensor<?x8x32xf32>
  return %y : tensor<?x8x32xf32>
}

// -----

func.func @layer_norm_bias_rank(%x: tensor<?x8x32xf32>, %s: tensor<8x32xf32>, %t: tensor<32xf32>) -> tensor<?x8x32xf32> {
  // expected-error @+2 {{bias 'tensor<32xf32>' must have the normalized shape 8x32 of input 'tensor<?x8x32xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.layer_norm %x, %s, %t {axis = 1} : (tensor<?x8x32xf32>, tensor<8x32xf32>, tensor<32xf32>) -> tensor<?x8x32xf32>
  return %y : tensor<?x8x32xf32>
}

// -----

func.func @layer_norm_epsilon(%x: tensor<?x8x32xf32>, %s: tensor<32xf32>) -> tensor<?x8x32xf32> {
  // expected-error @+2 {{epsilon must be non-negative, got -1.000000e+00}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.layer_norm %x, %s, %s {epsilon = -1.0 : f64} : (tensor<?x8x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<?x8x32xf32>
  return %y : tensor<?x8x32xf32>
}

// -----

// Must not crash: a 0-D input has no axis to normalise over.
func.func @layer_norm_scalar(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+2 {{axis -1 is out of range for 'tensor<f32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.layer_norm %x, %x, %x : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<f32>
  return %y : tensor<f32>
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

// -----

func.func @clip_min_exceeds_max(%x: tensor<?x16xf32>) -> tensor<?x16xf32> {
  // expected-error @+1 {{'dyconv.clip' op min (6.000000e+00) must not exceed max (5.000000e-01)}}
  %y = dyconv.clip %x {min = 6.0 : f32, max = 0.5 : f32} : tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}

// -----

func.func @clip_missing_max(%x: tensor<?x16xf32>) -> tensor<?x16xf32> {
  // expected-error @+1 {{'dyconv.clip' op requires attribute 'max'}}
  %y = dyconv.clip %x {min = 0.0 : f32} : tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}

// -----

// SameOperandsAndResultType makes the unary ops infer their result type too.
func.func @relu_result_type(%x: tensor<?x16xf32>) -> tensor<4x16xf32> {
  // expected-error @+2 {{'dyconv.relu' op inferred type(s) 'tensor<?x16xf32>' are incompatible with return type(s) of operation 'tensor<4x16xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = "dyconv.relu"(%x) : (tensor<?x16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// -----

// Must not crash: an i32 tensor.
func.func @relu_i32(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'dyconv.relu' op operand #0 must be ranked tensor of 32-bit float values, but got 'tensor<4xi32>'}}
  %y = dyconv.relu %x : tensor<4xi32>
  return %y : tensor<4xi32>
}

// -----

// Must not crash: an unranked tensor.
func.func @sigmoid_unranked(%x: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'dyconv.sigmoid' op operand #0 must be ranked tensor of 32-bit float values, but got 'tensor<*xf32>'}}
  %y = "dyconv.sigmoid"(%x) : (tensor<*xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// The custom form of a unary op parses a ranked tensor type only.
func.func @sigmoid_unranked_custom(%x: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{custom op 'dyconv.sigmoid' invalid kind of type specified: expected builtin.tensor, but found 'tensor<*xf32>'}}
  %y = dyconv.sigmoid %x : tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @add_no_broadcast(%a: tensor<?x16x8x8xf32>, %b: tensor<?x8x1x1xf32>) -> tensor<?x16x8x8xf32> {
  // expected-error @+2 {{'dyconv.add' op shapes ?x16x8x8 and ?x8x1x1 do not broadcast (dimension 1: 16 vs 8)}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.add %a, %b : (tensor<?x16x8x8xf32>, tensor<?x8x1x1xf32>) -> tensor<?x16x8x8xf32>
  return %y : tensor<?x16x8x8xf32>
}

// -----

func.func @mul_no_broadcast(%a: tensor<4x3xf32>, %b: tensor<2x4x4xf32>) -> tensor<2x4x4xf32> {
  // expected-error @+2 {{'dyconv.mul' op shapes 4x3 and 2x4x4 do not broadcast (dimension 2: 3 vs 4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.mul %a, %b : (tensor<4x3xf32>, tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  return %y : tensor<2x4x4xf32>
}

// -----

func.func @mul_wrong_result_type(%a: tensor<?x16x8x8xf32>, %b: tensor<?x16x1x1xf32>) -> tensor<?x16x1x1xf32> {
  // expected-error @+2 {{'dyconv.mul' op inferred type(s) 'tensor<?x16x8x8xf32>' are incompatible with return type(s) of operation 'tensor<?x16x1x1xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.mul %a, %b : (tensor<?x16x8x8xf32>, tensor<?x16x1x1xf32>) -> tensor<?x16x1x1xf32>
  return %y : tensor<?x16x1x1xf32>
}

// -----

// Must not crash: an unranked operand.
func.func @add_unranked(%a: tensor<?x16xf32>, %b: tensor<*xf32>) -> tensor<?x16xf32> {
  // expected-error @+1 {{'dyconv.add' op operand #1 must be ranked tensor of 32-bit float values, but got 'tensor<*xf32>'}}
  %y = "dyconv.add"(%a, %b) : (tensor<?x16xf32>, tensor<*xf32>) -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}

// -----

func.func @softmax_axis(%x: tensor<?x16x8x8xf32>) -> tensor<?x16x8x8xf32> {
  // expected-error @+1 {{'dyconv.softmax' op axis 4 is out of range for 'tensor<?x16x8x8xf32>'}}
  %y = dyconv.softmax %x {axis = 4} : tensor<?x16x8x8xf32>
  return %y : tensor<?x16x8x8xf32>
}

// -----

func.func @softmax_negative_axis(%x: tensor<?x10xf32>) -> tensor<?x10xf32> {
  // expected-error @+1 {{'dyconv.softmax' op axis -3 is out of range for 'tensor<?x10xf32>'}}
  %y = dyconv.softmax %x {axis = -3} : tensor<?x10xf32>
  return %y : tensor<?x10xf32>
}

// -----

func.func @softmax_missing_axis(%x: tensor<?x10xf32>) -> tensor<?x10xf32> {
  // expected-error @+1 {{'dyconv.softmax' op requires attribute 'axis'}}
  %y = dyconv.softmax %x : tensor<?x10xf32>
  return %y : tensor<?x10xf32>
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

// -----

func.func @max_pool_window_too_big(%x: tensor<?x16x2x2xf32>) -> tensor<?x16x1x1xf32> {
  // expected-error @+2 {{'dyconv.max_pool2d' op window 3x3 does not fit the padded input 'tensor<?x16x2x2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.max_pool2d %x {kernel_size = array<i64: 3, 3>} : (tensor<?x16x2x2xf32>) -> tensor<?x16x1x1xf32>
  return %y : tensor<?x16x1x1xf32>
}

// -----

func.func @max_pool_dilated_window_too_big(%x: tensor<?x16x4x4xf32>) -> tensor<?x16x1x1xf32> {
  // expected-error @+2 {{window 3x3 does not fit the padded input 'tensor<?x16x4x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.max_pool2d %x {kernel_size = array<i64: 3, 3>, dilation = array<i64: 2, 2>} : (tensor<?x16x4x4xf32>) -> tensor<?x16x1x1xf32>
  return %y : tensor<?x16x1x1xf32>
}

// -----

func.func @max_pool_padding_exceeds_half(%x: tensor<?x16x8x8xf32>) -> tensor<?x16x10x10xf32> {
  // expected-error @+2 {{'dyconv.max_pool2d' op padding [0, 2, 0, 2] exceeds half the window 3x3}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.max_pool2d %x {kernel_size = array<i64: 3, 3>, padding = array<i64: 0, 2, 0, 2>} : (tensor<?x16x8x8xf32>) -> tensor<?x16x10x10xf32>
  return %y : tensor<?x16x10x10xf32>
}

// -----

func.func @max_pool_missing_kernel_size(%x: tensor<?x16x8x8xf32>) -> tensor<?x16x8x8xf32> {
  // expected-error @+1 {{'dyconv.max_pool2d' op requires attribute 'kernel_size'}}
  %y = dyconv.max_pool2d %x : (tensor<?x16x8x8xf32>) -> tensor<?x16x8x8xf32>
  return %y : tensor<?x16x8x8xf32>
}

// -----

func.func @max_pool_kernel_size_entries(%x: tensor<?x16x8x8xf32>) -> tensor<?x16x6x6xf32> {
  // expected-error @+1 {{attribute 'kernel_size' failed to satisfy constraint: i64 dense array attribute with exactly 2 elements whose value is positive}}
  %y = dyconv.max_pool2d %x {kernel_size = array<i64: 3, 3, 3>} : (tensor<?x16x8x8xf32>) -> tensor<?x16x6x6xf32>
  return %y : tensor<?x16x6x6xf32>
}

// -----

func.func @max_pool_kernel_size_zero(%x: tensor<?x16x8x8xf32>) -> tensor<?x16x6x6xf32> {
  // expected-error @+1 {{attribute 'kernel_size' failed to satisfy constraint: i64 dense array attribute with exactly 2 elements whose value is positive}}
  %y = dyconv.max_pool2d %x {kernel_size = array<i64: 0, 3>} : (tensor<?x16x8x8xf32>) -> tensor<?x16x6x6xf32>
  return %y : tensor<?x16x6x6xf32>
}

// -----

func.func @max_pool_wrong_result_type(%x: tensor<?x16x8x8xf32>) -> tensor<?x16x4x4xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<?x16x6x6xf32>' are incompatible with return type(s) of operation 'tensor<?x16x4x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.max_pool2d %x {kernel_size = array<i64: 3, 3>} : (tensor<?x16x8x8xf32>) -> tensor<?x16x4x4xf32>
  return %y : tensor<?x16x4x4xf32>
}

// -----

func.func @avg_pool_window_too_big(%x: tensor<?x16x7x1xf32>) -> tensor<?x16x3x1xf32> {
  // expected-error @+2 {{'dyconv.avg_pool2d' op window 2x2 does not fit the padded input 'tensor<?x16x7x1xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.avg_pool2d %x {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>} : (tensor<?x16x7x1xf32>) -> tensor<?x16x3x1xf32>
  return %y : tensor<?x16x3x1xf32>
}

// -----

func.func @avg_pool_padding_exceeds_half(%x: tensor<?x16x8x8xf32>) -> tensor<?x16x5x5xf32> {
  // expected-error @+2 {{'dyconv.avg_pool2d' op padding [0, 0, 2, 2] exceeds half the window 2x2}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.avg_pool2d %x {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0, 2, 2>} : (tensor<?x16x8x8xf32>) -> tensor<?x16x5x5xf32>
  return %y : tensor<?x16x5x5xf32>
}

// -----

func.func @avg_pool_stride_zero(%x: tensor<?x16x8x8xf32>) -> tensor<?x16x4x4xf32> {
  // expected-error @+1 {{attribute 'stride' failed to satisfy constraint: i64 dense array attribute with exactly 2 elements whose value is positive}}
  %y = dyconv.avg_pool2d %x {kernel_size = array<i64: 2, 2>, stride = array<i64: 0, 0>} : (tensor<?x16x8x8xf32>) -> tensor<?x16x4x4xf32>
  return %y : tensor<?x16x4x4xf32>
}

// -----

func.func @global_avg_pool_wrong_result_type(%x: tensor<?x16x8x8xf32>) -> tensor<?x16x8x8xf32> {
  // expected-error @+2 {{'dyconv.global_avg_pool' op inferred type(s) 'tensor<?x16x1x1xf32>' are incompatible with return type(s) of operation 'tensor<?x16x8x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.global_avg_pool %x : (tensor<?x16x8x8xf32>) -> tensor<?x16x8x8xf32>
  return %y : tensor<?x16x8x8xf32>
}

// -----

func.func @global_avg_pool_rank(%x: tensor<?x16x8xf32>) -> tensor<?x16x1x1xf32> {
  // expected-error @+1 {{operand #0 must be 4D tensor of 32-bit float values, but got 'tensor<?x16x8xf32>'}}
  %y = dyconv.global_avg_pool %x : (tensor<?x16x8xf32>) -> tensor<?x16x1x1xf32>
  return %y : tensor<?x16x1x1xf32>
}

//===----------------------------------------------------------------------===//
// flatten, reshape, concat
//===----------------------------------------------------------------------===//

// -----

func.func @flatten_axis_too_large(%x: tensor<?x16x1x1xf32>) -> tensor<?x1xf32> {
  // expected-error @+2 {{'dyconv.flatten' op axis 5 must be in [0, 4] for 'tensor<?x16x1x1xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.flatten %x {axis = 5} : (tensor<?x16x1x1xf32>) -> tensor<?x1xf32>
  return %y : tensor<?x1xf32>
}

// -----

func.func @flatten_negative_axis(%x: tensor<?x16x1x1xf32>) -> tensor<?x16xf32> {
  // expected-error @+2 {{axis -1 must be in [0, 4] for 'tensor<?x16x1x1xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.flatten %x {axis = -1} : (tensor<?x16x1x1xf32>) -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}

// -----

func.func @flatten_wrong_result_type(%x: tensor<?x16x2x2xf32>) -> tensor<?x16xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<?x64xf32>' are incompatible with return type(s) of operation 'tensor<?x16xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.flatten %x : (tensor<?x16x2x2xf32>) -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}

// -----

func.func @flatten_result_rank(%x: tensor<?x16x2x2xf32>) -> tensor<?x16x4xf32> {
  // expected-error @+1 {{result #0 must be 2D tensor of 32-bit float values, but got 'tensor<?x16x4xf32>'}}
  %y = dyconv.flatten %x : (tensor<?x16x2x2xf32>) -> tensor<?x16x4xf32>
  return %y : tensor<?x16x4xf32>
}

// -----

func.func @reshape_two_inferred(%x: tensor<?x16x1x1xf32>) -> tensor<?x?xf32> {
  // expected-error @+2 {{'dyconv.reshape' op cannot reshape ?x16x1x1 to [-1, -1]: more than one entry is -1}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.reshape %x {shape = array<i64: -1, -1>} : (tensor<?x16x1x1xf32>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

func.func @reshape_negative_entry(%x: tensor<?x16x1x1xf32>) -> tensor<?x16xf32> {
  // expected-error @+2 {{cannot reshape ?x16x1x1 to [0, -2]: entry 1 is -2}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.reshape %x {shape = array<i64: 0, -2>} : (tensor<?x16x1x1xf32>) -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}

// -----

func.func @reshape_copy_missing_dim(%x: tensor<?x16xf32>) -> tensor<?x16x1xf32> {
  // expected-error @+2 {{cannot reshape ?x16 to [0, 0, 0]: entry 2 copies a dimension the input does not have}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.reshape %x {shape = array<i64: 0, 0, 0>} : (tensor<?x16xf32>) -> tensor<?x16x1xf32>
  return %y : tensor<?x16x1xf32>
}

// -----

func.func @reshape_not_a_multiple(%x: tensor<2x3x5xf32>) -> tensor<4x7xf32> {
  // expected-error @+2 {{cannot reshape 2x3x5 to [-1, 7]: the element count is not a multiple of 7}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.reshape %x {shape = array<i64: -1, 7>} : (tensor<2x3x5xf32>) -> tensor<4x7xf32>
  return %y : tensor<4x7xf32>
}

// -----

func.func @reshape_count_differs(%x: tensor<2x3x5xf32>) -> tensor<6x6xf32> {
  // expected-error @+2 {{cannot reshape 2x3x5 to [6, 6]: the element counts differ}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.reshape %x {shape = array<i64: 6, 6>} : (tensor<2x3x5xf32>) -> tensor<6x6xf32>
  return %y : tensor<6x6xf32>
}

// -----

// The copied batch cancels, so the rest must still agree.
func.func @reshape_count_differs_with_batch(%x: tensor<?x16x1x1xf32>) -> tensor<?x8xf32> {
  // expected-error @+2 {{cannot reshape ?x16x1x1 to [0, 8]: the element counts differ}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.reshape %x {shape = array<i64: 0, 8>} : (tensor<?x16x1x1xf32>) -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// -----

func.func @reshape_wrong_result_type(%x: tensor<?x16x1x1xf32>) -> tensor<?x?xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<?x16xf32>' are incompatible with return type(s) of operation 'tensor<?x?xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.reshape %x {shape = array<i64: 0, -1>} : (tensor<?x16x1x1xf32>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

func.func @reshape_missing_shape(%x: tensor<?x16x1x1xf32>) -> tensor<?x16xf32> {
  // expected-error @+1 {{'dyconv.reshape' op requires attribute 'shape'}}
  %y = dyconv.reshape %x : (tensor<?x16x1x1xf32>) -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}

// -----

func.func @concat_axis(%a: tensor<?x8x4x4xf32>) -> tensor<?x8x4x8xf32> {
  // expected-error @+2 {{'dyconv.concat' op axis 4 is out of range for 'tensor<?x8x4x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.concat %a, %a {axis = 4} : (tensor<?x8x4x4xf32>, tensor<?x8x4x4xf32>) -> tensor<?x8x4x8xf32>
  return %y : tensor<?x8x4x8xf32>
}

// -----

func.func @concat_negative_axis(%a: tensor<?x8xf32>) -> tensor<?x16xf32> {
  // expected-error @+2 {{axis -3 is out of range for 'tensor<?x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.concat %a, %a {axis = -3} : (tensor<?x8xf32>, tensor<?x8xf32>) -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}

// -----

func.func @concat_ranks(%a: tensor<?x8x4x4xf32>, %b: tensor<?x8x4xf32>) -> tensor<?x16x4x4xf32> {
  // expected-error @+2 {{inputs must have equal ranks: 'tensor<?x8x4x4xf32>' vs 'tensor<?x8x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.concat %a, %b {axis = 1} : (tensor<?x8x4x4xf32>, tensor<?x8x4xf32>) -> tensor<?x16x4x4xf32>
  return %y : tensor<?x16x4x4xf32>
}

// -----

func.func @concat_dims(%a: tensor<?x8x4x4xf32>, %b: tensor<?x8x2x4xf32>) -> tensor<?x16x4x4xf32> {
  // expected-error @+2 {{inputs differ in dimension 2 outside the concatenation axis: 'tensor<?x8x4x4xf32>' vs 'tensor<?x8x2x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.concat %a, %a, %b {axis = 1} : (tensor<?x8x4x4xf32>, tensor<?x8x4x4xf32>, tensor<?x8x2x4xf32>) -> tensor<?x16x4x4xf32>
  return %y : tensor<?x16x4x4xf32>
}

// -----

func.func @concat_no_inputs() -> tensor<2xf32> {
  // expected-error @+2 {{'dyconv.concat' op needs at least one input}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = "dyconv.concat"() <{axis = 0 : i64}> : () -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

func.func @concat_wrong_result_type(%a: tensor<?x8xf32>, %b: tensor<?x4xf32>) -> tensor<?x8xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<?x12xf32>' are incompatible with return type(s) of operation 'tensor<?x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.concat %a, %b {axis = 1} : (tensor<?x8xf32>, tensor<?x4xf32>) -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// -----

// Must not crash: an unranked input.
func.func @concat_unranked(%a: tensor<?x8xf32>, %b: tensor<*xf32>) -> tensor<?x16xf32> {
  // expected-error @+1 {{operand #1 must be variadic of ranked tensor of 32-bit float values, but got 'tensor<*xf32>'}}
  %y = dyconv.concat %a, %b {axis = 1} : (tensor<?x8xf32>, tensor<*xf32>) -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}

//===----------------------------------------------------------------------===//
// odconv. The valid layer the cases break: Cin = 8, Cout = 32, A = 16,
// k = 3, K = 4 with every head.
//===----------------------------------------------------------------------===//

// -----

func.func @odconv_non_square_kernel(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x32x8x3x1xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>,
    %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x6x8xf32> {
  // expected-error @+2 {{'dyconv.odconv' op kernels must be square, got weight 'tensor<4x32x8x3x1xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb))
      : (tensor<?x8x8x8xf32>, tensor<4x32x8x3x1xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<9x16xf32>, tensor<9xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x32x6x8xf32>
  return %y : tensor<?x32x6x8xf32>
}

// -----

func.func @odconv_missing_filter_head(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x32x8x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %sw: tensor<9x16xf32>, %sb: tensor<9xf32>, %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{'dyconv.odconv' op the filter head is required for weight 'tensor<4x32x8x3x3xf32>' with groups 1 (it is absent only for a depthwise layer, Cin == groups == Cout)}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          spatial(%sw, %sb) kernel(%kw, %kb))
      : (tensor<?x8x8x8xf32>, tensor<4x32x8x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>,
         tensor<9x16xf32>, tensor<9xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

// Depthwise (Cin == groups == Cout == 16): no filter head.
func.func @odconv_depthwise_with_filter_head(%x: tensor<?x16x8x8xf32>, %bank: tensor<1x16x1x3x3xf32>,
    %fc: tensor<16x16xf32>, %bn: tensor<16xf32>, %cw: tensor<16x16xf32>, %cb: tensor<16xf32>,
    %fw: tensor<16x16xf32>, %fb: tensor<16xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>) -> tensor<?x16x8x8xf32> {
  // expected-error @+2 {{the filter head must be absent for a depthwise layer, Cin == groups == Cout, got weight 'tensor<1x16x1x3x3xf32>' with groups 16}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb)) {groups = 16, padding = array<i64: 1, 1, 1, 1>}
      : (tensor<?x16x8x8xf32>, tensor<1x16x1x3x3xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>,
         tensor<9x16xf32>, tensor<9xf32>) -> tensor<?x16x8x8xf32>
  return %y : tensor<?x16x8x8xf32>
}

// -----

// Depthwise with a channel multiplier (Cout = 2*Cin, groups = Cin) keeps the
// filter head.
func.func @odconv_channel_multiplier_needs_filter_head(%x: tensor<?x16x8x8xf32>, %bank: tensor<1x32x1x3x3xf32>,
    %fc: tensor<16x16xf32>, %bn: tensor<16xf32>, %cw: tensor<16x16xf32>, %cb: tensor<16xf32>,
    %sw: tensor<9x16xf32>, %sb: tensor<9xf32>) -> tensor<?x32x8x8xf32> {
  // expected-error @+2 {{the filter head is required for weight 'tensor<1x32x1x3x3xf32>' with groups 16 (it is absent only for a depthwise layer, Cin == groups == Cout)}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          spatial(%sw, %sb)) {groups = 16, padding = array<i64: 1, 1, 1, 1>}
      : (tensor<?x16x8x8xf32>, tensor<1x32x1x3x3xf32>, tensor<16x16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16xf32>,
         tensor<9x16xf32>, tensor<9xf32>) -> tensor<?x32x8x8xf32>
  return %y : tensor<?x32x8x8xf32>
}

// -----

func.func @odconv_spatial_head_for_1x1(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x32x8x1x1xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %sw: tensor<1x16xf32>, %sb: tensor<1xf32>,
    %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x8x8xf32> {
  // expected-error @+2 {{the spatial head must be absent for 1x1 kernels, got weight 'tensor<4x32x8x1x1xf32>' with groups 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb))
      : (tensor<?x8x8x8xf32>, tensor<4x32x8x1x1xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<1x16xf32>, tensor<1xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x32x8x8xf32>
  return %y : tensor<?x32x8x8xf32>
}

// -----

func.func @odconv_missing_spatial_head(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x32x8x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{the spatial head is required for weight 'tensor<4x32x8x3x3xf32>' with groups 1 (it is absent only for 1x1 kernels)}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) kernel(%kw, %kb))
      : (tensor<?x8x8x8xf32>, tensor<4x32x8x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @odconv_kernel_head_for_one_kernel(%x: tensor<?x8x8x8xf32>, %bank: tensor<1x32x8x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>,
    %kw: tensor<1x16xf32>, %kb: tensor<1xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{the kernel head must be absent for a bank of one kernel, K == 1, got weight 'tensor<1x32x8x3x3xf32>' with groups 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb))
      : (tensor<?x8x8x8xf32>, tensor<1x32x8x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<9x16xf32>, tensor<9xf32>, tensor<1x16xf32>, tensor<1xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @odconv_missing_kernel_head(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x32x8x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{the kernel head is required for weight 'tensor<4x32x8x3x3xf32>' with groups 1 (it is absent only for a bank of one kernel, K == 1)}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb))
      : (tensor<?x8x8x8xf32>, tensor<4x32x8x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<9x16xf32>, tensor<9xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

// The custom format binds a head's weight and bias; the generic form can
// give one without the other.
func.func @odconv_head_weight_without_bias(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x32x8x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>,
    %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{the filter head needs both its weight and its bias, got only its weight}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = "dyconv.odconv"(%x, %bank, %fc, %bn, %bn, %bn, %bn, %cw, %cb, %fw, %sw, %sb, %kw, %kb)
      <{operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1>}>
      : (tensor<?x8x8x8xf32>, tensor<4x32x8x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>,
         tensor<9x16xf32>, tensor<9xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @odconv_head_bias_without_weight(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x32x8x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %sb: tensor<9xf32>,
    %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{the spatial head needs both its weight and its bias, got only its bias}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = "dyconv.odconv"(%x, %bank, %fc, %bn, %bn, %bn, %bn, %cw, %cb, %fw, %fb, %sb, %kw, %kb)
      <{operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1>}>
      : (tensor<?x8x8x8xf32>, tensor<4x32x8x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<9xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @odconv_fc_columns(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x32x8x3x3xf32>,
    %fc: tensor<16x32xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>,
    %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{fc_weight must be 16x8, got 'tensor<16x32xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb))
      : (tensor<?x8x8x8xf32>, tensor<4x32x8x3x3xf32>, tensor<16x32xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<9x16xf32>, tensor<9xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @odconv_bn_scale(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x32x8x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %bad: tensor<8xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>,
    %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{bn_scale must have 16 elements, got 'tensor<8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bad, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb))
      : (tensor<?x8x8x8xf32>, tensor<4x32x8x3x3xf32>, tensor<16x8xf32>, tensor<8xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<9x16xf32>, tensor<9xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @odconv_bn_bias(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x32x8x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %bad: tensor<8xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>,
    %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{bn_bias must have 16 elements, got 'tensor<8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bad, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb))
      : (tensor<?x8x8x8xf32>, tensor<4x32x8x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<9x16xf32>, tensor<9xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @odconv_bn_mean(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x32x8x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %bad: tensor<8xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>,
    %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{bn_mean must have 16 elements, got 'tensor<8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bad, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb))
      : (tensor<?x8x8x8xf32>, tensor<4x32x8x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<9x16xf32>, tensor<9xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @odconv_bn_variance(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x32x8x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %bad: tensor<8xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>,
    %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{bn_variance must have 16 elements, got 'tensor<8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bad) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb))
      : (tensor<?x8x8x8xf32>, tensor<4x32x8x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<9x16xf32>, tensor<9xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

// A transposed channel head: [A, Cin] instead of [Cin, A].
func.func @odconv_channel_weight(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x32x8x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<16x8xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>,
    %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{channel_weight must be 8x16, got 'tensor<16x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb))
      : (tensor<?x8x8x8xf32>, tensor<4x32x8x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<16x8xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<9x16xf32>, tensor<9xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @odconv_channel_bias(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x32x8x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<16xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>,
    %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{channel_bias must have 8 elements, got 'tensor<16xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb))
      : (tensor<?x8x8x8xf32>, tensor<4x32x8x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<16xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<9x16xf32>, tensor<9xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @odconv_filter_weight(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x32x8x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<8x16xf32>, %fb: tensor<32xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>,
    %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{filter_weight must be 32x16, got 'tensor<8x16xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb))
      : (tensor<?x8x8x8xf32>, tensor<4x32x8x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<8x16xf32>, tensor<32xf32>,
         tensor<9x16xf32>, tensor<9xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @odconv_filter_bias(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x32x8x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<16xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>,
    %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{filter_bias must have 32 elements, got 'tensor<16xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb))
      : (tensor<?x8x8x8xf32>, tensor<4x32x8x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<16xf32>,
         tensor<9x16xf32>, tensor<9xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @odconv_spatial_weight(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x32x8x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %sw: tensor<3x16xf32>, %sb: tensor<9xf32>,
    %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{spatial_weight must be 9x16, got 'tensor<3x16xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb))
      : (tensor<?x8x8x8xf32>, tensor<4x32x8x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<3x16xf32>, tensor<9xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @odconv_spatial_bias(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x32x8x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %sw: tensor<9x16xf32>, %sb: tensor<3xf32>,
    %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{spatial_bias must have 9 elements, got 'tensor<3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb))
      : (tensor<?x8x8x8xf32>, tensor<4x32x8x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<9x16xf32>, tensor<3xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @odconv_kernel_weight(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x32x8x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>,
    %kw: tensor<2x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{kernel_weight must be 4x16, got 'tensor<2x16xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb))
      : (tensor<?x8x8x8xf32>, tensor<4x32x8x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<9x16xf32>, tensor<9xf32>, tensor<2x16xf32>, tensor<4xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @odconv_kernel_bias(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x32x8x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>,
    %kw: tensor<4x16xf32>, %kb: tensor<2xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{kernel_bias must have 4 elements, got 'tensor<2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb))
      : (tensor<?x8x8x8xf32>, tensor<4x32x8x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<9x16xf32>, tensor<9xf32>, tensor<4x16xf32>, tensor<2xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @odconv_temperature_zero(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x32x8x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>,
    %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{temperature must be positive, got 0.000000e+00}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb)) {temperature = 0.0 : f64}
      : (tensor<?x8x8x8xf32>, tensor<4x32x8x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<9x16xf32>, tensor<9xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @odconv_temperature_negative(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x32x8x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>,
    %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{temperature must be positive, got -3.000000e+01}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb)) {temperature = -30.0 : f64}
      : (tensor<?x8x8x8xf32>, tensor<4x32x8x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<9x16xf32>, tensor<9xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @odconv_bn_epsilon(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x32x8x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>,
    %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{bn_epsilon must be non-negative, got -1.000000e-05}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb)) {bn_epsilon = -1.0e-5 : f64}
      : (tensor<?x8x8x8xf32>, tensor<4x32x8x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<9x16xf32>, tensor<9xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @odconv_input_channels(%x: tensor<?x16x8x8xf32>, %bank: tensor<4x32x8x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>,
    %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+2 {{weight 'tensor<4x32x8x3x3xf32>' expects 8 input channels (8 per group x 1 groups), but input 'tensor<?x16x8x8xf32>' has 16}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb))
      : (tensor<?x16x8x8xf32>, tensor<4x32x8x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<9x16xf32>, tensor<9xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

func.func @odconv_groups(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x30x2x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<30x16xf32>, %fb: tensor<30xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>,
    %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x30x6x6xf32> {
  // expected-error @+2 {{output channels (30) are not divisible by groups (4): weight 'tensor<4x30x2x3x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb)) {groups = 4}
      : (tensor<?x8x8x8xf32>, tensor<4x30x2x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<30x16xf32>, tensor<30xf32>,
         tensor<9x16xf32>, tensor<9xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x30x6x6xf32>
  return %y : tensor<?x30x6x6xf32>
}

// -----

func.func @odconv_kernel_too_large(%x: tensor<?x8x2x2xf32>, %bank: tensor<4x32x8x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>,
    %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x1x1xf32> {
  // expected-error @+2 {{kernel 3x3 with dilation 1 does not fit the padded input 'tensor<?x8x2x2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb))
      : (tensor<?x8x2x2xf32>, tensor<4x32x8x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<9x16xf32>, tensor<9xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x32x1x1xf32>
  return %y : tensor<?x32x1x1xf32>
}

// -----

func.func @odconv_wrong_result_type(%x: tensor<?x8x8x8xf32>, %bank: tensor<4x32x8x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>,
    %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x32x8x8xf32> {
  // expected-error @+2 {{'dyconv.odconv' op inferred type(s) 'tensor<?x32x6x6xf32>' are incompatible with return type(s) of operation 'tensor<?x32x8x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb) kernel(%kw, %kb))
      : (tensor<?x8x8x8xf32>, tensor<4x32x8x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<9x16xf32>, tensor<9xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x32x8x8xf32>
  return %y : tensor<?x32x8x8xf32>
}

// -----

// Must not crash: a 4-D bank (missing K).
func.func @odconv_bank_rank(%x: tensor<?x8x8x8xf32>, %bank: tensor<32x8x3x3xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %sw: tensor<9x16xf32>, %sb: tensor<9xf32>) -> tensor<?x32x6x6xf32> {
  // expected-error @+1 {{'dyconv.odconv' op operand #1 must be 5D tensor of 32-bit float values, but got 'tensor<32x8x3x3xf32>'}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) spatial(%sw, %sb))
      : (tensor<?x8x8x8xf32>, tensor<32x8x3x3xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<9x16xf32>, tensor<9xf32>) -> tensor<?x32x6x6xf32>
  return %y : tensor<?x32x6x6xf32>
}

// -----

// Must not crash: the PyTorch [A, Cin, 1, 1] fc weight instead of [A, Cin].
func.func @odconv_fc_rank(%x: tensor<?x8x8x8xf32>, %bank: tensor<1x32x8x1x1xf32>,
    %fc: tensor<16x8x1x1xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>) -> tensor<?x32x8x8xf32> {
  // expected-error @+1 {{operand #2 must be 2D tensor of 32-bit float values, but got 'tensor<16x8x1x1xf32>'}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb) filter(%fw, %fb))
      : (tensor<?x8x8x8xf32>, tensor<1x32x8x1x1xf32>, tensor<16x8x1x1xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>)
      -> tensor<?x32x8x8xf32>
  return %y : tensor<?x32x8x8xf32>
}

// -----

// Must not crash: a bank of unknown shape requires every head (k*k of an
// unknown k is unknown, not an overflow).
func.func @odconv_dynamic_bank(%x: tensor<?x8x8x8xf32>, %bank: tensor<?x?x?x?x?xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>, %kw: tensor<4x16xf32>, %kb: tensor<4xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+2 {{the spatial head is required for weight 'tensor<?x?x?x?x?xf32>' with groups 2 (it is absent only for 1x1 kernels)}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb)
          filter(%fw, %fb) kernel(%kw, %kb)) {groups = 2}
      : (tensor<?x8x8x8xf32>, tensor<?x?x?x?x?xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>,
         tensor<4x16xf32>, tensor<4xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @odconv_stride_entries(%x: tensor<?x8x8x8xf32>, %bank: tensor<1x32x8x1x1xf32>,
    %fc: tensor<16x8xf32>, %bn: tensor<16xf32>, %cw: tensor<8x16xf32>, %cb: tensor<8xf32>,
    %fw: tensor<32x16xf32>, %fb: tensor<32xf32>) -> tensor<?x32x4x4xf32> {
  // The custom parser checks the attribute constraints on the attr-dict.
  // expected-error @+2 {{'dyconv.odconv' op attribute 'stride' failed to satisfy constraint: i64 dense array attribute with exactly 2 elements whose value is positive}}
  %y = dyconv.odconv %x, %bank attention(fc(%fc) bn(%bn, %bn, %bn, %bn) channel(%cw, %cb) filter(%fw, %fb))
          {stride = array<i64: 2, 2, 2>}
      : (tensor<?x8x8x8xf32>, tensor<1x32x8x1x1xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<32x16xf32>, tensor<32xf32>)
      -> tensor<?x32x4x4xf32>
  return %y : tensor<?x32x4x4xf32>
}

//===----------------------------------------------------------------------===//
// kw_attention. The valid layer the plain cases break: Cin = 8, hid = 16,
// n = 9 mixtures of M = 6 cells, fc2 [63, 16]; the nonlocal cases: Cin = 32,
// n = 2, M = 20, fc3 [16, 16] (L = 4, Nb = 16), fc2 [42, 16].
//===----------------------------------------------------------------------===//

// -----

func.func @kw_attention_input_rank(%x: tensor<8xf32>, %fc1: tensor<16x8xf32>, %n: tensor<16xf32>,
    %fc2: tensor<63x16xf32>, %b2: tensor<63xf32>) -> tensor<8x9x6xf32> {
  // expected-error @+2 {{'dyconv.kw_attention' op input must have rank >= 2 ([N, Cin, ...]), got 'tensor<8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = dyconv.kw_attention %x fc1(%fc1) norm(%n, %n, %n, %n) fc2(%fc2, %b2) {num_mixtures = 9, num_cells = 6}
      : (tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<63x16xf32>, tensor<63xf32>) -> tensor<8x9x6xf32>
  return %c : tensor<8x9x6xf32>
}

// -----

func.func @kw_attention_fc1_columns(%x: tensor<?x8x6x6xf32>, %fc1: tensor<16x4xf32>, %n: tensor<16xf32>,
    %fc2: tensor<63x16xf32>, %b2: tensor<63xf32>) -> tensor<?x9x6xf32> {
  // expected-error @+2 {{fc1_weight must be 16x8, got 'tensor<16x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = dyconv.kw_attention %x fc1(%fc1) norm(%n, %n, %n, %n) fc2(%fc2, %b2) {num_mixtures = 9, num_cells = 6}
      : (tensor<?x8x6x6xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<63x16xf32>, tensor<63xf32>) -> tensor<?x9x6xf32>
  return %c : tensor<?x9x6xf32>
}

// -----

// The custom format binds norm_mean and norm_variance; the generic form can
// give one without the other.
func.func @kw_attention_mean_without_variance(%x: tensor<?x8x6x6xf32>, %fc1: tensor<16x8xf32>, %n: tensor<16xf32>,
    %fc2: tensor<63x16xf32>, %b2: tensor<63xf32>) -> tensor<?x9x6xf32> {
  // expected-error @+2 {{norm_mean and norm_variance must be given together (batch norm) or both omitted (layer norm)}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = "dyconv.kw_attention"(%x, %fc1, %n, %n, %n, %fc2, %b2)
      <{num_mixtures = 9 : i64, num_cells = 6 : i64,
        operandSegmentSizes = array<i32: 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 0>}>
      : (tensor<?x8x6x6xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<63x16xf32>, tensor<63xf32>) -> tensor<?x9x6xf32>
  return %c : tensor<?x9x6xf32>
}

// -----

func.func @kw_attention_batch_norm_with_fc1_bias(%x: tensor<?x8x6x6xf32>, %fc1: tensor<16x8xf32>, %n: tensor<16xf32>,
    %fc2: tensor<63x16xf32>, %b2: tensor<63xf32>) -> tensor<?x9x6xf32> {
  // expected-error @+2 {{fc1 has no bias when the norm is a batch norm}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = dyconv.kw_attention %x fc1(%fc1, %n) norm(%n, %n, %n, %n) fc2(%fc2, %b2) {num_mixtures = 9, num_cells = 6}
      : (tensor<?x8x6x6xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<63x16xf32>, tensor<63xf32>) -> tensor<?x9x6xf32>
  return %c : tensor<?x9x6xf32>
}

// -----

func.func @kw_attention_layer_norm_without_fc1_bias(%x: tensor<?x8x6x6xf32>, %fc1: tensor<16x8xf32>, %n: tensor<16xf32>,
    %fc2: tensor<63x16xf32>, %b2: tensor<63xf32>) -> tensor<?x9x6xf32> {
  // expected-error @+2 {{fc1 needs a bias when the norm is a layer norm}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = dyconv.kw_attention %x fc1(%fc1) norm(%n, %n) fc2(%fc2, %b2) {num_mixtures = 9, num_cells = 6}
      : (tensor<?x8x6x6xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<63x16xf32>, tensor<63xf32>) -> tensor<?x9x6xf32>
  return %c : tensor<?x9x6xf32>
}

// -----

func.func @kw_attention_fc1_bias(%x: tensor<?x8x6x6xf32>, %fc1: tensor<16x8xf32>, %b1: tensor<8xf32>, %n: tensor<16xf32>,
    %fc2: tensor<63x16xf32>, %b2: tensor<63xf32>) -> tensor<?x9x6xf32> {
  // expected-error @+2 {{fc1_bias must have 16 elements, got 'tensor<8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = dyconv.kw_attention %x fc1(%fc1, %b1) norm(%n, %n) fc2(%fc2, %b2) {num_mixtures = 9, num_cells = 6}
      : (tensor<?x8x6x6xf32>, tensor<16x8xf32>, tensor<8xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<63x16xf32>, tensor<63xf32>) -> tensor<?x9x6xf32>
  return %c : tensor<?x9x6xf32>
}

// -----

func.func @kw_attention_norm_scale(%x: tensor<?x8x6x6xf32>, %fc1: tensor<16x8xf32>, %n: tensor<16xf32>, %bad: tensor<8xf32>,
    %fc2: tensor<63x16xf32>, %b2: tensor<63xf32>) -> tensor<?x9x6xf32> {
  // expected-error @+2 {{norm_scale must have 16 elements, got 'tensor<8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = dyconv.kw_attention %x fc1(%fc1) norm(%bad, %n, %n, %n) fc2(%fc2, %b2) {num_mixtures = 9, num_cells = 6}
      : (tensor<?x8x6x6xf32>, tensor<16x8xf32>, tensor<8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<63x16xf32>, tensor<63xf32>) -> tensor<?x9x6xf32>
  return %c : tensor<?x9x6xf32>
}

// -----

func.func @kw_attention_norm_bias(%x: tensor<?x8x6x6xf32>, %fc1: tensor<16x8xf32>, %n: tensor<16xf32>, %bad: tensor<8xf32>,
    %fc2: tensor<63x16xf32>, %b2: tensor<63xf32>) -> tensor<?x9x6xf32> {
  // expected-error @+2 {{norm_bias must have 16 elements, got 'tensor<8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = dyconv.kw_attention %x fc1(%fc1, %n) norm(%n, %bad) fc2(%fc2, %b2) {num_mixtures = 9, num_cells = 6}
      : (tensor<?x8x6x6xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<8xf32>,
         tensor<63x16xf32>, tensor<63xf32>) -> tensor<?x9x6xf32>
  return %c : tensor<?x9x6xf32>
}

// -----

func.func @kw_attention_norm_mean(%x: tensor<?x8x6x6xf32>, %fc1: tensor<16x8xf32>, %n: tensor<16xf32>, %bad: tensor<8xf32>,
    %fc2: tensor<63x16xf32>, %b2: tensor<63xf32>) -> tensor<?x9x6xf32> {
  // expected-error @+2 {{norm_mean must have 16 elements, got 'tensor<8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = dyconv.kw_attention %x fc1(%fc1) norm(%n, %n, %bad, %n) fc2(%fc2, %b2) {num_mixtures = 9, num_cells = 6}
      : (tensor<?x8x6x6xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<8xf32>, tensor<16xf32>,
         tensor<63x16xf32>, tensor<63xf32>) -> tensor<?x9x6xf32>
  return %c : tensor<?x9x6xf32>
}

// -----

func.func @kw_attention_norm_variance(%x: tensor<?x8x6x6xf32>, %fc1: tensor<16x8xf32>, %n: tensor<16xf32>, %bad: tensor<8xf32>,
    %fc2: tensor<63x16xf32>, %b2: tensor<63xf32>) -> tensor<?x9x6xf32> {
  // expected-error @+2 {{norm_variance must have 16 elements, got 'tensor<8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = dyconv.kw_attention %x fc1(%fc1) norm(%n, %n, %n, %bad) fc2(%fc2, %b2) {num_mixtures = 9, num_cells = 6}
      : (tensor<?x8x6x6xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<8xf32>,
         tensor<63x16xf32>, tensor<63xf32>) -> tensor<?x9x6xf32>
  return %c : tensor<?x9x6xf32>
}

// -----

func.func @kw_attention_plain_without_fc2_bias(%x: tensor<?x8x6x6xf32>, %fc1: tensor<16x8xf32>, %n: tensor<16xf32>,
    %fc2: tensor<63x16xf32>) -> tensor<?x9x6xf32> {
  // expected-error @+2 {{fc2 needs a bias in plain mode}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = dyconv.kw_attention %x fc1(%fc1) norm(%n, %n, %n, %n) fc2(%fc2) {num_mixtures = 9, num_cells = 6}
      : (tensor<?x8x6x6xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<63x16xf32>) -> tensor<?x9x6xf32>
  return %c : tensor<?x9x6xf32>
}

// -----

func.func @kw_attention_plain_start_cell(%x: tensor<?x8x6x6xf32>, %fc1: tensor<16x8xf32>, %n: tensor<16xf32>,
    %fc2: tensor<63x16xf32>, %b2: tensor<63xf32>) -> tensor<?x9x6xf32> {
  // expected-error @+2 {{start_cell is used only in nonlocal-basis mode}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = dyconv.kw_attention %x fc1(%fc1) norm(%n, %n, %n, %n) fc2(%fc2, %b2) {num_mixtures = 9, num_cells = 6, start_cell = 2}
      : (tensor<?x8x6x6xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<63x16xf32>, tensor<63xf32>) -> tensor<?x9x6xf32>
  return %c : tensor<?x9x6xf32>
}

// -----

// n*(M+1) = 9*7 = 63 rows, not n*M = 54.
func.func @kw_attention_plain_fc2_rows(%x: tensor<?x8x6x6xf32>, %fc1: tensor<16x8xf32>, %n: tensor<16xf32>,
    %fc2: tensor<54x16xf32>, %b2: tensor<63xf32>) -> tensor<?x9x6xf32> {
  // expected-error @+2 {{fc2_weight must be 63x16, got 'tensor<54x16xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = dyconv.kw_attention %x fc1(%fc1) norm(%n, %n, %n, %n) fc2(%fc2, %b2) {num_mixtures = 9, num_cells = 6}
      : (tensor<?x8x6x6xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<54x16xf32>, tensor<63xf32>) -> tensor<?x9x6xf32>
  return %c : tensor<?x9x6xf32>
}

// -----

func.func @kw_attention_plain_fc2_columns(%x: tensor<?x8x6x6xf32>, %fc1: tensor<16x8xf32>, %n: tensor<16xf32>,
    %fc2: tensor<63x8xf32>, %b2: tensor<63xf32>) -> tensor<?x9x6xf32> {
  // expected-error @+2 {{fc2_weight must be 63x16, got 'tensor<63x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = dyconv.kw_attention %x fc1(%fc1) norm(%n, %n, %n, %n) fc2(%fc2, %b2) {num_mixtures = 9, num_cells = 6}
      : (tensor<?x8x6x6xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<63x8xf32>, tensor<63xf32>) -> tensor<?x9x6xf32>
  return %c : tensor<?x9x6xf32>
}

// -----

func.func @kw_attention_plain_fc2_bias(%x: tensor<?x8x6x6xf32>, %fc1: tensor<16x8xf32>, %n: tensor<16xf32>,
    %fc2: tensor<63x16xf32>, %b2: tensor<54xf32>) -> tensor<?x9x6xf32> {
  // expected-error @+2 {{fc2_bias must have 63 elements, got 'tensor<54xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = dyconv.kw_attention %x fc1(%fc1) norm(%n, %n, %n, %n) fc2(%fc2, %b2) {num_mixtures = 9, num_cells = 6}
      : (tensor<?x8x6x6xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<63x16xf32>, tensor<54xf32>) -> tensor<?x9x6xf32>
  return %c : tensor<?x9x6xf32>
}

// -----

// The custom format binds fc3_weight and basis_bias; the generic form can
// give one without the other.
func.func @kw_attention_fc3_without_basis_bias(%x: tensor<?x32xf32>, %fc1: tensor<16x32xf32>, %v: tensor<16xf32>,
    %fc2: tensor<42x16xf32>, %fc3: tensor<16x16xf32>) -> tensor<?x2x20xf32> {
  // expected-error @+2 {{nonlocal-basis mode needs both fc3_weight and basis_bias}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = "dyconv.kw_attention"(%x, %fc1, %v, %v, %v, %fc2, %fc3)
      <{num_mixtures = 2 : i64, num_cells = 20 : i64,
        operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 0>}>
      : (tensor<?x32xf32>, tensor<16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<42x16xf32>, tensor<16x16xf32>) -> tensor<?x2x20xf32>
  return %c : tensor<?x2x20xf32>
}

// -----

func.func @kw_attention_nonlocal_with_fc2_bias(%x: tensor<?x32xf32>, %fc1: tensor<16x32xf32>, %v: tensor<16xf32>,
    %fc2: tensor<42x16xf32>, %fc3: tensor<16x16xf32>, %bb: tensor<42xf32>) -> tensor<?x2x20xf32> {
  // expected-error @+2 {{fc2 has no bias in nonlocal-basis mode}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = dyconv.kw_attention %x fc1(%fc1, %v) norm(%v, %v) fc2(%fc2, %bb) nonlocal(%fc3, %bb)
          {num_mixtures = 2, num_cells = 20}
      : (tensor<?x32xf32>, tensor<16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<42x16xf32>, tensor<42xf32>, tensor<16x16xf32>, tensor<42xf32>) -> tensor<?x2x20xf32>
  return %c : tensor<?x2x20xf32>
}

// -----

func.func @kw_attention_fc3_rows(%x: tensor<?x32xf32>, %fc1: tensor<16x32xf32>, %v: tensor<16xf32>,
    %fc2: tensor<42x16xf32>, %fc3: tensor<24x16xf32>, %bb: tensor<42xf32>) -> tensor<?x2x20xf32> {
  // expected-error @+2 {{fc3_weight 'tensor<24x16xf32>' has more rows than num_cells (20)}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = dyconv.kw_attention %x fc1(%fc1, %v) norm(%v, %v) fc2(%fc2) nonlocal(%fc3, %bb)
          {num_mixtures = 2, num_cells = 20}
      : (tensor<?x32xf32>, tensor<16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<42x16xf32>, tensor<24x16xf32>, tensor<42xf32>) -> tensor<?x2x20xf32>
  return %c : tensor<?x2x20xf32>
}

// -----

// 16 nonlocal cells leave [0, 16] for the first of the 4 local ones.
func.func @kw_attention_start_cell(%x: tensor<?x32xf32>, %fc1: tensor<16x32xf32>, %v: tensor<16xf32>,
    %fc2: tensor<42x16xf32>, %fc3: tensor<16x16xf32>, %bb: tensor<42xf32>) -> tensor<?x2x20xf32> {
  // expected-error @+2 {{start_cell (17) leaves no room for 4 local cells among 20 (fc3_weight 'tensor<16x16xf32>')}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = dyconv.kw_attention %x fc1(%fc1, %v) norm(%v, %v) fc2(%fc2) nonlocal(%fc3, %bb)
          {num_mixtures = 2, num_cells = 20, start_cell = 17}
      : (tensor<?x32xf32>, tensor<16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<42x16xf32>, tensor<16x16xf32>, tensor<42xf32>) -> tensor<?x2x20xf32>
  return %c : tensor<?x2x20xf32>
}

// -----

// In nonlocal-basis mode fc2 has n*(L+Nb+1) rows: with fc3 [16, 8] (L = 4,
// Nb = 8) that is 2*(4+8+1) = 26, not the plain n*(M+1) = 42.
func.func @kw_attention_nonlocal_fc2_rows(%x: tensor<?x32xf32>, %fc1: tensor<16x32xf32>, %v: tensor<16xf32>,
    %fc2: tensor<42x16xf32>, %fc3: tensor<16x8xf32>, %bb: tensor<42xf32>) -> tensor<?x2x20xf32> {
  // expected-error @+2 {{fc2_weight must be 26x16, got 'tensor<42x16xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = dyconv.kw_attention %x fc1(%fc1, %v) norm(%v, %v) fc2(%fc2) nonlocal(%fc3, %bb)
          {num_mixtures = 2, num_cells = 20}
      : (tensor<?x32xf32>, tensor<16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<42x16xf32>, tensor<16x8xf32>, tensor<42xf32>) -> tensor<?x2x20xf32>
  return %c : tensor<?x2x20xf32>
}

// -----

func.func @kw_attention_basis_bias(%x: tensor<?x32xf32>, %fc1: tensor<16x32xf32>, %v: tensor<16xf32>,
    %fc2: tensor<42x16xf32>, %fc3: tensor<16x16xf32>, %bb: tensor<40xf32>) -> tensor<?x2x20xf32> {
  // expected-error @+2 {{basis_bias must have 42 elements, got 'tensor<40xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = dyconv.kw_attention %x fc1(%fc1, %v) norm(%v, %v) fc2(%fc2) nonlocal(%fc3, %bb)
          {num_mixtures = 2, num_cells = 20}
      : (tensor<?x32xf32>, tensor<16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<42x16xf32>, tensor<16x16xf32>, tensor<40xf32>) -> tensor<?x2x20xf32>
  return %c : tensor<?x2x20xf32>
}

// -----

// Must not crash: an fc3_weight of unknown shape leaves the fc2 rows unknown
// (no overflow on the dynamic sizes); the basis bias is still checked.
func.func @kw_attention_dynamic_fc3(%x: tensor<?x32xf32>, %fc1: tensor<16x32xf32>, %v: tensor<16xf32>,
    %fc2: tensor<42x16xf32>, %fc3: tensor<?x?xf32>, %bb: tensor<40xf32>) -> tensor<?x2x20xf32> {
  // expected-error @+2 {{basis_bias must have 42 elements, got 'tensor<40xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = dyconv.kw_attention %x fc1(%fc1, %v) norm(%v, %v) fc2(%fc2) nonlocal(%fc3, %bb)
          {num_mixtures = 2, num_cells = 20, start_cell = 3}
      : (tensor<?x32xf32>, tensor<16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<42x16xf32>, tensor<?x?xf32>, tensor<40xf32>) -> tensor<?x2x20xf32>
  return %c : tensor<?x2x20xf32>
}

// -----

func.func @kw_attention_norm_epsilon(%x: tensor<?x8x6x6xf32>, %fc1: tensor<16x8xf32>, %n: tensor<16xf32>,
    %fc2: tensor<63x16xf32>, %b2: tensor<63xf32>) -> tensor<?x9x6xf32> {
  // expected-error @+2 {{norm_epsilon must be non-negative, got -1.000000e-05}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = dyconv.kw_attention %x fc1(%fc1) norm(%n, %n, %n, %n) fc2(%fc2, %b2) {num_mixtures = 9, num_cells = 6, norm_epsilon = -1.0e-5 : f64}
      : (tensor<?x8x6x6xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<63x16xf32>, tensor<63xf32>) -> tensor<?x9x6xf32>
  return %c : tensor<?x9x6xf32>
}

// -----

func.func @kw_attention_num_mixtures_zero(%x: tensor<?x8x6x6xf32>, %fc1: tensor<16x8xf32>, %n: tensor<16xf32>,
    %fc2: tensor<63x16xf32>, %b2: tensor<63xf32>) -> tensor<?x0x6xf32> {
  // expected-error @+1 {{attribute 'num_mixtures' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %c = dyconv.kw_attention %x fc1(%fc1) norm(%n, %n, %n, %n) fc2(%fc2, %b2) {num_mixtures = 0, num_cells = 6}
      : (tensor<?x8x6x6xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<63x16xf32>, tensor<63xf32>) -> tensor<?x0x6xf32>
  return %c : tensor<?x0x6xf32>
}

// -----

func.func @kw_attention_start_cell_negative(%x: tensor<?x32xf32>, %fc1: tensor<16x32xf32>, %v: tensor<16xf32>,
    %fc2: tensor<42x16xf32>, %fc3: tensor<16x16xf32>, %bb: tensor<42xf32>) -> tensor<?x2x20xf32> {
  // expected-error @+2 {{'dyconv.kw_attention' op attribute 'start_cell' failed to satisfy constraint: 64-bit signless integer attribute whose value is non-negative}}
  %c = dyconv.kw_attention %x fc1(%fc1, %v) norm(%v, %v) fc2(%fc2) nonlocal(%fc3, %bb)
          {num_mixtures = 2, num_cells = 20, start_cell = -1}
      : (tensor<?x32xf32>, tensor<16x32xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<42x16xf32>, tensor<16x16xf32>, tensor<42xf32>) -> tensor<?x2x20xf32>
  return %c : tensor<?x2x20xf32>
}

// -----

func.func @kw_attention_missing_num_cells(%x: tensor<?x8x6x6xf32>, %fc1: tensor<16x8xf32>, %n: tensor<16xf32>,
    %fc2: tensor<63x16xf32>, %b2: tensor<63xf32>) -> tensor<?x9x6xf32> {
  // expected-error @+1 {{'dyconv.kw_attention' op requires attribute 'num_cells'}}
  %c = dyconv.kw_attention %x fc1(%fc1) norm(%n, %n, %n, %n) fc2(%fc2, %b2) {num_mixtures = 9}
      : (tensor<?x8x6x6xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<63x16xf32>, tensor<63xf32>) -> tensor<?x9x6xf32>
  return %c : tensor<?x9x6xf32>
}

// -----

func.func @kw_attention_wrong_result_type(%x: tensor<?x8x6x6xf32>, %fc1: tensor<16x8xf32>, %n: tensor<16xf32>,
    %fc2: tensor<63x16xf32>, %b2: tensor<63xf32>) -> tensor<?x9x7xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<?x9x6xf32>' are incompatible with return type(s) of operation 'tensor<?x9x7xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = dyconv.kw_attention %x fc1(%fc1) norm(%n, %n, %n, %n) fc2(%fc2, %b2) {num_mixtures = 9, num_cells = 6}
      : (tensor<?x8x6x6xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<63x16xf32>, tensor<63xf32>) -> tensor<?x9x7xf32>
  return %c : tensor<?x9x7xf32>
}

// -----

// Must not crash: an unranked input.
func.func @kw_attention_unranked(%x: tensor<*xf32>, %fc1: tensor<16x8xf32>, %n: tensor<16xf32>,
    %fc2: tensor<63x16xf32>, %b2: tensor<63xf32>) -> tensor<?x9x6xf32> {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit float values, but got 'tensor<*xf32>'}}
  %c = dyconv.kw_attention %x fc1(%fc1) norm(%n, %n, %n, %n) fc2(%fc2, %b2) {num_mixtures = 9, num_cells = 6}
      : (tensor<*xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<63x16xf32>, tensor<63xf32>) -> tensor<?x9x6xf32>
  return %c : tensor<?x9x6xf32>
}

//===----------------------------------------------------------------------===//
// kw_assemble
//===----------------------------------------------------------------------===//

// -----

func.func @kw_assemble_cell_count(%c: tensor<?x9x6xf32>, %e: tensor<5x8x8x1x1xf32>) -> tensor<?x8x8x3x3xf32> {
  // expected-error @+2 {{'dyconv.kw_assemble' op coefficients 'tensor<?x9x6xf32>' mix 6 cells but the warehouse 'tensor<5x8x8x1x1xf32>' holds 5}}
  // expected-error @+1 {{failed to infer returned types}}
  %w = dyconv.kw_assemble %c, %e {kernel_size = array<i64: 3, 3>, out_blocks = 1, in_blocks = 1}
      : (tensor<?x9x6xf32>, tensor<5x8x8x1x1xf32>) -> tensor<?x8x8x3x3xf32>
  return %w : tensor<?x8x8x3x3xf32>
}

// -----

func.func @kw_assemble_cell_shape(%c: tensor<?x9x6xf32>, %e: tensor<6x8x8x2x2xf32>) -> tensor<?x8x8x3x3xf32> {
  // expected-error @+2 {{cells must be 1x1 or the whole kernel 3x3, got warehouse 'tensor<6x8x8x2x2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %w = dyconv.kw_assemble %c, %e {kernel_size = array<i64: 3, 3>, out_blocks = 1, in_blocks = 1}
      : (tensor<?x9x6xf32>, tensor<6x8x8x2x2xf32>) -> tensor<?x8x8x3x3xf32>
  return %w : tensor<?x8x8x3x3xf32>
}

// -----

func.func @kw_assemble_mixtures(%c: tensor<?x8x6xf32>, %e: tensor<6x8x8x1x1xf32>) -> tensor<?x16x8x3x3xf32> {
  // expected-error @+2 {{coefficients 'tensor<?x8x6xf32>' have 8 mixtures, but the cell layout needs 18 (9 spatial x 2 out x 1 in)}}
  // expected-error @+1 {{failed to infer returned types}}
  %w = dyconv.kw_assemble %c, %e {kernel_size = array<i64: 3, 3>, out_blocks = 2, in_blocks = 1}
      : (tensor<?x8x6xf32>, tensor<6x8x8x1x1xf32>) -> tensor<?x16x8x3x3xf32>
  return %w : tensor<?x16x8x3x3xf32>
}

// -----

// Whole-kernel cells have one spatial cell.
func.func @kw_assemble_whole_kernel_mixtures(%c: tensor<?x9x6xf32>, %e: tensor<6x8x8x3x3xf32>) -> tensor<?x16x16x3x3xf32> {
  // expected-error @+2 {{coefficients 'tensor<?x9x6xf32>' have 9 mixtures, but the cell layout needs 4 (1 spatial x 2 out x 2 in)}}
  // expected-error @+1 {{failed to infer returned types}}
  %w = dyconv.kw_assemble %c, %e {kernel_size = array<i64: 3, 3>, out_blocks = 2, in_blocks = 2}
      : (tensor<?x9x6xf32>, tensor<6x8x8x3x3xf32>) -> tensor<?x16x16x3x3xf32>
  return %w : tensor<?x16x16x3x3xf32>
}

// -----

func.func @kw_assemble_wrong_result_type(%c: tensor<?x9x6xf32>, %e: tensor<6x8x8x1x1xf32>) -> tensor<?x8x8x1x1xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<?x8x8x3x3xf32>' are incompatible with return type(s) of operation 'tensor<?x8x8x1x1xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %w = dyconv.kw_assemble %c, %e {kernel_size = array<i64: 3, 3>, out_blocks = 1, in_blocks = 1}
      : (tensor<?x9x6xf32>, tensor<6x8x8x1x1xf32>) -> tensor<?x8x8x1x1xf32>
  return %w : tensor<?x8x8x1x1xf32>
}

// -----

func.func @kw_assemble_out_blocks_zero(%c: tensor<?x9x6xf32>, %e: tensor<6x8x8x1x1xf32>) -> tensor<?x8x8x3x3xf32> {
  // expected-error @+1 {{attribute 'out_blocks' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %w = dyconv.kw_assemble %c, %e {kernel_size = array<i64: 3, 3>, out_blocks = 0, in_blocks = 1}
      : (tensor<?x9x6xf32>, tensor<6x8x8x1x1xf32>) -> tensor<?x8x8x3x3xf32>
  return %w : tensor<?x8x8x3x3xf32>
}

// -----

func.func @kw_assemble_kernel_size_entries(%c: tensor<?x9x6xf32>, %e: tensor<6x8x8x1x1xf32>) -> tensor<?x8x8x3x3xf32> {
  // expected-error @+1 {{attribute 'kernel_size' failed to satisfy constraint: i64 dense array attribute with exactly 2 elements whose value is positive}}
  %w = dyconv.kw_assemble %c, %e {kernel_size = array<i64: 9>, out_blocks = 1, in_blocks = 1}
      : (tensor<?x9x6xf32>, tensor<6x8x8x1x1xf32>) -> tensor<?x8x8x3x3xf32>
  return %w : tensor<?x8x8x3x3xf32>
}

// -----

func.func @kw_assemble_coefficients_rank(%c: tensor<?x54xf32>, %e: tensor<6x8x8x1x1xf32>) -> tensor<?x8x8x3x3xf32> {
  // expected-error @+1 {{operand #0 must be 3D tensor of 32-bit float values, but got 'tensor<?x54xf32>'}}
  %w = dyconv.kw_assemble %c, %e {kernel_size = array<i64: 3, 3>, out_blocks = 1, in_blocks = 1}
      : (tensor<?x54xf32>, tensor<6x8x8x1x1xf32>) -> tensor<?x8x8x3x3xf32>
  return %w : tensor<?x8x8x3x3xf32>
}

//===----------------------------------------------------------------------===//
// ddf
//===----------------------------------------------------------------------===//

// -----

func.func @ddf_even_kernel(%x: tensor<?x16x8x8xf32>, %cf: tensor<?x16x2x2xf32>, %sf: tensor<?x4x8x8xf32>) -> tensor<?x16x8x8xf32> {
  // expected-error @+2 {{'dyconv.ddf' op kernel_size must be odd, got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.ddf %x, %cf, %sf combine mul {kernel_size = 2}
      : (tensor<?x16x8x8xf32>, tensor<?x16x2x2xf32>, tensor<?x4x8x8xf32>) -> tensor<?x16x8x8xf32>
  return %y : tensor<?x16x8x8xf32>
}

// -----

func.func @ddf_channel_filter_kernel(%x: tensor<?x16x8x8xf32>, %cf: tensor<?x16x5x5xf32>, %sf: tensor<?x9x8x8xf32>) -> tensor<?x16x8x8xf32> {
  // expected-error @+2 {{channel_filter must be ?x16x3x3, got 'tensor<?x16x5x5xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.ddf %x, %cf, %sf combine mul {kernel_size = 3}
      : (tensor<?x16x8x8xf32>, tensor<?x16x5x5xf32>, tensor<?x9x8x8xf32>) -> tensor<?x16x8x8xf32>
  return %y : tensor<?x16x8x8xf32>
}

// -----

func.func @ddf_channel_filter_channels(%x: tensor<?x16x8x8xf32>, %cf: tensor<?x8x3x3xf32>, %sf: tensor<?x9x8x8xf32>) -> tensor<?x16x8x8xf32> {
  // expected-error @+2 {{channel_filter must be ?x16x3x3, got 'tensor<?x8x3x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.ddf %x, %cf, %sf combine add {kernel_size = 3}
      : (tensor<?x16x8x8xf32>, tensor<?x8x3x3xf32>, tensor<?x9x8x8xf32>) -> tensor<?x16x8x8xf32>
  return %y : tensor<?x16x8x8xf32>
}

// -----

func.func @ddf_channel_filter_batch(%x: tensor<2x16x8x8xf32>, %cf: tensor<3x16x3x3xf32>, %sf: tensor<2x9x8x8xf32>) -> tensor<2x16x8x8xf32> {
  // expected-error @+2 {{channel_filter must be 2x16x3x3, got 'tensor<3x16x3x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.ddf %x, %cf, %sf combine mul {kernel_size = 3}
      : (tensor<2x16x8x8xf32>, tensor<3x16x3x3xf32>, tensor<2x9x8x8xf32>) -> tensor<2x16x8x8xf32>
  return %y : tensor<2x16x8x8xf32>
}

// -----

func.func @ddf_spatial_filter_taps(%x: tensor<?x16x8x8xf32>, %cf: tensor<?x16x3x3xf32>, %sf: tensor<?x3x8x8xf32>) -> tensor<?x16x8x8xf32> {
  // expected-error @+2 {{spatial_filter must be ?x9x8x8 (k*k taps at the strided output size), got 'tensor<?x3x8x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.ddf %x, %cf, %sf combine mul {kernel_size = 3}
      : (tensor<?x16x8x8xf32>, tensor<?x16x3x3xf32>, tensor<?x3x8x8xf32>) -> tensor<?x16x8x8xf32>
  return %y : tensor<?x16x8x8xf32>
}

// -----

// With stride 2 the spatial filter has the strided size floor(7 / 2) = 3.
func.func @ddf_spatial_filter_stride(%x: tensor<?x16x7x7xf32>, %cf: tensor<?x16x3x3xf32>, %sf: tensor<?x9x7x7xf32>) -> tensor<?x16x3x3xf32> {
  // expected-error @+2 {{spatial_filter must be ?x9x3x3 (k*k taps at the strided output size), got 'tensor<?x9x7x7xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.ddf %x, %cf, %sf combine mul {kernel_size = 3, stride = 2}
      : (tensor<?x16x7x7xf32>, tensor<?x16x3x3xf32>, tensor<?x9x7x7xf32>) -> tensor<?x16x3x3xf32>
  return %y : tensor<?x16x3x3xf32>
}

// -----

func.func @ddf_wrong_result_type(%x: tensor<?x16x8x8xf32>, %cf: tensor<?x16x3x3xf32>, %sf: tensor<?x9x4x4xf32>) -> tensor<?x16x8x8xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<?x16x4x4xf32>' are incompatible with return type(s) of operation 'tensor<?x16x8x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.ddf %x, %cf, %sf combine mul {kernel_size = 3, stride = 2}
      : (tensor<?x16x8x8xf32>, tensor<?x16x3x3xf32>, tensor<?x9x4x4xf32>) -> tensor<?x16x8x8xf32>
  return %y : tensor<?x16x8x8xf32>
}

// -----

func.func @ddf_stride_zero(%x: tensor<?x16x8x8xf32>, %cf: tensor<?x16x3x3xf32>, %sf: tensor<?x9x8x8xf32>) -> tensor<?x16x8x8xf32> {
  // expected-error @+1 {{attribute 'stride' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %y = dyconv.ddf %x, %cf, %sf combine mul {kernel_size = 3, stride = 0}
      : (tensor<?x16x8x8xf32>, tensor<?x16x3x3xf32>, tensor<?x9x8x8xf32>) -> tensor<?x16x8x8xf32>
  return %y : tensor<?x16x8x8xf32>
}

// -----

func.func @ddf_kernel_size_zero(%x: tensor<?x16x8x8xf32>, %cf: tensor<?x16x3x3xf32>, %sf: tensor<?x9x8x8xf32>) -> tensor<?x16x8x8xf32> {
  // expected-error @+1 {{attribute 'kernel_size' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %y = dyconv.ddf %x, %cf, %sf combine mul {kernel_size = 0}
      : (tensor<?x16x8x8xf32>, tensor<?x16x3x3xf32>, tensor<?x9x8x8xf32>) -> tensor<?x16x8x8xf32>
  return %y : tensor<?x16x8x8xf32>
}

// -----

func.func @ddf_unknown_combine(%x: tensor<?x16x8x8xf32>, %cf: tensor<?x16x3x3xf32>, %sf: tensor<?x9x8x8xf32>) -> tensor<?x16x8x8xf32> {
  // expected-error @+2 {{expected ::mlir::dyconv::DDFCombine to be one of: mul, add}}
  // expected-error @+1 {{failed to parse DyConv_DDFCombineAttr parameter 'value'}}
  %y = dyconv.ddf %x, %cf, %sf combine sub {kernel_size = 3}
      : (tensor<?x16x8x8xf32>, tensor<?x16x3x3xf32>, tensor<?x9x8x8xf32>) -> tensor<?x16x8x8xf32>
  return %y : tensor<?x16x8x8xf32>
}

//===----------------------------------------------------------------------===//
// filter_norm
//===----------------------------------------------------------------------===//

// -----

func.func @filter_norm_channels(%x: tensor<?x10x8x8xf32>) -> tensor<?x10x8x8xf32> {
  // expected-error @+2 {{'dyconv.filter_norm' op input channels (10) are not a multiple of taps (9): 'tensor<?x10x8x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.filter_norm %x {taps = 9} : (tensor<?x10x8x8xf32>) -> tensor<?x10x8x8xf32>
  return %y : tensor<?x10x8x8xf32>
}

// -----

func.func @filter_norm_scale(%x: tensor<?x18x1x1xf32>, %s: tensor<9xf32>) -> tensor<?x18x1x1xf32> {
  // expected-error @+2 {{scale must have 18 elements, got 'tensor<9xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.filter_norm %x scale %s {taps = 9} : (tensor<?x18x1x1xf32>, tensor<9xf32>) -> tensor<?x18x1x1xf32>
  return %y : tensor<?x18x1x1xf32>
}

// -----

func.func @filter_norm_epsilon(%x: tensor<?x18x8x8xf32>) -> tensor<?x18x8x8xf32> {
  // expected-error @+2 {{epsilon must be non-negative}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.filter_norm %x {taps = 9, epsilon = -1.0e-10 : f64} : (tensor<?x18x8x8xf32>) -> tensor<?x18x8x8xf32>
  return %y : tensor<?x18x8x8xf32>
}

// -----

// One tap has no unbiased standard deviation.
func.func @filter_norm_one_tap(%x: tensor<?x18x8x8xf32>) -> tensor<?x18x8x8xf32> {
  // expected-error @+1 {{attribute 'taps' failed to satisfy constraint: 64-bit signless integer attribute whose minimum value is 2}}
  %y = dyconv.filter_norm %x {taps = 1} : (tensor<?x18x8x8xf32>) -> tensor<?x18x8x8xf32>
  return %y : tensor<?x18x8x8xf32>
}

// -----

func.func @filter_norm_wrong_result_type(%x: tensor<?x18x8x8xf32>) -> tensor<4x18x8x8xf32> {
  // expected-error @+2 {{inferred type(s) 'tensor<?x18x8x8xf32>' are incompatible with return type(s) of operation 'tensor<4x18x8x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.filter_norm %x {taps = 9} : (tensor<?x18x8x8xf32>) -> tensor<4x18x8x8xf32>
  return %y : tensor<4x18x8x8xf32>
}

// -----

// The dyconv attributes on functions and calls are checked.
// expected-error@+1 {{'dyconv.batch' must be a batch size (a positive integer), got 0 : i64}}
func.func @zero_batch(%x: tensor<1x4xf32>) -> tensor<1x4xf32> attributes {dyconv.batch = 0 : i64} {
  return %x : tensor<1x4xf32>
}

// -----

// expected-error@+1 {{unknown dyconv attribute 'dyconv.arena'}}
func.func @unknown_attribute(%x: tensor<1x4xf32>) -> tensor<1x4xf32> attributes {dyconv.arena = 1 : i64} {
  return %x : tensor<1x4xf32>
}

// -----

// expected-error@+1 {{'dyconv.name' must be a string}}
func.func @name_not_a_string(%x: tensor<1x4xf32> {dyconv.name = 3 : i64}) -> tensor<1x4xf32> {
  return %x : tensor<1x4xf32>
}

// -----

func.func @offsets_per_result(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  // expected-error@+1 {{'dyconv.arena_offsets' has 2 offsets for 1 results}}
  %y = call @id(%x) {dyconv.arena_offsets = array<i64: 0, 64>} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}
func.func private @id(%x: tensor<1x4xf32>) -> tensor<1x4xf32>

// -----

func.func @schedule_tile_size(%x: tensor<1x16x4x4xf32>, %w: tensor<16x16x1x1xf32>) -> tensor<1x16x4x4xf32> {
  // expected-error@+1 {{a blocked schedule lists 5 tile extents, got 3}}
  %y = dyconv.fused_conv2d %x, %w {schedule = #dyconv.conv_schedule<blocked, tile = [2, 2, 1]>} : (tensor<1x16x4x4xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x4x4xf32>
  return %y : tensor<1x16x4x4xf32>
}

// -----

func.func @schedule_tile_positive(%x: tensor<1x16x4x4xf32>, %w: tensor<16x16x1x1xf32>) -> tensor<1x16x4x4xf32> {
  // expected-error@+1 {{tile extents must be positive}}
  %y = dyconv.fused_conv2d %x, %w {schedule = #dyconv.conv_schedule<blocked_depthwise, tile = [0, 1]>} : (tensor<1x16x4x4xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x4x4xf32>
  return %y : tensor<1x16x4x4xf32>
}

// -----

// expected-error@+1 {{a blocked layout needs one tile per blocked dimension, got 2 dimensions and 1 tiles}}
func.func @blocked_tiles(%x: tensor<1x16xf32, #dyconv.blocked<[0, 1] x[16]>>) {
  return
}

// -----

// expected-error@+1 {{blocked dimension 2 is out of range for rank 2}}
func.func @blocked_rank(%x: tensor<1x16xf32, #dyconv.blocked<[2] x[16]>>) {
  return
}

// -----

func.func @attention_without_bank(%x: tensor<2x4x5x5xf32>, %w: tensor<2x4x4x3x3xf32>, %f: tensor<2x4xf32>) -> tensor<2x4x3x3xf32> {
  // expected-error @+2 {{the filter, spatial and kernel attentions aggregate a bank with a channel_attention}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.fused_conv2d %x, %w filter_attention %f : (tensor<2x4x5x5xf32>, tensor<2x4x4x3x3xf32>, tensor<2x4xf32>) -> tensor<2x4x3x3xf32>
  return %y : tensor<2x4x3x3xf32>
}

// -----

func.func @aggregating_attention_shape(%x: tensor<2x4x5x5xf32>, %bank: tensor<3x4x4x3x3xf32>, %c: tensor<2x4xf32>, %k: tensor<2x2xf32>) -> tensor<2x4x3x3xf32> {
  // expected-error @+2 {{kernel attention 'tensor<2x2xf32>' must be 2x3 for bank 'tensor<3x4x4x3x3xf32>' with groups 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.fused_conv2d %x, %bank channel_attention %c kernel_attention %k : (tensor<2x4x5x5xf32>, tensor<3x4x4x3x3xf32>, tensor<2x4xf32>, tensor<2x2xf32>) -> tensor<2x4x3x3xf32>
  return %y : tensor<2x4x3x3xf32>
}

// -----

func.func @aggregating_batch(%x: tensor<2x4x5x5xf32>, %bank: tensor<1x4x4x3x3xf32>, %c: tensor<3x4xf32>) -> tensor<2x4x3x3xf32> {
  // expected-error @+2 {{the attentions are for 3 samples but input 'tensor<2x4x5x5xf32>' has batch 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = dyconv.fused_conv2d %x, %bank channel_attention %c : (tensor<2x4x5x5xf32>, tensor<1x4x4x3x3xf32>, tensor<3x4xf32>) -> tensor<2x4x3x3xf32>
  return %y : tensor<2x4x3x3xf32>
}
