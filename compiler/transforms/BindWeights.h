//===- BindWeights.h - params from a weights file ---------------*- C++ -*-===//
#ifndef NNCC_TRANSFORMS_BINDWEIGHTS_H
#define NNCC_TRANSFORMS_BINDWEIGHTS_H

#include "compiler/weights/WeightsReader.h"

#include "mlir/IR/BuiltinOps.h"

namespace nncc {

/// Replaces every param argument of `func` (those marked `nn.param`) with an
/// nn.constant of its value in `weights` and drops it from the signature.
/// Each param must be present, f32, and of exactly its declared shape;
/// errors are reported at the param's declaration. Entries no param uses
/// get one warning.
mlir::LogicalResult bindWeights(mlir::FuncOp func,
                                const llvm::StringMap<StoredTensor> &weights,
                                llvm::StringRef path);

/// The bytes of each param of `module`'s funcs, by name: what readWeights
/// may read of a weights file.
llvm::StringMap<uint64_t> paramBytes(mlir::ModuleOp module);

} // namespace nncc

#endif // NNCC_TRANSFORMS_BINDWEIGHTS_H
