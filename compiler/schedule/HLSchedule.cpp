//===- HLSchedule.cpp - the baseline schedule of hl pipelines -------------===//

#include "compiler/schedule/Passes.h"
#include "dialects/hl/HLOps.h"

#include "mlir/Dialect/Arithmetic/IR/Arithmetic.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Builders.h"

#include <set>

using namespace mlir;
using namespace nncc;

namespace {
#define GEN_PASS_CLASSES
#include "compiler/schedule/Passes.h.inc"

/// What the schedule needs to know of one func.
struct FuncInfo {
  hl::FuncOp op;
  bool hasUpdates = false;
  bool isOutput = false;
  bool readInReduction = false; // read inside another func's reduction
  bool computes = false;        // float arithmetic beyond reading a value
  std::set<std::string> consumers;
};

/// A pure variable split into blocks whose iterations are unrolled.
struct Blocking {
  int index = -1; // into the func's variables; -1: none
  int64_t factor = 0;
};

class Scheduler {
public:
  Scheduler(hl::PipelineOp pipeline, int64_t vectorWidth, int64_t accumulators)
      : pipeline(pipeline), symbols(pipeline), vectorWidth(vectorWidth),
        accumulators(accumulators), b(pipeline.getContext()) {
    b.setInsertionPointToEnd(&pipeline.getBody().front());
  }

  void run();

private:
  void analyse();
  std::string producerOf(StringRef symbol);
  /// Splits `var` of a stage into `var`o and `var`i. Output funcs take
  /// `shiftInwards` tails: no masked loads or stores on callers' arrays.
  void split(Location loc, FlatSymbolRefAttr sym, int64_t stage,
             const std::string &var, int64_t factor, bool shiftInwards);
  /// Register blocking of a reduction: its largest outer variable (output
  /// channels, matrix rows) in blocks of as many accumulators as fit in
  /// the registers, unrolled innermost around each output vector so that
  /// every value loaded in the reduction feeds `factor` FMAs.
  Blocking blockingOf(FuncInfo &f);
  /// Vectorizes and parallelizes one stage; returns the parallel variable.
  std::string scheduleStage(FuncInfo &f, int64_t stage,
                            ArrayRef<std::string> rvars, bool parallel,
                            Blocking blocking = {});
  /// Schedules the funcs of each attention (tagged `hl.attention` with the
  /// name of its output func) and returns their names.
  std::set<std::string> scheduleAttention();
  /// The consumer a reduction is computed inside, or "" to compute it at
  /// root.
  std::string fusionTarget(const std::string &name,
                           const std::set<std::string> &root);

