//===- RecognizeAttention.cpp - hand-written attention to nn.attention ----===//

#include "compiler/transforms/Passes.h"
#include "dialects/nn/NNOps.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;
using namespace nncc;

namespace {
#define GEN_PASS_CLASSES
#include "compiler/transforms/Passes.h.inc"

/// k if `kt` is k with its last two dimensions swapped.
Value untransposed(Value kt) {
  int64_t rank = kt.getType().cast<ShapedType>().getRank();
  if (auto t = kt.getDefiningOp<nn::TransposeOp>()) {
    int64_t a = t.getDim0Attr().getInt(), b = t.getDim1Attr().getInt();
    if (std::min(a, b) == rank - 2 && std::max(a, b) == rank - 1)
      return t.getInput();
  }
  if (auto p = kt.getDefiningOp<nn::PermuteOp>()) {
    SmallVector<int64_t, 4> dims;
    for (Attribute d : p.getDims())
      dims.push_back(d.cast<IntegerAttr>().getInt());
    for (int64_t i = 0; i < rank - 2; ++i)
      if (dims[i] != i)
        return {};
    if (dims[rank - 2] == rank - 1 && dims[rank - 1] == rank - 2)
      return p.getInput();
  }
  return {};
}

struct AttentionPattern : OpRewritePattern<nn::MatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(nn::MatmulOp op,
                                PatternRewriter &rewriter) const override {
    auto softmax = op.getLhs().getDefiningOp<nn::SoftmaxOp>();
    if (!softmax || !softmax->hasOneUse())
      return failure();
    int64_t rank = softmax.getType().cast<ShapedType>().getRank();
    if (rank < 2 || softmax.getAxisAttr().getInt() != rank - 1)
      return failure();
    Value scores = softmax.getInput();
    double scale = 1.0;
    if (auto mul = scores.getDefiningOp<nn::MulOp>()) {
      Optional<double> s = nn::scalarConstant(mul.getRhs());
      Value other = mul.getLhs();
      if (!s) {
        s = nn::scalarConstant(mul.getLhs());
        other = mul.getRhs();
      }
      if (!s || !mul->hasOneUse())
        return failure();
      scale = *s;
      scores = other;
    } else if (auto div = scores.getDefiningOp<nn::DivOp>()) {
      Optional<double> s = nn::scalarConstant(div.getRhs());
      if (!s || *s == 0 || !div->hasOneUse())
        return failure();
      scale = 1.0 / *s;
      scores = div.getLhs();
    }
    auto qk = scores.getDefiningOp<nn::MatmulOp>();
    if (!qk || !qk->hasOneUse())
      return failure();
    Value q = qk.getLhs(), k = untransposed(qk.getRhs()), v = op.getRhs();
    if (!k || q.getType().cast<ShapedType>().getRank() < 2 ||
        v.getType().cast<ShapedType>().getRank() < 2)
      return failure();
    Value fused = nn::buildChecked<nn::AttentionOp>(
        rewriter, op.getLoc(), {q, k, v},
        {rewriter.getNamedAttr("scale", rewriter.getF64FloatAttr(scale)),
         rewriter.getNamedAttr("causal", rewriter.getBoolAttr(false))});
    // The shape rule of attention agrees with matmul's on these operands,
    // but a batch broadcast could differ: then leave the graph alone.
    if (!fused || fused.getType() != op.getType()) {
      if (fused)
        rewriter.eraseOp(fused.getDefiningOp());
      return failure();
    }
    rewriter.replaceOp(op, fused);
    return success();
  }
};

struct RecognizeAttentionPass : RecognizeAttentionBase<RecognizeAttentionPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<AttentionPattern>(&getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

std::unique_ptr<Pass> nncc::createRecognizeAttentionPass() {
  return std::make_unique<RecognizeAttentionPass>();
}
