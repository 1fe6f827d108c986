//===- StageLoops.cpp - the loops of one stage: vectors, blocks, tasks ----===//
//
// A stage is planned in four steps, each filling part of its StagePlan:
// the vector along the innermost variable, the register block of a
// reduction, the loop order, and the parallel loop.
//
//===----------------------------------------------------------------------===//

#include "compiler/schedule/Scheduler.h"

#include <algorithm>

using namespace mlir;
using namespace nncc;
using namespace nncc::schedule;

namespace {
/// A stage's pure variables while it is planned: their loop names after
/// the splits so far, and the iterations of each outermost loop.
struct LoopNest {
  std::vector<std::string> vars;
  std::vector<int64_t> shape, trips;
  std::string vector;                // the vectorized loop, if any
  std::vector<std::string> unrolled; // the accumulators' loops
  size_t channelBlock = 0;           // index in the order of the blocks

  bool isVar(const std::string &v) const {
    return std::find(vars.begin(), vars.end(), v) != vars.end();
  }
  int64_t tripsOf(const std::string &v) const {
    return trips[std::find(vars.begin(), vars.end(), v) - vars.begin()];
  }
};

/// Vectorizes the innermost pure variable when it spans a vector.
void planVector(StagePlan &p, LoopNest &loops, int64_t lanes,
                Optional<hl::Tail> shift) {
  if (loops.vars.empty() || loops.shape.back() < lanes)
    return;
  std::string v = loops.vars.back();
  p.splits.push_back({v, lanes, shift});
  loops.vars.back() = v + "o";
  loops.vector = v + "i";
  loops.trips.back() = (loops.shape.back() + lanes - 1) / lanes;
  p.vectorize = loops.vector;
}

/// The accumulators' loops (Blocking), outermost first, unrolled inside
/// the reduction loops.
void planBlock(StagePlan &p, LoopNest &loops, const Blocking &blocking,
               bool reduction, Optional<hl::Tail> shift) {
  if (blocking.index < 0)
    return;
  std::string v = loops.vars[blocking.index];
  // Only the reduction itself guards its last block or computes past the
  // end: a consumer split alike may read buffers there, and recomputes an
  // overlap instead.
  Optional<hl::Tail> tail = blocking.tail;
  if (!tail)
    tail = shift;
  else if (!reduction)
    tail = hl::Tail::ShiftInwards;
  p.splits.push_back({v, blocking.factor, tail});
  loops.vars[blocking.index] = v + "o";
  loops.trips[blocking.index] =
      (loops.shape[blocking.index] + blocking.factor - 1) / blocking.factor;
  loops.unrolled.push_back(v + "i");
  if (blocking.vectors > 1) {
    std::string o = loops.vars.back();
    p.splits.push_back(
        {o, blocking.vectors, blocking.padded ? hl::Tail::RoundUp : shift});
    loops.vars.back() = o + "o";
    loops.trips.back() =
        (loops.trips.back() + blocking.vectors - 1) / blocking.vectors;
    loops.unrolled.push_back(o + "i");
  }
  if (reduction || blocking.tile)
    p.unroll = loops.unrolled;
}

/// Reductions run inside each output vector, so the accumulator stays in
/// registers: pure variables, then reduction variables, then the vector.
/// A register-blocked reduction runs its blocks of output channels
/// outermost, so one block's weights stay in cache across all positions.
/// A reduction in panels runs the panels of one channel block outside its
/// blocks of positions. A func in register tiles runs its blocks of
/// channels just outside the blocked variable, then the tile; returns the
/// loop over tiles.
std::string planOrder(StagePlan &p, LoopNest &loops,
                      ArrayRef<std::string> rvars, const Blocking &blocking) {
  loops.channelBlock = loops.vars.size();
  if (rvars.empty() && blocking.tile && blocking.index >= 0) {
    const std::vector<std::string> &vars = loops.vars;
    for (size_t i = 0; i + 1 < vars.size(); ++i) {
      if ((int)i == blocking.index)
        p.order.push_back(vars.back());
      p.order.push_back(vars[i]);
    }
    std::string tiles = p.order.back();
    p.order.insert(p.order.end(), loops.unrolled.begin(), loops.unrolled.end());
    if (!loops.vector.empty())
      p.order.push_back(loops.vector);
    return tiles;
  }
  if (rvars.empty())
    return "";
  std::vector<std::string> reduction(rvars.begin(), rvars.end());
  bool panels = blocking.panel > 0;
  if (panels) {
    p.splits.push_back({reduction.back(), blocking.panel, None});
    reduction.back() += "i";
  }
  bool blocked = blocking.index >= 0;
  const std::vector<std::string> &vars = loops.vars;
  for (size_t i = 0; i < vars.size(); ++i)
    if (!blocked || (loops.trips[i] == 1 && i + 1 < vars.size()))
      p.order.push_back(vars[i]);
  if (blocked) {
    loops.channelBlock = p.order.size();
    p.order.push_back(vars.back());
    if (panels)
      p.order.push_back(rvars.back() + "o");
    for (size_t i = 0; i + 1 < vars.size(); ++i)
      if (loops.trips[i] > 1)
        p.order.push_back(vars[i]);
  }
  p.order.insert(p.order.end(), reduction.begin(), reduction.end());
  p.order.insert(p.order.end(), loops.unrolled.begin(), loops.unrolled.end());
  if (!loops.vector.empty())
    p.order.push_back(loops.vector);
  return "";
}
} // namespace

