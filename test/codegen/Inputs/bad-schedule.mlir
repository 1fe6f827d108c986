hl.pipeline @p {
  hl.input @x "x" [8]
  hl.func @f ["i"] [8] {
  ^bb0(%i: i32):
    %v = hl.call @x(%i)
    hl.yield %v
  }
  hl.output @f "f" [8]
  hl.split @f stage 0 "nothere" into "a", "b" by 4
}
