// RUN: nncc-opt %s -split-input-file -verify-diagnostics
// Each op's shape function rejects every malformed case with a message
// that names the operator and the shapes involved.

func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x5x3x3xf32>) {
  // expected-error @+1 {{conv2d: input has 3 channels but weight expects 5 (input [1, 3, 8, 8], weight [4, 5, 3, 3])}}
  %0 = nn.conv2d %x, %w {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 1} : (tensor<1x3x8x8xf32>, tensor<4x5x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// channels_last reads channels from the last axis of both operands.
func @f(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x5x4xf32>) {
  // expected-error @+1 {{conv2d: input has 3 channels but weight expects 5 (input [1, 8, 8, 3], weight [3, 3, 5, 4])}}
  %0 = nn.conv2d %x, %w {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 1, channels_last} : (tensor<1x8x8x3xf32>, tensor<3x3x5x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{conv2d: stride must be at least 1, got [0, 1]}}
  %0 = nn.conv2d %x, %w {stride = [0, 1], padding = [0, 0], dilation = [1, 1], groups = 1} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{conv2d: padding must be at least 0, got [-1, 0]}}
  %0 = nn.conv2d %x, %w {stride = [1, 1], padding = [-1, 0], dilation = [1, 1], groups = 1} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{conv2d: stride must have 2 values [h, w], got 3}}
  %0 = nn.conv2d %x, %w {stride = [1, 1, 1], padding = [0, 0], dilation = [1, 1], groups = 1} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func @f(%x: tensor<1x6x8x8xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+1 {{conv2d: groups=4 does not divide the 6 input channels}}
  %0 = nn.conv2d %x, %w {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 4} : (tensor<1x6x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func @f(%x: tensor<1x3x2x2xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{conv2d: kernel 3x3 (dilation 1) does not fit the 2x2 input padded by 0}}
  %0 = nn.conv2d %x, %w {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 1} : (tensor<1x3x2x2xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x1x1xf32>
  return
}

// -----

func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<5xf32>) {
  // expected-error @+1 {{conv2d: bias has shape [5] but the number of output channels is 4, so it must be [4]}}
  %0 = nn.conv2d %x, %w, %b {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 1} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<5xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func @f(%x: tensor<3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{conv2d: input must be 4-D [N, C, H, W], got [3, 8, 8]}}
  %0 = nn.conv2d %x, %w {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 1} : (tensor<3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op inferred type(s) 'tensor<1x4x6x6xf32>' are incompatible with return type(s) of operation 'tensor<1x4x8x8xf32>'}}
  %0 = nn.conv2d %x, %w {stride = [1, 1], padding = [0, 0], dilation = [1, 1], groups = 1} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func @f(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{max_pool2d: padding 2 must be at most half the kernel size 2}}
  %0 = nn.max_pool2d %x {kernel = [2, 2], stride = [2, 2], padding = [2, 2]} : (tensor<1x3x8x8xf32>) -> tensor<1x3x6x6xf32>
  return
}

// -----

func @f(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{avg_pool2d: kernel 9x9 does not fit the 8x8 input padded by 0}}
  %0 = nn.avg_pool2d %x {kernel = [9, 9], stride = [1, 1], padding = [0, 0]} : (tensor<1x3x8x8xf32>) -> tensor<1x3x1x1xf32>
  return
}

// -----

func @f(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{max_pool2d: kernel must be at least 1, got [0, 2]}}
  %0 = nn.max_pool2d %x {kernel = [0, 2], stride = [2, 2], padding = [0, 0]} : (tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32>
  return
}

// -----

func @f(%x: tensor<3x8x8xf32>) {
  // expected-error @+1 {{global_avg_pool2d: input must be 4-D [N, C, H, W], got [3, 8, 8]}}
  %0 = nn.global_avg_pool2d %x : (tensor<3x8x8xf32>) -> tensor<3x1x1xf32>
  return
}

// -----