int64_t nncc::schedule::taskChunk(int64_t fmas, int64_t units) {
  // Tasks of at least kMinTaskFMAs while there are kMinTasks of them: a
  // block of 4 rows of a 128-wide matmul is 65K FMAs (about a microsecond),
  // and thousands of such tasks left Halide's thread pool, which takes a
  // lock per task, the bottleneck (1.1 threads busy). Never under
  // kLeastTaskFMAs, about what a task costs the pool: a chain of 1x1 convs
  // 64->64 at 14x14 (57K FMAs a row) ran slower at 2 threads in tasks of a
  // row than at 1 thread. While tasks are few, an even number of them, for
  // cores come in pairs (7 tasks on 2 threads take 4 rounds).
  constexpr int64_t kMinTaskFMAs = int64_t(1) << 20, kMinTasks = 16,
                    kLeastTaskFMAs = int64_t(1) << 18;
  auto atLeast = [&](int64_t work) { return (work + fmas - 1) / fmas; };
  int64_t chunk =
      std::max<int64_t>({1, std::min(atLeast(kMinTaskFMAs), units / kMinTasks),
                         atLeast(kLeastTaskFMAs)});
  for (int64_t tasks = (units + chunk - 1) / chunk;
       tasks > 1 && tasks < kMinTasks && tasks % 2;
       tasks = (units + chunk - 1) / chunk)
    ++chunk;
  return chunk;
}

