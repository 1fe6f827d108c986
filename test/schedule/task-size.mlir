// RUN: nncc-opt %s -convert-nn-to-hl -hl-schedule="vector-width=16 registers=32" | FileCheck %s

// A parallel loop's tasks are sized by the work they do, the reductions
// computed inside them included (Halide's thread pool takes a lock per
// task, and a fork and join cost microseconds). A 1x1 conv 64->64 at
// 14x14, computed per row of its relu: 57K FMAs a row, 0.8M in all, so
// tasks of at least 256K FMAs, an even number of them: 2 tasks of 7 rows.
// The conv is still computed per register block of relu, inside its task.
// CHECK-LABEL: hl.pipeline @small_conv
// CHECK-DAG: hl.split @relu stage 0 "c" into "co", "ci" by 7 {tail = "shift_inwards"}
// CHECK-DAG: hl.parallel @relu stage 0 "co"
// CHECK-DAG: hl.compute_at @conv2d at @relu "yo"
// CHECK-NOT: hl.parallel
func @small_conv(%x: tensor<1x14x14x64xf32> {nn.name = "x"}, %w: tensor<1x1x64x64xf32>) -> tensor<1x14x14x64xf32> {
  %0 = nn.conv2d %x, %w {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 1, channels_last} : (tensor<1x14x14x64xf32>, tensor<1x1x64x64xf32>) -> tensor<1x14x14x64xf32>
  %1 = nn.relu %0 : tensor<1x14x14x64xf32>
  return %1 : tensor<1x14x14x64xf32>
}

// At 56x56 (229K FMAs a row, 12.8M in all): tasks of 1M FMAs would be
// fewer than 16, so 16 or more tasks, of whole rows that divide the 56
// evenly: 14 tasks of 4 rows.
// CHECK-LABEL: hl.pipeline @large_conv
// CHECK-DAG: hl.split @relu stage 0 "c" into "co", "ci" by 4 {tail = "shift_inwards"}
// CHECK-DAG: hl.parallel @relu stage 0 "co"
// CHECK-DAG: hl.compute_at @conv2d at @relu "yo"
func @large_conv(%x: tensor<1x56x56x64xf32> {nn.name = "x"}, %w: tensor<1x1x64x64xf32>) -> tensor<1x56x56x64xf32> {
  %0 = nn.conv2d %x, %w {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 1, channels_last} : (tensor<1x56x56x64xf32>, tensor<1x1x64x64xf32>) -> tensor<1x56x56x64xf32>
  %1 = nn.relu %0 : tensor<1x56x56x64xf32>
  return %1 : tensor<1x56x56x64xf32>
}

// A layer norm's mean over 512 columns gathers a vector of 16 rows per
// column: a load per lane, counted as 16 FMAs each. Its 128 x 512 sums,
// 1M FMAs so counted, run in parallel over the blocks of 16 rows; its
// initial value and scaling (128 values each) are too little to fork for.
// CHECK-LABEL: hl.pipeline @layer_norm
// CHECK-DAG: hl.parallel @mean stage 1 "d0o"
// CHECK-NOT: hl.parallel @mean stage 0
// CHECK-NOT: hl.parallel @mean stage 2
func @layer_norm(%x: tensor<128x512xf32>, %g: tensor<512xf32>, %b: tensor<512xf32>) -> tensor<128x512xf32> {
  %0 = nn.layer_norm %x, %g, %b {eps = 1.0e-5} : (tensor<128x512xf32>, tensor<512xf32>, tensor<512xf32>) -> tensor<128x512xf32>
  return %0 : tensor<128x512xf32>
}
