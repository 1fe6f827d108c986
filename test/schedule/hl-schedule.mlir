// RUN: nncc-opt %s -convert-nn-to-hl -hl-schedule="vector-width=8 registers=32" | FileCheck %s
// RUN: nncc-opt %s -convert-nn-to-hl -hl-schedule="vector-width=16" | FileCheck %s --check-prefix=WIDE

// conv -> relu: the conv (a reduction) is register-blocked: accumulators
// over a block of its largest outer variable (32 output channels, in 8s: a
// block must divide, the weights being read along it) times a block of
// vectors of its innermost (x), unrolled inside the reduction loops. relu,
// its one elementwise consumer of the same shape, runs in those blocks,
// unrolled, and computes the conv per block: the conv's initial value,
// updates and relu run on registers, and only relu is stored. At 221K FMAs
// in all, too little to fork for, nothing runs in parallel. The padded
// input, read inside the reduction, is materialised. relu, the output,
// splits with shifted tails: no masked access to the caller's array.
// CHECK-LABEL: hl.pipeline @conv_relu
// CHECK-DAG: hl.compute_root @x_padded
// CHECK-DAG: hl.split @conv2d stage 0 "x" into "xo", "xi" by 8
// CHECK-DAG: hl.split @conv2d stage 1 "x" into "xo", "xi" by 8
// CHECK-DAG: hl.split @conv2d stage 1 "c" into "co", "ci" by 8
// CHECK-DAG: hl.split @conv2d stage 1 "xo" into "xoo", "xoi" by 2
// CHECK-DAG: hl.reorder @conv2d stage 1 ["n", "xoo", "co", "y", "rc", "ry", "rx", "ci", "xoi", "xi"]
// CHECK-DAG: hl.vectorize @conv2d stage 1 "xi"
// CHECK-DAG: hl.unroll @conv2d stage 1 "ci"
// CHECK-DAG: hl.unroll @conv2d stage 1 "xoi"
// CHECK-DAG: hl.split @relu stage 0 "c" into "co", "ci" by 8 {tail = "shift_inwards"}
// CHECK-DAG: hl.split @relu stage 0 "x" into "xo", "xi" by 8 {tail = "shift_inwards"}
// CHECK-DAG: hl.split @relu stage 0 "xo" into "xoo", "xoi" by 2 {tail = "shift_inwards"}
// CHECK-DAG: hl.reorder @relu stage 0 ["n", "xoo", "co", "y", "ci", "xoi", "xi"]
// CHECK-DAG: hl.unroll @relu stage 0 "ci"
// CHECK-DAG: hl.unroll @relu stage 0 "xoi"
// CHECK-DAG: hl.unroll @conv2d stage 0 "ci"
// CHECK-DAG: hl.unroll @conv2d stage 0 "xoi"
// CHECK-DAG: hl.compute_at @conv2d at @relu "y"
// CHECK-DAG: hl.compute_root @relu
// CHECK-NOT: hl.parallel
// With 12 accumulators (the default: 16 registers) and 16-lane vectors,
// blocks of 8 channels times one vector.
// WIDE-LABEL: hl.pipeline @conv_relu
// WIDE: hl.split @conv2d stage 0 "x" into "xo", "xi" by 16
// WIDE: hl.split @conv2d stage 1 "c" into "co", "ci" by 8
// WIDE-NOT: hl.split @conv2d stage 1 "xo"
func @conv_relu(%x: tensor<1x4x12x16xf32> {nn.name = "x"}, %w: tensor<32x4x3x3xf32>) -> tensor<1x32x12x16xf32> {
  %0 = nn.conv2d %x, %w {stride = [1, 1], padding = [1, 1], dilation = [1, 1], groups = 1} : (tensor<1x4x12x16xf32>, tensor<32x4x3x3xf32>) -> tensor<1x32x12x16xf32>
  %1 = nn.relu %0 : tensor<1x32x12x16xf32>
  return %1 : tensor<1x32x12x16xf32>
}

