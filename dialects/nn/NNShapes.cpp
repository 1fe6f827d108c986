//===- NNShapes.cpp - one shape function per nn op ------------------------===//
//
// Each op's `inferReturnTypes` is its only shape rule. MLIRGen calls it
// (through `buildChecked`) before creating the op, so a user's shape error is
// reported at the source location; the verifier calls it through
// InferTypeOpInterface. Messages name the operator as the language spells it
// and both shapes involved.
//
// The verifier runs interface checks before the ODS attribute and operand
// checks, so every rule first validates what it reads (`Rule::start`).
//
//===----------------------------------------------------------------------===//

#include "dialects/nn/ShapeRule.h"

#include <cmath>

using namespace mlir;
using namespace nncc::nn;
using namespace nncc::nn::shape;

namespace {
/// A pool's output extent (PyTorch's): with `ceil`, rounded up, less a
/// last window that would start past the input and its left padding.
int64_t pooledExtent(int64_t in, int64_t kernel, int64_t stride, int64_t pad,
                     bool ceil) {
  if (in + 2 * pad < kernel)
    return -1;
  int64_t out = (in + 2 * pad - kernel + (ceil ? stride - 1 : 0)) / stride + 1;
  if (ceil && (out - 1) * stride >= in + pad)
    --out;
  return out;
}

/// Output extent of a sliding window, or -1 when the window does not fit.
int64_t windowExtent(int64_t in, int64_t kernel, int64_t stride, int64_t pad,
                     int64_t dilation) {
  int64_t span = dilation * (kernel - 1) + 1;
  if (in + 2 * pad < span)
    return -1;
  return (in + 2 * pad - span) / stride + 1;
}

template <typename Adaptor>
LogicalResult elementwiseBinary(Rule &r, Adaptor &a) {
  ArrayRef<int64_t> x = shapeOf(a.getLhs()), y = shapeOf(a.getRhs());
  Optional<Shape> out = broadcast(x, y);
  if (!out)
    return r.error() << "shapes " << text(x) << " and " << text(y)
                     << " cannot be broadcast together";
  return r.result(*out);
}

/// The input shape of a pool in NCHW order: a channels_last pool's rule
/// is the same with its axes moved.
template <typename Adaptor> FailureOr<Shape> poolInput(Rule &r, Adaptor &a) {
  bool last = static_cast<bool>(a.getChannelsLastAttr());
  ArrayRef<int64_t> xs = shapeOf(a.getInput());
  if (failed(
          checkRank(r, "input", xs, 4, last ? "[N, H, W, C]" : "[N, C, H, W]")))
    return failure();
  return last ? permuted(xs, kFromChannelsLast) : Shape(xs.begin(), xs.end());
}

template <typename Adaptor>
LogicalResult poolResult(Rule &r, Adaptor &a, const Shape &out) {
  bool last = static_cast<bool>(a.getChannelsLastAttr());
  return r.result(last ? permuted(out, kToChannelsLast) : out);
}

template <typename Adaptor> LogicalResult pool2d(Rule &r, Adaptor &a) {
  FailureOr<Shape> input = poolInput(r, a);
  if (failed(input))
    return failure();
  const Shape &x = *input;
  std::array<int64_t, 2> k, s, p;
  if (failed(pairOf(r, a.getKernel(), "kernel", 1, k)) ||
      failed(pairOf(r, a.getStride(), "stride", 1, s)) ||
      failed(pairOf(r, a.getPadding(), "padding", 0, p)))
    return failure();
  Shape out = {x[0], x[1], 0, 0};
  for (int i = 0; i < 2; ++i) {
    if (2 * p[i] > k[i])
      return r.error() << "padding " << p[i]
                       << " must be at most half the kernel size " << k[i];
    out[2 + i] = pooledExtent(x[2 + i], k[i], s[i], p[i],
                              static_cast<bool>(a.getCeilModeAttr()));
    if (out[2 + i] < 1)
      return r.error() << "kernel " << k[0] << "x" << k[1]
                       << " does not fit the " << x[2] << "x" << x[3]
                       << " input padded by " << p[i];
  }
  return poolResult(r, a, out);
}

template <typename Adaptor> LogicalResult softmaxLike(Rule &r, Adaptor &a) {
  ArrayRef<int64_t> x = shapeOf(a.getInput());
  if (failed(checkAxis(r, "axis", (int64_t)a.getAxis(), x.size())))
    return failure();
  return r.result(x);
}
} // namespace

