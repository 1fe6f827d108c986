// RUN: nncc-opt %s -nn-channels-last="min-channels=16" | FileCheck %s

// conv -> relu -> conv -> add(residual): the input is permuted once on the
// way in, the result once on the way out. The permutes between the layers
// sink through relu and the add and cancel; the constant weight is
// re-laid-out at compile time, the argument weight by a permute.
// CHECK-LABEL: func @chain
// CHECK-DAG: %[[W:.*]] = nn.constant dense<{{.*}}> : tensor<1x1x16x16xf32>
// CHECK-DAG: %[[X:.*]] = nn.permute %arg0 {dims = [0, 2, 3, 1]} : (tensor<1x16x5x7xf32>) -> tensor<1x5x7x16xf32>
// CHECK-DAG: %[[V:.*]] = nn.permute %arg1 {dims = [2, 3, 1, 0]} : (tensor<16x16x3x3xf32>) -> tensor<3x3x16x16xf32>
// CHECK: %[[C1:.*]] = nn.conv2d %[[X]], %[[V]] {channels_last
// CHECK-NEXT: %[[R:.*]] = nn.relu %[[C1]] : tensor<1x5x7x16xf32>
// CHECK-NEXT: %[[C2:.*]] = nn.conv2d %[[R]], %[[W]] {channels_last
// CHECK-NEXT: %[[S:.*]] = nn.add %[[C2]], %[[X]] : (tensor<1x5x7x16xf32>, tensor<1x5x7x16xf32>) -> tensor<1x5x7x16xf32>
// CHECK-NEXT: %[[Y:.*]] = nn.permute %[[S]] {dims = [0, 3, 1, 2]}
// CHECK-NEXT: return %[[Y]]
func @chain(%x: tensor<1x16x5x7xf32>, %w: tensor<16x16x3x3xf32>) -> tensor<1x16x5x7xf32> {
  %c = nn.constant dense<0.5> : tensor<16x16x1x1xf32>
  %0 = nn.conv2d %x, %w {stride = [1, 1], padding = [1, 1], dilation = [1, 1], groups = 1} : (tensor<1x16x5x7xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x5x7xf32>
  %1 = nn.relu %0 : tensor<1x16x5x7xf32>
  %2 = nn.conv2d %1, %c {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 1} : (tensor<1x16x5x7xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x5x7xf32>
  %3 = nn.add %2, %x : (tensor<1x16x5x7xf32>, tensor<1x16x5x7xf32>) -> tensor<1x16x5x7xf32>
  return %3 : tensor<1x16x5x7xf32>
}

// A pool between two convolutions, and a global pool after one, keep
// channels innermost: only the model's output is permuted back.
// CHECK-LABEL: func @pools
// CHECK: %[[C1:.*]] = nn.conv2d {{.*}}channels_last
// CHECK-NEXT: %[[P:.*]] = nn.max_pool2d %[[C1]] {channels_last, kernel = [2, 2], padding = [0, 0], stride = [2, 2]} : (tensor<1x4x6x16xf32>) -> tensor<1x2x3x16xf32>
// CHECK-NEXT: %[[C2:.*]] = nn.conv2d %[[P]], {{.*}}channels_last
// CHECK-NEXT: %[[G:.*]] = nn.global_avg_pool2d %[[C2]] {channels_last} : (tensor<1x2x3x16xf32>) -> tensor<1x1x1x16xf32>
// CHECK-NEXT: %[[Y:.*]] = nn.permute %[[G]] {dims = [0, 3, 1, 2]}
// CHECK-NEXT: return %[[Y]]
func @pools(%x: tensor<1x16x4x6xf32>) -> tensor<1x16x1x1xf32> {
  %c = nn.constant dense<0.5> : tensor<16x16x1x1xf32>
  %0 = nn.conv2d %x, %c {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 1} : (tensor<1x16x4x6xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x4x6xf32>
  %1 = nn.max_pool2d %0 {kernel = [2, 2], stride = [2, 2], padding = [0, 0]} : (tensor<1x16x4x6xf32>) -> tensor<1x16x2x3xf32>
  %2 = nn.conv2d %1, %c {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 1} : (tensor<1x16x2x3xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x2x3xf32>
  %3 = nn.global_avg_pool2d %2 : (tensor<1x16x2x3xf32>) -> tensor<1x16x1x1xf32>
  return %3 : tensor<1x16x1x1xf32>
}

// A dense block: each layer concatenates the block's input with the
// layers before it, then scales and shifts per channel (batch norm before
// the conv). The concats take the channels-last results (along axis 3),
// the per-channel constants are re-laid-out at compile time, and nothing
// is permuted but the block's input and output.
// CHECK-LABEL: func @dense_block
// CHECK: %[[C1:.*]] = nn.conv2d {{.*}}channels_last{{.*}} -> tensor<1x3x3x16xf32>
// CHECK-NEXT: %[[K:.*]] = nn.concat %[[X:.*]], %[[C1]] {axis = 3 : i64} : (tensor<1x3x3x16xf32>, tensor<1x3x3x16xf32>) -> tensor<1x3x3x32xf32>
// CHECK-NEXT: %[[S:.*]] = nn.mul %[[K]], %{{.*}} : (tensor<1x3x3x32xf32>, tensor<1x1x1x32xf32>) -> tensor<1x3x3x32xf32>
// CHECK-NEXT: %[[C2:.*]] = nn.conv2d %[[S]], {{.*}}channels_last{{.*}} -> tensor<1x3x3x16xf32>
// CHECK-NEXT: %[[K2:.*]] = nn.concat %[[K]], %[[C2]] {axis = 3 : i64}
// CHECK-NEXT: %[[Y:.*]] = nn.permute %[[K2]] {dims = [0, 3, 1, 2]}
// CHECK-NEXT: return %[[Y]]
func @dense_block(%x: tensor<1x16x3x3xf32>) -> tensor<1x48x3x3xf32> {
  %w = nn.constant dense<0.5> : tensor<16x16x1x1xf32>
  %v = nn.constant dense<0.25> : tensor<16x32x1x1xf32>
  %s = nn.constant dense<2.0> : tensor<32x1x1xf32>
  %0 = nn.conv2d %x, %w {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 1} : (tensor<1x16x3x3xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x3x3xf32>
  %1 = nn.concat %x, %0 {axis = 1} : (tensor<1x16x3x3xf32>, tensor<1x16x3x3xf32>) -> tensor<1x32x3x3xf32>
  %2 = nn.mul %1, %s : (tensor<1x32x3x3xf32>, tensor<32x1x1xf32>) -> tensor<1x32x3x3xf32>
  %3 = nn.conv2d %2, %v {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 1} : (tensor<1x32x3x3xf32>, tensor<16x32x1x1xf32>) -> tensor<1x16x3x3xf32>
  %4 = nn.concat %1, %3 {axis = 1} : (tensor<1x32x3x3xf32>, tensor<1x16x3x3xf32>) -> tensor<1x48x3x3xf32>
  return %4 : tensor<1x48x3x3xf32>
}

// Too few output channels to fill a vector, or grouped: left as they are.
// CHECK-LABEL: func @untouched
// CHECK-NOT: nn.permute
// CHECK-NOT: channels_last
func @untouched(%x: tensor<1x16x5x5xf32>, %w: tensor<8x16x3x3xf32>, %g: tensor<16x8x3x3xf32>) -> (tensor<1x8x3x3xf32>, tensor<1x16x3x3xf32>) {
  %0 = nn.conv2d %x, %w {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 1} : (tensor<1x16x5x5xf32>, tensor<8x16x3x3xf32>) -> tensor<1x8x3x3xf32>
  %1 = nn.conv2d %x, %g {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 2} : (tensor<1x16x5x5xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x3x3xf32>
  return %0, %1 : tensor<1x8x3x3xf32>, tensor<1x16x3x3xf32>
}

// A depthwise convolution (groups = input = output channels) reads input
// channel c for output channel c: channels innermost, its vectors load
// contiguously, so it joins the chain. Other grouped convolutions stay.
// CHECK-LABEL: func @depthwise
// CHECK: nn.conv2d {{.*}}channels_last{{.*}}groups = 1
// CHECK-NEXT: nn.conv2d {{.*}}channels_last{{.*}}groups = 16
// CHECK-NEXT: nn.permute
// CHECK-NEXT: return
func @depthwise(%x: tensor<1x16x5x5xf32>) -> tensor<1x16x5x5xf32> {
  %c = nn.constant dense<0.5> : tensor<16x16x1x1xf32>
  %d = nn.constant dense<0.25> : tensor<16x1x3x3xf32>
  %0 = nn.conv2d %x, %c {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 1} : (tensor<1x16x5x5xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x5x5xf32>
  %1 = nn.conv2d %0, %d {stride = [1, 1], padding = [1, 1], dilation = [1, 1], groups = 16} : (tensor<1x16x5x5xf32>, tensor<16x1x3x3xf32>) -> tensor<1x16x5x5xf32>
  return %1 : tensor<1x16x5x5xf32>
}
