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

OpFoldResult SliceOp::fold(ArrayRef<Attribute> operands) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto dense = f32Constant(operands[0]))
    return sliceConstant(dense, getAxisAttr().getInt(), getStartAttr().getInt(),
                         getType().cast<ShapedType>());
  return {};
}

//===----------------------------------------------------------------------===//
// Elementwise ops on constants, with PyTorch's formulas (NNToHL's and the
// reference's), in double.
//===----------------------------------------------------------------------===//

static OpFoldResult foldUnary(ArrayRef<Attribute> operands,
                              function_ref<double(double)> f) {
  if (auto dense = f32Constant(operands[0]))
    return mapConstant(dense, f);
  return {};
}

OpFoldResult ReluOp::fold(ArrayRef<Attribute> operands) {
  // std::max would turn NaN into 0; PyTorch's relu keeps it.
  return foldUnary(operands, [](double x) { return x < 0 ? 0.0 : x; });
}
OpFoldResult SigmoidOp::fold(ArrayRef<Attribute> operands) {
  return foldUnary(operands, [](double x) { return 1 / (1 + std::exp(-x)); });
}
OpFoldResult TanhOp::fold(ArrayRef<Attribute> operands) {
  return foldUnary(operands, [](double x) { return std::tanh(x); });
}
OpFoldResult GeluOp::fold(ArrayRef<Attribute> operands) {
  return foldUnary(operands, [](double x) {
    return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
  });
}
OpFoldResult ExpOp::fold(ArrayRef<Attribute> operands) {
  return foldUnary(operands, [](double x) { return std::exp(x); });
}
OpFoldResult SqrtOp::fold(ArrayRef<Attribute> operands) {
  return foldUnary(operands, [](double x) { return std::sqrt(x); });
}
OpFoldResult NegOp::fold(ArrayRef<Attribute> operands) {
  return foldUnary(operands, [](double x) { return -x; });
}
OpFoldResult ClampOp::fold(ArrayRef<Attribute> operands) {
  Optional<double> lo, hi;
  if (getMinAttr())
    lo = getMinAttr().getValueAsDouble();
  if (getMaxAttr())
    hi = getMaxAttr().getValueAsDouble();
  return foldUnary(operands, [&](double x) {
    // Comparisons that keep NaN, as torch.clamp does.
    if (lo && x < *lo)
      x = *lo;
    return hi && x > *hi ? *hi : x;
  });
}

static OpFoldResult foldBinary(Operation *op, ArrayRef<Attribute> operands,
                               function_ref<double(double, double)> f) {
  auto a = f32Constant(operands[0]), b = f32Constant(operands[1]);
  if (!a || !b)
    return {};
  return zipConstants(a, b, op->getResult(0).getType().cast<ShapedType>(), f);
}

OpFoldResult AddOp::fold(ArrayRef<Attribute> operands) {
  return foldBinary(*this, operands, [](double a, double b) { return a + b; });
}
OpFoldResult SubOp::fold(ArrayRef<Attribute> operands) {
  return foldBinary(*this, operands, [](double a, double b) { return a - b; });
}
OpFoldResult MulOp::fold(ArrayRef<Attribute> operands) {
  return foldBinary(*this, operands, [](double a, double b) { return a * b; });
}
OpFoldResult DivOp::fold(ArrayRef<Attribute> operands) {
  return foldBinary(*this, operands, [](double a, double b) { return a / b; });
}
