//===- Passes.td - nn graph passes ------------------------*- tablegen -*-===//

#ifndef NNCC_TRANSFORMS_PASSES_TD
#define NNCC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def RecognizeAttention : Pass<"nn-recognize-attention", "mlir::FuncOp"> {
  let summary = "Rewrite softmax(q @ k^T * s) @ v written with primitives as nn.attention";
  let description = [{
    Matches matmul(softmax(scores, axis=-1), v) where scores is q @ k^T
    (k^T a transpose or permute swapping k's last two dimensions),
    optionally multiplied or divided by a scalar constant, with every
    intermediate used once. The fused op is then lowered tiled, with no T x T
    matrix stored.
  }];
  let constructor = "nncc::createRecognizeAttentionPass()";
}

#endif // NNCC_TRANSFORMS_PASSES_TD
