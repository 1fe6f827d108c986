//===- TransposeTiles.h - tiles for funcs that transpose --------*- C++ -*-===//
#ifndef NNCC_SCHEDULE_TRANSPOSETILES_H
#define NNCC_SCHEDULE_TRANSPOSETILES_H

#include "dialects/hl/HLOps.h"

#include <string>
#include <vector>

namespace nncc {

/// A func that only transposes another (an NCHW model output read from a
/// channels-last convolution) and now reads it through `tile`, an identity
/// copy of the producer that the schedule computes one square block at a
/// time.
struct TransposeTile {
  std::string consumer, tile;
  int across;    // the consumer's variable indexing the producer's innermost
  int tileInner; // the tile's variable read by the consumer's innermost
  std::vector<int> position; // the producer's dimension each variable reads
};

/// Vectors along such a func's innermost variable would gather one scalar
/// per lane from the producer. Inserts the tile copies (vectors along the
/// producer's innermost dimension, whose loads are dense) for every func
/// that transposes another func across at least a vector in both
/// directions, and returns them.
std::vector<TransposeTile> insertTransposeTiles(hl::PipelineOp pipeline,
                                                int64_t vectorWidth);

} // namespace nncc

#endif // NNCC_SCHEDULE_TRANSPOSETILES_H
