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

/// Beyond any index: a bound for clamps that bound one side only.
constexpr int64_t kIndexBound = int64_t(1) << 30;

/// What a pool does to a window's combined taps (at the output's
/// variables): nothing where null.
using Finish = llvm::function_ref<Value(Value, ValueRange)>;

/// `f` with `finish` applied to each value, as an update stage.
Ref finishStage(HLBuilder &hb, Ref f, Finish finish) {
  if (finish)
    hb.update(f, {}, {}, [&](ValueRange v, ValueRange) {
      return finish(hb.call(f, v), v);
    });
  return f;
}

/// A pool's window along height and width: kernel, stride, padding.
struct Window {
  std::array<int64_t, 2> k, s, p;
  /// Whether a window may read past the input and its padding on the right
  /// (a last window that ceil_mode adds, or one of an adaptive pool).
  bool overhangs = false;
};

template <typename Op>
Window windowOf(Op op, ArrayRef<int64_t> xs, ArrayRef<int64_t> out, Axes axes) {
  Window w{pairOf(op.getKernel()), pairOf(op.getStride()),
           pairOf(op.getPadding())};
  for (int i = 0; i < 2; ++i) {
    unsigned d = i ? axes.w : axes.h;
    w.overhangs |= (out[d] - 1) * w.s[i] - w.p[i] + w.k[i] > xs[d] + w.p[i];
  }
  return w;
}

/// The window shared by max and average pooling: `combine` over the kernel
/// window of the input padded with `padValue` (starting from `init` when
/// the window is a reduction), then `finish`. A window written out as one
/// expression takes a NaN-keeping maximum as maxOfTaps.
Ref pool(HLBuilder &hb, StringRef name, Ref input, ArrayRef<int64_t> xs,
         ArrayRef<int64_t> out, Axes axes, const Window &w, float init,
         float padValue, Value (HLBuilder::*combine)(Value, Value),
         Finish finish) {
  if (w.p[0] || w.p[1] || w.overhangs)
    input = hb.exterior(input, xs, padValue);
  auto tap = [&](ValueRange v, Value ry, Value rx) {
    Value iy = hb.add(hb.add(hb.mul(v[axes.h], w.s[0]), -w.p[0]), ry);
    Value ix = hb.add(hb.add(hb.mul(v[axes.w], w.s[1]), -w.p[1]), rx);
    return hb.call(input, axes.index(v, iy, ix));
  };
  if (w.k[0] * w.k[1] <= kMaxUnrolledWindow)
    return hb.func(
        name, out,
        [&](ValueRange v) {
          std::vector<Value> taps;
          for (int64_t ry = 0; ry < w.k[0]; ++ry)
            for (int64_t rx = 0; rx < w.k[1]; ++rx)
              taps.push_back(tap(v, hb.index(ry), hb.index(rx)));
          if (combine == &HLBuilder::maxKeepingNaN)
            return maxOfTaps(hb, taps);
          Value acc = taps[0];
          for (size_t i = 1; i < taps.size(); ++i)
            acc = (hb.*combine)(acc, taps[i]);
          return finish ? finish(acc, v) : acc;
        },
        axes.vars());
  Ref f = hb.func(
      name, out, [&](ValueRange) { return hb.f32(init); }, axes.vars());
  hb.update(f, {"ry", "rx"}, {w.k[0], w.k[1]}, [&](ValueRange v, ValueRange r) {
    return (hb.*combine)(hb.call(f, v), tap(v, r[0], r[1]));
  });
  return finishStage(hb, f, finish);
}

/// F.max_pool2d: padding reads -inf; a NaN in a window is its maximum.
struct MaxPoolLowering : NNLowering<nn::MaxPool2dOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::MaxPool2dOp op, Adaptor a,
                       HLBuilder &hb) const override {
    float inf = std::numeric_limits<float>::infinity();
    Axes axes(op.getChannelsLast());
    ArrayRef<int64_t> xs = shape(a.getInput());
    return pool(hb, "max_pool2d", ref(a.getInput()), xs, shape(op), axes,
                windowOf(op, xs, shape(op), axes), -inf, -inf,
                &HLBuilder::maxKeepingNaN, nullptr);
  }
};

