//===- ConvTransposeAsConv.cpp - transposed convs as one conv2d per phase -===//
//
// Along one dimension (stride s, kernel K, padding p, dilation 1),
// F.conv_transpose2d computes y[o] = sum over i*s + k = o + p of x[i] w[k].
// Write o + p = q*s + r: the taps that reach phase r are k = r + s*j, and
//   z_r[q] = sum_j x[q - j] w[r + s*j],   j < Kp = ceil(K / s),
// a plain correlation of x padded by Kp - 1 with the reversed taps. So the
// s_h * s_w phases are the output channels of one conv2d with a constant
// [G * s_h * s_w * O/G, C/G, Kp_h, Kp_w] weight (taps past K are zero);
// its result interleaved (reshape, permute, reshape) and cropped by the
// padding is y. That conv2d runs on the fast conv path, against a tap
// loop that tests every tap for divisibility by the stride.
//
//===----------------------------------------------------------------------===//

#include "compiler/transforms/Passes.h"
#include "dialects/nn/NNConstantFold.h"
#include "dialects/nn/NNOps.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;
using namespace nncc;

namespace {
#define GEN_PASS_CLASSES
#include "compiler/transforms/Passes.h.inc"

SmallVector<int64_t, 4> ints(ArrayAttr attr) {
  SmallVector<int64_t, 4> out;
  for (Attribute a : attr)
    out.push_back(a.cast<IntegerAttr>().getInt());
  return out;
}

/// The conv2d weight of the phases: channel ((g * sh + ry) * sw + rx) * og
/// + o holds, at tap (ty, tx), w[g * cg + c, o, ry + sh * (kph - 1 - ty),
/// rx + sw * (kpw - 1 - tx)], or 0 past the kernel.
DenseElementsAttr phaseWeights(DenseElementsAttr w, int64_t groups,
                               ArrayRef<int64_t> s, ArrayRef<int64_t> kp) {
  ArrayRef<int64_t> ws = w.getType().getShape(); // [C, O/G, Kh, Kw]
  int64_t cg = ws[0] / groups, og = ws[1], kh = ws[2], kw = ws[3];
  std::vector<float> in(w.getValues<float>().begin(),
                        w.getValues<float>().end());
  SmallVector<int64_t, 4> shape = {groups * s[0] * s[1] * og, cg, kp[0], kp[1]};
  std::vector<float> out(shape[0] * cg * kp[0] * kp[1], 0.0f);
  int64_t flat = 0;
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t ry = 0; ry < s[0]; ++ry)
      for (int64_t rx = 0; rx < s[1]; ++rx)
        for (int64_t o = 0; o < og; ++o)
          for (int64_t c = 0; c < cg; ++c)
            for (int64_t ty = 0; ty < kp[0]; ++ty)
              for (int64_t tx = 0; tx < kp[1]; ++tx, ++flat) {
                int64_t y = ry + s[0] * (kp[0] - 1 - ty),
                        x = rx + s[1] * (kp[1] - 1 - tx);
                if (y < kh && x < kw)
                  out[flat] =
                      in[((g * cg + c) * og + o) * kh * kw + y * kw + x];
              }
  auto type = RankedTensorType::get(shape, w.getType().getElementType());
  return DenseElementsAttr::get(type, llvm::makeArrayRef(out));
}

/// `bias` [O] as the phases' bias: each group's O/G repeated per phase.
DenseElementsAttr phaseBias(DenseElementsAttr bias, int64_t groups,
                            int64_t phases) {
  std::vector<float> b(bias.getValues<float>().begin(),
                       bias.getValues<float>().end());
  int64_t og = b.size() / groups;
  std::vector<float> out;
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t r = 0; r < phases; ++r)
      out.insert(out.end(), b.begin() + g * og, b.begin() + (g + 1) * og);
  auto type = RankedTensorType::get({(int64_t)out.size()},
                                    bias.getType().getElementType());
  return DenseElementsAttr::get(type, llvm::makeArrayRef(out));
}

Value slice(PatternRewriter &rewriter, Location loc, Value x, int64_t axis,
            int64_t start, int64_t end) {
  if (start == 0 && end == x.getType().cast<ShapedType>().getDimSize(axis))
    return x;
  return nn::buildSlice(rewriter, loc, x, axis, start, end);
}

