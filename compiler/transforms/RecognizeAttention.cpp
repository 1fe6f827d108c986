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

/// The permutation that swaps the last two of `rank` dimensions after `p`.
SmallVector<int64_t, 4> swappingLastTwo(SmallVector<int64_t, 4> p) {
  std::swap(p[p.size() - 2], p[p.size() - 1]);
  return p;
}

/// k where `kt` is k with its last two dimensions swapped: the input of a
/// transpose or permute that swaps them, or (where a permute also moves
/// other dimensions, as exporters write k.permute(1, 2, 0)) a new permute
/// of that input without the swap.
Value untransposed(PatternRewriter &rewriter, Value kt) {
  int64_t rank = kt.getType().cast<ShapedType>().getRank();
  if (auto t = kt.getDefiningOp<nn::TransposeOp>()) {
    int64_t a = t.getDim0Attr().getInt(), b = t.getDim1Attr().getInt();
    if (std::min(a, b) == rank - 2 && std::max(a, b) == rank - 1)
      return t.getInput();
  }
  auto p = kt.getDefiningOp<nn::PermuteOp>();
  if (!p)
    return {};
  SmallVector<int64_t, 4> dims =
      swappingLastTwo(nn::permutationOf(p.getDims()));
  if (llvm::equal(dims, llvm::seq<int64_t>(0, rank)))
    return p.getInput();
  return nn::buildChecked<nn::PermuteOp>(
      rewriter, p.getLoc(), {p.getInput()},
      {rewriter.getNamedAttr("dims", rewriter.getI64ArrayAttr(dims))});
}

/// `v` without a multiplication or division by a scalar constant that only
/// it uses, the factor multiplied into `scale`.
Value unscaled(Value v, double &scale) {
  Operation *op = v.getDefiningOp();
  if (!op || !op->hasOneUse())
    return v;
  if (auto mul = dyn_cast<nn::MulOp>(op)) {
    for (auto [factor, other] : {std::make_pair(mul.getRhs(), mul.getLhs()),
                                 std::make_pair(mul.getLhs(), mul.getRhs())})
      if (Optional<double> s = nn::scalarConstant(factor)) {
        if (other.getType() != v.getType())
          return v;
        scale *= *s;
        return other;
      }
  } else if (auto div = dyn_cast<nn::DivOp>(op)) {
    Optional<double> s = nn::scalarConstant(div.getRhs());
    if (s && *s != 0 && div.getLhs().getType() == v.getType()) {
      scale /= *s;
      return div.getLhs();
    }
  }
  return v;
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
    // Exporters scale the scores, or q (and k) before the product.
    double scale = 1.0;
    auto qk = unscaled(softmax.getInput(), scale).getDefiningOp<nn::MatmulOp>();
    if (!qk || !qk->hasOneUse())
      return failure();
    Value q = unscaled(qk.getLhs(), scale), v = op.getRhs();
    Value kt = unscaled(qk.getRhs(), scale);
    if (q.getType().cast<ShapedType>().getRank() < 2 ||
        v.getType().cast<ShapedType>().getRank() < 2)
      return failure();
    Value k = untransposed(rewriter, kt);
    if (!k)
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
      if (k.use_empty())
        rewriter.eraseOp(k.getDefiningOp());
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