func @f(%x: tensor<2x3xf32>, %y: tensor<4xf32>) {
  // expected-error @+1 {{add: shapes [2, 3] and [4] cannot be broadcast together}}
  %0 = nn.add %x, %y : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

func @f(%x: tensor<2x3xf32>, %y: tensor<2x4xf32>) {
  // expected-error @+1 {{mul: shapes [2, 3] and [2, 4] cannot be broadcast together}}
  %0 = nn.mul %x, %y : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<2x3xf32>
  return
}

// -----

func @f(%x: tensor<2x3xf32>, %y: tensor<4x5xf32>) {
  // expected-error @+1 {{matmul: inner dimensions differ (3 vs 4) in [2, 3] @ [4, 5]}}
  %0 = nn.matmul %x, %y : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func @f(%x: tensor<2x2x3xf32>, %y: tensor<3x3x5xf32>) {
  // expected-error @+1 {{matmul: batch dimensions of [2, 2, 3] and [3, 3, 5] cannot be broadcast together}}
  %0 = nn.matmul %x, %y : (tensor<2x2x3xf32>, tensor<3x3x5xf32>) -> tensor<2x2x5xf32>
  return
}

// -----

func @f(%x: tensor<2x3xf32>, %w: tensor<4x5xf32>) {
  // expected-error @+1 {{linear: input has 3 features but weight [4, 5] expects 5}}
  %0 = nn.linear %x, %w : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x4xf32>
  return
}

// -----

func @f(%x: tensor<2x5xf32>, %w: tensor<4x5xf32>, %b: tensor<5xf32>) {
  // expected-error @+1 {{linear: bias has shape [5] but the number of output features is 4, so it must be [4]}}
  %0 = nn.linear %x, %w, %b : (tensor<2x5xf32>, tensor<4x5xf32>, tensor<5xf32>) -> tensor<2x4xf32>
  return
}

// -----

func @f(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{softmax: axis 2 is out of range for a 2-D input}}
  %0 = nn.softmax %x {axis = 2} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func @f(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{log_softmax: axis -1 is out of range for a 2-D input}}
  %0 = nn.log_softmax %x {axis = -1} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func @f(%x: tensor<2x3xf32>, %w: tensor<2xf32>) {
  // expected-error @+1 {{layer_norm: weight has shape [2] but the normalized (last) dimension is 3, so it must be [3]}}
  %0 = nn.layer_norm %x, %w, %w {eps = 1.0e-5} : (tensor<2x3xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x3xf32>
  return
}

// -----

func @f(%x: tensor<2x3xf32>, %w: tensor<3xf32>) {
  // expected-error @+1 {{layer_norm: eps must be finite and non-negative, got -1}}
  %0 = nn.layer_norm %x, %w, %w {eps = -1.0} : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func @f(%x: tensor<2x3x4xf32>, %c: tensor<3xf32>, %v: tensor<4xf32>) {
  // expected-error @+1 {{batch_norm: var has shape [4] but the number of channels is 3, so it must be [3]}}
  %0 = nn.batch_norm %x, %c, %v, %c, %c {eps = 1.0e-5} : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<4xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4xf32>
  return
}

// -----

func @f(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{reshape: cannot reshape [2, 3] (6 elements) to [4, 2] (8 elements)}}
  %0 = nn.reshape %x {shape = [4, 2]} : (tensor<2x3xf32>) -> tensor<4x2xf32>
  return
}

// -----

func @f(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{reshape: target shape [-1, -1] has more than one -1}}
  %0 = nn.reshape %x {shape = [-1, -1]} : (tensor<2x3xf32>) -> tensor<6xf32>
  return
}

// -----

func @f(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{reshape: cannot reshape [2, 3] (6 elements) to [4, -1]: 6 is not a multiple of 4}}
  %0 = nn.reshape %x {shape = [4, -1]} : (tensor<2x3xf32>) -> tensor<4x2xf32>
  return
}

// -----

func @f(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{reshape: target shape [0, 6] has a non-positive dimension}}
  %0 = nn.reshape %x {shape = [0, 6]} : (tensor<2x3xf32>) -> tensor<6xf32>
  return
}

// -----

func @f(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{flatten: start 2 is after end 1}}
  %0 = nn.flatten %x {start = 2, end = 1} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  return
}

// -----

func @f(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{transpose: dimension 2 is out of range for a 2-D input}}
  %0 = nn.transpose %x {dim0 = 0, dim1 = 2} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func @f(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{permute: dims [0, 0, 1] is not a permutation of 0..2}}
  %0 = nn.permute %x {dims = [0, 0, 1]} : (tensor<2x3x4xf32>) -> tensor<2x2x3xf32>
  return
}

// -----

func @f(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{permute: dims [1, 0] has 2 entries but the input [2, 3, 4] has rank 3}}
  %0 = nn.permute %x {dims = [1, 0]} : (tensor<2x3x4xf32>) -> tensor<3x2xf32>
  return
}

