//===- Conv.cpp - conv2d to an hl reduction -------------------------------===//

#include "compiler/conversion/NNToHL/Lowering.h"

using namespace mlir;
using namespace nncc;
using Ref = HLBuilder::Ref;

std::array<int64_t, 2> nncc::pairOf(ArrayAttr attr) {
  return {attr[0].cast<IntegerAttr>().getInt(),
          attr[1].cast<IntegerAttr>().getInt()};
}

namespace {

/// F.conv2d, NCHW and OIHW, as a direct convolution:
///   out(n, c, y, x) = bias(c)
///   out(n, c, y, x) += in(n, g*Cg + rc, y*s - p + ry*d, x*s - p + rx*d)
///                      * w(c, rc, ry, rx)           with g = c / (O/groups)
/// With channels_last the same sum on out(n, y, x, c), in(n, iy, ix, ic) and
/// w(ry, rx, rc, c), with rc innermost so the sum walks both contiguously.
/// Zero padding is a boundary condition on the input, not a padded copy.
struct Conv2dLowering : NNLowering<nn::Conv2dOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::Conv2dOp op, Adaptor a,
                       HLBuilder &hb) const override {
    bool last = op.getChannelsLast();
    ArrayRef<int64_t> xs = shape(a.getInput()), ws = shape(a.getWeight()),
                      out = shape(op);
    auto s = pairOf(op.getStride()), p = pairOf(op.getPadding()),
         d = pairOf(op.getDilation());
    int64_t groups = op.getGroupsAttr().getInt();
    // Axes of channels and of the kernel's rows, columns and channels.
    int cAxis = last ? 3 : 1, yAxis = last ? 1 : 2, xAxis = last ? 2 : 3;
    int64_t perGroup = out[cAxis] / groups, cg = last ? ws[2] : ws[1];
    int64_t kh = last ? ws[0] : ws[2], kw = last ? ws[1] : ws[3];
    Ref in = ref(a.getInput()), w = ref(a.getWeight()), bias = ref(a.getBias());
    if (p[0] || p[1])
      in = hb.exterior(in, xs, 0.0f);
    Ref f = hb.func(
        "conv2d", out,
        [&](ValueRange v) {
          return bias ? hb.call(bias, {v[cAxis]}) : hb.f32(0);
        },
        last ? ArrayRef<StringRef>(kChannelsLastVars) : ArrayRef<StringRef>{});
    auto body = [&](ValueRange v, Value rc, Value ry, Value rx) {
      Value ic = rc;
      if (groups > 1)
        ic = hb.add(hb.mul(hb.floorDiv(v[cAxis], perGroup), cg), rc);
      Value iy =
          hb.add(hb.add(hb.mul(v[yAxis], s[0]), -p[0]), hb.mul(ry, d[0]));
      Value ix =
          hb.add(hb.add(hb.mul(v[xAxis], s[1]), -p[1]), hb.mul(rx, d[1]));
      Value product = last ? hb.mulf(hb.call(in, {v[0], iy, ix, ic}),
                                     hb.call(w, {ry, rx, rc, v[cAxis]}))
                           : hb.mulf(hb.call(in, {v[0], ic, iy, ix}),
                                     hb.call(w, {v[cAxis], rc, ry, rx}));
      return hb.addf(hb.call(f, v), product);
    };
    if (last)
      hb.update(f, {"ry", "rx", "rc"}, {kh, kw, cg},
                [&](ValueRange v, ValueRange r) {
                  return body(v, r[2], r[0], r[1]);
                });
    else
      hb.update(f, {"rc", "ry", "rx"}, {cg, kh, kw},
                [&](ValueRange v, ValueRange r) {
                  return body(v, r[0], r[1], r[2]);
                });
    return f;
  }
};

/// F.conv_transpose2d, gathered per output element:
///   out(n, o, y, x) = bias(o)
///   out(n, o, y, x) += in(n, g*Cg + rc, (y + p - ry*d) / s, (x + ...) / s)
///                      * w(g*Cg + rc, o - g*Og, ry, rx)    with g = o / Og
/// where s divides y + p - ry*d (and the column's likewise); reads outside
/// the input are 0, a boundary condition.
struct ConvTranspose2dLowering : NNLowering<nn::ConvTranspose2dOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::ConvTranspose2dOp op, Adaptor a,
                       HLBuilder &hb) const override {
    ArrayRef<int64_t> xs = shape(a.getInput()), ws = shape(a.getWeight());
    auto s = pairOf(op.getStride()), p = pairOf(op.getPadding()),
         d = pairOf(op.getDilation());
    int64_t groups = op.getGroupsAttr().getInt();
    int64_t cg = xs[1] / groups, og = ws[1];
    Ref in = hb.exterior(ref(a.getInput()), xs, 0.0f), w = ref(a.getWeight()),
        bias = ref(a.getBias());
    Ref f = hb.func("conv_transpose2d", shape(op), [&](ValueRange v) {
      return bias ? hb.call(bias, {v[1]}) : hb.f32(0);
    });
    hb.update(f, {"rc", "ry", "rx"}, {cg, ws[2], ws[3]},
              [&](ValueRange v, ValueRange r) {
                Value g = hb.floorDiv(v[1], og);
                Value ic = hb.add(hb.mul(g, cg), r[0]);
                Value oc = hb.sub(v[1], hb.mul(g, og));
                // The input row and column a tap reads, and whether the
                // stride divides the distance to them.
                SmallVector<Value, 2> at;
                Value divides;
                for (int i = 0; i < 2; ++i) {
                  Value t =
                      hb.add(hb.add(v[2 + i], p[i]), hb.mul(r[1 + i], -d[i]));
                  at.push_back(hb.floorDiv(t, s[i]));
                  if (s[i] == 1)
                    continue;
                  Value exact = hb.less(hb.floorMod(t, s[i]), 1);
                  divides = divides ? hb.both(divides, exact) : exact;
                }
                Value product = hb.mulf(hb.call(in, {v[0], ic, at[0], at[1]}),
                                        hb.call(w, {ic, oc, r[1], r[2]}));
                if (divides)
                  product = hb.select(divides, product, hb.f32(0));
                return hb.addf(hb.call(f, v), product);
              });
    return f;
  }
};

} // namespace

void nncc::populateConvLowerings(RewritePatternSet &patterns,
                                 LoweringState &state) {
  patterns.add<Conv2dLowering, ConvTranspose2dLowering>(patterns.getContext(),
                                                        state);
}