// Channels innermost: vectors run along the 64 output channels, 4 of them
// times 5 columns of the 19-wide image. 5 does not divide 19; the columns
// keep a loop of their own (the rows are the parallel one), from which
// Halide peels the guarded last block of 4 columns. Blocks of output
// channels run outermost: one block's weights stay in cache while every
// position reads them.
// CHECK-LABEL: hl.pipeline @conv_nhwc
// CHECK-DAG: hl.split @conv2d stage 1 "c" into "co", "ci" by 8
// CHECK-DAG: hl.split @conv2d stage 1 "x" into "xo", "xi" by 5 {tail = "guard"}
// CHECK-DAG: hl.split @conv2d stage 1 "co" into "coo", "coi" by 4
// CHECK-DAG: hl.reorder @conv2d stage 1 ["n", "coo", "y", "xo", "ry", "rx", "rc", "xi", "coi", "ci"]
// CHECK-DAG: hl.unroll @conv2d stage 1 "xi"
// CHECK-DAG: hl.unroll @conv2d stage 1 "coi"
// CHECK-DAG: hl.vectorize @conv2d stage 1 "ci"
func @conv_nhwc(%x: tensor<1x19x19x8xf32> {nn.name = "x"}, %w: tensor<3x3x8x64xf32>) -> tensor<1x19x19x64xf32> {
  %0 = nn.conv2d %x, %w {stride = [1, 1], padding = [1, 1], dilation = [1, 1], groups = 1, channels_last} : (tensor<1x19x19x8xf32>, tensor<3x3x8x64xf32>) -> tensor<1x19x19x64xf32>
  %1 = nn.relu %0 : tensor<1x19x19x64xf32>
  return %1 : tensor<1x19x19x64xf32>
}

// Two convolutions with a relu between them: the relu is computed by the
// padded copy the second reads (not stored on its own), and the first,
// computed at root, runs one parallel loop over channel blocks times rows,
// in tasks of 2 (a row's block is 369K FMAs; tasks of at least 1M FMAs
// while there are 16 of them).
// CHECK-LABEL: hl.pipeline @conv_chain
// CHECK-DAG: hl.compute_inline @relu
// CHECK-DAG: hl.compute_root @relu_padded
// CHECK-DAG: hl.reorder @conv2d stage 1 ["n", "coo", "y", "xo", "ry", "rx", "rc", "xi", "coi", "ci"]
// CHECK-DAG: hl.fuse @conv2d stage 1 "y", "coo" into "coo_y"
// CHECK-DAG: hl.split @conv2d stage 1 "coo_y" into "coo_yo", "coo_yi" by 2
// CHECK-DAG: hl.parallel @conv2d stage 1 "coo_yo"
// CHECK-DAG: hl.compute_root @conv2d
func @conv_chain(%x: tensor<1x19x19x64xf32> {nn.name = "x"}, %w: tensor<3x3x64x64xf32>) -> tensor<1x19x19x64xf32> {
  %0 = nn.conv2d %x, %w {stride = [1, 1], padding = [1, 1], dilation = [1, 1], groups = 1, channels_last} : (tensor<1x19x19x64xf32>, tensor<3x3x64x64xf32>) -> tensor<1x19x19x64xf32>
  %1 = nn.relu %0 : tensor<1x19x19x64xf32>
  %2 = nn.conv2d %1, %w {stride = [1, 1], padding = [1, 1], dilation = [1, 1], groups = 1, channels_last} : (tensor<1x19x19x64xf32>, tensor<3x3x64x64xf32>) -> tensor<1x19x19x64xf32>
  return %2 : tensor<1x19x19x64xf32>
}

