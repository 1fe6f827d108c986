//===- Diagnostics.h - printing located errors ------------------*- C++ -*-===//
#ifndef NNCC_FRONTEND_DIAGNOSTICS_H
#define NNCC_FRONTEND_DIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/raw_ostream.h"

namespace nncc {

/// Prints every diagnostic of a context as `FILE:LINE:COL: error: MESSAGE`
/// followed by the source line and a caret (LANGUAGE.md §8). Long lines are
/// shown as a window around the column, so a pathological input cannot turn
/// one error into megabytes of output.
class SourceDiagnosticPrinter {
public:
  SourceDiagnosticPrinter(mlir::MLIRContext &context, llvm::StringRef filename,
                          llvm::StringRef source, llvm::raw_ostream &os);
  ~SourceDiagnosticPrinter();

private:
  void print(mlir::Diagnostic &diag);
  void printSourceLine(unsigned line, unsigned col);

  mlir::MLIRContext &context;
  mlir::DiagnosticEngine::HandlerID id;
  std::string filename;
  llvm::StringRef source;
  llvm::raw_ostream &os;
};

} // namespace nncc

#endif // NNCC_FRONTEND_DIAGNOSTICS_H
