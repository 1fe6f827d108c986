// RUN: nncc-opt %s -convert-nn-to-hl | FileCheck %s

// One reduction variable per reduced axis, the innermost axis's first (it
// is Halide's innermost loop); with keepdim the kept dimension is 1 and
// reads x at the reduction variable. mean scales the sum.
// CHECK-LABEL: hl.pipeline @mean
// CHECK: hl.func @mean ["d0", "d1", "d2"] [2, 1, 1]
// CHECK: hl.update @mean ["r2", "r1"] [0, 0] [4, 3] {
// CHECK: ^bb0(%[[D0:.*]]: i32, %[[D1:.*]]: i32, %[[D2:.*]]: i32, %[[R2:.*]]: i32, %[[R1:.*]]: i32):
// CHECK:   hl.call @arg0(%[[D0]], %[[R1]], %[[R2]])
// CHECK:   arith.addf
// CHECK: hl.update @mean [] [] [] {
// CHECK:   arith.constant 0.0833333358 : f32
func @mean(%x: tensor<2x3x4xf32>) -> tensor<2x1x1xf32> {
  %0 = nn.mean %x {axes = [1, 2], keepdim} : (tensor<2x3x4xf32>) -> tensor<2x1x1xf32>
  return %0 : tensor<2x1x1xf32>
}

// argmax: the NaN-keeping maximum, then the least index where x equals it
// or is NaN (4, past the end, elsewhere).
// CHECK-LABEL: hl.pipeline @argmax
// CHECK: hl.func @amax ["d0"] [3]
// CHECK: hl.update @amax ["r"]
// CHECK:   arith.cmpf uno
// CHECK: hl.func @argmax ["d0"] [3]
// CHECK:   arith.constant 4.000000e+00 : f32
// CHECK: hl.update @argmax ["r"] [0] [4] {
// CHECK: ^bb0(%{{.*}}: i32, %[[R:.*]]: i32):
// CHECK:   %[[EQ:.*]] = arith.cmpf oeq
// CHECK:   %[[NAN:.*]] = arith.cmpf uno
// CHECK:   %[[EITHER:.*]] = arith.ori %[[EQ]], %[[NAN]]
// CHECK:   %[[I:.*]] = arith.sitofp %[[R]] : i32 to f32
// CHECK:   hl.select %[[EITHER]], %[[I]]
// CHECK:   arith.minf
func @argmax(%x: tensor<3x4xf32>) -> tensor<3xf32> {
  %0 = nn.argmax %x {axis = 1} : (tensor<3x4xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
