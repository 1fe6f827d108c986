//===- MLIRInput.h - nn and hl modules read as MLIR text --------*- C++ -*-===//
#ifndef NNCC_FRONTEND_MLIRINPUT_H
#define NNCC_FRONTEND_MLIRINPUT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

namespace nncc {

/// Loads every dialect a .mlir input may use: nn, hl, std, arith, math.
void loadMLIRDialects(mlir::MLIRContext &context);

/// Parses and verifies `text` (named `name` in diagnostics), in this
/// process. MLIR 14's parser may use freed memory after some parse errors:
/// only for fuzzing and for text that parsed once already.
mlir::OwningOpRef<mlir::ModuleOp> parseMLIRUnchecked(mlir::MLIRContext &context,
                                                     llvm::StringRef text,
                                                     llvm::StringRef name);

/// Parses `text` in a child process first, where a parse error (reported
/// to the context's handler there) cannot corrupt this process, then, once
/// the child parsed it, here. A child killed by a signal is reported as an
/// error located at the file's start.
mlir::OwningOpRef<mlir::ModuleOp> parseMLIR(mlir::MLIRContext &context,
                                            llvm::StringRef text,
                                            llvm::StringRef name);

} // namespace nncc

#endif // NNCC_FRONTEND_MLIRINPUT_H
