//===- Pool.cpp - pooling to hl reductions --------------------------------===//

#include "compiler/conversion/NNToHL/Lowering.h"

#include <limits>

using namespace mlir;
using namespace nncc;
using Ref = HLBuilder::Ref;

namespace {

/// Where a pool's height, width and channels are: [N, C, H, W], or
/// [N, H, W, C] for a channels_last pool.
struct Axes {
  explicit Axes(bool channelsLast)
      : h(channelsLast ? 1 : 2), w(channelsLast ? 2 : 3) {}
  /// The input index of output index v's image and channel at (iy, ix).
  SmallVector<Value, 4> index(ValueRange v, Value iy, Value ix) const {
    SmallVector<Value, 4> i(v.begin(), v.end());
    i[h] = iy, i[w] = ix;
    return i;
  }
  /// The result's variables (default names for NCHW).
  ArrayRef<StringRef> vars() const {
    return h == 1 ? ArrayRef<StringRef>(kChannelsLastVars)
                  : ArrayRef<StringRef>{};
  }
  unsigned h, w;
};

/// Windows up to this many taps are written out as one expression: a pure
/// func reads its input once and writes its output once, where a reduction
/// would also initialize and re-read its own buffer and then be copied out.
constexpr int64_t kMaxUnrolledWindow = 16;

/// The largest of `taps`, NaN if one is (PyTorch's): the plain maximum,
/// then one NaN test per pair of taps, cheaper than a NaN-keeping maximum
/// per tap.
static Value maxOfTaps(HLBuilder &hb, ArrayRef<Value> taps) {
  Value acc = taps[0];
  for (size_t i = 1; i < taps.size(); ++i)
    acc = hb.maxf(acc, taps[i]);
  Value nan;
  for (size_t i = 0; i < taps.size(); i += 2) {
    Value pair = hb.eitherNaN(taps[i], taps[std::min(i + 1, taps.size() - 1)]);
    nan = nan ? hb.anyOf(nan, pair) : pair;
  }
  return hb.select(nan, hb.f32(std::numeric_limits<float>::quiet_NaN()), acc);
}

/// The window shared by max and average pooling: `combine` over the kernel
/// window of the input padded with `padValue` (starting from `init` when
/// the window is a reduction), times `factor`. A window written out as one
/// expression takes a NaN-keeping maximum as maxOfTaps.
template <typename Op>
Ref window(Op op, Ref input, ArrayRef<int64_t> xs, ArrayRef<int64_t> out,
           HLBuilder &hb, float init, float padValue, double factor,
           Value (HLBuilder::*combine)(Value, Value)) {
  auto k = pairOf(op.getKernel()), s = pairOf(op.getStride()),
       p = pairOf(op.getPadding());
  if (p[0] || p[1])
    input = hb.exterior(input, xs, padValue);
  StringRef name = Op::getOperationName().drop_front(3);
  Axes axes(op.getChannelsLast());
  auto tap = [&](ValueRange v, Value ry, Value rx) {
    Value iy = hb.add(hb.add(hb.mul(v[axes.h], s[0]), -p[0]), ry);
    Value ix = hb.add(hb.add(hb.mul(v[axes.w], s[1]), -p[1]), rx);
    return hb.call(input, axes.index(v, iy, ix));
  };
  if (k[0] * k[1] <= kMaxUnrolledWindow)
    return hb.func(
        name, out,
        [&](ValueRange v) {
          std::vector<Value> taps;
          for (int64_t ry = 0; ry < k[0]; ++ry)
            for (int64_t rx = 0; rx < k[1]; ++rx)
              taps.push_back(tap(v, hb.index(ry), hb.index(rx)));
          if (combine == &HLBuilder::maxKeepingNaN)
            return maxOfTaps(hb, taps);
          Value acc = taps[0];
          for (size_t i = 1; i < taps.size(); ++i)
            acc = (hb.*combine)(acc, taps[i]);
          return factor == 1.0 ? acc : hb.mulf(acc, hb.f32(factor));
        },
        axes.vars());
  Ref f = hb.func(
      name, out, [&](ValueRange) { return hb.f32(init); }, axes.vars());
  hb.update(f, {"ry", "rx"}, {k[0], k[1]}, [&](ValueRange v, ValueRange r) {
    return (hb.*combine)(hb.call(f, v), tap(v, r[0], r[1]));
  });
  if (factor != 1.0)
    hb.scale(f, factor);
  return f;
}

/// F.max_pool2d: padding reads -inf; a NaN in a window is its maximum.
struct MaxPoolLowering : NNLowering<nn::MaxPool2dOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::MaxPool2dOp op, Adaptor a,
                       HLBuilder &hb) const override {
    float inf = std::numeric_limits<float>::infinity();
    return window(op, ref(a.getInput()), shape(a.getInput()), shape(op), hb,
                  -inf, -inf, 1.0, &HLBuilder::maxKeepingNaN);
  }
};

/// F.avg_pool2d with count_include_pad=True: padding reads 0 and every
/// window divides by the kernel area.
struct AvgPoolLowering : NNLowering<nn::AvgPool2dOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::AvgPool2dOp op, Adaptor a,
                       HLBuilder &hb) const override {
    auto k = pairOf(op.getKernel());
    return window(op, ref(a.getInput()), shape(a.getInput()), shape(op), hb,
                  0.0f, 0.0f, 1.0 / (k[0] * k[1]), &HLBuilder::addf);
  }
};

struct GlobalAvgPoolLowering : NNLowering<nn::GlobalAvgPool2dOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::GlobalAvgPool2dOp op, Adaptor a,
                       HLBuilder &hb) const override {
    Ref x = ref(a.getInput());
    ArrayRef<int64_t> xs = shape(a.getInput());
    Axes axes(op.getChannelsLast());
    Ref f = hb.func(
        "global_avg_pool2d", shape(op), [&](ValueRange) { return hb.f32(0); },
        axes.vars());
    hb.update(f, {"ry", "rx"}, {xs[axes.h], xs[axes.w]},
              [&](ValueRange v, ValueRange r) {
                return hb.addf(hb.call(f, v),
                               hb.call(x, axes.index(v, r[0], r[1])));
              });
    hb.scale(f, 1.0 / (xs[axes.h] * xs[axes.w]));
    return f;
  }
};

} // namespace

void nncc::populatePoolLowerings(RewritePatternSet &patterns,
                                 LoweringState &state) {
  patterns.add<MaxPoolLowering, AvgPoolLowering, GlobalAvgPoolLowering>(
      patterns.getContext(), state);
}
