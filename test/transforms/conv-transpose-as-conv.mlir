// RUN: nncc-opt %s -nn-conv-transpose-as-conv | FileCheck %s

// Kernel 3, stride 2, padding 1: each of the 4 phases (row and column
// residues modulo 2) takes the taps that reach it, reversed, in a 2x2
// kernel (taps past the 3x3 kernel are 0): phase (0, 0) reads w[2][2],
// w[2][0], w[0][2], w[0][0]; phase (1, 1) w[1][1] alone. The conv2d's 3x3
// outputs per phase are cut to the 2x2 needed, interleaved into 4x4 and
// cropped by the padding to 3x3.
// CHECK-LABEL: func @phases
// CHECK: %[[W:.*]] = nn.constant dense<{{\[\[\[\[}}9.000000e+00, 7.000000e+00], [3.000000e+00, 1.000000e+00]]], {{\[\[\[}}0.000000e+00, 8.000000e+00], [0.000000e+00, 2.000000e+00]]], {{\[\[\[}}0.000000e+00, 0.000000e+00], [6.000000e+00, 4.000000e+00]]], {{\[\[\[}}0.000000e+00, 0.000000e+00], [0.000000e+00, 5.000000e+00]]]]> : tensor<4x1x2x2xf32>
// CHECK: %[[B:.*]] = nn.constant dense<5.000000e-01> : tensor<4xf32>
// CHECK: %[[C:.*]] = nn.conv2d %arg0, %[[W]], %[[B]] {dilation = [1, 1], groups = 1 : i64, padding = [1, 1], stride = [1, 1]} : {{.*}} -> tensor<1x4x3x3xf32>
// CHECK: nn.slice {{.*}} {axis = 2 : i64, end = 2 : i64, start = 0 : i64}
// CHECK: nn.slice {{.*}} {axis = 3 : i64, end = 2 : i64, start = 0 : i64}
// CHECK: nn.reshape {{.*}} -> tensor<1x1x2x2x1x2x2xf32>
// CHECK: nn.permute {{.*}} {dims = [0, 1, 4, 5, 2, 6, 3]}
// CHECK: nn.reshape {{.*}} -> tensor<1x1x4x4xf32>
// CHECK: nn.slice {{.*}} {axis = 2 : i64, end = 4 : i64, start = 1 : i64}
// CHECK: nn.slice {{.*}} {axis = 3 : i64, end = 4 : i64, start = 1 : i64}
// CHECK-NOT: nn.conv_transpose2d
func @phases(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x3x3xf32> {
  %w = nn.constant dense<[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]]> : tensor<1x1x3x3xf32>
  %b = nn.constant dense<0.5> : tensor<1xf32>
  %0 = nn.conv_transpose2d %x, %w, %b {stride = [2, 2], padding = [1, 1], output_padding = [0, 0], dilation = [1, 1], groups = 1} : (tensor<1x1x2x2xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// A weight given at run time, and a dilated kernel, keep the direct
// lowering.
// CHECK-LABEL: func @kept
// CHECK: nn.conv_transpose2d %arg0, %arg1
// CHECK: nn.conv_transpose2d %arg0, %{{.*}} {dilation = [2, 2]
func @kept(%x: tensor<1x1x2x2xf32>, %w: tensor<1x1x3x3xf32>) -> (tensor<1x1x3x3xf32>, tensor<1x1x7x7xf32>) {
  %0 = nn.conv_transpose2d %x, %w {stride = [2, 2], padding = [1, 1], output_padding = [0, 0], dilation = [1, 1], groups = 1} : (tensor<1x1x2x2xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  %c = nn.constant dense<1.0> : tensor<1x1x3x3xf32>
  %1 = nn.conv_transpose2d %x, %c {stride = [2, 2], padding = [0, 0], output_padding = [0, 0], dilation = [2, 2], groups = 1} : (tensor<1x1x2x2xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x7x7xf32>
  return %0, %1 : tensor<1x1x3x3xf32>, tensor<1x1x7x7xf32>
}
