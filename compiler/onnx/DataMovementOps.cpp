//===- DataMovementOps.cpp - reshapes, permutes, slices, concats ----------===//
//
// PyTorch exports a view's shape as a computation (Shape, Gather,
// Unsqueeze, Concat, then Reshape): every op here folds when its inputs
// are known at import time, so that computation disappears; on model
// tensors they map onto nn's reshape, permute, concat, slice and pad.
//
//===----------------------------------------------------------------------===//

#include "compiler/onnx/Importer.h"

#include <numeric>

using namespace mlir;
using namespace nncc;
using namespace nncc::onnx_import;

namespace {
/// Defines output 0 as input 0 reshaped to `shape`, folded if constant.
bool reshapeTo(Importer &im, const onnx::NodeProto &node,
               std::vector<int64_t> shape) {
  if (im.isConstant(node, 0)) {
    HostTensor t = *im.constant(node, 0, "data");
    t.shape = shape;
    im.define(node, 0, t);
    return true;
  }
  Value x = im.tensor(node, 0);
  Value y = x ? nn::buildReshape(im.builder, im.loc(), x, shape) : Value();
  return im.result(node, y);
}

/// The axes a node takes as an attribute (before `opset`) or as input 1.
Optional<std::vector<int64_t>> axesOf(Importer &im, const onnx::NodeProto &node,
                                      int64_t opset) {
  if (im.opset() < opset)
    return intsAttr(node, "axes");
  if (!im.has(node, 1))
    return std::vector<int64_t>();
  Optional<HostTensor> t = im.constant(node, 1, "axes");
  if (!t)
    return None;
  return t->ints();
}

bool reshape(Importer &im, const onnx::NodeProto &node) {
  Optional<std::vector<int64_t>> in = im.inputShape(node);
  Optional<HostTensor> target = in ? im.constant(node, 1, "shape") : None;
  if (!target)
    return false;
  std::vector<int64_t> shape = target->ints();
  bool allowZero = intAttr(node, "allowzero", 0);
  int64_t known = 1, inferred = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 0 && !allowZero) {
      if (i >= in->size())
        return im.error("shape entry " + Twine(i) +
                        " copies a dimension the "
                        "input does not have");
      shape[i] = (*in)[i];
    }
    if (shape[i] == -1) {
      if (inferred >= 0)
        return im.error("shape has more than one -1");
      inferred = i;
    } else if (shape[i] < 0) {
      return im.error("shape has a negative entry " + Twine(shape[i]));
    } else {
      known *= shape[i];
    }
  }
  int64_t total = std::accumulate(in->begin(), in->end(), int64_t(1),
                                  std::multiplies<int64_t>());
  if (inferred >= 0) {
    if (known == 0 || total % known)
      return im.error("cannot infer the -1 of the shape");
    shape[inferred] = total / known;
  }
  return reshapeTo(im, node, shape);
}

bool flatten(Importer &im, const onnx::NodeProto &node) {
  Optional<std::vector<int64_t>> in = im.inputShape(node);
  if (!in)
    return false;
  int64_t rank = in->size();
  int64_t axis = intAttr(node, "axis", 1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis > rank)
    return im.error("axis is out of range for rank " + Twine(rank));
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < rank; ++i)
    (i < axis ? outer : inner) *= (*in)[i];
  return reshapeTo(im, node, {outer, inner});
}

bool unsqueeze(Importer &im, const onnx::NodeProto &node) {
  Optional<std::vector<int64_t>> in = im.inputShape(node);
  Optional<std::vector<int64_t>> axes = in ? axesOf(im, node, 13) : None;
  if (!axes)
    return false;
  int64_t rank = in->size() + axes->size();
  std::vector<bool> inserted(rank, false);
  for (int64_t a : *axes) {
    int64_t n = normalAxis(a, rank);
    if (n < 0 || inserted[n])
      return im.error("axis " + Twine(a) + " is out of range or repeated");
    inserted[n] = true;
  }
  std::vector<int64_t> shape;
  for (int64_t i = 0, j = 0; i < rank; ++i)
    shape.push_back(inserted[i] ? 1 : (*in)[j++]);
  return reshapeTo(im, node, shape);
}

