//===- Builtins.cpp - the operators of the graph language -----------------===//
//
// Binds each operator's arguments, applies the language's defaults
// (LANGUAGE.md §5) and builds the nn op. Shape rules are not here: they are
// the ops' own (dialects/nn/NNShapes.cpp).
//
//===----------------------------------------------------------------------===//

#include "compiler/frontend/Builtins.h"
#include "dialects/nn/NNOps.h"

#include <cmath>
#include <limits>

using namespace nncc;
using namespace mlir;
using llvm::None;
using llvm::Optional;

void BuiltinCall::error(SourceLoc where, const llvm::Twine &message) {
  if (!failed)
    emitError(file.loc(where)) << op << ": " << message;
  failed = true;
}

const BoundArg *BuiltinCall::get(llvm::StringRef name, bool required) {
  auto it = args.find(name);
  if (it != args.end())
    return &it->second;
  if (required)
    error(at, "missing argument '" + name + "'");
  return nullptr;
}

bool BuiltinCall::checkKind(const BoundArg &arg, bool ok,
                            llvm::StringRef expected) {
  if (!ok)
    error(arg.loc, "expected " + expected + ", got " + arg.value.describe());
  return ok && !failed;
}

Value BuiltinCall::tensor(llvm::StringRef name) {
  const BoundArg *arg = get(name, true);
  if (!arg || !checkKind(*arg, arg->value.kind == GenValue::Kind::Tensor,
                         ("a tensor for '" + name + "'").str()))
    return {};
  return arg->value.tensor;
}

Value BuiltinCall::optionalTensor(llvm::StringRef name) {
  return has(name) ? tensor(name) : Value();
}

SmallVector<Value, 4> BuiltinCall::tensors(llvm::StringRef name) {
  SmallVector<Value, 4> out;
  const BoundArg *arg = get(name, true);
  std::string expected =
      ("a non-empty list of tensors for '" + name + "'").str();
  if (!arg || !checkKind(*arg,
                         arg->value.kind == GenValue::Kind::List &&
                             !arg->value.items.empty(),
                         expected))
    return out;
  for (const GenValue &item : arg->value.items) {
    if (item.kind != GenValue::Kind::Tensor) {
      error(arg->loc,
            "expected " + expected + ", but an item is " + item.describe());
      return {};
    }
    out.push_back(item.tensor);
  }
  return out;
}

/// Integer attributes are bounded so that shape arithmetic cannot overflow.
static bool inRange(int64_t v) {
  return std::abs(v) <= std::numeric_limits<int32_t>::max();
}

int64_t BuiltinCall::integer(llvm::StringRef name,
                             Optional<int64_t> byDefault) {
  const BoundArg *arg = get(name, !byDefault);
  if (!arg)
    return byDefault.getValueOr(0);
  if (!checkKind(*arg, arg->value.kind == GenValue::Kind::Integer,
                 ("an integer for '" + name + "'").str()))
    return 0;
  if (!inRange(arg->value.intValue)) {
    error(arg->loc, "'" + name + "' = " + std::to_string(arg->value.intValue) +
                        " is out of range");
    return 0;
  }
  return arg->value.intValue;
}

SmallVector<int64_t, 4> BuiltinCall::integers(llvm::StringRef name) {
  SmallVector<int64_t, 4> out;
  const BoundArg *arg = get(name, true);
  std::string expected = ("a list of integers for '" + name + "'").str();
  if (!arg ||
      !checkKind(*arg, arg->value.kind == GenValue::Kind::List, expected))
    return out;
  for (const GenValue &item : arg->value.items) {
    if (item.kind != GenValue::Kind::Integer || !inRange(item.intValue)) {
      error(arg->loc,
            "expected " + expected + ", but an item is " +
                (item.kind == GenValue::Kind::Integer ? "out of range"
                                                      : item.describe()));
      return {};
    }
    out.push_back(item.intValue);
  }
  return out;
}