// A convolution read only by a transposition (an NCHW output, here through
// a relu) is computed inside the transposition's parallel loop, which runs
// over the convolution's tasks: all 64 channels of a block of rows where
// its weights (18 KB) stay in L2, so each task transposes what it has just
// computed. Its 1.7M FMAs make 4 tasks of 5 rows: tasks of at least 256K
// FMAs, an even number of them. The padded input stays at root: 19 rows in
// 8 tasks would be blocks of 2, each task copying 4 rows around its 2.
// CHECK-LABEL: hl.pipeline @conv_nchw_out
// CHECK-DAG: hl.split @permute stage 0 "y" into "yo", "yi" by 5 {tail = "shift_inwards"}
// CHECK-DAG: hl.reorder @permute stage 0 ["n", "yo", "yi", "co", "xo", "ci", "xi"]
// CHECK-DAG: hl.parallel @permute stage 0 "yo"
// CHECK-DAG: hl.compute_at @relu_tile at @permute "xo"
// CHECK-DAG: hl.compute_inline @relu
// CHECK-DAG: hl.compute_at @conv2d at @permute "yo"
// CHECK-DAG: hl.compute_root @x_padded
// CHECK-NOT: hl.parallel @conv2d
func @conv_nchw_out(%x: tensor<1x19x19x8xf32> {nn.name = "x"}, %w: tensor<3x3x8x64xf32>) -> tensor<1x64x19x19xf32> {
  %0 = nn.conv2d %x, %w {stride = [1, 1], padding = [1, 1], dilation = [1, 1], groups = 1, channels_last} : (tensor<1x19x19x8xf32>, tensor<3x3x8x64xf32>) -> tensor<1x19x19x64xf32>
  %1 = nn.relu %0 : tensor<1x19x19x64xf32>
  %2 = nn.permute %1 {dims = [0, 3, 1, 2]} : (tensor<1x19x19x64xf32>) -> tensor<1x64x19x19xf32>
  return %2 : tensor<1x64x19x19xf32>
}

// Taller (40 x 40): tasks of 5 rows (8 tasks) of all channels, each also
// copying the 7 padded input rows it reads, instead of a parallel loop of
// its own copying them all first.
// CHECK-LABEL: hl.pipeline @conv_nchw_out_tall
// CHECK-DAG: hl.split @permute stage 0 "y" into "yo", "yi" by 5 {tail = "shift_inwards"}
// CHECK-DAG: hl.parallel @permute stage 0 "yo"
// CHECK-DAG: hl.compute_at @conv2d at @permute "yo"
// CHECK-DAG: hl.compute_at @x_padded at @permute "yo"
// CHECK-NOT: hl.parallel @x_padded
func @conv_nchw_out_tall(%x: tensor<1x40x40x8xf32> {nn.name = "x"}, %w: tensor<3x3x8x64xf32>) -> tensor<1x64x40x40xf32> {
  %0 = nn.conv2d %x, %w {stride = [1, 1], padding = [1, 1], dilation = [1, 1], groups = 1, channels_last} : (tensor<1x40x40x8xf32>, tensor<3x3x8x64xf32>) -> tensor<1x40x40x64xf32>
  %1 = nn.permute %0 {dims = [0, 3, 1, 2]} : (tensor<1x40x40x64xf32>) -> tensor<1x64x40x40xf32>
  return %1 : tensor<1x64x40x40xf32>
}

