// RUN: nncc-opt %s -convert-nn-to-hl | FileCheck %s

// CHECK-LABEL: hl.pipeline @linear
// CHECK: hl.func @linear ["d0", "d1", "d2"] [2, 3, 4] {
// CHECK:   hl.call @arg2(
// CHECK: hl.update @linear ["k"] [0] [5] {
// CHECK: ^bb0(%[[A:.*]]: i32, %[[B:.*]]: i32, %[[J:.*]]: i32, %[[K:.*]]: i32):
// CHECK-DAG:   hl.call @arg0(%[[A]], %[[B]], %[[K]])
// CHECK-DAG:   hl.call @arg1(%[[J]], %[[K]])
func @linear(%x: tensor<2x3x5xf32>, %w: tensor<4x5xf32>, %b: tensor<4xf32>) -> tensor<2x3x4xf32> {
  %0 = nn.linear %x, %w, %b : (tensor<2x3x5xf32>, tensor<4x5xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// Batch dimensions broadcast: the size-1 batch of the left operand reads 0.
// CHECK-LABEL: hl.pipeline @matmul
// CHECK: hl.func @matmul ["d0", "d1", "d2"] [7, 2, 3] {
// CHECK: hl.update @matmul ["k"] [0] [4] {
// CHECK: ^bb0(%[[B:.*]]: i32, %[[I:.*]]: i32, %[[J:.*]]: i32, %[[K:.*]]: i32):
// CHECK-DAG:   %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK-DAG:   hl.call @arg0(%[[ZERO]], %[[I]], %[[K]])
// CHECK-DAG:   hl.call @arg1(%[[B]], %[[K]], %[[J]])
func @matmul(%a: tensor<1x2x4xf32>, %b: tensor<7x4x3xf32>) -> tensor<7x2x3xf32> {
  %0 = nn.matmul %a, %b : (tensor<1x2x4xf32>, tensor<7x4x3xf32>) -> tensor<7x2x3xf32>
  return %0 : tensor<7x2x3xf32>
}
