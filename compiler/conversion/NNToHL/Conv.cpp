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
/// Zero padding is a boundary condition on the input, not a padded copy.
struct Conv2dLowering : NNLowering<nn::Conv2dOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::Conv2dOp op, Adaptor a,
                       HLBuilder &hb) const override {
    ArrayRef<int64_t> xs = shape(a.getInput()), ws = shape(a.getWeight()),
                      out = shape(op);
    auto s = pairOf(op.getStride()), p = pairOf(op.getPadding()),
         d = pairOf(op.getDilation());
    int64_t groups = op.getGroupsAttr().getInt();
    int64_t perGroup = out[1] / groups, cg = ws[1];
    Ref in = ref(a.getInput()), w = ref(a.getWeight()), bias = ref(a.getBias());
    if (p[0] || p[1])
      in = hb.exterior(in, xs, 0.0f);
    Ref f = hb.func("conv2d", out, [&](ValueRange v) {
      return bias ? hb.call(bias, {v[1]}) : hb.f32(0);
    });
    hb.update(f, {"rc", "ry", "rx"}, {cg, ws[2], ws[3]},
              [&](ValueRange v, ValueRange r) {
                Value ic = r[0];
                if (groups > 1)
                  ic = hb.add(hb.mul(hb.floorDiv(v[1], perGroup), cg), r[0]);
                Value iy = hb.add(hb.add(hb.mul(v[2], s[0]), -p[0]),
                                  hb.mul(r[1], d[0]));
                Value ix = hb.add(hb.add(hb.mul(v[3], s[1]), -p[1]),
                                  hb.mul(r[2], d[1]));
                Value product = hb.mulf(hb.call(in, {v[0], ic, iy, ix}),
                                        hb.call(w, {v[1], r[0], r[1], r[2]}));
                return hb.addf(hb.call(f, v), product);
              });
    return f;
  }
};

} // namespace

void nncc::populateConvLowerings(RewritePatternSet &patterns,
                                 LoweringState &state) {
  patterns.add<Conv2dLowering>(patterns.getContext(), state);
}
