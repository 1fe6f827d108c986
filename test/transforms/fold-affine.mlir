// RUN: nncc-opt %s -nn-fold-affine | FileCheck %s

// batch_norm after a conv with constant weights folds into the conv:
// s = w / sqrt(var + eps) = [2, 0.5], t = b - mean * s = [1 - 2, 0 - 1.5],
// W' = W * s per output channel, b' = b * s + t.
// CHECK-LABEL: func @batch_norm_into_conv
// CHECK-DAG: %[[W:.*]] = nn.constant dense<{{\[\[\[\[}}2.000000e+00]]], {{\[\[\[}}1.500000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = nn.constant dense<[1.000000e+00, -1.000000e+00]> : tensor<2xf32>
// CHECK: %[[C:.*]] = nn.conv2d %arg0, %[[W]], %[[B]]
// CHECK-NEXT: return %[[C]]
func @batch_norm_into_conv(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = nn.constant dense<[[[[1.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %b = nn.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %mean = nn.constant dense<[1.0, 3.0]> : tensor<2xf32>
  %var = nn.constant dense<[0.25, 4.0]> : tensor<2xf32>
  %g = nn.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %beta = nn.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %0 = nn.conv2d %x, %w, %b {dilation = [1, 1], groups = 1 : i64, padding = [0, 0], stride = [1, 1]} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %1 = nn.batch_norm %0, %mean, %var, %g, %beta {eps = 0.0 : f64} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// Without a producer to fold into, batch_norm is a per-channel x * s + t:
// no square root per element.
// CHECK-LABEL: func @batch_norm_alone
// CHECK-DAG: %[[S:.*]] = nn.constant dense<{{\[\[\[}}2.000000e+00]], {{\[\[}}5.000000e-01]]]> : tensor<2x1x1xf32>
// CHECK-DAG: %[[T:.*]] = nn.constant dense<{{\[\[\[}}-1.000000e+00]], {{\[\[}}-1.500000e+00]]]> : tensor<2x1x1xf32>
// CHECK: %[[M:.*]] = nn.mul %arg0, %[[S]]
// CHECK-NEXT: %[[A:.*]] = nn.add %[[M]], %[[T]]
// CHECK-NEXT: return %[[A]]
func @batch_norm_alone(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %mean = nn.constant dense<[1.0, 3.0]> : tensor<2xf32>
  %var = nn.constant dense<[0.25, 4.0]> : tensor<2xf32>
  %g = nn.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %beta = nn.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %0 = nn.batch_norm %x, %mean, %var, %g, %beta {eps = 0.0 : f64} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// Statistics given at run time stay a batch_norm.
// CHECK-LABEL: func @batch_norm_argument
// CHECK: nn.batch_norm
func @batch_norm_argument(%x: tensor<1x2x4x4xf32>, %v: tensor<2xf32>) -> tensor<1x2x4x4xf32> {
  %c = nn.constant dense<[1.0, 3.0]> : tensor<2xf32>
  %0 = nn.batch_norm %x, %c, %v, %c, %c {eps = 1.0e-5 : f64} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// A linear layer without bias, scaled by a scalar and shifted per output:
// (x W^T) * 2 - [1, 2] -> x (2W)^T + [-1, -2]; c - y flips the sign.
// CHECK-LABEL: func @linear_scale_shift
// CHECK-DAG: %[[W:.*]] = nn.constant dense<{{\[\[}}-2.000000e+00, -4.000000e+00], [-6.000000e+00, -8.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[B:.*]] = nn.constant dense<[6.000000e+00, 7.000000e+00]> : tensor<2xf32>
// CHECK: %[[L:.*]] = nn.linear %arg0, %[[W]], %[[B]]
// CHECK-NEXT: return %[[L]]
func @linear_scale_shift(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = nn.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %two = nn.constant dense<2.0> : tensor<f32>
  %k = nn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %five = nn.constant dense<5.0> : tensor<f32>
  %0 = nn.linear %x, %w : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  %1 = nn.mul %0, %two : (tensor<3x2xf32>, tensor<f32>) -> tensor<3x2xf32>
  %2 = nn.sub %1, %k : (tensor<3x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  %3 = nn.sub %five, %2 : (tensor<f32>, tensor<3x2xf32>) -> tensor<3x2xf32>
  return %3 : tensor<3x2xf32>
}

// Not folded: a constant varying along the rows, a divisor that is the
// layer's output, a layer with another use, and a weight given at run time.
// CHECK-LABEL: func @not_per_channel
// CHECK: nn.linear
// CHECK-NEXT: nn.mul
// CHECK-NEXT: nn.linear
// CHECK-NEXT: nn.div
// CHECK-NEXT: nn.linear
// CHECK-NEXT: nn.mul
// CHECK-NEXT: nn.add
// CHECK-NEXT: nn.linear
// CHECK-NEXT: nn.mul
func @not_per_channel(%x: tensor<3x2xf32>, %v: tensor<2x2xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>) {
  %w = nn.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %rows = nn.constant dense<[[1.0], [2.0], [3.0]]> : tensor<3x1xf32>
  %two = nn.constant dense<2.0> : tensor<f32>
  %0 = nn.linear %x, %w : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  %1 = nn.mul %0, %rows : (tensor<3x2xf32>, tensor<3x1xf32>) -> tensor<3x2xf32>
  %d = nn.linear %x, %w : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  %2 = nn.div %two, %d : (tensor<f32>, tensor<3x2xf32>) -> tensor<3x2xf32>
  %3 = nn.linear %x, %w : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  %4 = nn.mul %3, %two : (tensor<3x2xf32>, tensor<f32>) -> tensor<3x2xf32>
  %5 = nn.add %3, %4 : (tensor<3x2xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
  %6 = nn.linear %x, %v : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  %7 = nn.mul %6, %two : (tensor<3x2xf32>, tensor<f32>) -> tensor<3x2xf32>
  return %1, %2, %5, %7 : tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>
}
