//===- HLSchedule.cpp - the baseline schedule of hl pipelines -------------===//

#include "compiler/schedule/Passes.h"
#include "compiler/schedule/TransposeTiles.h"
#include "dialects/hl/HLOps.h"

#include "mlir/Dialect/Arithmetic/IR/Arithmetic.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Builders.h"

#include <algorithm>
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
  bool transposes = false;      // reads a func across its innermost dimension
  std::set<std::string> consumers;
};

/// Register blocking of a reduction: `factor` iterations of one pure
/// variable times `vectors` vectors of the innermost one, each an
/// accumulator, all unrolled inside the reduction loops.
struct Blocking {
  int index = -1; // into the func's variables; -1: none
  int64_t factor = 0;
  int64_t vectors = 1;
  bool roundUp = false; // `factor` does not divide: compute past the end
};

class Scheduler {
public:
  Scheduler(hl::PipelineOp pipeline, int64_t vectorWidth, int64_t accumulators,
            std::vector<TransposeTile> tiles)
      : pipeline(pipeline), symbols(pipeline), vectorWidth(vectorWidth),
        accumulators(accumulators), tiles(std::move(tiles)),
        b(pipeline.getContext()) {
    b.setInsertionPointToEnd(&pipeline.getBody().front());
  }

  void run();

private:
  void analyse();
  std::string producerOf(StringRef symbol);
  /// Splits `var` of a stage into `var`o and `var`i with tail strategy
  /// `tail` (hl.split's; "" for the default). Output funcs take
  /// "shift_inwards": no masked loads or stores on callers' arrays.
  void split(Location loc, FlatSymbolRefAttr sym, int64_t stage,
             const std::string &var, int64_t factor, StringRef tail = "");
  /// Register blocking of a reduction: `vectors` vectors of its innermost
  /// variable (output channels, matrix columns) times `factor` iterations
  /// of its largest outer one, as many accumulators as fit in the
  /// registers, so that each vector loaded feeds `factor` FMAs and each
  /// value broadcast feeds `vectors`.
  /// `within` > 0: the func is computed `within` iterations of the blocked
  /// variable at a time, which the block must then divide.
  Blocking blockingOf(FuncInfo &f, int64_t within = 0);
  /// Whether an update of `f` reads an input or buffer at a coordinate
  /// that depends on pure variable `index`: computing past its end would
  /// then read out of bounds.
  bool readsBufferAlong(FuncInfo &f, int index);
  /// Vectorizes and parallelizes one stage; returns the parallel variable.
  std::string scheduleStage(FuncInfo &f, int64_t stage,
                            ArrayRef<std::string> rvars, bool parallel,
                            Blocking blocking = {});
  /// scheduleStage for the loops of `sym`, which has the variables and
  /// shape of `domain` (a boundary condition those of its source).
  std::string scheduleLoops(Location loc, FlatSymbolRefAttr sym,
                            hl::FuncOp domain, bool isOutput, int64_t stage,
                            ArrayRef<std::string> rvars, bool parallel,
                            Blocking blocking);
  /// A func that transposes runs over blocks of a vector by a vector: its
  /// tile is copied in vectors along the producer's innermost variable and
  /// read in vectors along the func's, which Halide transposes in registers.
  void scheduleTransposed(FuncInfo &f, const TransposeTile &t);
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
  std::vector<TransposeTile> tiles;
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
      // Vectors along the innermost variable would gather from a callee
      // whose innermost coordinate is another of the variables.
      auto args = f.getBody().front().getArguments();
      if (auto call = dyn_cast<hl::CallOp>(op))
        if (call.getNumOperands() && call.getOperands().back() != args.back() &&
            llvm::is_contained(args, call.getOperands().back()))
          info.transposes = true;
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
    // A boundary condition read in a reduction is materialised (see run):
    // its source is read by that copy, not by the reduction's inner loop.
    if (inReduction && isa_and_nonnull<hl::ConstantExteriorOp>(
                           symbols.lookup(call.getCallee()))) {
      paddedInReduction.insert(call.getCallee().str());
      inReduction = false;
    }
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
                      const std::string &var, int64_t factor, StringRef tail) {
  b.create<hl::SplitOp>(loc, sym, b.getI64IntegerAttr(stage),
                        b.getStringAttr(var), b.getStringAttr(var + "o"),
                        b.getStringAttr(var + "i"), b.getI64IntegerAttr(factor),
                        tail.empty() ? StringAttr() : b.getStringAttr(tail));
}

