//===- ChannelsLast.cpp - keep activations channels-innermost -------------===//
//
// A convolution reading NCHW broadcasts one input value per output position
// while its vectors run along the width, so a 19-wide board fills 19 of 32
// lanes. Channels innermost, the vectors run along output channels instead,
// and the weights, permuted to [kH, kW, C, O] when they are constants, are
// read contiguously. Each convolution becomes
//   permute(conv2d_nhwc(permute(x), permute(w)), back)
// and the permutes then sink through elementwise ops (a per-channel
// constant operand permuted along, at compile time), pools and concats
// until consecutive ones cancel, so a chain of convolutions converts only
// at its ends.
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

int64_t numElements(Value v) {
  return v.getType().cast<ShapedType>().getNumElements();
}

struct ConvToChannelsLast : OpRewritePattern<nn::Conv2dOp> {
  ConvToChannelsLast(MLIRContext *context, int64_t minChannels)
      : OpRewritePattern(context), minChannels(minChannels) {}

  LogicalResult matchAndRewrite(nn::Conv2dOp op,
                                PatternRewriter &rewriter) const override {
    // Grouped convolutions read a slice of channels per output channel, a
    // gather along a vector of them, except depthwise ones, where output
    // channel c reads input channel c alone. With few output channels a
    // vector would be mostly empty.
    int64_t channels = op.getType().cast<ShapedType>().getDimSize(1);
    int64_t groups = op.getGroupsAttr().getInt();
    bool depthwise =
        groups == channels &&
        groups == op.getInput().getType().cast<ShapedType>().getDimSize(1);
    if (op.getChannelsLast() || (groups != 1 && !depthwise) ||
        channels < minChannels)
      return failure();
    Location loc = op.getLoc();
    SmallVector<Value, 3> operands = {
        nn::buildPermute(rewriter, loc, op.getInput(), nn::kToChannelsLast),
        nn::buildPermute(rewriter, loc, op.getWeight(),
                         nn::kWeightToChannelsLast)};
    if (op.getBias())
      operands.push_back(op.getBias());
    SmallVector<NamedAttribute, 5> attrs(op->getAttrs().begin(),
                                         op->getAttrs().end());
    attrs.push_back(
        rewriter.getNamedAttr("channels_last", rewriter.getUnitAttr()));
    Value conv = nn::buildChecked<nn::Conv2dOp>(rewriter, loc, operands, attrs);
    rewriter.replaceOp(
        op, nn::buildPermute(rewriter, loc, conv, nn::kFromChannelsLast));
    return success();
  }

  int64_t minChannels;
};

/// pool(permute(x, from channels-last)) -> permute(pool_nhwc(x), same):
/// a pool between channels_last convolutions keeps their layout, reads
/// its taps a vector of channels at a time, and transposes nothing.
template <typename PoolOp>
struct PoolToChannelsLast : OpRewritePattern<PoolOp> {
  using OpRewritePattern<PoolOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(PoolOp op,
                                PatternRewriter &rewriter) const override {
    auto sunk = op.getInput().template getDefiningOp<nn::PermuteOp>();
    if (op.getChannelsLast() || !sunk || !sunk->hasOneUse() ||
        llvm::makeArrayRef(nn::permutationOf(sunk.getDims())) !=
            llvm::makeArrayRef(nn::kFromChannelsLast))
      return failure();
    SmallVector<NamedAttribute, 4> attrs(op->getAttrs().begin(),
                                         op->getAttrs().end());
    attrs.push_back(
        rewriter.getNamedAttr("channels_last", rewriter.getUnitAttr()));
    Value pool = nn::buildChecked<PoolOp>(rewriter, op.getLoc(),
                                          {sunk.getInput()}, attrs);
    rewriter.replaceOp(op, nn::buildPermute(rewriter, op.getLoc(), pool,
                                            nn::kFromChannelsLast));
    return success();
  }
};

/// The permutation that undoes `p`.
SmallVector<int64_t, 4> inverseOf(ArrayRef<int64_t> p) {
  SmallVector<int64_t, 4> inverse(p.size());
  for (size_t i = 0; i < p.size(); ++i)
    inverse[p[i]] = i;
  return inverse;
}

/// v as a value x with v == permute(x, p), where one exists before `op`:
/// v is that permute, or v is permuted by p's inverse before `op` anyway.
Value inLayout(Value v, ArrayRef<int64_t> p, Operation *op) {
  if (auto other = v.getDefiningOp<nn::PermuteOp>())
    if (llvm::makeArrayRef(nn::permutationOf(other.getDims())) == p)
      return other.getInput();
  SmallVector<int64_t, 4> inverse = inverseOf(p);
  for (Operation *user : v.getUsers())
    if (auto q = dyn_cast<nn::PermuteOp>(user))
      if (nn::permutationOf(q.getDims()) == inverse &&
          q->getBlock() == op->getBlock() && q->isBeforeInBlock(op))
        return q.getResult();
  return {};
}