  hl::PipelineOp pipeline;
  SymbolTable symbols;
  int64_t vectorWidth;
  int64_t accumulators;
  OpBuilder b;
  std::map<std::string, FuncInfo> funcs;
  std::map<std::string, std::vector<std::vector<std::string>>> updates;
  std::set<std::string> paddedInReduction;
};

/// The func a symbol reads through boundary conditions, or "" for inputs
/// and buffers.
std::string Scheduler::producerOf(StringRef symbol) {
  Operation *op = symbols.lookup(symbol);
  if (auto ext = dyn_cast_or_null<hl::ConstantExteriorOp>(op))
    return producerOf(ext.getSource());
  return isa_and_nonnull<hl::FuncOp>(op) ? symbol.str() : "";
}

void Scheduler::analyse() {
  Block &body = pipeline.getBody().front();
  for (auto f : body.getOps<hl::FuncOp>()) {
    FuncInfo &info = funcs[f.getSymName().str()];
    info.op = f;
    f.walk([&](Operation *op) {
      if (isa<math::MathDialect>(op->getDialect()) ||
          (isa<arith::ArithmeticDialect>(op->getDialect()) &&
           op->getNumResults() && op->getResult(0).getType().isF32() &&
           !isa<arith::ConstantOp>(op)))
        info.computes = true;
    });
  }
  for (auto u : body.getOps<hl::UpdateOp>()) {
    funcs[u.getFunc().str()].hasUpdates = true;
    std::vector<std::string> rvars;
    for (Attribute a : u.getRvars())
      rvars.push_back(a.cast<StringAttr>().getValue().str());
    updates[u.getFunc().str()].push_back(rvars);
  }
  for (auto out : body.getOps<hl::OutputOp>())
    funcs[out.getFunc().str()].isOutput = true;
  pipeline.walk([&](hl::CallOp call) {
    Operation *def = call->getParentOp();
    std::string consumer;
    bool inReduction = false;
    if (auto f = dyn_cast<hl::FuncOp>(def))
      consumer = f.getSymName().str();
    if (auto u = dyn_cast<hl::UpdateOp>(def)) {
      consumer = u.getFunc().str();
      inReduction = !u.getRvars().empty();
    }
    if (inReduction && isa_and_nonnull<hl::ConstantExteriorOp>(
                           symbols.lookup(call.getCallee())))
      paddedInReduction.insert(call.getCallee().str());
    std::string producer = producerOf(call.getCallee());
    if (producer.empty())
      return; // an input or buffer: nothing to schedule
    if (consumer == producer)
      return; // an update reading its own func
    FuncInfo &info = funcs[producer];
    info.consumers.insert(consumer);
    info.readInReduction |= inReduction;
  });
}

void Scheduler::split(Location loc, FlatSymbolRefAttr sym, int64_t stage,
                      const std::string &var, int64_t factor,
                      bool shiftInwards) {
  b.create<hl::SplitOp>(loc, sym, b.getI64IntegerAttr(stage),
                        b.getStringAttr(var), b.getStringAttr(var + "o"),
                        b.getStringAttr(var + "i"), b.getI64IntegerAttr(factor),
                        shiftInwards ? b.getStringAttr("shift_inwards")
                                     : StringAttr());
}

Blocking Scheduler::blockingOf(FuncInfo &f) {
  std::vector<int64_t> shape;
  for (Attribute a : f.op.getShape())
    shape.push_back(a.cast<IntegerAttr>().getInt());
  Blocking blocking;
  if (!f.hasUpdates || shape.size() < 2 || shape.back() < vectorWidth)
    return blocking;
  int index = 0;
  for (int i = 1; i + 1 < (int)shape.size(); ++i)
    if (shape[i] > shape[index])
      index = i;
  // The largest block that divides the extent: no guarded tail to unroll.
  for (int64_t factor = std::min(accumulators, shape[index]); factor >= 4;
       --factor)
    if (shape[index] % factor == 0)
      return {index, factor};
  return blocking;
}

std::string Scheduler::scheduleStage(FuncInfo &f, int64_t stage,
                                     ArrayRef<std::string> rvars, bool parallel,
                                     Blocking blocking) {
  Location loc = f.op.getLoc();
  auto sym = FlatSymbolRefAttr::get(f.op.getSymNameAttr());
  std::vector<std::string> vars;
  for (Attribute a : f.op.getVars())
    vars.push_back(a.cast<StringAttr>().getValue().str());
  std::vector<int64_t> shape;
  for (Attribute a : f.op.getShape())
    shape.push_back(a.cast<IntegerAttr>().getInt());

  size_t before = b.getInsertionBlock()->getOperations().size();
  // Vectorize the innermost pure variable when it spans a vector.
  std::vector<std::string> outerToInner;
  std::string vectorVar;
  // Outputs hold no update definitions (NNToHL copies them), so their one
  // stage can shift its last block inwards instead of masking it.
  bool shift = f.isOutput && stage == 0;
  if (!vars.empty() && shape.back() >= vectorWidth) {
    std::string v = vars.back();
    split(loc, sym, stage, v, vectorWidth, shift);
    vars.back() = v + "o";
    vectorVar = v + "i";
  }
  std::string unrolled;
  int64_t blockedTrips = 0;
  if (blocking.index >= 0) {
    std::string v = vars[blocking.index];
    split(loc, sym, stage, v, blocking.factor, shift);
    vars[blocking.index] = v + "o";
    blockedTrips = shape[blocking.index] / blocking.factor;
    if (!rvars.empty())
      unrolled = v + "i";
  }
  // Reductions run inside each output vector, so the accumulator stays in
  // registers: pure variables, then reduction variables, then the vector.
  if (!rvars.empty()) {
    std::vector<std::string> order(vars.begin(), vars.end());
    order.insert(order.end(), rvars.begin(), rvars.end());
    if (!unrolled.empty())
      order.push_back(unrolled);
    if (!vectorVar.empty())
      order.push_back(vectorVar);
    std::vector<StringRef> refs(order.begin(), order.end());
    b.create<hl::ReorderOp>(loc, sym, b.getI64IntegerAttr(stage),
                            b.getStrArrayAttr(refs));
  }
  if (!vectorVar.empty())
    b.create<hl::VectorizeOp>(loc, sym, b.getI64IntegerAttr(stage),
                              b.getStringAttr(vectorVar));
  if (!unrolled.empty())
    b.create<hl::UnrollOp>(loc, sym, b.getI64IntegerAttr(stage),
                           b.getStringAttr(unrolled));
  // Parallel over the outermost variable with more than one iteration.
  std::string parallelVar;
  for (size_t i = 0; parallel && parallelVar.empty() && i < shape.size(); ++i) {
    bool split = i + 1 == shape.size() && !vectorVar.empty();
    int64_t trips =
        split ? (shape[i] + vectorWidth - 1) / vectorWidth : shape[i];
    if ((int)i == blocking.index)
      trips = blockedTrips;
    if (trips > 1) {
      b.create<hl::ParallelOp>(loc, sym, b.getI64IntegerAttr(stage),
                               b.getStringAttr(vars[i]));
      parallelVar = vars[i];
    }
  }
  // An update stage must get a directive once its func has any (Halide
  // warns otherwise); the loop order as it is will do.
  if (stage > 0 && b.getInsertionBlock()->getOperations().size() == before &&
      !vars.empty()) {
    std::vector<StringRef> refs(vars.begin(), vars.end());
    b.create<hl::ReorderOp>(loc, sym, b.getI64IntegerAttr(stage),
                            b.getStrArrayAttr(refs));
  }
  return parallelVar;
}

void Scheduler::run() {
  analyse();
  auto ref = [](hl::FuncOp f) {
    return FlatSymbolRefAttr::get(f.getSymNameAttr());
  };
  // A boundary condition read inside a reduction is materialised once (a
  // padded copy made by the schedule), so the reduction's inner loop reads
  // memory instead of evaluating a select per tap. Elsewhere it is inlined.
  for (auto ext : pipeline.getBody().front().getOps<hl::ConstantExteriorOp>()) {
    auto sym = FlatSymbolRefAttr::get(ext.getSymNameAttr());
    if (paddedInReduction.count(ext.getSymName().str()))
      b.create<hl::ComputeRootOp>(ext.getLoc(), sym);
    else
      b.create<hl::ComputeInlineOp>(ext.getLoc(), sym);
  }

  std::set<std::string> attention = scheduleAttention();
  std::set<std::string> root;
  for (auto &[name, f] : funcs)
    if (attention.count(name))
      continue;
    else if (f.hasUpdates || f.isOutput || (f.readInReduction && f.computes) ||
             (f.consumers.size() > 1 && f.computes))
      root.insert(name);
  std::map<std::string, std::string> parallelVar, fusedInto;
  // Decide fusion and register blocking first: a consumer whose producer
  // runs inside it is split into the producer's blocks.
  std::map<std::string, Blocking> blocking, consumerBlocking;
  for (auto &[name, f] : funcs) {
    if (attention.count(name) || !root.count(name))
      continue;
    fusedInto[name] = fusionTarget(name, root);
    blocking[name] = blockingOf(f);
    if (!fusedInto[name].empty())
      consumerBlocking[fusedInto[name]] = blocking[name];
  }
  for (auto &[name, f] : funcs) {
    if (attention.count(name))
      continue;
    if (!root.count(name)) {
      b.create<hl::ComputeInlineOp>(f.op.getLoc(), ref(f.op));
      continue;
    }
    // A fused producer runs inside its consumer's parallel loop already.
    bool parallel = fusedInto[name].empty();
    parallelVar[name] =
        scheduleStage(f, 0, {}, parallel, consumerBlocking[name]);
    int64_t stage = 0;
    for (const std::vector<std::string> &rvars : updates[name])
      scheduleStage(f, ++stage, rvars, parallel,
                    rvars.empty() ? Blocking() : blocking[name]);
  }
  for (auto &[name, f] : funcs) {
    if (!root.count(name))
      continue;
    const std::string &consumer = fusedInto[name];
    if (!consumer.empty() && !parallelVar[consumer].empty())
      b.create<hl::ComputeAtOp>(f.op.getLoc(), ref(f.op),
                                ref(funcs[consumer].op),
                                b.getStringAttr(parallelVar[consumer]));
    else
      b.create<hl::ComputeRootOp>(f.op.getLoc(), ref(f.op));
  }
}

/// Attention runs per block of query rows: the output is split along its
/// query dimension and parallel over the blocks, and every stage (scores,
/// row max, weights, sums) is computed inside a block, so what is stored is
/// a few rows of scores, never the whole T x T matrix.
std::set<std::string> Scheduler::scheduleAttention() {
  constexpr int64_t kRowBlock = 8;
  std::set<std::string> members;
  std::map<std::string, std::vector<std::string>> groups;
  for (auto &[name, f] : funcs)
    if (auto group = f.op->getAttrOfType<StringAttr>("hl.attention")) {
      members.insert(name);
      if (group.getValue() != name)
        groups[group.getValue().str()].push_back(name);
    }
  for (auto &[rootName, stages] : groups) {
    FuncInfo &root = funcs[rootName];
    Location loc = root.op.getLoc();
    auto sym = FlatSymbolRefAttr::get(root.op.getSymNameAttr());
    std::vector<std::string> vars;
    for (Attribute a : root.op.getVars())
      vars.push_back(a.cast<StringAttr>().getValue().str());
    int64_t dv =
        root.op.getShape()[vars.size() - 1].cast<IntegerAttr>().getInt();
    int64_t rows =
        root.op.getShape()[vars.size() - 2].cast<IntegerAttr>().getInt();
    std::string row = vars[vars.size() - 2], block = row;
    if (!root.isOutput || rows >= kRowBlock) {
      split(loc, sym, 0, row, kRowBlock, root.isOutput);
      block = row + "o";
    }
    if (dv >= vectorWidth) {
      std::string c = vars.back();
      split(loc, sym, 0, c, vectorWidth, root.isOutput);
      b.create<hl::VectorizeOp>(loc, sym, b.getI64IntegerAttr(0),
                                b.getStringAttr(c + "i"));
    }
    b.create<hl::ParallelOp>(loc, sym, b.getI64IntegerAttr(0),
                             b.getStringAttr(block));
    b.create<hl::ComputeRootOp>(loc, sym);
    for (const std::string &name : stages) {
      FuncInfo &f = funcs[name];
      scheduleStage(f, 0, {}, /*parallel=*/false);
      int64_t stage = 0;
      for (const std::vector<std::string> &rvars : updates[name])
        scheduleStage(f, ++stage, rvars, /*parallel=*/false);
      b.create<hl::ComputeAtOp>(f.op.getLoc(),
                                FlatSymbolRefAttr::get(f.op.getSymNameAttr()),
                                sym, b.getStringAttr(block));
    }
  }
  return members;
}

std::string Scheduler::fusionTarget(const std::string &name,
                                    const std::set<std::string> &root) {
  FuncInfo &f = funcs[name];
  if (!f.hasUpdates || f.isOutput || f.consumers.size() != 1)
    return "";
  const std::string &consumer = *f.consumers.begin();
  FuncInfo &c = funcs[consumer];
  // Only an elementwise consumer of the same shape: one that broadcasts the
  // result would recompute the whole reduction for every slice it reads.
  if (!root.count(consumer) || c.hasUpdates ||
      c.op.getShape() != f.op.getShape())
    return "";
  return consumer;
}

struct HLSchedulePass : HLScheduleBase<HLSchedulePass> {
  HLSchedulePass() = default;
  HLSchedulePass(int64_t width, int64_t registers) {
    vectorWidth = width;
    accumulators = registers;
  }
  void runOnOperation() override {
    for (auto pipeline : getOperation().getOps<hl::PipelineOp>())
      Scheduler(pipeline, vectorWidth, accumulators).run();
  }
};
} // namespace

std::unique_ptr<Pass> nncc::createHLSchedulePass() {
  return std::make_unique<HLSchedulePass>();
}
std::unique_ptr<Pass> nncc::createHLSchedulePass(int64_t vectorWidth,
                                                 int64_t accumulators) {
  return std::make_unique<HLSchedulePass>(vectorWidth, accumulators);
}
