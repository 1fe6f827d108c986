// RUN: nncc-opt %s -canonicalize | FileCheck %s

// Data movement of constants happens at compile time: a slice of a stacked
// weight (nn.MultiheadAttention's in_proj_weight), a transpose, a concat.
// CHECK-LABEL: func @slice_of_constant
// CHECK-NEXT: %[[C:.*]] = nn.constant dense<{{\[\[}}3.000000e+00, 4.000000e+00], [5.000000e+00, 6.000000e+00]]> : tensor<2x2xf32>
// CHECK-NEXT: return %[[C]]
func @slice_of_constant() -> tensor<2x2xf32> {
  %w = nn.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %0 = nn.slice %w {axis = 0, start = 1, end = 3} : (tensor<3x2xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// CHECK-LABEL: func @slice_inner_axis
// CHECK-NEXT: nn.constant dense<{{\[\[}}2.000000e+00], [4.000000e+00], [6.000000e+00]]> : tensor<3x1xf32>
func @slice_inner_axis() -> tensor<3x1xf32> {
  %w = nn.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %0 = nn.slice %w {axis = 1, start = 1, end = 2} : (tensor<3x2xf32>) -> tensor<3x1xf32>
  return %0 : tensor<3x1xf32>
}

// Every second row from the first: x[0::2].
// CHECK-LABEL: func @strided_slice
// CHECK-NEXT: nn.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [5.000000e+00, 6.000000e+00]]> : tensor<2x2xf32>
func @strided_slice() -> tensor<2x2xf32> {
  %w = nn.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %0 = nn.slice %w {axis = 0, start = 0, end = 3, step = 2} : (tensor<3x2xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// CHECK-LABEL: func @transpose_of_constant
// CHECK-NEXT: nn.constant dense<{{\[\[}}1.000000e+00, 3.000000e+00, 5.000000e+00], [2.000000e+00, 4.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
func @transpose_of_constant() -> tensor<2x3xf32> {
  %w = nn.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %0 = nn.transpose %w {dim0 = 1, dim1 = 0} : (tensor<3x2xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// Along an inner axis the parts interleave row by row.
// CHECK-LABEL: func @concat_of_constants
// CHECK-NEXT: nn.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00, 7.000000e+00], [3.000000e+00, 4.000000e+00, 8.000000e+00]]> : tensor<2x3xf32>
func @concat_of_constants() -> tensor<2x3xf32> {
  %a = nn.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b = nn.constant dense<[[7.0], [8.0]]> : tensor<2x1xf32>
  %0 = nn.concat %a, %b {axis = 1} : (tensor<2x2xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// A concat with a run-time operand stays.
// CHECK-LABEL: func @concat_with_argument
// CHECK: nn.concat
func @concat_with_argument(%x: tensor<2x1xf32>) -> tensor<2x3xf32> {
  %a = nn.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %0 = nn.concat %a, %x {axis = 1} : (tensor<2x2xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// Elementwise arithmetic broadcasts as at run time: [2, 1] by [3].
// CHECK-LABEL: func @broadcast_arithmetic
// CHECK-NEXT: nn.constant dense<{{\[\[}}1.100000e+01, 2.100000e+01, 3.100000e+01], [1.200000e+01, 2.200000e+01, 3.200000e+01]]> : tensor<2x3xf32>
func @broadcast_arithmetic() -> tensor<2x3xf32> {
  %a = nn.constant dense<[[1.0], [2.0]]> : tensor<2x1xf32>
  %b = nn.constant dense<[10.0, 20.0, 30.0]> : tensor<3xf32>
  %0 = nn.add %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func @sub_mul_div
// CHECK-NEXT: nn.constant dense<[-2.000000e+00, 1.000000e+00]> : tensor<2xf32>
func @sub_mul_div() -> tensor<2xf32> {
  %a = nn.constant dense<[1.0, 4.0]> : tensor<2xf32>
  %b = nn.constant dense<[2.0, 2.0]> : tensor<2xf32>
  %0 = nn.sub %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %1 = nn.mul %0, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %2 = nn.div %1, %a : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %2 : tensor<2xf32>
}

// Unary ops: sqrt(4) = 2, relu(-1) = 0, -3, exp(0) = 1, tanh(0) = 0,
// sigmoid(0) = 0.5, gelu(0) = 0.
// CHECK-LABEL: func @unary
// CHECK-NEXT: nn.constant dense<[2.000000e+00, 0.000000e+00, -3.000000e+00, 1.000000e+00, 0.000000e+00, 5.000000e-01, 0.000000e+00]> : tensor<7xf32>
func @unary() -> tensor<7xf32> {
  %a = nn.constant dense<[4.0]> : tensor<1xf32>
  %b = nn.constant dense<[-1.0]> : tensor<1xf32>
  %c = nn.constant dense<[3.0]> : tensor<1xf32>
  %z = nn.constant dense<[0.0]> : tensor<1xf32>
  %0 = nn.sqrt %a : tensor<1xf32>
  %1 = nn.relu %b : tensor<1xf32>
  %2 = nn.neg %c : tensor<1xf32>
  %3 = nn.exp %z : tensor<1xf32>
  %4 = nn.tanh %z : tensor<1xf32>
  %5 = nn.sigmoid %z : tensor<1xf32>
  %6 = nn.gelu %z : tensor<1xf32>
  %r = nn.concat %0, %1, %2, %3, %4, %5, %6 {axis = 0} : (tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<7xf32>
  return %r : tensor<7xf32>
}

// relu keeps NaN, as PyTorch's does.
// CHECK-LABEL: func @relu_nan
// CHECK-NEXT: nn.constant dense<0x7FC00000> : tensor<1xf32>
func @relu_nan() -> tensor<1xf32> {
  %a = nn.constant dense<0x7FC00000> : tensor<1xf32>
  %0 = nn.relu %a : tensor<1xf32>
  return %0 : tensor<1xf32>
}

// clamp: the lower bound first, so with min > max every element is max.
// CHECK-LABEL: func @clamp
// CHECK-DAG: %[[A:.*]] = nn.constant dense<[-1.000000e+00, 5.000000e-01, 2.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[B:.*]] = nn.constant dense<-1.000000e+00> : tensor<3xf32>
// CHECK: return %[[A]], %[[B]]
func @clamp() -> (tensor<3xf32>, tensor<3xf32>) {
  %a = nn.constant dense<[-3.0, 0.5, 7.0]> : tensor<3xf32>
  %0 = nn.clamp %a {min = -1.0 : f64, max = 2.0 : f64} : tensor<3xf32>
  %1 = nn.clamp %a {min = 1.0 : f64, max = -1.0 : f64} : tensor<3xf32>
  return %0, %1 : tensor<3xf32>, tensor<3xf32>
}

// The ops of three operands fold too, with broadcasting: where(c, a, b)
// picks a where c != 0 (NaN included); ge gives 1 or 0.
// CHECK-LABEL: func @where_ge
// CHECK-DAG: %[[W:.*]] = nn.constant dense<[1.000000e+00, 5.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[G:.*]] = nn.constant dense<[1.000000e+00, 1.000000e+00, 0.000000e+00]> : tensor<3xf32>
// CHECK: return %[[W]], %[[G]]
func @where_ge() -> (tensor<3xf32>, tensor<3xf32>) {
  %c = nn.constant dense<[1.0, 0.0, 0x7FC00000]> : tensor<3xf32>
  %a = nn.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %b = nn.constant dense<5.0> : tensor<f32>
  %0 = nn.where %c, %a, %b : (tensor<3xf32>, tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  %1 = nn.ge %a, %c : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0, %1 : tensor<3xf32>, tensor<3xf32>
}
