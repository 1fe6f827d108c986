// RUN: nncc-opt %s -convert-nn-to-hl | FileCheck %s

// A reshape maps the result index to a flat position and back with floor
// division and hl.mod (whose range Halide's bounds inference knows).
// CHECK-LABEL: hl.pipeline @reshape
// CHECK: hl.func @reshape ["d0", "d1"] [4, 6] {
// CHECK:   arith.floordivsi
// CHECK:   hl.mod
func @reshape(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %0 = nn.reshape %x {shape = [4, 6]} : (tensor<2x3x4xf32>) -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// CHECK-LABEL: hl.pipeline @permute
// CHECK: hl.func @permute ["d0", "d1", "d2"] [4, 2, 3] {
// CHECK: ^bb0(%[[A:.*]]: i32, %[[B:.*]]: i32, %[[C:.*]]: i32):
// CHECK:   hl.call @arg0(%[[B]], %[[C]], %[[A]])
func @permute(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = nn.permute %x {dims = [2, 0, 1]} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}

// Concat selects by range, each read clamped into its input.
// CHECK-LABEL: hl.pipeline @concat
// CHECK: hl.func @concat ["d0", "d1"] [2, 5] {
// CHECK-DAG: arith.maxsi
// CHECK-DAG: arith.minsi
// CHECK: hl.select
func @concat(%x: tensor<2x3xf32>, %y: tensor<2x2xf32>) -> tensor<2x5xf32> {
  %0 = nn.concat %x, %y {axis = 1} : (tensor<2x3xf32>, tensor<2x2xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// CHECK-LABEL: hl.pipeline @slice
// CHECK: hl.func @slice ["d0", "d1"] [2, 2] {
// CHECK: ^bb0(%[[I:.*]]: i32, %[[J:.*]]: i32):
// CHECK:   %[[ONE:.*]] = arith.constant 1 : i32
// CHECK:   %[[S:.*]] = arith.addi %[[J]], %[[ONE]]
// CHECK:   hl.call @arg0(%[[I]], %[[S]])
func @slice(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %0 = nn.slice %x {axis = 1, start = 1, end = 3} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// A strided slice reads start + step * j.
// CHECK-LABEL: hl.pipeline @strided_slice
// CHECK: hl.func @slice ["d0", "d1"] [2, 3] {
// CHECK: ^bb0(%[[I:.*]]: i32, %[[J:.*]]: i32):
// CHECK:   %[[STEP:.*]] = arith.constant 3 : i32
// CHECK:   %[[M:.*]] = arith.muli %[[J]], %[[STEP]]
// CHECK:   %[[ONE:.*]] = arith.constant 1 : i32
// CHECK:   %[[S:.*]] = arith.addi %[[M]], %[[ONE]]
// CHECK:   hl.call @arg0(%[[I]], %[[S]])
func @strided_slice(%x: tensor<2x9xf32>) -> tensor<2x3xf32> {
  %0 = nn.slice %x {axis = 1, start = 1, end = 9, step = 3} : (tensor<2x9xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// pad: constant padding reads a boundary condition at the shifted index;
// reflect mirrors the index about both edges, (n-1) - |(n-1) - |i||.
// CHECK-LABEL: hl.pipeline @pad
// CHECK: hl.constant_exterior @arg0_padded = @arg0 5.000000e-01
// CHECK: hl.func @pad ["d0", "d1"] [3, 7] {
// CHECK:   hl.call @arg0_padded
// CHECK: hl.func @pad_0 ["d0", "d1"] [2, 7] {
// CHECK:   arith.maxsi
// CHECK:   arith.subi
// CHECK:   arith.maxsi
// CHECK:   arith.subi
// CHECK:   hl.call @arg0(
func @pad(%x: tensor<2x5xf32>) -> (tensor<3x7xf32>, tensor<2x7xf32>) {
  %0 = nn.pad %x {pads = [1, 0, 1, 1], mode = "constant", value = 0.5} : (tensor<2x5xf32>) -> tensor<3x7xf32>
  %1 = nn.pad %x {pads = [0, 0, 2, 0], mode = "reflect", value = 0.0} : (tensor<2x5xf32>) -> tensor<2x7xf32>
  return %0, %1 : tensor<3x7xf32>, tensor<2x7xf32>
}

// An output that is an input (or already an output) gets its own copy func.
// CHECK-LABEL: hl.pipeline @passthrough
// CHECK: hl.func @a ["d0"] [2] {
// CHECK:   hl.call @arg0(
// CHECK: hl.output @a "a" [2]
func @passthrough(%x: tensor<2xf32>) -> (tensor<2xf32> {nn.name = "a"}) {
  return %x : tensor<2xf32>
}

// interpolate, nearest: ATen's f32 source index, floor(s * o) clamped
// (s = 3/5 here); at twice the size, o / 2.
// CHECK-LABEL: hl.pipeline @nearest
// CHECK: hl.func @interpolate ["n", "c", "y", "x"] [1, 1, 5, 6] {
// CHECK:   arith.sitofp
// CHECK:   arith.constant 6.000000e-01 : f32
// CHECK:   arith.mulf
// CHECK:   arith.fptosi
// CHECK:   arith.floordivsi
func @nearest(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x5x6xf32> {
  %0 = nn.interpolate %x {size = [5, 6], mode = "nearest"} : (tensor<1x1x3x3xf32>) -> tensor<1x1x5x6xf32>
  return %0 : tensor<1x1x5x6xf32>
}

// embedding: an i32 input's index, required below the table's rows, picks
// the row; the last variable the column.
// CHECK-LABEL: hl.pipeline @embedding
// CHECK: hl.input @arg0 "arg0" [2, 3] {int32}
// CHECK: hl.func @embedding ["d0", "d1", "d2"] [2, 3, 4] {
// CHECK: ^bb0(%[[A:.*]]: i32, %[[B:.*]]: i32, %[[C:.*]]: i32):
// CHECK:   %[[ROW:.*]] = hl.index @arg0(%[[A]], %[[B]]) below 5
// CHECK:   hl.call @arg1(%[[ROW]], %[[C]])
func @embedding(%ids: tensor<2x3xi32>, %w: tensor<5x4xf32>) -> tensor<2x3x4xf32> {
  %0 = nn.embedding %ids, %w : (tensor<2x3xi32>, tensor<5x4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}
