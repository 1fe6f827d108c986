//===- Passes.td - nncc conversion passes -----------------*- tablegen -*-===//

#ifndef NNCC_CONVERSION_PASSES_TD
#define NNCC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertNNToHL : Pass<"convert-nn-to-hl", "mlir::ModuleOp"> {
  let summary = "Lower each nn function to an hl.pipeline";
  let description = [{
    Arguments become hl.inputs, each nn op one or more hl funcs (the op
    semantics live here and nowhere else), and results hl.outputs. The
    pipeline takes the function's name. Funcs are left unscheduled.
  }];
  let constructor = "nncc::createConvertNNToHLPass()";
  let dependentDialects = ["nncc::hl::HLDialect",
                           "mlir::arith::ArithmeticDialect",
                           "mlir::math::MathDialect"];
}

#endif // NNCC_CONVERSION_PASSES_TD
