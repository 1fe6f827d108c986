//===- HLOps.h - hl dialect operations --------------------------*- C++ -*-===//
#ifndef NNCC_DIALECTS_HL_HLOPS_H
#define NNCC_DIALECTS_HL_HLOPS_H

#include "dialects/hl/HLDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/RegionKindInterface.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/hl/HLEnums.h.inc"

#define GET_OP_CLASSES
#include "dialects/hl/HLOps.h.inc"

namespace nncc {
namespace hl {

/// The number of coordinates a call to the symbol `op` takes (a func's
/// variables, an input's or buffer's rank), or -1 if `op` cannot be called.
int64_t callableRank(mlir::Operation *op);

} // namespace hl
} // namespace nncc

#endif // NNCC_DIALECTS_HL_HLOPS_H