bool squeeze(Importer &im, const onnx::NodeProto &node) {
  Optional<std::vector<int64_t>> in = im.inputShape(node);
  Optional<std::vector<int64_t>> axes = in ? axesOf(im, node, 13) : None;
  if (!axes)
    return false;
  int64_t rank = in->size();
  std::vector<bool> removed(rank, false);
  for (int64_t a : *axes) {
    int64_t n = normalAxis(a, rank);
    if (n < 0 || (*in)[n] != 1)
      return im.error("axis " + Twine(a) + " is out of range or not of size 1");
    removed[n] = true;
  }
  std::vector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i)
    if (!(axes->empty() ? (*in)[i] == 1 : removed[i]))
      shape.push_back((*in)[i]);
  return reshapeTo(im, node, shape);
}

/// Constant `t` permuted: result dim i is `t`'s dim perm[i].
HostTensor transposed(const HostTensor &t, ArrayRef<int64_t> perm) {
  HostTensor out = t;
  size_t rank = t.shape.size();
  std::vector<int64_t> strides(rank, 1);
  for (int64_t d = (int64_t)rank - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * t.shape[d + 1];
  for (size_t d = 0; d < rank; ++d)
    out.shape[d] = t.shape[perm[d]];
  for (int64_t i = 0, n = t.elements(); i < n; ++i) {
    int64_t rest = i, source = 0;
    for (int64_t d = (int64_t)rank - 1; d >= 0; --d) {
      source += (rest % out.shape[d]) * strides[perm[d]];
      rest /= out.shape[d];
    }
    out.values[i] = t.values[source];
  }
  return out;
}

bool transpose(Importer &im, const onnx::NodeProto &node) {
  Optional<std::vector<int64_t>> in = im.inputShape(node);
  if (!in)
    return false;
  std::vector<int64_t> perm = intsAttr(node, "perm");
  if (perm.empty())
    for (int64_t i = in->size() - 1; i >= 0; --i)
      perm.push_back(i);
  std::vector<int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i)
    if (sorted.size() != in->size() || sorted[i] != (int64_t)i)
      return im.error("perm is not a permutation of the input's axes");
  if (im.isConstant(node, 0)) {
    im.define(node, 0, transposed(*im.constant(node, 0, "data"), perm));
    return true;
  }
  Value y = nn::buildPermute(im.builder, im.loc(), im.tensor(node, 0), perm);
  return im.result(node, y);
}

bool concat(Importer &im, const onnx::NodeProto &node) {
  bool constants = true;
  for (int i = 0; i < node.input_size(); ++i)
    constants &= im.isConstant(node, i);
  if (!constants) {
    SmallVector<Value, 4> inputs;
    for (int i = 0; i < node.input_size(); ++i)
      if (!inputs.emplace_back(im.tensor(node, i)))
        return false;
    int64_t rank = Importer::shapeOf(inputs[0]).size();
    int64_t axis = normalAxis(intAttr(node, "axis", 0), rank);
    if (axis < 0)
      return im.error("axis is out of range for rank " + Twine(rank));
    Value y = nn::buildChecked<nn::ConcatOp>(
        im.builder, im.loc(), inputs,
        {im.builder.getNamedAttr("axis", im.builder.getI64IntegerAttr(axis))});
    return im.result(node, y);
  }
  std::vector<HostTensor> parts;
  for (int i = 0; i < node.input_size(); ++i)
    parts.push_back(*im.constant(node, i, "input"));
  int64_t rank = parts[0].shape.size();
  int64_t axis = normalAxis(intAttr(node, "axis", 0), rank);
  if (axis < 0)
    return im.error("axis is out of range for rank " + Twine(rank));
  HostTensor out = parts[0];
  out.values.clear();
  out.shape[axis] = 0;
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= out.shape[d];
  for (const HostTensor &p : parts) {
    if ((int64_t)p.shape.size() != rank)
      return im.error("inputs differ in rank");
    out.shape[axis] += p.shape[axis];
    out.isFloat |= p.isFloat;
  }
  for (int64_t o = 0; o < outer; ++o)
    for (const HostTensor &p : parts) {
      int64_t chunk = p.elements() / std::max<int64_t>(outer, 1);
      out.values.insert(out.values.end(), p.values.begin() + o * chunk,
                        p.values.begin() + (o + 1) * chunk);
    }
  im.define(node, 0, out);
  return true;
}