// Where the weights (576 KB) would not stay in L2, a task is a block of
// 4 x 8 channels (the convolution's register block) times 2 rows (700K FMAs
// a row; tasks of at least 1M FMAs while there are 16).
// CHECK-LABEL: hl.pipeline @conv_nchw_out_wide
// CHECK-DAG: hl.split @permute stage 0 "c" into "co", "ci" by 32 {tail = "shift_inwards"}
// CHECK-DAG: hl.split @permute stage 0 "y" into "yo", "yi" by 2 {tail = "shift_inwards"}
// CHECK-DAG: hl.reorder @permute stage 0 ["n", "co", "yo", "yi", "cio", "xo", "cii", "xi"]
// CHECK-DAG: hl.fuse @permute stage 0 "yo", "co" into "co_yo"
// CHECK-DAG: hl.parallel @permute stage 0 "co_yo"
// CHECK-DAG: hl.compute_at @conv2d at @permute "co_yo"
// CHECK-DAG: hl.compute_root @x_padded
// CHECK-NOT: hl.parallel @conv2d
func @conv_nchw_out_wide(%x: tensor<1x19x19x128xf32> {nn.name = "x"}, %w: tensor<3x3x128x128xf32>) -> tensor<1x128x19x19xf32> {
  %0 = nn.conv2d %x, %w {stride = [1, 1], padding = [1, 1], dilation = [1, 1], groups = 1, channels_last} : (tensor<1x19x19x128xf32>, tensor<3x3x128x128xf32>) -> tensor<1x19x19x128xf32>
  %1 = nn.permute %0 {dims = [0, 3, 1, 2]} : (tensor<1x19x19x128xf32>) -> tensor<1x128x19x19xf32>
  return %1 : tensor<1x128x19x19xf32>
}

// A transposition read inside a reduction is stored first: the reduction's
// vectors then load contiguous memory instead of gathering.
// CHECK-LABEL: hl.pipeline @transposed_operand
// CHECK-DAG: hl.compute_root @permute
func @transposed_operand(%a: tensor<64x40xf32>, %b: tensor<64x32xf32>) -> tensor<40x32xf32> {
  %0 = nn.permute %a {dims = [1, 0]} : (tensor<64x40xf32>) -> tensor<40x64xf32>
  %1 = nn.matmul %0, %b : (tensor<40x64xf32>, tensor<64x32xf32>) -> tensor<40x32xf32>
  return %1 : tensor<40x32xf32>
}

// A matmul's rows read its left operand, an input: the row block (5) must
// divide the 40 rows. Each loaded vector of the right operand feeds 5 rows,
// each broadcast value 4 vectors.
// CHECK-LABEL: hl.pipeline @matmul
// CHECK-DAG: hl.split @matmul stage 1 "d0" into "d0o", "d0i" by 5
// CHECK-DAG: hl.split @matmul stage 1 "d1o" into "d1oo", "d1oi" by 4
// CHECK-DAG: hl.reorder @matmul stage 1 ["d1oo", "d0o", "k", "d0i", "d1oi", "d1i"]
// CHECK-DAG: hl.unroll @matmul stage 1 "d0i"
// CHECK-DAG: hl.unroll @matmul stage 1 "d1oi"
func @matmul(%a: tensor<40x64xf32>, %b: tensor<64x32xf32>) -> tensor<40x32xf32> {
  %0 = nn.matmul %a, %b : (tensor<40x64xf32>, tensor<64x32xf32>) -> tensor<40x32xf32>
  return %0 : tensor<40x32xf32>
}

// The rows are a matmul's outermost variable, the one a parallel loop
// fuses with the channel blocks, where a guarded last block would branch
// inside the reduction loop. Its left operand is a func, not a buffer, so
// the last block of rows computes past the end instead (40 rows for 38).
// CHECK-LABEL: hl.pipeline @matmul_computed
// CHECK-DAG: hl.split @matmul stage 1 "d0" into "d0o", "d0i" by 5 {tail = "round_up"}
// CHECK-DAG: hl.split @relu_0 stage 0 "d0" into "d0o", "d0i" by 5 {tail = "shift_inwards"}
func @matmul_computed(%a: tensor<38x64xf32>, %b: tensor<64x32xf32>) -> tensor<38x32xf32> {
  %r = nn.relu %a : tensor<38x64xf32>
  %0 = nn.matmul %r, %b : (tensor<38x64xf32>, tensor<64x32xf32>) -> tensor<38x32xf32>
  %1 = nn.relu %0 : tensor<38x32xf32>
  return %1 : tensor<38x32xf32>
}

