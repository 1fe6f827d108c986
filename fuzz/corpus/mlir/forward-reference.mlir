func @f(%a: f32) -> f32 {
  %0 = arith.addf %1, %a : f32
  %1 = arith.addf %a, %a : f32
  %2 = arith.addf %0, %q : f32
  return %2 : f32
}
