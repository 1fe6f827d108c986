//===- TransposeTiles.h - tiles for funcs that transpose --------*- C++ -*-===//
#ifndef NNCC_SCHEDULE_TRANSPOSETILES_H
#define NNCC_SCHEDULE_TRANSPOSETILES_H

#include "dialects/hl/HLOps.h"

#include <algorithm>
#include <string>
#include <vector>

namespace nncc {

/// A func that only transposes another (an NCHW model output read from a
/// channels-last convolution) and now reads it through `tile`, an identity
/// copy of the producer that the schedule computes one square block at a
/// time.
struct TransposeTile {
  std::string consumer, tile;
  std::vector<int> position; // the producer's dimension each variable reads

  /// The consumer's variable that indexes the producer's dimension `dim`.
  int reading(int dim) const {
    return std::find(position.begin(), position.end(), dim) - position.begin();
  }
  /// The consumer's variable indexing the producer's innermost.
  int across() const { return reading(position.size() - 1); }
  /// The tile's variable read by the consumer's innermost.
  int tileInner() const { return position.back(); }
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
