// RUN: nncc-opt %s -nn-hoist-slices | FileCheck %s

// The rows a slice keeps are all that row-wise ops before it compute: the
// slice moves above linear, the elementwise ops, layer_norm and the
// residual add (whose operands are each sliced; the [8] bias broadcasts
// and stays whole), then above the attention along its queries, which
// keeps every row of its input as keys and values.
// CHECK-LABEL: func @class_token
// CHECK-SAME: (%[[X:.*]]: tensor<5x8xf32>, %[[W:.*]]: tensor<8x8xf32>, %[[B:.*]]: tensor<8xf32>)
// CHECK-NEXT: %[[Q:.*]] = nn.slice %[[X]] {axis = 0 : i64, end = 1 : i64, start = 0 : i64} : (tensor<5x8xf32>) -> tensor<1x8xf32>
// CHECK-NEXT: %[[A:.*]] = nn.multi_head_attention %[[Q]], %[[W]], %[[W]], %[[W]], %[[W]] kv %[[X]] {{.*}} -> tensor<1x8xf32>
// CHECK-NEXT: %[[R:.*]] = nn.slice %[[X]] {axis = 0 : i64, end = 1 : i64, start = 0 : i64}
// CHECK-NEXT: %[[S:.*]] = nn.add %[[R]], %[[A]] : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32>
// CHECK-NEXT: %[[N:.*]] = nn.layer_norm %[[S]], %[[B]], %[[B]] {{.*}} -> tensor<1x8xf32>
// CHECK-NEXT: %[[G:.*]] = nn.gelu %[[N]] : tensor<1x8xf32>
// CHECK-NEXT: %[[L:.*]] = nn.linear %[[G]], %[[W]], %[[B]] : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32>
// CHECK-NEXT: %[[Y:.*]] = nn.add %[[L]], %[[B]] : (tensor<1x8xf32>, tensor<8xf32>) -> tensor<1x8xf32>
// CHECK-NEXT: return %[[Y]]
func @class_token(%x: tensor<5x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>) -> tensor<1x8xf32> {
  %0 = nn.multi_head_attention %x, %w, %w, %w, %w {heads = 2 : i64} : (tensor<5x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<5x8xf32>
  %1 = nn.add %x, %0 : (tensor<5x8xf32>, tensor<5x8xf32>) -> tensor<5x8xf32>
  %2 = nn.layer_norm %1, %b, %b {eps = 1.0e-5 : f64} : (tensor<5x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<5x8xf32>
  %3 = nn.gelu %2 : tensor<5x8xf32>
  %4 = nn.linear %3, %w, %b : (tensor<5x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<5x8xf32>
  %5 = nn.add %4, %b : (tensor<5x8xf32>, tensor<8xf32>) -> tensor<5x8xf32>
  %6 = nn.slice %5 {axis = 0, start = 0, end = 1} : (tensor<5x8xf32>) -> tensor<1x8xf32>
  return %6 : tensor<1x8xf32>
}

// The exporter's form of the same: the slice moves through the heads'
// merge (a reshape whose leading axis holds the same rows, a permute that
// moved it) and the attention, along its queries, to the query projection.
// CHECK-LABEL: func @exported_heads
// CHECK-NEXT: %[[X:.*]] = nn.slice %arg0 {axis = 0 : i64, end = 1 : i64, start = 0 : i64} : (tensor<5x8xf32>) -> tensor<1x8xf32>
// CHECK-NEXT: %[[Q:.*]] = nn.linear %[[X]], %arg1 : (tensor<1x8xf32>, tensor<8x8xf32>) -> tensor<1x8xf32>
// CHECK-NEXT: %[[K:.*]] = nn.linear %arg0, %arg1 : (tensor<5x8xf32>, tensor<8x8xf32>) -> tensor<5x8xf32>
// CHECK-NEXT: %[[QR:.*]] = nn.reshape %[[Q]] {shape = [1, 2, 4]}
// CHECK-NEXT: %[[QH:.*]] = nn.permute %[[QR]] {dims = [1, 0, 2]} : (tensor<1x2x4xf32>) -> tensor<2x1x4xf32>
// CHECK-NEXT: %[[KR:.*]] = nn.reshape %[[K]] {shape = [5, 2, 4]}
// CHECK-NEXT: %[[KH:.*]] = nn.permute %[[KR]] {dims = [1, 0, 2]} : (tensor<5x2x4xf32>) -> tensor<2x5x4xf32>
// CHECK-NEXT: %[[A:.*]] = nn.attention %[[QH]], %[[KH]], %[[KH]] {{.*}} -> tensor<2x1x4xf32>
// CHECK-NEXT: %[[M:.*]] = nn.permute %[[A]] {dims = [1, 0, 2]} : (tensor<2x1x4xf32>) -> tensor<1x2x4xf32>
// CHECK-NEXT: %[[Y:.*]] = nn.reshape %[[M]] {shape = [1, 8]}
// CHECK-NEXT: return %[[Y]]
func @exported_heads(%x: tensor<5x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x8xf32> {
  %q = nn.linear %x, %w : (tensor<5x8xf32>, tensor<8x8xf32>) -> tensor<5x8xf32>
  %k = nn.linear %x, %w : (tensor<5x8xf32>, tensor<8x8xf32>) -> tensor<5x8xf32>
  %qr = nn.reshape %q {shape = [5, 2, 4]} : (tensor<5x8xf32>) -> tensor<5x2x4xf32>
  %qh = nn.permute %qr {dims = [1, 0, 2]} : (tensor<5x2x4xf32>) -> tensor<2x5x4xf32>
  %kr = nn.reshape %k {shape = [5, 2, 4]} : (tensor<5x8xf32>) -> tensor<5x2x4xf32>
  %kh = nn.permute %kr {dims = [1, 0, 2]} : (tensor<5x2x4xf32>) -> tensor<2x5x4xf32>
  %a = nn.attention %qh, %kh, %kh {causal = false, scale = 0.5 : f64} : (tensor<2x5x4xf32>, tensor<2x5x4xf32>, tensor<2x5x4xf32>) -> tensor<2x5x4xf32>
  %m = nn.permute %a {dims = [1, 0, 2]} : (tensor<2x5x4xf32>) -> tensor<5x2x4xf32>
  %r = nn.reshape %m {shape = [5, 8]} : (tensor<5x2x4xf32>) -> tensor<5x8xf32>
  %s = nn.slice %r {axis = 0, start = 0, end = 1} : (tensor<5x8xf32>) -> tensor<1x8xf32>
  return %s : tensor<1x8xf32>
}

// A linear sliced only along its last axis (a stacked q, k and v
// projection) splits into one linear per slice, by rows of its weight and
// bias.
// CHECK-LABEL: func @stacked_projection
// CHECK-DAG: %[[W0:.*]] = nn.slice %arg1 {axis = 0 : i64, end = 2 : i64, start = 0 : i64} : (tensor<6x8xf32>) -> tensor<2x8xf32>
// CHECK-DAG: %[[B0:.*]] = nn.slice %arg2 {axis = 0 : i64, end = 2 : i64, start = 0 : i64} : (tensor<6xf32>) -> tensor<2xf32>
// CHECK-DAG: nn.linear %arg0, %[[W0]], %[[B0]] : (tensor<5x8xf32>, tensor<2x8xf32>, tensor<2xf32>) -> tensor<5x2xf32>
// CHECK-DAG: %[[W1:.*]] = nn.slice %arg1 {axis = 0 : i64, end = 6 : i64, start = 2 : i64} : (tensor<6x8xf32>) -> tensor<4x8xf32>
// CHECK-DAG: nn.linear %arg0, %[[W1]], %{{.*}} : (tensor<5x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<5x4xf32>
// CHECK-NOT: tensor<5x6xf32>
func @stacked_projection(%x: tensor<5x8xf32>, %w: tensor<6x8xf32>, %b: tensor<6xf32>) -> (tensor<5x2xf32>, tensor<5x4xf32>) {
  %0 = nn.linear %x, %w, %b : (tensor<5x8xf32>, tensor<6x8xf32>, tensor<6xf32>) -> tensor<5x6xf32>
  %1 = nn.slice %0 {axis = 1, start = 0, end = 2} : (tensor<5x6xf32>) -> tensor<5x2xf32>
  %2 = nn.slice %0 {axis = 1, start = 2, end = 6} : (tensor<5x6xf32>) -> tensor<5x4xf32>
  return %1, %2 : tensor<5x2xf32>, tensor<5x4xf32>
}

// Not moved: along the axis layer_norm normalises, above an op with another
// use, and above a windowed attention (a query's keys depend on its row).
// CHECK-LABEL: func @stays
// CHECK: nn.layer_norm {{.*}} -> tensor<5x8xf32>
// CHECK-NEXT: nn.slice
// CHECK: nn.relu {{.*}} : tensor<5x8xf32>
// CHECK-NEXT: nn.slice
// CHECK: nn.multi_head_attention {{.*}} -> tensor<5x8xf32>
// CHECK-NEXT: nn.slice
func @stays(%x: tensor<5x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>) -> (tensor<5x2xf32>, tensor<1x8xf32>, tensor<5x8xf32>, tensor<1x8xf32>) {
  %0 = nn.layer_norm %x, %b, %b {eps = 1.0e-5 : f64} : (tensor<5x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<5x8xf32>
  %1 = nn.slice %0 {axis = 1, start = 0, end = 2} : (tensor<5x8xf32>) -> tensor<5x2xf32>
  %2 = nn.relu %x : tensor<5x8xf32>
  %3 = nn.slice %2 {axis = 0, start = 0, end = 1} : (tensor<5x8xf32>) -> tensor<1x8xf32>
  %4 = nn.multi_head_attention %x, %w, %w, %w, %w {heads = 2 : i64, window = 1 : i64} : (tensor<5x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<5x8xf32>
  %5 = nn.slice %4 {axis = 0, start = 0, end = 1} : (tensor<5x8xf32>) -> tensor<1x8xf32>
  return %1, %3, %2, %5 : tensor<5x2xf32>, tensor<1x8xf32>, tensor<5x8xf32>, tensor<1x8xf32>
}