bool Scheduler::readsBufferAlong(FuncInfo &f, int index) {
  bool reads = false;
  for (auto u : pipeline.getBody().front().getOps<hl::UpdateOp>()) {
    if (u.getFunc() != f.op.getSymName())
      continue;
    Value var = u.getBody().front().getArgument(index);
    u.walk([&](hl::CallOp call) {
      if (isa_and_nonnull<hl::FuncOp, hl::ConstantExteriorOp>(
              symbols.lookup(call.getCallee())))
        return;
      for (Value arg : call.getOperands()) {
        SmallVector<Value, 8> work = {arg};
        while (!work.empty() && !reads) {
          Value v = work.pop_back_val();
          reads = v == var;
          if (Operation *def = v.getDefiningOp())
            work.append(def->operand_begin(), def->operand_end());
        }
      }
    });
  }
  return reads;
}

Blocking Scheduler::blockingOf(FuncInfo &f, int64_t within) {
  std::vector<int64_t> shape;
  for (Attribute a : f.op.getShape())
    shape.push_back(a.cast<IntegerAttr>().getInt());
  Blocking best;
  if (!f.hasUpdates || shape.size() < 2 || shape.back() < vectorWidth)
    return best;
  // The largest outer variable; on a tie the inner one (image columns
  // rather than rows), whose neighbours are closer in memory.
  int index = 0;
  for (int i = 1; i + 1 < (int)shape.size(); ++i)
    if (shape[i] >= shape[index])
      index = i;
  int64_t extent = within ? within : shape[index], width = shape.back();
  bool mayRoundUp = !within && !f.isOutput && !readsBufferAlong(f, index);
  // A model of the inner loop: k*p FMAs need k vector loads and p
  // broadcasts, loads issuing no faster than FMAs and costing more; work
  // past the ends of either variable is wasted.
  double bestScore = 0;
  for (int64_t k = 1; k <= 4 && k * vectorWidth <= width; ++k) {
    // A block of vectors that does not divide would read weights past
    // their end; one vector may take a guarded tail.
    if (k > 1 && width % (k * vectorWidth) != 0)
      continue;
    for (int64_t p = 1; p <= extent && k * p <= accumulators; ++p) {
      bool divides = extent % p == 0;
      if (!divides && !mayRoundUp)
        continue;
      int64_t blocks = (width + k * vectorWidth - 1) / (k * vectorWidth);
      double used = double(width) / (blocks * k * vectorWidth) * extent /
                    (((extent + p - 1) / p) * p);
      double fmas = double(k * p), loads = 1.5 * double(k + p);
      // Ties go to the block with fewer loads per FMA.
      double score =
          used * fmas / (std::max(fmas, loads) + 1) - 1e-3 * loads / fmas;
      if (score > bestScore + 1e-9) {
        bestScore = score;
        best = {index, p, k, !divides};
      }
    }
  }
  if (best.factor == 1 && best.vectors == 1)
    return {};
  return best;
}

std::string Scheduler::scheduleStage(FuncInfo &f, int64_t stage,
                                     ArrayRef<std::string> rvars, bool parallel,
                                     Blocking blocking) {
  return scheduleLoops(f.op.getLoc(),
                       FlatSymbolRefAttr::get(f.op.getSymNameAttr()), f.op,
                       f.isOutput, stage, rvars, parallel, blocking);
}

