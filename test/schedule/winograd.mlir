// RUN: nncc-opt %s -convert-nn-to-hl -hl-schedule="vector-width=16 registers=32" | FileCheck %s

// Winograd's stages (ConvAsWinograd) as the schedule blocks them. The
// products are a matmul: 6 tiles x 4 vectors of output channels, 24
// accumulators sharing each vector of weights and each broadcast value.
// The transforms share no load across a block (each tile reads its own
// data, the coefficients are scalars): 4 tiles x 2 vectors, the 8
// accumulators that keep the FMA units busy, and no more code.
// The transformed weights (128 KB) fit in the L2 with a row of tiles' input
// and products (86 KB): both are computed per band of output rows, inside
// the output transform's tasks (WinogradBands.cpp), one row of tiles each.
// CHECK-LABEL: hl.pipeline @winograd
// CHECK: hl.func @winograd_output {{.*}}hl.winograd_tiles = 14
// CHECK: hl.compute_root @x_padded
// CHECK: hl.split @winograd_input stage 1 "t" into "to", "ti" by 4
// CHECK: hl.split @winograd_input stage 1 "co" into "coo", "coi" by 2
// CHECK: hl.vectorize @winograd_input stage 1 "ci"
// CHECK-NOT: hl.parallel @winograd_input
// CHECK: hl.compute_at @winograd_input at @winograd_output "yo"
// CHECK: hl.split @matmul stage 1 "d1" into "d1o", "d1i" by 6 {tail = "guard"}
// CHECK: hl.split @matmul stage 1 "d2o" into "d2oo", "d2oi" by 4
// CHECK-NOT: hl.parallel @matmul
// CHECK: hl.compute_at @matmul at @winograd_output "yo"
// CHECK: hl.split @winograd_output stage 1 "x" into "xo", "xi" by 4
// CHECK: hl.split @winograd_output stage 1 "co" into "coo", "coi" by 2
// CHECK: hl.reorder @winograd_output stage 1 ["y", "n", "coo", "xo", "ra", "rb", "xi", "coi", "ci"]
// CHECK: hl.split @winograd_output stage 1 "y" into "yo", "yi" by 2
// CHECK: hl.parallel @winograd_output stage 1 "yo"
// CHECK: hl.compute_root @winograd_output

// Two images: a band's tiles would not be contiguous. Weights of 4 MB
// would be read from beyond the L2 for every band. Both at root.
// CHECK-LABEL: hl.pipeline @two_images
// CHECK: hl.compute_root @winograd_input
// CHECK: hl.compute_root @matmul
// CHECK-LABEL: hl.pipeline @large_weights
// CHECK: hl.compute_root @winograd_input
// CHECK: hl.compute_root @matmul
func @winograd(%x: tensor<1x28x28x32xf32> {nn.name = "x"}, %u: tensor<16x32x64xf32>, %b: tensor<64xf32>) -> tensor<1x28x28x64xf32> {
  %v = nn.winograd_input %x {padding = [1, 1], size = [28, 28]} : (tensor<1x28x28x32xf32>) -> tensor<16x196x32xf32>
  %m = nn.matmul %v, %u : (tensor<16x196x32xf32>, tensor<16x32x64xf32>) -> tensor<16x196x64xf32>
  %y = nn.winograd_output %m, %b {size = [1, 28, 28]} : (tensor<16x196x64xf32>, tensor<64xf32>) -> tensor<1x28x28x64xf32>
  %r = nn.relu %y : tensor<1x28x28x64xf32>
  return %r : tensor<1x28x28x64xf32>
}

func @two_images(%x: tensor<2x28x28x32xf32> {nn.name = "x"}, %u: tensor<16x32x64xf32>) -> tensor<2x28x28x64xf32> {
  %v = nn.winograd_input %x {padding = [1, 1], size = [28, 28]} : (tensor<2x28x28x32xf32>) -> tensor<16x392x32xf32>
  %m = nn.matmul %v, %u : (tensor<16x392x32xf32>, tensor<16x32x64xf32>) -> tensor<16x392x64xf32>
  %y = nn.winograd_output %m {size = [2, 28, 28]} : (tensor<16x392x64xf32>) -> tensor<2x28x28x64xf32>
  %r = nn.relu %y : tensor<2x28x28x64xf32>
  return %r : tensor<2x28x28x64xf32>
}

func @large_weights(%x: tensor<1x14x14x256xf32> {nn.name = "x"}, %u: tensor<16x256x256xf32>) -> tensor<1x14x14x256xf32> {
  %v = nn.winograd_input %x {padding = [1, 1], size = [14, 14]} : (tensor<1x14x14x256xf32>) -> tensor<16x49x256xf32>
  %m = nn.matmul %v, %u : (tensor<16x49x256xf32>, tensor<16x256x256xf32>) -> tensor<16x49x256xf32>
  %y = nn.winograd_output %m {size = [1, 14, 14]} : (tensor<16x49x256xf32>) -> tensor<1x14x14x256xf32>
  %r = nn.relu %y : tensor<1x14x14x256xf32>
  return %r : tensor<1x14x14x256xf32>
}
