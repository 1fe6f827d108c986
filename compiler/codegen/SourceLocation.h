//===- SourceLocation.h - where in the model an op came from ----*- C++ -*-===//
#ifndef NNCC_CODEGEN_SOURCELOCATION_H
#define NNCC_CODEGEN_SOURCELOCATION_H

#include "mlir/IR/Location.h"

#include "llvm/Support/Path.h"

#include <string>

namespace nncc {

/// "model.graph:13:7" (":13" alone without `column`) for an op of a graph
/// file; `model.onnx: node "Conv_1" (Conv)` for an imported ONNX node; ""
/// for an op nncc made up.
inline std::string sourceLocation(mlir::Location loc, bool column) {
  if (auto file = loc.dyn_cast<mlir::FileLineColLoc>()) {
    std::string s = (llvm::sys::path::filename(file.getFilename().getValue()) +
                     ":" + llvm::Twine(file.getLine()))
                        .str();
    return column ? s + ":" + std::to_string(file.getColumn()) : s;
  }
  if (auto name = loc.dyn_cast<mlir::NameLoc>())
    return name.getName().getValue().str();
  return "";
}

} // namespace nncc

#endif // NNCC_CODEGEN_SOURCELOCATION_H
