// RUN: nncc-opt %s | FileCheck %s
// RUN: nncc-opt %s | nncc-opt | FileCheck %s

// A 3x3 convolution with zero padding and bias, as NNToHL writes it.
// CHECK-LABEL: hl.pipeline @conv
hl.pipeline @conv {
  // CHECK: hl.input @x "x" [1, 2, 4, 4]
  hl.input @x "x" [1, 2, 4, 4]
  // CHECK: hl.buffer @b dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>
  hl.buffer @b dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  // CHECK: hl.input @w "w" [3, 2, 3, 3] {param}
  hl.input @w "w" [3, 2, 3, 3] {param}
  // CHECK: hl.constant_exterior @xp = @x 0.000000e+00 [0, 0, 0, 0] [1, 2, 4, 4]
  hl.constant_exterior @xp = @x 0.0 [0, 0, 0, 0] [1, 2, 4, 4]
  // CHECK: hl.func @y ["n", "c", "h", "w"] [1, 3, 4, 4] {
  hl.func @y ["n", "c", "h", "w"] [1, 3, 4, 4] {
  ^bb0(%n: i32, %c: i32, %h: i32, %w: i32):
    // CHECK: hl.call @b(%{{.*}})
    %0 = hl.call @b(%c)
    hl.yield %0
  }
  // CHECK: hl.update @y ["rc", "ry", "rx"] [0, 0, 0] [2, 3, 3] {
  hl.update @y ["rc", "ry", "rx"] [0, 0, 0] [2, 3, 3] {
  ^bb0(%n: i32, %c: i32, %h: i32, %w: i32, %rc: i32, %ry: i32, %rx: i32):
    %one = arith.constant 1 : i32
    %acc = hl.call @y(%n, %c, %h, %w)
    %hh = arith.addi %h, %ry : i32
    %h1 = arith.subi %hh, %one : i32
    %ww = arith.addi %w, %rx : i32
    %w1 = arith.subi %ww, %one : i32
    // CHECK: hl.mod %{{.*}}, %{{.*}}
    %unused = hl.mod %w1, %one
    %in = hl.call @xp(%n, %rc, %h1, %w1)
    %k = hl.call @w(%c, %rc, %ry, %rx)
    %p = arith.mulf %in, %k : f32
    %s = arith.addf %acc, %p : f32
    // CHECK: hl.yield %{{.*}} at(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}})
    hl.yield %s at(%n, %c, %h, %w)
  }
  hl.func @out ["n", "c", "h", "w"] [1, 3, 4, 4] {
  ^bb0(%n: i32, %c: i32, %h: i32, %w: i32):
    %v = hl.call @y(%n, %c, %h, %w)
    %zero = arith.constant 0.0 : f32
    %pos = arith.cmpf ogt, %v, %zero : f32
    // CHECK: hl.select %{{.*}}, %{{.*}}, %{{.*}} : f32
    %r = hl.select %pos, %v, %zero : f32
    hl.yield %r
  }
  // CHECK: hl.output @out "out" [1, 3, 4, 4]
  hl.output @out "out" [1, 3, 4, 4]
  // CHECK: hl.compute_inline @xp
  hl.compute_inline @xp
  // CHECK: hl.compute_at @y at @out "h"
  hl.compute_at @y at @out "h"
  // CHECK: hl.split @out stage 0 "w" into "wo", "wi" by 8
  hl.split @out stage 0 "w" into "wo", "wi" by 8
  // CHECK: hl.vectorize @out stage 0 "wi"
  hl.vectorize @out stage 0 "wi"
  // CHECK: hl.reorder @y stage 1 ["w", "rx", "ry", "rc", "c", "h", "n"]
  hl.reorder @y stage 1 ["w", "rx", "ry", "rc", "c", "h", "n"]
  // CHECK: hl.fuse @out stage 0 "c", "n" into "nc"
  hl.fuse @out stage 0 "c", "n" into "nc"
  // CHECK: hl.parallel @out stage 0 "nc"
  hl.parallel @out stage 0 "nc"
  // CHECK: hl.unroll @y stage 1 "rx"
  hl.unroll @y stage 1 "rx"
  // CHECK: hl.atomic @y stage 1
  hl.atomic @y stage 1
  hl.compute_root @out
}

// Max pooling pads with -inf.
// CHECK-LABEL: hl.pipeline @pool
hl.pipeline @pool {
  hl.input @x "x" [1, 1, 4, 4]
  // CHECK: hl.constant_exterior @xp = @x 0xFF800000 [0, 0, 0, 0] [1, 1, 4, 4]
  hl.constant_exterior @xp = @x 0xFF800000 [0, 0, 0, 0] [1, 1, 4, 4]
  hl.func @m ["n", "c", "h", "w"] [1, 1, 4, 4] {
  ^bb0(%n: i32, %c: i32, %h: i32, %w: i32):
    %v = hl.call @xp(%n, %c, %h, %w)
    hl.yield %v
  }
  hl.output @m "m" [1, 1, 4, 4]
}
