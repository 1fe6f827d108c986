//===- HoistSlices.cpp - compute only the rows a slice keeps --------------===//
//
// A model that reads part of a tensor at its end (ViT's classifier reads
// the class token, row 0 of 197) needs only those rows of everything that
// works row by row before it. A slice moves above such an op, which then
// computes the rows kept:
//   slice(f(x))            -> f(slice(x))       elementwise f, layer_norm
//                                               (not along the last axis)
//   slice(a + b)           -> slice(a) + slice(b), a broadcast operand as is
//   slice(linear(x, w, b)) -> linear(slice(x), w, b)    not the last axis
//   slice(mha(x, kv=y))    -> mha(slice(x), kv=y)       along the queries;
//                             without kv, the keys and values stay all of x
// Each op must have no other use than such slices, or its rows would be
// computed twice.
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

int64_t rankOf(Value v) { return v.getType().cast<ShapedType>().getRank(); }

/// `v` sliced as `slice` slices a result of rank `rank` that `v`
/// broadcasts into: unchanged where `v` has size 1 (or no dimension) there.
Value sliced(PatternRewriter &rewriter, nn::SliceOp slice, Value v,
             int64_t rank) {
  int64_t axis = slice.getAxisAttr().getInt() - (rank - rankOf(v));
  if (axis < 0 || v.getType().cast<ShapedType>().getDimSize(axis) == 1)
    return v;
  return nn::buildChecked<nn::SliceOp>(
      rewriter, slice.getLoc(), {v},
      {rewriter.getNamedAttr("axis", rewriter.getI64IntegerAttr(axis)),
       rewriter.getNamedAttr("start", slice.getStartAttr()),
       rewriter.getNamedAttr("end", slice.getEndAttr())});
}

/// Which operands of `op` carry the sliced rows (the others are weights or
/// keys, read whole), or none where the slice cannot move above `op`.
SmallVector<unsigned, 2> rowOperands(Operation *op, int64_t axis) {
  int64_t last = op->getResult(0).getType().cast<ShapedType>().getRank() - 1;
  if (nn::isElementwise(op))
    return op->getNumOperands() == 1 ? SmallVector<unsigned, 2>{0}
                                     : SmallVector<unsigned, 2>{0, 1};
  if (isa<nn::LayerNormOp, nn::LinearOp>(op) && axis != last)
    return {0};
  if (auto mha = dyn_cast<nn::MultiHeadAttentionOp>(op))
    if (axis == last - 1 && !mha.getMask() && !mha.getWindow() &&
        !mha.getCausal())
      return {0};
  return {};
}

/// `mha`'s operands and attributes with its whole input passed as `kv`: the
/// keys and values are still every row of it.
void withKeysFrom(PatternRewriter &rewriter, nn::MultiHeadAttentionOp mha,
                  SmallVectorImpl<Value> &operands,
                  SmallVectorImpl<NamedAttribute> &attrs) {
  constexpr unsigned kKvSegment = 9; // input, 4 weights, 4 biases, kv
  for (NamedAttribute &a : attrs) {
    if (a.getName() != mha.getOperandSegmentSizesAttrName())
      continue;
    SmallVector<int32_t, 11> sizes(
        a.getValue().cast<DenseIntElementsAttr>().getValues<int32_t>());
    int32_t at = 0;
    for (unsigned i = 0; i < kKvSegment; ++i)
      at += sizes[i];
    operands.insert(operands.begin() + at, mha.getInput());
    sizes[kKvSegment] = 1;
    a.setValue(rewriter.getI32VectorAttr(sizes));
  }
}

/// Whether every use of `op` is a slice like `slice` (a residual read by
/// two branches is sliced in each).
bool onlySlicedAs(Operation *op, nn::SliceOp slice) {
  return llvm::all_of(op->getUsers(), [&](Operation *user) {
    auto other = dyn_cast<nn::SliceOp>(user);
    return other && other->getAttrDictionary() == slice->getAttrDictionary();
  });
}

struct HoistSlice : OpRewritePattern<nn::SliceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(nn::SliceOp slice,
                                PatternRewriter &rewriter) const override {
    // A strided slice stays: attention's windows and causal masks read
    // positions as contiguous from the start.
    Operation *op = slice.getInput().getDefiningOp();
    if (!op || op->getNumResults() != 1 || slice.getStep() != 1 ||
        !onlySlicedAs(op, slice))
      return failure();
    SmallVector<unsigned, 2> rows =
        rowOperands(op, slice.getAxisAttr().getInt());
    if (rows.empty())
      return failure();
    rewriter.setInsertionPoint(op);
    int64_t rank = rankOf(op->getResult(0));
    SmallVector<Value, 8> operands(op->getOperands());
    for (unsigned i : rows)
      operands[i] = sliced(rewriter, slice, operands[i], rank);
    SmallVector<NamedAttribute, 4> attrs(op->getAttrs().begin(),
                                         op->getAttrs().end());
    if (auto mha = dyn_cast<nn::MultiHeadAttentionOp>(op))
      if (!mha.getKv())
        withKeysFrom(rewriter, mha, operands, attrs);
    OperationState state(op->getLoc(), op->getName(), operands,
                         {slice.getType()}, attrs);
    Operation *narrow = rewriter.createOperation(state);
    for (Operation *user : llvm::make_early_inc_range(op->getUsers()))
      rewriter.replaceOp(user, narrow->getResults());
    rewriter.eraseOp(op);
    return success();
  }
};

struct HoistSlicesPass : HoistSlicesBase<HoistSlicesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<HoistSlice>(&getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

std::unique_ptr<Pass> nncc::createHoistSlicesPass() {
  return std::make_unique<HoistSlicesPass>();
}
