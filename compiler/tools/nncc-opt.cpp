//===- nncc-opt.cpp - nn dialect optimizer driver for lit tests -----------===//

#include "compiler/conversion/Passes.h"
#include "compiler/schedule/Passes.h"
#include "compiler/transforms/Passes.h"
#include "dialects/hl/HLDialect.h"
#include "dialects/nn/NNDialect.h"

#include "mlir/Dialect/Arithmetic/IR/Arithmetic.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include "mlir/Dialect/StandardOps/IR/Ops.h"
#include "mlir/Support/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  nncc::registerConversionPasses();
  nncc::registerSchedulePasses();
  nncc::registerTransformsPasses();

  mlir::DialectRegistry registry;
  registry.insert<nncc::nn::NNDialect, nncc::hl::HLDialect,
                  mlir::StandardOpsDialect, mlir::arith::ArithmeticDialect,
                  mlir::math::MathDialect>();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "nncc optimizer driver\n", registry));
}