std::array<int64_t, 2>
BuiltinCall::pair(llvm::StringRef name,
                  Optional<std::array<int64_t, 2>> byDefault) {
  const BoundArg *arg = get(name, !byDefault);
  if (!arg)
    return byDefault.getValueOr(std::array<int64_t, 2>{0, 0});
  if (arg->value.kind == GenValue::Kind::Integer) {
    int64_t v = integer(name);
    return {v, v};
  }
  bool isPair =
      arg->value.kind == GenValue::Kind::List && arg->value.items.size() == 2;
  if (!checkKind(*arg, isPair,
                 ("an integer or a list [h, w] for '" + name + "'").str()))
    return {0, 0};
  SmallVector<int64_t, 4> v = integers(name);
  return failed ? std::array<int64_t, 2>{0, 0}
                : std::array<int64_t, 2>{v[0], v[1]};
}

double BuiltinCall::real(llvm::StringRef name, Optional<double> byDefault) {
  const BoundArg *arg = get(name, !byDefault);
  if (!arg)
    return byDefault.getValueOr(0);
  if (!checkKind(*arg, arg->value.isNumber(),
                 ("a number for '" + name + "'").str()))
    return 0;
  return arg->value.number();
}

bool BuiltinCall::boolean(llvm::StringRef name, bool byDefault) {
  const BoundArg *arg = get(name, false);
  if (!arg)
    return byDefault;
  if (!checkKind(*arg, arg->value.kind == GenValue::Kind::Bool,
                 ("true or false for '" + name + "'").str()))
    return false;
  return arg->value.boolValue;
}

int64_t BuiltinCall::convPadding(int64_t kernel, int64_t stride,
                                 int64_t dilation, int index) {
  const BoundArg *arg = get("padding", false);
  if (!arg || arg->value.kind != GenValue::Kind::String) {
    if (index < 0)
      return integer("padding", 0);
    return pair("padding", {{0, 0}})[index];
  }
  if (choice("padding", {"same", "valid"}, "valid") == "valid")
    return 0;
  // "same": PyTorch pads (total / 2) before and the rest after.
  int64_t total = dilation * (kernel - 1);
  if (stride != 1)
    error(arg->loc,
          "padding=\"same\" needs stride 1, got " + std::to_string(stride));
  else if (total % 2)
    error(arg->loc, "padding=\"same\" with kernel " + std::to_string(kernel) +
                        " and dilation " + std::to_string(dilation) +
                        " pads unevenly (" + std::to_string(total / 2) +
                        " before, " + std::to_string(total - total / 2) +
                        " after), which nncc does not support yet");
  return total / 2;
}

llvm::StringRef BuiltinCall::choice(llvm::StringRef name,
                                    llvm::ArrayRef<llvm::StringRef> allowed,
                                    llvm::StringRef byDefault) {
  const BoundArg *arg = get(name, false);
  if (!arg)
    return byDefault;
  std::string expected;
  llvm::raw_string_ostream os(expected);
  os << "one of ";
  llvm::interleave(
      allowed, os, [&](llvm::StringRef s) { os << '"' << s << '"'; }, ", ");
  os << " for '" << name << "'";
  const GenValue &v = arg->value;
  if (!checkKind(*arg,
                 v.kind == GenValue::Kind::String &&
                     llvm::is_contained(allowed, v.text),
                 os.str()))
    return byDefault;
  return v.text;
}

int64_t BuiltinCall::axis(llvm::StringRef name, int64_t rank,
                          Optional<int64_t> byDefault) {
  int64_t v = integer(name, byDefault);
  // Out-of-range values are kept as written for the shape function's message.
  return v < 0 && v >= -rank ? v + rank : v;
}

