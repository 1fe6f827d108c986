//===- ScheduleReport.h - what --emit=report prints -------------*- C++ -*-===//
#ifndef NNCC_CODEGEN_SCHEDULEREPORT_H
#define NNCC_CODEGEN_SCHEDULEREPORT_H

#include "dialects/hl/HLOps.h"

#include "llvm/Support/raw_ostream.h"

namespace nncc {

/// The schedule of a scheduled hl pipeline, per layer group and func: where
/// the func came from, where it is computed, its register blocking (vector
/// width, unrolled loops, accumulators) and parallel loop; then the memory
/// its intermediates and weights take.
void printScheduleReport(hl::PipelineOp pipeline, llvm::raw_ostream &os);

} // namespace nncc

#endif // NNCC_CODEGEN_SCHEDULEREPORT_H
