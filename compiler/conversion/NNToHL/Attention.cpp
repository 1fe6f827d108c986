//===- Attention.cpp - attention and multi-head attention to hl -----------===//
//
// attention(q, k, v) = softmax(q k^T * scale, over visible keys) v, with a
// row that sees no key giving zeros. For each query i a key domain
// r in [0, R) names key j(i, r), valid(i, r) says whether it is visible:
//   full:    R = Tk,      j = r
//   window:  R = 2w + G (rounded up to 16), j = i - i mod G - w + r
//            (cost O(T w), not O(T^2)): the G query rows of an aligned
//            group visit the same keys, so the schedule loads each key once
//            for the group's rows; keys outside a row's own window are
//            hidden. Narrow windows (2w + 1 < 4G) use G = 1.
//   graph:   R = max out-degree, j = col[rowptr[i] + r], r < degree(i):
//            a mask known at compile time becomes CSR arrays, so the cost
//            follows the edges.
// A mask given at run time, and `causal`, only restrict `valid`.
//
// The stages (scores, row max, exponentials, row sum, weighted values,
// normalisation) are tagged `hl.attention` with the output func's name: the
// schedule computes them per block of query rows, so no T x T matrix is
// ever stored.
//
//===----------------------------------------------------------------------===//

#include "compiler/conversion/NNToHL/Lowering.h"

#include "mlir/Dialect/Arithmetic/IR/Arithmetic.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <limits>

using namespace mlir;
using namespace nncc;
using Ref = HLBuilder::Ref;

namespace {

/// Query rows of a window's aligned group: the rows of the attention
/// schedule's register block.
constexpr int64_t kRowGroup = 8;
/// A windowed key domain is rounded up to a multiple of this, which every
/// target's f32 vector divides: blocks of vectors then divide it, and the
/// last vector was computed whole anyway.
constexpr int64_t kKeyRounding = 16;

/// The keys a query row visits.
struct KeyDomain {
  int64_t extent;
  int64_t rowGroup; // rows that visit the same keys (aligned), or 1
  /// Key index for (i, r), possibly out of range when not valid.
  std::function<Value(HLBuilder &, Value i, Value r)> key;
  /// Whether (i, r) is a visible key, or null when all are.
  std::function<Value(HLBuilder &, Value i, Value r)> valid;
};

Value andAll(HLBuilder &hb, Value a, Value b) {
  if (!a)
    return b;
  if (!b)
    return a;
  return hb.builder().create<arith::AndIOp>(hb.location(), a, b);
}

Value cmp(HLBuilder &hb, arith::CmpIPredicate p, Value a, Value b) {
  return hb.builder().create<arith::CmpIOp>(hb.location(), p, a, b);
}

Value toIndex(HLBuilder &hb, Value f) {
  return hb.builder().create<arith::FPToSIOp>(hb.location(),
                                              hb.builder().getI32Type(), f);
}

/// Batch coordinates of an operand of shape `shape`, broadcast from the
/// right against the result's batch variables.
SmallVector<Value, 4> batchOf(HLBuilder &hb, ArrayRef<int64_t> shape,
                              ValueRange batchVars) {
  SmallVector<Value, 4> out;
  size_t nb = shape.size() - 2, offset = batchVars.size() - nb;
  for (size_t i = 0; i < nb; ++i)
    out.push_back(shape[i] == 1 ? hb.index(0) : batchVars[offset + i]);
  return out;
}

SmallVector<Value, 4> concat(ValueRange a, ValueRange b) {
  SmallVector<Value, 4> out(a.begin(), a.end());
  out.append(b.begin(), b.end());
  return out;
}

struct AttentionLowering : NNLowering<nn::AttentionOp> {
  using NNLowering::NNLowering;