SmallVector<int64_t, 4> BuiltinCall::axes(llvm::StringRef name, int64_t rank) {
  const BoundArg *arg = get(name, true);
  if (!arg)
    return {};
  SmallVector<int64_t, 4> out;
  if (arg->value.kind == GenValue::Kind::Integer)
    out.push_back(integer(name));
  else if (checkKind(
               *arg, arg->value.kind == GenValue::Kind::List,
               ("an integer or a list of integers for '" + name + "'").str()))
    out = integers(name);
  for (int64_t &v : out)
    v = v < 0 && v >= -rank ? v + rank : v;
  return out;
}

NamedAttribute BuiltinCall::attr(llvm::StringRef name, int64_t v) {
  return builder.getNamedAttr(name, builder.getI64IntegerAttr(v));
}
NamedAttribute BuiltinCall::attr(llvm::StringRef name, ArrayRef<int64_t> v) {
  return builder.getNamedAttr(name, builder.getI64ArrayAttr(v));
}
NamedAttribute BuiltinCall::attr(llvm::StringRef name, double v) {
  return builder.getNamedAttr(name, builder.getF64FloatAttr(v));
}
NamedAttribute BuiltinCall::attr(llvm::StringRef name, bool v) {
  return builder.getNamedAttr(name, builder.getBoolAttr(v));
}

template <typename OpTy>
Optional<GenValue> BuiltinCall::build(ArrayRef<Value> operands,
                                      ArrayRef<NamedAttribute> attrs) {
  if (failed)
    return None;
  SmallVector<Value, 8> present;
  for (Value v : operands)
    if (v)
      present.push_back(v);
  Value result = nn::buildChecked<OpTy>(builder, file.loc(at), present, attrs);
  if (!result)
    return None;
  return GenValue::ofTensor(result);
}

static int64_t rankOf(Value v) {
  return v ? v.getType().cast<ShapedType>().getRank() : 0;
}

static ArrayRef<int64_t> shapeOf(Value v) {
  return v ? v.getType().cast<ShapedType>().getShape() : ArrayRef<int64_t>();
}

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

/// A unit attribute `name`, present where `value` holds.
void addFlag(BuiltinCall &c, SmallVectorImpl<NamedAttribute> &attrs,
             llvm::StringRef name, bool value) {
  if (value)
    attrs.push_back(c.builder.getNamedAttr(name, c.builder.getUnitAttr()));
}

/// max_pool2d, avg_pool2d: stride defaults to the kernel.
template <typename OpTy> Builtin pool() {
  bool isAvg = std::is_same<OpTy, nn::AvgPool2dOp>::value;
  std::vector<llvm::StringRef> params = {"x", "kernel", "stride", "padding",
                                         "ceil_mode"};
  if (isAvg)
    params.push_back("count_include_pad");
  return {params, [isAvg](BuiltinCall &c) {
            auto kernel = c.pair("kernel");
            SmallVector<NamedAttribute, 6> attrs = {
                c.attr("kernel", kernel),
                c.attr("stride", c.pair("stride", kernel)),
                c.attr("padding", c.pair("padding", {{0, 0}}))};
            addFlag(c, attrs, "ceil_mode", c.boolean("ceil_mode", false));
            if (isAvg)
              addFlag(c, attrs, "exclude_pad",
                      !c.boolean("count_include_pad", true));
            return c.build<OpTy>({c.tensor("x")}, attrs);
          }};
}

