//===- Elementwise.cpp - constants and elementwise nn ops to hl -----------===//

#include "compiler/conversion/NNToHL/Lowering.h"

#include "mlir/Dialect/Arithmetic/IR/Arithmetic.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Matchers.h"

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

/// For a unary op whose f32 formula is wrong at NaN or an infinity
/// (Halide's exp and erf are polynomials that do not propagate them): y
/// where x is finite, else the op's own value there, f(NaN), f(+inf) and
/// f(-inf) computed in double.
Value exactAtSpecials(HLBuilder &hb, nn::ElementwiseOp op, Value x, Value y) {
  using P = arith::CmpFPredicate;
  for (double special : {INFINITY, -INFINITY})
    y = hb.select(hb.cmpf(P::OEQ, x, hb.f32(special)),
                  hb.f32(op.evaluate(special)), y);
  double nan = op.evaluate(NAN);
  return hb.select(hb.isNaN(x), std::isnan(nan) ? x : hb.f32(nan), y);
}

/// An elementwise op: its f32 formula `fn` of one element of each operand,
/// the operands broadcast to the result's shape (NumPy rules); `exact`:
/// corrected at NaN and infinities by exactAtSpecials.
template <typename Op> struct ElementwiseLowering : NNLowering<Op> {
  using Fn = Value (*)(HLBuilder &, Op, ArrayRef<Value>);
  ElementwiseLowering(MLIRContext *ctx, LoweringState &state, Fn fn,
                      bool exact = false)
      : NNLowering<Op>(ctx, state), fn(fn), exact(exact) {}
  FailureOr<Ref> lower(Op op, typename Op::Adaptor a,
                       HLBuilder &hb) const override {
    SmallVector<std::pair<Ref, ArrayRef<int64_t>>, 3> operands;
    for (auto [converted, original] :
         llvm::zip(a.getOperands(), op->getOperands()))
      operands.push_back({this->ref(converted), this->shape(original)});
    return hb.func(Op::getOperationName().drop_front(3), this->shape(op),
                   [&](ValueRange v) {
                     SmallVector<Value, 3> x;
                     for (auto &[f, shape] : operands)
                       x.push_back(operands.size() == 1
                                       ? hb.call(f, v)
                                       : hb.callBroadcast(f, shape, v));
                     Value y = fn(hb, op, x);
                     return exact ? exactAtSpecials(hb, op, x[0], y) : y;
                   });
  }
  Fn fn;
  bool exact;
};

/// A formula of x alone.
template <Value (*f)(HLBuilder &, Value)> struct Of {
  template <typename Op>
  static Value apply(HLBuilder &hb, Op, ArrayRef<Value> x) {
    return f(hb, x[0]);
  }
};

Value relu(HLBuilder &hb, Value x) { return hb.clampKeepingNaN(x, 0, None); }
Value sigmoid(HLBuilder &hb, Value x) {
  Value e = hb.unary<math::ExpOp>(hb.unary<arith::NegFOp>(x));
  return hb.divf(hb.f32(1), hb.addf(hb.f32(1), e));
}
Value silu(HLBuilder &hb, Value x) {
  Value e = hb.unary<math::ExpOp>(hb.unary<arith::NegFOp>(x));
  return hb.divf(x, hb.addf(hb.f32(1), e));
}
/// log(1 + exp(beta x)) / beta, or x where beta x is above the threshold.
Value softplus(HLBuilder &hb, Value x, double beta, double threshold) {
  Value bx = hb.mulf(x, hb.f32(beta));
  Value log =
      hb.unary<math::LogOp>(hb.addf(hb.f32(1), hb.unary<math::ExpOp>(bx)));
  return hb.select(hb.cmpf(arith::CmpFPredicate::OGT, bx, hb.f32(threshold)), x,
                   hb.divf(log, hb.f32(beta)));
}
Value mish(HLBuilder &hb, Value x) {
  return hb.mulf(x, hb.unary<math::TanhOp>(softplus(hb, x, 1, 20)));
}
/// x where x > 0, else alpha (exp(x) - 1).
Value elu(HLBuilder &hb, Value x, double alpha) {
  Value expm1 = hb.subf(hb.unary<math::ExpOp>(x), hb.f32(1));
  return hb.select(hb.cmpf(arith::CmpFPredicate::OGT, x, hb.f32(0)), x,
                   hb.mulf(hb.f32(alpha), expm1));
}
Value selu(HLBuilder &hb, Value x) {
  return hb.mulf(hb.f32(1.0507009873554804934193349852946),
                 elu(hb, x, 1.6732632423543772848170429916717));
}
/// clamp(x + 3, 0, 6), the bend of both hard functions.
Value relu6Shifted(HLBuilder &hb, Value x) {
  return hb.clampKeepingNaN(hb.addf(x, hb.f32(3)), 0, 6);
}
Value hardsigmoid(HLBuilder &hb, Value x) {
  return hb.divf(relu6Shifted(hb, x), hb.f32(6));
}
Value hardswish(HLBuilder &hb, Value x) {
  return hb.divf(hb.mulf(x, relu6Shifted(hb, x)), hb.f32(6));
}
Value tanhFn(HLBuilder &hb, Value x) { return hb.unary<math::TanhOp>(x); }
Value expFn(HLBuilder &hb, Value x) { return hb.unary<math::ExpOp>(x); }
Value sqrtFn(HLBuilder &hb, Value x) { return hb.unary<math::SqrtOp>(x); }
Value rsqrt(HLBuilder &hb, Value x) { return hb.unary<math::RsqrtOp>(x); }
Value neg(HLBuilder &hb, Value x) { return hb.unary<arith::NegFOp>(x); }
Value absFn(HLBuilder &hb, Value x) { return hb.unary<math::AbsOp>(x); }
Value erfFn(HLBuilder &hb, Value x) { return hb.unary<math::ErfOp>(x); }

