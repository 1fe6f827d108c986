// RUN: nncc-opt %s -convert-nn-to-hl | FileCheck %s

// Full attention: scores over every key, no visibility test; a row that
// sees nothing (row sum 0) gives 0. Every stage is tagged with its group.
// CHECK-LABEL: hl.pipeline @full
// CHECK: hl.func @scores ["d0", "d1", "d2"] [2, 10, 7] attributes {hl.attention = "attention"}
// CHECK: hl.update @scores ["c"] [0] [16]
// CHECK: hl.update @scores [] [] []
// CHECK: hl.func @row_max ["d0", "d1"] [2, 10]
// CHECK: hl.func @weights
// CHECK-NOT: hl.select
// CHECK: hl.func @row_sum
// CHECK: hl.func @weighted ["d0", "d1", "d2"] [2, 10, 12]
// CHECK: hl.func @attention ["d0", "d1", "d2"] [2, 10, 12] attributes {hl.attention = "attention"}
// CHECK:   arith.cmpf ogt
// CHECK:   hl.select
func @full(%q: tensor<2x10x16xf32>, %k: tensor<2x7x16xf32>, %v: tensor<2x7x12xf32>) -> tensor<2x10x12xf32> {
  %0 = nn.attention %q, %k, %v {scale = 0.25} : (tensor<2x10x16xf32>, tensor<2x7x16xf32>, tensor<2x7x12xf32>) -> tensor<2x10x12xf32>
  return %0 : tensor<2x10x12xf32>
}

// A window w iterates 2w + 8 keys (rounded up to 16) per aligned group of 8
// queries, not T: linear in T. Each query hides the keys outside the
// sequence and outside its own window.
// CHECK-LABEL: hl.pipeline @window
// CHECK: hl.func @scores ["d0", "d1"] [4096, 144]
// CHECK: hl.update @row_max ["r"] [0] [144]
// CHECK:   arith.floordivsi %arg0, %c8_i32
// CHECK:   arith.cmpi slt
// CHECK:   arith.cmpi sge
// CHECK:   arith.cmpi sge
// CHECK:   arith.cmpi sle
// CHECK: hl.func @attention ["d0", "d1"] [4096, 32] attributes {hl.attention = "attention", hl.row_group = 8 : i64}
func @window(%x: tensor<4096x32xf32>) -> tensor<4096x32xf32> {
  %0 = nn.attention %x, %x, %x {scale = 0.2, window = 64} : (tensor<4096x32xf32>, tensor<4096x32xf32>, tensor<4096x32xf32>) -> tensor<4096x32xf32>
  return %0 : tensor<4096x32xf32>
}

// A constant mask becomes compressed rows: the key domain is the widest row
// (here 2 of 4 keys) and keys are read through the column array.
// CHECK-LABEL: hl.pipeline @graph
// CHECK: hl.buffer @mask_rows dense<[0.000000e+00, 1.000000e+00, 3.000000e+00, 3.000000e+00, 4.000000e+00]>
// CHECK: hl.buffer @mask_columns dense<[1.000000e+00, 0.000000e+00, 3.000000e+00, 2.000000e+00]>
// CHECK: hl.buffer @mask_degrees dense<[1.000000e+00, 2.000000e+00, 0.000000e+00, 1.000000e+00]>
// CHECK: hl.func @scores ["d0", "d1"] [4, 2]
// CHECK:   hl.call @mask_columns(
func @graph(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %m = nn.constant dense<[[0.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]]> : tensor<4x4xf32>
  %0 = nn.attention %x, %x, %x, %m {scale = 0.35} : (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x4xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// multi_head_attention: projections, heads split by reshape + permute,
// attention over [heads, T, D/heads] with scale 1/sqrt(D/heads), merge, and
// the output projection.
// CHECK-LABEL: hl.pipeline @mha
// CHECK-COUNT-3: hl.update @linear{{.*}} ["k"] [0] [64]
// CHECK: hl.func @scores{{.*}} ["d0", "d1", "d2"] [8, 10, 10]
// CHECK: hl.update @scores{{.*}} [] [] []
// CHECK:   arith.constant 0.353553385 : f32
// CHECK: hl.func @attention{{.*}} [8, 10, 8]
// CHECK: hl.update @linear{{.*}} ["k"] [0] [64]
// CHECK: hl.output
func @mha(%x: tensor<10x64xf32>, %w: tensor<64x64xf32>) -> tensor<10x64xf32> {
  %0 = nn.multi_head_attention %x, %w, %w, %w, %w {heads = 8} : (tensor<10x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<10x64xf32>
  return %0 : tensor<10x64xf32>
}