/// `data`'s elements at positions `picks` along `axis`, in that order.
HostTensor takeAlong(const HostTensor &data, int64_t axis,
                     ArrayRef<int64_t> picks) {
  int64_t outer = 1, inner = 1, size = data.shape[axis];
  for (int64_t d = 0; d < (int64_t)data.shape.size(); ++d)
    if (d < axis)
      outer *= data.shape[d];
    else if (d > axis)
      inner *= data.shape[d];
  HostTensor out = data;
  out.values.clear();
  out.shape[axis] = picks.size();
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i : picks)
      for (int64_t j = 0; j < inner; ++j)
        out.values.push_back(data.values[(o * size + i) * inner + j]);
  return out;
}

/// Gather along `axis` with constant indices: folded for constant data;
/// on a tensor, a slice per index (reshaped away for a scalar index).
bool gather(Importer &im, const onnx::NodeProto &node) {
  Optional<std::vector<int64_t>> in = im.inputShape(node);
  Optional<HostTensor> indices = in ? im.constant(node, 1, "indices") : None;
  if (!indices)
    return false;
  int64_t rank = in->size();
  int64_t axis = normalAxis(intAttr(node, "axis", 0), rank);
  if (axis < 0)
    return im.error("axis is out of range for rank " + Twine(rank));
  std::vector<int64_t> index = indices->ints();
  for (int64_t &i : index) {
    if (i < -(*in)[axis] || i >= (*in)[axis])
      return im.error("index " + Twine(i) + " is out of range");
    if (i < 0)
      i += (*in)[axis];
  }
  std::vector<int64_t> shape(in->begin(), in->begin() + axis);
  shape.insert(shape.end(), indices->shape.begin(), indices->shape.end());
  shape.insert(shape.end(), in->begin() + axis + 1, in->end());
  if (im.isConstant(node, 0)) {
    HostTensor out = takeAlong(*im.constant(node, 0, "data"), axis, index);
    out.shape = shape;
    im.define(node, 0, out);
    return true;
  }
  Value x = im.tensor(node, 0);
  SmallVector<Value, 4> slices;
  for (int64_t i : index) {
    Value s = nn::buildSlice(im.builder, im.loc(), x, axis, i, i + 1);
    if (!s)
      return false;
    slices.push_back(s);
  }
  Value y = slices.size() == 1
                ? slices[0]
                : nn::buildChecked<nn::ConcatOp>(
                      im.builder, im.loc(), slices,
                      {im.builder.getNamedAttr(
                          "axis", im.builder.getI64IntegerAttr(axis))});
  y = y ? nn::buildReshape(im.builder, im.loc(), y, shape) : Value();
  return im.result(node, y);
}

