//===- Passes.td - nn graph passes ------------------------*- tablegen -*-===//

#ifndef NNCC_TRANSFORMS_PASSES_TD
#define NNCC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def RecognizeAttention : Pass<"nn-recognize-attention", "mlir::FuncOp"> {
  let summary = "Rewrite softmax(q @ k^T * s) @ v written with primitives as nn.attention";
  let description = [{
    Matches matmul(softmax(scores, axis=-1), v) where scores is q @ k^T
    (k^T a transpose or permute swapping k's last two dimensions, possibly
    moving others too), with the scores, q or k^T optionally multiplied or
    divided by a scalar constant, and every intermediate used once. The fused op is then lowered tiled, with no T x T
    matrix stored.
  }];
  let constructor = "nncc::createRecognizeAttentionPass()";
}

def RecognizeDecomposed : Pass<"nn-recognize-decomposed", "mlir::FuncOp"> {
  let summary = "Layer norm and GELU as exporters spell them out, whole";
  let description = [{
    d = x - mean(x); d / sqrt(mean(d^2) + eps) * w + b over the last axis
    becomes nn.layer_norm; x * (erf(x / sqrt(2)) + 1) * 0.5 becomes
    nn.gelu: what torch.onnx.export writes for F.layer_norm (before opset
    17) and F.gelu. A matmul by a constant [K, N] becomes a linear by its
    transpose, as F.linear was before export.
  }];
  let constructor = "nncc::createRecognizeDecomposedPass()";
}

def FoldAffine : Pass<"nn-fold-affine", "mlir::FuncOp"> {
  let summary = "Fold batch norm and per-channel scales and shifts into conv and linear weights";
  let description = [{
    batch_norm with constant statistics and weights becomes x * s + t with
    s and t computed at compile time; a multiplication, division, addition
    or subtraction by a constant that varies only along the output channels
    of a conv2d or linear with constant weights (and its only use) is folded
    into that layer's weight and bias.
  }];
  let constructor = "nncc::createFoldAffinePass()";
}

def HoistSlices : Pass<"nn-hoist-slices", "mlir::FuncOp"> {
  let summary = "Move slices above row-wise ops so that they compute only the rows kept";
  let description = [{
    slice(f(x)) becomes f(slice(x)) for elementwise ops, layer_norm and
    linear (along any axis but the last) and multi_head_attention (along
    the queries, the whole input kept as keys and values), where f's result
    has no other use: a classifier that reads one token computes that
    token alone through the layers before it. A linear sliced only along
    its last axis splits into one linear per slice, by rows of its weight.
  }];
  let constructor = "nncc::createHoistSlicesPass()";
}

def ConvTransposeAsConv : Pass<"nn-conv-transpose-as-conv", "mlir::FuncOp"> {
  let summary = "Transposed convolutions with constant weights as one conv2d over their phases";
  let description = [{
    conv_transpose2d with a constant weight (and bias) and dilation 1
    becomes a conv2d whose output channels are the stride's phases (each
    output row and column residue modulo the stride, with the kernel taps
    that reach it), then an interleaving reshape, permute and reshape, and
    slices that crop the padding. The phase weight is computed at compile
    time.
  }];
  let constructor = "nncc::createConvTransposeAsConvPass()";
}

def ChannelsLast : Pass<"nn-channels-last", "mlir::FuncOp"> {
  let summary = "Convolutions on channels-innermost activations";
  let description = [{
    Rewrites each ungrouped conv2d with at least `min-channels` output
    channels as a channels_last conv2d between permutes of its input, weight
    and result, then sinks permutes through elementwise ops and pools (which
    become channels_last pools) so that the
    permutes between consecutive convolutions cancel. Permutes of constant
    weights fold at compile time.
  }];
  let constructor = "nncc::createChannelsLastPass()";
  let options = [
    Option<"minChannels", "min-channels", "int64_t", /*default=*/"16",
           "Fewest output channels worth a channels-innermost convolution "
           "(nncc passes the target's vector width)">
  ];
}

def ConvAsWinograd : Pass<"nn-conv-as-winograd", "mlir::FuncOp"> {
  let summary = "3x3 channels_last convolutions in Winograd's F(2x2, 3x3)";
  let description = [{
    A channels_last conv2d with a constant 3x3 weight, stride 1, dilation 1
    and no groups, with at least `min-tiles` 2x2 output tiles and channels
    of at least `min-channels`, becomes winograd_input, a batched matmul by
    the weight transformed at compile time, and winograd_output: 16
    products per tile and channel pair instead of 36.
  }];
  let constructor = "nncc::createConvAsWinogradPass()";
  let options = [
    Option<"minTiles", "min-tiles", "int64_t", /*default=*/"64",
           "Fewest output tiles, the uses of each transformed weight (nncc "
           "passes TargetModel::minWeightReuse)">,
    Option<"minChannels", "min-channels", "int64_t", /*default=*/"16",
           "Fewest input and output channels (nncc passes the vector width)">
  ];
}

def LinearToMatmul : Pass<"nn-linear-to-matmul", "mlir::FuncOp"> {
  let summary = "Linear layers with constant weights as matmul by the transposed weight";
  let description = [{
    linear(x, w, b) with w a constant becomes matmul(x, permute(w)) + b; the
    permute folds, so the product reads the weight's rows contiguously.
    Where the output columns make at least two panels of `panel-columns`,
    the transposed weight is packed panel by panel ([N/P, K, P], each
    panel contiguous) and the product runs per panel, a batched matmul
    whose result is permuted back.
  }];
  let constructor = "nncc::createLinearToMatmulPass()";
  let options = [
    Option<"panelColumns", "panel-columns", "int64_t", /*default=*/"64",
           "Columns of a packed weight panel (nncc passes the target's "
           "register block: 4 vectors)">
  ];
}

#endif // NNCC_TRANSFORMS_PASSES_TD
