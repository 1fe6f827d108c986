//===- Builtins.cpp - the operators of the graph language -----------------===//
//
// Binds each operator's arguments, applies the language's defaults
// (docs/language.md) and builds the nn op. Shape rules are not here: they are
// the ops' own (dialects/nn/NNShapes.cpp).
//
//===----------------------------------------------------------------------===//

#include "compiler/frontend/BuiltinTable.h"
#include "dialects/nn/NNOps.h"

#include <cmath>
#include <limits>

using namespace nncc;
using namespace mlir;
using llvm::None;
using llvm::Optional;

//===----------------------------------------------------------------------===//
// The table
//===----------------------------------------------------------------------===//

namespace {
using Build = std::function<Optional<GenValue>(BuiltinCall &)>;

using Attrs = std::function<SmallVector<NamedAttribute, 2>(BuiltinCall &)>;

/// An elementwise op of the tensors `operands` (a number stands for a
/// tensor of that value, broadcast), then its parameters `params`, which
/// `attrs` reads. Given only numbers it gives a number, by the op's own
/// formula (`scale=1/sqrt(64)`).
template <typename OpTy>
Builtin elementwise(std::vector<llvm::StringRef> operands,
                    std::vector<llvm::StringRef> params = {},
                    Attrs attrs = nullptr) {
  std::vector<llvm::StringRef> names = operands;
  names.insert(names.end(), params.begin(), params.end());
  return {names, [=](BuiltinCall &c) -> Optional<GenValue> {
            SmallVector<Value, 3> values;
            SmallVector<double, 3> numbers;
            for (llvm::StringRef name : operands) {
              const BoundArg *arg =
                  c.has(name) ? &c.args.find(name)->second : nullptr;
              if (arg && arg->value.isNumber()) {
                numbers.push_back(arg->value.number());
                values.push_back(scalarTensor(c.builder, c.file.loc(arg->loc),
                                              numbers.back()));
              } else {
                values.push_back(c.tensor(name));
              }
            }
            SmallVector<NamedAttribute, 2> a;
            if (attrs)
              a = attrs(c);
            Optional<GenValue> result = c.build<OpTy>(values, a);
            if (!result || numbers.size() < operands.size())
              return result;
            Operation *op = result->tensor.getDefiningOp();
            double v = cast<nn::ElementwiseOp>(op).evaluate(numbers);
            op->erase();
            for (Value scalar : values)
              scalar.getDefiningOp()->erase();
            return GenValue::ofFloat(v);
          }};
}

/// The F64 parameters `names` of an elementwise op, with their defaults.
Attrs reals(std::vector<std::pair<llvm::StringRef, double>> names) {
  return [=](BuiltinCall &c) {
    SmallVector<NamedAttribute, 2> out;
    for (auto &[name, byDefault] : names)
      out.push_back(c.attr(name, c.real(name, byDefault)));
    return out;
  };
}

Builtin infix(char op) {
  return {{"a", "b"}, [op](BuiltinCall &c) -> Optional<GenValue> {
            const BoundArg *a =
                c.has("a") ? &c.args.find("a")->second : nullptr;
            const BoundArg *b =
                c.has("b") ? &c.args.find("b")->second : nullptr;
            if (!a || !b) {
              c.tensor(a ? "b" : "a"); // reports the missing argument
              return None;
            }
            return applyInfix(c.builder, c.file, op, a->value, b->value, c.at);
          }};
}

/// A pool's parameters: avg pools take count_include_pad too.
std::vector<llvm::StringRef> poolParams(bool isAvg) {
  std::vector<llvm::StringRef> params = {"x", "kernel", "stride", "padding",
                                         "ceil_mode"};
  if (isAvg)
    params.push_back("count_include_pad");
  return params;
}

/// A pool's flags: ceil_mode, and exclude_pad for count_include_pad=false.
void addPoolFlags(BuiltinCall &c, SmallVectorImpl<NamedAttribute> &attrs,
                  bool isAvg) {
  addFlag(c, attrs, "ceil_mode", c.boolean("ceil_mode", false));
  if (isAvg)
    addFlag(c, attrs, "exclude_pad", !c.boolean("count_include_pad", true));
}

/// max_pool2d, avg_pool2d: stride defaults to the kernel.
template <typename OpTy> Builtin pool() {
  bool isAvg = std::is_same<OpTy, nn::AvgPool2dOp>::value;
  return {poolParams(isAvg), [isAvg](BuiltinCall &c) {
            auto kernel = c.pair("kernel");
            SmallVector<NamedAttribute, 6> attrs = {
                c.attr("kernel", kernel),
                c.attr("stride", c.pair("stride", kernel)),
                c.attr("padding", c.pair("padding", {{0, 0}}))};
            addPoolFlags(c, attrs, isAvg);
            return c.build<OpTy>({c.tensor("x")}, attrs);
          }};
}

/// max_pool1d, avg_pool1d on [N, C, L]: the 2-D pool of a height-1 image,
/// between reshapes.
template <typename OpTy> Builtin pool1d() {
  bool isAvg = std::is_same<OpTy, nn::AvgPool2dOp>::value;
  return {poolParams(isAvg), [isAvg](BuiltinCall &c) -> Optional<GenValue> {
            Value x = c.tensor("x");
            int64_t kernel = c.integer("kernel");
            int64_t stride = c.integer("stride", kernel),
                    padding = c.integer("padding", 0);
            if (c.failed)
              return None;
            ArrayRef<int64_t> xs = shapeOf(x);
            if (xs.size() != 3) {
              c.error(c.at, "input must be 3-D [N, C, L], got a " +
                                std::to_string(xs.size()) + "-D tensor");
              return None;
            }
            Location loc = c.file.loc(c.at);
            Value image =
                nn::buildReshape(c.builder, loc, x, {xs[0], xs[1], 1, xs[2]});
            SmallVector<NamedAttribute, 6> attrs = {
                c.attr("kernel", ArrayRef<int64_t>{1, kernel}),
                c.attr("stride", ArrayRef<int64_t>{1, stride}),
                c.attr("padding", ArrayRef<int64_t>{0, padding})};
            addPoolFlags(c, attrs, isAvg);
            Optional<GenValue> pooled = c.build<OpTy>({image}, attrs);
            if (!pooled)
              return None;
            ArrayRef<int64_t> ps = shapeOf(pooled->tensor);
            Value out = nn::buildReshape(c.builder, loc, pooled->tensor,
                                         {ps[0], ps[1], ps[3]});
            return out ? Optional<GenValue>(GenValue::ofTensor(out)) : None;
          }};
}

/// adaptive_avg_pool2d, adaptive_max_pool2d: to `size`, an int or [h, w].
template <typename OpTy> Builtin adaptivePool() {
  return {{"x", "size"}, [](BuiltinCall &c) {
            return c.build<OpTy>({c.tensor("x")},
                                 {c.attr("size", c.pair("size"))});
          }};
}

/// A reduction's attributes: `first`, and keepdim (false by default).
SmallVector<NamedAttribute, 2> withKeepdim(BuiltinCall &c,
                                           NamedAttribute first) {
  SmallVector<NamedAttribute, 2> attrs = {first};
  addFlag(c, attrs, "keepdim", c.boolean("keepdim", false));
  return attrs;
}

/// sum, mean, amax, amin: over `axes` (one or a list).
template <typename OpTy> Builtin reduction() {
  return {{"x", "axes", "keepdim"}, [](BuiltinCall &c) {
            Value x = c.tensor("x");
            return c.build<OpTy>(
                {x}, withKeepdim(c, c.attr("axes", c.axes("axes", rankOf(x)))));
          }};
}

template <typename OpTy> Builtin softmaxLike() {
  return {{"x", "axis"}, [](BuiltinCall &c) {
            Value x = c.tensor("x");
            return c.build<OpTy>(
                {x}, {c.attr("axis", c.axis("axis", rankOf(x), -1))});
          }};
}

llvm::StringMap<Builtin> makeTable() {
  llvm::StringMap<Builtin> t;
  t["relu"] = elementwise<nn::ReluOp>({"x"});
  t["sigmoid"] = elementwise<nn::SigmoidOp>({"x"});
  t["tanh"] = elementwise<nn::TanhOp>({"x"});
  t["exp"] = elementwise<nn::ExpOp>({"x"});
  t["sqrt"] = elementwise<nn::SqrtOp>({"x"});
  t["rsqrt"] = elementwise<nn::RsqrtOp>({"x"});
  t["neg"] = elementwise<nn::NegOp>({"x"});
  t["abs"] = elementwise<nn::AbsOp>({"x"});
  t["erf"] = elementwise<nn::ErfOp>({"x"});
  t["silu"] = elementwise<nn::SiluOp>({"x"});
  t["mish"] = elementwise<nn::MishOp>({"x"});
  t["selu"] = elementwise<nn::SeluOp>({"x"});
  t["hardswish"] = elementwise<nn::HardswishOp>({"x"});
  t["hardsigmoid"] = elementwise<nn::HardsigmoidOp>({"x"});
  t["leaky_relu"] = elementwise<nn::LeakyReluOp>(
      {"x"}, {"negative_slope"}, reals({{"negative_slope", 0.01}}));
  t["elu"] = elementwise<nn::EluOp>({"x"}, {"alpha"}, reals({{"alpha", 1.0}}));
  t["softplus"] =
      elementwise<nn::SoftplusOp>({"x"}, {"beta", "threshold"},
                                  reals({{"beta", 1.0}, {"threshold", 20.0}}));
  t["gelu"] =
      elementwise<nn::GeluOp>({"x"}, {"approximate"}, [](BuiltinCall &c) {
        SmallVector<NamedAttribute, 2> out;
        if (c.choice("approximate", {"none", "tanh"}, "none") == "tanh")
          out.push_back(
              c.builder.getNamedAttr("tanh", c.builder.getUnitAttr()));
        return out;
      });
  t["pow"] = elementwise<nn::PowOp>({"x", "y"});
  t["minimum"] = elementwise<nn::MinimumOp>({"a", "b"});
  t["maximum"] = elementwise<nn::MaximumOp>({"a", "b"});
  t["eq"] = elementwise<nn::EqOp>({"a", "b"});
  t["ne"] = elementwise<nn::NeOp>({"a", "b"});
  t["lt"] = elementwise<nn::LtOp>({"a", "b"});
  t["le"] = elementwise<nn::LeOp>({"a", "b"});
  t["gt"] = elementwise<nn::GtOp>({"a", "b"});
  t["ge"] = elementwise<nn::GeOp>({"a", "b"});
  t["where"] = elementwise<nn::WhereOp>({"condition", "a", "b"});
  t["clamp"] = {{"x", "min", "max"}, [](BuiltinCall &c) {
                  SmallVector<NamedAttribute, 2> bounds;
                  for (StringRef bound : {"min", "max"})
                    if (c.has(bound))
                      bounds.push_back(c.attr(bound, c.real(bound)));
                  if (bounds.empty())
                    c.real("min"); // reports that a bound is missing
                  return c.build<nn::ClampOp>({c.tensor("x")}, bounds);
                }};
  t["hardtanh"] = {{"x", "min_val", "max_val"}, [](BuiltinCall &c) {
                     return c.build<nn::ClampOp>(
                         {c.tensor("x")},
                         {c.attr("min", c.real("min_val", -1.0)),
                          c.attr("max", c.real("max_val", 1.0))});
                   }};
  t["relu6"] = {{"x"}, [](BuiltinCall &c) {
                  return c.build<nn::ClampOp>(
                      {c.tensor("x")},
                      {c.attr("min", 0.0), c.attr("max", 6.0)});
                }};
  t["add"] = infix('+');
  t["sub"] = infix('-');
  t["mul"] = infix('*');
  t["div"] = infix('/');
  t["matmul"] = infix('@');

  t["conv2d"] = {
      {"x", "w", "b", "stride", "padding", "dilation", "groups"},
      [](BuiltinCall &c) {
        Value w = c.tensor("w");
        auto stride = c.pair("stride", {{1, 1}});
        auto dilation = c.pair("dilation", {{1, 1}});
        std::array<int64_t, 2> padding, extra;
        for (int i = 0; i < 2; ++i) {
          auto [before, after] =
              c.convPadding(rankOf(w) == 4 ? shapeOf(w)[2 + i] : 1, stride[i],
                            dilation[i], i);
          padding[i] = before;
          extra[i] = after - before;
        }
        return c.build<nn::Conv2dOp>(
            {c.padAfter(c.tensor("x"), extra), w, c.optionalTensor("b")},
            {c.attr("stride", stride), c.attr("padding", padding),
             c.attr("dilation", dilation),
             c.attr("groups", c.integer("groups", 1))});
      }};
  t["conv_transpose2d"] = {
      {"x", "w", "b", "stride", "padding", "output_padding", "groups",
       "dilation"},
      [](BuiltinCall &c) {
        return c.build<nn::ConvTranspose2dOp>(
            {c.tensor("x"), c.tensor("w"), c.optionalTensor("b")},
            {c.attr("stride", c.pair("stride", {{1, 1}})),
             c.attr("padding", c.pair("padding", {{0, 0}})),
             c.attr("output_padding", c.pair("output_padding", {{0, 0}})),
             c.attr("dilation", c.pair("dilation", {{1, 1}})),
             c.attr("groups", c.integer("groups", 1))});
      }};
  t["conv1d"] = {{"x", "w", "b", "stride", "padding", "dilation", "groups"},
                 [](BuiltinCall &c) {
                   Value w = c.tensor("w");
                   int64_t stride = c.integer("stride", 1),
                           dilation = c.integer("dilation", 1);
                   auto [padding, after] = c.convPadding(
                       rankOf(w) == 3 ? shapeOf(w)[2] : 1, stride, dilation);
                   return c.build<nn::Conv1dOp>(
                       {c.padAfter(c.tensor("x"), {after - padding}), w,
                        c.optionalTensor("b")},
                       {c.attr("stride", stride), c.attr("padding", padding),
                        c.attr("dilation", dilation),
                        c.attr("groups", c.integer("groups", 1))});
                 }};
  t["max_pool2d"] = pool<nn::MaxPool2dOp>();
  t["avg_pool2d"] = pool<nn::AvgPool2dOp>();
  t["max_pool1d"] = pool1d<nn::MaxPool2dOp>();
  t["avg_pool1d"] = pool1d<nn::AvgPool2dOp>();
  t["adaptive_avg_pool2d"] = adaptivePool<nn::AdaptiveAvgPool2dOp>();
  t["adaptive_max_pool2d"] = adaptivePool<nn::AdaptiveMaxPool2dOp>();
  t["global_max_pool2d"] = {{"x"}, [](BuiltinCall &c) {
                              return c.build<nn::AdaptiveMaxPool2dOp>(
                                  {c.tensor("x")},
                                  {c.attr("size", ArrayRef<int64_t>{1, 1})});
                            }};
  t["global_avg_pool2d"] = {{"x"}, [](BuiltinCall &c) {
                              return c.build<nn::GlobalAvgPool2dOp>(
                                  {c.tensor("x")}, {});
                            }};
  t["linear"] = {{"x", "w", "b"}, [](BuiltinCall &c) {
                   return c.build<nn::LinearOp>(
                       {c.tensor("x"), c.tensor("w"), c.optionalTensor("b")},
                       {});
                 }};
  t["softmax"] = softmaxLike<nn::SoftmaxOp>();
  t["log_softmax"] = softmaxLike<nn::LogSoftmaxOp>();
  t["sum"] = reduction<nn::SumOp>();
  t["mean"] = reduction<nn::MeanOp>();
  t["amax"] = reduction<nn::AmaxOp>();
  t["amin"] = reduction<nn::AminOp>();
  t["argmax"] = {
      {"x", "axis", "keepdim"}, [](BuiltinCall &c) {
        Value x = c.tensor("x");
        return c.build<nn::ArgmaxOp>(
            {x}, withKeepdim(c, c.attr("axis", c.axis("axis", rankOf(x)))));
      }};
  t["layer_norm"] = {{"x", "w", "b", "eps"}, [](BuiltinCall &c) {
                       return c.build<nn::LayerNormOp>(
                           {c.tensor("x"), c.tensor("w"), c.tensor("b")},
                           {c.attr("eps", c.real("eps", 1e-5))});
                     }};
  t["batch_norm"] = {{"x", "mean", "var", "w", "b", "eps"}, [](BuiltinCall &c) {
                       return c.build<nn::BatchNormOp>(
                           {c.tensor("x"), c.tensor("mean"), c.tensor("var"),
                            c.tensor("w"), c.tensor("b")},
                           {c.attr("eps", c.real("eps", 1e-5))});
                     }};

  addDataMovementBuiltins(t);

  t["sinusoidal_positions"] = {{"T", "D"}, [](BuiltinCall &c) {
                                 return c.build<nn::SinusoidalPositionsOp>(
                                     {}, {c.attr("length", c.integer("T")),
                                          c.attr("dim", c.integer("D"))});
                               }};
  t["attention"] = {
      {"q", "k", "v", "scale", "mask", "window", "causal"}, [](BuiltinCall &c) {
        Value q = c.tensor("q");
        int64_t d = q && rankOf(q) > 0 ? shapeOf(q).back() : 1;
        SmallVector<NamedAttribute, 3> attrs = {
            c.attr("scale", c.real("scale", 1 / std::sqrt((double)d))),
            c.attr("causal", c.boolean("causal", false))};
        if (c.has("window"))
          attrs.push_back(c.attr("window", c.integer("window")));
        return c.build<nn::AttentionOp>(
            {q, c.tensor("k"), c.tensor("v"), c.optionalTensor("mask")}, attrs);
      }};
  t["multi_head_attention"] = {
      {"x", "wq", "wk", "wv", "wo", "heads", "bq", "bk", "bv", "bo", "kv",
       "mask", "window", "causal"},
      [](BuiltinCall &c) {
        SmallVector<Value, 11> operands = {c.tensor("x"), c.tensor("wq"),
                                           c.tensor("wk"), c.tensor("wv"),
                                           c.tensor("wo")};
        SmallVector<int32_t, 11> segments(5, 1);
        for (llvm::StringRef name : {"bq", "bk", "bv", "bo", "kv", "mask"}) {
          operands.push_back(c.optionalTensor(name));
          segments.push_back(c.has(name));
        }
        SmallVector<NamedAttribute, 4> attrs = {
            c.attr("heads", c.integer("heads")),
            c.attr("causal", c.boolean("causal", false)),
            c.builder.getNamedAttr("operand_segment_sizes",
                                   c.builder.getI32VectorAttr(segments))};
        if (c.has("window"))
          attrs.push_back(c.attr("window", c.integer("window")));
        return c.build<nn::MultiHeadAttentionOp>(operands, attrs);
      }};
  return t;
}

const llvm::StringMap<Builtin> &table() {
  static const llvm::StringMap<Builtin> t = makeTable();
  return t;
}
} // namespace

const Builtin *nncc::lookupBuiltin(llvm::StringRef name) {
  auto it = table().find(name);
  return it == table().end() ? nullptr : &it->second;
}

std::vector<llvm::StringRef> nncc::builtinNames() {
  std::vector<llvm::StringRef> names;
  for (const auto &entry : table())
    names.push_back(entry.getKey());
  return names;
}