/// Slice with constant starts, ends, axes and steps (negative ones on
/// values known at import time).
bool slice(Importer &im, const onnx::NodeProto &node) {
  Optional<std::vector<int64_t>> in = im.inputShape(node);
  if (!in)
    return false;
  std::vector<int64_t> starts, ends, axes, steps;
  if (im.opset() < 10) {
    starts = intsAttr(node, "starts");
    ends = intsAttr(node, "ends");
    axes = intsAttr(node, "axes");
  } else {
    Optional<HostTensor> s = im.constant(node, 1, "starts"),
                         e = s ? im.constant(node, 2, "ends") : None;
    if (!e)
      return false;
    starts = s->ints();
    ends = e->ints();
    if (im.has(node, 3)) {
      Optional<HostTensor> a = im.constant(node, 3, "axes");
      if (!a)
        return false;
      axes = a->ints();
    }
    if (im.has(node, 4)) {
      Optional<HostTensor> t = im.constant(node, 4, "steps");
      if (!t)
        return false;
      steps = t->ints();
    }
  }
  int64_t rank = in->size();
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i)
      axes.push_back(i);
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size())
    return im.error("starts, ends, axes and steps differ in length");
  bool folded = im.isConstant(node, 0);
  HostTensor data = folded ? *im.constant(node, 0, "data") : HostTensor();
  Value x = folded ? Value() : im.tensor(node, 0);
  for (size_t k = 0; k < starts.size(); ++k) {
    int64_t axis = normalAxis(axes[k], rank);
    if (axis < 0)
      return im.error("axis " + Twine(axes[k]) + " is out of range");
    int64_t step = steps[k];
    if (step == 0)
      return im.error("a step of 0 is not allowed");
    if (step < 0 && !folded)
      return im.error("negative steps are supported on values known at "
                      "import time only");
    // ONNX's clamping: [0, size] going forward, [-1, size - 1] backward.
    int64_t size = folded ? data.shape[axis] : Importer::shapeOf(x)[axis];
    int64_t high = step > 0 ? size : size - 1;
    auto clampIndex = [&](int64_t v, int64_t lowest) {
      if (v < 0)
        v += size;
      return std::max<int64_t>(lowest, std::min(high, v));
    };
    int64_t start = clampIndex(starts[k], 0),
            end = clampIndex(ends[k], step > 0 ? 0 : -1);
    if (folded) {
      std::vector<int64_t> picks;
      for (int64_t i = start; step > 0 ? i < end : i > end; i += step)
        picks.push_back(i);
      data = takeAlong(data, axis, picks);
      continue;
    }
    end = std::max(end, start);
    if (start == 0 && end == size && step == 1)
      continue;
    x = nn::buildSlice(im.builder, im.loc(), x, axis, start, end, step);
    if (!x)
      return false;
  }
  if (folded)
    im.define(node, 0, data);
  else
    im.define(node, 0, x);
  return true;
}

/// Expand: broadcast to a constant shape (NumPy's rules, either side may
/// be 1): folded for constants, an add of zeros otherwise.
bool expand(Importer &im, const onnx::NodeProto &node) {
  Optional<std::vector<int64_t>> in = im.inputShape(node);
  Optional<HostTensor> target = in ? im.constant(node, 1, "shape") : None;
  if (!target)
    return false;
  Optional<std::vector<int64_t>> shape = broadcast(*in, target->ints());
  if (!shape)
    return im.error("the input does not broadcast to the shape");
  HostTensor zeros;
  zeros.shape = *shape;
  zeros.values.assign(zeros.elements(), 0.0);
  if (im.isConstant(node, 0)) {
    HostTensor t = *im.constant(node, 0, "input"), out = zeros;
    out.isFloat = t.isFloat;
    for (int64_t i = 0, n = out.elements(); i < n; ++i)
      out.values[i] = t.broadcastAt(out.shape, i);
    im.define(node, 0, out);
    return true;
  }
  Value x = im.tensor(node, 0);
  Value y = x ? nn::buildChecked<nn::AddOp>(im.builder, im.loc(),
                                            {x, im.materialize(zeros)}, {})
              : Value();
  return im.result(node, y);
}