  FailureOr<Ref> lower(nn::AttentionOp op, Adaptor a,
                       HLBuilder &hb) const override {
    ArrayRef<int64_t> qs = shape(a.getQuery()), ks = shape(a.getKey()),
                      vs = shape(a.getValue()), out = shape(op);
    size_t nb = out.size() - 2;
    int64_t tq = out[nb], tk = ks[ks.size() - 2], d = qs.back(), dv = vs.back();
    Ref q = ref(a.getQuery()), k = ref(a.getKey()), v = ref(a.getValue());
    SmallVector<int64_t, 4> batch(out.begin(), out.begin() + nb);
    KeyDomain keys = domain(op, a, hb, tq, tk);
    float inf = std::numeric_limits<float>::infinity();
    std::vector<Ref> stages;
    auto shapeWith = [&](std::initializer_list<int64_t> tail) {
      SmallVector<int64_t, 4> s(batch.begin(), batch.end());
      s.append(tail.begin(), tail.end());
      return s;
    };
    auto keyRead = [&](Value i, Value r) {
      return hb.clamp(keys.key(hb, i, r), 0, tk - 1);
    };
    auto visible = [&](ValueRange vars, Value r, Value value, float hidden) {
      Value ok = keys.valid ? keys.valid(hb, vars[nb], r) : Value();
      return ok ? hb.select(ok, value, hb.f32(hidden)) : value;
    };

    // The keys transposed, kT(b, c, j) = k(b, j, c), so that vectors of
    // scores along the keys read them contiguously.
    SmallVector<int64_t, 4> kts(ks.begin(), ks.end() - 2);
    kts.append({d, tk});
    Ref keysT = hb.func("keys_t", kts, [&](ValueRange vars) {
      size_t kb = kts.size() - 2;
      return hb.call(
          k, concat(vars.take_front(kb), ValueRange{vars[kb + 1], vars[kb]}));
    });

    // scores(b, i, r) = scale * sum_c q(b, i, c) kT(b, c, j(i, r))
    Ref scores = hb.func("scores", shapeWith({tq, keys.extent}),
                         [&](ValueRange) { return hb.f32(0); });
    hb.update(scores, {"c"}, {d}, [&](ValueRange vars, ValueRange c) {
      ValueRange b = vars.take_front(nb);
      Value qv =
          hb.call(q, concat(batchOf(hb, qs, b), ValueRange{vars[nb], c[0]}));
      Value kv = hb.call(
          keysT, concat(batchOf(hb, ks, b),
                        ValueRange{c[0], keyRead(vars[nb], vars[nb + 1])}));
      return hb.addf(hb.call(scores, vars), hb.mulf(qv, kv));
    });
    hb.scale(scores, op.getScaleAttr().getValueAsDouble());
    stages.push_back(scores);

    // rowMax(b, i) over visible keys.
    Ref rowMax = hb.func("row_max", shapeWith({tq}),
                         [&](ValueRange) { return hb.f32(-inf); });
    hb.update(rowMax, {"r"}, {keys.extent}, [&](ValueRange vars, ValueRange r) {
      Value s = hb.call(scores, concat(vars, r[0]));
      return hb.maxf(hb.call(rowMax, vars), visible(vars, r[0], s, -inf));
    });
    stages.push_back(rowMax);

    // weights(b, i, r) = exp(score - max), 0 for hidden keys.
    Ref weights =
        hb.func("weights", shapeWith({tq, keys.extent}), [&](ValueRange vars) {
          Value s = hb.call(scores, vars);
          Value m = hb.call(rowMax, vars.drop_back());
          Value e = hb.unary<math::ExpOp>(hb.subf(s, m));
          return visible(vars.drop_back(), vars.back(), e, 0.0f);
        });
    stages.push_back(weights);

    Ref rowSum = hb.func("row_sum", shapeWith({tq}),
                         [&](ValueRange) { return hb.f32(0); });
    hb.update(rowSum, {"r"}, {keys.extent}, [&](ValueRange vars, ValueRange r) {
      return hb.addf(hb.call(rowSum, vars),
                     hb.call(weights, concat(vars, r[0])));
    });
    stages.push_back(rowSum);

    // weighted(b, i, c) = sum_r weights(b, i, r) v(b, j(i, r), c)
    Ref weighted = hb.func("weighted", shapeWith({tq, dv}),
                           [&](ValueRange) { return hb.f32(0); });
    hb.update(
        weighted, {"r"}, {keys.extent}, [&](ValueRange vars, ValueRange r) {
          ValueRange b = vars.take_front(nb);
          Value w = hb.call(weights, concat(vars.drop_back(), r[0]));
          Value vv = hb.call(
              v, concat(batchOf(hb, vs, b),
                        ValueRange{keyRead(vars[nb], r[0]), vars.back()}));
          return hb.addf(hb.call(weighted, vars), hb.mulf(w, vv));
        });
    stages.push_back(weighted);

    Ref result = hb.func("attention", out, [&](ValueRange vars) {
      Value sum = hb.call(rowSum, vars.drop_back());
      Value seen = hb.builder().create<arith::CmpFOp>(
          hb.location(), arith::CmpFPredicate::OGT, sum, hb.f32(0));
      return hb.select(seen, hb.divf(hb.call(weighted, vars), sum), hb.f32(0));
    });
    for (Ref stage : stages)
      state.symbols.lookup(stage.getValue())
          ->setAttr(hl::HLDialect::kAttention, result.getAttr());
    Operation *resultOp = state.symbols.lookup(result.getValue());
    resultOp->setAttr(hl::HLDialect::kAttention, result.getAttr());
    if (keys.rowGroup > 1)
      resultOp->setAttr(hl::HLDialect::kRowGroup,
                        hb.builder().getI64IntegerAttr(keys.rowGroup));
    return result;
  }