// -----

func @f(%x: tensor<2x3xf32>, %y: tensor<3x3xf32>) {
  // expected-error @+1 {{concat: input 1 has shape [3, 3] but input 0 has [2, 3]; they may differ only along axis 1}}
  %0 = nn.concat %x, %y {axis = 1} : (tensor<2x3xf32>, tensor<3x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

func @f(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{slice: range 2:5 is empty or outside dimension 1 of size 3 (input [2, 3])}}
  %0 = nn.slice %x {axis = 1, start = 2, end = 5} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func @f() {
  // expected-error @+1 {{sinusoidal_positions: length and dimension must be positive, got 0 and 4}}
  %0 = nn.sinusoidal_positions {length = 0, dim = 4} : tensor<1x4xf32>
  return
}

// -----

func @f(%q: tensor<10x16xf32>, %k: tensor<7x8xf32>) {
  // expected-error @+1 {{attention: query [10, 16] has head dimension 16 but key [7, 8] has 8}}
  %0 = nn.attention %q, %k, %k {scale = 1.0} : (tensor<10x16xf32>, tensor<7x8xf32>, tensor<7x8xf32>) -> tensor<10x8xf32>
  return
}

// -----

func @f(%q: tensor<10x16xf32>, %k: tensor<7x16xf32>, %v: tensor<6x16xf32>) {
  // expected-error @+1 {{attention: key [7, 16] has 7 positions but value [6, 16] has 6}}
  %0 = nn.attention %q, %k, %v {scale = 1.0} : (tensor<10x16xf32>, tensor<7x16xf32>, tensor<6x16xf32>) -> tensor<10x16xf32>
  return
}

// -----

func @f(%q: tensor<10x16xf32>, %m: tensor<10x10xf32>, %k: tensor<7x16xf32>) {
  // expected-error @+1 {{attention: mask has shape [10, 10] but the scores are [10, 7]}}
  %0 = nn.attention %q, %k, %k, %m {scale = 1.0} : (tensor<10x16xf32>, tensor<7x16xf32>, tensor<7x16xf32>, tensor<10x10xf32>) -> tensor<10x16xf32>
  return
}

// -----

func @f(%q: tensor<10x16xf32>) {
  // expected-error @+1 {{attention: window must be non-negative, got -1}}
  %0 = nn.attention %q, %q, %q {scale = 1.0, window = -1} : (tensor<10x16xf32>, tensor<10x16xf32>, tensor<10x16xf32>) -> tensor<10x16xf32>
  return
}

// -----

func @f(%x: tensor<10x64xf32>, %w: tensor<64x64xf32>) {
  // expected-error @+1 {{multi_head_attention: heads=3 does not divide the model dimension 64}}
  %0 = nn.multi_head_attention %x, %w, %w, %w, %w {heads = 3} : (tensor<10x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<10x64xf32>
  return
}

// -----

func @f(%x: tensor<10x64xf32>, %w: tensor<64x64xf32>, %w2: tensor<64x32xf32>) {
  // expected-error @+1 {{multi_head_attention: wv has shape [64, 32] but the model dimension is 64, so it must be [64, 64]}}
  %0 = nn.multi_head_attention %x, %w, %w, %w2, %w {heads = 4} : (tensor<10x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x32xf32>, tensor<64x64xf32>) -> tensor<10x64xf32>
  return
}

// -----

func @f(%x: tensor<2x10x64xf32>, %w: tensor<64x64xf32>, %kv: tensor<3x7x64xf32>) {
  // expected-error @+1 {{multi_head_attention: kv has shape [3, 7, 64] but input is [2, 10, 64]; kv must be [B, Tk, D] with the same B and D}}
  %0 = nn.multi_head_attention %x, %w, %w, %w, %w kv %kv {heads = 4} : (tensor<2x10x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<3x7x64xf32>) -> tensor<2x10x64xf32>
  return
}

// -----

func @f(%x: tensor<10x64xf32>, %w: tensor<64x64xf32>) {
  // expected-error @+1 {{multi_head_attention: window must be non-negative, got -2}}
  %0 = nn.multi_head_attention %x, %w, %w, %w, %w {heads = 4, window = -2} : (tensor<10x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<10x64xf32>
  return
}

// -----

func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op requires attribute 'stride'}}
  %0 = nn.conv2d %x, %w {padding = [0, 0], dilation = [1, 1], groups = 1} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func @f(%x: tensor<2x3xi32>) {
  // expected-error @+1 {{relu: operand #0 must be a ranked f32 tensor, got tensor<2x3xi32>}}
  %0 = nn.relu %x : tensor<2x3xi32>
  return
}

// -----

func @f(%x: tensor<*xf32>, %y: tensor<2xf32>) {
  // expected-error @+1 {{add: operand #0 must be a ranked f32 tensor, got tensor<*xf32>}}
  %0 = nn.add %x, %y : (tensor<*xf32>, tensor<2xf32>) -> tensor<2xf32>
  return
}

// -----

func @f(%x: tensor<65536x1xf32>, %y: tensor<1x65536xf32>) {
  // expected-error @+1 {{matmul: result [65536, 65536] has more than 2^29 - 2^16 elements}}
  %0 = nn.matmul %x, %y : (tensor<65536x1xf32>, tensor<1x65536xf32>) -> tensor<65536x65536xf32>
  return
}

// -----

func @f(%x: tensor<2xf32>) {
  // expected-error @+1 {{reshape: target shape [2147483647, 2147483647, 2147483647, -1] has more than 2^29 - 2^16 elements}}
  %0 = nn.reshape %x {shape = [2147483647, 2147483647, 2147483647, -1]} : (tensor<2xf32>) -> tensor<2xf32>
  return
}

// -----

func @f() {
  // expected-error @+1 {{constant: value must be a ranked f32 tensor, got tensor<2xi32>}}
  %0 = nn.constant dense<1> : tensor<2xi32>
  return
}

// -----

func @f(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{sum: axis 1 is given 2 times}}
  %0 = nn.sum %x {axes = [1, 1]} : (tensor<2x3xf32>) -> tensor<2xf32>
  return
}

// -----

func @f(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{mean: axis 2 is out of range for a 2-D input}}
  %0 = nn.mean %x {axes = [2]} : (tensor<2x3xf32>) -> tensor<2xf32>
  return
}

