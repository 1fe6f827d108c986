//===- SchedulePlan.h - a pipeline's schedule as plain data -----*- C++ -*-===//
//
// The strategies of the hl-schedule pass decide; they fill one FuncPlan per
// func (and per padded copy). emitSchedule then writes every plan as hl
// schedule ops, the only place that creates them.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_SCHEDULE_SCHEDULEPLAN_H
#define NNCC_SCHEDULE_SCHEDULEPLAN_H

#include "dialects/hl/HLOps.h"

#include "llvm/ADT/Optional.h"

#include <map>
#include <string>
#include <vector>

namespace nncc {
namespace schedule {

/// Splits `var` into `var`o (outer) and `var`i (inner) by `factor`.
struct Split {
  std::string var;
  int64_t factor;
  /// None: Halide's default (a guarded last block).
  llvm::Optional<hl::Tail> tail;
};

/// Fuses two loops, `inner` and `outer`, into one named `fused`.
struct Fuse {
  std::string inner, outer, fused;
};

/// The loops of one stage (0: the pure definition, k: the k-th update), in
/// the order they are applied: splits, the loop order (outermost first),
/// vectorized and unrolled loops, a fuse, splits of the fused loop into
/// tasks, and the parallel loop.
struct StagePlan {
  bool atomic = false; // an associative update, vectorized along an rvar
  std::vector<Split> splits;
  std::vector<std::string> order;
  std::string vectorize;
  std::vector<std::string> unroll;
  llvm::Optional<Fuse> fuse;
  std::vector<Split> taskSplits;
  std::string parallel;

  bool empty() const {
    return !atomic && splits.empty() && order.empty() && vectorize.empty() &&
           unroll.empty() && !fuse && taskSplits.empty() && parallel.empty();
  }
};

/// Where a func is computed: inlined into its callers, stored whole, or
/// per iteration of loop `var` of func `at`.
struct ComputeLevel {
  enum Kind { Unset, Inline, Root, At } kind = Unset;
  std::string at, var;
};

/// A reduction's constant weights, [r0, ..., rn, C] read at (its reduction
/// variables, its innermost variable), stored in the order its blocks read
/// them: [C/block, rn/panel, r0, ..., rn%panel, block] (no rn/panel for
/// panel 0). See PackWeights.cpp.
struct WeightPacking {
  std::string buffer;
  int64_t block, panel;
};

struct FuncPlan {
  std::vector<StagePlan> stages; // indexed by stage
  ComputeLevel level;
  llvm::Optional<WeightPacking> packing;
  /// Constant vectors read at the func's innermost variable, padded with
  /// zeros to `paddedWidth` where its blocks run past the end.
  std::vector<std::string> paddedVectors;
  int64_t paddedWidth = 0;

  StagePlan &stage(size_t index) {
    if (stages.size() <= index)
      stages.resize(index + 1);
    return stages[index];
  }
};

/// Plans by func (or padded copy) name.
using SchedulePlan = std::map<std::string, FuncPlan>;

/// Writes `plan` at the end of `pipeline`'s body, func by func in the
/// order the body declares them: each stage's directives, then the level;
/// and packs the weights the plan packs.
void emitSchedule(hl::PipelineOp pipeline, const SchedulePlan &plan);

/// Rewrites the buffer of `packing` and its call to the packed layout.
void packWeights(hl::PipelineOp pipeline, const WeightPacking &packing);

/// Pads the constant vector `name` with zeros to `width` values.
void padVector(hl::PipelineOp pipeline, llvm::StringRef name, int64_t width);

} // namespace schedule
} // namespace nncc

#endif // NNCC_SCHEDULE_SCHEDULEPLAN_H
