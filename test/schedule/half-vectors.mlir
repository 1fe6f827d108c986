// RUN: nncc-opt %s -convert-nn-to-hl -hl-schedule="vector-width=16 registers=32" | FileCheck %s

// 24 output channels on 16-lane vectors would leave a third of every
// second vector masked off: the reduction runs on 8-lane vectors instead,
// 3 of them per register block, as many registers of either size.
// CHECK-LABEL: hl.pipeline @projection
// CHECK-DAG: hl.split @conv2d stage 1 "c" into "co", "ci" by 8
// CHECK-DAG: hl.split @conv2d stage 1 "co" into "coo", "coi" by 3
// CHECK-DAG: hl.vectorize @conv2d stage 1 "ci"
// A width that whole vectors divide keeps them.
// CHECK-LABEL: hl.pipeline @wide
// CHECK-DAG: hl.split @conv2d stage 1 "c" into "co", "ci" by 16
func @projection(%x: tensor<1x14x14x96xf32> {nn.name = "x"}, %w: tensor<1x1x96x24xf32>) -> tensor<1x14x14x24xf32> {
  %0 = nn.conv2d %x, %w {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 1, channels_last} : (tensor<1x14x14x96xf32>, tensor<1x1x96x24xf32>) -> tensor<1x14x14x24xf32>
  return %0 : tensor<1x14x14x24xf32>
}
func @wide(%x: tensor<1x14x14x96xf32> {nn.name = "x"}, %w: tensor<1x1x96x32xf32>) -> tensor<1x14x14x32xf32> {
  %0 = nn.conv2d %x, %w {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 1, channels_last} : (tensor<1x14x14x96xf32>, tensor<1x1x96x32xf32>) -> tensor<1x14x14x32xf32>
  return %0 : tensor<1x14x14x32xf32>
}
