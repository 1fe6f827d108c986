//===- LinearToMatmul.cpp - linear layers read their weights in rows ------===//
//
// F.linear multiplies by weight^T, weight stored [out, in]: a vector of
// outputs would read a column of the weight, 16 scattered loads. With the
// weight a constant, linear(x, w, b) becomes matmul(x, w^T) + b and the
// transpose folds at compile time, so the register-blocked product reads
// the weight's rows contiguously. A weight given at run time is left alone
// (its transpose would cost a copy per call). Wide weights are packed in
// panels of one register block's columns.
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

/// linear(x, w, bias) for w [N, K] in panels of `panel` output columns,
/// x [1..., M, K]:
///   p = permute(reshape(w^T, [K, N/panel, panel]), [1, 0, 2])
///   y = reshape(permute(matmul(x, p), panels after rows), x's rows + [N])
/// p folds into a constant whose panels are contiguous: a register block
/// of the product reads one panel's rows one after the other, not rows
/// 4N bytes apart (2-8 KB in a Transformer's feed-forward layers, a TLB
/// page and a prefetch stream per row). x is read as it is: a reshape of
/// it would index it through divisions.
Value packedLinear(PatternRewriter &rewriter, Location loc, Value x, Value w,
                   Value bias, int64_t panel) {
  ArrayRef<int64_t> xs = x.getType().cast<ShapedType>().getShape();
  ArrayRef<int64_t> ws = w.getType().cast<ShapedType>().getShape();
  int64_t n = ws[0], k = ws[1], rank = std::max<int64_t>(xs.size(), 3);
  Value panels = nn::buildPermute(
      rewriter, loc,
      nn::buildReshape(rewriter, loc,
                       nn::buildPermute(rewriter, loc, w, {1, 0}),
                       {k, n / panel, panel}),
      {1, 0, 2});
  Value product =
      nn::buildChecked<nn::MatmulOp>(rewriter, loc, {x, panels}, {});
  // [1..., N/panel, M, panel] -> [1..., M, N/panel, panel] -> [1..., M, N]
  SmallVector<int64_t, 4> order;
  for (int64_t d = 0; d < rank - 3; ++d)
    order.push_back(d);
  order.append({rank - 2, rank - 3, rank - 1});
  SmallVector<int64_t, 4> shape(xs.begin(), xs.end() - 1);
  shape.push_back(n);
  Value y = nn::buildReshape(
      rewriter, loc, nn::buildPermute(rewriter, loc, product, order), shape);
  if (bias)
    y = nn::buildChecked<nn::AddOp>(rewriter, loc, {y, bias}, {});
  return y;
}

int64_t numElementsOf(Value v) {
  return v.getType().cast<ShapedType>().getNumElements();
}

/// Most products one accumulator sums one after the other, and the chunks
/// longer sums are cut into. f32 rounding error grows with the count: VGG's
/// classifier (25088 inputs) summed in one run came out 2.2e-4 from the
/// float64 result (PyTorch's: 2.4e-5), in chunks of 1792 6.7e-5, of 512
/// 3.1e-5.
constexpr int64_t kLongestSum = 4096, kChunk = 512;

/// linear(x, w, bias) for x [M, K] with K past kLongestSum, in C chunks of
/// K/C <= kChunk products, each summed on its own, then together:
///   sum(matmul(permute(reshape(x, [M, C, K/C]), [1, 0, 2]),
///              reshape(w^T, [C, K/C, N])), axis 0) + bias
/// Null where K has no such divisor of at least kChunk / 8 products (a
/// product of such short chunks would be mostly overhead).
Value chunkedLinear(PatternRewriter &rewriter, Location loc, Value x, Value w,
                    Value bias) {
  ArrayRef<int64_t> ws = w.getType().cast<ShapedType>().getShape();
  int64_t n = ws[0], k = ws[1], m = numElementsOf(x) / k, chunks = 2;
  while (chunks < k && (k % chunks || k / chunks > kChunk))
    ++chunks;
  int64_t len = k / chunks;
  if (chunks >= k || len < kChunk / 8)
    return {};
  Value rows = nn::buildPermute(
      rewriter, loc, nn::buildReshape(rewriter, loc, x, {m, chunks, len}),
      {1, 0, 2});
  Value weights = nn::buildReshape(rewriter, loc,
                                   nn::buildPermute(rewriter, loc, w, {1, 0}),
                                   {chunks, len, n});
  Value partial =
      nn::buildChecked<nn::MatmulOp>(rewriter, loc, {rows, weights}, {});
  Value y = nn::buildChecked<nn::SumOp>(
      rewriter, loc, {partial},
      {rewriter.getNamedAttr("axes", rewriter.getI64ArrayAttr({0}))});
  if (bias)
    y = nn::buildChecked<nn::AddOp>(rewriter, loc, {y, bias}, {});
  return y;
}

