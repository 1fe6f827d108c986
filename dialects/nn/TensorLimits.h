//===- TensorLimits.h - the largest tensor nncc compiles --------*- C++ -*-===//
//
// Shared by the parser (declared types) and the nn shape functions (op
// results); header-only, so the parser needs no MLIR.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_DIALECTS_NN_TENSORLIMITS_H
#define NNCC_DIALECTS_NN_TENSORLIMITS_H

#include <cstdint>

namespace nncc {

/// Halide's buffers hold at most 2^31 - 1 bytes, and its loops round
/// extents up to whole vectors and blocks: 2^29 floats, less a margin.
constexpr int64_t kMaxTensorElements = (int64_t(1) << 29) - (int64_t(1) << 16);

/// How the limit reads in messages.
constexpr const char *kMaxTensorElementsText =
    "2^29 - 2^16 elements (2 GiB of f32, the most a Halide buffer holds)";

} // namespace nncc

#endif // NNCC_DIALECTS_NN_TENSORLIMITS_H
