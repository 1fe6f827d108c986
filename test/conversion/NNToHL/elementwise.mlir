// RUN: nncc-opt %s -convert-nn-to-hl | FileCheck %s

// relu is x < 0 ? 0 : x, strict, so that NaN stays NaN (a max would drop
// it); it compiles to one max instruction all the same.
// CHECK-LABEL: hl.pipeline @unary
// CHECK: hl.func @relu ["d0"] [5]
// CHECK:   %[[X:.*]] = hl.call @arg0
// CHECK:   %[[LT:.*]] = arith.cmpf olt, %[[X]], %[[ZERO:.*]] : f32
// CHECK:   hl.select %[[LT]], %[[ZERO]], %[[X]] {strict} : f32
// CHECK: hl.func @sigmoid
// CHECK:   arith.negf
// CHECK:   math.exp
// CHECK:   arith.divf
// CHECK: hl.func @tanh
// CHECK:   math.tanh
// CHECK: hl.func @gelu
// CHECK:   arith.constant 0.707106769 : f32
// CHECK:   math.erf
// CHECK: hl.func @exp
// CHECK: hl.func @sqrt
// CHECK:   math.sqrt
// CHECK: hl.func @neg
// CHECK:   arith.negf
func @unary(%x: tensor<5xf32>) -> tensor<5xf32> {
  %0 = nn.relu %x : tensor<5xf32>
  %1 = nn.sigmoid %0 : tensor<5xf32>
  %2 = nn.tanh %1 : tensor<5xf32>
  %3 = nn.gelu %2 : tensor<5xf32>
  %4 = nn.exp %3 : tensor<5xf32>
  %5 = nn.sqrt %4 : tensor<5xf32>
  %6 = nn.neg %5 : tensor<5xf32>
  return %6 : tensor<5xf32>
}

// Where Halide's f32 code is wrong at NaN and infinities (its exp is a
// polynomial), the op's own values there are selected: sigmoid(+inf) = 1,
// sigmoid(-inf) = 0, NaN through.
// CHECK-LABEL: hl.pipeline @exact_at_specials
// CHECK: hl.func @sigmoid
// CHECK:   %[[X:.*]] = hl.call @arg0
// CHECK:   %[[F:.*]] = arith.divf
// CHECK:   %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK:   %[[PINF:.*]] = arith.constant 0x7F800000 : f32
// CHECK:   %[[ISPINF:.*]] = arith.cmpf oeq, %[[X]], %[[PINF]]
// CHECK:   %[[A:.*]] = hl.select %[[ISPINF]], %[[ONE]], %[[F]]
// CHECK:   %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:   %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:   %[[ISNINF:.*]] = arith.cmpf oeq, %[[X]], %[[NINF]]
// CHECK:   %[[B:.*]] = hl.select %[[ISNINF]], %[[ZERO]], %[[A]]
// CHECK:   %[[ISNAN:.*]] = arith.cmpf uno, %[[X]], %[[X]]
// CHECK:   %[[C:.*]] = hl.select %[[ISNAN]], %[[X]], %[[B]]
// CHECK:   hl.yield %[[C]]
// leaky_relu's formula is exact there: no selects.
// CHECK: hl.func @leaky_relu
// CHECK:   arith.cmpf ogt
// CHECK-NOT: cmpf uno
// CHECK:   hl.yield
func @exact_at_specials(%x: tensor<5xf32>) -> (tensor<5xf32>, tensor<5xf32>) {
  %0 = nn.sigmoid %x : tensor<5xf32>
  %1 = nn.leaky_relu %x {negative_slope = 0.01} : tensor<5xf32>
  return %0, %1 : tensor<5xf32>, tensor<5xf32>
}

// Comparisons are 1 or 0, and 0 (1 for ne) where an operand is NaN.
// CHECK-LABEL: hl.pipeline @compare
// CHECK: hl.func @ne
// CHECK:   %[[EQ:.*]] = arith.cmpf oeq
// CHECK:   %[[T:.*]] = hl.select %[[EQ]], %[[NO:.*]], %[[YES:.*]] : f32
// CHECK:   %[[NAN:.*]] = arith.cmpf uno
// CHECK:   hl.select %[[NAN]], %[[YES]], %[[T]]
// A constant exponent of 2 is a product; others call powf.
// CHECK: hl.func @pow
// CHECK:   arith.mulf
// CHECK-NOT: math.powf
// CHECK: hl.func @pow_0
// CHECK:   math.powf
func @compare(%x: tensor<5xf32>, %y: tensor<5xf32>) -> (tensor<5xf32>, tensor<5xf32>, tensor<5xf32>) {
  %0 = nn.ne %x, %y : (tensor<5xf32>, tensor<5xf32>) -> tensor<5xf32>
  %c = nn.constant dense<2.0> : tensor<f32>
  %1 = nn.pow %x, %c : (tensor<5xf32>, tensor<f32>) -> tensor<5xf32>
  %2 = nn.pow %x, %y : (tensor<5xf32>, tensor<5xf32>) -> tensor<5xf32>
  return %0, %1, %2 : tensor<5xf32>, tensor<5xf32>, tensor<5xf32>
}

// Broadcasting reads size-1 dimensions at 0; a scalar constant is a func of
// no variables.
// CHECK-LABEL: hl.pipeline @binary
// CHECK: hl.func @constant [] [] {
// CHECK:   arith.constant 2.000000e+00 : f32
// CHECK: hl.func @add ["d0", "d1"] [3, 4] {
// CHECK: ^bb0(%[[I:.*]]: i32, %[[J:.*]]: i32):
// CHECK-DAG:   hl.call @arg0(%[[I]], %[[J]])
// CHECK-DAG:   %[[Z:.*]] = arith.constant 0 : i32
// CHECK-DAG:   hl.call @arg1(%[[Z]], %[[J]])
// CHECK: hl.func @mul
// CHECK:   hl.call @constant()
func @binary(%x: tensor<3x4xf32>, %y: tensor<1x4xf32>) -> tensor<3x4xf32> {
  %c = nn.constant dense<2.0> : tensor<f32>
  %0 = nn.add %x, %y : (tensor<3x4xf32>, tensor<1x4xf32>) -> tensor<3x4xf32>
  %1 = nn.mul %0, %c : (tensor<3x4xf32>, tensor<f32>) -> tensor<3x4xf32>
  return %1 : tensor<3x4xf32>
}

// A non-splat constant and the position table become embedded buffers.
// CHECK-LABEL: hl.pipeline @constants
// CHECK: hl.buffer @constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: hl.buffer @positions dense<{{\[}}[0.000000e+00, 1.000000e+00], [0.841470957, 0.540302277]]> : tensor<2x2xf32>
func @constants() -> (tensor<2xf32>, tensor<2x2xf32>) {
  %c = nn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %p = nn.sinusoidal_positions {length = 2, dim = 2} : tensor<2x2xf32>
  return %c, %p : tensor<2xf32>, tensor<2x2xf32>
}
