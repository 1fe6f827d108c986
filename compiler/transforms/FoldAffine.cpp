//===- FoldAffine.cpp - per-channel scales and shifts into weights --------===//
//
// Inference-time batch norm is a per-channel affine map,
//   batch_norm(x) = x * s + t,  s = w / sqrt(var + eps),  t = b - mean * s,
// and a convolution or linear layer followed by one is the same layer with
//   W'[o, ...] = W[o, ...] * s[o],  b'[o] = b[o] * s[o] + t[o].
// With the statistics and weights constant, this pass computes s and t at
// compile time (in double) and folds every multiplication, division,
// addition or subtraction by a per-output-channel constant into the
// producing conv2d or linear when that is its only use, so the model runs
// no pass over its activations for them (and no rsqrt per element).
//
//===----------------------------------------------------------------------===//

#include "compiler/transforms/Passes.h"
#include "dialects/nn/NNConstantFold.h"
#include "dialects/nn/NNOps.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

using namespace mlir;
using namespace nncc;

namespace {
#define GEN_PASS_CLASSES
#include "compiler/transforms/Passes.h.inc"

std::vector<double> valuesOf(DenseElementsAttr dense) {
  auto range = dense.getValues<float>();
  return std::vector<double>(range.begin(), range.end());
}

Value constant(PatternRewriter &rewriter, Location loc, ArrayRef<int64_t> shape,
               ArrayRef<double> values) {
  std::vector<float> narrowed(values.begin(), values.end());
  auto type = RankedTensorType::get(shape, rewriter.getF32Type());
  return rewriter.create<nn::ConstantOp>(
      loc, type, DenseElementsAttr::get(type, llvm::makeArrayRef(narrowed)));
}

/// batch_norm with constant statistics and weights -> x * s + t, s and t
/// shaped [C, 1, ...] to broadcast along dimension 1.
struct BatchNormToAffine : OpRewritePattern<nn::BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(nn::BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    auto mean = nn::f32Constant(op.getMean()),
         var = nn::f32Constant(op.getVar()),
         w = nn::f32Constant(op.getWeight()), b = nn::f32Constant(op.getBias());
    if (!mean || !var || !w || !b)
      return failure();
    std::vector<double> s = valuesOf(w), t = valuesOf(b), m = valuesOf(mean),
                        v = valuesOf(var);
    double eps = op.getEpsAttr().getValueAsDouble();
    for (size_t c = 0; c < s.size(); ++c) {
      s[c] /= std::sqrt(v[c] + eps);
      t[c] -= m[c] * s[c];
    }
    SmallVector<int64_t, 4> shape(op.getType().cast<ShapedType>().getRank() - 1,
                                  1);
    shape[0] = s.size();
    Location loc = op.getLoc();
    Value scaled = nn::buildChecked<nn::MulOp>(
        rewriter, loc, {op.getInput(), constant(rewriter, loc, shape, s)}, {});
    Value shifted = nn::buildChecked<nn::AddOp>(
        rewriter, loc, {scaled, constant(rewriter, loc, shape, t)}, {});
    if (!shifted || shifted.getType() != op.getType())
      return failure();
    rewriter.replaceOp(op, shifted);
    return success();
  }
};

/// A conv2d (NCHW) or linear with a constant weight and bias, whose output
/// channels run along `channelDim` of its result and dimension 0 of its
/// weight; null otherwise.
struct Layer {
  Operation *op = nullptr;
  DenseElementsAttr weight, bias; // bias null when absent
  int64_t channelDim = 0;
  int64_t channels = 0;
};

Layer layerOf(Value v) {
  Layer layer;
  Operation *op = v.getDefiningOp();
  if (!op || !v.hasOneUse())
    return {};
  Value weight, bias;
  auto type = v.getType().cast<ShapedType>();
  if (auto conv = dyn_cast<nn::Conv2dOp>(op)) {
    if (conv.getChannelsLast())
      return {};
    weight = conv.getWeight(), bias = conv.getBias(), layer.channelDim = 1;
  } else if (auto linear = dyn_cast<nn::LinearOp>(op)) {
    weight = linear.getWeight(), bias = linear.getBias();
    layer.channelDim = type.getRank() - 1;
  } else {
    return {};
  }
  layer.weight = nn::f32Constant(weight);
  layer.bias = bias ? nn::f32Constant(bias) : DenseElementsAttr();
  if (!layer.weight || (bias && !layer.bias))
    return {};
  layer.op = op;
  layer.channels = type.getDimSize(layer.channelDim);
  return layer;
}

