//===- NNConstantFold.h - nn ops evaluated on constants ---------*- C++ -*-===//
//
// Weights bound at compile time are re-laid-out and combined then, not on
// every call: the folds of data-movement and elementwise ops compute their
// result from constant operands with these functions. Arithmetic is done in
// double and rounded once to f32.
//
//===----------------------------------------------------------------------===//

#ifndef NNCC_DIALECTS_NN_NNCONSTANTFOLD_H
#define NNCC_DIALECTS_NN_NNCONSTANTFOLD_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Value.h"

namespace nncc {
namespace nn {

/// `attr` as an f32 constant, or null.
mlir::DenseElementsAttr f32Constant(mlir::Attribute attr);
/// The f32 constant that defines `v`, or null (also for a null `v`, an
/// absent optional operand).
mlir::DenseElementsAttr f32Constant(mlir::Value v);

/// The elements of `dense` permuted: result dim i is dense's dim perm[i].
mlir::DenseElementsAttr permuteConstant(mlir::DenseElementsAttr dense,
                                        llvm::ArrayRef<int64_t> perm,
                                        mlir::ShapedType type);

/// dense[..., start::step, ...] along `axis`, type's extent of them.
mlir::DenseElementsAttr sliceConstant(mlir::DenseElementsAttr dense,
                                      int64_t axis, int64_t start, int64_t step,
                                      mlir::ShapedType type);

/// The constants joined along `axis`.
mlir::DenseElementsAttr
concatConstants(llvm::ArrayRef<mlir::DenseElementsAttr> parts, int64_t axis,
                mlir::ShapedType type);

/// f applied to the elements of `operands` broadcast to `type` (NumPy
/// rules), one of each per call.
mlir::DenseElementsAttr
elementwiseConstant(llvm::ArrayRef<mlir::DenseElementsAttr> operands,
                    mlir::ShapedType type,
                    llvm::function_ref<double(llvm::ArrayRef<double>)> f);

} // namespace nn
} // namespace nncc

#endif // NNCC_DIALECTS_NN_NNCONSTANTFOLD_H
