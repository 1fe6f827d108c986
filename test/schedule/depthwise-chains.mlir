// RUN: nncc-opt %s -convert-nn-to-hl -hl-schedule="vector-width=16 registers=32" | FileCheck %s
// RUN: nncc-opt %s -convert-nn-to-hl -hl-schedule="vector-width=16 registers=32 l2-bytes=32768" | FileCheck %s --check-prefix=SMALL

// MobileNet's expansion (1x1, 16 -> 96 channels at 112x112, 6 KB of
// weights) feeds a 3x3 depthwise conv of stride 2 through a padded copy.
// Both run per block of the depthwise conv's consumer's rows: 4 of them,
// whose windows share kH - s = 1 row with the next block (an eighth).
// CHECK-LABEL: hl.pipeline @expand_depthwise
// CHECK-DAG: hl.split @[[C:clamp_[0-9]+]] stage 0 "c" into "co", "ci" by 4
// CHECK-DAG: hl.parallel @[[C]] stage 0 "co"
// CHECK-DAG: hl.compute_at @clamp_padded at @[[C]] "co"
// CHECK-DAG: hl.compute_at @conv2d at @[[C]] "co"
// CHECK-NOT: hl.parallel @conv2d stage
// CHECK-NOT: hl.compute_root @clamp_padded
// Where the expansion's weights outgrow an eighth of the L2 (4 KB here), it
// stays at root.
// SMALL-LABEL: hl.pipeline @expand_depthwise
// SMALL-DAG: hl.compute_root @conv2d
// SMALL-DAG: hl.compute_root @clamp_padded
func @expand_depthwise(%x: tensor<1x112x112x16xf32> {nn.name = "x"}, %we: tensor<1x1x16x96xf32>, %wd: tensor<3x3x1x96xf32>, %wp: tensor<1x1x96x24xf32>) -> tensor<1x56x56x24xf32> {
  %0 = nn.conv2d %x, %we {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 1, channels_last} : (tensor<1x112x112x16xf32>, tensor<1x1x16x96xf32>) -> tensor<1x112x112x96xf32>
  %1 = nn.clamp %0 {min = 0.0 : f64, max = 6.0 : f64} : tensor<1x112x112x96xf32>
  %2 = nn.conv2d %1, %wd {stride = [2, 2], padding = [1, 1], dilation = [1, 1], groups = 96, channels_last} : (tensor<1x112x112x96xf32>, tensor<3x3x1x96xf32>) -> tensor<1x56x56x96xf32>
  %3 = nn.clamp %2 {min = 0.0 : f64, max = 6.0 : f64} : tensor<1x56x56x96xf32>
  %4 = nn.conv2d %3, %wp {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 1, channels_last} : (tensor<1x56x56x96xf32>, tensor<1x1x96x24xf32>) -> tensor<1x56x56x24xf32>
  return %4 : tensor<1x56x56x24xf32>
}