struct PhasesAsConv : OpRewritePattern<nn::ConvTranspose2dOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(nn::ConvTranspose2dOp op,
                                PatternRewriter &rewriter) const override {
    DenseElementsAttr w = nn::f32Constant(op.getWeight()),
                      bias = nn::f32Constant(op.getBias());
    if (!w || (op.getBias() && !bias) ||
        llvm::any_of(ints(op.getDilation()), [](int64_t d) { return d != 1; }))
      return failure();
    Location loc = op.getLoc();
    int64_t groups = op.getGroupsAttr().getInt();
    SmallVector<int64_t, 4> s = ints(op.getStride()), p = ints(op.getPadding());
    ArrayRef<int64_t> xs =
        op.getInput().getType().cast<ShapedType>().getShape();
    ArrayRef<int64_t> ys = op.getType().cast<ShapedType>().getShape();
    ArrayRef<int64_t> ws = w.getType().getShape();
    int64_t og = ws[1];
    // Per dimension: taps per phase, phase outputs needed (q*s + r must
    // reach p + out - 1), and the zero rows they need past the input.
    SmallVector<int64_t, 2> kp, q, extra;
    for (int i = 0; i < 2; ++i) {
      kp.push_back((ws[2 + i] + s[i] - 1) / s[i]);
      q.push_back((p[i] + ys[2 + i] + s[i] - 1) / s[i]);
      extra.push_back(std::max<int64_t>(0, q[i] - (xs[2 + i] + kp[i] - 1)));
    }
    Value x = op.getInput();
    if (extra[0] || extra[1])
      x = rewriter.create<nn::PadOp>(
          loc, x,
          rewriter.getI64ArrayAttr({0, 0, 0, 0, 0, extra[0], 0, extra[1]}),
          rewriter.getStringAttr("constant"), rewriter.getF64FloatAttr(0));
    Value weight =
        rewriter.create<nn::ConstantOp>(loc, phaseWeights(w, groups, s, kp));
    Value phaseBiases = bias ? Value(rewriter.create<nn::ConstantOp>(
                                   loc, phaseBias(bias, groups, s[0] * s[1])))
                             : Value();
    SmallVector<Value, 3> operands = {x, weight};
    if (phaseBiases)
      operands.push_back(phaseBiases);
    Value z = nn::buildChecked<nn::Conv2dOp>(
        rewriter, loc, operands,
        {rewriter.getNamedAttr("stride", rewriter.getI64ArrayAttr({1, 1})),
         rewriter.getNamedAttr(
             "padding", rewriter.getI64ArrayAttr({kp[0] - 1, kp[1] - 1})),
         rewriter.getNamedAttr("dilation", rewriter.getI64ArrayAttr({1, 1})),
         rewriter.getNamedAttr("groups", rewriter.getI64IntegerAttr(groups))});
    if (!z)
      return failure();
    z = slice(rewriter, loc, slice(rewriter, loc, z, 2, 0, q[0]), 3, 0, q[1]);
    // [N, G*sh*sw*og, qh, qw] -> [N, G, og, qh, sh, qw, sw] -> [N, O, ., .]
    int64_t n = xs[0];
    Value y = nn::buildReshape(rewriter, loc, z,
                               {n, groups, s[0], s[1], og, q[0], q[1]});
    y = nn::buildPermute(rewriter, loc, y, {0, 1, 4, 5, 2, 6, 3});
    y = nn::buildReshape(rewriter, loc, y,
                         {n, groups * og, q[0] * s[0], q[1] * s[1]});
    y = slice(rewriter, loc, y, 2, p[0], p[0] + ys[2]);
    y = slice(rewriter, loc, y, 3, p[1], p[1] + ys[3]);
    if (!y || y.getType() != op.getType())
      return failure();
    rewriter.replaceOp(op, y);
    return success();
  }
};

struct ConvTransposeAsConvPass
    : ConvTransposeAsConvBase<ConvTransposeAsConvPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<PhasesAsConv>(&getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

std::unique_ptr<Pass> nncc::createConvTransposeAsConvPass() {
  return std::make_unique<ConvTransposeAsConvPass>();
}