/// Pad: ONNX's pads list all begins then all ends; nn's pairs them.
bool pad(Importer &im, const onnx::NodeProto &node) {
  Value x = im.tensor(node, 0);
  if (!x)
    return false;
  std::vector<int64_t> pads;
  double value = 0;
  if (im.opset() < 11) {
    pads = intsAttr(node, "pads");
    value = floatAttr(node, "value", 0.0f);
  } else {
    Optional<HostTensor> p = im.constant(node, 1, "pads");
    if (!p)
      return false;
    pads = p->ints();
    if (im.has(node, 2)) {
      Optional<HostTensor> v = im.constant(node, 2, "constant_value");
      if (!v || v->elements() != 1)
        return v ? im.error("constant_value must be one value") : false;
      value = v->values[0];
    }
  }
  size_t rank = Importer::shapeOf(x).size();
  if (pads.size() != 2 * rank)
    return im.error("pads has " + Twine(pads.size()) + " entries for rank " +
                    Twine(rank));
  std::vector<int64_t> paired;
  for (size_t d = 0; d < rank; ++d) {
    if (pads[d] < 0 || pads[d + rank] < 0)
      return im.error("negative pads (cropping) are not supported");
    paired.push_back(pads[d]);
    paired.push_back(pads[d + rank]);
  }
  std::string mode = stringAttr(node, "mode", "constant");
  if (mode == "edge")
    mode = "replicate";
  if (mode != "constant" && mode != "reflect" && mode != "replicate")
    return im.error("mode '" + mode + "' is not supported");
  Value y = nn::buildChecked<nn::PadOp>(
      im.builder, im.loc(), {x},
      {im.builder.getNamedAttr("pads", im.builder.getI64ArrayAttr(paired)),
       im.builder.getNamedAttr("mode", im.builder.getStringAttr(mode)),
       im.builder.getNamedAttr("value", im.builder.getF64FloatAttr(value))});
  return im.result(node, y);
}

/// Split into slices along `axis`: sizes from `split` (attribute, or input
/// from opset 13), else equal parts (the last smaller, from opset 18).
bool split(Importer &im, const onnx::NodeProto &node) {
  Value x = im.tensor(node, 0);
  if (!x)
    return false;
  int64_t rank = Importer::shapeOf(x).size();
  int64_t axis = normalAxis(intAttr(node, "axis", 0), rank);
  if (axis < 0)
    return im.error("axis is out of range for rank " + Twine(rank));
  int64_t extent = Importer::shapeOf(x)[axis], parts = node.output_size();
  std::vector<int64_t> sizes;
  if (im.opset() < 13) {
    sizes = intsAttr(node, "split");
  } else if (im.has(node, 1)) {
    Optional<HostTensor> s = im.constant(node, 1, "split");
    if (!s)
      return false;
    sizes = s->ints();
  }
  if (sizes.empty()) {
    if (extent % parts)
      return im.error(Twine(extent) + " does not split into " + Twine(parts) +
                      " equal parts");
    sizes.assign(parts, extent / parts);
  }
  if ((int64_t)sizes.size() != parts ||
      std::accumulate(sizes.begin(), sizes.end(), int64_t(0)) != extent)
    return im.error("split sizes do not add up to the axis, one per output");
  int64_t start = 0;
  for (int64_t i = 0; i < parts; ++i) {
    Value part =
        nn::buildSlice(im.builder, im.loc(), x, axis, start, start + sizes[i]);
    if (!part)
      return false;
    im.define(node, i, part);
    start += sizes[i];
  }
  return true;
}

/// Tile: `repeats[d]` copies along each axis, as a concat of the input.
bool tile(Importer &im, const onnx::NodeProto &node) {
  Value y = im.tensor(node, 0);
  Optional<HostTensor> repeats = y ? im.constant(node, 1, "repeats") : None;
  if (!repeats)
    return false;
  std::vector<int64_t> r = repeats->ints();
  if (r.size() != Importer::shapeOf(y).size())
    return im.error("repeats needs one entry per axis");
  for (size_t d = 0; d < r.size() && y; ++d) {
    if (r[d] < 1)
      return im.error("repeats below 1 are not supported");
    if (r[d] == 1)
      continue;
    SmallVector<Value, 4> copies(r[d], y);
    y = nn::buildChecked<nn::ConcatOp>(
        im.builder, im.loc(), copies,
        {im.builder.getNamedAttr("axis", im.builder.getI64IntegerAttr(d))});
  }
  return im.result(node, y);
}
} // namespace

void onnx_import::registerDataMovementOps(Registry &r) {
  r["Reshape"] = reshape;
  r["Flatten"] = flatten;
  r["Unsqueeze"] = unsqueeze;
  r["Squeeze"] = squeeze;
  r["Transpose"] = transpose;
  r["Concat"] = concat;
  r["Gather"] = gather;
  r["Slice"] = slice;
  r["Expand"] = expand;
  r["Pad"] = pad;
  r["Split"] = split;
  r["Tile"] = tile;
}
