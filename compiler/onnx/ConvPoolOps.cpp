//===- ConvPoolOps.cpp - Conv, MaxPool, AveragePool, global pooling -------===//
//
// ONNX's padding is wider than PyTorch's: `pads` may differ before and
// after ([h_begin, w_begin, h_end, w_end]) and `auto_pad` derives them
// from the output size. Symmetric pads map onto the nn op's own padding;
// others become an explicit nn.pad (zeros for Conv, -inf for MaxPool) in
// front of an unpadded op.
//
//===----------------------------------------------------------------------===//

#include "compiler/onnx/Importer.h"

#include <limits>

using namespace mlir;
using namespace nncc;
using namespace nncc::onnx_import;

namespace {
/// The 2-D window of a Conv or pool node over `input` ([N, C, H, W]).
struct Window {
  std::vector<int64_t> kernel, stride, dilation, begin, end;
  /// Whether the nn op pads alike: the same before and after, and (as
  /// PyTorch requires) at most half the window.
  bool nnPadding() const {
    for (int d = 0; d < 2; ++d)
      if (begin[d] != end[d] ||
          2 * begin[d] > (kernel[d] - 1) * dilation[d] + 1)
        return false;
    return true;
  }
};

/// Reads kernel_shape (or `kernel` from the weight), strides, dilations,
/// pads and auto_pad; None after an error.
Optional<Window> window(Importer &im, const onnx::NodeProto &node, Value input,
                        std::vector<int64_t> kernel) {
  ArrayRef<int64_t> shape = Importer::shapeOf(input);
  if (shape.size() != 4) {
    im.error("only 2-D windows ([N, C, H, W] inputs) are supported; the "
             "input has rank " +
             Twine(shape.size()));
    return None;
  }
  Window w;
  w.kernel =
      attribute(node, "kernel_shape") ? intsAttr(node, "kernel_shape") : kernel;
  w.stride = intsAttr(node, "strides");
  w.dilation = intsAttr(node, "dilations");
  std::vector<int64_t> pads = intsAttr(node, "pads");
  if (w.stride.empty())
    w.stride = {1, 1};
  if (w.dilation.empty())
    w.dilation = {1, 1};
  if (pads.empty())
    pads = {0, 0, 0, 0};
  if (w.kernel.size() != 2 || w.stride.size() != 2 || w.dilation.size() != 2 ||
      pads.size() != 4) {
    im.error("kernel_shape, strides and dilations need 2 values and pads 4");
    return None;
  }
  w.begin = {pads[0], pads[1]};
  w.end = {pads[2], pads[3]};
  std::string autoPad = stringAttr(node, "auto_pad", "NOTSET");
  if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (int d = 0; d < 2; ++d) {
      int64_t in = shape[2 + d], s = w.stride[d];
      int64_t out = (in + s - 1) / s;
      int64_t span = (w.kernel[d] - 1) * w.dilation[d] + 1;
      int64_t total = std::max<int64_t>(0, (out - 1) * s + span - in);
      w.begin[d] = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
      w.end[d] = total - w.begin[d];
    }
  } else if (autoPad == "VALID") {
    w.begin = w.end = {0, 0};
  } else if (autoPad != "NOTSET") {
    im.error("auto_pad '" + autoPad +
             "' is not one of NOTSET, SAME_UPPER, "
             "SAME_LOWER, VALID");
    return None;
  }
  for (int64_t p : {w.begin[0], w.begin[1], w.end[0], w.end[1]})
    if (p < 0) {
      im.error("negative pads are not supported");
      return None;
    }
  return w;
}

ArrayAttr ints(Importer &im, ArrayRef<int64_t> v) {
  return im.builder.getI64ArrayAttr(v);
}

/// `input` padded by `w`'s pads with `value`, and the window's pads then
/// cleared; unchanged where the nn op pads alike.
Value padExplicitly(Importer &im, Value input, Window &w, double value) {
  if (w.nnPadding())
    return input;
  Value padded = nn::buildChecked<nn::PadOp>(
      im.builder, im.loc(), {input},
      {im.builder.getNamedAttr(
           "pads",
           ints(im, {0, 0, 0, 0, w.begin[0], w.end[0], w.begin[1], w.end[1]})),
       im.builder.getNamedAttr("mode", im.builder.getStringAttr("constant")),
       im.builder.getNamedAttr("value", im.builder.getF64FloatAttr(value))});
  w.begin = w.end = {0, 0};
  return padded;
}

