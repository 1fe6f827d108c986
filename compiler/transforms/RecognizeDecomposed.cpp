//===- RecognizeDecomposed.cpp - exporters' layer norm and GELU, whole ----===//
//
// Exporters spell some PyTorch functions out in smaller ops. Before opset
// 17, torch.onnx.export writes F.layer_norm over the last axis as
//   d = x - mean(x),  y = d / sqrt(mean(d ^ 2) + eps) * w + b
// and F.gelu (exact) as
//   y = x * (erf(x / sqrt(2)) + 1) * 0.5
// Recognised, they become nn.layer_norm and nn.gelu: one pass over the data
// instead of six, and PyTorch's own formulas. Operands of the additions
// and multiplications may come in either order.
//
// F.linear with a 3-D input is exported as MatMul by the transposed weight:
// x @ C for a constant C becomes linear(x, C^T) again, the form whose
// weights later passes fold biases and scales into, split and pack.
//
//===----------------------------------------------------------------------===//

#include "compiler/transforms/Passes.h"
#include "dialects/nn/NNOps.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

using namespace mlir;
using namespace nncc;

namespace {
#define GEN_PASS_CLASSES
#include "compiler/transforms/Passes.h.inc"

/// Whether `v` is the scalar constant `expected` (to f32 precision).
bool isScalar(Value v, double expected) {
  Optional<double> c = nn::scalarConstant(v);
  return c && std::abs(*c - expected) <= 1e-6 * std::abs(expected);
}

/// For a commutative binary op: the operand beside one `pred` accepts.
template <typename OpTy>
Value otherOperand(OpTy op, llvm::function_ref<bool(Value)> pred) {
  if (!op)
    return {};
  if (pred(op.getRhs()))
    return op.getLhs();
  if (pred(op.getLhs()))
    return op.getRhs();
  return {};
}

/// mean(x) over the last axis, keeping it: the mean's input, or null.
Value meanOfLast(Value v) {
  auto mean = v.getDefiningOp<nn::MeanOp>();
  if (!mean || !mean.getKeepdim() || mean.getAxes().size() != 1)
    return {};
  int64_t rank = mean.getInput().getType().cast<ShapedType>().getRank();
  return mean.getAxes()[0].cast<IntegerAttr>().getInt() == rank - 1
             ? mean.getInput()
             : Value();
}

/// Whether `v` is a vector of the normalised axis' size (w or b).
bool isChannelVector(Value v, int64_t size) {
  auto type = v.getType().cast<ShapedType>();
  return type.getRank() == 1 && type.getDimSize(0) == size;
}

struct LayerNormPattern : OpRewritePattern<nn::AddOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(nn::AddOp add,
                                PatternRewriter &rewriter) const override {
    // ((d / sqrt(var + eps)) * w) + b
    auto type = add.getType().cast<ShapedType>();
    if (!type.hasStaticShape() || type.getRank() < 1)
      return failure();
    int64_t width = type.getDimSize(type.getRank() - 1);
    auto isVector = [&](Value v) { return isChannelVector(v, width); };
    Value b, scaled = add.getLhs();
    if (isVector(add.getRhs()))
      b = add.getRhs();
    else if (isVector(add.getLhs()))
      b = add.getLhs(), scaled = add.getRhs();
    auto mul = scaled.getDefiningOp<nn::MulOp>();
    if (!b || !mul)
      return failure();
    Value w, normalised = mul.getLhs();
    if (isVector(mul.getRhs()))
      w = mul.getRhs();
    else if (isVector(mul.getLhs()))
      w = mul.getLhs(), normalised = mul.getRhs();
    auto div = normalised.getDefiningOp<nn::DivOp>();
    if (!w || !div || div.getType() != add.getType())
      return failure();
    auto d = div.getLhs().getDefiningOp<nn::SubOp>();
    auto sqrt = div.getRhs().getDefiningOp<nn::SqrtOp>();
    if (!d || !sqrt || meanOfLast(d.getRhs()) != d.getLhs())
      return failure();
    Optional<double> eps;
    Value variance =
        otherOperand(sqrt.getInput().getDefiningOp<nn::AddOp>(), [&](Value v) {
          eps = nn::scalarConstant(v);
          return eps.hasValue();
        });
    Value squares = variance ? meanOfLast(variance) : Value();
    auto square = squares ? squares.getDefiningOp<nn::PowOp>() : nn::PowOp();
    if (!square || square.getLhs() != d.getResult() ||
        !isScalar(square.getRhs(), 2.0))
      return failure();
    rewriter.replaceOpWithNewOp<nn::LayerNormOp>(
        add, add.getType(), d.getLhs(), w, b, rewriter.getF64FloatAttr(*eps));
    return success();
  }
};

struct GeluPattern : OpRewritePattern<nn::MulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(nn::MulOp root,
                                PatternRewriter &rewriter) const override {
    // (x * (erf(x / sqrt 2) + 1)) * 0.5
    Value product =
        otherOperand(root, [](Value v) { return isScalar(v, 0.5); });
    auto mul = product ? product.getDefiningOp<nn::MulOp>() : nn::MulOp();
    if (!mul)
      return failure();
    for (auto [x, sum] : {std::make_pair(mul.getLhs(), mul.getRhs()),
                          std::make_pair(mul.getRhs(), mul.getLhs())}) {
      Value erfOut = otherOperand(sum.getDefiningOp<nn::AddOp>(),
                                  [](Value v) { return isScalar(v, 1.0); });
      auto erf = erfOut ? erfOut.getDefiningOp<nn::ErfOp>() : nn::ErfOp();
      auto div = erf ? erf.getInput().getDefiningOp<nn::DivOp>() : nn::DivOp();
      if (!div || div.getLhs() != x ||
          !isScalar(div.getRhs(), std::sqrt(2.0)) ||
          x.getType() != root.getType())
        continue;
      rewriter.replaceOpWithNewOp<nn::GeluOp>(root, root.getType(), x,
                                              UnitAttr());
      return success();
    }
    return failure();
  }
};

struct LinearPattern : OpRewritePattern<nn::MatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(nn::MatmulOp op,
                                PatternRewriter &rewriter) const override {
    auto weight = op.getRhs().getDefiningOp<nn::ConstantOp>();
    if (!weight || weight.getType().cast<ShapedType>().getRank() != 2 ||
        op.getLhs().getType().cast<ShapedType>().getRank() < 1)
      return failure();
    Value transposed = nn::buildChecked<nn::PermuteOp>(
        rewriter, op.getLoc(), {weight},
        {rewriter.getNamedAttr("dims", rewriter.getI64ArrayAttr({1, 0}))});
    Value linear = nn::buildChecked<nn::LinearOp>(
        rewriter, op.getLoc(), {op.getLhs(), transposed}, {});
    rewriter.replaceOp(op, linear);
    return success();
  }
};

struct RecognizeDecomposedPass
    : RecognizeDecomposedBase<RecognizeDecomposedPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<LayerNormPattern, GeluPattern, LinearPattern>(&getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

std::unique_ptr<Pass> nncc::createRecognizeDecomposedPass() {
  return std::make_unique<RecognizeDecomposedPass>();
}
