//===- Winograd.cpp - the F(2x2, 3x3) transforms to hl reductions ---------===//
//
// Both transforms are sums over a tile with constant coefficients, written
// as reductions over the 16 positions of the tile: the schedule then
// blocks them like any reduction, and materialises what they read (the
// padded input, the products) instead of recomputing it per position.
//
//===----------------------------------------------------------------------===//

#include "compiler/conversion/NNToHL/Lowering.h"

using namespace mlir;
using namespace nncc;
using Ref = HLBuilder::Ref;

namespace {

constexpr float kBT[4][4] = {
    {1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
constexpr float kAT[2][4] = {{1, 1, 1, 0}, {0, 1, -1, -1}};

/// The buffer `name` of the products m[r][4 a + b][4 i + j] = t[r / rows][a]
/// [i] * t[r % rows][b][j] of rows of `t`: the coefficients of one
/// transform, shared by all the convolutions of the pipeline.
template <size_t Rows>
Ref coefficients(HLBuilder &hb, LoweringState &state, StringRef name,
                 const float (&t)[Rows][4]) {
  if (auto existing = state.symbols.lookup<hl::BufferOp>(name))
    return FlatSymbolRefAttr::get(existing.getSymNameAttr());
  std::vector<float> values;
  for (size_t r = 0; r < Rows * Rows; ++r)
    for (int k = 0; k < 16; ++k)
      values.push_back(t[r / Rows][k / 4] * t[r % Rows][k % 4]);
  auto type = RankedTensorType::get({(int64_t)(Rows * Rows), 16},
                                    hb.builder().getF32Type());
  return hb.buffer(name,
                   DenseElementsAttr::get(type, llvm::makeArrayRef(values)));
}

/// winograd_input, for tile t = (n * TH + ty) * TW + tx:
///   v(k, t, c) = sum_{ri, rj} B(k, 4 ri + rj)
///                * in(n, 2 ty + ri - p, 2 tx + rj - p, c)
struct WinogradInputLowering : NNLowering<nn::WinogradInputOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::WinogradInputOp op, Adaptor a,
                       HLBuilder &hb) const override {
    ArrayRef<int64_t> xs = shape(a.getInput());
    auto p = pairOf(op.getPadding()), size = pairOf(op.getSize());
    int64_t th = (size[0] + 1) / 2, tw = (size[1] + 1) / 2;
    Ref in = hb.exterior(ref(a.getInput()), xs, 0.0f);
    Ref b = coefficients(hb, state, "winograd_b", kBT);
    Ref f = hb.func("winograd_input", shape(op),
                    [&](ValueRange) { return hb.f32(0); }, {"k", "t", "c"});
    hb.update(f, {"ri", "rj"}, {4, 4}, [&](ValueRange v, ValueRange r) {
      // One image (the usual batch) needs no division by its tiles.
      bool one = xs[0] == 1;
      Value n = one ? hb.index(0) : hb.floorDiv(v[1], th * tw);
      Value ty =
          one ? hb.floorDiv(v[1], tw) : hb.floorMod(hb.floorDiv(v[1], tw), th);
      Value tx = hb.floorMod(v[1], tw);
      Value iy = hb.add(hb.add(hb.mul(ty, 2), r[0]), -p[0]);
      Value ix = hb.add(hb.add(hb.mul(tx, 2), r[1]), -p[1]);
      Value tap = hb.add(hb.mul(r[0], 4), r[1]);
      Value product =
          hb.mulf(hb.call(b, {v[0], tap}), hb.call(in, {n, iy, ix, v[2]}));
      return hb.addf(hb.call(f, v), product);
    });
    return f;
  }
};

/// winograd_output:
///   y(n, h, w, o) = bias(o) + sum_{ra, rb} A(2 (h % 2) + w % 2, 4 ra + rb)
///                   * m(4 ra + rb, (n * TH + h / 2) * TW + w / 2, o)
struct WinogradOutputLowering : NNLowering<nn::WinogradOutputOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::WinogradOutputOp op, Adaptor a,
                       HLBuilder &hb) const override {
    ArrayRef<int64_t> out = shape(op);
    int64_t th = (out[1] + 1) / 2, tw = (out[2] + 1) / 2;
    Ref m = ref(a.getInput()), bias = ref(a.getBias());
    Ref at = coefficients(hb, state, "winograd_a", kAT);
    Ref f = hb.func(
        "winograd_output", out,
        [&](ValueRange v) { return bias ? hb.call(bias, {v[3]}) : hb.f32(0); },
        kChannelsLastVars);
    hb.update(f, {"ra", "rb"}, {4, 4}, [&](ValueRange v, ValueRange r) {
      Value phase =
          hb.add(hb.mul(hb.floorMod(v[1], 2), 2), hb.floorMod(v[2], 2));
      Value row = out[0] == 1 ? hb.floorDiv(v[1], 2)
                              : hb.add(hb.mul(v[0], th), hb.floorDiv(v[1], 2));
      Value tile = hb.add(hb.mul(row, tw), hb.floorDiv(v[2], 2));
      Value tap = hb.add(hb.mul(r[0], 4), r[1]);
      Value product =
          hb.mulf(hb.call(at, {phase, tap}), hb.call(m, {tap, tile, v[3]}));
      return hb.addf(hb.call(f, v), product);
    });
    return f;
  }
};

} // namespace

void nncc::populateWinogradLowerings(RewritePatternSet &patterns,
                                     LoweringState &state) {
  patterns.add<WinogradInputLowering, WinogradOutputLowering>(
      patterns.getContext(), state);
}
