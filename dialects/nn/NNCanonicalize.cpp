//===- NNCanonicalize.cpp - folds and canonicalization of nn ops ----------===//
//
// Data-movement ops that do nothing fold away, and chains of them collapse
// into one, so later passes see each layout change once.
//
//===----------------------------------------------------------------------===//

#include "dialects/nn/NNOps.h"

#include "mlir/IR/PatternMatch.h"

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

OpFoldResult TransposeOp::fold(ArrayRef<Attribute>) {
  int64_t d0 = getDim0Attr().getInt(), d1 = getDim1Attr().getInt();
  if (d0 == d1)
    return getInput();
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

/// The elements of `dense` permuted: result dim i is dense's dim perm[i].
static DenseElementsAttr permuted(DenseElementsAttr dense,
                                  ArrayRef<int64_t> perm, ShapedType type) {
  if (dense.isSplat())
    return dense.reshape(type);
  ArrayRef<int64_t> in = dense.getType().getShape();
  SmallVector<int64_t, 4> stride(in.size(), 1);
  for (int i = (int)in.size() - 2; i >= 0; --i)
    stride[i] = stride[i + 1] * in[i + 1];
  auto range = dense.getValues<float>();
  std::vector<float> values(range.begin(), range.end());
  std::vector<float> out(dense.getNumElements());
  SmallVector<int64_t, 4> index(perm.size(), 0);
  ArrayRef<int64_t> shape = type.getShape();
  for (float &value : out) {
    int64_t source = 0;
    for (size_t i = 0; i < perm.size(); ++i)
      source += index[i] * stride[perm[i]];
    value = values[source];
    for (int i = (int)index.size() - 1; i >= 0 && ++index[i] == shape[i]; --i)
      index[i] = 0;
  }
  return DenseElementsAttr::get(type, llvm::makeArrayRef(out));
}

OpFoldResult PermuteOp::fold(ArrayRef<Attribute> operands) {
  SmallVector<int64_t, 4> outer = permutationOf(getDims());
  if (isIdentity(outer))
    return getInput();
  // Weights bound at compile time are re-laid-out then, not per call.
  if (auto dense = operands[0].dyn_cast_or_null<DenseElementsAttr>())
    if (dense.getElementType().isF32())
      return permuted(dense, outer, getType().cast<ShapedType>());
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

OpFoldResult ConcatOp::fold(ArrayRef<Attribute>) {
  if (getInputs().size() == 1)
    return getInputs()[0];
  return {};
}

OpFoldResult SliceOp::fold(ArrayRef<Attribute>) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}
