//===- NNConstantFold.cpp - nn ops evaluated on constants -----------------===//

#include "dialects/nn/NNConstantFold.h"

#include "mlir/IR/Matchers.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace {
/// Row-major strides of `shape`, right-aligned to `rank` dimensions, with
/// stride 0 along the dimensions `shape` broadcasts (missing or of size 1).
SmallVector<int64_t, 4> stridesIn(ArrayRef<int64_t> shape, size_t rank) {
  SmallVector<int64_t, 4> strides(rank, 0);
  int64_t stride = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    size_t d = shape.size() - 1 - i;
    if (shape[d] != 1)
      strides[rank - 1 - i] = stride;
    stride *= shape[d];
  }
  return strides;
}

std::vector<float> valuesOf(DenseElementsAttr dense) {
  auto range = dense.getValues<float>();
  return std::vector<float>(range.begin(), range.end());
}

/// Calls f(index) for each index of `shape` in row-major order.
void forEachIndex(ArrayRef<int64_t> shape,
                  function_ref<void(ArrayRef<int64_t>)> f) {
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  SmallVector<int64_t, 4> index(shape.size(), 0);
  for (int64_t n = 0; n < count; ++n) {
    f(index);
    for (int i = (int)index.size() - 1; i >= 0 && ++index[i] == shape[i]; --i)
      index[i] = 0;
  }
}

int64_t dot(ArrayRef<int64_t> index, ArrayRef<int64_t> strides) {
  int64_t flat = 0;
  for (size_t i = 0; i < index.size(); ++i)
    flat += index[i] * strides[i];
  return flat;
}

DenseElementsAttr make(ShapedType type, ArrayRef<float> values) {
  return DenseElementsAttr::get(type, values);
}
} // namespace

DenseElementsAttr nncc::nn::f32Constant(Attribute attr) {
  auto dense = attr.dyn_cast_or_null<DenseElementsAttr>();
  if (dense && dense.getElementType().isF32())
    return dense;
  return {};
}

DenseElementsAttr nncc::nn::f32Constant(Value v) {
  Attribute attr;
  if (!v || !matchPattern(v, m_Constant(&attr)))
    return {};
  return f32Constant(attr);
}

DenseElementsAttr nncc::nn::permuteConstant(DenseElementsAttr dense,
                                            ArrayRef<int64_t> perm,
                                            ShapedType type) {
  if (dense.isSplat())
    return dense.reshape(type);
  SmallVector<int64_t, 4> in = stridesIn(dense.getType().getShape(),
                                         perm.size()),
                          strides;
  for (int64_t p : perm)
    strides.push_back(in[p]);
  std::vector<float> values = valuesOf(dense), out;
  out.reserve(values.size());
  forEachIndex(type.getShape(), [&](ArrayRef<int64_t> index) {
    out.push_back(values[dot(index, strides)]);
  });
  return make(type, out);
}

DenseElementsAttr nncc::nn::sliceConstant(DenseElementsAttr dense, int64_t axis,
                                          int64_t start, int64_t step,
                                          ShapedType type) {
  if (dense.isSplat())
    return DenseElementsAttr::get(type, dense.getSplatValue<float>());
  ArrayRef<int64_t> shape = dense.getType().getShape();
  SmallVector<int64_t, 4> strides = stridesIn(shape, shape.size());
  std::vector<float> values = valuesOf(dense), out;
  out.reserve(type.getNumElements());
  forEachIndex(type.getShape(), [&](ArrayRef<int64_t> index) {
    int64_t along = index[axis] * (step - 1) + start;
    out.push_back(values[dot(index, strides) + along * strides[axis]]);
  });
  return make(type, out);
}

DenseElementsAttr nncc::nn::concatConstants(ArrayRef<DenseElementsAttr> parts,
                                            int64_t axis, ShapedType type) {
  // Row-major, the result is the parts' blocks below `axis` interleaved:
  // for each outer index, part 0's block, part 1's, ...
  ArrayRef<int64_t> shape = type.getShape();
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  std::vector<std::vector<float>> values;
  for (DenseElementsAttr part : parts)
    values.push_back(valuesOf(part));
  std::vector<float> out;
  out.reserve(type.getNumElements());
  for (int64_t o = 0; o < outer; ++o)
    for (const std::vector<float> &v : values) {
      size_t block = v.size() / outer;
      out.insert(out.end(), v.begin() + o * block, v.begin() + (o + 1) * block);
    }
  return make(type, out);
}

DenseElementsAttr
nncc::nn::elementwiseConstant(ArrayRef<DenseElementsAttr> operands,
                              ShapedType type,
                              function_ref<double(ArrayRef<double>)> f) {
  size_t rank = type.getRank();
  std::vector<SmallVector<int64_t, 4>> strides;
  std::vector<std::vector<float>> values;
  for (DenseElementsAttr operand : operands) {
    strides.push_back(stridesIn(operand.getType().getShape(), rank));
    values.push_back(valuesOf(operand));
  }
  std::vector<float> out;
  out.reserve(type.getNumElements());
  SmallVector<double, 3> element(operands.size());
  forEachIndex(type.getShape(), [&](ArrayRef<int64_t> index) {
    for (size_t i = 0; i < operands.size(); ++i)
      element[i] = values[i][dot(index, strides[i])];
    out.push_back((float)f(element));
  });
  return make(type, out);
}
