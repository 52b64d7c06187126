// A convolution exported with dynamic height and width.
func.func @dynamic_hw(%image: tensor<?x3x?x?xf32>) -> tensor<?x4x?x?xf32> {
  %w = arith.constant dense<0.1> : tensor<4x3x3x3xf32>
  %b = arith.constant dense<0.0> : tensor<4xf32>
  %y = dyconv.conv2d %image, %w, %b {padding = array<i64: 1, 1, 1, 1>}
      : (tensor<?x3x?x?xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<?x4x?x?xf32>
  return %y : tensor<?x4x?x?xf32>
}