/// op(permute(x, p), ...) -> permute(op(x, ...), p) for an elementwise op.
/// A second operand must hold one element (it broadcasts the same in any
/// order) or already exist in x's layout: as a permute of it, or because
/// it is permuted to that layout before `op` anyway (a residual input).
/// Otherwise the permute would only move to the other operand.
struct SinkPermute : RewritePattern {
  explicit SinkPermute(MLIRContext *context)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, context) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!nn::isElementwise(op))
      return failure();
    for (unsigned i = 0; i < op->getNumOperands(); ++i) {
      auto sunk = op->getOperand(i).getDefiningOp<nn::PermuteOp>();
      // A permute with other uses stays: sinking it would add one, and a
      // permute read through its other use could sink back.
      if (!sunk || !sunk->hasOneUse() ||
          op->getResult(0).getType() != sunk.getType())
        continue;
      SmallVector<Value, 2> operands;
      for (Value v : op->getOperands())
        operands.push_back(v == sunk ? sunk.getInput()
                                     : inLayoutOf(v, sunk, op, rewriter));
      if (llvm::is_contained(operands, Value()))
        continue;
      OperationState state(op->getLoc(), op->getName(), operands,
                           {sunk.getInput().getType()}, op->getAttrs());
      Value inner = rewriter.createOperation(state)->getResult(0);
      rewriter.replaceOp(op,
                         nn::buildPermute(rewriter, op->getLoc(), inner,
                                          nn::permutationOf(sunk.getDims())));
      return success();
    }
    return failure();
  }

  /// `v` in the layout of `sunk`'s input, or null.
  static Value inLayoutOf(Value v, nn::PermuteOp sunk, Operation *op,
                          PatternRewriter &rewriter) {
    if (numElements(v) == 1)
      return v;
    SmallVector<int64_t, 4> p = nn::permutationOf(sunk.getDims());
    // A constant that broadcasts (batch norm's per-channel scale and
    // shift) is re-laid-out at compile time: given x's rank, then permuted.
    auto type = v.getType().cast<ShapedType>();
    if (v.getDefiningOp<nn::ConstantOp>() &&
        type.getRank() <= (int64_t)p.size() &&
        numElements(v) < numElements(op->getResult(0))) {
      SmallVector<int64_t, 4> shape(p.size() - type.getRank(), 1);
      shape.append(type.getShape().begin(), type.getShape().end());
      return nn::buildPermute(
          rewriter, op->getLoc(),
          nn::buildReshape(rewriter, op->getLoc(), v, shape), inverseOf(p));
    }
    if (v.getType() != sunk.getType())
      return {};
    return inLayout(v, p, op);
  }
};

/// concat(permute(a, p), permute(b, p), ...) -> permute(concat(a, b, ...), p)
/// along the axis p moved, where every input is such a permute or is
/// permuted by p's inverse anyway (a block's input, read by its first
/// conv): DenseNet's concatenations of channels-last convolutions stay
/// channels-last. The permutes may have other uses
/// (every later layer of a dense block reads each output): each concat
/// converts on its own, and a permute dies with its last reader.
struct ConcatOfPermutes : OpRewritePattern<nn::ConcatOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(nn::ConcatOp op,
                                PatternRewriter &rewriter) const override {
    // Only towards channels-last: the concat it makes may read permutes
    // to channels-last, which must not convert it back.
    ArrayRef<int64_t> p = nn::kFromChannelsLast;
    if (llvm::none_of(op.getInputs(), [&](Value v) {
          auto permute = v.getDefiningOp<nn::PermuteOp>();
          return permute &&
                 llvm::makeArrayRef(nn::permutationOf(permute.getDims())) == p;
        }))
      return failure();
    SmallVector<Value, 8> inputs;
    for (Value v : op.getInputs())
      if (!(inputs.emplace_back(inLayout(v, p, op))))
        return failure();
    int64_t axis = p[op.getAxisAttr().getInt()];
    Value inner = nn::buildChecked<nn::ConcatOp>(
        rewriter, op.getLoc(), inputs,
        {rewriter.getNamedAttr("axis", rewriter.getI64IntegerAttr(axis))});
    rewriter.replaceOp(op, nn::buildPermute(rewriter, op.getLoc(), inner, p));
    return success();
  }
};

struct ChannelsLastPass : ChannelsLastBase<ChannelsLastPass> {
  ChannelsLastPass() = default;
  explicit ChannelsLastPass(int64_t channels) { minChannels = channels; }
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ConvToChannelsLast>(&getContext(), minChannels);
    patterns
        .add<SinkPermute, ConcatOfPermutes, PoolToChannelsLast<nn::MaxPool2dOp>,
             PoolToChannelsLast<nn::AvgPool2dOp>,
             PoolToChannelsLast<nn::GlobalAvgPool2dOp>>(&getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

std::unique_ptr<Pass> nncc::createChannelsLastPass() {
  return std::make_unique<ChannelsLastPass>();
}
std::unique_ptr<Pass> nncc::createChannelsLastPass(int64_t minChannels) {
  return std::make_unique<ChannelsLastPass>(minChannels);
}
