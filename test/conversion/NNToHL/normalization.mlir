// RUN: nncc-opt %s -convert-nn-to-hl | FileCheck %s

// Max-subtracted softmax: a max reduction, exp of the shifted input, a sum
// reduction, and the quotient; the reductions drop the axis.
// CHECK-LABEL: hl.pipeline @softmax
// CHECK: hl.func @max ["d0"] [3] {
// CHECK:   arith.constant 0xFF800000 : f32
// CHECK: hl.update @max ["r"] [0] [4] {
// CHECK:   arith.maxf
// CHECK: hl.func @exp ["d0", "d1"] [3, 4] {
// CHECK:   arith.subf
// CHECK:   math.exp
// CHECK: hl.func @sum ["d0"] [3] {
// CHECK: hl.update @sum ["r"] [0] [4] {
// CHECK: hl.func @softmax ["d0", "d1"] [3, 4] {
// CHECK:   arith.divf
func @softmax(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = nn.softmax %x {axis = 1} : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// CHECK-LABEL: hl.pipeline @log_softmax
// CHECK: hl.func @log_softmax
// CHECK:   math.log
func @log_softmax(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = nn.log_softmax %x {axis = 0} : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// Two-pass layer norm: mean, then the mean of squared deviations.
// CHECK-LABEL: hl.pipeline @layer_norm
// CHECK: hl.update @mean ["r"] [0] [4]
// CHECK: hl.update @mean [] [] []
// CHECK: hl.update @variance ["r"] [0] [4]
// CHECK: hl.update @variance [] [] []
// CHECK: hl.func @layer_norm
// CHECK:   math.rsqrt
func @layer_norm(%x: tensor<3x4xf32>, %w: tensor<4xf32>) -> tensor<3x4xf32> {
  %0 = nn.layer_norm %x, %w, %w {eps = 1.0e-5} : (tensor<3x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// CHECK-LABEL: hl.pipeline @batch_norm
// CHECK: hl.func @batch_norm ["n", "c", "y", "x"]
// CHECK:   math.rsqrt
func @batch_norm(%x: tensor<1x2x3x3xf32>, %c: tensor<2xf32>) -> tensor<1x2x3x3xf32> {
  %0 = nn.batch_norm %x, %c, %c, %c, %c {eps = 1.0e-5} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}
