// RUN: dyconv-opt %s --dyconv-default-pipeline=target=x86-64-avx512 | FileCheck %s \
// RUN:   --implicit-check-not=dyconv.batch_norm --implicit-check-not="{{dyconv\.odconv[^_]}}" \
// RUN:   --implicit-check-not=dyconv.conv2d --implicit-check-not=dyconv.dynamic_conv2d \
// RUN:   --implicit-check-not=dyconv.relu --implicit-check-not=dyconv.channel_affine \
// RUN:   --implicit-check-not=convert_layout
// RUN: dyconv-opt %s --dyconv-default-pipeline="batch=2 opt-level=0 target=x86-64-avx512" | FileCheck %s --check-prefix=O0 \
// RUN:   --implicit-check-not=dyconv.batch_norm --implicit-check-not="{{dyconv\.odconv[^_]}}" \
// RUN:   --implicit-check-not=dyconv.conv2d --implicit-check-not=dyconv.dynamic_conv2d --implicit-check-not="?x" \
// RUN:   --implicit-check-not=convert_layout

// A small ODConv network (after examples/odconv_small.mlir): a stem conv with
// a batch norm and a ReLU, an ODConv layer (4 -> 8, 3x3, stride 2, K = 2, all
// four heads) with a ReLU, global average pooling and a linear classifier.

// The default pipeline (-O3, dynamic batch, AVX-512), end to end: the batch
// norm is folded into the stem conv, the odconv decomposed into
// odconv_attention + aggregate + a per-sample conv, both convs fused with
// their ReLU, every activation up to the pooling NCHW16c (the stem reads the
// NCHW image, the attention and the pooling read the blocked activation),
// the stem's weights and bias packed at compile time, the bank packed at
// compile time in the per-sample conv's layout, and the aggregation fused
// into that conv (one row strip: it reads the bank and the four attentions
// and never stores the per-sample kernels): no layout conversion and no
// aggregate is left. Every
// computation is outlined into a kernel and every call given an arena
// offset. No odconv, batch norm, plain conv or relu is left.
// CHECK-LABEL: func.func @odconv_net
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x3x8x8xf32>) -> tensor<?x5xf32> attributes {dyconv.arena_bytes = {{[1-9][0-9]*}} : i64}
// CHECK: %[[S:.*]] = call @fused_conv2d_0(%[[X]], %{{[^,]*}}, %{{[^)]*}}) {dyconv.arena_offsets = array<i64: {{[0-9]+}}>} : (tensor<?x3x8x8xf32>, tensor<4x3x3x3xf32, #dyconv.blocked<[0] x[16]>>, tensor<4xf32, #dyconv.blocked<[0] x[16]>>) -> tensor<?x4x8x8xf32, #dyconv.blocked<[1] x[16]>>
// CHECK: %[[A:.*]]:4 = call @odconv_attention_1(%[[S]], {{.*}}) {dyconv.arena_offsets = array<i64: {{[0-9]+}}, {{[0-9]+}}, {{[0-9]+}}, {{[0-9]+}}>} : (tensor<?x4x8x8xf32, #dyconv.blocked<[1] x[16]>>,
// CHECK: %[[Y:.*]] = call @fused_conv2d_2(%[[S]], %{{[^,]*}}, %[[A]]#0, %[[A]]#1, %[[A]]#2, %[[A]]#3) {dyconv.arena_offsets = array<i64: {{[0-9]+}}>} : (tensor<?x4x8x8xf32, #dyconv.blocked<[1] x[16]>>, tensor<2x8x4x3x3xf32, #dyconv.blocked<[2, 1] x[16, 16]>>, {{.*}}) -> tensor<?x8x4x4xf32, #dyconv.blocked<[1] x[16]>>
// CHECK: %[[P:.*]] = call @global_avg_pool_3(%[[Y]]) {dyconv.arena_offsets = array<i64: {{[0-9]+}}>} : (tensor<?x8x4x4xf32, #dyconv.blocked<[1] x[16]>>) -> tensor<?x8x1x1xf32>
// CHECK: %[[F:.*]] = dyconv.flatten %[[P]]
// CHECK: %[[L:.*]] = call @linear_4(%[[F]], {{.*}}) {dyconv.arena_offsets
// CHECK: return %[[L]]
// CHECK: func.func private @fused_conv2d_0({{.*}}) -> tensor<?x4x8x8xf32, #dyconv.blocked<[1] x[16]>> attributes {dyconv.kernel} {
// CHECK-NEXT: dyconv.fused_conv2d %{{[^,]*}}, %{{[^ ]*}} bias %{{[^ ]*}} {activation = #dyconv<activation relu>, padding = array<i64: 1, 1, 1, 1>, schedule = #dyconv.conv_schedule<blocked, tile = [{{[0-9, ]+}}]>}
// CHECK: func.func private @odconv_attention_1({{.*}} attributes {dyconv.kernel} {
// CHECK-NEXT: dyconv.odconv_attention %{{.*}} fc({{.*}}) channel({{.*}}) filter({{.*}}) spatial({{.*}}) kernel({{.*}})
// CHECK: func.func private @fused_conv2d_2({{.*}} attributes {dyconv.kernel} {
// CHECK-NEXT: dyconv.fused_conv2d %{{[^,]*}}, %{{[^ ]*}} channel_attention %{{[^ ]*}} filter_attention %{{[^ ]*}} spatial_attention %{{[^ ]*}} kernel_attention %{{[^ ]*}} {activation = #dyconv<activation relu>, padding = array<i64: 1, 1, 1, 1>, schedule = #dyconv.conv_schedule<blocked, tile = [{{[0-9, ]+}}]>, stride = array<i64: 2, 2>}
// CHECK: func.func private @global_avg_pool_3(
// CHECK: func.func private @linear_4(