/// Whether x's rows can multiply panels as they are: [M, K], or with
/// leading dimensions of 1.
bool rowsOnly(Value x) {
  ArrayRef<int64_t> xs = x.getType().cast<ShapedType>().getShape();
  return xs.size() >= 2 &&
         llvm::all_of(xs.drop_back(2), [](int64_t d) { return d == 1; });
}

/// x as [M, K] where its leading dimensions are M and ones ([T, 1, K] as
/// an exporter's sequence-first attention writes it): as batches of one row
/// each, the product would have no rows to block. Dropping ones indexes x
/// without divisions.
Value asRows(PatternRewriter &rewriter, Location loc, Value x) {
  ArrayRef<int64_t> xs = x.getType().cast<ShapedType>().getShape();
  if (xs.size() < 3 || rowsOnly(x) ||
      llvm::count_if(xs.drop_back(), [](int64_t d) { return d != 1; }) > 1)
    return x;
  int64_t m = 1;
  for (int64_t d : xs.drop_back())
    m *= d;
  return nn::buildReshape(rewriter, loc, x, {m, xs.back()});
}

struct LinearAsMatmul : OpRewritePattern<nn::LinearOp> {
  LinearAsMatmul(MLIRContext *context, int64_t panel)
      : OpRewritePattern(context), panel(panel) {}

  LogicalResult matchAndRewrite(nn::LinearOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getWeight().getDefiningOp<nn::ConstantOp>())
      return failure();
    auto ws = op.getWeight().getType().cast<ShapedType>();
    Location loc = op.getLoc();
    Value x = asRows(rewriter, loc, op.getInput());
    bool packed = ws.getRank() == 2 && ws.getDimSize(0) % panel == 0 &&
                  ws.getDimSize(0) >= 2 * panel && rowsOnly(x);
    Value product;
    if (ws.getRank() == 2 && ws.getDimSize(1) > kLongestSum && rowsOnly(x))
      product = chunkedLinear(rewriter, loc, x, op.getWeight(), op.getBias());
    if (!product)
      product = packed ? packedLinear(rewriter, loc, x, op.getWeight(),
                                      op.getBias(), panel)
                       : nn::buildLinearAsMatmul(rewriter, loc, x,
                                                 op.getWeight(), op.getBias());
    if (product && product.getType() != op.getType() &&
        numElementsOf(product) == numElementsOf(op))
      product = nn::buildReshape(rewriter, loc, product,
                                 op.getType().cast<ShapedType>().getShape());
    // matmul's shape rule agrees with linear's on these operands.
    if (!product || product.getType() != op.getType())
      return failure();
    rewriter.replaceOp(op, product);
    return success();
  }

  int64_t panel;
};

struct LinearToMatmulPass : LinearToMatmulBase<LinearToMatmulPass> {
  LinearToMatmulPass() = default;
  explicit LinearToMatmulPass(int64_t columns) { panelColumns = columns; }
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<LinearAsMatmul>(&getContext(), panelColumns);
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

std::unique_ptr<Pass> nncc::createLinearToMatmulPass() {
  return std::make_unique<LinearToMatmulPass>();
}
std::unique_ptr<Pass> nncc::createLinearToMatmulPass(int64_t panelColumns) {
  return std::make_unique<LinearToMatmulPass>(panelColumns);
}
