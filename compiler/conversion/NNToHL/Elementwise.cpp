//===- Elementwise.cpp - constants and elementwise nn ops to hl -----------===//

#include "compiler/conversion/NNToHL/Lowering.h"

#include "mlir/Dialect/Arithmetic/IR/Arithmetic.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;
using namespace nncc;
using Ref = HLBuilder::Ref;

namespace {

struct ConstantLowering : NNLowering<nn::ConstantOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::ConstantOp op, Adaptor,
                       HLBuilder &hb) const override {
    auto value = op.getValue().cast<DenseElementsAttr>();
    if (value.isSplat()) {
      float v = value.getSplatValue<APFloat>().convertToFloat();
      return hb.func("constant", shape(op),
                     [&](ValueRange) { return hb.f32(v); });
    }
    return hb.buffer("constant", value);
  }
};

/// The [T, D] table of "Attention is all you need", computed in double at
/// compile time so every entry is the correctly rounded f32.
struct SinusoidalLowering : NNLowering<nn::SinusoidalPositionsOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::SinusoidalPositionsOp op, Adaptor,
                       HLBuilder &hb) const override {
    int64_t t = op.getLengthAttr().getInt(), d = op.getDimAttr().getInt();
    std::vector<float> table(t * d);
    for (int64_t pos = 0; pos < t; ++pos)
      for (int64_t j = 0; j < d; ++j) {
        double angle = pos / std::pow(10000.0, (double)(j - j % 2) / d);
        table[pos * d + j] = (float)(j % 2 ? std::cos(angle) : std::sin(angle));
      }
    auto type = op.getType().cast<ShapedType>();
    return hb.buffer("positions",
                     DenseElementsAttr::get(type, llvm::makeArrayRef(table)));
  }
};

/// One elementwise function of one operand.
template <typename Op> struct UnaryLowering : NNLowering<Op> {
  using Fn = Value (*)(HLBuilder &, Value);
  UnaryLowering(MLIRContext *ctx, LoweringState &state, Fn fn)
      : NNLowering<Op>(ctx, state), fn(fn) {}
  FailureOr<Ref> lower(Op op, typename Op::Adaptor a,
                       HLBuilder &hb) const override {
    Ref x = this->ref(a.getInput());
    return hb.func(Op::getOperationName().drop_front(3), this->shape(op),
                   [&](ValueRange v) { return fn(hb, hb.call(x, v)); });
  }
  Fn fn;
};

Value relu(HLBuilder &hb, Value x) { return hb.maxf(x, hb.f32(0)); }
Value sigmoid(HLBuilder &hb, Value x) {
  Value e = hb.unary<math::ExpOp>(hb.unary<arith::NegFOp>(x));
  return hb.divf(hb.f32(1), hb.addf(hb.f32(1), e));
}
Value tanhFn(HLBuilder &hb, Value x) { return hb.unary<math::TanhOp>(x); }
/// The erf form, as F.gelu's default.
Value gelu(HLBuilder &hb, Value x) {
  Value e = hb.unary<math::ErfOp>(hb.mulf(x, hb.f32(M_SQRT1_2)));
  return hb.mulf(hb.mulf(hb.f32(0.5), x), hb.addf(hb.f32(1), e));
}
Value expFn(HLBuilder &hb, Value x) { return hb.unary<math::ExpOp>(x); }
Value sqrtFn(HLBuilder &hb, Value x) { return hb.unary<math::SqrtOp>(x); }
Value neg(HLBuilder &hb, Value x) { return hb.unary<arith::NegFOp>(x); }

/// torch.clamp: max with the lower bound, then min with the upper. (NaN
/// becomes a bound here, where PyTorch keeps it: a NaN test per element
/// costs too much in the clamps that follow every convolution.)
struct ClampLowering : NNLowering<nn::ClampOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::ClampOp op, Adaptor a,
                       HLBuilder &hb) const override {
    Ref x = ref(a.getInput());
    return hb.func("clamp", shape(op), [&](ValueRange v) {
      Value y = hb.call(x, v);
      if (auto lo = op.getMinAttr())
        y = hb.maxf(y, hb.f32(lo.getValueAsDouble()));
      if (auto hi = op.getMaxAttr())
        y = hb.minf(y, hb.f32(hi.getValueAsDouble()));
      return y;
    });
  }
};

/// NumPy-broadcasting arithmetic of two operands.
template <typename Op> struct BinaryLowering : NNLowering<Op> {
  using Fn = Value (HLBuilder::*)(Value, Value);
  BinaryLowering(MLIRContext *ctx, LoweringState &state, Fn fn)
      : NNLowering<Op>(ctx, state), fn(fn) {}
  FailureOr<Ref> lower(Op op, typename Op::Adaptor a,
                       HLBuilder &hb) const override {
    Ref l = this->ref(a.getLhs()), r = this->ref(a.getRhs());
    ArrayRef<int64_t> ls = this->shape(a.getLhs()),
                      rs = this->shape(a.getRhs());
    return hb.func(Op::getOperationName().drop_front(3), this->shape(op),
                   [&](ValueRange v) {
                     return (hb.*fn)(hb.callBroadcast(l, ls, v),
                                     hb.callBroadcast(r, rs, v));
                   });
  }
  Fn fn;
};

} // namespace

void nncc::populateElementwiseLowerings(RewritePatternSet &patterns,
                                        LoweringState &state) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ConstantLowering, SinusoidalLowering, ClampLowering>(ctx, state);
  patterns.add<UnaryLowering<nn::ReluOp>>(ctx, state, relu);
  patterns.add<UnaryLowering<nn::SigmoidOp>>(ctx, state, sigmoid);
  patterns.add<UnaryLowering<nn::TanhOp>>(ctx, state, tanhFn);
  patterns.add<UnaryLowering<nn::GeluOp>>(ctx, state, gelu);
  patterns.add<UnaryLowering<nn::ExpOp>>(ctx, state, expFn);
  patterns.add<UnaryLowering<nn::SqrtOp>>(ctx, state, sqrtFn);
  patterns.add<UnaryLowering<nn::NegOp>>(ctx, state, neg);
  patterns.add<BinaryLowering<nn::AddOp>>(ctx, state, &HLBuilder::addf);
  patterns.add<BinaryLowering<nn::SubOp>>(ctx, state, &HLBuilder::subf);
  patterns.add<BinaryLowering<nn::MulOp>>(ctx, state, &HLBuilder::mulf);
  patterns.add<BinaryLowering<nn::DivOp>>(ctx, state, &HLBuilder::divf);
}
