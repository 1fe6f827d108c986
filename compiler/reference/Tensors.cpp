//===- Tensors.cpp - the reference evaluator's tensor helpers -------------===//

#include "compiler/reference/EvaluatorOps.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace nncc;
using namespace nncc::reference;

std::vector<int64_t> reference::shapeOf(Value v) {
  auto s = v.getType().cast<ShapedType>().getShape();
  return {s.begin(), s.end()};
}

std::vector<int64_t> reference::ints(ArrayAttr attr) {
  std::vector<int64_t> out;
  for (Attribute a : attr)
    out.push_back(a.cast<IntegerAttr>().getInt());
  return out;
}

std::vector<int64_t> reference::strides(const std::vector<int64_t> &shape) {
  std::vector<int64_t> s(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;)
    s[i - 1] = s[i] * shape[i];
  return s;
}

/// Calls fn(index, flat) for every index of `shape` in row-major order.
void reference::forEach(
    const std::vector<int64_t> &shape,
    const std::function<void(const std::vector<int64_t> &, int64_t)> &fn) {
  std::vector<int64_t> idx(shape.size(), 0);
  int64_t total = 1;
  for (int64_t d : shape)
    total *= d;
  for (int64_t flat = 0; flat < total; ++flat) {
    fn(idx, flat);
    for (size_t i = shape.size(); i-- > 0;) {
      if (++idx[i] < shape[i])
        break;
      idx[i] = 0;
    }
  }
}

/// `shape` with dims `perm`: dim i is shape's dim perm[i].
std::vector<int64_t> reference::permutedShape(ArrayRef<int64_t> shape,
                                              ArrayRef<int64_t> perm) {
  std::vector<int64_t> out;
  for (int64_t d : perm)
    out.push_back(shape[d]);
  return out;
}

/// PyTorch's max: NaN wins over any number (std::max keeps its first
/// argument when either is NaN).
double reference::maxKeepingNaN(double a, double b) {
  return std::isnan(a) || a > b ? a : b;
}

/// Reads `x` at the position a permutation of the result index maps to.
Tensor reference::permute(const Tensor &x, const std::vector<int64_t> &perm,
                          std::vector<int64_t> shape) {
  Tensor out(shape);
  std::vector<int64_t> st = strides(x.shape);
  forEach(shape, [&](const std::vector<int64_t> &idx, int64_t flat) {
    int64_t src = 0;
    for (size_t i = 0; i < perm.size(); ++i)
      src += idx[i] * st[perm[i]];
    out.data[flat] = x.data[src];
  });
  return out;
}

Tensor reference::permute(const Tensor &x, ArrayRef<int64_t> perm) {
  return permute(x, std::vector<int64_t>(perm.begin(), perm.end()),
                 permutedShape(x.shape, perm));
}
