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
    im.define(node, 0, y);
    return bool(y);
  };
}

/// NumPy broadcasting of two shapes, or None.
Optional<std::vector<int64_t>> broadcast(ArrayRef<int64_t> a,
                                         ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  std::vector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t x = i + a.size() >= rank ? a[i + a.size() - rank] : 1;
    int64_t y = i + b.size() >= rank ? b[i + b.size() - rank] : 1;
    if (x != y && x != 1 && y != 1)
      return None;
    out[i] = x == 1 ? y : x;
  }
  return out;
}

/// The element of `t` that broadcasts to flat index `i` of `shape`.
double broadcastAt(const HostTensor &t, ArrayRef<int64_t> shape, int64_t i) {
  int64_t index = 0, stride = 1;
  for (int64_t d = (int64_t)shape.size() - 1; d >= 0; --d) {
    int64_t coord = i % shape[d];
    i /= shape[d];
    int64_t td = d - ((int64_t)shape.size() - (int64_t)t.shape.size());
    if (td >= 0) {
      if (t.shape[td] != 1)
        index += coord * stride;
      stride *= t.shape[td];
    }
  }
  return t.values[index];
}

template <typename OpTy>
Converter binary(std::function<double(double, double)> fold) {
  return [fold](Importer &im, const onnx::NodeProto &node) {
    if (im.isConstant(node, 0) && im.isConstant(node, 1)) {
      HostTensor a = *im.constant(node, 0, "lhs"),
                 b = *im.constant(node, 1, "rhs");
      Optional<std::vector<int64_t>> shape = broadcast(a.shape, b.shape);
      if (!shape)
        return im.error("operands do not broadcast");
      HostTensor out;
      out.shape = *shape;
      out.isFloat = a.isFloat || b.isFloat;
      for (int64_t i = 0, n = out.elements(); i < n; ++i) {
        double v =
            fold(broadcastAt(a, out.shape, i), broadcastAt(b, out.shape, i));
        // Integer division truncates, as ONNX's Div on integers does.
        out.values.push_back(out.isFloat ? v : std::trunc(v));
      }
      im.define(node, 0, ImportedValue{Value(), out});
      return true;
    }
    Value a = im.tensor(node, 0), b = a ? im.tensor(node, 1) : Value();
    if (!b)
      return false;
    Value y = nn::buildChecked<OpTy>(im.builder, im.loc(), {a, b}, {});
    im.define(node, 0, y);
    return bool(y);
  };
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
  im.define(node, 0, y);
  return bool(y);
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
    im.define(node, 0, y);
    return bool(y);
  };
}

/// Identity, and Dropout at inference (its mask output unused).
bool identity(Importer &im, const onnx::NodeProto &node) {
  if (node.output_size() > 1 && !node.output(1).empty())
    return im.error("the mask output is not supported");
  if (im.isConstant(node, 0)) {
    im.define(node, 0, ImportedValue{Value(), *im.constant(node, 0, "input")});
    return true;
  }
  Value x = im.tensor(node, 0);
  im.define(node, 0, x);
  return bool(x);
}

/// Softmax over one axis: opset 13's semantics, and earlier opsets' (the
/// input flattened to 2-D at `axis`) where those agree, the last axis.
bool softmax(Importer &im, const onnx::NodeProto &node) {
  Value x = im.tensor(node, 0);
  if (!x)
    return false;
  int64_t rank = Importer::shapeOf(x).size();
  int64_t axis = intAttr(node, "axis", im.opset() < 13 ? 1 : -1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return im.error("axis " + Twine(intAttr(node, "axis", 0)) +
                    " is out of range for rank " + Twine(rank));
  if (im.opset() < 13 && axis != rank - 1)
    return im.error("before opset 13, softmax over axes " + Twine(axis) + ".." +
                    Twine(rank - 1) + " together is not supported");
  Value y = nn::buildChecked<nn::SoftmaxOp>(
      im.builder, im.loc(), {x},
      {im.builder.getNamedAttr("axis", im.builder.getI64IntegerAttr(axis))});
  im.define(node, 0, y);
  return bool(y);
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
  r["Softmax"] = softmax;
  r["Add"] = binary<nn::AddOp>([](double a, double b) { return a + b; });
  r["Sub"] = binary<nn::SubOp>([](double a, double b) { return a - b; });
  r["Mul"] = binary<nn::MulOp>([](double a, double b) { return a * b; });
  r["Div"] = binary<nn::DivOp>([](double a, double b) { return a / b; });
  r["Pow"] =
      binary<nn::PowOp>([](double a, double b) { return std::pow(a, b); });
}
