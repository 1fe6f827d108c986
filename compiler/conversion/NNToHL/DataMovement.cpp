//===- DataMovement.cpp - reshapes, transposes, slices, gathers to hl -----===//
//
// Each is a func that reads its input at remapped coordinates; the schedule
// inlines them, so they cost index arithmetic, not copies.
//
//===----------------------------------------------------------------------===//

#include "compiler/conversion/NNToHL/Lowering.h"

using namespace mlir;
using namespace nncc;
using Ref = HLBuilder::Ref;

namespace {

/// Row-major strides of `shape`.
SmallVector<int64_t, 4> strides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t, 4> out(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;)
    out[i - 1] = out[i] * shape[i];
  return out;
}

/// Reads `x` (shape `from`) at the element whose row-major position is that
/// of `v` in shape `to`.
Ref reshape(HLBuilder &hb, Ref x, ArrayRef<int64_t> from,
            ArrayRef<int64_t> to) {
  SmallVector<int64_t, 4> outStrides = strides(to), inStrides = strides(from);
  return hb.func("reshape", to, [&](ValueRange v) {
    Value flat = hb.index(0);
    for (size_t i = 0; i < v.size(); ++i)
      if (to[i] > 1)
        flat = hb.add(flat, hb.mul(v[i], outStrides[i]));
    SmallVector<Value, 4> at;
    for (size_t i = 0; i < from.size(); ++i)
      at.push_back(from[i] == 1
                       ? hb.index(0)
                       : hb.floorMod(hb.floorDiv(flat, inStrides[i]), from[i]));
    return hb.call(x, at);
  });
}

struct ReshapeLowering : NNLowering<nn::ReshapeOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::ReshapeOp op, Adaptor a,
                       HLBuilder &hb) const override {
    return reshape(hb, ref(a.getInput()), shape(a.getInput()), shape(op));
  }
};

struct FlattenLowering : NNLowering<nn::FlattenOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::FlattenOp op, Adaptor a,
                       HLBuilder &hb) const override {
    return reshape(hb, ref(a.getInput()), shape(a.getInput()), shape(op));
  }
};

/// Result dimension i is input dimension perm[i].
Ref permute(HLBuilder &hb, StringRef name, Ref x, ArrayRef<int64_t> out,
            ArrayRef<int64_t> perm) {
  return hb.func(name, out, [&](ValueRange v) {
    SmallVector<Value, 4> at(v.size());
    for (size_t i = 0; i < perm.size(); ++i)
      at[perm[i]] = v[i];
    return hb.call(x, at);
  });
}

struct TransposeLowering : NNLowering<nn::TransposeOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::TransposeOp op, Adaptor a,
                       HLBuilder &hb) const override {
    SmallVector<int64_t, 4> perm;
    for (size_t i = 0; i < shape(op).size(); ++i)
      perm.push_back(i);
    std::swap(perm[op.getDim0Attr().getInt()], perm[op.getDim1Attr().getInt()]);
    return permute(hb, "transpose", ref(a.getInput()), shape(op), perm);
  }
};

struct PermuteLowering : NNLowering<nn::PermuteOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::PermuteOp op, Adaptor a,
                       HLBuilder &hb) const override {
    SmallVector<int64_t, 4> perm;
    for (Attribute d : op.getDims())
      perm.push_back(d.cast<IntegerAttr>().getInt());
    return permute(hb, "permute", ref(a.getInput()), shape(op), perm);
  }
};

/// Selects the input whose range along the axis holds the coordinate. Each
/// read is clamped into its input: Halide evaluates both sides of a select,
/// and an unclamped read would widen the input's required region.
/// F.pad: out(v) reads the input at v - before along each dimension;
/// outside it, constant padding reads the value (a boundary condition),
/// replicate the clamped index, and reflect i -> (n-1) - |(n-1) - |i||,
/// the index mirrored about both edges.
struct PadLowering : NNLowering<nn::PadOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::PadOp op, Adaptor a, HLBuilder &hb) const override {
    Ref x = ref(a.getInput());
    ArrayRef<int64_t> xs = shape(a.getInput());
    SmallVector<int64_t, 8> pads;
    for (Attribute p : op.getPads())
      pads.push_back(p.cast<IntegerAttr>().getInt());
    StringRef mode = op.getMode();
    if (mode == "constant")
      x = hb.exterior(x, xs, op.getValue().convertToDouble());
    return hb.func("pad", shape(op), [&](ValueRange v) {
      SmallVector<Value, 4> at;
      for (size_t d = 0; d < xs.size(); ++d) {
        Value i = hb.add(v[d], -pads[2 * d]);
        if (mode == "replicate")
          i = hb.clamp(i, 0, xs[d] - 1);
        if (mode == "reflect") {
          // Clamped too, for Halide's bounds inference, which cannot see
          // that the mirrored index stays inside.
          Value last = hb.index(xs[d] - 1);
          i = hb.sub(last, hb.absIndex(hb.sub(last, hb.absIndex(i))));
          i = hb.clamp(i, 0, xs[d] - 1);
        }
        at.push_back(i);
      }
      return hb.call(x, at);
    });
  }
};

struct ConcatLowering : NNLowering<nn::ConcatOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::ConcatOp op, Adaptor a,
                       HLBuilder &hb) const override {
    int64_t axis = op.getAxisAttr().getInt();
    return hb.func("concat", shape(op), [&](ValueRange v) {
      Value result;
      int64_t end = shape(op)[axis];
      for (Value input : llvm::reverse(a.getInputs())) {
        int64_t size = shape(input)[axis], begin = end - size;
        SmallVector<Value, 4> at(v.begin(), v.end());
        at[axis] = hb.clamp(hb.add(v[axis], -begin), 0, size - 1);
        Value read = hb.call(ref(input), at);
        result = result ? hb.select(hb.less(v[axis], end), read, result) : read;
        end = begin;
      }
      return result;
    });
  }
};

struct SliceLowering : NNLowering<nn::SliceOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::SliceOp op, Adaptor a,
                       HLBuilder &hb) const override {
    int64_t axis = op.getAxisAttr().getInt(),
            start = op.getStartAttr().getInt(), step = op.getStep();
    Ref x = ref(a.getInput());
    return hb.func("slice", shape(op), [&](ValueRange v) {
      SmallVector<Value, 4> at(v.begin(), v.end());
      at[axis] = hb.add(hb.mul(v[axis], step), start);
      return hb.call(x, at);
    });
  }
};

/// embedding: result[i..., d] = weight[indices[i...], d], the index
/// required in range by the entry point.
struct EmbeddingLowering : NNLowering<nn::EmbeddingOp> {
  using NNLowering::NNLowering;
  FailureOr<Ref> lower(nn::EmbeddingOp op, Adaptor a,
                       HLBuilder &hb) const override {
    Ref ids = ref(a.getIndices()), weight = ref(a.getWeight());
    int64_t rows = shape(a.getWeight())[0];
    return hb.func("embedding", shape(op), [&](ValueRange v) {
      Value row = hb.readIndex(ids, v.drop_back(), rows);
      return hb.call(weight, {row, v.back()});
    });
  }
};

} // namespace

void nncc::populateDataMovementLowerings(RewritePatternSet &patterns,
                                         LoweringState &state) {
  patterns
      .add<ReshapeLowering, FlattenLowering, TransposeLowering, PadLowering,
           PermuteLowering, ConcatLowering, SliceLowering, EmbeddingLowering>(
          patterns.getContext(), state);
}
