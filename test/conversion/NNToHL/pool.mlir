// RUN: nncc-opt %s -convert-nn-to-hl | FileCheck %s
// RUN: nncc-opt %s -convert-nn-to-hl | FileCheck %s --check-prefix=TAPS

// A small window is one pure expression over its taps: max pooling pads
// with -inf, and the first tap starts the chain (no -inf initial value).
// CHECK-LABEL: hl.pipeline @max
// CHECK: hl.constant_exterior @arg0_padded = @arg0 0xFF800000
// CHECK: hl.func @max_pool2d ["n", "c", "y", "x"] [1, 2, 4, 4] {
// CHECK-COUNT-8: arith.maxf
// CHECK-NOT: hl.update
// CHECK: hl.output @max_pool2d
// TAPS-LABEL: hl.pipeline @max
// TAPS-COUNT-9: hl.call @arg0_padded
// TAPS-NOT: hl.call
// TAPS: hl.output
// TAPS-LABEL: hl.pipeline @max_large
func @max(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32> {
  %0 = nn.max_pool2d %x {kernel = [3, 3], stride = [2, 2], padding = [1, 1]} : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// A large window stays a reduction that starts from -inf.
// CHECK-LABEL: hl.pipeline @max_large
// CHECK: hl.func @max_pool2d ["n", "c", "y", "x"] [1, 2, 1, 1] {
// CHECK:   arith.constant 0xFF800000 : f32
// CHECK: hl.update @max_pool2d ["ry", "rx"] [0, 0] [5, 5] {
// CHECK:   arith.maxf
func @max_large(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x1x1xf32> {
  %0 = nn.max_pool2d %x {kernel = [5, 5], stride = [5, 5], padding = [0, 0]} : (tensor<1x2x5x5xf32>) -> tensor<1x2x1x1xf32>
  return %0 : tensor<1x2x1x1xf32>
}

// Average pooling sums its taps and multiplies by one over the kernel area.
// CHECK-LABEL: hl.pipeline @avg
// CHECK: hl.func @avg_pool2d ["n", "c", "y", "x"] [1, 2, 4, 4] {
// CHECK-COUNT-3: arith.addf
// CHECK:   arith.constant 2.500000e-01 : f32
// CHECK:   arith.mulf
// CHECK-NOT: hl.update
// CHECK-LABEL: hl.pipeline @global
// CHECK: hl.func @global_avg_pool2d ["n", "c", "y", "x"] [1, 2, 1, 1]
// CHECK: hl.update @global_avg_pool2d ["ry", "rx"] [0, 0] [8, 8]
// CHECK: hl.update @global_avg_pool2d [] [] []
func @avg(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32> {
  %0 = nn.avg_pool2d %x {kernel = [2, 2], stride = [2, 2], padding = [0, 0]} : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}
func @global(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x1x1xf32> {
  %0 = nn.global_avg_pool2d %x : (tensor<1x2x8x8xf32>) -> tensor<1x2x1x1xf32>
  return %0 : tensor<1x2x1x1xf32>
}

// ceil_mode: the last window hangs past the input, so the input is read
// through a padded copy even without padding; count_include_pad=false
// (exclude_pad) divides each window by its taps inside the input:
// min(start + k, in) - max(start, 0) along each dimension.
// CHECK-LABEL: hl.pipeline @ceil_exclude
// CHECK: hl.constant_exterior @arg0_padded = @arg0 0.000000e+00
// CHECK: hl.func @avg_pool2d ["n", "c", "y", "x"] [1, 2, 3, 3] {
// CHECK-COUNT-8: arith.addf
// CHECK:   arith.maxsi
// CHECK:   arith.minsi
// CHECK:   arith.subi
// CHECK:   arith.sitofp
// CHECK:   arith.divf
func @ceil_exclude(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32> {
  %0 = nn.avg_pool2d %x {kernel = [3, 3], stride = [2, 2], padding = [0, 0], ceil_mode, exclude_pad} : (tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// An adaptive pool whose output divides its input is a plain pool (12 ->
// 4: kernel and stride 3); otherwise (13 -> 5) a reduction over the
// largest window, 4 rows, that leaves out taps past each window's end.
// CHECK-LABEL: hl.pipeline @adaptive
// CHECK: hl.func @adaptive_max_pool2d ["n", "c", "y", "x"] [1, 2, 4, 4] {
// CHECK-NOT: hl.update @adaptive_max_pool2d
// CHECK: hl.func @adaptive_avg_pool2d ["n", "c", "y", "x"] [1, 2, 5, 5] {
// CHECK: hl.update @adaptive_avg_pool2d ["ry", "rx"] [0, 0] [4, 4] {
// CHECK:   arith.cmpi slt
// CHECK:   arith.andi
// CHECK:   hl.select
// CHECK: hl.update @adaptive_avg_pool2d [] [] [] {
// CHECK:   arith.divf
func @adaptive(%x: tensor<1x2x12x12xf32>, %y: tensor<1x2x13x13xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x5x5xf32>) {
  %0 = nn.adaptive_max_pool2d %x {size = [4, 4]} : (tensor<1x2x12x12xf32>) -> tensor<1x2x4x4xf32>
  %1 = nn.adaptive_avg_pool2d %y {size = [5, 5]} : (tensor<1x2x13x13xf32>) -> tensor<1x2x5x5xf32>
  return %0, %1 : tensor<1x2x4x4xf32>, tensor<1x2x5x5xf32>
}
