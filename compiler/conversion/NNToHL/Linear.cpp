//===- Linear.cpp - matmul and linear to hl reductions --------------------===//

#include "compiler/conversion/NNToHL/Lowering.h"

using namespace mlir;
using namespace nncc;
using Ref = HLBuilder::Ref;

namespace {

/// torch.matmul: a 1-D left operand is a row and a 1-D right operand a
/// column, the added dimension absent from the result; other leading
/// dimensions broadcast.
struct MatmulLowering : NNLowering<nn::MatmulOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::MatmulOp op, Adaptor a,
                       HLBuilder &hb) const override {
    Ref lhs = ref(a.getLhs()), rhs = ref(a.getRhs());
    ArrayRef<int64_t> ls = shape(a.getLhs()), rs = shape(a.getRhs()),
                      out = shape(op);
    int64_t k = ls.back();
    size_t lb = ls.size() > 2 ? ls.size() - 2 : 0;
    size_t rb = rs.size() > 2 ? rs.size() - 2 : 0;
    size_t batch = out.size() - (ls.size() >= 2) - (rs.size() >= 2);
    Ref f = hb.func("matmul", out, [&](ValueRange) { return hb.f32(0); });
    hb.update(f, {"k"}, {k}, [&](ValueRange v, ValueRange r) {
      SmallVector<Value, 4> li, ri;
      // Batch coordinates, broadcast from the right.
      for (size_t i = 0; i < lb; ++i)
        li.push_back(ls[i] == 1 ? hb.index(0) : v[batch - lb + i]);
      for (size_t i = 0; i < rb; ++i)
        ri.push_back(rs[i] == 1 ? hb.index(0) : v[batch - rb + i]);
      if (ls.size() >= 2)
        li.push_back(v[batch]);
      li.push_back(r[0]);
      ri.push_back(r[0]);
      if (rs.size() >= 2)
        ri.push_back(v.back());
      Value product = hb.mulf(hb.call(lhs, li), hb.call(rhs, ri));
      return hb.addf(hb.call(f, v), product);
    });
    return f;
  }
};

/// F.linear: out[..., j] = bias[j] + sum_k x[..., k] * w[j, k].
struct LinearLowering : NNLowering<nn::LinearOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::LinearOp op, Adaptor a,
                       HLBuilder &hb) const override {
    Ref x = ref(a.getInput()), w = ref(a.getWeight()), bias = ref(a.getBias());
    int64_t k = shape(a.getWeight())[1];
    Ref f = hb.func("linear", shape(op), [&](ValueRange v) {
      return bias ? hb.call(bias, {v.back()}) : hb.f32(0);
    });
    hb.update(f, {"k"}, {k}, [&](ValueRange v, ValueRange r) {
      SmallVector<Value, 4> xi(v.begin(), v.end());
      xi.back() = r[0];
      Value product = hb.mulf(hb.call(x, xi), hb.call(w, {v.back(), r[0]}));
      return hb.addf(hb.call(f, v), product);
    });
    return f;
  }
};

} // namespace

void nncc::populateLinearLowerings(RewritePatternSet &patterns,
                                   LoweringState &state) {
  patterns.add<MatmulLowering, LinearLowering>(patterns.getContext(), state);
}
