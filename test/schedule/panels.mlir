// RUN: nncc-opt %s -convert-nn-to-hl -hl-schedule="vector-width=16 registers=32 l2-bytes=524288" | FileCheck %s
// RUN: nncc-opt %s -convert-nn-to-hl -hl-schedule="vector-width=16 registers=32 l2-bytes=2097152" | FileCheck %s --check-prefix=BIG

// A 3x3 conv of 256 channels on a 7x7 image: a block of 64 output channels
// multiplies 9 x 256 x 64 weights (576 KB), more than half of a 512 KB L2.
// Its reduction runs in panels of 16 input channels (9 x 16 x 64 weights,
// 36 KB, at most an eighth of the L2) outside the blocks of positions, so
// every block reads the panel from cache; one task per channel block. The
// conv is computed at root rather than per row inside relu, which would
// stream all of its weights for every row.
// CHECK-LABEL: hl.pipeline @small_image_large_weights
// CHECK-DAG: hl.split @conv2d stage 1 "rc" into "rco", "rci" by 16
// CHECK-DAG: hl.reorder @conv2d stage 1 ["n", "coo", "rco", "y", "xo", "ry", "rx", "rci", "xi", "coi", "ci"]
// CHECK-DAG: hl.parallel @conv2d stage 1 "coo"
// CHECK-DAG: hl.compute_root @conv2d
// CHECK-NOT: hl.compute_at @conv2d
// With a 2 MB L2 the block's weights stay in cache as they are.
// BIG-LABEL: hl.pipeline @small_image_large_weights
// BIG-NOT: "rco"
// BIG: hl.reorder @conv2d stage 1 ["n", "coo", "y", "xo", "ry", "rx", "rc", "xi", "coi", "ci"]
func @small_image_large_weights(%x: tensor<1x7x7x256xf32> {nn.name = "x"}, %w: tensor<3x3x256x256xf32>) -> tensor<1x7x7x256xf32> {
  %0 = nn.conv2d %x, %w {stride = [1, 1], padding = [1, 1], dilation = [1, 1], groups = 1, channels_last} : (tensor<1x7x7x256xf32>, tensor<3x3x256x256xf32>) -> tensor<1x7x7x256xf32>
  %1 = nn.relu %0 : tensor<1x7x7x256xf32>
  return %1 : tensor<1x7x7x256xf32>
}
