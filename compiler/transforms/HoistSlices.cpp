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
//   slice(permute(x))      -> permute(slice(x))  along the axis moved there
//   slice(reshape(x))      -> reshape(slice(x))  where an input axis holds
//                             the same rows
//   slice(attention(q, k, v)) -> attention(slice(q), k, v)  along the queries
//   slice(mha(x, kv=y))    -> mha(slice(x), kv=y)       along the queries;
//                             without kv, the keys and values stay all of x
// Each op must have no other use than such slices, or its rows would be
// computed twice. Along the last axis, a linear whose uses are all slices
// there (MultiheadAttention's stacked q, k and v projection) splits by
// output features instead, each slice a linear of its rows of the weight:
//   slice(linear(x, w, b)) -> linear(x, slice(w), slice(b))
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

/// `v` sliced along `axis` as `slice` slices its result.
Value sliced(PatternRewriter &rewriter, nn::SliceOp slice, Value v,
             int64_t axis) {
  return nn::buildSlice(rewriter, slice.getLoc(), v, axis, slice.getStart(),
                        slice.getEnd());
}

/// The input axis whose rows are the rows of a reshape's result along
/// `axis`: the same size, after the same number of elements' blocks.
Optional<int64_t> reshapedAxis(nn::ReshapeOp op, int64_t axis) {
  ArrayRef<int64_t> in = op.getInput().getType().cast<ShapedType>().getShape(),
                    out = op.getType().cast<ShapedType>().getShape();
  int64_t outer = 1, before = 1;
  for (int64_t i = 0; i < axis; ++i)
    outer *= out[i];
  for (int64_t j = 0; j < (int64_t)in.size(); before *= in[j++])
    if (before == outer && in[j] == out[axis])
      return j;
  return llvm::None;
}

/// A row-carrying operand and the axis its rows are along.
using RowOperand = std::pair<unsigned, int64_t>;

/// Which operands of `op` carry the rows of a slice of its result along
/// `axis`, with their axes (the others are weights, keys or broadcast, read
/// whole), or none where the slice cannot move above `op`.
SmallVector<RowOperand, 2> rowOperands(Operation *op, int64_t axis) {
  int64_t rank = rankOf(op->getResult(0)), last = rank - 1;
  SmallVector<RowOperand, 2> rows;
  if (nn::isElementwise(op)) {
    for (unsigned i = 0; i < op->getNumOperands(); ++i) {
      Value v = op->getOperand(i);
      int64_t at = axis - (rank - rankOf(v));
      if (at >= 0 && v.getType().cast<ShapedType>().getDimSize(at) != 1)
        rows.push_back({i, at});
    }
    return rows;
  }
  if (isa<nn::LayerNormOp, nn::LinearOp>(op) && axis != last)
    return {{0, axis}};
  if (auto permute = dyn_cast<nn::PermuteOp>(op))
    return {{0, nn::permutationOf(permute.getDims())[axis]}};
  if (auto reshape = dyn_cast<nn::ReshapeOp>(op)) {
    if (Optional<int64_t> at = reshapedAxis(reshape, axis))
      return {{0, *at}};
    return {};
  }
  if (auto attention = dyn_cast<nn::AttentionOp>(op))
    if (axis == last - 1 && !attention.getMask() && !attention.getWindow() &&
        !attention.getCausal())
      return {{0, axis}};
  if (auto mha = dyn_cast<nn::MultiHeadAttentionOp>(op))
    if (axis == last - 1 && !mha.getMask() && !mha.getWindow() &&
        !mha.getCausal())
      return {{0, axis}};
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
    SmallVector<RowOperand, 2> rows =
        rowOperands(op, slice.getAxisAttr().getInt());
    if (rows.empty())
      return failure();
    rewriter.setInsertionPoint(op);
    SmallVector<Value, 8> operands(op->getOperands());
    for (auto [i, axis] : rows)
      operands[i] = sliced(rewriter, slice, operands[i], axis);
    SmallVector<NamedAttribute, 4> attrs(op->getAttrs().begin(),
                                         op->getAttrs().end());
    if (auto reshape = dyn_cast<nn::ReshapeOp>(op))
      for (NamedAttribute &a : attrs)
        if (a.getName() == reshape.getShapeAttrName())
          a.setValue(rewriter.getI64ArrayAttr(
              slice.getType().cast<ShapedType>().getShape()));
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

/// Whether every use of `op` is a slice along its last axis.
bool onlySlicedAlongLast(Operation *op) {
  int64_t last = rankOf(op->getResult(0)) - 1;
  return llvm::all_of(op->getUsers(), [&](Operation *user) {
    auto slice = dyn_cast<nn::SliceOp>(user);
    return slice && slice.getAxisAttr().getInt() == last;
  });
}

struct SplitLinear : OpRewritePattern<nn::SliceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(nn::SliceOp slice,
                                PatternRewriter &rewriter) const override {
    auto linear = slice.getInput().getDefiningOp<nn::LinearOp>();
    if (!linear || slice.getStep() != 1 || !onlySlicedAlongLast(linear))
      return failure();
    // The weight's rows and the bias are the output features, axis 0.
    SmallVector<Value, 3> operands = {
        linear.getInput(), sliced(rewriter, slice, linear.getWeight(), 0)};
    if (Value bias = linear.getBias())
      operands.push_back(sliced(rewriter, slice, bias, 0));
    rewriter.replaceOpWithNewOp<nn::LinearOp>(slice, slice.getType(), operands);
    return success();
  }
};

struct HoistSlicesPass : HoistSlicesBase<HoistSlicesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<HoistSlice, SplitLinear>(&getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

std::unique_ptr<Pass> nncc::createHoistSlicesPass() {
  return std::make_unique<HoistSlicesPass>();
}
