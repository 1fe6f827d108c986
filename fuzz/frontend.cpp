//===- frontend.cpp - libFuzzer target: lexer, parser, MLIRGen ------------===//

#include "fuzz/Input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext context;
  nncc::fuzz::buildModel(context, data, size);
  return 0;
}