/// The erf form, as F.gelu's default, or the tanh approximation.
Value gelu(HLBuilder &hb, nn::GeluOp op, ArrayRef<Value> operands) {
  Value x = operands[0], inner;
  if (op.getTanh()) {
    Value cube = hb.mulf(hb.mulf(x, x), x);
    Value arg = hb.mulf(hb.f32(std::sqrt(2 / M_PI)),
                        hb.addf(x, hb.mulf(hb.f32(0.044715), cube)));
    inner = hb.unary<math::TanhOp>(arg);
  } else {
    inner = hb.unary<math::ErfOp>(hb.mulf(x, hb.f32(M_SQRT1_2)));
  }
  return hb.mulf(hb.mulf(hb.f32(0.5), x), hb.addf(hb.f32(1), inner));
}
Value leakyRelu(HLBuilder &hb, nn::LeakyReluOp op, ArrayRef<Value> x) {
  Value scaled = hb.mulf(x[0], hb.f32(op.getNegativeSlope().convertToDouble()));
  return hb.select(hb.cmpf(arith::CmpFPredicate::OGT, x[0], hb.f32(0)), x[0],
                   scaled);
}
Value eluOp(HLBuilder &hb, nn::EluOp op, ArrayRef<Value> x) {
  return elu(hb, x[0], op.getAlpha().convertToDouble());
}
Value softplusOp(HLBuilder &hb, nn::SoftplusOp op, ArrayRef<Value> x) {
  return softplus(hb, x[0], op.getBeta().convertToDouble(),
                  op.getThreshold().convertToDouble());
}
/// torch.clamp: the lower bound, then the upper; NaN stays NaN.
Value clamp(HLBuilder &hb, nn::ClampOp op, ArrayRef<Value> x) {
  auto bound = [](FloatAttr a) {
    return a ? Optional<double>(a.getValueAsDouble()) : None;
  };
  return hb.clampKeepingNaN(x[0], bound(op.getMinAttr()),
                            bound(op.getMaxAttr()));
}

template <Value (HLBuilder::*f)(Value, Value)> struct Arith {
  template <typename Op>
  static Value apply(HLBuilder &hb, Op, ArrayRef<Value> x) {
    return (hb.*f)(x[0], x[1]);
  }
};

/// torch.pow; a constant exponent of 2 or 3 as products, 0.5 as sqrt, as
/// PyTorch's kernels do.
Value power(HLBuilder &hb, nn::PowOp op, ArrayRef<Value> x) {
  DenseElementsAttr exponent;
  if (matchPattern(op.getRhs(), m_Constant(&exponent)) && exponent.isSplat()) {
    double y = exponent.getSplatValue<APFloat>().convertToDouble();
    if (y == 2)
      return hb.mulf(x[0], x[0]);
    if (y == 3)
      return hb.mulf(hb.mulf(x[0], x[0]), x[0]);
    if (y == 0.5)
      return hb.unary<math::SqrtOp>(x[0]);
  }
  return hb.builder().create<math::PowFOp>(hb.location(), x[0], x[1]);
}