  /// The key domain of `op`: graph (a constant mask), window, or full.
  KeyDomain domain(nn::AttentionOp op, Adaptor a, HLBuilder &hb, int64_t tq,
                   int64_t tk) const {
    auto windowAttr = op.getWindowAttr();
    int64_t w = windowAttr ? windowAttr.getInt() : -1;
    bool causal = op.getCausal();
    Ref mask = ref(a.getMask());
    auto constant = op.getMask() ? op.getMask().getDefiningOp<nn::ConstantOp>()
                                 : nn::ConstantOp();
    // A window's domain: `reach` keys either side, visited per aligned
    // group of `group` query rows.
    int64_t reach = std::min<int64_t>(w, std::max(tq, tk));
    int64_t group =
        !constant && 2 * reach + 1 >= 4 * kRowGroup && tq >= kRowGroup
            ? kRowGroup
            : 1;
    // Restrictions on a key index other than the domain's own (a grouped
    // window's domain holds keys outside each row's own window).
    auto restrict = [=](HLBuilder &hb, Value i, Value j, bool checkMask) {
      Value ok;
      if (causal)
        ok = cmp(hb, arith::CmpIPredicate::sle, j, i);
      if (w >= 0 && (constant || group > 1)) {
        Value lo = hb.add(i, -w), hi = hb.add(i, w);
        ok = andAll(hb, ok, cmp(hb, arith::CmpIPredicate::sge, j, lo));
        ok = andAll(hb, ok, cmp(hb, arith::CmpIPredicate::sle, j, hi));
      }
      if (checkMask && mask) {
        Value m = hb.call(mask, {i, hb.clamp(j, 0, tk - 1)});
        ok =
            andAll(hb, ok,
                   hb.builder().create<arith::CmpFOp>(
                       hb.location(), arith::CmpFPredicate::ONE, m, hb.f32(0)));
      }
      return ok;
    };

    if (constant) {
      // Compressed rows of the mask: the cost follows its edges.
      auto values = constant.getValue().cast<DenseElementsAttr>();
      std::vector<float> rowStart(tq + 1, 0), column, degree(tq, 0);
      int64_t i = 0, j = 0, widest = 1;
      for (APFloat x : values.getValues<APFloat>()) {
        if (!x.isZero()) {
          column.push_back((float)j);
          degree[i] += 1;
        }
        if (++j == tk) {
          rowStart[i + 1] = (float)column.size();
          widest = std::max<int64_t>(widest, (int64_t)degree[i]);
          j = 0;
          ++i;
        }
      }
      if (column.empty())
        column.push_back(0);
      auto vec = [&](const std::vector<float> &data) {
        auto type = RankedTensorType::get({(int64_t)data.size()},
                                          hb.builder().getF32Type());
        return DenseElementsAttr::get(type, llvm::makeArrayRef(data));
      };
      Ref starts = hb.buffer("mask_rows", vec(rowStart));
      Ref columns = hb.buffer("mask_columns", vec(column));
      Ref degrees = hb.buffer("mask_degrees", vec(degree));
      int64_t edges = column.size();
      auto key = [=](HLBuilder &hb, Value i, Value r) {
        Value at = hb.add(toIndex(hb, hb.call(starts, {i})), r);
        return toIndex(hb, hb.call(columns, {hb.clamp(at, 0, edges - 1)}));
      };
      return {widest, 1, key, [=](HLBuilder &hb, Value i, Value r) {
                Value inRow = cmp(hb, arith::CmpIPredicate::slt, r,
                                  toIndex(hb, hb.call(degrees, {i})));
                return andAll(hb, inRow, restrict(hb, i, key(hb, i, r), false));
              }};
    }
    if (w >= 0) {
      int64_t extent = 2 * reach + group;
      if (group > 1)
        extent = (extent + kKeyRounding - 1) / kKeyRounding * kKeyRounding;
      auto key = [=](HLBuilder &hb, Value i, Value r) {
        Value start = group > 1 ? hb.mul(hb.floorDiv(i, group), group) : i;
        return hb.add(hb.add(start, -reach), r);
      };
      return {extent, group, key, [=](HLBuilder &hb, Value i, Value r) {
                Value j = key(hb, i, r);
                Value ok = andAll(
                    hb, cmp(hb, arith::CmpIPredicate::sge, j, hb.index(0)),
                    cmp(hb, arith::CmpIPredicate::slt, j, hb.index(tk)));
                return andAll(hb, ok, restrict(hb, i, j, true));
              }};
    }
    auto key = [](HLBuilder &, Value, Value r) { return r; };
    if (!causal && !mask)
      return {tk, 1, key, nullptr};
    return {tk, 1, key, [=](HLBuilder &hb, Value i, Value r) {
              return restrict(hb, i, r, true);
            }};
  }
};

/// multi_head_attention as nn ops: projections, a split into heads,
/// attention with scale 1/sqrt(D/heads), the heads merged, and the output
/// projection. The ops it makes are lowered by their own patterns.
struct MultiHeadAttentionLowering
    : OpConversionPattern<nn::MultiHeadAttentionOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::MultiHeadAttentionOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = op.getInput(), kv = op.getKv() ? op.getKv() : op.getInput();
    ArrayRef<int64_t> xs = x.getType().cast<ShapedType>().getShape(),
                      kvs = kv.getType().cast<ShapedType>().getShape();
    int64_t heads = op.getHeadsAttr().getInt(), dm = xs.back(), dh = dm / heads;
    bool batched = xs.size() == 3;
    // Projections by bound weights read them transposed (-nn-linear-to-matmul
    // has run before the heads exist).
    auto linear = [&](Value in, Value w, Value b) {
      if (w.getDefiningOp<nn::ConstantOp>())
        return nn::buildLinearAsMatmul(rewriter, loc, in, w, b);
      SmallVector<Value, 3> operands = {in, w};
      if (b)
        operands.push_back(b);
      return nn::buildChecked<nn::LinearOp>(rewriter, loc, operands, {});
    };
    auto shapeAttr = [&](ArrayRef<int64_t> s) {
      return rewriter.getNamedAttr("shape", rewriter.getI64ArrayAttr(s));
    };
    // [.., T, D] -> [.., heads, T, dh]
    auto split = [&](Value t, int64_t len) {
      SmallVector<int64_t, 4> s, perm;
      if (batched)
        s.push_back(xs[0]);
      s.append({len, heads, dh});
      Value r = nn::buildChecked<nn::ReshapeOp>(rewriter, loc, t, shapeAttr(s));
      perm = batched ? SmallVector<int64_t, 4>{0, 2, 1, 3}
                     : SmallVector<int64_t, 4>{1, 0, 2};
      return nn::buildChecked<nn::PermuteOp>(
          rewriter, loc, r,
          rewriter.getNamedAttr("dims", rewriter.getI64ArrayAttr(perm)));
    };
    Value q = split(linear(x, op.getWq(), op.getBq()), xs[xs.size() - 2]);
    Value k = split(linear(kv, op.getWk(), op.getBk()), kvs[kvs.size() - 2]);
    Value v = split(linear(kv, op.getWv(), op.getBv()), kvs[kvs.size() - 2]);
    SmallVector<NamedAttribute, 3> attrs = {
        rewriter.getNamedAttr(
            "scale", rewriter.getF64FloatAttr(1.0 / std::sqrt((double)dh))),
        rewriter.getNamedAttr("causal", op.getCausalAttr())};
    if (auto w = op.getWindowAttr())
      attrs.push_back(rewriter.getNamedAttr("window", w));
    SmallVector<Value, 4> operands = {q, k, v};
    if (op.getMask())
      operands.push_back(op.getMask());
    Value o = nn::buildChecked<nn::AttentionOp>(rewriter, loc, operands, attrs);
    SmallVector<int64_t, 4> perm = batched ? SmallVector<int64_t, 4>{0, 2, 1, 3}
                                           : SmallVector<int64_t, 4>{1, 0, 2};
    Value merged = nn::buildChecked<nn::PermuteOp>(
        rewriter, loc, o,
        rewriter.getNamedAttr("dims", rewriter.getI64ArrayAttr(perm)));
    merged =
        nn::buildChecked<nn::ReshapeOp>(rewriter, loc, merged, shapeAttr(xs));
    rewriter.replaceOp(op, linear(merged, op.getWo(), op.getBo()));
    return success();
  }
};

} // namespace

void nncc::populateAttentionLowerings(RewritePatternSet &patterns,
                                      LoweringState &state) {
  patterns.add<AttentionLowering>(patterns.getContext(), state);
  patterns.add<MultiHeadAttentionLowering>(patterns.getContext());
}
