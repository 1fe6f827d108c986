//===- ReduceOps.cpp - reductions, softmax, argmax ------------------------===//
//
// ONNX's reductions take their axes as an attribute, or (ReduceSum from
// opset 13) as an input; no axes means all of them, unless
// noop_with_empty_axes. keepdims defaults to 1, unlike PyTorch's keepdim.
// The squared and absolute sums compose nn ops.
//
//===----------------------------------------------------------------------===//

#include "compiler/onnx/Importer.h"

using namespace mlir;
using namespace nncc;
using namespace nncc::onnx_import;

namespace {
/// The node's reduction axes, non-negative and sorted; None after an error
/// (or, with noop_with_empty_axes and no axes, an empty list).
Optional<SmallVector<int64_t, 4>> reductionAxes(Importer &im,
                                                const onnx::NodeProto &node,
                                                int64_t rank, bool axesInput) {
  std::vector<int64_t> axes;
  if (axesInput) {
    if (im.has(node, 1)) {
      Optional<HostTensor> t = im.constant(node, 1, "axes");
      if (!t)
        return None;
      axes = t->ints();
    }
  } else {
    axes = intsAttr(node, "axes");
  }
  SmallVector<int64_t, 4> out;
  if (axes.empty() && !intAttr(node, "noop_with_empty_axes", 0))
    for (int64_t i = 0; i < rank; ++i)
      out.push_back(i);
  for (int64_t a : axes) {
    if (a < -rank || a >= rank) {
      im.error("axis " + Twine(a) + " is out of range for rank " + Twine(rank));
      return None;
    }
    out.push_back(a < 0 ? a + rank : a);
  }
  llvm::sort(out);
  if (std::adjacent_find(out.begin(), out.end()) != out.end()) {
    im.error("an axis is repeated");
    return None;
  }
  return out;
}

/// A reduction `OpTy` of `pre(x)` (x itself where `pre` is null), then
/// `post` of the result.
template <typename OpTy>
Converter reduce(int64_t axesInputFrom,
                 std::function<Value(Importer &, Value)> pre = nullptr,
                 std::function<Value(Importer &, Value)> post = nullptr) {
  return [=](Importer &im, const onnx::NodeProto &node) {
    Value x = im.tensor(node, 0);
    if (!x)
      return false;
    int64_t rank = Importer::shapeOf(x).size();
    auto axes = reductionAxes(im, node, rank, im.opset() >= axesInputFrom);
    if (!axes)
      return false;
    if (pre)
      x = pre(im, x);
    if (axes->empty()) {
      return im.result(node, x);
    }
    SmallVector<NamedAttribute, 2> attrs = {
        im.builder.getNamedAttr("axes", im.builder.getI64ArrayAttr(*axes))};
    if (intAttr(node, "keepdims", 1))
      attrs.push_back(
          im.builder.getNamedAttr("keepdim", im.builder.getUnitAttr()));
    Value y =
        x ? nn::buildChecked<OpTy>(im.builder, im.loc(), {x}, attrs) : Value();
    if (y && post)
      y = post(im, y);
    return im.result(node, y);
  };
}

Value squared(Importer &im, Value x) {
  return nn::buildChecked<nn::MulOp>(im.builder, im.loc(), {x, x}, {});
}

template <typename OpTy> Value apply(Importer &im, Value x) {
  return nn::buildChecked<OpTy>(im.builder, im.loc(), {x}, {});
}

/// Softmax and LogSoftmax over one axis: opset 13's semantics, and earlier
/// opsets' (the input flattened to 2-D at `axis`) where those agree, the
/// last axis.
template <typename OpTy>
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
  Value y = nn::buildChecked<OpTy>(
      im.builder, im.loc(), {x},
      {im.builder.getNamedAttr("axis", im.builder.getI64IntegerAttr(axis))});
  return im.result(node, y);
}

bool argmax(Importer &im, const onnx::NodeProto &node) {
  Value x = im.tensor(node, 0);
  if (!x)
    return false;
  if (intAttr(node, "select_last_index", 0))
    return im.error("select_last_index=1 is not supported");
  int64_t rank = Importer::shapeOf(x).size();
  int64_t axis = intAttr(node, "axis", 0);
  if (axis < -rank || axis >= rank)
    return im.error("axis is out of range for rank " + Twine(rank));
  SmallVector<NamedAttribute, 2> attrs = {im.builder.getNamedAttr(
      "axis", im.builder.getI64IntegerAttr(axis < 0 ? axis + rank : axis))};
  if (intAttr(node, "keepdims", 1))
    attrs.push_back(
        im.builder.getNamedAttr("keepdim", im.builder.getUnitAttr()));
  Value y = nn::buildChecked<nn::ArgmaxOp>(im.builder, im.loc(), {x}, attrs);
  return im.result(node, y);
}
} // namespace

void onnx_import::registerReduceOps(Registry &r) {
  // ReduceSum takes its axes as an input from opset 13, the others from 18.
  constexpr int64_t kSumAxesInput = 13, kAxesInput = 18;
  r["ReduceSum"] = reduce<nn::SumOp>(kSumAxesInput);
  r["ReduceMean"] = reduce<nn::MeanOp>(kAxesInput);
  r["ReduceMax"] = reduce<nn::AmaxOp>(kAxesInput);
  r["ReduceMin"] = reduce<nn::AminOp>(kAxesInput);
  r["ReduceSumSquare"] = reduce<nn::SumOp>(kAxesInput, squared);
  r["ReduceL1"] = reduce<nn::SumOp>(kAxesInput, apply<nn::AbsOp>);
  r["ReduceL2"] = reduce<nn::SumOp>(kAxesInput, squared, apply<nn::SqrtOp>);
  r["Softmax"] = softmax<nn::SoftmaxOp>;
  r["LogSoftmax"] = softmax<nn::LogSoftmaxOp>;
  r["ArgMax"] = argmax;
}