/// 1 where `predicate` holds, else 0; `negated`: where it does not. A NaN
/// operand is tested first, explicitly: Halide folds x == x to true.
template <arith::CmpFPredicate predicate, bool negated = false> struct Compare {
  template <typename Op>
  static Value apply(HLBuilder &hb, Op, ArrayRef<Value> x) {
    Value yes = hb.f32(negated ? 0 : 1), no = hb.f32(negated ? 1 : 0);
    Value test = hb.select(hb.cmpf(predicate, x[0], x[1]), yes, no);
    return hb.select(hb.eitherNaN(x[0], x[1]), no, test);
  }
};

/// torch.where(c != 0, a, b): written as c == 0, so that a NaN condition
/// (which is != 0) picks a.
Value where(HLBuilder &hb, nn::WhereOp, ArrayRef<Value> x) {
  return hb.select(hb.cmpf(arith::CmpFPredicate::OEQ, x[0], hb.f32(0)), x[2],
                   x[1]);
}

Value minimum(HLBuilder &hb, nn::MinimumOp, ArrayRef<Value> x) {
  return hb.minKeepingNaN(x[0], x[1]);
}
Value maximum(HLBuilder &hb, nn::MaximumOp, ArrayRef<Value> x) {
  return hb.maxKeepingNaN(x[0], x[1]);
}

} // namespace

void nncc::populateElementwiseLowerings(RewritePatternSet &patterns,
                                        LoweringState &state) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ConstantLowering, SinusoidalLowering>(ctx, state);
  using P = arith::CmpFPredicate;
  using NotEqual = Compare<P::OEQ, true>;
#define NN_LOWER(OP, FORMULA)                                                  \
  patterns.add<ElementwiseLowering<nn::OP>>(ctx, state, FORMULA)
// FORMULAS: a class whose `apply` serves any op.
#define NN_LOWER_ANY(OP, FORMULAS) NN_LOWER(OP, FORMULAS::apply<nn::OP>)
#define NN_LOWER_EXACT(OP, FORMULA)                                            \
  patterns.add<ElementwiseLowering<nn::OP>>(ctx, state, FORMULA, true)
  NN_LOWER_ANY(ReluOp, Of<relu>);
  NN_LOWER_EXACT(SigmoidOp, Of<sigmoid>::apply<nn::SigmoidOp>);
  NN_LOWER_EXACT(TanhOp, Of<tanhFn>::apply<nn::TanhOp>);
  NN_LOWER_EXACT(GeluOp, gelu);
  NN_LOWER_EXACT(ExpOp, Of<expFn>::apply<nn::ExpOp>);
  NN_LOWER_ANY(SqrtOp, Of<sqrtFn>);
  NN_LOWER_ANY(RsqrtOp, Of<rsqrt>);
  NN_LOWER_ANY(NegOp, Of<neg>);
  NN_LOWER_ANY(AbsOp, Of<absFn>);
  NN_LOWER_EXACT(ErfOp, Of<erfFn>::apply<nn::ErfOp>);
  NN_LOWER_EXACT(SiluOp, Of<silu>::apply<nn::SiluOp>);
  NN_LOWER_EXACT(MishOp, Of<mish>::apply<nn::MishOp>);
  NN_LOWER_EXACT(SeluOp, Of<selu>::apply<nn::SeluOp>);
  NN_LOWER_ANY(HardswishOp, Of<hardswish>);
  NN_LOWER_EXACT(HardsigmoidOp, Of<hardsigmoid>::apply<nn::HardsigmoidOp>);
  NN_LOWER(LeakyReluOp, leakyRelu);
  NN_LOWER_EXACT(EluOp, eluOp);
  NN_LOWER_EXACT(SoftplusOp, softplusOp);
  NN_LOWER(ClampOp, clamp);
  NN_LOWER_ANY(AddOp, Arith<&HLBuilder::addf>);
  NN_LOWER_ANY(SubOp, Arith<&HLBuilder::subf>);
  NN_LOWER_ANY(MulOp, Arith<&HLBuilder::mulf>);
  NN_LOWER_ANY(DivOp, Arith<&HLBuilder::divf>);
  NN_LOWER(PowOp, power);
  NN_LOWER(MinimumOp, minimum);
  NN_LOWER(MaximumOp, maximum);
  NN_LOWER_ANY(EqOp, Compare<P::OEQ>);
  NN_LOWER_ANY(NeOp, NotEqual);
  NN_LOWER_ANY(LtOp, Compare<P::OLT>);
  NN_LOWER_ANY(LeOp, Compare<P::OLE>);
  NN_LOWER_ANY(GtOp, Compare<P::OGT>);
  NN_LOWER_ANY(GeOp, Compare<P::OGE>);
  NN_LOWER(WhereOp, where);
#undef NN_LOWER_EXACT
#undef NN_LOWER_ANY
#undef NN_LOWER
}
