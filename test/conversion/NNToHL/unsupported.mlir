// RUN: not nncc-opt %s -convert-nn-to-hl 2>&1 | FileCheck %s
// Attention has no lowering yet: a located error, not a crash.
// CHECK: error: attention is not supported by code generation yet
func @f(%q: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = nn.attention %q, %q, %q {scale = 0.35} : (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
