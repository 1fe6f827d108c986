//===- ScalarExprs.h - hl's scalar arithmetic as Halide expressions -*- C++
//-*-===//
#ifndef NNCC_CODEGEN_SCALAREXPRS_H
#define NNCC_CODEGEN_SCALAREXPRS_H

#include "mlir/IR/Operation.h"

#include <Halide.h>

namespace nncc {

/// The Halide expression of `op`, an arith, math or hl op computing a value
/// from its operands' expressions `in`; None for any other op (reads of
/// funcs included).
llvm::Optional<Halide::Expr> scalarExpr(mlir::Operation *op,
                                        llvm::ArrayRef<Halide::Expr> in);

} // namespace nncc

#endif // NNCC_CODEGEN_SCALAREXPRS_H
