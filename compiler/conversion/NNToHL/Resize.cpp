//===- Resize.cpp - F.interpolate to hl -----------------------------------===//
//
// Along each spatial dimension, with s = op.sourceScale(d) (f32, as ATen):
//   nearest:   i = min(floor(s * o), in - 1)  (o itself where out == in,
//              o / 2 where out == 2 in, as ATen's fast paths)
//   bilinear:  src = s * o (align_corners) or max(s * (o + 0.5) - 0.5, 0)
//              i0 = floor(src), i1 = min(i0 + 1, in - 1), l1 = src - i0
//   out = sum over the corners of l_y * l_x * x(iy, ix)
//
//===----------------------------------------------------------------------===//

#include "compiler/conversion/NNToHL/Lowering.h"

using namespace mlir;
using namespace nncc;
using Ref = HLBuilder::Ref;

namespace {

struct InterpolateLowering : NNLowering<nn::InterpolateOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::InterpolateOp op, Adaptor a,
                       HLBuilder &hb) const override {
    Ref x = ref(a.getInput());
    ArrayRef<int64_t> xs = shape(a.getInput()), out = shape(op);
    bool bilinear = op.getMode() == "bilinear";
    bool aligned = static_cast<bool>(op.getAlignCornersAttr());
    float scale[2] = {op.sourceScale(0), op.sourceScale(1)};
    return hb.func("interpolate", out, [&](ValueRange v) {
      // Per spatial dimension: the source indices and their weights.
      SmallVector<Value, 2> lo, hi, far;
      for (unsigned d = 0; d < 2; ++d) {
        int64_t in = xs[2 + d], last = in - 1;
        Value o = v[2 + d];
        if (!bilinear) {
          Value i = o;
          if (out[2 + d] == 2 * in) {
            i = hb.floorDiv(o, 2);
          } else if (out[2 + d] != in) {
            Value position = hb.toF32(o);
            i = hb.toIndex(hb.mulf(position, hb.f32(scale[d])));
          }
          lo.push_back(hb.clamp(i, 0, last));
          continue;
        }
        Value src = hb.mulf(hb.f32(scale[d]), hb.toF32(o));
        if (!aligned)
          src = hb.maxf(hb.subf(hb.mulf(hb.f32(scale[d]),
                                        hb.addf(hb.toF32(o), hb.f32(0.5))),
                                hb.f32(0.5)),
                        hb.f32(0));
        Value i0 = hb.clamp(hb.toIndex(src), 0, last);
        lo.push_back(i0);
        hi.push_back(hb.clamp(hb.add(i0, 1), 0, last));
        far.push_back(hb.subf(src, hb.toF32(i0)));
      }
      auto at = [&](Value y, Value x_) {
        return hb.call(x, {v[0], v[1], y, x_});
      };
      if (!bilinear)
        return at(lo[0], lo[1]);
      auto row = [&](Value y) {
        Value near = hb.subf(hb.f32(1), far[1]);
        return hb.addf(hb.mulf(near, at(y, lo[1])),
                       hb.mulf(far[1], at(y, hi[1])));
      };
      Value near = hb.subf(hb.f32(1), far[0]);
      return hb.addf(hb.mulf(near, row(lo[0])), hb.mulf(far[0], row(hi[0])));
    });
  }
};

} // namespace

void nncc::populateResizeLowerings(RewritePatternSet &patterns,
                                   LoweringState &state) {
  patterns.add<InterpolateLowering>(patterns.getContext(), state);
}
