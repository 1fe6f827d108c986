//===- ConstantOps.cpp - values known at import time ----------------------===//
//
// Constant nodes, and the ops PyTorch's exports compute shapes with (Shape,
// Size, Range, ConstantOfShape, Cast) or constant tables with (ScatterND:
// Swin's attention mask), folded to HostTensors: none of them becomes an
// nn op. Cast of a model tensor is the identity to float.
//
//===----------------------------------------------------------------------===//

#include "compiler/onnx/Importer.h"

#include <cmath>
#include <numeric>

using namespace mlir;
using namespace nncc;
using namespace nncc::onnx_import;

namespace {
bool constantNode(Importer &im, const onnx::NodeProto &node) {
  HostTensor t;
  if (const onnx::AttributeProto *a = attribute(node, "value")) {
    std::string why;
    Optional<HostTensor> v = readTensor(a->t(), "", why);
    if (!v)
      return im.error("its value cannot be read: " + why);
    t = *v;
  } else if (const onnx::AttributeProto *a = attribute(node, "value_float")) {
    t.values = {a->f()};
  } else if (const onnx::AttributeProto *a = attribute(node, "value_floats")) {
    t.values.assign(a->floats().begin(), a->floats().end());
    t.shape = {(int64_t)t.values.size()};
  } else if (const onnx::AttributeProto *a = attribute(node, "value_int")) {
    t = hostInts({a->i()}, {});
  } else if (const onnx::AttributeProto *a = attribute(node, "value_ints")) {
    t = hostInts(std::vector<int64_t>(a->ints().begin(), a->ints().end()),
                 {a->ints_size()});
  } else {
    return im.error("a Constant needs a value, value_float(s) or value_int(s)");
  }
  im.define(node, 0, t);
  return true;
}

bool shape(Importer &im, const onnx::NodeProto &node) {
  Optional<std::vector<int64_t>> s = im.inputShape(node);
  if (!s)
    return false;
  int64_t rank = s->size();
  int64_t start = std::max<int64_t>(0, std::min(rank, [&] {
                                      int64_t v = intAttr(node, "start", 0);
                                      return v < 0 ? v + rank : v;
                                    }()));
  int64_t end = std::max<int64_t>(start, std::min(rank, [&] {
                                    int64_t v = intAttr(node, "end", rank);
                                    return v < 0 ? v + rank : v;
                                  }()));
  std::vector<int64_t> dims(s->begin() + start, s->begin() + end);
  im.define(node, 0, hostInts(dims, {(int64_t)dims.size()}));
  return true;
}

/// Cast of a constant; of a model tensor only to float.
bool castNode(Importer &im, const onnx::NodeProto &node) {
  int64_t to = intAttr(node, "to", onnx::TensorProto::FLOAT);
  bool toFloat = to == onnx::TensorProto::FLOAT ||
                 to == onnx::TensorProto::DOUBLE ||
                 to == onnx::TensorProto::FLOAT16;
  if (im.isConstant(node, 0)) {
    HostTensor t = *im.constant(node, 0, "input");
    if (!toFloat)
      for (double &v : t.values)
        v = to == onnx::TensorProto::BOOL ? double(v != 0) : std::trunc(v);
    t.isFloat = toFloat;
    im.define(node, 0, t);
    return true;
  }
  // A model tensor is f32: other types would round differently.
  if (to != onnx::TensorProto::FLOAT)
    return im.error("casting a model tensor to another type than float is "
                    "not supported");
  Value x = im.tensor(node, 0);
  return im.result(node, x);
}

bool constantOfShape(Importer &im, const onnx::NodeProto &node) {
  Optional<HostTensor> s = im.constant(node, 0, "shape");
  if (!s)
    return false;
  HostTensor out;
  out.shape = s->ints();
  double value = 0;
  if (const onnx::AttributeProto *a = attribute(node, "value")) {
    std::string why;
    Optional<HostTensor> v = readTensor(a->t(), "", why);
    if (!v || v->elements() != 1)
      return im.error("value must be a single element");
    value = v->values[0];
    out.isFloat = v->isFloat;
  }
  for (int64_t d : out.shape)
    if (d < 0)
      return im.error("shape has a negative entry");
  out.values.assign(out.elements(), value);
  im.define(node, 0, out);
  return true;
}

bool range(Importer &im, const onnx::NodeProto &node) {
  Optional<HostTensor> start = im.constant(node, 0, "start"),
                       limit = start ? im.constant(node, 1, "limit") : None,
                       delta = limit ? im.constant(node, 2, "delta") : None;
  if (!delta)
    return false;
  double s = start->values.at(0), l = limit->values.at(0),
         d = delta->values.at(0);
  if (d == 0)
    return im.error("delta is 0");
  HostTensor out;
  out.isFloat = start->isFloat;
  int64_t n = std::max<int64_t>(0, (int64_t)std::ceil((l - s) / d));
  for (int64_t i = 0; i < n; ++i)
    out.values.push_back(s + i * d);
  out.shape = {n};
  im.define(node, 0, out);
  return true;
}

bool size(Importer &im, const onnx::NodeProto &node) {
  Optional<std::vector<int64_t>> in = im.inputShape(node);
  if (!in)
    return false;
  int64_t n = std::accumulate(in->begin(), in->end(), int64_t(1),
                              std::multiplies<int64_t>());
  im.define(node, 0, hostInts({n}, {}));
  return true;
}

/// ScatterND of values known at import time: data with the slices that
/// indices [..., k] address replaced by those of updates.
bool scatterND(Importer &im, const onnx::NodeProto &node) {
  if (!im.isConstant(node, 0) || !im.isConstant(node, 1) ||
      !im.isConstant(node, 2))
    return im.error(
        "ScatterND is supported on values known at import time only");
  if (attribute(node, "reduction"))
    return im.error("a reduction is not supported");
  HostTensor out = *im.constant(node, 0, "data"),
             indices = *im.constant(node, 1, "indices"),
             updates = *im.constant(node, 2, "updates");
  int64_t rank = out.shape.size();
  int64_t k = indices.shape.empty() ? 0 : indices.shape.back();
  if (indices.shape.empty() || k > rank)
    return im.error("indices must be [..., k] with k at most data's rank");
  int64_t slice = 1;
  for (int64_t d = k; d < rank; ++d)
    slice *= out.shape[d];
  std::vector<int64_t> at = indices.ints();
  int64_t count = indices.elements() / std::max<int64_t>(k, 1);
  if (updates.elements() != count * slice)
    return im.error("updates do not match the slices indices address");
  for (int64_t i = 0; i < count; ++i) {
    int64_t offset = 0;
    for (int64_t d = 0; d < k; ++d) {
      int64_t size = out.shape[d], v = at[i * k + d];
      if (v < -size || v >= size)
        return im.error("index " + Twine(v) + " is out of range");
      offset = offset * size + (v < 0 ? v + size : v);
    }
    std::copy_n(updates.values.begin() + i * slice, slice,
                out.values.begin() + offset * slice);
  }
  im.define(node, 0, out);
  return true;
}

} // namespace

void onnx_import::registerConstantOps(Registry &r) {
  r["Constant"] = constantNode;
  r["Shape"] = shape;
  r["Size"] = size;
  r["Range"] = range;
  r["ConstantOfShape"] = constantOfShape;
  r["Cast"] = castNode;
  r["ScatterND"] = scatterND;
}
