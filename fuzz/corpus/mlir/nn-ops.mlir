// RUN: nncc-opt %s | FileCheck %s
// Round trip: every nn op parses, verifies and prints back.
// RUN: nncc-opt %s | nncc-opt | FileCheck %s

// CHECK-LABEL: func @elementwise
func @elementwise(%x: tensor<2x3xf32>, %y: tensor<3xf32>) -> tensor<2x3xf32> {
  // CHECK: nn.relu %{{.*}} : tensor<2x3xf32>
  %0 = nn.relu %x : tensor<2x3xf32>
  // CHECK: nn.sigmoid
  %1 = nn.sigmoid %0 : tensor<2x3xf32>
  // CHECK: nn.tanh
  %2 = nn.tanh %1 : tensor<2x3xf32>
  // CHECK: nn.gelu
  %3 = nn.gelu %2 : tensor<2x3xf32>
  // CHECK: nn.exp
  %4 = nn.exp %3 : tensor<2x3xf32>
  // CHECK: nn.sqrt
  %5 = nn.sqrt %4 : tensor<2x3xf32>
  // CHECK: nn.neg
  %6 = nn.neg %5 : tensor<2x3xf32>
  // CHECK: nn.add %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %7 = nn.add %6, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.sub
  %8 = nn.sub %y, %7 : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.constant dense<2.000000e+00> : tensor<f32>
  %c = nn.constant dense<2.0> : tensor<f32>
  // CHECK: nn.mul
  %9 = nn.mul %8, %c : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  // CHECK: nn.div
  %10 = nn.div %c, %9 : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %10 : tensor<2x3xf32>
}

