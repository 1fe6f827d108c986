//===- BuiltinTable.h - what the operator table's files share --*- C++ -*-===//
//
// Builtins.cpp holds the operator table; DataMovementBuiltins.cpp adds the
// data-movement operators to it. Both build ops through these.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_FRONTEND_BUILTINTABLE_H
#define NNCC_FRONTEND_BUILTINTABLE_H

#include "compiler/frontend/Builtins.h"
#include "dialects/nn/NNOps.h"

namespace nncc {

template <typename OpTy>
llvm::Optional<GenValue>
BuiltinCall::build(llvm::ArrayRef<mlir::Value> operands,
                   llvm::ArrayRef<mlir::NamedAttribute> attrs) {
  if (failed)
    return llvm::None;
  llvm::SmallVector<mlir::Value, 8> present;
  for (mlir::Value v : operands)
    if (v)
      present.push_back(v);
  mlir::Value result =
      nn::buildChecked<OpTy>(builder, file.loc(at), present, attrs);
  if (!result)
    return llvm::None;
  return GenValue::ofTensor(result);
}

inline int64_t rankOf(mlir::Value v) {
  return v ? v.getType().cast<mlir::ShapedType>().getRank() : 0;
}

inline llvm::ArrayRef<int64_t> shapeOf(mlir::Value v) {
  return v ? v.getType().cast<mlir::ShapedType>().getShape()
           : llvm::ArrayRef<int64_t>();
}

/// A unit attribute `name`, present where `value` holds.
inline void addFlag(BuiltinCall &c,
                    llvm::SmallVectorImpl<mlir::NamedAttribute> &attrs,
                    llvm::StringRef name, bool value) {
  if (value)
    attrs.push_back(c.builder.getNamedAttr(name, c.builder.getUnitAttr()));
}

/// Adds reshape, flatten, transpose, permute, concat, slice, split, chunk,
/// select, embedding, pad and interpolate to `table`.
void addDataMovementBuiltins(llvm::StringMap<Builtin> &table);

} // namespace nncc

#endif // NNCC_FRONTEND_BUILTINTABLE_H