/// Parallel over the outermost variable with more than one iteration; over
/// channel blocks times the next one (rows) when the channels are blocked,
/// so that both cores get an even share with a single fork and join.
/// `iterations`: the stage's reduction's per value. Returns the loop of the
/// tasks.
static std::string planParallel(StagePlan &p, const LoopNest &loops,
                                ArrayRef<std::string> rvars,
                                const Blocking &blocking, int64_t iterations,
                                Optional<hl::Tail> shift) {
  const std::vector<std::string> &order = p.order;
  size_t block = loops.channelBlock;
  if (blocking.panel > 0 && !rvars.empty() && loops.tripsOf(order[block]) > 1) {
    // The panels' loop separates the channel blocks from the positions:
    // one task per block of channels.
    return p.parallel = order[block];
  }
  if (block + 1 < order.size() && loops.isVar(order[block + 1])) {
    const std::string &outer = order[block], &inner = order[block + 1];
    std::string tasks = outer + "_" + inner;
    if (loops.tripsOf(outer) == 1)
      tasks = inner;
    else
      p.fuse = Fuse{inner, outer, tasks};
    int64_t fmas =
        blocking.factor * blocking.vectors * blocking.lanes * iterations;
    for (size_t i = block + 2; i < order.size(); ++i)
      if (loops.isVar(order[i]))
        fmas *= loops.tripsOf(order[i]);
    int64_t units = loops.tripsOf(outer) * loops.tripsOf(inner);
    int64_t chunk = taskChunk(fmas, units);
    if (chunk >= units)
      return tasks;
    if (chunk > 1) {
      p.taskSplits.push_back({tasks, chunk, None});
      tasks += "o";
    }
    return p.parallel = tasks;
  }
  for (size_t i = 0; i < loops.shape.size(); ++i) {
    if (loops.trips[i] <= 1)
      continue;
    int64_t trips = loops.trips[i];
    int64_t inner = loops.shape[i] / trips; // values per iteration
    for (size_t j = i + 1; j < loops.shape.size(); ++j)
      inner *= loops.shape[j];
    // Without reductions, a task of at least kMinTask values: thousands of
    // one-row tasks (the initial value of a matmul) cost more in the thread
    // pool than they do.
    constexpr int64_t kMinTask = 4096;
    int64_t valueFMAs = iterations + blocking.fusedFMAs;
    int64_t chunk = valueFMAs > 1 ? taskChunk(inner * valueFMAs, trips)
                                  : (kMinTask + inner - 1) / inner;
    // Tasks that divide the loop, where one is near: no partial last task.
    for (int64_t c = chunk; rvars.empty() && c > 1 && c < 2 * chunk; ++c)
      if (trips % c == 0) {
        chunk = c;
        break;
      }
    std::string var = loops.vars[i];
    bool whole = trips == loops.shape[i];
    if (rvars.empty() && blocking.rows > 1 && (int)i != blocking.index &&
        whole) {
      p.taskSplits.push_back({var, blocking.rows, shift});
      var += "o";
    } else if (chunk >= trips) {
      return var; // too little work for a fork
    } else if (rvars.empty() && chunk > 1 && whole &&
               (int)i != blocking.index) {
      // Reductions computed inside still run per iteration, not per task.
      p.taskSplits.push_back({var, chunk, shift});
      p.parallel = var + "o";
      return blocking.index < 0 ? p.parallel : var + "i";
    }
    return p.parallel = var;
  }
  return "";
}

std::string Scheduler::scheduleStage(FuncInfo &f, int64_t stage,
                                     ArrayRef<std::string> rvars, bool parallel,
                                     Blocking blocking) {
  return scheduleLoops(f.op.getSymName().str(), f.op, f.isOutput, stage, rvars,
                       parallel, blocking);
}

std::string Scheduler::scheduleLoops(const std::string &name, hl::FuncOp domain,
                                     bool isOutput, int64_t stage,
                                     ArrayRef<std::string> rvars, bool parallel,
                                     Blocking blocking) {
  StagePlan &p = plan[name].stage(stage);
  LoopNest loops;
  for (Attribute a : domain.getVars())
    loops.vars.push_back(a.cast<StringAttr>().getValue().str());
  loops.shape = loops.trips = shapeOf(domain);
  // Outputs hold no update definitions (NNToHL copies them), so their one
  // stage can shift its last block inwards instead of masking it.
  Optional<hl::Tail> shift;
  if (isOutput && stage == 0)
    shift = hl::Tail::ShiftInwards;
  int64_t lanes = blocking.index >= 0 ? blocking.lanes : vectorWidth;
  planVector(p, loops, lanes, blocking.padded ? hl::Tail::RoundUp : shift);
  planBlock(p, loops, blocking, !rvars.empty(), shift);
  std::string tiles = planOrder(p, loops, rvars, blocking);
  if (!tiles.empty())
    tileVars[name] = tiles;
  std::string tasks;
  if (parallel)
    tasks = planParallel(p, loops, rvars, blocking,
                         reductionIterations(name, stage) *
                             (gathers(name, stage) ? lanes : 1),
                         shift);
  // An update stage must get a directive once its func has any (Halide
  // warns otherwise); the loop order as it is will do.
  if (stage > 0 && p.empty() && !loops.vars.empty())
    p.order = loops.vars;
  return tasks;
}
