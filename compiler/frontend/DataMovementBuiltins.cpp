//===- DataMovementBuiltins.cpp - reshaping, slicing, padding, resizing ---===//
//
// The data-movement operators of the table: views (reshape, flatten,
// transpose, permute), joins and cuts (concat, slice, split, chunk,
// select), gathers (embedding), padding and resizing.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontend/BuiltinTable.h"
#include "dialects/nn/NNOps.h"

#include <cmath>

using namespace nncc;
using namespace mlir;
using llvm::None;
using llvm::Optional;

namespace {
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

/// Pieces of `size` along an extent of `n`, the last one smaller.
SmallVector<int64_t, 4> evenSizes(int64_t n, int64_t size) {
  SmallVector<int64_t, 4> sizes;
  for (int64_t at = 0; at < n; at += size)
    sizes.push_back(std::min(size, n - at));
  return sizes;
}

/// The extent of `x` along `axis`, or 0 (and an error from the op's shape
/// rule, later) when there is none.
int64_t extentOf(Value x, int64_t axis) {
  ArrayRef<int64_t> s = shapeOf(x);
  return axis >= 0 && axis < (int64_t)s.size() ? s[axis] : 0;
}

} // namespace

void nncc::addDataMovementBuiltins(llvm::StringMap<Builtin> &t) {
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
          sizes = evenSizes(n, size);
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
  t["chunk"] = {
      {"x", "chunks", "axis"}, [](BuiltinCall &c) -> Optional<GenValue> {
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
        return pieces(c, x, axis, evenSizes(n, (n + chunks - 1) / chunks));
      }};
  // torch.select: index along axis, which goes.
  t["embedding"] = {{"ids", "w"}, [](BuiltinCall &c) {
                      Value ids = c.indices("ids"), w = c.tensor("w");
                      return c.build<nn::EmbeddingOp>({ids, w}, {});
                    }};
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
        // Negative pads crop (constant mode, as PyTorch): a slice first.
        for (int64_t d = 0; d < rank && mode == "constant" && !c.failed; ++d) {
          int64_t n = shapeOf(x)[d], start = -std::min<int64_t>(pads[2 * d], 0),
                  end = n + std::min<int64_t>(pads[2 * d + 1], 0);
          if (start == 0 && end == n)
            continue;
          Optional<GenValue> cropped = c.build<nn::SliceOp>(
              {x},
              {c.attr("axis", d), c.attr("start", start), c.attr("end", end)});
          if (!cropped)
            return None;
          x = cropped->tensor;
          pads[2 * d] = std::max<int64_t>(pads[2 * d], 0);
          pads[2 * d + 1] = std::max<int64_t>(pads[2 * d + 1], 0);
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
}
