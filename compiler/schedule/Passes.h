//===- Passes.h - nncc scheduling passes ------------------------*- C++ -*-===//
#ifndef NNCC_SCHEDULE_PASSES_H
#define NNCC_SCHEDULE_PASSES_H

#include "compiler/schedule/TargetModel.h"
#include "mlir/Pass/Pass.h"

namespace nncc {

std::unique_ptr<mlir::Pass> createHLSchedulePass();
std::unique_ptr<mlir::Pass> createHLSchedulePass(const TargetModel &target);

#define GEN_PASS_REGISTRATION
#include "compiler/schedule/Passes.h.inc"

} // namespace nncc

#endif // NNCC_SCHEDULE_PASSES_H
