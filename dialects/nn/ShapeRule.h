//===- ShapeRule.h - what every nn shape function uses ---------*- C++ -*-===//
//
// The shape functions of the nn ops (NNShapes.cpp, ReductionShapes.cpp)
// share these: the rule's state and error reporting, shape text for
// messages, broadcasting and attribute checks, and NN_SHAPE_RULE, which
// defines an op's inferReturnTypes from a rule body.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_DIALECTS_NN_SHAPERULE_H
#define NNCC_DIALECTS_NN_SHAPERULE_H

#include "dialects/nn/NNOps.h"
#include "dialects/nn/TensorLimits.h"

#include "llvm/Support/raw_ostream.h"

#include <limits>

namespace nncc {
namespace nn {
namespace shape {
using namespace mlir;

using Shape = SmallVector<int64_t, 4>;

struct ShapeText {
  ArrayRef<int64_t> dims;
};

inline llvm::raw_ostream &operator<<(llvm::raw_ostream &os, ShapeText s) {
  os << '[';
  llvm::interleaveComma(s.dims, os);
  return os << ']';
}

inline ShapeText text(ArrayRef<int64_t> dims) { return {dims}; }

/// `dims` permuted: dim i of the result is dims[perm[i]].
inline Shape permuted(ArrayRef<int64_t> dims, ArrayRef<int64_t> perm) {
  Shape out;
  for (int64_t d : perm)
    out.push_back(dims[d]);
  return out;
}

/// Collects one error message and reports it at the op's location, if it
/// has one (InferTypeOpInterface's contract: no location, no diagnostic).
class ShapeError {
public:
  ShapeError(Optional<Location> loc, StringRef op) : loc(loc), os(message) {
    os << op << ": ";
  }
  template <typename T> ShapeError &operator<<(const T &value) {
    os << value;
    return *this;
  }
  operator LogicalResult() {
    if (loc)
      emitError(*loc) << os.str();
    return failure();
  }

private:
  Optional<Location> loc;
  std::string message;
  llvm::raw_string_ostream os;
};

/// The element count, saturating instead of overflowing on absurd shapes.
inline int64_t product(ArrayRef<int64_t> s) {
  int64_t n = 1;
  for (int64_t d : s)
    if (__builtin_mul_overflow(n, d, &n))
      return std::numeric_limits<int64_t>::max();
  return n;
}

/// The operand an op reads as i32 indices, or -1 (only embedding has one).
template <typename Adaptor> constexpr int indexOperand() { return -1; }
template <> constexpr int indexOperand<EmbeddingOpAdaptor>() { return 0; }

/// The shared state of one shape rule: where to report, under which name,
/// and the inferred result.
struct Rule {
  MLIRContext *ctx;
  Optional<Location> loc;
  StringRef op;
  SmallVectorImpl<Type> &results;

  ShapeError error() { return ShapeError(loc, op); }

  /// Validates attributes (ODS constraints) and operand types before any
  /// rule reads them.
  template <typename Adaptor>
  LogicalResult start(Adaptor &adaptor, ValueRange operands) {
    if (failed(adaptor.verify(loc ? *loc : UnknownLoc::get(ctx))))
      return failure();
    for (auto it : llvm::enumerate(operands)) {
      auto type = it.value().getType().template dyn_cast<RankedTensorType>();
      bool indices = (int)it.index() == indexOperand<Adaptor>();
      if (!type || !(indices ? type.getElementType().isSignlessInteger(32)
                             : type.getElementType().isF32()))
        return error() << "operand #" << it.index() << " must be a ranked "
                       << (indices ? "i32" : "f32") << " tensor, got "
                       << it.value().getType();
    }
    return success();
  }

  LogicalResult result(ArrayRef<int64_t> shape);
};

inline LogicalResult Rule::result(ArrayRef<int64_t> shape) {
  if (product(shape) > nncc::kMaxTensorElements)
    return error() << "result " << text(shape) << " has more than "
                   << nncc::kMaxTensorElementsText;
  results.push_back(RankedTensorType::get(shape, Float32Type::get(ctx)));
  return success();
}

inline ArrayRef<int64_t> shapeOf(Value v) {
  return v.getType().cast<RankedTensorType>().getShape();
}

inline Shape ints(ArrayAttr attr) {
  Shape out;
  for (Attribute a : attr)
    out.push_back(a.cast<IntegerAttr>().getInt());
  return out;
}

/// Reads a [height, width] attribute, each at least `min`.
inline LogicalResult pairOf(Rule &r, ArrayAttr attr, StringRef name,
                            int64_t min, std::array<int64_t, 2> &out) {
  Shape v = ints(attr);
  if (v.size() != 2)
    return r.error() << name << " must have 2 values [h, w], got " << v.size();
  for (int64_t x : v)
    if (x < min)
      return r.error() << name << " must be at least " << min << ", got "
                       << text(v);
  out = {v[0], v[1]};
  return success();
}

inline LogicalResult checkRank(Rule &r, StringRef what, ArrayRef<int64_t> shape,
                               int64_t rank, StringRef layout) {
  if ((int64_t)shape.size() != rank)
    return r.error() << what << " must be " << rank << "-D " << layout
                     << ", got " << text(shape);
  return success();
}

inline LogicalResult checkAxis(Rule &r, StringRef what, int64_t axis,
                               size_t rank) {
  if (axis < 0 || axis >= (int64_t)rank)
    return r.error() << what << " " << axis << " is out of range for a " << rank
                     << "-D input";
  return success();
}

/// Checks that `v` is the 1-D [n] vector a per-channel operand must be.
inline LogicalResult checkVector(Rule &r, StringRef what, Value v, int64_t n,
                                 StringRef of) {
  if (!v)
    return success();
  ArrayRef<int64_t> s = shapeOf(v);
  if (s.size() != 1 || s[0] != n)
    return r.error() << what << " has shape " << text(s) << " but " << of
                     << " is " << n << ", so it must be [" << n << "]";
  return success();
}

/// NumPy broadcasting of two shapes aligned at their last dimension.
inline Optional<Shape> broadcast(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  Shape out(std::max(a.size(), b.size()));
  for (size_t i = 0; i < out.size(); ++i) {
    int64_t x = i < a.size() ? a[a.size() - 1 - i] : 1;
    int64_t y = i < b.size() ? b[b.size() - 1 - i] : 1;
    if (x != y && x != 1 && y != 1)
      return llvm::None;
    out[out.size() - 1 - i] = x == 1 ? y : x;
  }
  return out;
}

} // namespace shape
} // namespace nn
} // namespace nncc

/// Defines OP's inferReturnTypes: validates its attributes and operands,
/// then runs the body, which reads `a` (the adaptor) and reports through
/// `r` (the rule) under NAME.
#define NN_SHAPE_RULE(OP, NAME)                                                \
  static LogicalResult OP##Shape(Rule &r, OP##Adaptor &a,                      \
                                 ValueRange operands);                         \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *ctx, Optional<Location> loc, ValueRange operands,           \
      DictionaryAttr attrs, RegionRange, SmallVectorImpl<Type> &results) {     \
    Rule r{ctx, loc, NAME, results};                                           \
    OP##Adaptor a(operands, attrs);                                            \
    if (failed(r.start(a, operands)))                                          \
      return failure();                                                        \
    return OP##Shape(r, a, operands);                                          \
  }                                                                            \
  static LogicalResult OP##Shape(Rule &r, OP##Adaptor &a, ValueRange operands)

#endif // NNCC_DIALECTS_NN_SHAPERULE_H
