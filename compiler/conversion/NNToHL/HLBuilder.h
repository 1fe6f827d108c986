//===- HLBuilder.h - building hl funcs for one nn op ------------*- C++ -*-===//
#ifndef NNCC_CONVERSION_NNTOHL_HLBUILDER_H
#define NNCC_CONVERSION_NNTOHL_HLBUILDER_H

#include "dialects/hl/HLOps.h"

#include "mlir/Dialect/Arithmetic/IR/Arithmetic.h"

#include "mlir/IR/Builders.h"

#include <array>

namespace nncc {

/// Builds hl definitions into a pipeline: funcs, updates, boundaries and
/// buffers, and the i32 index and f32 value arithmetic of their bodies. The
/// body callbacks run with the insertion point inside the new definition.
class HLBuilder {
public:
  using Ref = mlir::FlatSymbolRefAttr;
  using PureBody = llvm::function_ref<mlir::Value(mlir::ValueRange vars)>;
  using UpdateBody = llvm::function_ref<mlir::Value(mlir::ValueRange vars,
                                                    mlir::ValueRange rvars)>;

  HLBuilder(mlir::OpBuilder &builder, mlir::Location loc,
            hl::PipelineOp pipeline, mlir::SymbolTable &symbols)
      : b(builder), loc(loc), pipeline(pipeline), symbols(symbols) {}

  /// A func over [0, shape) named after `name` (made unique), with
  /// variables `vars` (default: varNames).
  Ref func(llvm::StringRef name, llvm::ArrayRef<int64_t> shape, PureBody body,
           llvm::ArrayRef<llvm::StringRef> vars = {});
  /// An update of `f` over the reduction box [0, extents) that writes at
  /// the pure variables; `where` (optional) restricts the box.
  void update(Ref f, llvm::ArrayRef<llvm::StringRef> rvars,
              llvm::ArrayRef<int64_t> extents, UpdateBody body,
              UpdateBody where = nullptr);
  /// Multiplies `f` by `factor` in a final update (means from sums).
  void scale(Ref f, double factor);
  /// `source` inside [0, shape), `value` outside.
  Ref exterior(Ref source, llvm::ArrayRef<int64_t> shape, float value);
  Ref buffer(llvm::StringRef name, mlir::ElementsAttr value);

  mlir::Value call(Ref f, mlir::ValueRange args);
  /// Reads the i32 input `source` at `args`: an index the entry point
  /// requires to be in [0, bound).
  mlir::Value readIndex(Ref source, mlir::ValueRange args, int64_t bound);
  /// Reads `f` of shape `shape` at the trailing coordinates of `vars`,
  /// broadcasting its size-1 dimensions (NumPy rules).
  mlir::Value callBroadcast(Ref f, llvm::ArrayRef<int64_t> shape,
                            mlir::ValueRange vars);

  mlir::Value index(int64_t v);
  mlir::Value add(mlir::Value a, mlir::Value b);
  mlir::Value add(mlir::Value a, int64_t c) { return c ? add(a, index(c)) : a; }
  mlir::Value mul(mlir::Value a, int64_t c);
  mlir::Value floorDiv(mlir::Value a, int64_t c);
  mlir::Value floorMod(mlir::Value a, int64_t c);
  mlir::Value clamp(mlir::Value a, int64_t lo, int64_t hi);
  mlir::Value less(mlir::Value a, int64_t c);
  mlir::Value less(mlir::Value a, mlir::Value b);
  mlir::Value sub(mlir::Value a, mlir::Value b);
  /// |a| of an index.
  mlir::Value absIndex(mlir::Value a);
  /// Whether both conditions hold.
  mlir::Value both(mlir::Value a, mlir::Value b);

  mlir::Value f32(double v);
  mlir::Value addf(mlir::Value a, mlir::Value b);
  mlir::Value subf(mlir::Value a, mlir::Value b);
  mlir::Value mulf(mlir::Value a, mlir::Value b);
  mlir::Value divf(mlir::Value a, mlir::Value b);
  mlir::Value maxf(mlir::Value a, mlir::Value b);
  mlir::Value minf(mlir::Value a, mlir::Value b);
  mlir::Value select(mlir::Value cond, mlir::Value a, mlir::Value b);
  /// Whether a or b is NaN.
  mlir::Value eitherNaN(mlir::Value a, mlir::Value b);
  mlir::Value anyOf(mlir::Value a, mlir::Value b);
  mlir::Value isNaN(mlir::Value a);
  /// torch.clamp(a, lo, hi), either bound optional: NaN stays NaN (Halide's
  /// max and min would make it a bound). Compiles to a max and a min.
  mlir::Value clampKeepingNaN(mlir::Value a, llvm::Optional<double> lo,
                              llvm::Optional<double> hi);
  /// PyTorch's max and min: NaN if either is (Halide's drop it).
  mlir::Value maxKeepingNaN(mlir::Value a, mlir::Value b);
  mlir::Value minKeepingNaN(mlir::Value a, mlir::Value b);
  mlir::Value cmpf(mlir::arith::CmpFPredicate predicate, mlir::Value a,
                   mlir::Value b);
  /// An index (a loop variable) as f32, and a non-negative f32 floored to
  /// an index.
  mlir::Value toF32(mlir::Value index);
  mlir::Value toIndex(mlir::Value f);
  template <typename OpTy> mlir::Value unary(mlir::Value a) {
    return b.create<OpTy>(loc, a);
  }

  mlir::OpBuilder &builder() { return b; }
  mlir::Location location() const { return loc; }

private:
  mlir::Block *body(mlir::Region &region, size_t numArgs);

  mlir::OpBuilder &b;
  mlir::Location loc;
  hl::PipelineOp pipeline;
  mlir::SymbolTable &symbols;
};

/// Names for the variables of a rank-`rank` func: n, c, y, x for images,
/// d0, d1, ... otherwise.
/// The variables of an NHWC func (a channels_last conv or pool).
constexpr std::array<llvm::StringRef, 4> kChannelsLastVars = {"n", "y", "x",
                                                              "c"};
std::vector<std::string> varNames(size_t rank);

} // namespace nncc

#endif // NNCC_CONVERSION_NNTOHL_HLBUILDER_H