/// F.avg_pool2d: padding reads 0. A window divides by its taps inside the
/// input and its padding (count_include_pad), or inside the input alone
/// (exclude_pad), as PyTorch's:
///   start = o s - p,  end = min(start + k, in + p),  size = end - start
///   exclude_pad:  size = min(end, in) - max(start, 0)
/// which is k along a dimension whose windows never leave the padded input
/// (or the input itself, for exclude_pad).
struct AvgPoolLowering : NNLowering<nn::AvgPool2dOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::AvgPool2dOp op, Adaptor a,
                       HLBuilder &hb) const override {
    Axes axes(op.getChannelsLast());
    ArrayRef<int64_t> xs = shape(a.getInput());
    Window w = windowOf(op, xs, shape(op), axes);
    bool exclude = static_cast<bool>(op.getExcludePadAttr());
    bool constant = !w.overhangs && (!exclude || (!w.p[0] && !w.p[1]));
    auto extent = [&](Value o, int i, unsigned d) {
      Value start = hb.add(hb.mul(o, w.s[i]), -w.p[i]);
      Value end = hb.clamp(hb.add(start, w.k[i]), -kIndexBound, xs[d] + w.p[i]);
      if (exclude) {
        start = hb.clamp(start, 0, kIndexBound);
        end = hb.clamp(end, -kIndexBound, xs[d]);
      }
      return hb.toF32(hb.sub(end, start));
    };
    return pool(hb, "avg_pool2d", ref(a.getInput()), xs, shape(op), axes, w,
                0.0f, 0.0f, &HLBuilder::addf, [&](Value acc, ValueRange v) {
                  if (constant)
                    return hb.mulf(acc, hb.f32(1.0 / (w.k[0] * w.k[1])));
                  Value height = extent(v[axes.h], 0, axes.h);
                  return hb.divf(acc,
                                 hb.mulf(height, extent(v[axes.w], 1, axes.w)));
                });
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

/// F.adaptive_avg_pool2d and F.adaptive_max_pool2d. Where the output
/// divides the input, a plain pool of kernel = stride = in / out;
/// elsewhere, per output i, the rows floor(i in / out) to
/// ceil((i + 1) in / out), a reduction over the largest such window with
/// the taps past a window's end left out.
template <typename Op, bool isMax>
struct AdaptivePoolLowering : NNLowering<Op> {
  using NNLowering<Op>::NNLowering;
  FailureOr<Ref> lower(Op op, typename Op::Adaptor a,
                       HLBuilder &hb) const override {
    Ref x = this->ref(a.getInput());
    ArrayRef<int64_t> xs = this->shape(a.getInput()), out = this->shape(op);
    StringRef name = Op::getOperationName().drop_front(3);
    Axes axes(false);
    float inf = std::numeric_limits<float>::infinity(),
          init = isMax ? -inf : 0.0f;
    auto combine = isMax ? &HLBuilder::maxKeepingNaN : &HLBuilder::addf;
    if (xs[2] % out[2] == 0 && xs[3] % out[3] == 0) {
      std::array<int64_t, 2> k = {xs[2] / out[2], xs[3] / out[3]};
      auto mean = [&](Value acc, ValueRange) {
        return hb.mulf(acc, hb.f32(1.0 / (k[0] * k[1])));
      };
      return pool(hb, name, x, xs, out, axes, Window{k, k, {0, 0}}, init, init,
                  combine, isMax ? Finish() : Finish(mean));
    }
    // Along dimension d, output o: [start, end) of the input.
    auto start = [&](Value o, unsigned d) {
      return hb.floorDiv(hb.mul(o, xs[d]), out[d]);
    };
    auto end = [&](Value o, unsigned d) {
      return hb.floorDiv(hb.add(hb.mul(o, xs[d]), xs[d] + out[d] - 1), out[d]);
    };
    auto most = [&](unsigned d) { return (xs[d] + out[d] - 1) / out[d] + 1; };
    Ref f = hb.func(name, out, [&](ValueRange) { return hb.f32(init); });
    hb.update(
        f, {"ry", "rx"}, {most(2), most(3)}, [&](ValueRange v, ValueRange r) {
          Value iy = hb.add(start(v[2], 2), r[0]);
          Value ix = hb.add(start(v[3], 3), r[1]);
          Value inside =
              hb.both(hb.less(iy, end(v[2], 2)), hb.less(ix, end(v[3], 3)));
          Value tap = hb.call(x, {v[0], v[1], hb.clamp(iy, 0, xs[2] - 1),
                                  hb.clamp(ix, 0, xs[3] - 1)});
          return hb.select(inside, (hb.*combine)(hb.call(f, v), tap),
                           hb.call(f, v));
        });
    auto mean = [&](Value acc, ValueRange v) {
      Value height = hb.toF32(hb.sub(end(v[2], 2), start(v[2], 2)));
      Value width = hb.toF32(hb.sub(end(v[3], 3), start(v[3], 3)));
      return hb.divf(acc, hb.mulf(height, width));
    };
    return finishStage(hb, f, isMax ? Finish() : Finish(mean));
  }
};

} // namespace

void nncc::populatePoolLowerings(RewritePatternSet &patterns,
                                 LoweringState &state) {
  patterns.add<MaxPoolLowering, AvgPoolLowering, GlobalAvgPoolLowering,
               AdaptivePoolLowering<nn::AdaptiveAvgPool2dOp, false>,
               AdaptivePoolLowering<nn::AdaptiveMaxPool2dOp, true>>(
      patterns.getContext(), state);
}
