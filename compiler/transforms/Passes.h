//===- Passes.h - nn graph passes -------------------------------*- C++ -*-===//
#ifndef NNCC_TRANSFORMS_PASSES_H
#define NNCC_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"

namespace nncc {

std::unique_ptr<mlir::Pass> createRecognizeAttentionPass();
std::unique_ptr<mlir::Pass> createRecognizeDecomposedPass();
std::unique_ptr<mlir::Pass> createFoldAffinePass();
std::unique_ptr<mlir::Pass> createHoistSlicesPass();
std::unique_ptr<mlir::Pass> createConvTransposeAsConvPass();
std::unique_ptr<mlir::Pass> createChannelsLastPass();
std::unique_ptr<mlir::Pass> createConvAsWinogradPass();
std::unique_ptr<mlir::Pass> createConvAsWinogradPass(int64_t minTiles,
                                                     int64_t minChannels);
std::unique_ptr<mlir::Pass> createLinearToMatmulPass();
std::unique_ptr<mlir::Pass> createLinearToMatmulPass(int64_t panelColumns);
std::unique_ptr<mlir::Pass> createChannelsLastPass(int64_t minChannels);

#define GEN_PASS_REGISTRATION
#include "compiler/transforms/Passes.h.inc"

} // namespace nncc

#endif // NNCC_TRANSFORMS_PASSES_H