std::string Scheduler::scheduleLoops(Location loc, FlatSymbolRefAttr sym,
                                     hl::FuncOp domain, bool isOutput,
                                     int64_t stage, ArrayRef<std::string> rvars,
                                     bool parallel, Blocking blocking) {
  std::vector<std::string> vars;
  for (Attribute a : domain.getVars())
    vars.push_back(a.cast<StringAttr>().getValue().str());
  std::vector<int64_t> shape;
  for (Attribute a : domain.getShape())
    shape.push_back(a.cast<IntegerAttr>().getInt());

  size_t before = b.getInsertionBlock()->getOperations().size();
  // Vectorize the innermost pure variable when it spans a vector.
  std::string vectorVar;
  // Outputs hold no update definitions (NNToHL copies them), so their one
  // stage can shift its last block inwards instead of masking it.
  StringRef shift = isOutput && stage == 0 ? "shift_inwards" : "";
  // Iterations of each variable's outermost loop.
  std::vector<int64_t> trips = shape;
  if (!vars.empty() && shape.back() >= vectorWidth) {
    std::string v = vars.back();
    split(loc, sym, stage, v, vectorWidth, shift);
    vars.back() = v + "o";
    vectorVar = v + "i";
    trips.back() = (shape.back() + vectorWidth - 1) / vectorWidth;
  }
  // The accumulators' loops, outermost first, unrolled inside the
  // reduction loops.
  std::vector<std::string> unrolled;
  if (blocking.index >= 0) {
    std::string v = vars[blocking.index];
    // Only the reduction itself computes past the end: a consumer split
    // alike may read buffers there, and recomputes an overlap instead.
    split(loc, sym, stage, v, blocking.factor,
          !blocking.roundUp ? shift
          : rvars.empty()   ? "shift_inwards"
                            : "round_up");
    vars[blocking.index] = v + "o";
    trips[blocking.index] =
        (shape[blocking.index] + blocking.factor - 1) / blocking.factor;
    unrolled.push_back(v + "i");
    if (blocking.vectors > 1) {
      std::string o = vars.back();
      split(loc, sym, stage, o, blocking.vectors, shift);
      vars.back() = o + "o";
      trips.back() /= blocking.vectors;
      unrolled.push_back(o + "i");
    }
  }
  // Reductions run inside each output vector, so the accumulator stays in
  // registers: pure variables, then reduction variables, then the vector.
  // A register-blocked reduction runs its blocks of output channels
  // outermost, so one block's weights stay in cache across all positions.
  std::vector<std::string> order;
  size_t channelBlock = vars.size();
  if (!rvars.empty()) {
    bool blocked = blocking.index >= 0;
    for (size_t i = 0; i < vars.size(); ++i)
      if (!blocked || (trips[i] == 1 && i + 1 < vars.size()))
        order.push_back(vars[i]);
    if (blocked) {
      channelBlock = order.size();
      order.push_back(vars.back());
      for (size_t i = 0; i + 1 < vars.size(); ++i)
        if (trips[i] > 1)
          order.push_back(vars[i]);
    }
    order.insert(order.end(), rvars.begin(), rvars.end());
    order.insert(order.end(), unrolled.begin(), unrolled.end());
    if (!vectorVar.empty())
      order.push_back(vectorVar);
    std::vector<StringRef> refs(order.begin(), order.end());
    b.create<hl::ReorderOp>(loc, sym, b.getI64IntegerAttr(stage),
                            b.getStrArrayAttr(refs));
  }
  if (!vectorVar.empty())
    b.create<hl::VectorizeOp>(loc, sym, b.getI64IntegerAttr(stage),
                              b.getStringAttr(vectorVar));
  if (!rvars.empty())
    for (const std::string &u : unrolled)
      b.create<hl::UnrollOp>(loc, sym, b.getI64IntegerAttr(stage),
                             b.getStringAttr(u));
  // Parallel over the outermost variable with more than one iteration; over
  // channel blocks times the next one (rows) when the channels are blocked,
  // so that both cores get an even share with a single fork and join.
  std::string parallelVar;
  auto tripsOf = [&](const std::string &v) {
    return trips[std::find(vars.begin(), vars.end(), v) - vars.begin()];
  };
  if (parallel && channelBlock + 1 < order.size() &&
      std::find(vars.begin(), vars.end(), order[channelBlock + 1]) !=
          vars.end()) {
    const std::string &outer = order[channelBlock],
                      &inner = order[channelBlock + 1];
    parallelVar = outer + "_" + inner;
    if (tripsOf(outer) == 1)
      parallelVar = inner;
    else
      b.create<hl::FuseOp>(loc, sym, b.getI64IntegerAttr(stage),
                           b.getStringAttr(inner), b.getStringAttr(outer),
                           b.getStringAttr(parallelVar));
    b.create<hl::ParallelOp>(loc, sym, b.getI64IntegerAttr(stage),
                             b.getStringAttr(parallelVar));
  }
  for (size_t i = 0; parallel && parallelVar.empty() && i < shape.size(); ++i) {
    if (trips[i] <= 1)
      continue;
    // A task of at least kMinTask values: thousands of one-row tasks (the
    // initial value of a matmul) cost more in the thread pool than they do.
    constexpr int64_t kMinTask = 4096;
    int64_t inner = 1;
    for (size_t j = i + 1; j < shape.size(); ++j)
      inner *= shape[j];
    int64_t chunk = (kMinTask + inner - 1) / inner;
    while (rvars.empty() && chunk > 1 && chunk < trips[i] &&
           trips[i] % chunk != 0)
      ++chunk;
    parallelVar = vars[i];
    if (rvars.empty() && blocking.index < 0 && chunk > 1 && chunk < trips[i] &&
        trips[i] == shape[i]) {
      split(loc, sym, stage, vars[i], chunk, shift);
      parallelVar = vars[i] + "o";
    }
    b.create<hl::ParallelOp>(loc, sym, b.getI64IntegerAttr(stage),
                             b.getStringAttr(parallelVar));
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
  // A padded func (not an input) is copied in vectors, in parallel.
  for (auto ext : pipeline.getBody().front().getOps<hl::ConstantExteriorOp>()) {
    auto sym = FlatSymbolRefAttr::get(ext.getSymNameAttr());
    if (!paddedInReduction.count(ext.getSymName().str())) {
      b.create<hl::ComputeInlineOp>(ext.getLoc(), sym);
      continue;
    }
    if (auto source = symbols.lookup<hl::FuncOp>(ext.getSource()))
      scheduleLoops(ext.getLoc(), sym, source, /*isOutput=*/false, 0, {},
                    /*parallel=*/true, {});
    b.create<hl::ComputeRootOp>(ext.getLoc(), sym);
  }

  std::set<std::string> attention = scheduleAttention();
  std::set<std::string> root;
  for (auto &[name, f] : funcs)
    if (attention.count(name))
      continue;
    else if (f.hasUpdates || f.isOutput ||
             (f.readInReduction && (f.computes || f.transposes)) ||
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
  // A transposing func that is stored runs in tiles; elsewhere its tile, an
  // identity copy, is inlined.
  std::set<std::string> tiled;
  for (const TransposeTile &t : tiles)
    if (root.count(t.consumer)) {
      scheduleTransposed(funcs[t.consumer], t);
      tiled.insert({t.consumer, t.tile});
    }
  for (auto &[name, f] : funcs) {
    if (attention.count(name) || tiled.count(name))
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

void Scheduler::scheduleTransposed(FuncInfo &f, const TransposeTile &t) {
  Location loc = f.op.getLoc();
  auto sym = FlatSymbolRefAttr::get(f.op.getSymNameAttr());
  std::vector<std::string> vars;
  for (Attribute a : f.op.getVars())
    vars.push_back(a.cast<StringAttr>().getValue().str());
  StringRef tail = f.isOutput ? "shift_inwards" : "";
  std::string inner = vars.back(), across = vars[t.across];
  split(loc, sym, 0, inner, vectorWidth, tail);
  split(loc, sym, 0, across, vectorWidth, tail);
  // Parallel over blocks along `across`, outermost. (Fused with the rows,
  // as blocked reductions are, the tasks were too small: slower.)
  std::vector<std::string> order, rest;
  for (int i = 0; i + 1 < (int)vars.size(); ++i)
    if (i != t.across)
      (f.op.getShape()[i].cast<IntegerAttr>().getInt() > 1 ? rest : order)
          .push_back(vars[i]);
  order.push_back(across + "o");
  order.insert(order.end(), rest.begin(), rest.end());
  order.insert(order.end(), {inner + "o", across + "i", inner + "i"});
  std::vector<StringRef> refs(order.begin(), order.end());
  b.create<hl::ReorderOp>(loc, sym, b.getI64IntegerAttr(0),
                          b.getStrArrayAttr(refs));
  b.create<hl::VectorizeOp>(loc, sym, b.getI64IntegerAttr(0),
                            b.getStringAttr(inner + "i"));
  b.create<hl::UnrollOp>(loc, sym, b.getI64IntegerAttr(0),
                         b.getStringAttr(across + "i"));
  b.create<hl::ParallelOp>(loc, sym, b.getI64IntegerAttr(0),
                           b.getStringAttr(across + "o"));

  hl::FuncOp tile = funcs[t.tile].op;
  auto tileSym = FlatSymbolRefAttr::get(tile.getSymNameAttr());
  auto tileVars = tile.getVars().getValue();
  std::string tileVector = tileVars.back().cast<StringAttr>().str();
  split(loc, tileSym, 0, tileVector, vectorWidth);
  b.create<hl::VectorizeOp>(loc, tileSym, b.getI64IntegerAttr(0),
                            b.getStringAttr(tileVector + "i"));
  b.create<hl::UnrollOp>(loc, tileSym, b.getI64IntegerAttr(0),
                         tileVars[t.tileInner].cast<StringAttr>());
  b.create<hl::ComputeAtOp>(loc, tileSym, sym, b.getStringAttr(inner + "o"));
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
      split(loc, sym, 0, row, kRowBlock, root.isOutput ? "shift_inwards" : "");
      block = row + "o";
    }
    if (dv >= vectorWidth) {
      std::string c = vars.back();
      split(loc, sym, 0, c, vectorWidth, root.isOutput ? "shift_inwards" : "");
      b.create<hl::VectorizeOp>(loc, sym, b.getI64IntegerAttr(0),
                                b.getStringAttr(c + "i"));
    }
    b.create<hl::ParallelOp>(loc, sym, b.getI64IntegerAttr(0),
                             b.getStringAttr(block));
    b.create<hl::ComputeRootOp>(loc, sym);
    for (const std::string &name : stages) {
      FuncInfo &f = funcs[name];
      // Register blocks along the rows must divide the block of rows.
      Blocking blocking;
      if (f.op.getShape().size() == vars.size())
        blocking = blockingOf(f, kRowBlock);
      if (blocking.index != (int)vars.size() - 2)
        blocking = {};
      scheduleStage(f, 0, {}, /*parallel=*/false);
      int64_t stage = 0;
      for (const std::vector<std::string> &rvars : updates[name])
        scheduleStage(f, ++stage, rvars, /*parallel=*/false,
                      rvars.empty() ? Blocking() : blocking);
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
    for (auto pipeline : getOperation().getOps<hl::PipelineOp>()) {
      std::vector<TransposeTile> tiles =
          insertTransposeTiles(pipeline, vectorWidth);
      Scheduler(pipeline, vectorWidth, accumulators, std::move(tiles)).run();
    }
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
