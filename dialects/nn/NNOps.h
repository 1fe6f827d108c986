//===- NNOps.h - nn dialect operations --------------------------*- C++ -*-===//
#ifndef NNCC_DIALECTS_NN_NNOPS_H
#define NNCC_DIALECTS_NN_NNOPS_H

#include "dialects/nn/NNDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <array>

#include "dialects/nn/NNInterfaces.h.inc"

#define GET_OP_CLASSES
#include "dialects/nn/NNOps.h.inc"

namespace nncc {
namespace nn {

/// The layouts of a channels_last conv2d, as permute dims: activations
/// NCHW -> NHWC and back, weights [O, C, kH, kW] -> [kH, kW, C, O] and back.
constexpr std::array<int64_t, 4> kToChannelsLast = {0, 2, 3, 1};
constexpr std::array<int64_t, 4> kFromChannelsLast = {0, 3, 1, 2};
constexpr std::array<int64_t, 4> kWeightToChannelsLast = {2, 3, 1, 0};
constexpr std::array<int64_t, 4> kWeightFromChannelsLast = {3, 2, 0, 1};

/// A permute's `dims` as integers.
llvm::SmallVector<int64_t, 4> permutationOf(mlir::ArrayAttr dims);

/// Builds `OpTy` after checking its operands and attributes with the op's
/// shape function; on a mismatch the error is reported at `loc` and null is
/// returned. This is how front ends create nn ops: the checks the verifier
/// would run happen before the op exists, at the user's source location.
template <typename OpTy>
mlir::Value buildChecked(mlir::OpBuilder &builder, mlir::Location loc,
                         mlir::ValueRange operands,
                         llvm::ArrayRef<mlir::NamedAttribute> attrs) {
  llvm::SmallVector<mlir::Type, 1> types;
  auto dict = mlir::DictionaryAttr::get(builder.getContext(), attrs);
  if (mlir::failed(OpTy::inferReturnTypes(builder.getContext(), loc, operands,
                                          dict, {}, types)))
    return {};
  return builder.create<OpTy>(loc, types, operands, dict.getValue());
}

/// permute(x, dims), reshape(x, shape) and slice(x, axis, start:end:step),
/// built checked (null on a mismatch, reported at `loc`).
mlir::Value buildPermute(mlir::OpBuilder &builder, mlir::Location loc,
                         mlir::Value x, llvm::ArrayRef<int64_t> dims);
mlir::Value buildReshape(mlir::OpBuilder &builder, mlir::Location loc,
                         mlir::Value x, llvm::ArrayRef<int64_t> shape);
mlir::Value buildSlice(mlir::OpBuilder &builder, mlir::Location loc,
                       mlir::Value x, int64_t axis, int64_t start, int64_t end,
                       int64_t step = 1);

/// The value of a single-element f32 nn.constant, or None.
llvm::Optional<double> scalarConstant(mlir::Value v);

/// Whether `op` maps elements one to one (an ElementwiseOp).
bool isElementwise(mlir::Operation *op);

/// F.linear(x, w, bias) as matmul(x, permute(w, [1, 0])) (+ bias), whose
/// vectors read rows of the transposed weight contiguously. The transpose
/// folds into a constant when `w` is one; null if the shapes do not agree.
mlir::Value buildLinearAsMatmul(mlir::OpBuilder &builder, mlir::Location loc,
                                mlir::Value x, mlir::Value w, mlir::Value bias);

} // namespace nn
} // namespace nncc

#endif // NNCC_DIALECTS_NN_NNOPS_H
