//===- ElementwiseOps.cpp - activations and broadcasting arithmetic -------===//
//
// Unary activations map one to one onto nn ops. The binary ops broadcast
// as NumPy does (ONNX's multidirectional broadcasting, nn's too); on two
// values known at import time they are folded, as PyTorch's exported shape
// arithmetic needs.
//
//===----------------------------------------------------------------------===//

#include "compiler/onnx/Importer.h"

#include <cmath>

using namespace mlir;
using namespace nncc;
using namespace nncc::onnx_import;

namespace {
template <typename OpTy> Converter unary() {
  return [](Importer &im, const onnx::NodeProto &node) {
    Value x = im.tensor(node, 0);
    if (!x)
      return false;
    Value y = nn::buildChecked<OpTy>(im.builder, im.loc(), {x}, {});
    return im.result(node, y);
  };
}

/// Defines the output of a binary op on two values known at import time,
/// each element `fold` of the broadcast operands. Comparisons yield 0/1 as
/// floats, as nn's do.
bool foldBinary(Importer &im, const onnx::NodeProto &node,
                const std::function<double(double, double)> &fold,
                bool compares) {
  HostTensor a = *im.constant(node, 0, "lhs"), b = *im.constant(node, 1, "rhs");
  Optional<std::vector<int64_t>> shape = broadcast(a.shape, b.shape);
  if (!shape)
    return im.error("operands do not broadcast");
  HostTensor out;
  out.shape = *shape;
  out.isFloat = a.isFloat || b.isFloat || compares;
  for (int64_t i = 0, n = out.elements(); i < n; ++i) {
    double v = fold(a.broadcastAt(out.shape, i), b.broadcastAt(out.shape, i));
    // Integer division truncates, as ONNX's Div on integers does.
    out.values.push_back(out.isFloat ? v : std::trunc(v));
  }
  im.define(node, 0, out);
  return true;
}

/// A binary op of nn, folded by `fold` on constants.
template <typename OpTy>
Converter binary(std::function<double(double, double)> fold,
                 bool compares = false) {
  return [fold, compares](Importer &im, const onnx::NodeProto &node) {
    if (im.isConstant(node, 0) && im.isConstant(node, 1))
      return foldBinary(im, node, fold, compares);
    Value a = im.tensor(node, 0), b = a ? im.tensor(node, 1) : Value();
    if (!b)
      return false;
    Value y = nn::buildChecked<OpTy>(im.builder, im.loc(), {a, b}, {});
    return im.result(node, y);
  };
}

/// Mod, on values known at import time (exporters compute window padding
/// with it): fmod=1 is C's fmod, fmod=0 takes the divisor's sign, as
/// Python's % does.
bool mod(Importer &im, const onnx::NodeProto &node) {
  if (!im.isConstant(node, 0) || !im.isConstant(node, 1))
    return im.error("Mod is supported on values known at import time only");
  bool cStyle = intAttr(node, "fmod", 0) != 0;
  return foldBinary(
      im, node,
      [cStyle](double a, double b) {
        double r = std::fmod(a, b);
        return !cStyle && r != 0 && (r < 0) != (b < 0) ? r + b : r;
      },
      /*compares=*/false);
}

/// Clip: bounds from attributes (opset < 11) or inputs, a clamp where they
/// are constants, else max(x, min) then min(., max).
bool clip(Importer &im, const onnx::NodeProto &node) {
  Value x = im.tensor(node, 0);
  if (!x)
    return false;
  SmallVector<NamedAttribute, 2> attrs;
  auto bound = [&](StringRef name, int input) {
    if (im.opset() < 11) {
      if (const onnx::AttributeProto *a = attribute(node, name))
        attrs.push_back(
            im.builder.getNamedAttr(name, im.builder.getF64FloatAttr(a->f())));
      return true;
    }
    if (!im.has(node, input))
      return true;
    if (!im.isConstant(node, input)) {
      Value b = im.tensor(node, input);
      x = b ? name == "min"
                  ? nn::buildChecked<nn::MaximumOp>(im.builder, im.loc(),
                                                    {x, b}, {})
                  : nn::buildChecked<nn::MinimumOp>(im.builder, im.loc(),
                                                    {x, b}, {})
            : Value();
      return bool(x);
    }
    Optional<HostTensor> t = im.constant(node, input, name);
    if (!t || t->elements() != 1)
      return t ? im.error(name + " must be a single value") : false;
    attrs.push_back(im.builder.getNamedAttr(
        name, im.builder.getF64FloatAttr((float)t->values[0])));
    return true;
  };
  if (!bound("min", 1) || !bound("max", 2))
    return false;
  Value y = nn::buildChecked<nn::ClampOp>(im.builder, im.loc(), {x}, attrs);
  return im.result(node, y);
}

template <typename OpTy>
Converter withAlpha(StringRef nnName, float otherwise) {
  return [nnName, otherwise](Importer &im, const onnx::NodeProto &node) {
    Value x = im.tensor(node, 0);
    if (!x)
      return false;
    Value y = nn::buildChecked<OpTy>(
        im.builder, im.loc(), {x},
        {im.builder.getNamedAttr(nnName, im.builder.getF64FloatAttr(floatAttr(
                                             node, "alpha", otherwise)))});
    return im.result(node, y);
  };
}

/// Identity, and Dropout at inference: its mask output, if asked for, is
/// all true.
bool identity(Importer &im, const onnx::NodeProto &node) {
  if (node.output_size() > 1 && !node.output(1).empty()) {
    Optional<std::vector<int64_t>> shape = im.inputShape(node);
    if (!shape)
      return false;
    HostTensor mask = hostInts({}, *shape);
    mask.values.assign(mask.elements(), 1);
    im.define(node, 1, mask);
  }
  if (im.isConstant(node, 0)) {
    im.define(node, 0, *im.constant(node, 0, "input"));
    return true;
  }
  Value x = im.tensor(node, 0);
  return im.result(node, x);
}

/// Not of booleans, which nn holds as 0/1 floats: x == 0.
bool logicalNot(Importer &im, const onnx::NodeProto &node) {
  if (im.isConstant(node, 0)) {
    HostTensor t = *im.constant(node, 0, "input");
    for (double &v : t.values)
      v = v == 0;
    t.isFloat = false;
    im.define(node, 0, t);
    return true;
  }
  Value x = im.tensor(node, 0);
  Value y = x ? nn::buildChecked<nn::EqOp>(im.builder, im.loc(),
                                           {x, im.scalar(0)}, {})
              : Value();
  return im.result(node, y);
}

/// Min, Max, Sum, Mean of one or more inputs, broadcasting.
template <typename OpTy> Converter variadic(bool mean = false) {
  return [mean](Importer &im, const onnx::NodeProto &node) {
    Value y = im.tensor(node, 0);
    for (int i = 1; y && i < node.input_size(); ++i) {
      Value x = im.tensor(node, i);
      y = x ? nn::buildChecked<OpTy>(im.builder, im.loc(), {y, x}, {})
            : Value();
    }
    if (y && mean && node.input_size() > 1) {
      y = nn::buildChecked<nn::DivOp>(im.builder, im.loc(),
                                      {y, im.scalar(node.input_size())}, {});
    }
    return im.result(node, y);
  };
}

bool reciprocal(Importer &im, const onnx::NodeProto &node) {
  Value x = im.tensor(node, 0);
  Value y = x ? nn::buildChecked<nn::DivOp>(im.builder, im.loc(),
                                            {im.scalar(1.0), x}, {})
              : Value();
  return im.result(node, y);
}

bool where(Importer &im, const onnx::NodeProto &node) {
  if (im.isConstant(node, 0) && im.isConstant(node, 1) &&
      im.isConstant(node, 2)) {
    HostTensor c = *im.constant(node, 0, "condition"),
               x = *im.constant(node, 1, "X"), y = *im.constant(node, 2, "Y");
    Optional<std::vector<int64_t>> xy = broadcast(x.shape, y.shape);
    Optional<std::vector<int64_t>> shape = xy ? broadcast(c.shape, *xy) : None;
    if (!shape)
      return im.error("operands do not broadcast");
    HostTensor out;
    out.shape = *shape;
    out.isFloat = x.isFloat || y.isFloat;
    for (int64_t i = 0, n = out.elements(); i < n; ++i)
      out.values.push_back(c.broadcastAt(out.shape, i) != 0
                               ? x.broadcastAt(out.shape, i)
                               : y.broadcastAt(out.shape, i));
    im.define(node, 0, out);
    return true;
  }
  SmallVector<Value, 3> in;
  for (int i = 0; i < 3; ++i)
    if (!in.emplace_back(im.tensor(node, i)))
      return false;
  Value y = nn::buildChecked<nn::WhereOp>(im.builder, im.loc(), in, {});
  return im.result(node, y);
}

/// HardSigmoid: max(0, min(1, alpha x + beta)).
bool hardSigmoid(Importer &im, const onnx::NodeProto &node) {
  Value x = im.tensor(node, 0);
  if (!x)
    return false;
  Value y = nn::buildChecked<nn::MulOp>(
      im.builder, im.loc(), {x, im.scalar(floatAttr(node, "alpha", 0.2f))}, {});
  y = y ? nn::buildChecked<nn::AddOp>(
              im.builder, im.loc(),
              {y, im.scalar(floatAttr(node, "beta", 0.5f))}, {})
        : Value();
  y = y ? nn::buildChecked<nn::ClampOp>(
              im.builder, im.loc(), {y},
              {im.builder.getNamedAttr("min", im.builder.getF64FloatAttr(0)),
               im.builder.getNamedAttr("max", im.builder.getF64FloatAttr(1))})
        : Value();
  return im.result(node, y);
}

/// Selu with PyTorch's constants (ONNX's defaults), the only ones nn has.
bool selu(Importer &im, const onnx::NodeProto &node) {
  constexpr float kAlpha = 1.67326319217681884765625f,
                  kGamma = 1.05070102214813232421875f;
  if (floatAttr(node, "alpha", kAlpha) != kAlpha ||
      floatAttr(node, "gamma", kGamma) != kGamma)
    return im.error("alpha and gamma other than the defaults are not "
                    "supported");
  return unary<nn::SeluOp>()(im, node);
}

/// Softplus: log(1 + exp(x)), nn's with beta 1 (its threshold of 20 leaves
/// x, within an ulp of the exact value there).
bool softplus(Importer &im, const onnx::NodeProto &node) {
  Value x = im.tensor(node, 0);
  Value y =
      x ? nn::buildChecked<nn::SoftplusOp>(
              im.builder, im.loc(), {x},
              {im.builder.getNamedAttr("beta", im.builder.getF64FloatAttr(1)),
               im.builder.getNamedAttr("threshold",
                                       im.builder.getF64FloatAttr(20))})
        : Value();
  return im.result(node, y);
}

/// PRelu: x where x >= 0, slope * x elsewhere (slope broadcasts).
bool prelu(Importer &im, const onnx::NodeProto &node) {
  Value x = im.tensor(node, 0), slope = x ? im.tensor(node, 1) : Value();
  if (!slope)
    return false;
  Value negative =
      nn::buildChecked<nn::LtOp>(im.builder, im.loc(), {x, im.scalar(0.0)}, {});
  Value scaledX =
      nn::buildChecked<nn::MulOp>(im.builder, im.loc(), {x, slope}, {});
  Value y = negative && scaledX
                ? nn::buildChecked<nn::WhereOp>(im.builder, im.loc(),
                                                {negative, scaledX, x}, {})
                : Value();
  return im.result(node, y);
}
} // namespace

