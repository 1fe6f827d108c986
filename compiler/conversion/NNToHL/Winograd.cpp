//===- Winograd.cpp - the F(2x2, 3x3) transforms to hl reductions ---------===//
//
// Both transforms are sums over a tile with constant coefficients, written
// as reductions over the tile positions whose coefficients are not zero:
// the schedule then blocks them like any reduction, and materialises what
// they read (the padded input, the products) instead of recomputing it per
// position.
//
//===----------------------------------------------------------------------===//

#include "compiler/conversion/NNToHL/Lowering.h"

using namespace mlir;
using namespace nncc;
using Ref = HLBuilder::Ref;

namespace {

/// A transform matrix by its non-zero entries: row a's r-th is
/// `values[a][r]`, in column `columns[a][r]`. The sums then visit only
/// those: 2 x 2 of B^T's 4 x 4 taps, 3 x 3 of A^T's.
template <size_t Rows, size_t NonZeros> struct SparseRows {
  int columns[Rows][NonZeros];
  float values[Rows][NonZeros];
};

// B^T = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]].
constexpr SparseRows<4, 2> kBT = {{{0, 2}, {1, 2}, {1, 2}, {1, 3}},
                                  {{1, -1}, {1, 1}, {-1, 1}, {1, -1}}};
// A^T = [[1, 1, 1, 0], [0, 1, -1, -1]].
constexpr SparseRows<2, 3> kAT = {{{0, 1, 2}, {1, 2, 3}},
                                  {{1, 1, 1}, {1, -1, -1}}};

/// The column of row `a`'s `r`-th non-zero entry.
template <size_t Rows, size_t NonZeros>
Value column(HLBuilder &hb, const SparseRows<Rows, NonZeros> &t, Value a,
             Value r) {
  Value result;
  for (size_t j = NonZeros; j-- > 0;) {
    Value inRow = hb.index(t.columns[Rows - 1][j]);
    for (size_t i = Rows - 1; i-- > 0;)
      inRow = hb.select(hb.less(a, i + 1), hb.index(t.columns[i][j]), inRow);
    result = result ? hb.select(hb.less(r, j + 1), inRow, result) : inRow;
  }
  return result;
}

/// The buffer `name` of the coefficients c[a * Rows + b][r * NonZeros + s]
/// = t[a][r] * t[b][s] of a transform on both sides of a tile, shared by
/// all the convolutions of the pipeline.
template <size_t Rows, size_t NonZeros>
Ref coefficients(HLBuilder &hb, LoweringState &state, StringRef name,
                 const SparseRows<Rows, NonZeros> &t) {
  if (auto existing = state.symbols.lookup<hl::BufferOp>(name))
    return FlatSymbolRefAttr::get(existing.getSymNameAttr());
  std::vector<float> values;
  for (size_t row = 0; row < Rows * Rows; ++row)
    for (size_t tap = 0; tap < NonZeros * NonZeros; ++tap)
      values.push_back(t.values[row / Rows][tap / NonZeros] *
                       t.values[row % Rows][tap % NonZeros]);
  auto type = RankedTensorType::get(
      {(int64_t)(Rows * Rows), (int64_t)(NonZeros * NonZeros)},
      hb.builder().getF32Type());
  return hb.buffer(name,
                   DenseElementsAttr::get(type, llvm::makeArrayRef(values)));
}

/// winograd_input, for tile t = (n * TH + ty) * TW + tx and k = 4 a + b:
///   v(k, t, c) = sum_{ri, rj < 2} C(k, 2 ri + rj)
///                * in(n, 2 ty - p + col(a, ri), 2 tx - p + col(b, rj), c)
/// over B^T's non-zero entries (their columns col, products C).
struct WinogradInputLowering : NNLowering<nn::WinogradInputOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::WinogradInputOp op, Adaptor a,
                       HLBuilder &hb) const override {
    ArrayRef<int64_t> xs = shape(a.getInput());
    auto p = pairOf(op.getPadding()), size = pairOf(op.getSize());
    int64_t th = (size[0] + 1) / 2, tw = (size[1] + 1) / 2;
    Ref in = hb.exterior(ref(a.getInput()), xs, 0.0f);
    Ref c = coefficients(hb, state, "winograd_b", kBT);
    Ref f = hb.func("winograd_input", shape(op),
                    [&](ValueRange) { return hb.f32(0); }, {"k", "t", "c"});
    hb.update(f, {"ri", "rj"}, {2, 2}, [&](ValueRange v, ValueRange r) {
      // One image (the usual batch) needs no division by its tiles.
      bool one = xs[0] == 1;
      Value n = one ? hb.index(0) : hb.floorDiv(v[1], th * tw);
      Value ty =
          one ? hb.floorDiv(v[1], tw) : hb.floorMod(hb.floorDiv(v[1], tw), th);
      Value tx = hb.floorMod(v[1], tw);
      Value ka = hb.floorDiv(v[0], 4), kb = hb.floorMod(v[0], 4);
      Value iy =
          hb.add(hb.add(hb.mul(ty, 2), -p[0]), column(hb, kBT, ka, r[0]));
      Value ix =
          hb.add(hb.add(hb.mul(tx, 2), -p[1]), column(hb, kBT, kb, r[1]));
      Value tap = hb.add(hb.mul(r[0], 2), r[1]);
      Value product =
          hb.mulf(hb.call(c, {v[0], tap}), hb.call(in, {n, iy, ix, v[2]}));
      return hb.addf(hb.call(f, v), product);
    });
    return f;
  }
};