// batch=2 opt-level=0: the batch is static (no `?x` anywhere), batch norms
// are still folded and the odconv still decomposed, and every conv is a
// fused_conv2d with a blocked schedule, but nothing is fused into it: the
// relus stay kernels of their own, reading and writing NCHW16c.
// O0-LABEL: func.func @odconv_net
// O0-SAME: (%[[X:[^:]*]]: tensor<2x3x8x8xf32>) -> tensor<2x5xf32> attributes {dyconv.arena_bytes = {{[1-9][0-9]*}} : i64, dyconv.batch = 2 : i64}
// O0: %[[C:.*]] = call @fused_conv2d_0(%[[X]], %{{[^,]*}}, %{{[^)]*}}) {dyconv.arena_offsets = array<i64: {{[0-9]+}}>} : (tensor<2x3x8x8xf32>, tensor<4x3x3x3xf32, #dyconv.blocked<[0] x[16]>>, tensor<4xf32, #dyconv.blocked<[0] x[16]>>) -> tensor<2x4x8x8xf32, #dyconv.blocked<[1] x[16]>>
// O0: %[[R:.*]] = call @relu_1(%[[C]]) {{.*}} : (tensor<2x4x8x8xf32, #dyconv.blocked<[1] x[16]>>) -> tensor<2x4x8x8xf32, #dyconv.blocked<[1] x[16]>>
// O0: %[[A:.*]]:4 = call @odconv_attention_2(%[[R]], {{.*}}) {dyconv.arena_offsets
// O0: %[[W:.*]] = call @aggregate_3(%{{[^,]*}}, %[[A]]#0, %[[A]]#1, %[[A]]#2, %[[A]]#3) {dyconv.arena_offsets
// O0: %[[Y:.*]] = call @fused_conv2d_4(%[[R]], %[[W]])
// O0: %[[Z:.*]] = call @relu_5(%[[Y]])
// O0: %[[P:.*]] = call @global_avg_pool_6(%[[Z]])
// O0: %[[F:.*]] = dyconv.flatten %[[P]] : (tensor<2x8x1x1xf32>) -> tensor<2x8xf32>
// O0: %[[L:.*]] = call @linear_7(%[[F]], {{.*}}) -> tensor<2x5xf32>
// O0: return %[[L]] : tensor<2x5xf32>
// O0: func.func private @fused_conv2d_0({{.*}}) -> tensor<2x4x8x8xf32, #dyconv.blocked<[1] x[16]>> attributes {dyconv.kernel} {
// O0-NEXT: dyconv.fused_conv2d %{{[^,]*}}, %{{[^ ]*}} bias %{{[^ ]*}} {padding = array<i64: 1, 1, 1, 1>, schedule = #dyconv.conv_schedule<blocked, tile = [{{[0-9, ]+}}]>}
// O0: func.func private @relu_1(
// O0-NEXT: dyconv.relu

