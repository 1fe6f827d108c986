//===- nncc-opt.cpp - nn dialect optimizer driver for lit tests -----------===//

#include "dialects/nn/NNDialect.h"

#include "mlir/Dialect/StandardOps/IR/Ops.h"
#include "mlir/Support/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();

  mlir::DialectRegistry registry;
  registry.insert<nncc::nn::NNDialect, mlir::StandardOpsDialect>();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "nncc optimizer driver\n", registry));
}
