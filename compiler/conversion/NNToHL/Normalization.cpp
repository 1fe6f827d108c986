//===- Normalization.cpp - softmax and normalisations to hl ---------------===//

#include "compiler/conversion/NNToHL/Lowering.h"

#include "mlir/Dialect/Math/IR/Math.h"

#include <limits>

using namespace mlir;
using namespace nncc;
using Ref = HLBuilder::Ref;

namespace {

SmallVector<Value, 4> without(ValueRange vars, int64_t axis) {
  SmallVector<Value, 4> out(vars.begin(), vars.end());
  out.erase(out.begin() + axis);
  return out;
}

/// `reduce` along one axis, the reduced func without it.
Ref reduceAxis(HLBuilder &hb, llvm::StringRef name, Ref x, ArrayRef<int64_t> xs,
               int64_t axis, float init,
               Value (HLBuilder::*combine)(Value, Value),
               llvm::function_ref<Value(Value, ValueRange)> value) {
  return reduce(
      hb, name, x, xs, {axis}, /*keepdim=*/false, init, combine,
      [&](Value xv, ValueRange kept, ValueRange) { return value(xv, kept); });
}

/// Softmax and log-softmax, max-subtracted:
///   m = max_axis x,  e = exp(x - m),  s = sum_axis e
///   softmax = e / s,  log_softmax = x - m - log(s)
template <typename Op, bool isLog> struct SoftmaxLowering : NNLowering<Op> {
  using NNLowering<Op>::NNLowering;
  FailureOr<Ref> lower(Op op, typename Op::Adaptor a,
                       HLBuilder &hb) const override {
    Ref x = this->ref(a.getInput());
    ArrayRef<int64_t> xs = this->shape(a.getInput());
    int64_t axis = op.getAxisAttr().getInt();
    float inf = std::numeric_limits<float>::infinity();
    auto identity = [](Value v, ValueRange) { return v; };
    Ref m =
        reduceAxis(hb, "max", x, xs, axis, -inf, &HLBuilder::maxf, identity);
    auto shifted = [&](Value xv, ValueRange reduced) {
      return hb.subf(xv, hb.call(m, reduced));
    };
    Ref e = hb.func("exp", xs, [&](ValueRange v) {
      return hb.unary<math::ExpOp>(shifted(hb.call(x, v), without(v, axis)));
    });
    Ref s =
        reduceAxis(hb, "sum", e, xs, axis, 0.0f, &HLBuilder::addf, identity);
    return hb.func(isLog ? "log_softmax" : "softmax", xs, [&](ValueRange v) {
      Value sum = hb.call(s, without(v, axis));
      if (isLog) {
        // Strict: reassociated as x - (m + log(s)), a large m rounds away
        // the result's low bits.
        Value out = hb.subf(shifted(hb.call(x, v), without(v, axis)),
                            hb.unary<math::LogOp>(sum));
        out.getDefiningOp()->setAttr(hl::HLDialect::kStrict,
                                     UnitAttr::get(out.getContext()));
        return out;
      }
      return hb.divf(hb.call(e, v), sum);
    });
  }
};

/// F.layer_norm over the last dimension, with the two-pass variance:
///   mean = sum x / D,  var = sum (x - mean)^2 / D
///   out = (x - mean) / sqrt(var + eps) * w + b
struct LayerNormLowering : NNLowering<nn::LayerNormOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::LayerNormOp op, Adaptor a,
                       HLBuilder &hb) const override {
    Ref x = ref(a.getInput()), w = ref(a.getWeight()), b = ref(a.getBias());
    ArrayRef<int64_t> xs = shape(a.getInput());
    int64_t axis = xs.size() - 1, d = xs.back();
    double eps = op.getEpsAttr().getValueAsDouble();
    Ref mean = reduceAxis(hb, "mean", x, xs, axis, 0.0f, &HLBuilder::addf,
                          [](Value v, ValueRange) { return v; });
    hb.scale(mean, 1.0 / d);
    Ref var = reduceAxis(hb, "variance", x, xs, axis, 0.0f, &HLBuilder::addf,
                         [&](Value v, ValueRange reduced) {
                           Value c = hb.subf(v, hb.call(mean, reduced));
                           return hb.mulf(c, c);
                         });
    hb.scale(var, 1.0 / d);
    return hb.func("layer_norm", xs, [&](ValueRange v) {
      ValueRange reduced = v.drop_back();
      Value c = hb.subf(hb.call(x, v), hb.call(mean, reduced));
      Value inv =
          hb.unary<math::RsqrtOp>(hb.addf(hb.call(var, reduced), hb.f32(eps)));
      return hb.addf(hb.mulf(hb.mulf(c, inv), hb.call(w, {v.back()})),
                     hb.call(b, {v.back()}));
    });
  }
};

/// F.batch_norm in inference form over dimension 1.
struct BatchNormLowering : NNLowering<nn::BatchNormOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::BatchNormOp op, Adaptor a,
                       HLBuilder &hb) const override {
    Ref x = ref(a.getInput()), mean = ref(a.getMean()), var = ref(a.getVar()),
        w = ref(a.getWeight()), b = ref(a.getBias());
    double eps = op.getEpsAttr().getValueAsDouble();
    return hb.func("batch_norm", shape(op), [&](ValueRange v) {
      Value c = v[1];
      Value inv =
          hb.unary<math::RsqrtOp>(hb.addf(hb.call(var, c), hb.f32(eps)));
      Value centred = hb.subf(hb.call(x, v), hb.call(mean, c));
      return hb.addf(hb.mulf(hb.mulf(centred, inv), hb.call(w, c)),
                     hb.call(b, c));
    });
  }
};

} // namespace

void nncc::populateNormalizationLowerings(RewritePatternSet &patterns,
                                          LoweringState &state) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<SoftmaxLowering<nn::SoftmaxOp, false>,
               SoftmaxLowering<nn::LogSoftmaxOp, true>, LayerNormLowering,
               BatchNormLowering>(ctx, state);
}
