// RUN: nncc-opt %s -nn-recognize-decomposed | FileCheck %s

// F.layer_norm as torch.onnx.export writes it before opset 17.
// CHECK-LABEL: func @layer_norm
// CHECK: %[[Y:.*]] = nn.layer_norm %arg0, %arg1, %arg2 {eps = 9.99999974{{[0-9]*}}E-6 : f64}
// CHECK-NEXT: return %[[Y]]
func @layer_norm(%x: tensor<2x5x8xf32>, %w: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<2x5x8xf32> {
  %two = nn.constant dense<2.0> : tensor<f32>
  %eps = nn.constant dense<1.0e-5> : tensor<f32>
  %m = nn.mean %x {axes = [2], keepdim} : (tensor<2x5x8xf32>) -> tensor<2x5x1xf32>
  %d = nn.sub %x, %m : (tensor<2x5x8xf32>, tensor<2x5x1xf32>) -> tensor<2x5x8xf32>
  %p = nn.pow %d, %two : (tensor<2x5x8xf32>, tensor<f32>) -> tensor<2x5x8xf32>
  %v = nn.mean %p {axes = [2], keepdim} : (tensor<2x5x8xf32>) -> tensor<2x5x1xf32>
  %ve = nn.add %v, %eps : (tensor<2x5x1xf32>, tensor<f32>) -> tensor<2x5x1xf32>
  %s = nn.sqrt %ve : tensor<2x5x1xf32>
  %n = nn.div %d, %s : (tensor<2x5x8xf32>, tensor<2x5x1xf32>) -> tensor<2x5x8xf32>
  %nw = nn.mul %w, %n : (tensor<8xf32>, tensor<2x5x8xf32>) -> tensor<2x5x8xf32>
  %y = nn.add %nw, %b : (tensor<2x5x8xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
  return %y : tensor<2x5x8xf32>
}

// Over another axis than the last, the pattern is not F.layer_norm's.
// CHECK-LABEL: func @over_axis_1
// CHECK-NOT: nn.layer_norm
func @over_axis_1(%x: tensor<2x8x8xf32>, %w: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<2x8x8xf32> {
  %two = nn.constant dense<2.0> : tensor<f32>
  %eps = nn.constant dense<1.0e-5> : tensor<f32>
  %m = nn.mean %x {axes = [1], keepdim} : (tensor<2x8x8xf32>) -> tensor<2x1x8xf32>
  %d = nn.sub %x, %m : (tensor<2x8x8xf32>, tensor<2x1x8xf32>) -> tensor<2x8x8xf32>
  %p = nn.pow %d, %two : (tensor<2x8x8xf32>, tensor<f32>) -> tensor<2x8x8xf32>
  %v = nn.mean %p {axes = [1], keepdim} : (tensor<2x8x8xf32>) -> tensor<2x1x8xf32>
  %ve = nn.add %v, %eps : (tensor<2x1x8xf32>, tensor<f32>) -> tensor<2x1x8xf32>
  %s = nn.sqrt %ve : tensor<2x1x8xf32>
  %n = nn.div %d, %s : (tensor<2x8x8xf32>, tensor<2x1x8xf32>) -> tensor<2x8x8xf32>
  %nw = nn.mul %n, %w : (tensor<2x8x8xf32>, tensor<8xf32>) -> tensor<2x8x8xf32>
  %y = nn.add %nw, %b : (tensor<2x8x8xf32>, tensor<8xf32>) -> tensor<2x8x8xf32>
  return %y : tensor<2x8x8xf32>
}

// F.gelu (exact): x * (erf(x / sqrt(2)) + 1) * 0.5.
// CHECK-LABEL: func @gelu
// CHECK: %[[Y:.*]] = nn.gelu %arg0 : tensor<4x6xf32>
// CHECK-NEXT: return %[[Y]]
func @gelu(%x: tensor<4x6xf32>) -> tensor<4x6xf32> {
  %r2 = nn.constant dense<1.41421354> : tensor<f32>
  %one = nn.constant dense<1.0> : tensor<f32>
  %half = nn.constant dense<0.5> : tensor<f32>
  %d = nn.div %x, %r2 : (tensor<4x6xf32>, tensor<f32>) -> tensor<4x6xf32>
  %e = nn.erf %d : tensor<4x6xf32>
  %a = nn.add %e, %one : (tensor<4x6xf32>, tensor<f32>) -> tensor<4x6xf32>
  %m = nn.mul %x, %a : (tensor<4x6xf32>, tensor<4x6xf32>) -> tensor<4x6xf32>
  %y = nn.mul %m, %half : (tensor<4x6xf32>, tensor<f32>) -> tensor<4x6xf32>
  return %y : tensor<4x6xf32>
}

// With 0.4 for 0.5 it is not GELU.
// CHECK-LABEL: func @not_gelu
// CHECK-NOT: nn.gelu
func @not_gelu(%x: tensor<4x6xf32>) -> tensor<4x6xf32> {
  %r2 = nn.constant dense<1.41421354> : tensor<f32>
  %one = nn.constant dense<1.0> : tensor<f32>
  %c = nn.constant dense<0.4> : tensor<f32>
  %d = nn.div %x, %r2 : (tensor<4x6xf32>, tensor<f32>) -> tensor<4x6xf32>
  %e = nn.erf %d : tensor<4x6xf32>
  %a = nn.add %one, %e : (tensor<f32>, tensor<4x6xf32>) -> tensor<4x6xf32>
  %m = nn.mul %a, %x : (tensor<4x6xf32>, tensor<4x6xf32>) -> tensor<4x6xf32>
  %y = nn.mul %c, %m : (tensor<f32>, tensor<4x6xf32>) -> tensor<4x6xf32>
  return %y : tensor<4x6xf32>
}

// F.linear on a 3-D input, exported as MatMul by the transposed weight:
// a linear by the weight again (the transpose folds).
// CHECK-LABEL: func @matmul_by_constant
// CHECK: %[[W:.*]] = nn.constant dense<{{\[\[}}1.000000e+00, 3.000000e+00], [2.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-NEXT: %[[Y:.*]] = nn.linear %arg0, %[[W]] : (tensor<3x5x2xf32>, tensor<2x2xf32>) -> tensor<3x5x2xf32>
// CHECK-NEXT: return %[[Y]]
func @matmul_by_constant(%x: tensor<3x5x2xf32>) -> tensor<3x5x2xf32> {
  %w = nn.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %y = nn.matmul %x, %w : (tensor<3x5x2xf32>, tensor<2x2xf32>) -> tensor<3x5x2xf32>
  return %y : tensor<3x5x2xf32>
}

// A product of two activations stays a matmul.
// CHECK-LABEL: func @matmul_of_activations
// CHECK-NEXT: nn.matmul
func @matmul_of_activations(%x: tensor<3x2xf32>, %w: tensor<2x2xf32>) -> tensor<3x2xf32> {
  %y = nn.matmul %x, %w : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}