/// winograd_output, for output phase (a, b) = (h % 2, w % 2):
///   y(n, h, w, o) = bias(o) + sum_{ra, rb < 3} C(2 a + b, 3 ra + rb)
///       * m(4 col(a, ra) + col(b, rb), (n * TH + h / 2) * TW + w / 2, o)
/// over A^T's non-zero entries.
struct WinogradOutputLowering : NNLowering<nn::WinogradOutputOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::WinogradOutputOp op, Adaptor a,
                       HLBuilder &hb) const override {
    ArrayRef<int64_t> out = shape(op);
    int64_t th = (out[1] + 1) / 2, tw = (out[2] + 1) / 2;
    Ref m = ref(a.getInput()), bias = ref(a.getBias());
    Ref c = coefficients(hb, state, "winograd_a", kAT);
    Ref f = hb.func(
        "winograd_output", out,
        [&](ValueRange v) { return bias ? hb.call(bias, {v[3]}) : hb.f32(0); },
        kChannelsLastVars);
    hb.update(f, {"ra", "rb"}, {3, 3}, [&](ValueRange v, ValueRange r) {
      Value pa = hb.floorMod(v[1], 2), pb = hb.floorMod(v[2], 2);
      Value row = out[0] == 1 ? hb.floorDiv(v[1], 2)
                              : hb.add(hb.mul(v[0], th), hb.floorDiv(v[1], 2));
      Value tile = hb.add(hb.mul(row, tw), hb.floorDiv(v[2], 2));
      Value k = hb.add(hb.mul(column(hb, kAT, pa, r[0]), 4),
                       column(hb, kAT, pb, r[1]));
      Value product = hb.mulf(hb.call(c, {hb.add(hb.mul(pa, 2), pb),
                                          hb.add(hb.mul(r[0], 3), r[1])}),
                              hb.call(m, {k, tile, v[3]}));
      return hb.addf(hb.call(f, v), product);
    });
    state.symbols.lookup(f.getValue())
        ->setAttr(hl::HLDialect::kWinogradTiles,
                  hb.builder().getI64IntegerAttr(tw));
    return f;
  }
};

} // namespace

void nncc::populateWinogradLowerings(RewritePatternSet &patterns,
                                     LoweringState &state) {
  patterns.add<WinogradInputLowering, WinogradOutputLowering>(
      patterns.getContext(), state);
}
