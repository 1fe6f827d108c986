// RUN: nncc-opt %s -convert-nn-to-hl | FileCheck %s

// CHECK-LABEL: hl.pipeline @unary
// CHECK: hl.func @relu ["d0"] [5]
// CHECK:   arith.maxf
// CHECK: hl.func @sigmoid
// CHECK:   arith.negf
// CHECK:   math.exp
// CHECK:   arith.divf
// CHECK: hl.func @tanh
// CHECK:   math.tanh
// CHECK: hl.func @gelu
// CHECK:   arith.constant 0.707106769 : f32
// CHECK:   math.erf
// CHECK: hl.func @exp
// CHECK: hl.func @sqrt
// CHECK:   math.sqrt
// CHECK: hl.func @neg
// CHECK:   arith.negf
func @unary(%x: tensor<5xf32>) -> tensor<5xf32> {
  %0 = nn.relu %x : tensor<5xf32>
  %1 = nn.sigmoid %0 : tensor<5xf32>
  %2 = nn.tanh %1 : tensor<5xf32>
  %3 = nn.gelu %2 : tensor<5xf32>
  %4 = nn.exp %3 : tensor<5xf32>
  %5 = nn.sqrt %4 : tensor<5xf32>
  %6 = nn.neg %5 : tensor<5xf32>
  return %6 : tensor<5xf32>
}

// Broadcasting reads size-1 dimensions at 0; a scalar constant is a func of
// no variables.
// CHECK-LABEL: hl.pipeline @binary
// CHECK: hl.func @constant [] [] {
// CHECK:   arith.constant 2.000000e+00 : f32
// CHECK: hl.func @add ["d0", "d1"] [3, 4] {
// CHECK: ^bb0(%[[I:.*]]: i32, %[[J:.*]]: i32):
// CHECK-DAG:   hl.call @arg0(%[[I]], %[[J]])
// CHECK-DAG:   %[[Z:.*]] = arith.constant 0 : i32
// CHECK-DAG:   hl.call @arg1(%[[Z]], %[[J]])
// CHECK: hl.func @mul
// CHECK:   hl.call @constant()
func @binary(%x: tensor<3x4xf32>, %y: tensor<1x4xf32>) -> tensor<3x4xf32> {
  %c = nn.constant dense<2.0> : tensor<f32>
  %0 = nn.add %x, %y : (tensor<3x4xf32>, tensor<1x4xf32>) -> tensor<3x4xf32>
  %1 = nn.mul %0, %c : (tensor<3x4xf32>, tensor<f32>) -> tensor<3x4xf32>
  return %1 : tensor<3x4xf32>
}

// A non-splat constant and the position table become embedded buffers.
// CHECK-LABEL: hl.pipeline @constants
// CHECK: hl.buffer @constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: hl.buffer @positions dense<{{\[}}[0.000000e+00, 1.000000e+00], [0.841470957, 0.540302277]]> : tensor<2x2xf32>
func @constants() -> (tensor<2xf32>, tensor<2x2xf32>) {
  %c = nn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %p = nn.sinusoidal_positions {length = 2, dim = 2} : tensor<2x2xf32>
  return %c, %p : tensor<2xf32>, tensor<2x2xf32>
}
