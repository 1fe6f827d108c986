//===- Reduction.cpp - sum, mean, amax, amin and argmax to hl -------------===//
//
//   g(kept) = init;  g(kept) = combine(g(kept), value(x(kept, r), kept))
//
// with one reduction variable per reduced axis, the innermost axis's
// innermost. mean scales the sum by 1/count; argmax is the first index
// where x equals its amax (or is NaN, which amax then is):
//   argmax(kept) = min over r of (x(kept, r) == m(kept) || isnan ? r : n)
//
//===----------------------------------------------------------------------===//

#include "compiler/conversion/NNToHL/Lowering.h"

#include "mlir/Dialect/Arithmetic/IR/Arithmetic.h"

#include <algorithm>
#include <limits>

using namespace mlir;
using namespace nncc;
using Ref = HLBuilder::Ref;

Ref nncc::reduce(HLBuilder &hb, llvm::StringRef name, Ref x,
                 ArrayRef<int64_t> xs, ArrayRef<int64_t> axes, bool keepdim,
                 float init, Value (HLBuilder::*combine)(Value, Value),
                 ReducedValue value) {
  SmallVector<int64_t, 4> shape, extents;
  SmallVector<std::string, 4> names;
  for (int64_t d = 0; d < (int64_t)xs.size(); ++d)
    if (!llvm::is_contained(axes, d))
      shape.push_back(xs[d]);
    else if (keepdim)
      shape.push_back(1);
  for (int64_t d = (int64_t)xs.size() - 1; d >= 0; --d)
    if (llvm::is_contained(axes, d)) {
      names.push_back(axes.size() == 1 ? "r" : "r" + std::to_string(d));
      extents.push_back(xs[d]);
    }
  SmallVector<llvm::StringRef, 4> rvars(names.begin(), names.end());
  Ref g = hb.func(name, shape, [&](ValueRange) { return hb.f32(init); });
  hb.update(g, rvars, extents, [&](ValueRange v, ValueRange r) {
    // x's coordinates: the kept variables, and r (innermost axis first).
    SmallVector<Value, 4> at;
    size_t kept = 0, next = r.size();
    for (int64_t d = 0; d < (int64_t)xs.size(); ++d) {
      bool isReduced = llvm::is_contained(axes, d);
      at.push_back(isReduced ? r[--next] : v[kept]);
      kept += !isReduced || keepdim;
    }
    SmallVector<Value, 4> reduced(r.begin(), r.end());
    std::reverse(reduced.begin(), reduced.end());
    return (hb.*combine)(hb.call(g, v), value(hb.call(x, at), v, reduced));
  });
  return g;
}

namespace {

Value identity(Value v, ValueRange, ValueRange) { return v; }

/// sum, mean, amax, amin.
template <typename Op> struct ReduceLowering : NNLowering<Op> {
  using Combine = Value (HLBuilder::*)(Value, Value);
  ReduceLowering(MLIRContext *ctx, LoweringState &state, float init,
                 Combine combine, bool mean = false)
      : NNLowering<Op>(ctx, state), init(init), combine(combine), mean(mean) {}
  FailureOr<Ref> lower(Op op, typename Op::Adaptor a,
                       HLBuilder &hb) const override {
    ArrayRef<int64_t> xs = this->shape(a.getInput());
    SmallVector<int64_t, 4> axes;
    int64_t count = 1;
    for (Attribute axis : op.getAxes()) {
      axes.push_back(axis.cast<IntegerAttr>().getInt());
      count *= xs[axes.back()];
    }
    Ref g = reduce(
        hb, Op::getOperationName().drop_front(3), this->ref(a.getInput()), xs,
        axes, static_cast<bool>(op.getKeepdimAttr()), init, combine, identity);
    if (mean)
      hb.scale(g, 1.0 / count);
    return g;
  }
  float init;
  Combine combine;
  bool mean;
};

struct ArgmaxLowering : NNLowering<nn::ArgmaxOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::ArgmaxOp op, Adaptor a,
                       HLBuilder &hb) const override {
    Ref x = ref(a.getInput());
    ArrayRef<int64_t> xs = shape(a.getInput());
    int64_t axis = op.getAxis();
    bool keepdim = static_cast<bool>(op.getKeepdimAttr());
    float inf = std::numeric_limits<float>::infinity();
    Ref m = reduce(hb, "amax", x, xs, {axis}, keepdim, -inf,
                   &HLBuilder::maxKeepingNaN, identity);
    Ref index =
        reduce(hb, "argmax", x, xs, {axis}, keepdim, xs[axis], &HLBuilder::minf,
               [&](Value xv, ValueRange v, ValueRange r) {
                 Value equal =
                     hb.cmpf(arith::CmpFPredicate::OEQ, xv, hb.call(m, v));
                 Value isMax = hb.anyOf(equal, hb.isNaN(xv));
                 Value at = hb.toF32(r[0]);
                 return hb.select(isMax, at, hb.f32(xs[axis]));
               });
    return index;
  }
};

} // namespace

void nncc::populateReductionLowerings(RewritePatternSet &patterns,
                                      LoweringState &state) {
  MLIRContext *ctx = patterns.getContext();
  float inf = std::numeric_limits<float>::infinity();
  patterns.add<ReduceLowering<nn::SumOp>>(ctx, state, 0.0f, &HLBuilder::addf);
  patterns.add<ReduceLowering<nn::MeanOp>>(ctx, state, 0.0f, &HLBuilder::addf,
                                           true);
  patterns.add<ReduceLowering<nn::AmaxOp>>(ctx, state, -inf,
                                           &HLBuilder::maxKeepingNaN);
  patterns.add<ReduceLowering<nn::AminOp>>(ctx, state, inf,
                                           &HLBuilder::minKeepingNaN);
  patterns.add<ArgmaxLowering>(ctx, state);
}
