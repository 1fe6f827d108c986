//===- NNCanonicalize.cpp - folds and canonicalization of nn ops ----------===//
//
// Data-movement ops that do nothing fold away, and chains of them collapse
// into one, so later passes see each layout change once.
//
//===----------------------------------------------------------------------===//

#include "dialects/nn/NNConstantFold.h"
#include "dialects/nn/NNOps.h"

#include "mlir/IR/PatternMatch.h"

#include <cmath>
#include <numeric>

using namespace mlir;
using namespace nncc::nn;

OpFoldResult ConstantOp::fold(ArrayRef<Attribute>) { return getValueAttr(); }

OpFoldResult ReshapeOp::fold(ArrayRef<Attribute> operands) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto dense = operands[0].dyn_cast_or_null<DenseElementsAttr>())
    return dense.reshape(getType().cast<ShapedType>());
  // reshape(reshape(x)) == reshape(x): only the outer target matters.
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  return {};
}

namespace {
/// flatten is a reshape whose target the shape function already computed.
struct FlattenToReshape : OpRewritePattern<FlattenOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(FlattenOp op,
                                PatternRewriter &rewriter) const override {
    auto shape = op.getType().cast<ShapedType>().getShape();
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, op.getType(), op.getInput(),
                                           rewriter.getI64ArrayAttr(shape));
    return success();
  }
};
} // namespace

void FlattenOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                            MLIRContext *context) {
  patterns.add<FlattenToReshape>(context);
}

OpFoldResult TransposeOp::fold(ArrayRef<Attribute> operands) {
  int64_t d0 = getDim0Attr().getInt(), d1 = getDim1Attr().getInt();
  if (d0 == d1)
    return getInput();
  if (auto dense = f32Constant(operands[0])) {
    SmallVector<int64_t, 4> perm(getType().cast<ShapedType>().getRank());
    std::iota(perm.begin(), perm.end(), 0);
    std::swap(perm[d0], perm[d1]);
    return permuteConstant(dense, perm, getType().cast<ShapedType>());
  }
  // Swapping the same pair twice is the identity.
  if (auto inner = getInput().getDefiningOp<TransposeOp>()) {
    int64_t e0 = inner.getDim0Attr().getInt(),
            e1 = inner.getDim1Attr().getInt();
    if (std::minmax(d0, d1) == std::minmax(e0, e1))
      return inner.getInput();
  }
  return {};
}

static bool isIdentity(ArrayRef<int64_t> perm) {
  for (size_t i = 0; i < perm.size(); ++i)
    if (perm[i] != (int64_t)i)
      return false;
  return true;
}

OpFoldResult PermuteOp::fold(ArrayRef<Attribute> operands) {
  SmallVector<int64_t, 4> outer = permutationOf(getDims());
  if (isIdentity(outer))
    return getInput();
  // Weights bound at compile time are re-laid-out then, not per call.
  if (auto dense = f32Constant(operands[0]))
    return permuteConstant(dense, outer, getType().cast<ShapedType>());
  // permute(permute(x, p), q) == permute(x, p[q[i]]).
  if (auto inner = getInput().getDefiningOp<PermuteOp>()) {
    SmallVector<int64_t, 4> p = permutationOf(inner.getDims()), composed;
    for (int64_t q : outer)
      composed.push_back(p[q]);
    if (isIdentity(composed))
      return inner.getInput();
    getInputMutable().assign(inner.getInput());
    (*this)->setAttr(getDimsAttrName(),
                     Builder(getContext()).getI64ArrayAttr(composed));
    return getResult();
  }
  return {};
}

namespace {
/// A permute whose dimensions of size > 1 keep their order moves no data.
struct PermuteOfUnitDimsAsReshape : OpRewritePattern<PermuteOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PermuteOp op,
                                PatternRewriter &rewriter) const override {
    auto input = op.getInput().getType().cast<ShapedType>();
    int64_t last = -1;
    for (int64_t d : permutationOf(op.getDims())) {
      if (input.getDimSize(d) == 1)
        continue;
      if (d < last)
        return failure();
      last = d;
    }
    rewriter.replaceOpWithNewOp<ReshapeOp>(
        op, op.getType(), op.getInput(),
        rewriter.getI64ArrayAttr(op.getType().cast<ShapedType>().getShape()));
    return success();
  }
};
} // namespace

void PermuteOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                            MLIRContext *context) {
  patterns.add<PermuteOfUnitDimsAsReshape>(context);
}

OpFoldResult ConcatOp::fold(ArrayRef<Attribute> operands) {
  if (getInputs().size() == 1)
    return getInputs()[0];
  SmallVector<DenseElementsAttr, 4> parts;
  for (Attribute operand : operands)
    if (auto dense = f32Constant(operand))
      parts.push_back(dense);
  if (parts.size() != operands.size())
    return {};
  return concatConstants(parts, getAxisAttr().getInt(),
                         getType().cast<ShapedType>());
}

// Padding by nothing (ONNX's pads of zeros) is the identity in any mode.
OpFoldResult PadOp::fold(ArrayRef<Attribute>) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

