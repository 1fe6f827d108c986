//===- MLIRGen.h - graph language AST to the nn dialect ---------*- C++ -*-===//
#ifndef NNCC_FRONTEND_MLIRGEN_H
#define NNCC_FRONTEND_MLIRGEN_H

#include "compiler/frontend/AST.h"
#include "compiler/frontend/WeightNames.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace nncc {

/// Builds a module holding one function named after the model: its
/// arguments are the inputs then the params (attribute `nn.name`, and
/// `nn.param` on params), its results the outputs (`nn.name`), all in
/// declaration order. `def` functions are inlined at each call. Every op
/// carries the FileLineColLoc of the expression it came from.
///
/// Errors are reported through the context's diagnostic engine at source
/// locations in `filename`; the result is then null.
/// The nn function of `module`; `weights` resolves params declared without
/// a shape and module prefixes (empty without a weights file).
mlir::OwningOpRef<mlir::ModuleOp> mlirGen(mlir::MLIRContext &context,
                                          const Module &module,
                                          llvm::StringRef filename,
                                          const WeightNames &weights = {});

} // namespace nncc

#endif // NNCC_FRONTEND_MLIRGEN_H
