//===- Passes.h - nncc conversion passes ------------------------*- C++ -*-===//
#ifndef NNCC_CONVERSION_PASSES_H
#define NNCC_CONVERSION_PASSES_H

#include "mlir/Pass/Pass.h"

namespace nncc {

std::unique_ptr<mlir::Pass> createConvertNNToHLPass();

#define GEN_PASS_REGISTRATION
#include "compiler/conversion/Passes.h.inc"

} // namespace nncc

#endif // NNCC_CONVERSION_PASSES_H