/// Defines OP's shape function: the shared preamble (validated adaptor, the
/// rule's name for messages) followed by the body written after the macro,
/// which sees `r` (the Rule), `a` (the OP adaptor) and `operands`.

//===----------------------------------------------------------------------===//
// Constants and elementwise
//===----------------------------------------------------------------------===//

NN_SHAPE_RULE(ConstantOp, "constant") {
  auto type = a.getValue().getType().dyn_cast<RankedTensorType>();
  if (!type || !type.getElementType().isF32())
    return r.error() << "value must be a ranked f32 tensor, got "
                     << a.getValue().getType();
  if (!a.getValue().isa<DenseElementsAttr>())
    return r.error() << "value has no data (IR printed with its weights "
                        "elided: print it with --print-weights)";
  return r.result(type.getShape());
}

NN_SHAPE_RULE(SinusoidalPositionsOp, "sinusoidal_positions") {
  int64_t t = a.getLengthAttr().getInt(), d = a.getDimAttr().getInt();
  if (t < 1 || d < 1)
    return r.error() << "length and dimension must be positive, got " << t
                     << " and " << d;
  return r.result({t, d});
}

#define NN_UNARY(OP, NAME)                                                     \
  NN_SHAPE_RULE(OP, NAME) { return r.result(shapeOf(a.getInput())); }
NN_UNARY(ReluOp, "relu")
NN_UNARY(SigmoidOp, "sigmoid")
NN_UNARY(TanhOp, "tanh")
NN_UNARY(GeluOp, "gelu")
NN_UNARY(ExpOp, "exp")
NN_UNARY(SqrtOp, "sqrt")
NN_UNARY(RsqrtOp, "rsqrt")
NN_UNARY(NegOp, "neg")
NN_UNARY(AbsOp, "abs")
NN_UNARY(ErfOp, "erf")
NN_UNARY(SiluOp, "silu")
NN_UNARY(MishOp, "mish")
NN_UNARY(SeluOp, "selu")
NN_UNARY(HardswishOp, "hardswish")
NN_UNARY(HardsigmoidOp, "hardsigmoid")
NN_UNARY(LeakyReluOp, "leaky_relu")
NN_UNARY(EluOp, "elu")
NN_UNARY(ClampOp, "clamp")
#undef NN_UNARY

NN_SHAPE_RULE(SoftplusOp, "softplus") {
  if (a.getBeta().convertToDouble() == 0)
    return r.error() << "beta must not be 0";
  return r.result(shapeOf(a.getInput()));
}

#define NN_BINARY(OP, NAME)                                                    \
  NN_SHAPE_RULE(OP, NAME) { return elementwiseBinary(r, a); }
NN_BINARY(AddOp, "add")
NN_BINARY(SubOp, "sub")
NN_BINARY(MulOp, "mul")
NN_BINARY(DivOp, "div")
NN_BINARY(PowOp, "pow")
NN_BINARY(MinimumOp, "minimum")
NN_BINARY(MaximumOp, "maximum")
NN_BINARY(EqOp, "eq")
NN_BINARY(NeOp, "ne")
NN_BINARY(LtOp, "lt")
NN_BINARY(LeOp, "le")
NN_BINARY(GtOp, "gt")
NN_BINARY(GeOp, "ge")
#undef NN_BINARY

