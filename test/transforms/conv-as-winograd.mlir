// RUN: nncc-opt %s -nn-conv-as-winograd="min-tiles=1 min-channels=1" | FileCheck %s
// RUN: nncc-opt %s -nn-conv-as-winograd="min-tiles=5 min-channels=1" | FileCheck %s --check-prefix=FEW

// A 3x3 kernel g becomes U = G g G^T, G = [[1, 0, 0], [1/2, 1/2, 1/2],
// [1/2, -1/2, 1/2], [0, 0, 1]]: for g all ones, U[4a + b] = r[a] r[b] with
// r = (1, 1.5, 0.5, 1) the row sums of G. The convolution becomes the
// input transform, 16 products and the output transform with the bias.
// CHECK-LABEL: func @ones
// CHECK: %[[U:.*]] = nn.constant dense<{{\[\[\[}}1.000000e+00]], {{\[\[}}1.500000e+00]], {{\[\[}}5.000000e-01]], {{\[\[}}1.000000e+00]], {{\[\[}}1.500000e+00]], {{\[\[}}2.250000e+00]], {{\[\[}}7.500000e-01]], {{\[\[}}1.500000e+00]], {{\[\[}}5.000000e-01]], {{\[\[}}7.500000e-01]], {{\[\[}}2.500000e-01]], {{\[\[}}5.000000e-01]], {{\[\[}}1.000000e+00]], {{\[\[}}1.500000e+00]], {{\[\[}}5.000000e-01]], {{\[\[}}1.000000e+00]]]> : tensor<16x1x1xf32>
// CHECK: %[[V:.*]] = nn.winograd_input %arg0 {padding = [1, 1], size = [5, 4]} : (tensor<1x5x4x1xf32>) -> tensor<16x6x1xf32>
// CHECK: %[[M:.*]] = nn.matmul %[[V]], %[[U]] : (tensor<16x6x1xf32>, tensor<16x1x1xf32>) -> tensor<16x6x1xf32>
// CHECK: nn.winograd_output %[[M]], %arg1 {size = [1, 5, 4]} : (tensor<16x6x1xf32>, tensor<1xf32>) -> tensor<1x5x4x1xf32>
// 6 tiles of 2x2 cover the 5x4 output; with at least 5 required it is
// still rewritten.
// FEW-LABEL: func @ones
// FEW: nn.winograd_output
func @ones(%x: tensor<1x5x4x1xf32>, %b: tensor<1xf32>) -> tensor<1x5x4x1xf32> {
  %w = nn.constant dense<1.0> : tensor<3x3x1x1xf32>
  %0 = nn.conv2d %x, %w, %b {stride = [1, 1], padding = [1, 1], dilation = [1, 1], groups = 1, channels_last} : (tensor<1x5x4x1xf32>, tensor<3x3x1x1xf32>, tensor<1xf32>) -> tensor<1x5x4x1xf32>
  return %0 : tensor<1x5x4x1xf32>
}

// Too few tiles (2 of the 3x2 output, fewer than 5), a stride, NCHW and a
// weight given at run time stay direct.
// FEW-LABEL: func @kept
// FEW-COUNT-4: nn.conv2d
// FEW-NOT: winograd
func @kept(%x: tensor<1x5x4x1xf32>, %w: tensor<3x3x1x1xf32>, %n: tensor<1x1x5x4xf32>) -> (tensor<1x3x2x1xf32>, tensor<1x3x2x1xf32>, tensor<1x1x5x4xf32>, tensor<1x5x4x1xf32>) {
  %c = nn.constant dense<1.0> : tensor<3x3x1x1xf32>
  %0 = nn.conv2d %x, %c {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 1, channels_last} : (tensor<1x5x4x1xf32>, tensor<3x3x1x1xf32>) -> tensor<1x3x2x1xf32>
  %1 = nn.conv2d %x, %c {stride = [2, 2], padding = [1, 1], dilation = [1, 1], groups = 1, channels_last} : (tensor<1x5x4x1xf32>, tensor<3x3x1x1xf32>) -> tensor<1x3x2x1xf32>
  %k = nn.constant dense<1.0> : tensor<1x1x3x3xf32>
  %2 = nn.conv2d %n, %k {stride = [1, 1], padding = [1, 1], dilation = [1, 1], groups = 1} : (tensor<1x1x5x4xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x5x4xf32>
  %3 = nn.conv2d %x, %w {stride = [1, 1], padding = [1, 1], dilation = [1, 1], groups = 1, channels_last} : (tensor<1x5x4x1xf32>, tensor<3x3x1x1xf32>) -> tensor<1x5x4x1xf32>
  return %0, %1, %2, %3 : tensor<1x3x2x1xf32>, tensor<1x3x2x1xf32>, tensor<1x1x5x4xf32>, tensor<1x5x4x1xf32>
}
