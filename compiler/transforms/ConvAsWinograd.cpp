//===- ConvAsWinograd.cpp - 3x3 convolutions in Winograd's F(2x2, 3x3) ----===//
//
// A channels_last 3x3 conv2d (stride 1, ungrouped, constant weight g)
// computes each 2x2 block of outputs from a 4x4 tile d of its input as
// A^T [(G g G^T) . (B^T d B)] A (Lavin and Gray, 2015): 16 products per
// channel pair where the direct sum takes 36. Over all tiles and channels
// the products are 16 matrix products, [tiles, C] by [C, O]:
//   winograd_output(matmul(winograd_input(x), U), bias)
// with U[4 a + b, c, o] = (G g[., ., c, o] G^T)[a][b] computed here.
// The transformed weights are 16/9 the size of g and each is used once per
// tile, where g's are used once per output position: with few tiles (a 7x7
// image has 16) the products stream 1.8 times the weights for the same
// work, and memory bounds them. So a convolution qualifies with at least
// `min-tiles` tiles (nncc passes TargetModel::minWeightReuse), and
// channels of at least a vector.
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

constexpr double kG[4][3] = {
    {1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};

bool allEqual(ArrayAttr attr, int64_t v) {
  return llvm::all_of(
      attr, [&](Attribute a) { return a.cast<IntegerAttr>().getInt() == v; });
}

/// U[4 a + b, c, o] = sum_ij G[a][i] w[i, j, c, o] G[b][j], for a
/// channels_last weight w [3, 3, C, O], in double then rounded once.
DenseElementsAttr transformedWeight(DenseElementsAttr w) {
  ArrayRef<int64_t> ws = w.getType().getShape();
  int64_t cs = ws[2], os = ws[3], co = cs * os;
  std::vector<double> g(w.getValues<float>().begin(),
                        w.getValues<float>().end());
  std::vector<float> u(16 * co);
  for (int64_t k = 0; k < 16; ++k)
    for (int64_t e = 0; e < co; ++e) {
      double sum = 0;
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
          sum += kG[k / 4][i] * g[(i * 3 + j) * co + e] * kG[k % 4][j];
      u[k * co + e] = (float)sum;
    }
  auto type = RankedTensorType::get({16, cs, os}, w.getType().getElementType());
  return DenseElementsAttr::get(type, llvm::makeArrayRef(u));
}

struct WinogradConv : OpRewritePattern<nn::Conv2dOp> {
  WinogradConv(MLIRContext *context, int64_t minTiles, int64_t minChannels)
      : OpRewritePattern(context), minTiles(minTiles),
        minChannels(minChannels) {}

  LogicalResult matchAndRewrite(nn::Conv2dOp op,
                                PatternRewriter &rewriter) const override {
    DenseElementsAttr w = nn::f32Constant(op.getWeight());
    if (!op.getChannelsLast() || !w || !allEqual(op.getStride(), 1) ||
        !allEqual(op.getDilation(), 1) || op.getGroupsAttr().getInt() != 1)
      return failure();
    ArrayRef<int64_t> ws = w.getType().getShape();
    ArrayRef<int64_t> ys = op.getType().cast<ShapedType>().getShape();
    int64_t tiles = ys[0] * ((ys[1] + 1) / 2) * ((ys[2] + 1) / 2);
    if (ws[0] != 3 || ws[1] != 3 || tiles < minTiles || ws[2] < minChannels ||
        ws[3] < minChannels)
      return failure();
    Location loc = op.getLoc();
    auto attr = [&](StringRef name, ArrayRef<int64_t> v) {
      return rewriter.getNamedAttr(name, rewriter.getI64ArrayAttr(v));
    };
    Value v = nn::buildChecked<nn::WinogradInputOp>(
        rewriter, loc, {op.getInput()},
        {rewriter.getNamedAttr("padding", op.getPadding()),
         attr("size", {ys[1], ys[2]})});
    Value u = rewriter.create<nn::ConstantOp>(loc, transformedWeight(w));
    Value m =
        v ? nn::buildChecked<nn::MatmulOp>(rewriter, loc, {v, u}, {}) : Value();
    SmallVector<Value, 2> operands = {m};
    if (op.getBias())
      operands.push_back(op.getBias());
    Value y = m ? nn::buildChecked<nn::WinogradOutputOp>(
                      rewriter, loc, operands, {attr("size", ys.drop_back())})
                : Value();
    if (!y)
      return failure();
    rewriter.replaceOp(op, y);
    return success();
  }

  int64_t minTiles, minChannels;
};

struct ConvAsWinogradPass : ConvAsWinogradBase<ConvAsWinogradPass> {
  ConvAsWinogradPass() = default;
  ConvAsWinogradPass(int64_t tiles, int64_t channels) {
    minTiles = tiles;
    minChannels = channels;
  }
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<WinogradConv>(&getContext(), minTiles, minChannels);
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

std::unique_ptr<Pass> nncc::createConvAsWinogradPass() {
  return std::make_unique<ConvAsWinogradPass>();
}
std::unique_ptr<Pass> nncc::createConvAsWinogradPass(int64_t minTiles,
                                                     int64_t minChannels) {
  return std::make_unique<ConvAsWinogradPass>(minTiles, minChannels);
}
