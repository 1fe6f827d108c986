//===- Passes.td - nncc scheduling passes -----------------*- tablegen -*-===//

#ifndef NNCC_SCHEDULE_PASSES_TD
#define NNCC_SCHEDULE_PASSES_TD

include "mlir/Pass/PassBase.td"

def HLSchedule : Pass<"hl-schedule", "mlir::ModuleOp"> {
  let summary = "Give every func of every hl.pipeline an explicit schedule";
  let description = [{
    The baseline strategy: reductions and outputs are computed at root,
    vectorized along their innermost pure variable by the target's vector
    width and parallel over their outermost non-trivial one; a reduction
    whose only consumer is elementwise is computed inside that consumer's
    parallel loop; funcs that do arithmetic and are read inside another
    func's reduction are computed at root, and so are boundary conditions
    read inside a reduction; everything else is inlined. Reductions are
    register-blocked: their largest outer variable (output channels, rows)
    is split into blocks unrolled innermost, as many accumulators as fit in
    the target's `registers` beside the operands, so each value the
    reduction loads feeds that many FMAs.
  }];
  let constructor = "nncc::createHLSchedulePass()";
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"8",
           "f32 lanes of the target's natural vector">,
    Option<"registers", "registers", "int64_t", /*default=*/"16",
           "vector registers of the target">,
    Option<"l2Bytes", "l2-bytes", "int64_t", /*default=*/"1048576",
           "L2 cache of one core of the target">,
  ];
}

#endif // NNCC_SCHEDULE_PASSES_TD
