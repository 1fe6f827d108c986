//===- Indexing.cpp - x[...], Python's basic indexing ---------------------===//
//
// An integer selects a dimension and drops it; a slice start:stop:step
// (step >= 1) keeps it, its bounds clamped as Python clamps them; one '...'
// stands for the dimensions not named. Built from nn.slice and a reshape.
// A list (split's and chunk's results) takes an integer.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontend/Generator.h"

using namespace nncc;
using namespace nncc::gen;

Optional<int64_t> Generator::evalInteger(const Expr &e, const Scope &scope) {
  Optional<GenValue> v = eval(e, scope);
  if (!v)
    return None;
  if (v->kind != GenValue::Kind::Integer) {
    error(e.loc) << "an index must be an integer, got " << v->describe();
    return None;
  }
  return v->intValue;
}

Optional<GenValue> Generator::evalIndex(const Expr &e, const Scope &scope) {
  Optional<GenValue> base = eval(*e.operands[0], scope);
  if (!base)
    return None;
  // The results of split and chunk: list[i].
  if (base->kind == GenValue::Kind::List && e.indices.size() == 1 &&
      e.indices[0].kind == IndexItem::Kind::Single) {
    Optional<int64_t> i = evalInteger(*e.indices[0].start, scope);
    int64_t n = base->items.size();
    if (i && *i < 0)
      *i += n;
    if (i && (*i < 0 || *i >= n))
      error(e.indices[0].loc) << "index is out of range for a list of " << n;
    if (!i || *i < 0 || *i >= n)
      return None;
    return base->items[*i];
  }
  if (base->kind != GenValue::Kind::Tensor) {
    error(e.loc) << "only tensors and lists can be indexed, not "
                 << base->describe();
    return None;
  }
  Value x = base->tensor;
  ArrayRef<int64_t> shape = x.getType().cast<ShapedType>().getShape();
  int64_t rank = shape.size();
  int64_t explicitDims = 0, ellipses = 0;
  for (const IndexItem &item : e.indices)
    (item.kind == IndexItem::Kind::Ellipsis ? ellipses : explicitDims) += 1;
  if (ellipses > 1 || explicitDims > rank) {
    error(e.loc) << (ellipses > 1 ? "an index may hold one '...'"
                                  : "too many indices for a " +
                                        std::to_string(rank) + "-D tensor");
    return None;
  }
  // Python's basic indexing: an integer selects (and drops) a dimension; a
  // slice start:stop:step (step >= 1) keeps it, its bounds clamped.
  SmallVector<int64_t, 4> kept;
  int64_t dim = 0;
  Location loc = file.loc(e.loc);
  for (const IndexItem &item : e.indices) {
    if (item.kind == IndexItem::Kind::Ellipsis) {
      for (int64_t end = dim + rank - explicitDims; dim < end; ++dim)
        kept.push_back(shape[dim]);
      continue;
    }
    int64_t size = shape[dim], start = 0, stop = size, step = 1;
    auto bound = [&](const ExprPtr &part, int64_t &out) {
      if (!part)
        return true;
      Optional<int64_t> v = evalInteger(*part, scope);
      if (v)
        out = *v < 0 ? std::max<int64_t>(*v + size, 0) : std::min(*v, size);
      return v.hasValue();
    };
    if (item.kind == IndexItem::Kind::Single) {
      Optional<int64_t> i = evalInteger(*item.start, scope);
      if (!i)
        return None;
      start = *i < 0 ? *i + size : *i;
      if (start < 0 || start >= size) {
        error(item.loc) << "index " << *i << " is out of range for dimension "
                        << dim << " of size " << size;
        return None;
      }
      stop = start + 1;
    } else {
      if (item.step) {
        Optional<int64_t> s = evalInteger(*item.step, scope);
        if (!s)
          return None;
        if (*s < 1) {
          error(item.step->loc)
              << "a slice's step must be positive, got " << *s;
          return None;
        }
        step = *s;
      }
      if (!bound(item.start, start) || !bound(item.stop, stop))
        return None;
      if (start >= stop) {
        error(item.loc) << "the slice selects nothing from dimension " << dim
                        << " of size " << size;
        return None;
      }
      kept.push_back((stop - start + step - 1) / step);
    }
    if (start != 0 || stop != size || step != 1)
      x = nn::buildSlice(builder, loc, x, dim, start, stop, step);
    if (!x)
      return None;
    ++dim;
  }
  for (; dim < rank; ++dim)
    kept.push_back(shape[dim]);
  if ((int64_t)kept.size() != rank)
    x = nn::buildReshape(builder, loc, x, kept);
  return GenValue::ofTensor(x);
}
