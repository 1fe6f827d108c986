// RUN: nncc-opt %s -nn-recognize-attention | FileCheck %s

// The seed's matrix form: softmax(q @ transpose(k) * s) @ v.
// CHECK-LABEL: func @scaled
// CHECK-NEXT: %[[A:.*]] = nn.attention %arg0, %arg1, %arg2 {causal = false, scale = 1.250000e-01 : f64}
// CHECK-NEXT: return %[[A]]
func @scaled(%q: tensor<6x64xf32>, %k: tensor<9x64xf32>, %v: tensor<9x32xf32>) -> tensor<6x32xf32> {
  %kt = nn.transpose %k {dim0 = 0, dim1 = 1} : (tensor<9x64xf32>) -> tensor<64x9xf32>
  %s = nn.matmul %q, %kt : (tensor<6x64xf32>, tensor<64x9xf32>) -> tensor<6x9xf32>
  %c = nn.constant dense<0.125> : tensor<f32>
  %ss = nn.mul %s, %c : (tensor<6x9xf32>, tensor<f32>) -> tensor<6x9xf32>
  %p = nn.softmax %ss {axis = 1} : (tensor<6x9xf32>) -> tensor<6x9xf32>
  %o = nn.matmul %p, %v : (tensor<6x9xf32>, tensor<9x32xf32>) -> tensor<6x32xf32>
  return %o : tensor<6x32xf32>
}

