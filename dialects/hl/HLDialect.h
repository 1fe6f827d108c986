//===- HLDialect.h - the hl dialect -----------------------------*- C++ -*-===//
#ifndef NNCC_DIALECTS_HL_HLDIALECT_H
#define NNCC_DIALECTS_HL_HLDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/hl/HLDialect.h.inc"

#endif // NNCC_DIALECTS_HL_HLDIALECT_H
