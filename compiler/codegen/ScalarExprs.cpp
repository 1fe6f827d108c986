//===- ScalarExprs.cpp - hl's scalar arithmetic as Halide expressions -----===//
//
// The arith, math and hl ops of a definition's body that compute a value
// from values: each is the Halide expression of its operands'. Reads of
// funcs and inputs are HLToHalide.cpp's, which knows the funcs.
//
//===----------------------------------------------------------------------===//

#include "compiler/codegen/ScalarExprs.h"
#include "dialects/hl/HLOps.h"

#include "mlir/Dialect/Arithmetic/IR/Arithmetic.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace nncc;
using Halide::Expr;
using llvm::Optional;

/// Whether `condition` tests for NaN (cmpf uno, or an `or` of such).
static bool testsNaN(Value condition) {
  if (auto test = condition.getDefiningOp<arith::CmpFOp>())
    return test.getPredicate() == arith::CmpFPredicate::UNO;
  if (auto either = condition.getDefiningOp<arith::OrIOp>())
    return testsNaN(either.getLhs()) || testsNaN(either.getRhs());
  return false;
}

Optional<Expr> nncc::scalarExpr(Operation *op, ArrayRef<Expr> in) {
  return llvm::TypeSwitch<Operation *, Optional<Expr>>(op)
      .Case([&](arith::ConstantOp c) -> Optional<Expr> {
        Attribute value = c.getValue();
        if (auto f = value.dyn_cast<FloatAttr>())
          return Expr((float)f.getValueAsDouble());
        if (auto i = value.dyn_cast<IntegerAttr>()) {
          if (i.getType().isInteger(1))
            return Halide::Internal::make_bool(i.getValue().getBoolValue());
          return Expr((int32_t)i.getInt());
        }
        return llvm::None;
      })
      .Case([&](hl::SelectOp s) {
        Expr e = Halide::select(in[0], in[1], in[2]);
        // A NaN test (NNToHL's NaN-keeping max), or a clamp that keeps
        // NaN: Halide compiles floats assuming no NaN, which would fold the
        // choice away or make it a max.
        return testsNaN(s.getCondition()) || s.getStrict()
                   ? Halide::strict_float(e)
                   : e;
      })
      .Case([&](arith::AddIOp) { return in[0] + in[1]; })
      .Case([&](arith::SubIOp) { return in[0] - in[1]; })
      .Case([&](arith::MulIOp) { return in[0] * in[1]; })
      // Halide's integer division and modulo round towards -infinity.
      .Case([&](arith::FloorDivSIOp) { return in[0] / in[1]; })
      .Case([&](hl::ModOp) { return in[0] % in[1]; })
      .Case([&](arith::MinSIOp) { return Halide::min(in[0], in[1]); })
      .Case([&](arith::MaxSIOp) { return Halide::max(in[0], in[1]); })
      .Case([&](arith::AddFOp) { return in[0] + in[1]; })
      .Case([&](arith::SubFOp s) {
        Expr e = in[0] - in[1];
        return s->hasAttr(hl::HLDialect::kStrict) ? Halide::strict_float(e) : e;
      })
      .Case([&](arith::MulFOp) { return in[0] * in[1]; })
      .Case([&](arith::DivFOp) { return in[0] / in[1]; })
      .Case([&](arith::NegFOp) { return -in[0]; })
      .Case([&](arith::MaxFOp) { return Halide::max(in[0], in[1]); })
      .Case([&](arith::MinFOp) { return Halide::min(in[0], in[1]); })
      .Case([&](arith::AndIOp) { return in[0] && in[1]; })
      .Case([&](arith::OrIOp) { return in[0] || in[1]; })
      .Case(
          [&](arith::FPToSIOp) { return Halide::cast(Halide::Int(32), in[0]); })
      .Case([&](arith::SIToFPOp) {
        return Halide::cast(Halide::Float(32), in[0]);
      })
      .Case([&](arith::CmpIOp c) -> Optional<Expr> {
        switch (c.getPredicate()) {
        case arith::CmpIPredicate::eq:
          return in[0] == in[1];
        case arith::CmpIPredicate::ne:
          return in[0] != in[1];
        case arith::CmpIPredicate::slt:
          return in[0] < in[1];
        case arith::CmpIPredicate::sle:
          return in[0] <= in[1];
        case arith::CmpIPredicate::sgt:
          return in[0] > in[1];
        case arith::CmpIPredicate::sge:
          return in[0] >= in[1];
        default:
          return llvm::None;
        }
      })
      .Case([&](arith::CmpFOp c) -> Optional<Expr> {
        switch (c.getPredicate()) {
        case arith::CmpFPredicate::OEQ:
          return in[0] == in[1];
        case arith::CmpFPredicate::ONE:
          return in[0] != in[1];
        case arith::CmpFPredicate::OLT:
          return in[0] < in[1];
        case arith::CmpFPredicate::OLE:
          return in[0] <= in[1];
        case arith::CmpFPredicate::OGT:
          return in[0] > in[1];
        case arith::CmpFPredicate::OGE:
          return in[0] >= in[1];
        case arith::CmpFPredicate::UNO:
          return Halide::is_nan(in[0]) || Halide::is_nan(in[1]);
        default:
          return llvm::None;
        }
      })
      .Case([&](math::ExpOp) { return Halide::exp(in[0]); })
      .Case([&](math::LogOp) { return Halide::log(in[0]); })
      .Case([&](math::TanhOp) { return Halide::tanh(in[0]); })
      .Case([&](math::SqrtOp) { return Halide::sqrt(in[0]); })
      .Case([&](math::RsqrtOp) { return 1.0f / Halide::sqrt(in[0]); })
      .Case([&](math::ErfOp) { return Halide::erf(in[0]); })
      .Case([&](math::AbsOp) { return Halide::abs(in[0]); })
      .Case([&](math::PowFOp) {
        // libm's powf, as PyTorch: Halide's pow is exp(y log |x|), which is
        // neither correctly rounded nor right at 0, infinities and NaN.
        return Halide::Internal::Call::make(Halide::Float(32), "powf",
                                            {in[0], in[1]},
                                            Halide::Internal::Call::PureExtern);
      })
      .Default([&](Operation *) { return llvm::None; });
}