func.func @odconv_net(%image: tensor<?x3x8x8xf32>) -> tensor<?x5xf32> {
  %stem_w = arith.constant dense<0.1> : tensor<4x3x3x3xf32>
  %gamma = arith.constant dense<[1.0, 2.0, 0.5, 1.0]> : tensor<4xf32>
  %beta = arith.constant dense<[0.0, 0.5, -0.5, 0.25]> : tensor<4xf32>
  %mean = arith.constant dense<[0.1, 0.2, 0.3, 0.4]> : tensor<4xf32>
  %var = arith.constant dense<[1.0, 0.5, 2.0, 1.5]> : tensor<4xf32>
  %x0 = dyconv.conv2d %image, %stem_w {padding = array<i64: 1, 1, 1, 1>}
      : (tensor<?x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<?x4x8x8xf32>
  %x1 = dyconv.batch_norm %x0, %gamma, %beta, %mean, %var
      : (tensor<?x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<?x4x8x8xf32>
  %x2 = dyconv.relu %x1 : tensor<?x4x8x8xf32>

  // ODConv 4->8, 3x3, stride 2, K = 2, all four heads; attention width 16.
  %bank = arith.constant dense<0.02> : tensor<2x8x4x3x3xf32>
  %fc = arith.constant dense<0.05> : tensor<16x4xf32>
  %one16 = arith.constant dense<1.0> : tensor<16xf32>
  %zero16 = arith.constant dense<0.0> : tensor<16xf32>
  %ch_w = arith.constant dense<0.03> : tensor<4x16xf32>
  %ch_b = arith.constant dense<0.0> : tensor<4xf32>
  %fil_w = arith.constant dense<0.03> : tensor<8x16xf32>
  %fil_b = arith.constant dense<0.0> : tensor<8xf32>
  %sp_w = arith.constant dense<0.03> : tensor<9x16xf32>
  %sp_b = arith.constant dense<0.0> : tensor<9xf32>
  %ker_w = arith.constant dense<0.03> : tensor<2x16xf32>
  %ker_b = arith.constant dense<0.0> : tensor<2xf32>
  %x3 = dyconv.odconv %x2, %bank attention(fc(%fc) bn(%one16, %zero16, %zero16, %one16)
          channel(%ch_w, %ch_b) filter(%fil_w, %fil_b) spatial(%sp_w, %sp_b) kernel(%ker_w, %ker_b))
          {stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>}
      : (tensor<?x4x8x8xf32>, tensor<2x8x4x3x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>, tensor<16xf32>, tensor<4x16xf32>, tensor<4xf32>, tensor<8x16xf32>, tensor<8xf32>,
         tensor<9x16xf32>, tensor<9xf32>, tensor<2x16xf32>, tensor<2xf32>) -> tensor<?x8x4x4xf32>
  %x4 = dyconv.relu %x3 : tensor<?x8x4x4xf32>

  %pooled = dyconv.global_avg_pool %x4 : (tensor<?x8x4x4xf32>) -> tensor<?x8x1x1xf32>
  %flat = dyconv.flatten %pooled : (tensor<?x8x1x1xf32>) -> tensor<?x8xf32>
  %fc_w = arith.constant dense<0.1> : tensor<5x8xf32>
  %fc_b = arith.constant dense<0.0> : tensor<5xf32>
  %logits = dyconv.linear %flat, %fc_w, %fc_b : (tensor<?x8xf32>, tensor<5x8xf32>, tensor<5xf32>) -> tensor<?x5xf32>
  return %logits : tensor<?x5xf32>
}
