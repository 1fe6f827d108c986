//===- pipeline.cpp - libFuzzer target: a model through to scheduled hl ---===//
//
// What nncc runs before Halide: the graph passes, NN->HL and hl-schedule.
//
//===----------------------------------------------------------------------===//

#include "compiler/conversion/Passes.h"
#include "compiler/schedule/Passes.h"
#include "compiler/transforms/Passes.h"
#include "fuzz/Input.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext context;
  auto module = nncc::fuzz::buildModel(context, data, size);
  if (!module)
    return 0;
  mlir::PassManager pm(&context);
  pm.addPass(mlir::createCanonicalizerPass());
  pm.addNestedPass<mlir::FuncOp>(nncc::createRecognizeAttentionPass());
  pm.addNestedPass<mlir::FuncOp>(nncc::createFoldAffinePass());
  pm.addNestedPass<mlir::FuncOp>(nncc::createHoistSlicesPass());
  pm.addNestedPass<mlir::FuncOp>(nncc::createChannelsLastPass(16));
  pm.addNestedPass<mlir::FuncOp>(nncc::createLinearToMatmulPass(64));
  pm.addPass(nncc::createConvertNNToHLPass());
  pm.addPass(nncc::createHLSchedulePass(nncc::TargetModel{}));
  (void)pm.run(*module);
  return 0;
}