/// `c`'s values per output channel of `layer` if `c` broadcasts along every
/// other dimension of its result (and does not widen it), else empty.
std::vector<double> perChannel(DenseElementsAttr c, const Layer &layer) {
  ArrayRef<int64_t> shape = c.getType().getShape();
  int64_t rank = layer.op->getResult(0).getType().cast<ShapedType>().getRank();
  if ((int64_t)shape.size() > rank)
    return {};
  int64_t offset = rank - shape.size();
  for (int64_t d = 0; d < (int64_t)shape.size(); ++d)
    if (shape[d] != 1 && d + offset != layer.channelDim)
      return {};
  std::vector<double> values = valuesOf(c);
  if (values.size() == 1)
    values.assign(layer.channels, values[0]);
  return values;
}

/// The layer rebuilt with weight rows scaled by `scale` and then `shift`
/// added to its bias.
Value rebuild(PatternRewriter &rewriter, const Layer &layer,
              ArrayRef<double> scale, ArrayRef<double> shift) {
  Location loc = layer.op->getLoc();
  std::vector<double> w = valuesOf(layer.weight);
  size_t row = w.size() / layer.channels;
  for (size_t i = 0; i < w.size(); ++i)
    w[i] *= scale[i / row];
  std::vector<double> b(layer.channels, 0.0);
  if (layer.bias)
    b = valuesOf(layer.bias);
  for (int64_t o = 0; o < layer.channels; ++o)
    b[o] = b[o] * scale[o] + shift[o];
  SmallVector<Value, 3> operands = {
      layer.op->getOperand(0),
      constant(rewriter, loc, layer.weight.getType().getShape(), w),
      constant(rewriter, loc, {layer.channels}, b)};
  OperationState state(loc, layer.op->getName(), operands,
                       layer.op->getResultTypes(), layer.op->getAttrs());
  return rewriter.createOperation(state)->getResult(0);
}

/// op(layer, c) or op(c, layer) for a per-channel constant c, folded.
template <typename OpTy> struct FoldIntoLayer : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    for (unsigned i = 0; i < 2; ++i) {
      Layer layer = layerOf(op->getOperand(i));
      DenseElementsAttr c = nn::f32Constant(op->getOperand(1 - i));
      if (!layer.op || !c || op.getType() != layer.op->getResult(0).getType())
        continue;
      std::vector<double> k = perChannel(c, layer);
      std::vector<double> scale(layer.channels, 1.0),
          shift(layer.channels, 0.0);
      if (k.empty() || !affine(i, k, scale, shift))
        continue;
      rewriter.replaceOp(op, rebuild(rewriter, layer, scale, shift));
      return success();
    }
    return failure();
  }

  /// The layer's output y becomes y * scale + shift; false where the op
  /// is not affine in y (c / y).
  static bool affine(unsigned layerOperand, ArrayRef<double> k,
                     std::vector<double> &scale, std::vector<double> &shift);
};

template <>
bool FoldIntoLayer<nn::MulOp>::affine(unsigned, ArrayRef<double> k,
                                      std::vector<double> &scale,
                                      std::vector<double> &) {
  scale.assign(k.begin(), k.end());
  return true;
}
template <>
bool FoldIntoLayer<nn::DivOp>::affine(unsigned layerOperand, ArrayRef<double> k,
                                      std::vector<double> &scale,
                                      std::vector<double> &) {
  for (size_t o = 0; o < k.size(); ++o)
    scale[o] = 1 / k[o];
  return layerOperand == 0;
}
template <>
bool FoldIntoLayer<nn::AddOp>::affine(unsigned, ArrayRef<double> k,
                                      std::vector<double> &,
                                      std::vector<double> &shift) {
  shift.assign(k.begin(), k.end());
  return true;
}
template <>
bool FoldIntoLayer<nn::SubOp>::affine(unsigned layerOperand, ArrayRef<double> k,
                                      std::vector<double> &scale,
                                      std::vector<double> &shift) {
  // y - c, or c - y = -y + c.
  for (size_t o = 0; o < k.size(); ++o) {
    shift[o] = layerOperand == 0 ? -k[o] : k[o];
    scale[o] = layerOperand == 0 ? 1 : -1;
  }
  return true;
}

struct FoldAffinePass : FoldAffineBase<FoldAffinePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<BatchNormToAffine, FoldIntoLayer<nn::MulOp>,
                 FoldIntoLayer<nn::DivOp>, FoldIntoLayer<nn::AddOp>,
                 FoldIntoLayer<nn::SubOp>>(&getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

std::unique_ptr<Pass> nncc::createFoldAffinePass() {
  return std::make_unique<FoldAffinePass>();
}
