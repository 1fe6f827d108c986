//===- LinearToMatmul.cpp - linear layers read their weights in rows ------===//
//
// F.linear multiplies by weight^T, weight stored [out, in]: a vector of
// outputs would read a column of the weight, 16 scattered loads. With the
// weight a constant, linear(x, w, b) becomes matmul(x, w^T) + b and the
// transpose folds at compile time, so the register-blocked product reads
// the weight's rows contiguously. A weight given at run time is left alone
// (its transpose would cost a copy per call).
//
//===----------------------------------------------------------------------===//

#include "compiler/transforms/Passes.h"
#include "dialects/nn/NNOps.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;
using namespace nncc;

namespace {
#define GEN_PASS_CLASSES
#include "compiler/transforms/Passes.h.inc"

struct LinearAsMatmul : OpRewritePattern<nn::LinearOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(nn::LinearOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getWeight().getDefiningOp<nn::ConstantOp>())
      return failure();
    Value product = nn::buildLinearAsMatmul(rewriter, op.getLoc(), op.getInput(),
                                            op.getWeight(), op.getBias());
    // matmul's shape rule agrees with linear's on these operands.
    if (!product || product.getType() != op.getType())
      return failure();
    rewriter.replaceOp(op, product);
    return success();
  }
};

struct LinearToMatmulPass : LinearToMatmulBase<LinearToMatmulPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<LinearAsMatmul>(&getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

std::unique_ptr<Pass> nncc::createLinearToMatmulPass() {
  return std::make_unique<LinearToMatmulPass>();
}
