// RUN: nncc-opt %s -nn-linear-to-matmul | FileCheck %s

// A constant weight [out, in] is transposed at compile time and the layer
// becomes a matmul plus the bias.
// CHECK-LABEL: func @constant_weight
// CHECK-NEXT: %[[W:.*]] = nn.constant dense<{{\[\[}}1.000000e+00, 3.000000e+00, 5.000000e+00], [2.000000e+00, 4.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
// CHECK-NEXT: %[[M:.*]] = nn.matmul %arg0, %[[W]] : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
// CHECK-NEXT: %[[A:.*]] = nn.add %[[M]], %arg1
// CHECK-NEXT: return %[[A]]
func @constant_weight(%x: tensor<4x2xf32>, %b: tensor<3xf32>) -> tensor<4x3xf32> {
  %w = nn.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %0 = nn.linear %x, %w, %b : (tensor<4x2xf32>, tensor<3x2xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// A weight given at run time stays a linear layer.
// CHECK-LABEL: func @argument_weight
// CHECK-NEXT: nn.linear
func @argument_weight(%x: tensor<4x2xf32>, %w: tensor<3x2xf32>) -> tensor<4x3xf32> {
  %0 = nn.linear %x, %w : (tensor<4x2xf32>, tensor<3x2xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// A weight of two panels or more (panel-columns=2 here) is packed panel by
// panel, [N/P, K, P] with each panel contiguous, and the product runs per
// panel on the rows as they are ([1, M, K]), its result put back in order.
// RUN: nncc-opt %s -nn-linear-to-matmul="panel-columns=2" | FileCheck %s --check-prefix=PACKED
// PACKED-LABEL: func @packed
// PACKED: %[[P:.*]] = nn.constant dense<{{\[\[\[}}1.000000e+00, 3.000000e+00], [2.000000e+00, 4.000000e+00]], {{\[\[}}5.000000e+00, 7.000000e+00], [6.000000e+00, 8.000000e+00]]]> : tensor<2x2x2xf32>
// PACKED: %[[M:.*]] = nn.matmul %arg0, %[[P]] : (tensor<1x3x2xf32>, tensor<2x2x2xf32>) -> tensor<2x3x2xf32>
// PACKED-NEXT: %[[T:.*]] = nn.permute %[[M]] {dims = [1, 0, 2]} : (tensor<2x3x2xf32>) -> tensor<3x2x2xf32>
// PACKED-NEXT: %[[R:.*]] = nn.reshape %[[T]] {shape = [1, 3, 4]} : (tensor<3x2x2xf32>) -> tensor<1x3x4xf32>
// PACKED-NEXT: return %[[R]]
func @packed(%x: tensor<1x3x2xf32>) -> tensor<1x3x4xf32> {
  %w = nn.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %0 = nn.linear %x, %w : (tensor<1x3x2xf32>, tensor<4x2xf32>) -> tensor<1x3x4xf32>
  return %0 : tensor<1x3x4xf32>
}

// Rows between ones ([T, 1, K], a sequence-first export's layout) are
// multiplied as [T, K] rows, not as T batches of one row.
// PACKED-LABEL: func @rows_between_ones
// PACKED: %[[X:.*]] = nn.reshape %arg0 {shape = [3, 2]} : (tensor<3x1x2xf32>) -> tensor<3x2xf32>
// PACKED: nn.matmul %[[X]], %{{.*}} : (tensor<3x2xf32>, tensor<2x2x2xf32>) -> tensor<2x3x2xf32>
// PACKED: %[[Y:.*]] = nn.reshape %{{.*}} {shape = [3, 1, 4]} : (tensor<3x2x2xf32>) -> tensor<3x1x4xf32>
// PACKED-NEXT: return %[[Y]]
func @rows_between_ones(%x: tensor<3x1x2xf32>) -> tensor<3x1x4xf32> {
  %w = nn.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %0 = nn.linear %x, %w : (tensor<3x1x2xf32>, tensor<4x2xf32>) -> tensor<3x1x4xf32>
  return %0 : tensor<3x1x4xf32>
}

// A sum of more than 4096 products is cut into chunks of at most 512 (here
// 12 of 344 for 4128 inputs), each a batch of the product, summed after:
// f32 rounding error grows with the products one accumulator sums.
// RUN: nncc-opt %s -nn-linear-to-matmul | FileCheck %s --check-prefix=CHUNKED
// CHUNKED-LABEL: func @long_sum
// CHUNKED: %[[X:.*]] = nn.reshape %arg0 {shape = [1, 12, 344]}
// CHUNKED: %[[P:.*]] = nn.permute %[[X]] {dims = [1, 0, 2]} : (tensor<1x12x344xf32>) -> tensor<12x1x344xf32>
// CHUNKED: %[[M:.*]] = nn.matmul %[[P]], %{{.*}} : (tensor<12x1x344xf32>, tensor<12x344x2xf32>) -> tensor<12x1x2xf32>
// CHUNKED: %[[S:.*]] = nn.sum %[[M]] {axes = [0]} : (tensor<12x1x2xf32>) -> tensor<1x2xf32>
// CHUNKED: nn.add %[[S]], %arg1
func @long_sum(%x: tensor<1x4128xf32>, %b: tensor<2xf32>) -> tensor<1x2xf32> {
  %w = nn.constant dense<0.5> : tensor<2x4128xf32>
  %0 = nn.linear %x, %w, %b : (tensor<1x4128xf32>, tensor<2x4128xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// 8198 inputs have no divisor of 64 to 512 products (2 x 4099): one sum,
// not 4099 chunks of two.
// CHUNKED-LABEL: func @no_chunks
// CHUNKED: nn.matmul %arg0, %{{.*}} : (tensor<1x8198xf32>, tensor<8198x2xf32>) -> tensor<1x2xf32>
// CHUNKED-NOT: nn.sum
func @no_chunks(%x: tensor<1x8198xf32>) -> tensor<1x2xf32> {
  %w = nn.constant dense<0.5> : tensor<2x8198xf32>
  %0 = nn.linear %x, %w : (tensor<1x8198xf32>, tensor<2x8198xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}
