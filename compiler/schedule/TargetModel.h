//===- TargetModel.h - what the schedule knows of the target ----*- C++ -*-===//
//
// Every schedule decision that depends on the machine derives from these
// figures, never from timings taken on one CPU. The driver fills them from
// the Halide target and, for `--target host`, from the host's caches;
// nncc-opt's -hl-schedule takes them as options.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_SCHEDULE_TARGETMODEL_H
#define NNCC_SCHEDULE_TARGETMODEL_H

#include <cstdint>
#include <string>

namespace nncc {

struct TargetModel {
  int64_t vectorWidth = 8;    // f32 lanes of the natural vector
  int64_t registers = 16;     // vector registers
  int64_t l1Bytes = 32 << 10; // L1 data cache of one core
  int64_t l2Bytes = 1 << 20;  // L2 cache of one core
  std::string features;       // the Halide target compiled for

  /// Most vectors of a register block along a reduction's innermost
  /// variable (output channels, matrix columns).
  static constexpr int64_t kBlockVectors = 4;
  /// FMA units and their latency in cycles, on every x86-64 core with AVX2
  /// or AVX-512 since Haswell and Zen 2.
  static constexpr int64_t kFMAUnits = 2, kFMALatency = 4;
  /// Independent FMAs that keep the FMA units busy.
  static constexpr int64_t kFMAsInFlight = kFMAUnits * kFMALatency;
  /// Uses of each weight that a matrix product needs before the weights'
  /// stream from memory (a float or so per cycle) stops bounding it: the
  /// lanes the FMA units multiply per cycle.
  int64_t minWeightReuse() const { return kFMAUnits * vectorWidth; }
  /// Columns of a packed weight panel: one register block's.
  int64_t panelColumns() const { return kBlockVectors * vectorWidth; }
  /// Rows of a register block of kBlockVectors vectors: its accumulators,
  /// the vectors they multiply and one broadcast value fill the registers.
  int64_t blockRows() const {
    return (registers - kBlockVectors - 1) / kBlockVectors;
  }
};

} // namespace nncc

#endif // NNCC_SCHEDULE_TARGETMODEL_H
