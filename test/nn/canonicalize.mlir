// RUN: nncc-opt %s -canonicalize | FileCheck %s

// CHECK-LABEL: func @reshape_chain
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[R:.*]] = nn.reshape %[[X]] {shape = [4, 6]} : (tensor<2x3x4xf32>) -> tensor<4x6xf32>
// CHECK-NEXT: return %[[R]]
func @reshape_chain(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %0 = nn.reshape %x {shape = [6, 4]} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %1 = nn.reshape %0 {shape = [24]} : (tensor<6x4xf32>) -> tensor<24xf32>
  %2 = nn.reshape %1 {shape = [4, 6]} : (tensor<24xf32>) -> tensor<4x6xf32>
  return %2 : tensor<4x6xf32>
}

// CHECK-LABEL: func @reshape_noop
// CHECK-NEXT: return %arg0
func @reshape_noop(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = nn.reshape %x {shape = [2, -1]} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// A reshape round trip is the identity.
// CHECK-LABEL: func @reshape_roundtrip
// CHECK-NEXT: return %arg0
func @reshape_roundtrip(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = nn.reshape %x {shape = [6]} : (tensor<2x3xf32>) -> tensor<6xf32>
  %1 = nn.reshape %0 {shape = [2, 3]} : (tensor<6xf32>) -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// CHECK-LABEL: func @reshape_constant
// CHECK-NEXT: %[[C:.*]] = nn.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-NEXT: return %[[C]]
func @reshape_constant() -> tensor<2x2xf32> {
  %c = nn.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %0 = nn.reshape %c {shape = [2, 2]} : (tensor<4xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// CHECK-LABEL: func @flatten_is_reshape
// CHECK-NEXT: nn.reshape %arg0 {shape = [2, 12]}
func @flatten_is_reshape(%x: tensor<2x3x4xf32>) -> tensor<2x12xf32> {
  %0 = nn.flatten %x {start = 1, end = 2} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  return %0 : tensor<2x12xf32>
}

// CHECK-LABEL: func @transpose_twice
// CHECK-NEXT: return %arg0
func @transpose_twice(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = nn.transpose %x {dim0 = 0, dim1 = 2} : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  %1 = nn.transpose %0 {dim0 = 2, dim1 = 0} : (tensor<4x3x2xf32>) -> tensor<2x3x4xf32>
  return %1 : tensor<2x3x4xf32>
}

// Different pairs do not cancel.
// CHECK-LABEL: func @transpose_different_pairs
// CHECK-NEXT: nn.transpose
// CHECK-NEXT: nn.transpose
func @transpose_different_pairs(%x: tensor<2x3x4xf32>) -> tensor<3x4x2xf32> {
  %0 = nn.transpose %x {dim0 = 0, dim1 = 1} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  %1 = nn.transpose %0 {dim0 = 1, dim1 = 2} : (tensor<3x2x4xf32>) -> tensor<3x4x2xf32>
  return %1 : tensor<3x4x2xf32>
}

// CHECK-LABEL: func @transpose_same_dim
// CHECK-NEXT: return %arg0
func @transpose_same_dim(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = nn.transpose %x {dim0 = 1, dim1 = 1} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// permute(permute(x, [1, 2, 0]), [2, 0, 1]) is the identity; with [1, 2, 0]
// twice it is permute(x, [2, 0, 1]).
// CHECK-LABEL: func @permute_chain
// CHECK-NEXT: %[[P:.*]] = nn.permute %arg0 {dims = [2, 0, 1]}
// CHECK-NEXT: return %arg0, %[[P]]
func @permute_chain(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<4x2x3xf32>) {
  %0 = nn.permute %x {dims = [1, 2, 0]} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  %1 = nn.permute %0 {dims = [2, 0, 1]} : (tensor<3x4x2xf32>) -> tensor<2x3x4xf32>
  %2 = nn.permute %0 {dims = [1, 2, 0]} : (tensor<3x4x2xf32>) -> tensor<4x2x3xf32>
  return %1, %2 : tensor<2x3x4xf32>, tensor<4x2x3xf32>
}

// CHECK-LABEL: func @trivial_concat_and_slice
// CHECK-NEXT: return %arg0, %arg0
func @trivial_concat_and_slice(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = nn.concat %x {axis = 0} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = nn.slice %x {axis = 1, start = 0, end = 3} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// A permute that moves only dimensions of size 1 is a reshape; one that
// reorders two larger ones is not.
// CHECK-LABEL: func @permute_of_ones
// CHECK-NEXT: %[[R:.*]] = nn.reshape %arg0 {shape = [5, 1, 8]} : (tensor<1x5x8xf32>) -> tensor<5x1x8xf32>
// CHECK-NEXT: %[[P:.*]] = nn.permute %arg1 {dims = [2, 1, 0]}
// CHECK-NEXT: return %[[R]], %[[P]]
func @permute_of_ones(%x: tensor<1x5x8xf32>, %y: tensor<5x1x8xf32>) -> (tensor<5x1x8xf32>, tensor<8x1x5xf32>) {
  %0 = nn.permute %x {dims = [1, 0, 2]} : (tensor<1x5x8xf32>) -> tensor<5x1x8xf32>
  %1 = nn.permute %y {dims = [2, 1, 0]} : (tensor<5x1x8xf32>) -> tensor<8x1x5xf32>
  return %0, %1 : tensor<5x1x8xf32>, tensor<8x1x5xf32>
}

// A concat of a prefix's inputs and more reuses the prefix's concat (the
// longest, defined before), and a pad by nothing is its input.
// CHECK-LABEL: func @concat_prefix
// CHECK-NEXT: %[[A:.*]] = nn.concat %arg0, %arg1 {axis = 1 : i64}
// CHECK-NEXT: %[[B:.*]] = nn.concat %[[A]], %arg2 {axis = 1 : i64}
// CHECK-NEXT: %[[C:.*]] = nn.concat %[[B]], %arg0 {axis = 1 : i64}
// CHECK-NEXT: %[[D:.*]] = nn.concat %arg1, %arg0 {axis = 1 : i64}
// CHECK-NEXT: return %[[A]], %[[B]], %[[C]], %[[D]], %arg0
func @concat_prefix(%a: tensor<1x2xf32>, %b: tensor<1x2xf32>, %c: tensor<1x2xf32>) -> (tensor<1x4xf32>, tensor<1x6xf32>, tensor<1x8xf32>, tensor<1x4xf32>, tensor<1x2xf32>) {
  %0 = nn.concat %a, %b {axis = 1} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  %1 = nn.concat %a, %b, %c {axis = 1} : (tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x6xf32>
  %2 = nn.concat %a, %b, %c, %a {axis = 1} : (tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x8xf32>
  %3 = nn.concat %b, %a {axis = 1} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  %4 = nn.pad %a {mode = "constant", pads = [0, 0, 0, 0], value = 0.0 : f64} : (tensor<1x2xf32>) -> tensor<1x2xf32>
  return %0, %1, %2, %3, %4 : tensor<1x4xf32>, tensor<1x6xf32>, tensor<1x8xf32>, tensor<1x4xf32>, tensor<1x2xf32>
}

// A permute of a constant is folded at compile time (weights re-laid-out
// once): w[o, c] becomes w'[c, o].
// CHECK-LABEL: func @permute_constant
// CHECK-NEXT: %[[C:.*]] = nn.constant dense<{{\[\[}}1.000000e+00, 3.000000e+00, 5.000000e+00], [2.000000e+00, 4.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
// CHECK-NEXT: return %[[C]]
func @permute_constant() -> tensor<2x3xf32> {
  %c = nn.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %0 = nn.permute %c {dims = [1, 0]} : (tensor<3x2xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// conv1d is a conv2d of height 1 between reshapes.
// CHECK-LABEL: func @conv1d
// CHECK: %[[X:.*]] = nn.reshape %arg0 {shape = [2, 6, 1, 29]}
// CHECK: %[[W:.*]] = nn.reshape %arg1 {shape = [8, 3, 1, 5]}
// CHECK: %[[C:.*]] = nn.conv2d %[[X]], %[[W]], %arg2 {dilation = [1, 2], groups = 2 : i64, padding = [0, 1], stride = [1, 2]} : {{.*}} -> tensor<2x8x1x12xf32>
// CHECK: nn.reshape %[[C]] {shape = [2, 8, 12]}
// CHECK-NOT: nn.conv1d
func @conv1d(%x: tensor<2x6x29xf32>, %w: tensor<8x3x5xf32>, %b: tensor<8xf32>) -> tensor<2x8x12xf32> {
  %0 = nn.conv1d %x, %w, %b {stride = 2, padding = 1, dilation = 2, groups = 2} : (tensor<2x6x29xf32>, tensor<8x3x5xf32>, tensor<8xf32>) -> tensor<2x8x12xf32>
  return %0 : tensor<2x8x12xf32>
}