bool conv(Importer &im, const onnx::NodeProto &node) {
  Value x = im.tensor(node, 0), weight = x ? im.tensor(node, 1) : Value();
  if (!weight)
    return false;
  Value bias = im.tensor(node, 2, /*optional=*/true);
  ArrayRef<int64_t> ws = Importer::shapeOf(weight);
  std::vector<int64_t> kernel(ws.begin() + std::min<size_t>(2, ws.size()),
                              ws.end());
  Optional<Window> w = window(im, node, x, kernel);
  if (!w)
    return false;
  x = padExplicitly(im, x, *w, 0.0);
  SmallVector<Value, 3> operands = {x, weight};
  if (bias)
    operands.push_back(bias);
  Value y = x ? nn::buildChecked<nn::Conv2dOp>(
                    im.builder, im.loc(), operands,
                    {im.builder.getNamedAttr("stride", ints(im, w->stride)),
                     im.builder.getNamedAttr("padding", ints(im, w->begin)),
                     im.builder.getNamedAttr("dilation", ints(im, w->dilation)),
                     im.builder.getNamedAttr("groups",
                                             im.builder.getI64IntegerAttr(
                                                 intAttr(node, "group", 1)))})
              : Value();
  return im.result(node, y);
}

template <typename OpTy> bool pool(Importer &im, const onnx::NodeProto &node) {
  constexpr bool isMax = std::is_same<OpTy, nn::MaxPool2dOp>::value;
  Value x = im.tensor(node, 0);
  if (!x)
    return false;
  if (node.output_size() > 1 && !node.output(1).empty())
    return im.error("the Indices output is not supported");
  Optional<Window> w = window(im, node, x, {});
  if (!w)
    return false;
  if (w->dilation != std::vector<int64_t>{1, 1})
    return im.error("dilated pooling is not supported");
  bool countPad = intAttr(node, "count_include_pad", 0) != 0;
  if (!isMax && !w->nnPadding() && !countPad)
    return im.error("asymmetric pads, or pads over half the kernel, with "
                    "count_include_pad=0 are not supported");
  x = padExplicitly(im, x, *w,
                    isMax ? -std::numeric_limits<double>::infinity() : 0.0);
  SmallVector<NamedAttribute, 6> attrs = {
      im.builder.getNamedAttr("kernel", ints(im, w->kernel)),
      im.builder.getNamedAttr("stride", ints(im, w->stride)),
      im.builder.getNamedAttr("padding", ints(im, w->begin))};
  if (intAttr(node, "ceil_mode", 0))
    attrs.push_back(
        im.builder.getNamedAttr("ceil_mode", im.builder.getUnitAttr()));
  if (!isMax && !countPad)
    attrs.push_back(
        im.builder.getNamedAttr("exclude_pad", im.builder.getUnitAttr()));
  Value y =
      x ? nn::buildChecked<OpTy>(im.builder, im.loc(), {x}, attrs) : Value();
  return im.result(node, y);
}

/// GlobalAveragePool and GlobalMaxPool (an adaptive pool to 1x1).
template <typename OpTy> Converter globalPool(bool toOne) {
  return [toOne](Importer &im, const onnx::NodeProto &node) {
    Value x = im.tensor(node, 0);
    if (!x)
      return false;
    if (Importer::shapeOf(x).size() != 4)
      return im.error("only [N, C, H, W] inputs are supported");
    SmallVector<NamedAttribute, 1> attrs;
    if (toOne)
      attrs.push_back(im.builder.getNamedAttr("size", ints(im, {1, 1})));
    return im.result(node,
                     nn::buildChecked<OpTy>(im.builder, im.loc(), {x}, attrs));
  };
}
} // namespace

void onnx_import::registerConvPoolOps(Registry &r) {
  r["Conv"] = conv;
  r["MaxPool"] = pool<nn::MaxPool2dOp>;
  r["AveragePool"] = pool<nn::AvgPool2dOp>;
  r["GlobalAveragePool"] = globalPool<nn::GlobalAvgPool2dOp>(false);
  r["GlobalMaxPool"] = globalPool<nn::AdaptiveMaxPool2dOp>(true);
}