namespace {
/// cat(a, b, c) -> cat(d, c) for the longest earlier d = cat(a, b).
struct ConcatOfPrefix : OpRewritePattern<ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConcatOp op,
                                PatternRewriter &rewriter) const override {
    OperandRange inputs = op.getInputs();
    ConcatOp prefix;
    for (Operation *user : inputs[0].getUsers()) {
      auto other = dyn_cast<ConcatOp>(user);
      if (!other || other == op || other.getAxis() != op.getAxis() ||
          other.getInputs().size() >= inputs.size() ||
          other.getInputs().size() < 2 ||
          other->getBlock() != op->getBlock() || !other->isBeforeInBlock(op) ||
          !std::equal(other.getInputs().begin(), other.getInputs().end(),
                      inputs.begin()) ||
          (prefix && prefix.getInputs().size() >= other.getInputs().size()))
        continue;
      prefix = other;
    }
    if (!prefix)
      return failure();
    SmallVector<Value, 8> rest = {prefix.getResult()};
    rest.append(inputs.begin() + prefix.getInputs().size(), inputs.end());
    rewriter.replaceOpWithNewOp<ConcatOp>(op, op.getType(), rest,
                                          op.getAxisAttr());
    return success();
  }
};
} // namespace

void ConcatOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                           MLIRContext *context) {
  patterns.add<ConcatOfPrefix>(context);
}

OpFoldResult SliceOp::fold(ArrayRef<Attribute> operands) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto dense = f32Constant(operands[0]))
    return sliceConstant(dense, getAxisAttr().getInt(), getStartAttr().getInt(),
                         getStep(), getType().cast<ShapedType>());
  return {};
}

//===----------------------------------------------------------------------===//
// Elementwise ops on constants, with the ops' own formulas (NNFormulas.cpp)
//===----------------------------------------------------------------------===//

static OpFoldResult foldElementwise(ElementwiseOp op,
                                    ArrayRef<Attribute> operands) {
  SmallVector<DenseElementsAttr, 3> constants;
  for (Attribute operand : operands)
    if (auto dense = f32Constant(operand))
      constants.push_back(dense);
  if (constants.size() != operands.size())
    return {};
  return elementwiseConstant(
      constants, op->getResult(0).getType().cast<ShapedType>(),
      [&](ArrayRef<double> x) { return op.evaluate(x); });
}

#define NN_FOLD_ELEMENTWISE(OP)                                                \
  OpFoldResult OP::fold(ArrayRef<Attribute> operands) {                        \
    return foldElementwise(*this, operands);                                   \
  }
NN_FOLD_ELEMENTWISE(ReluOp)
NN_FOLD_ELEMENTWISE(SigmoidOp)
NN_FOLD_ELEMENTWISE(TanhOp)
NN_FOLD_ELEMENTWISE(GeluOp)
NN_FOLD_ELEMENTWISE(ExpOp)
NN_FOLD_ELEMENTWISE(SqrtOp)
NN_FOLD_ELEMENTWISE(RsqrtOp)
NN_FOLD_ELEMENTWISE(NegOp)
NN_FOLD_ELEMENTWISE(AbsOp)
NN_FOLD_ELEMENTWISE(ErfOp)
NN_FOLD_ELEMENTWISE(SiluOp)
NN_FOLD_ELEMENTWISE(MishOp)
NN_FOLD_ELEMENTWISE(SeluOp)
NN_FOLD_ELEMENTWISE(HardswishOp)
NN_FOLD_ELEMENTWISE(HardsigmoidOp)
NN_FOLD_ELEMENTWISE(LeakyReluOp)
NN_FOLD_ELEMENTWISE(EluOp)
NN_FOLD_ELEMENTWISE(SoftplusOp)
NN_FOLD_ELEMENTWISE(ClampOp)
NN_FOLD_ELEMENTWISE(AddOp)
NN_FOLD_ELEMENTWISE(SubOp)
NN_FOLD_ELEMENTWISE(MulOp)
NN_FOLD_ELEMENTWISE(DivOp)
NN_FOLD_ELEMENTWISE(PowOp)
NN_FOLD_ELEMENTWISE(MinimumOp)
NN_FOLD_ELEMENTWISE(MaximumOp)
NN_FOLD_ELEMENTWISE(EqOp)
NN_FOLD_ELEMENTWISE(NeOp)
NN_FOLD_ELEMENTWISE(LtOp)
NN_FOLD_ELEMENTWISE(LeOp)
NN_FOLD_ELEMENTWISE(GtOp)
NN_FOLD_ELEMENTWISE(GeOp)
NN_FOLD_ELEMENTWISE(WhereOp)
#undef NN_FOLD_ELEMENTWISE

namespace {
/// conv1d(x, w, b) = reshape(conv2d(x as [N, C, 1, L], w as [O, C/g, 1, K],
/// b, stride [1, s], padding [0, p], dilation [1, d]), [N, O, L']).
struct Conv1dAsConv2d : OpRewritePattern<Conv1dOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Conv1dOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto unitHeight = [&](Value v) {
      ArrayRef<int64_t> s = v.getType().cast<ShapedType>().getShape();
      return buildReshape(rewriter, loc, v, {s[0], s[1], 1, s[2]});
    };
    auto pair = [&](int64_t first, IntegerAttr second) {
      return rewriter.getI64ArrayAttr({first, second.getInt()});
    };
    SmallVector<Value, 3> operands = {unitHeight(op.getInput()),
                                      unitHeight(op.getWeight())};
    if (op.getBias())
      operands.push_back(op.getBias());
    Value conv = buildChecked<Conv2dOp>(
        rewriter, loc, operands,
        {rewriter.getNamedAttr("stride", pair(1, op.getStrideAttr())),
         rewriter.getNamedAttr("padding", pair(0, op.getPaddingAttr())),
         rewriter.getNamedAttr("dilation", pair(1, op.getDilationAttr())),
         rewriter.getNamedAttr("groups", op.getGroupsAttr())});
    rewriter.replaceOp(
        op, buildReshape(rewriter, loc, conv,
                         op.getType().cast<ShapedType>().getShape()));
    return success();
  }
};
} // namespace

void Conv1dOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                           MLIRContext *ctx) {
  patterns.add<Conv1dAsConv2d>(ctx);
}
