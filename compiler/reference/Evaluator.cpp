//===- Evaluator.cpp - a float64 reference evaluator of nn ----------------===//

#include "compiler/reference/EvaluatorOps.h"

#include "mlir/Dialect/StandardOps/IR/Ops.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <functional>
#include <limits>
#include <numeric>

using namespace mlir;
using namespace nncc;
using namespace nncc::reference;

Tensor::Tensor(std::vector<int64_t> s) : shape(std::move(s)) {
  data.assign(size(), 0.0);
}

int64_t Tensor::size() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

namespace {

/// `x` reduced over `axes` to `shape` (which keeps them as 1 or drops
/// them): fold(values along the axes, in row-major order) per result.
Tensor
reduceAxes(const Tensor &x, const std::vector<int64_t> &axes,
           const std::vector<int64_t> &shape,
           const std::function<double(const std::vector<double> &)> &fold) {
  std::vector<std::vector<double>> groups(Tensor(shape).size());
  std::vector<int64_t> outStrides = strides(shape);
  bool keepdim = shape.size() == x.shape.size();
  forEach(x.shape, [&](const std::vector<int64_t> &idx, int64_t flat) {
    int64_t out = 0;
    for (size_t d = 0, k = 0; d < idx.size(); ++d) {
      bool reduced = std::count(axes.begin(), axes.end(), (int64_t)d);
      if (!reduced)
        out += idx[d] * outStrides[k];
      k += !reduced || keepdim;
    }
    groups[out].push_back(x.data[flat]);
  });
  Tensor t(shape);
  for (size_t i = 0; i < groups.size(); ++i)
    t.data[i] = fold(groups[i]);
  return t;
}

/// torch.amax/amin: NaN if any value is.
double extreme(const std::vector<double> &v, bool largest) {
  double m = v[0];
  for (double e : v) {
    if (std::isnan(e))
      return e;
    m = largest ? std::max(m, e) : std::min(m, e);
  }
  return m;
}

/// torch.argmax: the first maximum, a NaN counting as the largest.
double argmax(const std::vector<double> &v) {
  size_t best = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    if (std::isnan(v[best]))
      break;
    if (std::isnan(v[i]) || v[i] > v[best])
      best = i;
  }
  return best;
}

/// The element of `t` that broadcasts to `idx` of a larger result.
double broadcastAt(const Tensor &t, const std::vector<int64_t> &idx) {
  std::vector<int64_t> st = strides(t.shape);
  size_t offset = idx.size() - t.shape.size();
  int64_t flat = 0;
  for (size_t i = 0; i < t.shape.size(); ++i)
    if (t.shape[i] != 1)
      flat += idx[offset + i] * st[i];
  return t.data[flat];
}

/// An elementwise op's formula over its operands broadcast to `shape`.
Tensor elementwise(const std::vector<const Tensor *> &operands,
                   std::vector<int64_t> shape, nn::ElementwiseOp op) {
  Tensor out(shape);
  std::vector<double> element(operands.size());
  forEach(shape, [&](const std::vector<int64_t> &idx, int64_t flat) {
    for (size_t i = 0; i < operands.size(); ++i)
      element[i] = broadcastAt(*operands[i], idx);
    out.data[flat] = op.evaluate(element);
  });
  return out;
}

/// torch.matmul, including 1-D operands and batch broadcasting.
Tensor matmul(const Tensor &a, const Tensor &b, std::vector<int64_t> shape) {
  Tensor a2 = a, b2 = b;
  if (a.shape.size() == 1)
    a2.shape = {1, a.shape[0]};
  if (b.shape.size() == 1)
    b2.shape = {b.shape[0], 1};
  int64_t m = a2.shape[a2.shape.size() - 2], k = a2.shape.back(),
          n = b2.shape.back();
  std::vector<int64_t> full(shape.begin(), shape.end());
  size_t batchRank =
      shape.size() - (a.shape.size() >= 2) - (b.shape.size() >= 2);
  full.resize(batchRank);
  full.push_back(m);
  full.push_back(n);
  Tensor out(full);
  std::vector<int64_t> as = strides(a2.shape), bs = strides(b2.shape);
  forEach(full, [&](const std::vector<int64_t> &idx, int64_t flat) {
    auto offset = [&](const Tensor &t, const std::vector<int64_t> &st) {
      int64_t o = 0;
      size_t tb = t.shape.size() - 2;
      for (size_t i = 0; i < tb; ++i)
        if (t.shape[i] != 1)
          o += idx[batchRank - tb + i] * st[i];
      return o;
    };
    int64_t ao = offset(a2, as), bo = offset(b2, bs);
    int64_t i = idx[batchRank], j = idx[batchRank + 1];
    double sum = 0;
    for (int64_t kk = 0; kk < k; ++kk)
      sum += a2.data[ao + i * k + kk] * b2.data[bo + kk * n + j];
    out.data[flat] = sum;
  });
  out.shape = shape;
  return out;
}