// -----

func @f(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{amax: axes must not be empty}}
  %0 = nn.amax %x {axes = []} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func @f(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{softplus: beta must not be 0}}
  %0 = nn.softplus %x {beta = 0.0, threshold = 20.0} : tensor<2x3xf32>
  return
}

// -----

func @f(%x: tensor<1x2x5x5xf32>) {
  // expected-error @+1 {{adaptive_avg_pool2d: size must be at least 1, got [0, 2]}}
  %0 = nn.adaptive_avg_pool2d %x {size = [0, 2]} : (tensor<1x2x5x5xf32>) -> tensor<1x2x0x2xf32>
  return
}

// -----

func @f(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{slice: step must be at least 1, got 0}}
  %0 = nn.slice %x {axis = 1, start = 0, end = 3, step = 0} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func @f(%x: tensor<2x3xf32>, %w: tensor<5x4xf32>) {
  // expected-error @+1 {{embedding: operand #0 must be a ranked i32 tensor, got tensor<2x3xf32>}}
  %0 = nn.embedding %x, %w : (tensor<2x3xf32>, tensor<5x4xf32>) -> tensor<2x3x4xf32>
  return
}

// -----

func @f(%ids: tensor<2x3xi32>, %w: tensor<5x4xi32>) {
  // expected-error @+1 {{embedding: operand #1 must be a ranked f32 tensor, got tensor<5x4xi32>}}
  %0 = nn.embedding %ids, %w : (tensor<2x3xi32>, tensor<5x4xi32>) -> tensor<2x3x4xf32>
  return
}

// -----

func @f(%x: tensor<1x8x8x4xf32>) {
  // expected-error @+1 {{winograd_input: size [7, 8] is not a 3x3 convolution's output of input [1, 8, 8, 4] padded by [1, 1]}}
  %0 = nn.winograd_input %x {padding = [1, 1], size = [7, 8]} : (tensor<1x8x8x4xf32>) -> tensor<16x16x4xf32>
  return
}

// -----

func @f(%m: tensor<16x15x4xf32>) {
  // expected-error @+1 {{winograd_output: input [16, 15, 4] does not hold the 16 transformed products of the tiles of [1, 8, 8]}}
  %0 = nn.winograd_output %m {size = [1, 8, 8]} : (tensor<16x15x4xf32>) -> tensor<1x8x8x4xf32>
  return
}
