// RUN: nncc-opt %s -split-input-file -verify-diagnostics

hl.pipeline @p {
  hl.input @x "x" [2, 3]
  hl.func @f ["i"] [4] {
  ^bb0(%i: i32):
    // expected-error @+1 {{'hl.call' op reads @x with 1 coordinates, but it has 2}}
    %v = hl.call @x(%i)
    hl.yield %v
  }
}

// -----

hl.pipeline @p {
  hl.func @f ["i"] [4] {
  ^bb0(%i: i32):
    // expected-error @+1 {{'hl.call' op refers to unknown symbol @nothing}}
    %v = hl.call @nothing(%i)
    hl.yield %v
  }
}

// -----

hl.pipeline @p {
  // expected-error @+1 {{'hl.func' op body takes 1 arguments, expected 2}}
  hl.func @f ["i", "j"] [2, 2] {
  ^bb0(%i: i32):
    %v = arith.constant 0.0 : f32
    hl.yield %v
  }
}

// -----

hl.pipeline @p {
  hl.func @f ["i"] [4] {
  ^bb0(%i: i32):
    %v = arith.constant 0.0 : f32
    hl.yield %v
  }
  hl.update @f ["r"] [0] [4] {
  ^bb0(%i: i32, %r: i32):
    %v = arith.constant 1.0 : f32
    // expected-error @+1 {{'hl.yield' op of an update must write 'at' 1 coordinates, got 0}}
    hl.yield %v
  }
}

// -----

hl.pipeline @p {
  hl.func @f ["i"] [4] {
  ^bb0(%i: i32):
    %v = arith.constant 0.0 : f32
    hl.yield %v
  }
  // expected-error @+1 {{'hl.update' op needs one min and one extent per reduction variable}}
  hl.update @f ["r"] [0, 1] [4] {
  ^bb0(%i: i32, %r: i32):
    %v = arith.constant 1.0 : f32
    hl.yield %v at(%i)
  }
}

// -----

hl.pipeline @p {
  hl.func @f ["i"] [4] {
  ^bb0(%i: i32):
    %v = arith.constant 0.0 : f32
    hl.yield %v
  }
  // expected-error @+1 {{'hl.output' op reads @f with 2 coordinates, but it has 1}}
  hl.output @f "f" [2, 2]
}

// -----

hl.pipeline @p {
  hl.func @f ["i"] [4] {
  ^bb0(%i: i32):
    %v = arith.constant 0.0 : f32
    hl.yield %v
  }
  hl.output @f "f" [4]
  // expected-error @+1 {{'hl.split' op attribute 'tail' failed to satisfy constraint}}
  hl.split @f stage 0 "i" into "io", "ii" by 2 {tail = "wrap"}
}

// -----

hl.pipeline @p {
  hl.func @f ["i"] [4] {
  ^bb0(%i: i32):
    %v = arith.constant 0.0 : f32
    hl.yield %v
  }
  hl.output @f "f" [4]
  // expected-error @+1 {{'hl.split' op factor must be positive}}
  hl.split @f stage 0 "i" into "io", "ii" by 0
}

// -----

hl.pipeline @p {
  // expected-error @+1 {{hl.attention names "g", which is not the result func of an attention}}
  hl.func @f ["i"] [4] attributes {hl.attention = "g"} {
  ^bb0(%i: i32):
    %v = arith.constant 0.0 : f32
    hl.yield %v
  }
  hl.func @g ["i"] [4] {
  ^bb0(%i: i32):
    %v = hl.call @f(%i)
    hl.yield %v
  }
  hl.output @g "g" [4]
}

// -----

hl.pipeline @p {
  // expected-error @+1 {{hl.row_group must be a positive integer on an attention's result func}}
  hl.func @f ["i"] [4] attributes {hl.attention = "f", hl.row_group = 0 : i64} {
  ^bb0(%i: i32):
    %v = arith.constant 0.0 : f32
    hl.yield %v
  }
  hl.output @f "f" [4]
}

// -----

hl.pipeline @p {
  // expected-error @+1 {{hl.winograd_tiles must be a positive integer on a 4-d hl.func}}
  hl.func @f ["i"] [4] attributes {hl.winograd_tiles = 2 : i64} {
  ^bb0(%i: i32):
    %v = arith.constant 0.0 : f32
    hl.yield %v
  }
  hl.output @f "f" [4]
}

// -----

hl.pipeline @p {
  // expected-error @+1 {{unknown hl attribute "hl.rows"}}
  hl.func @f ["i"] [4] attributes {hl.rows = 8 : i64} {
  ^bb0(%i: i32):
    %v = arith.constant 0.0 : f32
    hl.yield %v
  }
  hl.output @f "f" [4]
}

// -----

hl.pipeline @p {
  // expected-error @+1 {{'hl.func' op body must end with hl.yield}}
  hl.func @f ["i"] [4] {
  ^bb0(%i: i32):
    %v = arith.constant 0.0 : f32
  }
  hl.output @f "f" [4]
}

// -----

hl.pipeline @p {
  hl.func @f ["i"] [4] {
  ^bb0(%i: i32):
    %v = arith.constant 0.0 : f32
    hl.yield %v
  }
  // expected-error @+1 {{'hl.update' op body must end with hl.yield}}
  hl.update @f [] [] [] {
  ^bb0(%i: i32):
  }
  hl.output @f "f" [4]
}

// -----

hl.pipeline @p {
  hl.func @f ["i"] [4] {
  ^bb0(%i: i32):
    %v = arith.constant 0.0 : f32
    hl.yield %v
  }
  hl.output @f "f" [4]
  // expected-error @+1 {{'hl.split' op stage -1 of @f, which has stages 0 to 0}}
  hl.split @f stage -1 "i" into "io", "ii" by 2
}

// -----

hl.pipeline @p {
  hl.func @f ["i"] [4] {
  ^bb0(%i: i32):
    %v = arith.constant 0.0 : f32
    hl.yield %v
  }
  hl.output @f "f" [4]
  // expected-error @+1 {{'hl.vectorize' op stage 1 of @f, which has stages 0 to 0}}
  hl.vectorize @f stage 1 "i"
}

// -----

// i32 inputs hold indices, read by hl.index alone.
hl.pipeline @p {
  hl.input @ids "ids" [4] {int32}
  hl.func @f ["i"] [4] {
  ^bb0(%i: i32):
    // expected-error @+1 {{'hl.call' op reads the i32 input @ids; indices are read with hl.index}}
    %v = hl.call @ids(%i)
    hl.yield %v
  }
}

// -----

hl.pipeline @p {
  hl.input @x "x" [4]
  hl.func @f ["i"] [4] {
  ^bb0(%i: i32):
    // expected-error @+1 {{'hl.index' op reads indices from @x, which is not an i32 input}}
    %r = hl.index @x(%i) below 4
    %v = hl.call @x(%r)
    hl.yield %v
  }
}

// -----

hl.pipeline @p {
  hl.input @ids "ids" [4] {int32}
  hl.input @x "x" [4]
  hl.func @f ["i"] [4] {
  ^bb0(%i: i32):
    // expected-error @+1 {{'hl.index' op bound must be positive}}
    %r = hl.index @ids(%i) below 0
    %v = hl.call @x(%r)
    hl.yield %v
  }
}