Tensor linear(const Tensor &x, const Tensor &w, const Tensor *b,
              std::vector<int64_t> shape) {
  Tensor out(shape);
  int64_t in = w.shape[1], outF = w.shape[0], rows = x.size() / in;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < outF; ++j) {
      double sum = b ? b->data[j] : 0.0;
      for (int64_t k = 0; k < in; ++k)
        sum += x.data[r * in + k] * w.data[j * in + k];
      out.data[r * outF + j] = sum;
    }
  return out;
}

/// Applies fn to every 1-D slice of `x` along `axis`.
Tensor alongAxis(const Tensor &x, int64_t axis,
                 const std::function<void(std::vector<double> &)> &fn) {
  Tensor out = x;
  std::vector<int64_t> st = strides(x.shape);
  std::vector<int64_t> outer = x.shape;
  outer[axis] = 1;
  forEach(outer, [&](const std::vector<int64_t> &idx, int64_t) {
    int64_t base = 0;
    for (size_t i = 0; i < idx.size(); ++i)
      base += idx[i] * st[i];
    std::vector<double> slice(x.shape[axis]);
    for (int64_t j = 0; j < x.shape[axis]; ++j)
      slice[j] = x.data[base + j * st[axis]];
    fn(slice);
    for (int64_t j = 0; j < x.shape[axis]; ++j)
      out.data[base + j * st[axis]] = slice[j];
  });
  return out;
}

void softmaxSlice(std::vector<double> &v, bool isLog) {
  double m = -std::numeric_limits<double>::infinity(), sum = 0;
  for (double x : v)
    m = maxKeepingNaN(m, x);
  for (double x : v)
    sum += std::exp(x - m);
  for (double &x : v)
    x = isLog ? x - m - std::log(sum) : std::exp(x - m) / sum;
}

/// softmax(q k^T * scale, masked) v over the last two dimensions; a query
/// that sees no key gets zeros.
Tensor attention(const Tensor &q, const Tensor &k, const Tensor &v,
                 const Tensor *mask, double scale, int64_t window, bool causal,
                 std::vector<int64_t> shape) {
  Tensor out(shape);
  int64_t tq = q.shape[q.shape.size() - 2], d = q.shape.back();
  int64_t tk = k.shape[k.shape.size() - 2], dv = v.shape.back();
  std::vector<int64_t> batch(shape.begin(), shape.end() - 2);
  auto base = [&](const Tensor &t, const std::vector<int64_t> &idx) {
    std::vector<int64_t> st = strides(t.shape);
    size_t tb = t.shape.size() - 2, offset = batch.size() - tb;
    int64_t o = 0;
    for (size_t i = 0; i < tb; ++i)
      if (t.shape[i] != 1)
        o += idx[offset + i] * st[i];
    return o;
  };
  forEach(batch, [&](const std::vector<int64_t> &idx, int64_t flat) {
    int64_t qb = base(q, idx), kb = base(k, idx), vb = base(v, idx);
    for (int64_t i = 0; i < tq; ++i) {
      std::vector<double> scores;
      std::vector<int64_t> keys;
      for (int64_t j = 0; j < tk; ++j) {
        if ((mask && mask->data[i * tk + j] == 0) || (causal && j > i) ||
            (window >= 0 && std::abs(i - j) > window))
          continue;
        double s = 0;
        for (int64_t c = 0; c < d; ++c)
          s += q.data[qb + i * d + c] * k.data[kb + j * d + c];
        scores.push_back(s * scale);
        keys.push_back(j);
      }
      double *row = &out.data[(flat * tq + i) * dv];
      if (scores.empty())
        continue; // zeros, not NaN
      softmaxSlice(scores, false);
      for (size_t n = 0; n < keys.size(); ++n)
        for (int64_t c = 0; c < dv; ++c)
          row[c] += scores[n] * v.data[vb + keys[n] * dv + c];
    }
  });
  return out;
}

