//===- NNOps.td - nn dialect operations -------------------*- tablegen -*-===//

#ifndef NN_OPS_TD
#define NN_OPS_TD

include "NNDialect.td"
include "NNInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// Every nn op is pure and infers its result type with `inferReturnTypes`,
// whose definition in NNShapes.cpp is that op's single shape function.
class NN_Op<string mnemonic, list<Trait> traits = []>
    : Op<NN_Dialect, mnemonic,
         !listconcat(traits, [NoSideEffect,
                              DeclareOpInterfaceMethods<InferTypeOpInterface>])> {
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def NN_ConstantOp : NN_Op<"constant", [ConstantLike]> {
  let summary = "a constant tensor (scalar literals, folded weights)";
  let arguments = (ins ElementsAttr:$value);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

def NN_SinusoidalPositionsOp : NN_Op<"sinusoidal_positions"> {
  let summary = "the [T, D] sinusoidal position table of the Transformer";
  let description = [{
    PE[t, 2i] = sin(t / 10000^(2i/D)), PE[t, 2i+1] = cos(t / 10000^(2i/D)).
  }];
  let arguments = (ins I64Attr:$length, I64Attr:$dim);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "attr-dict `:` type($result)";
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

// An elementwise op of one operand; `attrs` are its parameters (F64Attr,
// with PyTorch's defaults applied by the front end).
class NN_UnaryOp<string mnemonic, string torch, dag attrs = (ins)>
    : NN_Op<mnemonic, [SameOperandsAndResultType,
                       DeclareOpInterfaceMethods<NN_ElementwiseOpInterface>]> {
  let summary = "elementwise " # torch;
  let arguments = !con((ins NN_Tensor:$input), attrs);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
  let hasFolder = 1;
}

def NN_ReluOp : NN_UnaryOp<"relu", "torch.relu">;
def NN_SigmoidOp : NN_UnaryOp<"sigmoid", "torch.sigmoid">;
def NN_TanhOp : NN_UnaryOp<"tanh", "torch.tanh">;
def NN_GeluOp : NN_UnaryOp<"gelu", "F.gelu; the tanh approximation with `tanh`",
                           (ins UnitAttr:$tanh)>;
def NN_ExpOp : NN_UnaryOp<"exp", "torch.exp">;
def NN_SqrtOp : NN_UnaryOp<"sqrt", "torch.sqrt">;
def NN_RsqrtOp : NN_UnaryOp<"rsqrt", "torch.rsqrt">;
def NN_NegOp : NN_UnaryOp<"neg", "torch.neg">;
def NN_AbsOp : NN_UnaryOp<"abs", "torch.abs">;
def NN_ErfOp : NN_UnaryOp<"erf", "torch.erf">;
def NN_SiluOp : NN_UnaryOp<"silu", "F.silu: x * sigmoid(x)">;
def NN_MishOp : NN_UnaryOp<"mish", "F.mish: x * tanh(softplus(x))">;
def NN_SeluOp : NN_UnaryOp<"selu", "F.selu">;
def NN_HardswishOp : NN_UnaryOp<"hardswish", "F.hardswish">;
def NN_HardsigmoidOp : NN_UnaryOp<"hardsigmoid", "F.hardsigmoid">;
def NN_LeakyReluOp : NN_UnaryOp<"leaky_relu", "F.leaky_relu",
                                (ins F64Attr:$negative_slope)>;
def NN_EluOp : NN_UnaryOp<"elu", "F.elu", (ins F64Attr:$alpha)>;
def NN_SoftplusOp : NN_UnaryOp<"softplus",
    "F.softplus: log(1 + exp(beta x)) / beta, x where beta x > threshold",
    (ins F64Attr:$beta, F64Attr:$threshold)>;

def NN_ClampOp : NN_UnaryOp<"clamp",
    "torch.clamp: min(max(input, min), max), either bound optional",
    (ins OptionalAttr<F64Attr>:$min, OptionalAttr<F64Attr>:$max)> {
  let description = [{
    Also hardtanh (min -1, max 1 by default) and relu6 (0, 6). With
    min > max every element is max, as in PyTorch.
  }];
}

class NN_BinaryOp<string mnemonic, string torch>
    : NN_Op<mnemonic, [DeclareOpInterfaceMethods<NN_ElementwiseOpInterface>]> {
  let summary = "elementwise " # torch # " with NumPy broadcasting";
  let arguments = (ins NN_Tensor:$lhs, NN_Tensor:$rhs);
  let results = (outs NN_Tensor:$result);
  let hasFolder = 1;
}

def NN_AddOp : NN_BinaryOp<"add", "torch.add">;
def NN_SubOp : NN_BinaryOp<"sub", "torch.sub">;
def NN_MulOp : NN_BinaryOp<"mul", "torch.mul">;
def NN_DivOp : NN_BinaryOp<"div", "torch.div">;
def NN_PowOp : NN_BinaryOp<"pow", "torch.pow">;
def NN_MinimumOp : NN_BinaryOp<"minimum", "torch.minimum (NaN propagates)">;
def NN_MaximumOp : NN_BinaryOp<"maximum", "torch.maximum (NaN propagates)">;
// Comparisons give 1.0 where true and 0.0 where false.
def NN_EqOp : NN_BinaryOp<"eq", "torch.eq, as 0/1">;
def NN_NeOp : NN_BinaryOp<"ne", "torch.ne, as 0/1">;
def NN_LtOp : NN_BinaryOp<"lt", "torch.lt, as 0/1">;
def NN_LeOp : NN_BinaryOp<"le", "torch.le, as 0/1">;
def NN_GtOp : NN_BinaryOp<"gt", "torch.gt, as 0/1">;
def NN_GeOp : NN_BinaryOp<"ge", "torch.ge, as 0/1">;

def NN_WhereOp
    : NN_Op<"where", [DeclareOpInterfaceMethods<NN_ElementwiseOpInterface>]> {
  let summary = "torch.where(condition != 0, lhs, rhs), NumPy broadcasting";
  let arguments = (ins NN_Tensor:$condition, NN_Tensor:$lhs, NN_Tensor:$rhs);
  let results = (outs NN_Tensor:$result);
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

def NN_MatmulOp : NN_Op<"matmul"> {
  let summary = "torch.matmul, batch dimensions broadcast";
  let arguments = (ins NN_Tensor:$lhs, NN_Tensor:$rhs);
  let results = (outs NN_Tensor:$result);
}

def NN_LinearOp : NN_Op<"linear"> {
  let summary = "F.linear: input @ weight^T + bias, weight is [out, in]";
  let arguments = (ins NN_Tensor:$input, NN_Tensor:$weight,
                       Optional<NN_Tensor>:$bias);
  let results = (outs NN_Tensor:$result);
}

//===----------------------------------------------------------------------===//
// Convolution and pooling (NCHW, OIHW)
//===----------------------------------------------------------------------===//

def NN_Conv2dOp : NN_Op<"conv2d"> {
  let summary = "F.conv2d with zero padding";
  let description = [{
    With `channels_last`, the same convolution on other layouts: input
    [N, H, W, C], weight [kH, kW, C/groups, O], result [N, OH, OW, O]. The
    language never writes it; -nn-channels-last introduces it so that
    activations keep channels innermost inside a model.
  }];
  let arguments = (ins NN_Tensor:$input, NN_Tensor:$weight,
                       Optional<NN_Tensor>:$bias,
                       I64ArrayAttr:$stride, I64ArrayAttr:$padding,
                       I64ArrayAttr:$dilation, I64Attr:$groups,
                       UnitAttr:$channels_last);
  let results = (outs NN_Tensor:$result);
}

// Winograd's F(2x2, 3x3) convolution, in the stages -nn-conv-as-winograd
// writes a channels_last 3x3 conv2d as: winograd_output(matmul(
// winograd_input(x), U)), U the weight transformed at compile time. The
// language never writes them.
def NN_WinogradInputOp : NN_Op<"winograd_input"> {
  let summary = "B^T d B for each 4x4 tile of an NHWC input";
  let description = [{
    Tile t = (n * TH + ty) * TW + tx, [TH, TW] = ceil(`size` / 2), covers
    input rows 2 ty - p .. 2 ty - p + 3 and likewise columns (p the
    `padding`; zeros outside the input). With B^T = [[1, 0, -1, 0],
    [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]]:
      result[4 a + b, t, c] = sum_ij B^T[a][i] B^T[b][j] d_t[i][j][c].
    `size` is the convolution's output size [H', W'] = [H, W] + 2 p - 2.
  }];
  let arguments = (ins NN_Tensor:$input, I64ArrayAttr:$padding,
                       I64ArrayAttr:$size);
  let results = (outs NN_Tensor:$result);
}

def NN_WinogradOutputOp : NN_Op<"winograd_output"> {
  let summary = "A^T m A for each tile, as an NHWC result, plus the bias";
  let description = [{
    For products m [16, T, O] of the tiles of an [N, H, W] output `size`
    and A^T = [[1, 1, 1, 0], [0, 1, -1, -1]]:
      result[n, y, x, o] = bias[o]
        + sum_ab A^T[y % 2][a] A^T[x % 2][b] m[4 a + b, t(n, y / 2, x / 2), o].
  }];
  let arguments = (ins NN_Tensor:$input, Optional<NN_Tensor>:$bias,
                       I64ArrayAttr:$size);
  let results = (outs NN_Tensor:$result);
}

def NN_Conv1dOp : NN_Op<"conv1d"> {
  let summary = "F.conv1d with zero padding: [N, C, L] -> [N, O, L']";
  let description = [{
    Canonicalization rewrites it as a conv2d of height 1 between reshapes,
    which every later pass and the lowering handle.
  }];
  let arguments = (ins NN_Tensor:$input, NN_Tensor:$weight,
                       Optional<NN_Tensor>:$bias, I64Attr:$stride,
                       I64Attr:$padding, I64Attr:$dilation, I64Attr:$groups);
  let results = (outs NN_Tensor:$result);
  let hasCanonicalizer = 1;
}

def NN_ConvTranspose2dOp : NN_Op<"conv_transpose2d"> {
  let summary = "F.conv_transpose2d: weight [C, O/groups, kH, kW]";
  let description = [{
    The gradient of conv2d with respect to its input: each input element
    adds its products with the kernel to the output, at stride s, starting
    -padding, dilated. `output_padding` (less than the stride or the
    dilation) adds rows and columns at the end.
  }];
  let arguments = (ins NN_Tensor:$input, NN_Tensor:$weight,
                       Optional<NN_Tensor>:$bias, I64ArrayAttr:$stride,
                       I64ArrayAttr:$padding, I64ArrayAttr:$output_padding,
                       I64ArrayAttr:$dilation, I64Attr:$groups);
  let results = (outs NN_Tensor:$result);
}

class NN_Pool2dOp<string mnemonic, string torch, dag extra = (ins)>
    : NN_Op<mnemonic> {
  let summary = torch;
  let description = [{
    With `ceil_mode`, the output extents round up, as PyTorch's: a last
    window may hang past the input, if it starts inside it or its left
    padding. With `channels_last`, input and result are [N, H, W, C]: the
    pool between two channels_last convolutions, introduced by
    -nn-channels-last.
  }];
  let arguments = !con((ins NN_Tensor:$input, I64ArrayAttr:$kernel,
                            I64ArrayAttr:$stride, I64ArrayAttr:$padding,
                            UnitAttr:$ceil_mode, UnitAttr:$channels_last),
                       extra);
  let results = (outs NN_Tensor:$result);
}

def NN_MaxPool2dOp : NN_Pool2dOp<"max_pool2d", "F.max_pool2d">;
// `exclude_pad`: count_include_pad=False, each window divides by the taps
// inside the input.
def NN_AvgPool2dOp : NN_Pool2dOp<"avg_pool2d", "F.avg_pool2d",
                                 (ins UnitAttr:$exclude_pad)>;

def NN_GlobalAvgPool2dOp : NN_Op<"global_avg_pool2d"> {
  let summary = "F.adaptive_avg_pool2d(x, 1): [N, C, H, W] -> [N, C, 1, 1]";
  let description = [{
    With `channels_last`: [N, H, W, C] -> [N, 1, 1, C].
  }];
  let arguments = (ins NN_Tensor:$input, UnitAttr:$channels_last);
  let results = (outs NN_Tensor:$result);
}

class NN_AdaptivePool2dOp<string mnemonic, string torch> : NN_Op<mnemonic> {
  let summary = torch # ": [N, C, H, W] -> [N, C, size[0], size[1]]";
  let description = [{
    Output (i, j) pools rows floor(i H / h) to ceil((i + 1) H / h) and
    likewise columns.
  }];
  let arguments = (ins NN_Tensor:$input, I64ArrayAttr:$size);
  let results = (outs NN_Tensor:$result);
}

def NN_AdaptiveAvgPool2dOp
    : NN_AdaptivePool2dOp<"adaptive_avg_pool2d", "F.adaptive_avg_pool2d">;
def NN_AdaptiveMaxPool2dOp
    : NN_AdaptivePool2dOp<"adaptive_max_pool2d", "F.adaptive_max_pool2d">;

//===----------------------------------------------------------------------===//
// Normalisation
//===----------------------------------------------------------------------===//

class NN_AxisOp<string mnemonic, string torch> : NN_Op<mnemonic> {
  let summary = torch # ", max-subtracted; axis is non-negative";
  let arguments = (ins NN_Tensor:$input, I64Attr:$axis);
  let results = (outs NN_Tensor:$result);
}

def NN_SoftmaxOp : NN_AxisOp<"softmax", "F.softmax">;
def NN_LogSoftmaxOp : NN_AxisOp<"log_softmax", "F.log_softmax">;

// Reductions over `axes` (non-negative, distinct); with `keepdim` the
// reduced dimensions stay, of size 1.
class NN_ReduceOp<string mnemonic, string torch> : NN_Op<mnemonic> {
  let summary = torch # " over axes";
  let arguments = (ins NN_Tensor:$input, I64ArrayAttr:$axes,
                       UnitAttr:$keepdim);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def NN_SumOp : NN_ReduceOp<"sum", "torch.sum">;
def NN_MeanOp : NN_ReduceOp<"mean", "torch.mean">;
def NN_AmaxOp : NN_ReduceOp<"amax", "torch.amax (NaN propagates)">;
def NN_AminOp : NN_ReduceOp<"amin", "torch.amin (NaN propagates)">;

def NN_ArgmaxOp : NN_Op<"argmax"> {
  let summary = "torch.argmax along axis, as f32 indices";
  let description = [{
    The index of the first maximum; a NaN counts as larger than any number,
    as in PyTorch.
  }];
  let arguments = (ins NN_Tensor:$input, I64Attr:$axis, UnitAttr:$keepdim);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def NN_LayerNormOp : NN_Op<"layer_norm"> {
  let summary = "F.layer_norm over the last dimension";
  let arguments = (ins NN_Tensor:$input, NN_Tensor:$weight, NN_Tensor:$bias,
                       F64Attr:$eps);
  let results = (outs NN_Tensor:$result);
}

def NN_BatchNormOp : NN_Op<"batch_norm"> {
  let summary = "F.batch_norm in inference form over dimension 1";
  let arguments = (ins NN_Tensor:$input, NN_Tensor:$mean, NN_Tensor:$var,
                       NN_Tensor:$weight, NN_Tensor:$bias, F64Attr:$eps);
  let results = (outs NN_Tensor:$result);
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def NN_ReshapeOp : NN_Op<"reshape"> {
  let summary = "torch.reshape to a fully known shape (no -1)";
  let arguments = (ins NN_Tensor:$input, I64ArrayAttr:$shape);
  let results = (outs NN_Tensor:$result);
  let hasFolder = 1;
}

def NN_FlattenOp : NN_Op<"flatten"> {
  let summary = "torch.flatten(input, start, end), non-negative dims";
  let arguments = (ins NN_Tensor:$input, I64Attr:$start, I64Attr:$end);
  let results = (outs NN_Tensor:$result);
  let hasCanonicalizer = 1;
}

def NN_TransposeOp : NN_Op<"transpose"> {
  let summary = "torch.transpose(input, dim0, dim1), non-negative dims";
  let arguments = (ins NN_Tensor:$input, I64Attr:$dim0, I64Attr:$dim1);
  let results = (outs NN_Tensor:$result);
  let hasFolder = 1;
}

def NN_PermuteOp : NN_Op<"permute"> {
  let summary = "torch.permute: result dim i is input dim dims[i]";
  let description = [{
    Canonicalization rewrites a permute that moves only dimensions of size
    1 as a reshape: the data keeps its order.
  }];
  let arguments = (ins NN_Tensor:$input, I64ArrayAttr:$dims);
  let results = (outs NN_Tensor:$result);
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def NN_PadOp : NN_Op<"pad"> {
  let summary = "F.pad: constant, reflect or replicate padding";
  let description = [{
    `pads` holds, for each dimension in order, the elements added before
    and after it: [b0, a0, b1, a1, ...] (the front end converts F.pad's
    last-dimension-first list). `mode` is "constant" (`value`), "reflect"
    (the input mirrored about its edge element; a pad less than the
    dimension) or "replicate" (the edge element repeated).
  }];
  let arguments = (ins NN_Tensor:$input, I64ArrayAttr:$pads, StrAttr:$mode,
                       F64Attr:$value);
  let results = (outs NN_Tensor:$result);
  let hasFolder = 1;
}

def NN_InterpolateOp : NN_Op<"interpolate"> {
  let summary = "F.interpolate on NCHW: nearest or bilinear, to `size`";
  let description = [{
    Output (y, x) reads the input at source coordinates scale * y (nearest:
    floored) or scale * (y + 0.5) - 0.5 (bilinear, clamped at 0; with
    `align_corners`, (in - 1) / (out - 1) * y), computed in f32 as PyTorch
    does. The scale is 1 / scale_factor where the user gave one, else
    in / out.
  }];
  let arguments = (ins NN_Tensor:$input, I64ArrayAttr:$size, StrAttr:$mode,
                       UnitAttr:$align_corners,
                       OptionalAttr<F64ArrayAttr>:$scale_factor);
  let results = (outs NN_Tensor:$result);
  let extraClassDeclaration = [{
    /// The scale from output to input coordinates along spatial dimension
    /// `d` (0: height, 1: width), in f32 as ATen computes it: the lowering
    /// and the reference evaluator both index with it.
    float sourceScale(unsigned d);
  }];
}

def NN_ConcatOp : NN_Op<"concat"> {
  let summary = "torch.cat along a non-negative axis";
  let description = [{
    Canonicalization reuses an earlier concat of a prefix of the inputs
    along the same axis: cat(a, b, c) after d = cat(a, b) becomes
    cat(d, c). A DenseNet block, whose every layer concatenates all the
    features before it, then passes one value from layer to layer.
  }];
  let arguments = (ins Variadic<NN_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs NN_Tensor:$result);
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def NN_SliceOp : NN_Op<"slice"> {
  let summary = "input[..., start:end:step, ...] along axis";
  let description = [{
    0 <= start < end <= size and step >= 1: ceil((end - start) / step)
    elements.
  }];
  let arguments = (ins NN_Tensor:$input, I64Attr:$axis, I64Attr:$start,
                       I64Attr:$end, DefaultValuedAttr<I64Attr, "1">:$step);
  let results = (outs NN_Tensor:$result);
  let hasFolder = 1;
}

def NN_EmbeddingOp : NN_Op<"embedding"> {
  let summary = "F.embedding: the rows of `weight` that `indices` name";
  let description = [{
    result[i..., d] = weight[indices[i...], d] for a [num, dim] weight. An
    index outside [0, num) is a run-time error: the compiled call returns a
    status.
  }];
  let arguments = (ins NN_Indices:$indices, NN_Tensor:$weight);
  let results = (outs NN_Tensor:$result);
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

def NN_AttentionOp : NN_Op<"attention"> {
  let summary = "softmax(q @ k^T * scale + bias) @ v over the last two dims";
  let description = [{
    `mask` ([Tq, Tk], 0/1) hides key j from query i where mask[i, j] == 0;
    `window` w hides keys with |i - j| > w; `causal` hides keys with j > i.
    A query that sees no key yields zeros.
  }];
  let arguments = (ins NN_Tensor:$query, NN_Tensor:$key, NN_Tensor:$value,
                       Optional<NN_Tensor>:$mask, F64Attr:$scale,
                       OptionalAttr<I64Attr>:$window,
                       DefaultValuedAttr<BoolAttr, "false">:$causal);
  let results = (outs NN_Tensor:$result);
}

def NN_MultiHeadAttentionOp : NN_Op<"multi_head_attention",
                                    [AttrSizedOperandSegments]> {
  let summary = "multi-head attention with F.linear projections";
  let description = [{
    input is [T, D] or [B, T, D]; wq, wk, wv, wo are [D, D] and the biases
    [D]; `kv` supplies keys and values from another sequence. Each of the
    `heads` heads attends with scale 1/sqrt(D / heads).
  }];
  let arguments = (ins NN_Tensor:$input, NN_Tensor:$wq, NN_Tensor:$wk,
                       NN_Tensor:$wv, NN_Tensor:$wo,
                       Optional<NN_Tensor>:$bq, Optional<NN_Tensor>:$bk,
                       Optional<NN_Tensor>:$bv, Optional<NN_Tensor>:$bo,
                       Optional<NN_Tensor>:$kv, Optional<NN_Tensor>:$mask,
                       I64Attr:$heads, OptionalAttr<I64Attr>:$window,
                       DefaultValuedAttr<BoolAttr, "false">:$causal);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $wq `,` $wk `,` $wv `,` $wo (`bq` $bq^)? (`bk` $bk^)?
    (`bv` $bv^)? (`bo` $bo^)? (`kv` $kv^)? (`mask` $mask^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

#endif // NN_OPS_TD