void onnx_import::registerElementwiseOps(Registry &r) {
  r["Relu"] = unary<nn::ReluOp>();
  r["Sigmoid"] = unary<nn::SigmoidOp>();
  r["Tanh"] = unary<nn::TanhOp>();
  r["Exp"] = unary<nn::ExpOp>();
  r["Sqrt"] = unary<nn::SqrtOp>();
  r["Erf"] = unary<nn::ErfOp>();
  r["Abs"] = unary<nn::AbsOp>();
  r["Neg"] = unary<nn::NegOp>();
  r["LeakyRelu"] = withAlpha<nn::LeakyReluOp>("negative_slope", 0.01f);
  r["Elu"] = withAlpha<nn::EluOp>("alpha", 1.0f);
  r["Clip"] = clip;
  r["Identity"] = identity;
  r["Dropout"] = identity;
  r["Add"] = binary<nn::AddOp>([](double a, double b) { return a + b; });
  r["Sub"] = binary<nn::SubOp>([](double a, double b) { return a - b; });
  r["Mul"] = binary<nn::MulOp>([](double a, double b) { return a * b; });
  r["Div"] = binary<nn::DivOp>([](double a, double b) { return a / b; });
  r["Mod"] = mod;
  r["Pow"] =
      binary<nn::PowOp>([](double a, double b) { return std::pow(a, b); });
  r["Not"] = logicalNot;
  r["Equal"] =
      binary<nn::EqOp>([](double a, double b) { return a == b; }, true);
  r["Less"] = binary<nn::LtOp>([](double a, double b) { return a < b; }, true);
  r["LessOrEqual"] =
      binary<nn::LeOp>([](double a, double b) { return a <= b; }, true);
  r["Greater"] =
      binary<nn::GtOp>([](double a, double b) { return a > b; }, true);
  r["GreaterOrEqual"] =
      binary<nn::GeOp>([](double a, double b) { return a >= b; }, true);
  r["Min"] = variadic<nn::MinimumOp>();
  r["Max"] = variadic<nn::MaximumOp>();
  r["Sum"] = variadic<nn::AddOp>();
  r["Mean"] = variadic<nn::AddOp>(/*mean=*/true);
  r["Reciprocal"] = reciprocal;
  r["Where"] = where;
  r["HardSigmoid"] = hardSigmoid;
  r["HardSwish"] = unary<nn::HardswishOp>();
  r["Selu"] = selu;
  r["Softplus"] = softplus;
  r["PRelu"] = prelu;
}