Tensor multiHeadAttention(nn::MultiHeadAttentionOp op,
                          const std::function<const Tensor *(Value)> &get) {
  const Tensor &x = *get(op.getInput());
  const Tensor &kvIn = op.getKv() ? *get(op.getKv()) : x;
  int64_t heads = op.getHeadsAttr().getInt(), D = x.shape.back();
  int64_t dh = D / heads;
  auto project = [&](const Tensor &in, Value w, Value b) {
    std::vector<int64_t> s = in.shape;
    return linear(in, *get(w), b ? get(b) : nullptr, s);
  };
  Tensor q = project(x, op.getWq(), op.getBq());
  Tensor k = project(kvIn, op.getWk(), op.getBk());
  Tensor v = project(kvIn, op.getWv(), op.getBv());
  bool batched = x.shape.size() == 3;
  int64_t B = batched ? x.shape[0] : 1, T = x.shape[x.shape.size() - 2],
          Tk = kvIn.shape[kvIn.shape.size() - 2];
  // [B, T, H, dh] -> [B, H, T, dh]
  auto split = [&](const Tensor &t, int64_t len) {
    Tensor r({B, heads, len, dh});
    for (int64_t b = 0; b < B; ++b)
      for (int64_t t2 = 0; t2 < len; ++t2)
        for (int64_t h = 0; h < heads; ++h)
          for (int64_t c = 0; c < dh; ++c)
            r.data[((b * heads + h) * len + t2) * dh + c] =
                t.data[(b * len + t2) * D + h * dh + c];
    return r;
  };
  Tensor qh = split(q, T), kh = split(k, Tk), vh = split(v, Tk);
  auto window = op.getWindowAttr();
  Tensor o =
      attention(qh, kh, vh, op.getMask() ? get(op.getMask()) : nullptr,
                1.0 / std::sqrt((double)dh), window ? window.getInt() : -1,
                op.getCausal(), {B, heads, T, dh});
  Tensor merged({B, T, D});
  for (int64_t b = 0; b < B; ++b)
    for (int64_t h = 0; h < heads; ++h)
      for (int64_t t2 = 0; t2 < T; ++t2)
        for (int64_t c = 0; c < dh; ++c)
          merged.data[(b * T + t2) * D + h * dh + c] =
              o.data[((b * heads + h) * T + t2) * dh + c];
  merged.shape = x.shape;
  return project(merged, op.getWo(), op.getBo());
}

} // namespace