// Batched, divided by a constant, k transposed by a permute, no other uses.
// CHECK-LABEL: func @batched
// CHECK: nn.attention %arg0, %arg1, %arg1 {causal = false, scale = 2.500000e-01 : f64}
// CHECK-NOT: nn.softmax
func @batched(%q: tensor<2x5x16xf32>, %k: tensor<2x7x16xf32>) -> tensor<2x5x16xf32> {
  %kt = nn.permute %k {dims = [0, 2, 1]} : (tensor<2x7x16xf32>) -> tensor<2x16x7xf32>
  %s = nn.matmul %q, %kt : (tensor<2x5x16xf32>, tensor<2x16x7xf32>) -> tensor<2x5x7xf32>
  %c = nn.constant dense<4.0> : tensor<f32>
  %ss = nn.div %s, %c : (tensor<2x5x7xf32>, tensor<f32>) -> tensor<2x5x7xf32>
  %p = nn.softmax %ss {axis = 2} : (tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %o = nn.matmul %p, %k : (tensor<2x5x7xf32>, tensor<2x7x16xf32>) -> tensor<2x5x16xf32>
  return %o : tensor<2x5x16xf32>
}

// Unscaled.
// CHECK-LABEL: func @unscaled
// CHECK: nn.attention {{.*}}scale = 1.000000e+00
func @unscaled(%q: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %kt = nn.transpose %q {dim0 = 1, dim1 = 0} : (tensor<4x8xf32>) -> tensor<8x4xf32>
  %s = nn.matmul %q, %kt : (tensor<4x8xf32>, tensor<8x4xf32>) -> tensor<4x4xf32>
  %p = nn.softmax %s {axis = 1} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  %o = nn.matmul %p, %q : (tensor<4x4xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %o : tensor<4x8xf32>
}

// Not attention: the probabilities are also an output (they must exist), the
// softmax is over the wrong axis, or the scale is not a constant.
// CHECK-LABEL: func @probabilities_used
// CHECK-NOT: nn.attention
// CHECK: return
func @probabilities_used(%q: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x4xf32>) {
  %kt = nn.transpose %q {dim0 = 0, dim1 = 1} : (tensor<4x8xf32>) -> tensor<8x4xf32>
  %s = nn.matmul %q, %kt : (tensor<4x8xf32>, tensor<8x4xf32>) -> tensor<4x4xf32>
  %p = nn.softmax %s {axis = 1} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  %o = nn.matmul %p, %q : (tensor<4x4xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %o, %p : tensor<4x8xf32>, tensor<4x4xf32>
}
// CHECK-LABEL: func @wrong_axis
// CHECK-NOT: nn.attention
// CHECK: return
func @wrong_axis(%q: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %kt = nn.transpose %q {dim0 = 0, dim1 = 1} : (tensor<4x8xf32>) -> tensor<8x4xf32>
  %s = nn.matmul %q, %kt : (tensor<4x8xf32>, tensor<8x4xf32>) -> tensor<4x4xf32>
  %p = nn.softmax %s {axis = 0} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  %o = nn.matmul %p, %q : (tensor<4x4xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %o : tensor<4x8xf32>
}
// CHECK-LABEL: func @tensor_scale
// CHECK-NOT: nn.attention
// CHECK: return
func @tensor_scale(%q: tensor<4x8xf32>, %t: tensor<4x4xf32>) -> tensor<4x8xf32> {
  %kt = nn.transpose %q {dim0 = 0, dim1 = 1} : (tensor<4x8xf32>) -> tensor<8x4xf32>
  %s = nn.matmul %q, %kt : (tensor<4x8xf32>, tensor<8x4xf32>) -> tensor<4x4xf32>
  %ss = nn.mul %s, %t : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %p = nn.softmax %ss {axis = 1} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  %o = nn.matmul %p, %q : (tensor<4x4xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %o : tensor<4x8xf32>
}

// As torch.onnx.export writes nn.MultiheadAttention: heads split by a
// reshape and permute, q divided by sqrt(d) before the product, k^T one
// permute of the split keys ([T, H, D] -> [H, D, T]). k becomes the same
// permute as q's and v's.
// CHECK-LABEL: func @exported_heads
// CHECK: %[[K:.*]] = nn.permute %arg1 {dims = [1, 0, 2]}
// CHECK: nn.attention %{{.*}}, %[[K]], %{{.*}} {causal = false, scale = 1.250000e-01 : f64}
// CHECK-NOT: nn.softmax
func @exported_heads(%q: tensor<5x2x64xf32>, %k: tensor<5x2x64xf32>, %v: tensor<5x2x64xf32>) -> tensor<2x5x64xf32> {
  %qh = nn.permute %q {dims = [1, 0, 2]} : (tensor<5x2x64xf32>) -> tensor<2x5x64xf32>
  %vh = nn.permute %v {dims = [1, 0, 2]} : (tensor<5x2x64xf32>) -> tensor<2x5x64xf32>
  %c = nn.constant dense<8.0> : tensor<f32>
  %qs = nn.div %qh, %c : (tensor<2x5x64xf32>, tensor<f32>) -> tensor<2x5x64xf32>
  %kt = nn.permute %k {dims = [1, 2, 0]} : (tensor<5x2x64xf32>) -> tensor<2x64x5xf32>
  %s = nn.matmul %qs, %kt : (tensor<2x5x64xf32>, tensor<2x64x5xf32>) -> tensor<2x5x5xf32>
  %p = nn.softmax %s {axis = 2} : (tensor<2x5x5xf32>) -> tensor<2x5x5xf32>
  %o = nn.matmul %p, %vh : (tensor<2x5x5xf32>, tensor<2x5x64xf32>) -> tensor<2x5x64xf32>
  return %o : tensor<2x5x64xf32>
}

// Scales on q and on k^T multiply.
// CHECK-LABEL: func @scaled_operands
// CHECK: nn.attention %arg0, %arg1, %arg1 {causal = false, scale = 1.250000e-01 : f64}
func @scaled_operands(%q: tensor<4x8xf32>, %k: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c = nn.constant dense<0.5> : tensor<f32>
  %d = nn.constant dense<4.0> : tensor<f32>
  %qs = nn.mul %c, %q : (tensor<f32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %kt = nn.transpose %k {dim0 = 0, dim1 = 1} : (tensor<4x8xf32>) -> tensor<8x4xf32>
  %ks = nn.div %kt, %d : (tensor<8x4xf32>, tensor<f32>) -> tensor<8x4xf32>
  %s = nn.matmul %qs, %ks : (tensor<4x8xf32>, tensor<8x4xf32>) -> tensor<4x4xf32>
  %p = nn.softmax %s {axis = 1} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  %o = nn.matmul %p, %k : (tensor<4x4xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %o : tensor<4x8xf32>
}