/// max_pool1d, avg_pool1d on [N, C, L]: the 2-D pool of a height-1 image,
/// between reshapes.
template <typename OpTy> Builtin pool1d() {
  bool isAvg = std::is_same<OpTy, nn::AvgPool2dOp>::value;
  std::vector<llvm::StringRef> params = {"x", "kernel", "stride", "padding",
                                         "ceil_mode"};
  if (isAvg)
    params.push_back("count_include_pad");
  return {params, [isAvg](BuiltinCall &c) -> Optional<GenValue> {
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
            addFlag(c, attrs, "ceil_mode", c.boolean("ceil_mode", false));
            if (isAvg)
              addFlag(c, attrs, "exclude_pad",
                      !c.boolean("count_include_pad", true));
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

/// x cut along `axis` into consecutive pieces of `sizes`: a list.
Optional<GenValue> pieces(BuiltinCall &c, Value x, int64_t axis,
                          ArrayRef<int64_t> sizes) {
  std::vector<GenValue> out;
  int64_t start = 0;
  for (int64_t size : sizes) {
    Optional<GenValue> piece =
        c.build<nn::SliceOp>({x}, {c.attr("axis", axis), c.attr("start", start),
                                   c.attr("end", start + size)});
    if (!piece)
      return None;
    out.push_back(*piece);
    start += size;
  }
  return GenValue::ofList(std::move(out));
}

/// The extent of `x` along `axis`, or 0 (and an error from the op's shape
/// rule, later) when there is none.
int64_t extentOf(Value x, int64_t axis) {
  ArrayRef<int64_t> s = shapeOf(x);
  return axis >= 0 && axis < (int64_t)s.size() ? s[axis] : 0;
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

  t["conv2d"] = {{"x", "w", "b", "stride", "padding", "dilation", "groups"},
                 [](BuiltinCall &c) {
                   Value w = c.tensor("w");
                   auto stride = c.pair("stride", {{1, 1}});
                   auto dilation = c.pair("dilation", {{1, 1}});
                   std::array<int64_t, 2> padding = {0, 0};
                   for (int i = 0; i < 2; ++i)
                     padding[i] =
                         c.convPadding(rankOf(w) == 4 ? shapeOf(w)[2 + i] : 1,
                                       stride[i], dilation[i], i);
                   return c.build<nn::Conv2dOp>(
                       {c.tensor("x"), w, c.optionalTensor("b")},
                       {c.attr("stride", stride), c.attr("padding", padding),
                        c.attr("dilation", dilation),
                        c.attr("groups", c.integer("groups", 1))});
                 }};
  t["conv1d"] = {{"x", "w", "b", "stride", "padding", "dilation", "groups"},
                 [](BuiltinCall &c) {
                   Value w = c.tensor("w");
                   int64_t stride = c.integer("stride", 1),
                           dilation = c.integer("dilation", 1);
                   int64_t padding = c.convPadding(
                       rankOf(w) == 3 ? shapeOf(w)[2] : 1, stride, dilation);
                   return c.build<nn::Conv1dOp>(
                       {c.tensor("x"), w, c.optionalTensor("b")},
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

  t["reshape"] = {{"x", "shape"}, [](BuiltinCall &c) {
                    return c.build<nn::ReshapeOp>(
                        {c.tensor("x")},
                        {c.attr("shape", c.integers("shape"))});
                  }};
  t["flatten"] = {{"x", "start", "end"}, [](BuiltinCall &c) {
                    Value x = c.tensor("x");
                    int64_t rank = rankOf(x);
                    return c.build<nn::FlattenOp>(
                        {x}, {c.attr("start", c.axis("start", rank, 1)),
                              c.attr("end", c.axis("end", rank, -1))});
                  }};
  t["transpose"] = {{"x", "d0", "d1"}, [](BuiltinCall &c) {
                      Value x = c.tensor("x");
                      int64_t rank = rankOf(x);
                      return c.build<nn::TransposeOp>(
                          {x}, {c.attr("dim0", c.axis("d0", rank)),
                                c.attr("dim1", c.axis("d1", rank))});
                    }};
  t["permute"] = {{"x", "dims"}, [](BuiltinCall &c) {
                    Value x = c.tensor("x");
                    int64_t rank = rankOf(x);
                    SmallVector<int64_t, 4> dims = c.integers("dims");
                    for (int64_t &d : dims)
                      d = d < 0 && d >= -rank ? d + rank : d;
                    return c.build<nn::PermuteOp>({x}, {c.attr("dims", dims)});
                  }};
  t["concat"] = {{"xs", "axis"}, [](BuiltinCall &c) -> Optional<GenValue> {
                   SmallVector<Value, 4> xs = c.tensors("xs");
                   int64_t axis =
                       c.axis("axis", xs.empty() ? 0 : rankOf(xs[0]), 0);
                   if (c.failed)
                     return None;
                   return c.build<nn::ConcatOp>(xs, {c.attr("axis", axis)});
                 }};
  t["slice"] = {{"x", "axis", "start", "end"}, [](BuiltinCall &c) {
                  Value x = c.tensor("x");
                  int64_t axis = c.axis("axis", rankOf(x));
                  int64_t size =
                      axis >= 0 && axis < rankOf(x) ? shapeOf(x)[axis] : 0;
                  auto index = [&](llvm::StringRef name) {
                    int64_t v = c.integer(name);
                    return v < 0 ? v + size : v; // Python-style from the end
                  };
                  int64_t start = index("start"), end = index("end");
                  return c.build<nn::SliceOp>({x}, {c.attr("axis", axis),
                                                    c.attr("start", start),
                                                    c.attr("end", end)});
                }};

  t["split"] = {
      {"x", "sizes", "axis"}, [](BuiltinCall &c) -> Optional<GenValue> {
        Value x = c.tensor("x");
        int64_t axis = c.axis("axis", rankOf(x), 0);
        int64_t n = extentOf(x, axis);
        SmallVector<int64_t, 4> sizes;
        const BoundArg *arg = c.get("sizes", true);
        if (arg && arg->value.kind == GenValue::Kind::Integer) {
          // torch.split(x, size): pieces of `size`, the last less.
          int64_t size = c.integer("sizes");
          if (size < 1) {
            c.error(arg->loc, "a piece's size must be positive");
            return None;
          }
          for (int64_t at = 0; at < n; at += size)
            sizes.push_back(std::min(size, n - at));
        } else if (arg) {
          sizes = c.integers("sizes");
          int64_t total = 0;
          for (int64_t size : sizes)
            total += size < 1 ? n + 1 : size;
          if (!c.failed && total != n) {
            c.error(arg->loc, "the sizes must be positive and sum "
                              "to the " +
                                  std::to_string(n) + " of dimension " +
                                  std::to_string(axis));
            return None;
          }
        }
        if (c.failed || !x)
          return None;
        return pieces(c, x, axis, sizes);
      }};
  // torch.chunk: ceil(n / chunks) per piece, so there may be fewer.
  t["chunk"] = {{"x", "chunks", "axis"},
                [](BuiltinCall &c) -> Optional<GenValue> {
                  Value x = c.tensor("x");
                  int64_t axis = c.axis("axis", rankOf(x), 0);
                  int64_t chunks = c.integer("chunks"), n = extentOf(x, axis);
                  if (c.failed || !x)
                    return None;
                  if (chunks < 1 || n < 1) {
                    c.error(c.at, chunks < 1 ? "chunks must be positive"
                                             : "axis is out of range");
                    return None;
                  }
                  int64_t size = (n + chunks - 1) / chunks;
                  SmallVector<int64_t, 4> sizes;
                  for (int64_t at = 0; at < n; at += size)
                    sizes.push_back(std::min(size, n - at));
                  return pieces(c, x, axis, sizes);
                }};
  // torch.select: index along axis, which goes.
  t["select"] = {
      {"x", "axis", "index"}, [](BuiltinCall &c) -> Optional<GenValue> {
        Value x = c.tensor("x");
        int64_t axis = c.axis("axis", rankOf(x));
        int64_t index = c.integer("index"), n = extentOf(x, axis);
        if (index < 0)
          index += n;
        Optional<GenValue> slice = c.build<nn::SliceOp>(
            {x}, {c.attr("axis", axis), c.attr("start", index),
                  c.attr("end", index + 1)});
        if (!slice)
          return None;
        SmallVector<int64_t, 4> shape(shapeOf(x).begin(), shapeOf(x).end());
        shape.erase(shape.begin() + axis);
        Value out =
            nn::buildReshape(c.builder, c.file.loc(c.at), slice->tensor, shape);
        return out ? Optional<GenValue>(GenValue::ofTensor(out)) : None;
      }};
  // F.pad: pads lists (before, after) pairs from the last dimension back.
  t["pad"] = {
      {"x", "pads", "mode", "value"}, [](BuiltinCall &c) -> Optional<GenValue> {
        Value x = c.tensor("x");
        SmallVector<int64_t, 8> given = c.integers("pads");
        int64_t rank = rankOf(x);
        if (!c.failed &&
            (given.size() % 2 || (int64_t)given.size() > 2 * rank)) {
          c.error(c.get("pads", true)->loc,
                  "pads must hold an even number of values, at most "
                  "2 per dimension (" +
                      std::to_string(2 * rank) + ")");
          return None;
        }
        SmallVector<int64_t, 8> pads(2 * rank, 0);
        for (size_t k = 0; k < given.size(); ++k)
          pads[2 * (rank - 1 - k / 2) + k % 2] = given[k];
        std::string mode =
            c.choice("mode", {"constant", "reflect", "replicate"}, "constant")
                .str();
        double value = c.real("value", 0.0);
        if (mode != "constant" && c.has("value")) {
          c.error(c.get("value", true)->loc,
                  "a value is for mode=\"constant\" only");
          return None;
        }
        return c.build<nn::PadOp>(
            {x}, {c.attr("pads", ArrayRef<int64_t>(pads)),
                  c.builder.getNamedAttr("mode", c.builder.getStringAttr(mode)),
                  c.attr("value", value)});
      }};
  // F.interpolate on NCHW: to `size`, or floor(in * scale_factor).
  t["interpolate"] = {
      {"x", "size", "scale_factor", "mode", "align_corners"},
      [](BuiltinCall &c) -> Optional<GenValue> {
        Value x = c.tensor("x");
        if (c.failed)
          return None;
        if (c.has("size") == c.has("scale_factor")) {
          c.error(c.at, "give either size or scale_factor");
          return None;
        }
        llvm::StringRef mode =
            c.choice("mode", {"nearest", "bilinear"}, "nearest");
        SmallVector<NamedAttribute, 5> attrs = {
            c.builder.getNamedAttr("mode", c.builder.getStringAttr(mode))};
        addFlag(c, attrs, "align_corners", c.boolean("align_corners", false));
        std::array<int64_t, 2> size = {0, 0};
        if (c.has("size")) {
          size = c.pair("size");
        } else {
          const BoundArg *arg = c.get("scale_factor", true);
          std::array<double, 2> scales;
          if (arg->value.isNumber()) {
            scales.fill(arg->value.number());
          } else if (arg->value.kind == GenValue::Kind::List &&
                     arg->value.items.size() == 2 &&
                     arg->value.items[0].isNumber() &&
                     arg->value.items[1].isNumber()) {
            scales = {arg->value.items[0].number(),
                      arg->value.items[1].number()};
          } else {
            c.error(arg->loc, "expected a number or a list [h, w] of them "
                              "for 'scale_factor', got " +
                                  arg->value.describe());
            return None;
          }
          ArrayRef<int64_t> xs = shapeOf(x);
          for (int i = 0; i < 2; ++i)
            size[i] = xs.size() == 4 && scales[i] > 0
                          ? (int64_t)std::floor(xs[2 + i] * scales[i])
                          : 0;
          attrs.push_back(c.builder.getNamedAttr(
              "scale_factor", c.builder.getF64ArrayAttr(scales)));
        }
        attrs.push_back(c.attr("size", ArrayRef<int64_t>(size)));
        return c.build<nn::InterpolateOp>({x}, attrs);
      }};
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
