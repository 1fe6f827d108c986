//===- AttentionSchedule.cpp - scheduling attention's funcs ---------------===//

#include "compiler/schedule/Scheduler.h"

using namespace mlir;
using namespace nncc;
using namespace nncc::schedule;

/// Attention runs per block of query rows: the output is split along its
/// query dimension and parallel over the blocks, and every stage (scores,
/// row max, weights, sums) is computed inside a block, so what is stored is
/// a few rows of scores, never the whole T x T matrix. A block is the
/// lowering's group of rows that visit the same keys (`hl.row_group`),
/// else 8 rows.
std::set<std::string> Scheduler::scheduleAttention() {
  constexpr int64_t kDefaultRowBlock = 8;
  std::set<std::string> members;
  std::map<std::string, std::vector<std::string>> groups;
  for (auto &[name, f] : funcs)
    if (auto group =
            f.op->getAttrOfType<StringAttr>(hl::HLDialect::kAttention)) {
      members.insert(name);
      if (group.getValue() != name)
        groups[group.getValue().str()].push_back(name);
    }
  for (auto &[rootName, stages] : groups) {
    FuncInfo &root = funcs[rootName];
    auto group = root.op->getAttrOfType<IntegerAttr>(hl::HLDialect::kRowGroup);
    int64_t rowBlock = group ? group.getInt() : kDefaultRowBlock;
    FuncPlan &rootPlan = plan[rootName];
    StagePlan &loops = rootPlan.stage(0);
    std::vector<std::string> vars;
    for (Attribute a : root.op.getVars())
      vars.push_back(a.cast<StringAttr>().getValue().str());
    int64_t dv =
        root.op.getShape()[vars.size() - 1].cast<IntegerAttr>().getInt();
    int64_t rows =
        root.op.getShape()[vars.size() - 2].cast<IntegerAttr>().getInt();
    Optional<hl::Tail> tail;
    if (root.isOutput)
      tail = hl::Tail::ShiftInwards;
    std::string row = vars[vars.size() - 2], block = row;
    if (!root.isOutput || rows >= rowBlock) {
      loops.splits.push_back({row, rowBlock, tail});
      block = row + "o";
    }
    if (dv >= vectorWidth) {
      loops.splits.push_back({vars.back(), vectorWidth, tail});
      loops.vectorize = vars.back() + "i";
    }
    loops.parallel = block;
    rootPlan.level.kind = ComputeLevel::Root;
    for (const std::string &name : stages) {
      FuncInfo &f = funcs[name];
      // Register blocks along the rows must divide the block of rows.
      Blocking blocking;
      if (f.op.getShape().size() == vars.size())
        blocking = blockingOf(f, rowBlock);
      if (blocking.index != (int)vars.size() - 2)
        blocking = {};
      bool perRow = f.op.getShape().size() + 1 == vars.size();
      scheduleStage(f, 0, {}, /*parallel=*/false);
      int64_t stage = 0;
      for (const std::vector<std::string> &rvars : updates[name]) {
        ++stage;
        // One value per row (max, sum) over the keys: a block holds few
        // rows (8, under a 16-lane vector) and a row's keys are many and
        // contiguous, so vectors run along the keys, each reduced within
        // (Halide's atomic()).
        if (perRow && rvars.size() == 1 &&
            reductionIterations(name, stage) >= vectorWidth) {
          StagePlan &s = plan[name].stage(stage);
          s.atomic = true;
          s.splits.push_back({rvars[0], vectorWidth, None});
          s.vectorize = rvars[0] + "i";
          continue;
        }
        scheduleStage(f, stage, rvars, /*parallel=*/false,
                      rvars.empty() ? Blocking() : blocking);
      }
      plan[name].level = {ComputeLevel::At, rootName, block};
    }
  }
  return members;
}