// Views (reshape) and elementwise funcs read only by other elementwise
// funcs are inlined; a reduction read through a broadcast (softmax's max
// and sum) stays at root rather than being recomputed per slice; an innermost
// extent narrower than a vector is not vectorized. 18 values are too few to
// fork for: nothing runs in parallel.
// CHECK-LABEL: hl.pipeline @softmax
// CHECK-DAG: hl.compute_inline @reshape
// CHECK-DAG: hl.compute_root @max
// CHECK-DAG: hl.compute_root @sum
// CHECK-DAG: hl.compute_root @exp
// CHECK-DAG: hl.compute_root @softmax
// CHECK-NOT: hl.compute_at
// CHECK-NOT: hl.parallel
// CHECK-NOT: hl.vectorize
func @softmax(%x: tensor<3x2x3xf32>) -> tensor<6x3xf32> {
  %0 = nn.reshape %x {shape = [6, 3]} : (tensor<3x2x3xf32>) -> tensor<6x3xf32>
  %1 = nn.softmax %0 {axis = 1} : (tensor<6x3xf32>) -> tensor<6x3xf32>
  return %1 : tensor<6x3xf32>
}

// Every func gets a directive: none is left to Halide's default.
// CHECK-LABEL: hl.pipeline @every_func
// CHECK-DAG: hl.compute_inline @add
// CHECK-DAG: hl.compute_inline @relu
// CHECK-DAG: hl.compute_root @mul
func @every_func(%x: tensor<64xf32>) -> tensor<64xf32> {
  %0 = nn.add %x, %x : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
  %1 = nn.relu %0 : tensor<64xf32>
  %2 = nn.mul %1, %x : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
  return %2 : tensor<64xf32>
}

// Attention runs per block of 8 query rows: the output is split along its
// rows and parallel over the blocks, and every stage is computed inside a
// block (no T x T scores are stored), vectorized but not parallel itself.
// A row's max and sum over its keys run in vectors along the keys, each
// reduced within (atomic: Halide may then vectorize a reduction variable).
// CHECK-LABEL: hl.pipeline @attention
// CHECK-DAG: hl.split @attention stage 0 "d0" into "d0o", "d0i" by 8
// CHECK-DAG: hl.split @attention stage 0 "d1" into "d1o", "d1i" by 8
// CHECK-DAG: hl.vectorize @attention stage 0 "d1i"
// CHECK-DAG: hl.parallel @attention stage 0 "d0o"
// CHECK-DAG: hl.compute_root @attention
// CHECK-DAG: hl.compute_at @scores at @attention "d0o"
// CHECK-DAG: hl.compute_at @row_max at @attention "d0o"
// CHECK-DAG: hl.compute_at @weights at @attention "d0o"
// CHECK-DAG: hl.compute_at @row_sum at @attention "d0o"
// CHECK-DAG: hl.compute_at @weighted at @attention "d0o"
// CHECK-DAG: hl.split @scores stage 0 "d1" into "d1o", "d1i" by 8
// CHECK-DAG: hl.atomic @row_max stage 1
// CHECK-DAG: hl.split @row_max stage 1 "r" into "ro", "ri" by 8
// CHECK-DAG: hl.vectorize @row_max stage 1 "ri"
// CHECK-DAG: hl.atomic @row_sum stage 1
// CHECK-DAG: hl.vectorize @row_sum stage 1 "ri"
// CHECK-NOT: hl.parallel @scores
// CHECK-NOT: hl.compute_root @scores
func @attention(%x: tensor<1000x64xf32>) -> tensor<1000x64xf32> {
  %0 = nn.attention %x, %x, %x {scale = 0.125} : (tensor<1000x64xf32>, tensor<1000x64xf32>, tensor<1000x64xf32>) -> tensor<1000x64xf32>
  return %0 : tensor<1000x64xf32>
}
