//===- mlir.cpp - libFuzzer target: .mlir input as nncc reads it ----------===//
//
// nncc and nncc-opt accept nn and hl modules as MLIR text: the parser and
// the dialects' verifiers see arbitrary bytes.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontend/MLIRInput.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext context;
  context.getDiagEngine().registerHandler(
      [](mlir::Diagnostic &) { return mlir::success(); });
  nncc::loadMLIRDialects(context);
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  (void)nncc::parseMLIRUnchecked(context, text, "fuzz.mlir");
  return 0;
}
