// RUN: nncc-opt %s -convert-nn-to-hl | FileCheck %s

// Zero padding is a boundary condition on the input; the bias initialises
// the func and one update reduces over (rc, ry, rx).
// CHECK-LABEL: hl.pipeline @conv
// CHECK: hl.input @x "x" [1, 4, 8, 8]
// CHECK: hl.input @w "w" [6, 2, 3, 3] {param}
// CHECK: hl.constant_exterior @x_padded = @x 0.000000e+00 [0, 0, 0, 0] [1, 4, 8, 8]
// CHECK: hl.func @conv2d ["n", "c", "y", "x"] [1, 6, 4, 8] {
// CHECK:   hl.call @b(
// CHECK: hl.update @conv2d ["rc", "ry", "rx"] [0, 0, 0] [2, 3, 3] {
// Groups: the input channel is (c floordiv 3) * 2 + rc.
// CHECK:   arith.floordivsi
// CHECK-DAG:   hl.call @x_padded(
// CHECK-DAG:   hl.call @w(
// CHECK:   arith.mulf
// CHECK:   arith.addf
// CHECK:   hl.yield {{.*}} at(
// An output is never a func with updates (Halide 14 would read the caller's
// array back with aligned loads): it is a copy.
// CHECK: hl.func @y ["n", "c", "y", "x"] [1, 6, 4, 8] {
// CHECK:   hl.call @conv2d(
// CHECK: hl.output @y "y" [1, 6, 4, 8]
func @conv(%x: tensor<1x4x8x8xf32> {nn.name = "x"}, %w: tensor<6x2x3x3xf32> {nn.name = "w", nn.param}, %b: tensor<6xf32> {nn.name = "b", nn.param}) -> (tensor<1x6x4x8xf32> {nn.name = "y"}) {
  %0 = nn.conv2d %x, %w, %b {stride = [2, 1], padding = [1, 1], dilation = [1, 1], groups = 2} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<1x6x4x8xf32>
  return %0 : tensor<1x6x4x8xf32>
}

// Without padding there is no boundary condition.
// CHECK-LABEL: hl.pipeline @unpadded
// CHECK-NOT: hl.constant_exterior
// CHECK: hl.func @conv2d
func @unpadded(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32> {
  %0 = nn.conv2d %x, %w {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 1} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}