FailureOr<std::vector<Tensor>> nncc::evaluate(FuncOp func,
                                              const std::vector<Tensor> &args) {
  llvm::DenseMap<Value, Tensor> values;
  for (auto it : llvm::enumerate(func.getArguments()))
    values[it.value()] = args[it.index()];
  auto get = [&](Value v) -> const Tensor * {
    if (!v)
      return nullptr;
    return &values.find(v)->second;
  };
  for (Operation &op : func.getBody().front()) {
    if (auto ret = dyn_cast<ReturnOp>(op)) {
      std::vector<Tensor> out;
      for (Value v : ret.getOperands())
        out.push_back(*get(v));
      return out;
    }
    std::vector<int64_t> shape = shapeOf(op.getResult(0));
    bool reported = false; // an error of the op's own, not "unsupported"
    auto x = [&]() -> const Tensor & { return *get(op.getOperand(0)); };
    auto y = [&]() -> const Tensor & { return *get(op.getOperand(1)); };
    Optional<Tensor> result =
        llvm::TypeSwitch<Operation *, Optional<Tensor>>(&op)
            .Case([&](nn::ConstantOp c) {
              Tensor t(shape);
              auto values = c.getValue().getValues<APFloat>();
              int64_t i = 0;
              for (APFloat v : values)
                t.data[i++] = v.convertToDouble();
              return t;
            })
            .Case([&](nn::SinusoidalPositionsOp) {
              Tensor t(shape);
              for (int64_t p = 0; p < shape[0]; ++p)
                for (int64_t j = 0; j < shape[1]; ++j) {
                  double angle =
                      p / std::pow(10000.0, (double)(2 * (j / 2)) / shape[1]);
                  t.data[p * shape[1] + j] =
                      j % 2 ? std::cos(angle) : std::sin(angle);
                }
              return t;
            })
            .Case([&](nn::ElementwiseOp e) {
              std::vector<const Tensor *> operands;
              for (Value v : op.getOperands())
                operands.push_back(get(v));
              return elementwise(operands, shape, e);
            })
            .Case([&](nn::MatmulOp) { return matmul(x(), y(), shape); })
            .Case([&](nn::LinearOp l) {
              return linear(x(), y(), get(l.getBias()), shape);
            })
            .Case([&](nn::ConvTranspose2dOp c) {
              return convTranspose2d(c, x(), y(), get(c.getBias()));
            })
            .Case([&](nn::Conv1dOp c) {
              return conv1d(c, x(), y(), get(c.getBias()));
            })
            .Case([&](nn::Conv2dOp c) {
              return conv2d(c, x(), y(), get(c.getBias()));
            })
            .Case([&](nn::MaxPool2dOp p) { return maxPool(p, x()); })
            .Case([&](nn::AvgPool2dOp p) { return avgPool(p, x()); })
            .Case([&](nn::AdaptiveAvgPool2dOp) {
              return adaptivePool(x(), shape, false);
            })
            .Case([&](nn::AdaptiveMaxPool2dOp) {
              return adaptivePool(x(), shape, true);
            })
            .Case(
                [&](nn::GlobalAvgPool2dOp g) { return globalAvgPool(g, x()); })
            .Case([&](nn::SumOp r) {
              return reduceAxes(x(), ints(r.getAxes()), shape,
                                [](const std::vector<double> &v) {
                                  return std::accumulate(v.begin(), v.end(),
                                                         0.0);
                                });
            })
            .Case([&](nn::MeanOp r) {
              return reduceAxes(
                  x(), ints(r.getAxes()), shape,
                  [](const std::vector<double> &v) {
                    return std::accumulate(v.begin(), v.end(), 0.0) / v.size();
                  });
            })
            .Case([&](nn::AmaxOp r) {
              return reduceAxes(x(), ints(r.getAxes()), shape,
                                [](const std::vector<double> &v) {
                                  return extreme(v, true);
                                });
            })
            .Case([&](nn::AminOp r) {
              return reduceAxes(x(), ints(r.getAxes()), shape,
                                [](const std::vector<double> &v) {
                                  return extreme(v, false);
                                });
            })
            .Case([&](nn::ArgmaxOp r) {
              return reduceAxes(x(), {(int64_t)r.getAxis()}, shape, argmax);
            })
            .Case([&](nn::SoftmaxOp s) {
              return alongAxis(
                  x(), s.getAxisAttr().getInt(),
                  [](std::vector<double> &v) { softmaxSlice(v, false); });
            })
            .Case([&](nn::LogSoftmaxOp s) {
              return alongAxis(
                  x(), s.getAxisAttr().getInt(),
                  [](std::vector<double> &v) { softmaxSlice(v, true); });
            })
            .Case([&](nn::LayerNormOp l) {
              double eps = l.getEpsAttr().getValueAsDouble();
              const Tensor &w = *get(l.getWeight()), &b = *get(l.getBias());
              return alongAxis(
                  x(), shape.size() - 1, [&](std::vector<double> &v) {
                    double mean = 0, var = 0;
                    for (double e : v)
                      mean += e;
                    mean /= v.size();
                    for (double e : v)
                      var += (e - mean) * (e - mean);
                    var /= v.size();
                    for (size_t i = 0; i < v.size(); ++i)
                      v[i] = (v[i] - mean) / std::sqrt(var + eps) * w.data[i] +
                             b.data[i];
                  });
            })
            .Case([&](nn::BatchNormOp bn) {
              double eps = bn.getEpsAttr().getValueAsDouble();
              const Tensor &mean = *get(bn.getMean()), &var = *get(bn.getVar()),
                           &w = *get(bn.getWeight()), &b = *get(bn.getBias());
              Tensor t(shape);
              forEach(shape, [&](const std::vector<int64_t> &idx,
                                 int64_t flat) {
                int64_t c = idx[1];
                t.data[flat] = (x().data[flat] - mean.data[c]) /
                                   std::sqrt(var.data[c] + eps) * w.data[c] +
                               b.data[c];
              });
              return t;
            })
            .Case<nn::ReshapeOp, nn::FlattenOp>([&](Operation *) {
              Tensor t = x();
              t.shape = shape;
              return t;
            })
            .Case([&](nn::TransposeOp t) {
              std::vector<int64_t> perm(shape.size());
              for (size_t i = 0; i < perm.size(); ++i)
                perm[i] = i;
              std::swap(perm[t.getDim0Attr().getInt()],
                        perm[t.getDim1Attr().getInt()]);
              return permute(x(), perm, shape);
            })
            .Case([&](nn::PermuteOp p) {
              return permute(x(), ints(p.getDims()), shape);
            })
            .Case([&](nn::ConcatOp c) {
              int64_t axis = c.getAxisAttr().getInt();
              Tensor t(shape);
              forEach(shape,
                      [&](const std::vector<int64_t> &idx, int64_t flat) {
                        std::vector<int64_t> at = idx;
                        for (Value in : c.getInputs()) {
                          const Tensor &src = *get(in);
                          if (at[axis] < src.shape[axis]) {
                            std::vector<int64_t> st = strides(src.shape);
                            int64_t off = 0;
                            for (size_t i = 0; i < at.size(); ++i)
                              off += at[i] * st[i];
                            t.data[flat] = src.data[off];
                            return;
                          }
                          at[axis] -= src.shape[axis];
                        }
                      });
              return t;
            })
            .Case(
                [&](nn::InterpolateOp i) { return interpolate(i, x(), shape); })
            .Case([&](nn::PadOp p) {
              std::vector<int64_t> pads = ints(p.getPads());
              const Tensor &in = x();
              std::vector<int64_t> st = strides(in.shape);
              std::string mode = p.getMode().str();
              Tensor t(shape);
              forEach(shape,
                      [&](const std::vector<int64_t> &idx, int64_t flat) {
                        int64_t off = 0;
                        bool outside = false;
                        for (size_t d = 0; d < idx.size(); ++d) {
                          int64_t n = in.shape[d], i = idx[d] - pads[2 * d];
                          if (mode == "replicate")
                            i = std::min(std::max<int64_t>(i, 0), n - 1);
                          else if (mode == "reflect")
                            i = i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
                          outside |= i < 0 || i >= n;
                          off += i * st[d];
                        }
                        t.data[flat] = outside ? p.getValue().convertToDouble()
                                               : in.data[off];
                      });
              return t;
            })
            .Case([&](nn::SliceOp s) {
              int64_t axis = s.getAxisAttr().getInt(),
                      start = s.getStartAttr().getInt(), step = s.getStep();
              Tensor t(shape);
              std::vector<int64_t> st = strides(x().shape);
              forEach(shape, [&](const std::vector<int64_t> &idx,
                                 int64_t flat) {
                int64_t off = 0;
                for (size_t i = 0; i < idx.size(); ++i)
                  off += (i == (size_t)axis ? idx[i] * step + start : idx[i]) *
                         st[i];
                t.data[flat] = x().data[off];
              });
              return t;
            })
            .Case([&](nn::EmbeddingOp e) -> Optional<Tensor> {
              const Tensor &w = y();
              int64_t rows = w.shape[0], dim = w.shape[1];
              Tensor t(shape);
              for (int64_t i = 0; i < x().size(); ++i) {
                double row = x().data[i];
                if (!(row >= 0 && row < rows)) {
                  reported = true;
                  e.emitError("embedding: index ")
                      << row << " is outside [0, " << rows << ")";
                  return llvm::None;
                }
                std::copy_n(w.data.begin() + (int64_t)row * dim, dim,
                            t.data.begin() + i * dim);
              }
              return t;
            })
            .Case([&](nn::AttentionOp a) {
              auto window = a.getWindowAttr();
              return attention(
                  *get(a.getQuery()), *get(a.getKey()), *get(a.getValue()),
                  get(a.getMask()), a.getScaleAttr().getValueAsDouble(),
                  window ? window.getInt() : -1, a.getCausal(), shape);
            })
            .Case([&](nn::MultiHeadAttentionOp m) {
              return multiHeadAttention(m, get);
            })
            .Default([&](Operation *) { return llvm::None; });
    if (!result) {
      if (!reported)
        op.emitError("the reference evaluator does not support ")
            << op.getName();
      return failure();
    }
    values[op.getResult(0)] = std::move(*result);
  }
  return failure();
}