NN_SHAPE_RULE(WhereOp, "where") {
  ArrayRef<int64_t> c = shapeOf(a.getCondition()), x = shapeOf(a.getLhs()),
                    y = shapeOf(a.getRhs());
  Optional<Shape> xy = broadcast(x, y);
  Optional<Shape> out = xy ? broadcast(c, *xy) : llvm::None;
  if (!out)
    return r.error() << "shapes " << text(c) << ", " << text(x) << " and "
                     << text(y) << " cannot be broadcast together";
  return r.result(*out);
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

NN_SHAPE_RULE(MatmulOp, "matmul") {
  ArrayRef<int64_t> x = shapeOf(a.getLhs()), y = shapeOf(a.getRhs());
  if (x.empty() || y.empty())
    return r.error() << "operands must be at least 1-D, got " << text(x)
                     << " @ " << text(y);
  // torch.matmul: a 1-D left operand is a row vector and a 1-D right operand
  // a column vector; the added dimension is removed from the result.
  int64_t k1 = x.back(), k2 = y.size() == 1 ? y[0] : y[y.size() - 2];
  if (k1 != k2)
    return r.error() << "inner dimensions differ (" << k1 << " vs " << k2
                     << ") in " << text(x) << " @ " << text(y);
  ArrayRef<int64_t> xb = x.size() > 2 ? x.drop_back(2) : ArrayRef<int64_t>();
  ArrayRef<int64_t> yb = y.size() > 2 ? y.drop_back(2) : ArrayRef<int64_t>();
  Optional<Shape> out = broadcast(xb, yb);
  if (!out)
    return r.error() << "batch dimensions of " << text(x) << " and " << text(y)
                     << " cannot be broadcast together";
  if (x.size() >= 2)
    out->push_back(x[x.size() - 2]);
  if (y.size() >= 2)
    out->push_back(y.back());
  return r.result(*out);
}

NN_SHAPE_RULE(LinearOp, "linear") {
  ArrayRef<int64_t> x = shapeOf(a.getInput()), w = shapeOf(a.getWeight());
  if (x.empty())
    return r.error() << "input must be at least 1-D";
  if (failed(checkRank(r, "weight", w, 2, "[out, in]")))
    return failure();
  if (x.back() != w[1])
    return r.error() << "input has " << x.back() << " features but weight "
                     << text(w) << " expects " << w[1];
  if (failed(checkVector(r, "bias", a.getBias(), w[0],
                         "the number of output features")))
    return failure();
  Shape out(x.begin(), x.end());
  out.back() = w[0];
  return r.result(out);
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

/// A convolution's channels: x [N, C, ...] and w [O, C/groups, ...] (as
/// written: `xs`, `ws`), and the bias [O].
template <typename Adaptor>
LogicalResult checkChannels(Rule &r, Adaptor &a, ArrayRef<int64_t> x,
                            ArrayRef<int64_t> w, ArrayRef<int64_t> xs,
                            ArrayRef<int64_t> ws) {
  int64_t groups = a.getGroupsAttr().getInt();
  if (groups < 1)
    return r.error() << "groups must be at least 1, got " << groups;
  if (x[1] % groups != 0)
    return r.error() << "groups=" << groups << " does not divide the " << x[1]
                     << " input channels";
  if (w[0] % groups != 0)
    return r.error() << "groups=" << groups << " does not divide the " << w[0]
                     << " output channels of weight " << text(ws);
  if (w[1] * groups != x[1]) {
    if (groups == 1)
      return r.error() << "input has " << x[1]
                       << " channels but weight expects " << w[1] << " (input "
                       << text(xs) << ", weight " << text(ws) << ")";
    return r.error() << "input has " << x[1] << " channels but weight "
                     << text(ws) << " with groups=" << groups << " expects "
                     << w[1] * groups;
  }
  return checkVector(r, "bias", a.getBias(), w[0],
                     "the number of output channels");
}

NN_SHAPE_RULE(Conv1dOp, "conv1d") {
  ArrayRef<int64_t> x = shapeOf(a.getInput()), w = shapeOf(a.getWeight());
  if (failed(checkRank(r, "input", x, 3, "[N, C, L]")) ||
      failed(checkRank(r, "weight", w, 3, "[O, C/groups, K]")) ||
      failed(checkChannels(r, a, x, w, x, w)))
    return failure();
  int64_t s = a.getStrideAttr().getInt(), p = a.getPaddingAttr().getInt(),
          d = a.getDilationAttr().getInt();
  if (s < 1 || d < 1 || p < 0)
    return r.error() << "stride and dilation must be at least 1 and padding "
                        "at least 0, got stride "
                     << s << ", padding " << p << ", dilation " << d;
  int64_t out = windowExtent(x[2], w[2], s, p, d);
  if (out < 1)
    return r.error() << "kernel " << w[2] << " (dilation " << d
                     << ") does not fit the length " << x[2] << " padded by "
                     << p;
  return r.result({x[0], w[0], out});
}

NN_SHAPE_RULE(ConvTranspose2dOp, "conv_transpose2d") {
  ArrayRef<int64_t> x = shapeOf(a.getInput()), w = shapeOf(a.getWeight());
  std::array<int64_t, 2> s, p, op, d;
  if (failed(checkRank(r, "input", x, 4, "[N, C, H, W]")) ||
      failed(checkRank(r, "weight", w, 4, "[C, O/groups, kH, kW]")) ||
      failed(pairOf(r, a.getStride(), "stride", 1, s)) ||
      failed(pairOf(r, a.getPadding(), "padding", 0, p)) ||
      failed(pairOf(r, a.getOutputPadding(), "output_padding", 0, op)) ||
      failed(pairOf(r, a.getDilation(), "dilation", 1, d)))
    return failure();
  int64_t groups = a.getGroupsAttr().getInt();
  if (groups < 1)
    return r.error() << "groups must be at least 1, got " << groups;
  if (w[0] != x[1] || x[1] % groups != 0)
    return r.error() << "input has " << x[1] << " channels but weight "
                     << text(w) << " with groups=" << groups << " expects "
                     << w[0] << ", a multiple of the groups";
  int64_t outChannels = w[1] * groups;
  if (failed(checkVector(r, "bias", a.getBias(), outChannels,
                         "the number of output channels")))
    return failure();
  Shape out = {x[0], outChannels, 0, 0};
  for (int i = 0; i < 2; ++i) {
    if (op[i] >= std::max(s[i], d[i]))
      return r.error() << "output_padding " << op[i]
                       << " must be less than the stride or the dilation";
    out[2 + i] =
        (x[2 + i] - 1) * s[i] - 2 * p[i] + d[i] * (w[2 + i] - 1) + op[i] + 1;
    if (out[2 + i] < 1)
      return r.error() << "padding " << p[i] << " leaves no output";
  }
  return r.result(out);
}

NN_SHAPE_RULE(Conv2dOp, "conv2d") {
  bool last = static_cast<bool>(a.getChannelsLastAttr());
  ArrayRef<int64_t> xs = shapeOf(a.getInput()), ws = shapeOf(a.getWeight());
  std::array<int64_t, 2> s, p, d;
  if (failed(checkRank(r, "input", xs, 4,
                       last ? "[N, H, W, C]" : "[N, C, H, W]")) ||
      failed(
          checkRank(r, "weight", ws, 4,
                    last ? "[kH, kW, C/groups, O]" : "[O, C/groups, kH, kW]")))
    return failure();
  // The rule below reads NCHW and OIHW; channels_last only moves axes.
  Shape x =
      last ? permuted(xs, kFromChannelsLast) : Shape(xs.begin(), xs.end());
  Shape w = last ? permuted(ws, kWeightFromChannelsLast)
                 : Shape(ws.begin(), ws.end());
  if (failed(pairOf(r, a.getStride(), "stride", 1, s)) ||
      failed(pairOf(r, a.getPadding(), "padding", 0, p)) ||
      failed(pairOf(r, a.getDilation(), "dilation", 1, d)))
    return failure();
  if (failed(checkChannels(r, a, x, w, xs, ws)))
    return failure();
  Shape out = {x[0], w[0], 0, 0};
  for (int i = 0; i < 2; ++i) {
    out[2 + i] = windowExtent(x[2 + i], w[2 + i], s[i], p[i], d[i]);
    if (out[2 + i] < 1)
      return r.error() << "kernel " << w[2] << "x" << w[3] << " (dilation "
                       << d[i] << ") does not fit the " << x[2] << "x" << x[3]
                       << " input padded by " << p[i];
  }
  return r.result(last ? permuted(out, kToChannelsLast) : out);
}

NN_SHAPE_RULE(MaxPool2dOp, "max_pool2d") { return pool2d(r, a); }

NN_SHAPE_RULE(AvgPool2dOp, "avg_pool2d") { return pool2d(r, a); }

NN_SHAPE_RULE(GlobalAvgPool2dOp, "global_avg_pool2d") {
  FailureOr<Shape> x = poolInput(r, a);
  if (failed(x))
    return failure();
  return poolResult(r, a, {(*x)[0], (*x)[1], 1, 1});
}

template <typename Adaptor> LogicalResult adaptivePool(Rule &r, Adaptor &a) {
  ArrayRef<int64_t> x = shapeOf(a.getInput());
  std::array<int64_t, 2> size;
  if (failed(checkRank(r, "input", x, 4, "[N, C, H, W]")) ||
      failed(pairOf(r, a.getSize(), "size", 1, size)))
    return failure();
  return r.result({x[0], x[1], size[0], size[1]});
}

NN_SHAPE_RULE(AdaptiveAvgPool2dOp, "adaptive_avg_pool2d") {
  return adaptivePool(r, a);
}

NN_SHAPE_RULE(AdaptiveMaxPool2dOp, "adaptive_max_pool2d") {
  return adaptivePool(r, a);
}

//===----------------------------------------------------------------------===//
// Normalisation
//===----------------------------------------------------------------------===//

NN_SHAPE_RULE(SoftmaxOp, "softmax") { return softmaxLike(r, a); }

NN_SHAPE_RULE(LogSoftmaxOp, "log_softmax") { return softmaxLike(r, a); }

static LogicalResult checkEps(Rule &r, FloatAttr eps) {
  double e = eps.getValueAsDouble();
  if (!(e >= 0) || std::isinf(e))
    return r.error() << "eps must be finite and non-negative, got " << e;
  return success();
}

NN_SHAPE_RULE(LayerNormOp, "layer_norm") {
  if (failed(checkEps(r, a.getEpsAttr())))
    return failure();
  ArrayRef<int64_t> x = shapeOf(a.getInput());
  if (x.empty())
    return r.error() << "input must be at least 1-D";
  StringRef of = "the normalized (last) dimension";
  if (failed(checkVector(r, "weight", a.getWeight(), x.back(), of)) ||
      failed(checkVector(r, "bias", a.getBias(), x.back(), of)))
    return failure();
  return r.result(x);
}

NN_SHAPE_RULE(BatchNormOp, "batch_norm") {
  if (failed(checkEps(r, a.getEpsAttr())))
    return failure();
  ArrayRef<int64_t> x = shapeOf(a.getInput());
  if (x.size() < 2)
    return r.error() << "input must be at least 2-D [N, C, ...], got "
                     << text(x);
  StringRef of = "the number of channels";
  if (failed(checkVector(r, "mean", a.getMean(), x[1], of)) ||
      failed(checkVector(r, "var", a.getVar(), x[1], of)) ||
      failed(checkVector(r, "weight", a.getWeight(), x[1], of)) ||
      failed(checkVector(r, "bias", a.getBias(), x[1], of)))
    return failure();
  return r.result(x);
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

NN_SHAPE_RULE(ReshapeOp, "reshape") {
  ArrayRef<int64_t> x = shapeOf(a.getInput());
  Shape out = ints(a.getShape());
  // One -1 stands for whatever extent keeps the element count.
  int64_t known = 1, inferred = -1;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == -1 && inferred < 0) {
      inferred = i;
      continue;
    }
    if (out[i] < 1)
      return r.error() << "target shape " << text(out)
                       << (out[i] == -1 ? " has more than one -1"
                                        : " has a non-positive dimension");
    known = product({known, out[i]});
  }
  if (known > nncc::kMaxTensorElements)
    return r.error() << "target shape " << text(out) << " has more than "
                     << nncc::kMaxTensorElementsText;
  if (inferred >= 0) {
    if (product(x) % known != 0)
      return r.error() << "cannot reshape " << text(x) << " (" << product(x)
                       << " elements) to " << text(out) << ": " << product(x)
                       << " is not a multiple of " << known;
    out[inferred] = product(x) / known;
  }
  if (product(out) != product(x))
    return r.error() << "cannot reshape " << text(x) << " (" << product(x)
                     << " elements) to " << text(out) << " (" << product(out)
                     << " elements)";
  return r.result(out);
}

NN_SHAPE_RULE(FlattenOp, "flatten") {
  ArrayRef<int64_t> x = shapeOf(a.getInput());
  int64_t start = a.getStartAttr().getInt(), end = a.getEndAttr().getInt();
  if (failed(checkAxis(r, "start", start, x.size())) ||
      failed(checkAxis(r, "end", end, x.size())))
    return failure();
  if (start > end)
    return r.error() << "start " << start << " is after end " << end;
  Shape out(x.begin(), x.begin() + start);
  out.push_back(product(x.slice(start, end - start + 1)));
  out.append(x.begin() + end + 1, x.end());
  return r.result(out);
}

NN_SHAPE_RULE(TransposeOp, "transpose") {
  ArrayRef<int64_t> in = shapeOf(a.getInput());
  Shape x(in.begin(), in.end());
  int64_t d0 = a.getDim0Attr().getInt(), d1 = a.getDim1Attr().getInt();
  if (failed(checkAxis(r, "dimension", d0, x.size())) ||
      failed(checkAxis(r, "dimension", d1, x.size())))
    return failure();
  std::swap(x[d0], x[d1]);
  return r.result(x);
}

NN_SHAPE_RULE(PermuteOp, "permute") {
  ArrayRef<int64_t> x = shapeOf(a.getInput());
  Shape dims = ints(a.getDims());
  if (dims.size() != x.size())
    return r.error() << "dims " << text(dims) << " has " << dims.size()
                     << " entries but the input " << text(x) << " has rank "
                     << x.size();
  SmallVector<bool, 4> seen(x.size(), false);
  for (int64_t d : dims) {
    if (d < 0 || d >= (int64_t)x.size() || seen[d])
      return r.error() << "dims " << text(dims)
                       << " is not a permutation of 0.." << x.size() - 1;
    seen[d] = true;
  }
  return r.result(permuted(x, dims));
}

NN_SHAPE_RULE(PadOp, "pad") {
  ArrayRef<int64_t> x = shapeOf(a.getInput());
  Shape pads = ints(a.getPads());
  StringRef mode = a.getMode();
  if (mode != "constant" && mode != "reflect" && mode != "replicate")
    return r.error() << "mode must be \"constant\", \"reflect\" or "
                        "\"replicate\", got \""
                     << mode << "\"";
  if (pads.size() != 2 * x.size())
    return r.error() << "pads must hold 2 values per dimension ("
                     << 2 * x.size() << "), got " << pads.size();
  Shape out(x.begin(), x.end());
  for (size_t d = 0; d < x.size(); ++d) {
    int64_t before = pads[2 * d], after = pads[2 * d + 1];
    if (before < 0 || after < 0)
      return r.error() << "pads must not be negative, got " << text(pads);
    if (mode == "reflect" && (before >= x[d] || after >= x[d]))
      return r.error() << "reflect padding must be less than the dimension: "
                       << "dimension " << d << " of size " << x[d]
                       << " padded by " << before << " and " << after;
    out[d] += before + after;
  }
  return r.result(out);
}

NN_SHAPE_RULE(InterpolateOp, "interpolate") {
  ArrayRef<int64_t> x = shapeOf(a.getInput());
  std::array<int64_t, 2> size;
  if (failed(checkRank(r, "input", x, 4, "[N, C, H, W]")) ||
      failed(pairOf(r, a.getSize(), "size", 1, size)))
    return failure();
  StringRef mode = a.getMode();
  if (mode != "nearest" && mode != "bilinear")
    return r.error() << "mode must be \"nearest\" or \"bilinear\", got \""
                     << mode << "\"";
  if (a.getAlignCornersAttr() && mode != "bilinear")
    return r.error() << "align_corners applies to bilinear only";
  if (auto scales = a.getScaleFactorAttr())
    if (scales.size() != 2 || llvm::any_of(scales, [](Attribute s) {
          return !(s.cast<FloatAttr>().getValueAsDouble() > 0);
        }))
      return r.error() << "scale_factor must be 2 positive numbers";
  return r.result({x[0], x[1], size[0], size[1]});
}

NN_SHAPE_RULE(ConcatOp, "concat") {
  if (operands.empty())
    return r.error() << "needs at least one input";
  ArrayRef<int64_t> first = shapeOf(operands[0]);
  Shape out(first.begin(), first.end());
  int64_t axis = a.getAxisAttr().getInt();
  if (failed(checkAxis(r, "axis", axis, out.size())))
    return failure();
  for (size_t i = 1; i < operands.size(); ++i) {
    ArrayRef<int64_t> s = shapeOf(operands[i]);
    bool same = s.size() == out.size();
    for (size_t d = 0; same && d < s.size(); ++d)
      same = d == (size_t)axis || s[d] == out[d];
    if (!same)
      return r.error() << "input " << i << " has shape " << text(s)
                       << " but input 0 has " << text(shapeOf(operands[0]))
                       << "; they may differ only along axis " << axis;
    out[axis] += s[axis];
  }
  return r.result(out);
}

NN_SHAPE_RULE(SliceOp, "slice") {
  ArrayRef<int64_t> in = shapeOf(a.getInput());
  Shape x(in.begin(), in.end());
  int64_t axis = a.getAxisAttr().getInt();
  int64_t start = a.getStartAttr().getInt(), end = a.getEndAttr().getInt(),
          step = a.getStep();
  if (failed(checkAxis(r, "axis", axis, x.size())))
    return failure();
  if (start < 0 || end > x[axis] || start >= end)
    return r.error() << "range " << start << ":" << end
                     << " is empty or outside dimension " << axis << " of size "
                     << x[axis] << " (input " << text(x) << ")";
  if (step < 1)
    return r.error() << "step must be at least 1, got " << step;
  x[axis] = (end - start + step - 1) / step;
  return r.result(x);
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

static LogicalResult checkMasking(Rule &r, Value mask, int64_t tq, int64_t tk,
                                  IntegerAttr window) {
  if (mask) {
    ArrayRef<int64_t> m = shapeOf(mask);
    if (m.size() != 2 || m[0] != tq || m[1] != tk)
      return r.error() << "mask has shape " << text(m)
                       << " but the scores are [" << tq << ", " << tk << "]";
  }
  if (window && window.getInt() < 0)
    return r.error() << "window must be non-negative, got " << window.getInt();
  return success();
}

NN_SHAPE_RULE(AttentionOp, "attention") {
  ArrayRef<int64_t> q = shapeOf(a.getQuery()), k = shapeOf(a.getKey()),
                    v = shapeOf(a.getValue());
  if (q.size() < 2 || k.size() < 2 || v.size() < 2)
    return r.error() << "query, key and value must be at least 2-D [..., T, "
                        "d], got "
                     << text(q) << ", " << text(k) << ", " << text(v);
  if (q.back() != k.back())
    return r.error() << "query " << text(q) << " has head dimension "
                     << q.back() << " but key " << text(k) << " has "
                     << k.back();
  int64_t tk = k[k.size() - 2];
  if (v[v.size() - 2] != tk)
    return r.error() << "key " << text(k) << " has " << tk
                     << " positions but value " << text(v) << " has "
                     << v[v.size() - 2];
  double scale = a.getScaleAttr().getValueAsDouble();
  if (!std::isfinite(scale))
    return r.error() << "scale must be finite, got " << scale;
  Optional<Shape> batch = broadcast(q.drop_back(2), k.drop_back(2));
  if (batch)
    batch = broadcast(*batch, v.drop_back(2));
  if (!batch)
    return r.error() << "batch dimensions of query " << text(q) << ", key "
                     << text(k) << " and value " << text(v)
                     << " cannot be broadcast together";
  int64_t tq = q[q.size() - 2];
  if (failed(checkMasking(r, a.getMask(), tq, tk, a.getWindowAttr())))
    return failure();
  batch->append({tq, v.back()});
  return r.result(*batch);
}

NN_SHAPE_RULE(MultiHeadAttentionOp, "multi_head_attention") {
  ArrayRef<int64_t> x = shapeOf(a.getInput());
  if (x.size() != 2 && x.size() != 3)
    return r.error() << "input must be [T, D] or [B, T, D], got " << text(x);
  int64_t d = x.back();
  int64_t heads = a.getHeadsAttr().getInt();
  if (heads < 1)
    return r.error() << "heads must be at least 1, got " << heads;
  if (d % heads != 0)
    return r.error() << "heads=" << heads
                     << " does not divide the model dimension " << d;
  std::pair<StringRef, Value> weights[] = {{"wq", a.getWq()},
                                           {"wk", a.getWk()},
                                           {"wv", a.getWv()},
                                           {"wo", a.getWo()}};
  for (auto &w : weights) {
    ArrayRef<int64_t> s = shapeOf(w.second);
    if (s.size() != 2 || s[0] != d || s[1] != d)
      return r.error() << w.first << " has shape " << text(s)
                       << " but the model dimension is " << d
                       << ", so it must be [" << d << ", " << d << "]";
  }
  StringRef of = "the model dimension";
  if (failed(checkVector(r, "bq", a.getBq(), d, of)) ||
      failed(checkVector(r, "bk", a.getBk(), d, of)) ||
      failed(checkVector(r, "bv", a.getBv(), d, of)) ||
      failed(checkVector(r, "bo", a.getBo(), d, of)))
    return failure();
  int64_t tk = x[x.size() - 2];
  if (Value kv = a.getKv()) {
    ArrayRef<int64_t> s = shapeOf(kv);
    if (s.size() != x.size() || s.back() != d ||
        (x.size() == 3 && s[0] != x[0]))
      return r.error() << "kv has shape " << text(s) << " but input is "
                       << text(x) << "; kv must be "
                       << (x.size() == 3 ? "[B, Tk, D]" : "[Tk, D]")
                       << " with the same B and D";
    tk = s[s.size() - 2];
  }
  if (failed(
          checkMasking(r, a.getMask(), x[x.size() - 2], tk, a.getWindowAttr())))
    return failure();
  return r.result(x);
}