// CHECK-LABEL: func @activations
func @activations(%x: tensor<2x3xf32>, %y: tensor<3xf32>, %c: tensor<2x1xf32>) -> tensor<2x3xf32> {
  // CHECK: nn.gelu %{{.*}} {tanh} : tensor<2x3xf32>
  %0 = nn.gelu %x {tanh} : tensor<2x3xf32>
  // CHECK: nn.leaky_relu %{{.*}} {negative_slope = 1.000000e-02 : f64}
  %1 = nn.leaky_relu %0 {negative_slope = 0.01} : tensor<2x3xf32>
  // CHECK: nn.elu %{{.*}} {alpha = 5.000000e-01 : f64}
  %2 = nn.elu %1 {alpha = 0.5} : tensor<2x3xf32>
  // CHECK: nn.softplus %{{.*}} {beta = 1.000000e+00 : f64, threshold = 2.000000e+01 : f64}
  %3 = nn.softplus %2 {beta = 1.0, threshold = 20.0} : tensor<2x3xf32>
  // CHECK: nn.silu
  %4 = nn.silu %3 : tensor<2x3xf32>
  // CHECK: nn.mish
  %5 = nn.mish %4 : tensor<2x3xf32>
  // CHECK: nn.selu
  %6 = nn.selu %5 : tensor<2x3xf32>
  // CHECK: nn.hardswish
  %7 = nn.hardswish %6 : tensor<2x3xf32>
  // CHECK: nn.hardsigmoid
  %8 = nn.hardsigmoid %7 : tensor<2x3xf32>
  // CHECK: nn.erf
  %9 = nn.erf %8 : tensor<2x3xf32>
  // CHECK: nn.rsqrt
  %10 = nn.rsqrt %9 : tensor<2x3xf32>
  // CHECK: nn.abs
  %11 = nn.abs %10 : tensor<2x3xf32>
  // CHECK: nn.pow %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %12 = nn.pow %11, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.minimum
  %13 = nn.minimum %12, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.maximum
  %14 = nn.maximum %c, %13 : (tensor<2x1xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.eq
  %15 = nn.eq %14, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.ne
  %16 = nn.ne %15, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.lt
  %17 = nn.lt %16, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.le
  %18 = nn.le %17, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.gt
  %19 = nn.gt %18, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.ge
  %20 = nn.ge %19, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.where %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %21 = nn.where %20, %c, %y : (tensor<2x3xf32>, tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %21 : tensor<2x3xf32>
}

// CHECK-LABEL: func @reductions
func @reductions(%x: tensor<2x3x4xf32>) {
  // CHECK: nn.sum %{{.*}} {axes = [0, 2]} : (tensor<2x3x4xf32>) -> tensor<3xf32>
  %0 = nn.sum %x {axes = [0, 2]} : (tensor<2x3x4xf32>) -> tensor<3xf32>
  // CHECK: nn.mean %{{.*}} {axes = [1], keepdim} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  %1 = nn.mean %x {axes = [1], keepdim} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  // CHECK: nn.amax
  %2 = nn.amax %x {axes = [2]} : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
  // CHECK: nn.amin
  %3 = nn.amin %x {axes = [0, 1, 2]} : (tensor<2x3x4xf32>) -> tensor<f32>
  // CHECK: nn.argmax %{{.*}} {axis = 1 : i64, keepdim} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  %4 = nn.argmax %x {axis = 1, keepdim} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  return
}

// CHECK-LABEL: func @conv1d
func @conv1d(%x: tensor<2x6x29xf32>, %w: tensor<8x3x5xf32>, %b: tensor<8xf32>) -> tensor<2x8x12xf32> {
  // CHECK: nn.conv1d %{{.*}}, %{{.*}}, %{{.*}} {dilation = 2 : i64, groups = 2 : i64, padding = 1 : i64, stride = 2 : i64}
  %0 = nn.conv1d %x, %w, %b {stride = 2, padding = 1, dilation = 2, groups = 2} : (tensor<2x6x29xf32>, tensor<8x3x5xf32>, tensor<8xf32>) -> tensor<2x8x12xf32>
  return %0 : tensor<2x8x12xf32>
}

// CHECK-LABEL: func @interpolate
func @interpolate(%x: tensor<1x2x3x4xf32>) {
  // CHECK: nn.interpolate {{.*}} {align_corners, mode = "bilinear", size = [5, 7]} : (tensor<1x2x3x4xf32>) -> tensor<1x2x5x7xf32>
  %0 = nn.interpolate %x {size = [5, 7], mode = "bilinear", align_corners} : (tensor<1x2x3x4xf32>) -> tensor<1x2x5x7xf32>
  // CHECK: nn.interpolate {{.*}} {mode = "nearest", scale_factor = [2.000000e+00, 2.000000e+00], size = [6, 8]}
  %1 = nn.interpolate %x {size = [6, 8], mode = "nearest", scale_factor = [2.0, 2.0]} : (tensor<1x2x3x4xf32>) -> tensor<1x2x6x8xf32>
  return
}

// CHECK-LABEL: func @conv_transpose2d
func @conv_transpose2d(%x: tensor<1x4x5x6xf32>, %w: tensor<4x3x4x4xf32>) -> tensor<1x3x11x13xf32> {
  // CHECK: nn.conv_transpose2d {{.*}} -> tensor<1x3x11x13xf32>
  %0 = nn.conv_transpose2d %x, %w {stride = [2, 2], padding = [1, 1], output_padding = [1, 1], dilation = [1, 1], groups = 1} : (tensor<1x4x5x6xf32>, tensor<4x3x4x4xf32>) -> tensor<1x3x11x13xf32>
  return %0 : tensor<1x3x11x13xf32>
}

// CHECK-LABEL: func @linalg
func @linalg(%a: tensor<5x2x3xf32>, %b: tensor<3x4xf32>, %v: tensor<3xf32>, %w: tensor<4x3xf32>, %bias: tensor<4xf32>) {
  // CHECK: nn.matmul {{.*}} -> tensor<5x2x4xf32>
  %0 = nn.matmul %a, %b : (tensor<5x2x3xf32>, tensor<3x4xf32>) -> tensor<5x2x4xf32>
  // CHECK: nn.matmul {{.*}} -> tensor<5x2xf32>
  %1 = nn.matmul %a, %v : (tensor<5x2x3xf32>, tensor<3xf32>) -> tensor<5x2xf32>
  // CHECK: nn.matmul {{.*}} -> tensor<f32>
  %2 = nn.matmul %v, %v : (tensor<3xf32>, tensor<3xf32>) -> tensor<f32>
  // CHECK: nn.linear {{.*}} -> tensor<5x2x4xf32>
  %3 = nn.linear %a, %w, %bias : (tensor<5x2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<5x2x4xf32>
  // CHECK: nn.linear {{.*}} -> tensor<4xf32>
  %4 = nn.linear %v, %w : (tensor<3xf32>, tensor<4x3xf32>) -> tensor<4xf32>
  return
}

// CHECK-LABEL: func @conv_pool
func @conv_pool(%x: tensor<1x8x9x9xf32>, %w: tensor<16x4x3x3xf32>, %dw: tensor<8x1x5x5xf32>, %xl: tensor<1x9x9x8xf32>, %wl: tensor<3x3x8x16xf32>) {
  // CHECK: nn.conv2d {{.*}}groups = 2 {{.*}} -> tensor<1x16x5x5xf32>
  %0 = nn.conv2d %x, %w {stride = [2, 2], padding = [1, 1], dilation = [1, 1], groups = 2} : (tensor<1x8x9x9xf32>, tensor<16x4x3x3xf32>) -> tensor<1x16x5x5xf32>
  // Depthwise, dilated, rectangular padding.
  // CHECK: nn.conv2d {{.*}} -> tensor<1x8x3x5xf32>
  %1 = nn.conv2d %x, %dw {stride = [1, 1], padding = [1, 2], dilation = [2, 2], groups = 8} : (tensor<1x8x9x9xf32>, tensor<8x1x5x5xf32>) -> tensor<1x8x3x5xf32>
  // Channels innermost: input NHWC, weight [kH, kW, C, O], result NHWC.
  // CHECK: nn.conv2d {{.*}}channels_last{{.*}} -> tensor<1x5x5x16xf32>
  %cl = nn.conv2d %xl, %wl {stride = [2, 2], padding = [1, 1], dilation = [1, 1], groups = 1, channels_last} : (tensor<1x9x9x8xf32>, tensor<3x3x8x16xf32>) -> tensor<1x5x5x16xf32>
  // CHECK: nn.max_pool2d {{.*}} -> tensor<1x8x4x4xf32>
  %2 = nn.max_pool2d %x {kernel = [2, 2], stride = [2, 2], padding = [0, 0]} : (tensor<1x8x9x9xf32>) -> tensor<1x8x4x4xf32>
  // CHECK: nn.avg_pool2d {{.*}} -> tensor<1x8x5x5xf32>
  %3 = nn.avg_pool2d %x {kernel = [3, 3], stride = [2, 2], padding = [1, 1]} : (tensor<1x8x9x9xf32>) -> tensor<1x8x5x5xf32>
  // ceil_mode adds a last window that starts inside the input: 9 -> 5, not 4.
  // CHECK: nn.max_pool2d {{.*}} {ceil_mode, {{.*}} -> tensor<1x8x5x5xf32>
  %c = nn.max_pool2d %x {kernel = [2, 2], stride = [2, 2], padding = [0, 0], ceil_mode} : (tensor<1x8x9x9xf32>) -> tensor<1x8x5x5xf32>
  // CHECK: nn.avg_pool2d {{.*}} {exclude_pad,
  %e = nn.avg_pool2d %x {kernel = [3, 3], stride = [2, 2], padding = [1, 1], exclude_pad} : (tensor<1x8x9x9xf32>) -> tensor<1x8x5x5xf32>
  // CHECK: nn.adaptive_avg_pool2d {{.*}} {size = [4, 3]} {{.*}} -> tensor<1x8x4x3xf32>
  %aa = nn.adaptive_avg_pool2d %x {size = [4, 3]} : (tensor<1x8x9x9xf32>) -> tensor<1x8x4x3xf32>
  // CHECK: nn.adaptive_max_pool2d {{.*}} -> tensor<1x8x1x1xf32>
  %am = nn.adaptive_max_pool2d %x {size = [1, 1]} : (tensor<1x8x9x9xf32>) -> tensor<1x8x1x1xf32>
  // CHECK: nn.global_avg_pool2d {{.*}} -> tensor<1x8x1x1xf32>
  %4 = nn.global_avg_pool2d %x : (tensor<1x8x9x9xf32>) -> tensor<1x8x1x1xf32>
  return
}

// CHECK-LABEL: func @normalisation
func @normalisation(%x: tensor<2x4x6xf32>, %c: tensor<4xf32>, %d: tensor<6xf32>) {
  // CHECK: nn.softmax {{.*}}axis = 2
  %0 = nn.softmax %x {axis = 2} : (tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  // CHECK: nn.log_softmax {{.*}}axis = 0
  %1 = nn.log_softmax %x {axis = 0} : (tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  // CHECK: nn.layer_norm {{.*}}eps = 1.000000e-05
  %2 = nn.layer_norm %x, %d, %d {eps = 1.0e-5} : (tensor<2x4x6xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<2x4x6xf32>
  // CHECK: nn.batch_norm
  %3 = nn.batch_norm %x, %c, %c, %c, %c {eps = 1.0e-3} : (tensor<2x4x6xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4x6xf32>
  return
}

// CHECK-LABEL: func @data_movement
func @data_movement(%x: tensor<2x3x4xf32>, %y: tensor<2x5x4xf32>) {
  // CHECK: nn.reshape {{.*}}shape = [6, -1]{{.*}} -> tensor<6x4xf32>
  %0 = nn.reshape %x {shape = [6, -1]} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  // CHECK: nn.flatten {{.*}} -> tensor<2x12xf32>
  %1 = nn.flatten %x {start = 1, end = 2} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  // CHECK: nn.transpose {{.*}} -> tensor<4x3x2xf32>
  %2 = nn.transpose %x {dim0 = 0, dim1 = 2} : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  // CHECK: nn.permute {{.*}} -> tensor<3x4x2xf32>
  %3 = nn.permute %x {dims = [1, 2, 0]} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  // CHECK: nn.concat {{.*}} -> tensor<2x8x4xf32>
  %4 = nn.concat %x, %y {axis = 1} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x8x4xf32>
  // CHECK: nn.slice {{.*}} -> tensor<2x3x2xf32>
  %5 = nn.slice %x {axis = 2, start = 1, end = 3} : (tensor<2x3x4xf32>) -> tensor<2x3x2xf32>
  // CHECK: nn.pad {{.*}} {mode = "reflect", pads = [0, 0, 1, 2, 0, 1], value = 0.000000e+00 : f64} {{.*}} -> tensor<2x6x5xf32>
  %p = nn.pad %x {pads = [0, 0, 1, 2, 0, 1], mode = "reflect", value = 0.0} : (tensor<2x3x4xf32>) -> tensor<2x6x5xf32>
  // CHECK: nn.slice {{.*}} {axis = 2 : i64, end = 4 : i64, start = 1 : i64, step = 2 : i64} {{.*}} -> tensor<2x3x2xf32>
  %s = nn.slice %x {axis = 2, start = 1, end = 4, step = 2} : (tensor<2x3x4xf32>) -> tensor<2x3x2xf32>
  return
}

// CHECK-LABEL: func @attention
func @attention(%q: tensor<2x10x16xf32>, %kv: tensor<2x7x16xf32>, %m: tensor<10x7xf32>,
                %x: tensor<10x64xf32>, %w: tensor<64x64xf32>, %b: tensor<64xf32>, %mm: tensor<10x10xf32>) {
  // CHECK: nn.sinusoidal_positions {dim = 64 : i64, length = 10 : i64} : tensor<10x64xf32>
  %pe = nn.sinusoidal_positions {length = 10, dim = 64} : tensor<10x64xf32>
  // CHECK: nn.attention {{.*}} -> tensor<2x10x16xf32>
  %0 = nn.attention %q, %kv, %kv, %m {scale = 0.25} : (tensor<2x10x16xf32>, tensor<2x7x16xf32>, tensor<2x7x16xf32>, tensor<10x7xf32>) -> tensor<2x10x16xf32>
  // CHECK: nn.attention {{.*}}causal = true{{.*}}window = 3
  %1 = nn.attention %q, %q, %q {scale = 0.25, window = 3, causal = true} : (tensor<2x10x16xf32>, tensor<2x10x16xf32>, tensor<2x10x16xf32>) -> tensor<2x10x16xf32>
  // CHECK: nn.multi_head_attention %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} bq %{{.*}} bo %{{.*}} mask %{{.*}} {heads = 8 : i64}
  %2 = nn.multi_head_attention %x, %w, %w, %w, %w bq %b bo %b mask %mm {heads = 8} : (tensor<10x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<10x10xf32>) -> tensor<10x64xf32>
  return
}
