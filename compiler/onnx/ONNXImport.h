//===- ONNXImport.h - ONNX models to the nn dialect -------------*- C++ -*-===//
//
// `nncc model.onnx` reads a ModelProto (Debian's libonnx protobuf classes)
// and builds the same nn function a .graph model would: graph inputs are
// the model's inputs, float initializers its params (bound as weights
// unless --params-as-inputs), graph outputs its outputs. Computations on
// values known at import time (PyTorch's exported shape arithmetic) are
// folded while importing, so only the model's dataflow becomes nn ops.
// Every error names the node: `model.onnx: node "Conv_12" (Conv): ...`.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_ONNX_ONNXIMPORT_H
#define NNCC_ONNX_ONNXIMPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <map>
#include <string>
#include <vector>

namespace nncc {

struct ImportOptions {
  /// Initializers become arguments of the model rather than bound weights.
  bool paramsAsInputs = false;
  /// Shapes for inputs with dynamic dims, by input name.
  std::map<std::string, std::vector<int64_t>> inputShapes;
};

/// Imports the ONNX model at `path` (its bytes in `bytes`); null after an
/// error, reported through `context`'s diagnostics.
mlir::OwningOpRef<mlir::ModuleOp> importONNX(mlir::MLIRContext &context,
                                             llvm::StringRef path,
                                             llvm::StringRef bytes,
                                             const ImportOptions &options);

/// The ONNX op types the importer converts, sorted (for --help and docs).
std::vector<std::string> supportedONNXOps();

} // namespace nncc

#endif // NNCC_ONNX_ONNXIMPORT_H
