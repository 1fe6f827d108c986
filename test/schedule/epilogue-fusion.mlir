// RUN: nncc-opt %s -convert-nn-to-hl -hl-schedule="vector-width=16 registers=32 l2-bytes=1048576" | FileCheck %s

// A residual block's end: relu(conv(x) + skip(x)), the add inlined into
// the relu. Both reductions, read at the relu's own coordinates through
// the add, are computed per block of the relu's rows, inside its parallel
// loop, while the block is in cache; neither has a parallel loop of its
// own.
// CHECK-LABEL: hl.pipeline @residual
// CHECK-DAG: hl.compute_inline @add
// CHECK-DAG: hl.compute_at @conv2d at @relu "c"
// CHECK-DAG: hl.compute_at @conv2d_0 at @relu "c"
// CHECK-DAG: hl.parallel @relu stage 0 "c"
// CHECK-NOT: hl.parallel @conv2d
func @residual(%x: tensor<1x14x14x64xf32> {nn.name = "x"}, %w: tensor<3x3x64x64xf32>, %s: tensor<1x1x64x64xf32>) -> tensor<1x14x14x64xf32> {
  %0 = nn.conv2d %x, %w {stride = [1, 1], padding = [1, 1], dilation = [1, 1], groups = 1, channels_last} : (tensor<1x14x14x64xf32>, tensor<3x3x64x64xf32>) -> tensor<1x14x14x64xf32>
  %1 = nn.conv2d %x, %s {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 1, channels_last} : (tensor<1x14x14x64xf32>, tensor<1x1x64x64xf32>) -> tensor<1x14x14x64xf32>
  %2 = nn.add %0, %1 : (tensor<1x14x14x64xf32>, tensor<1x14x14x64xf32>) -> tensor<1x14x14x64xf32>
  %3 = nn.relu %2 : tensor<1x14x14x64xf32>
  return %3 : tensor<1x14x14x64xf32>
}

// 512 x 512 weights (1 MB), more than half the L2: computed per block of
// the relu's rows, the conv would read all of them for every block. It is
// computed at root, in parallel, each block of channels over all rows.
// CHECK-LABEL: hl.pipeline @large_weights
// CHECK-DAG: hl.compute_root @conv2d
// CHECK-DAG: hl.parallel @conv2d stage 1
// CHECK-NOT: hl.compute_at @conv2d
func @large_weights(%x: tensor<1x14x14x512xf32> {nn.name = "x"}, %w: tensor<1x1x512x512xf32>) -> tensor<1x14x14x512xf32> {
  %0 = nn.conv2d %x, %w {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 1, channels_last} : (tensor<1x14x14x512xf32>, tensor<1x1x512x512xf32>) -> tensor<1x14x14x512xf32>
  %1 = nn.relu %0 : tensor<1x14x14x512xf32>
  return %1 : tensor<1x14x14x512xf32>
}

// A consumer that reads the conv at other coordinates (a transpose here)
// is not an epilogue: the conv stays at root.
// CHECK-LABEL: hl.pipeline @not_elementwise
// CHECK-DAG: hl.compute_root @conv2d
// CHECK-NOT: hl.compute_at @conv2d
func @not_elementwise(%x: tensor<1x8x8x16xf32> {nn.name = "x"}, %w: tensor<1x1x16x16xf32>) -> tensor<1x8x8x16xf32> {
  %0 = nn.conv2d %x, %w {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 1, channels_last} : (tensor<1x8x8x16xf32>, tensor<1x1x16x16xf32>) -> tensor<1x8x8x16xf32>
  %1 = nn.relu %0 : tensor<1x8x8x16xf32>
  %2 = nn.transpose %1 {dim0 = 1, dim1 = 2} : (tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  return %2 : tensor<1x8x8x16xf32>
}
