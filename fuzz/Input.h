//===- Input.h - what the fuzz targets share --------------------*- C++ -*-===//
#ifndef NNCC_FUZZ_INPUT_H
#define NNCC_FUZZ_INPUT_H

#include "compiler/frontend/MLIRGen.h"
#include "compiler/frontend/Parser.h"
#include "dialects/nn/NNDialect.h"

#include "mlir/Dialect/StandardOps/IR/Ops.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <string>

namespace nncc {
namespace fuzz {

/// A graph-language model from the fuzzer's bytes, its nn module built in
/// `context` (null where nncc reports an error, as it may). Diagnostics
/// are swallowed: only crashes, sanitizer reports and hangs are findings.
inline mlir::OwningOpRef<mlir::ModuleOp>
buildModel(mlir::MLIRContext &context, const uint8_t *data, size_t size) {
  context.getDiagEngine().registerHandler(
      [](mlir::Diagnostic &) { return mlir::success(); });
  std::string text(reinterpret_cast<const char *>(data), size);
  Parser parser(text);
  std::unique_ptr<Module> ast = parser.parseModule();
  if (!ast)
    return nullptr;
  return mlirGen(context, *ast, "fuzz.graph");
}

} // namespace fuzz
} // namespace nncc

#endif // NNCC_FUZZ_INPUT_H
