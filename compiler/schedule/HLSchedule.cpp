//===- HLSchedule.cpp - the baseline schedule of hl pipelines -------------===//

#include "compiler/schedule/Passes.h"
#include "compiler/schedule/Scheduler.h"

#include "mlir/Dialect/Arithmetic/IR/Arithmetic.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"

#include <algorithm>
#include <set>

using namespace mlir;
using namespace nncc;
using namespace nncc::schedule;

/// The func a symbol reads through boundary conditions, or "" for inputs
/// and buffers.
std::string Scheduler::producerOf(StringRef symbol) {
  Operation *op = symbols.lookup(symbol);
  if (auto ext = dyn_cast_or_null<hl::ConstantExteriorOp>(op))
    return producerOf(ext.getSource());
  return isa_and_nonnull<hl::FuncOp>(op) ? symbol.str() : "";
}

std::string Scheduler::onlyProducer(Operation *op, StringRef self) {
  std::set<std::string> read;
  op->walk([&](hl::CallOp call) {
    std::string producer = producerOf(call.getCallee());
    if (!producer.empty() && producer != self)
      read.insert(producer);
  });
  return read.size() == 1 ? *read.begin() : "";
}

void Scheduler::analyse() {
  Block &body = pipeline.getBody().front();
  for (auto f : body.getOps<hl::FuncOp>()) {
    FuncInfo &info = funcs[f.getSymName().str()];
    info.op = f;
    f.walk([&](Operation *op) {
      // Float arithmetic, or a choice between floats (a clamp).
      if (isa<math::MathDialect>(op->getDialect()) ||
          (op->getNumResults() && op->getResult(0).getType().isF32() &&
           !isa<arith::ConstantOp, hl::CallOp>(op)))
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
      paddedReaders[call.getCallee().str()].insert(consumer);
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

bool nncc::schedule::dependsOn(Value v, Value var) {
  SmallVector<Value, 8> work = {v};
  while (!work.empty()) {
    Value w = work.pop_back_val();
    if (w == var)
      return true;
    if (Operation *def = w.getDefiningOp())
      work.append(def->operand_begin(), def->operand_end());
  }
  return false;
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
      for (Value arg : call.getOperands())
        reads = reads || dependsOn(arg, var);
    });
  }
  return reads;
}

hl::UpdateOp Scheduler::updateOf(StringRef func, int64_t stage) {
  int64_t index = 0;
  for (auto u : pipeline.getBody().front().getOps<hl::UpdateOp>())
    if (u.getFunc() == func && ++index == stage)
      return u;
  return {};
}

int64_t Scheduler::reductionIterations(StringRef func, int64_t stage) {
  int64_t iterations = 1;
  if (hl::UpdateOp u = updateOf(func, stage))
    for (Attribute a : u.getExtents())
      iterations *= a.cast<IntegerAttr>().getInt();
  return iterations;
}

bool Scheduler::gathers(StringRef func, int64_t stage) {
  hl::UpdateOp u = updateOf(func, stage);
  if (!u)
    return false;
  auto args = u.getBody().front().getArguments();
  size_t vars = args.size() - u.getRvars().size();
  if (vars == 0)
    return false;
  Value vector = args[vars - 1];
  bool found = false;
  u.walk([&](hl::CallOp call) {
    auto operands = call.getOperands();
    if (!operands.empty() && operands.back() != vector &&
        llvm::is_contained(operands, vector))
      found = true;
  });
  return found;
}

bool Scheduler::sharesAcross(FuncInfo &f, int index) {
  bool shares = false;
  for (auto u : pipeline.getBody().front().getOps<hl::UpdateOp>()) {
    if (u.getFunc() != f.op.getSymName())
      continue;
    auto args = u.getBody().front().getArguments();
    Value blocked = args[index], vector = args[f.op.getVars().size() - 1];
    u.walk([&](hl::CallOp call) {
      auto reads = [&](Value var) {
        return llvm::any_of(call.getOperands(),
                            [&](Value a) { return dependsOn(a, var); });
      };
      if (call.getCallee() != f.op.getSymName() && reads(vector) &&
          !reads(blocked))
        shares = true;
    });
  }
  return shares;
}

Blocking Scheduler::blockingOf(FuncInfo &f, int64_t within, int along) {
  std::vector<int64_t> shape = shapeOf(f.op);
  Blocking best;
  if (!f.hasUpdates || shape.size() < 2 || shape.back() < vectorWidth)
    return best;
  // The largest outer variable; on a tie the inner one (image columns
  // rather than rows), whose neighbours are closer in memory.
  int index = std::max(along, 0);
  for (int i = 1; along < 0 && i + 1 < (int)shape.size(); ++i)
    if (shape[i] >= shape[index])
      index = i;
  int64_t extent = within ? within : shape[index], width = shape.back();
  // Without a read to share across the block, a block's accumulators only
  // hide the FMAs' latency, for which a few suffice; more would add code
  // and no speed. (A func computed `within` rows at a time is an
  // attention's, whose keys vary with the rows' block alone.)
  int64_t accumulators =
      within || sharesAcross(f, index) ? registers : TargetModel::kFMAsInFlight;
  // A block that does not divide leaves a last, narrower one. Where the
  // blocked variable keeps a loop of its own, Halide peels that block off
  // the guarded loop (19 columns by 5: 3 blocks of 5 and one of 4, 5-7%
  // faster than computing a 20th). Fused into the parallel loop (the
  // outermost variable that has more than one value), the guard would
  // branch inside the reduction loop instead; the last block may then only
  // compute past the end, and only where no buffer is read along it.
  bool ownLoop = within > 0;
  for (int i = 0; i < index; ++i)
    ownLoop |= shape[i] > 1;
  Optional<hl::Tail> tail;
  if (ownLoop)
    tail = hl::Tail::Guard;
  else if (!within && !f.isOutput && !readsBufferAlong(f, index))
    tail = hl::Tail::RoundUp;
  // A model of the inner loop: k*p FMAs need k vector loads and p
  // broadcasts, each weighing two FMAs (a broadcast from memory is a load
  // and a shuffle, and a matmul's p rows are p streams far apart); work
  // past the ends of either variable is wasted.
  auto cycles = [](int64_t k, int64_t p) {
    return std::max(double(k * p), 2.0 * double(k + p)) + 1;
  };
  // Half vectors where they divide the width and whole ones do not (24
  // channels on AVX-512: 3 of 8 lanes rather than 2 of 16, a third of them
  // masked off); there are as many registers of either size. Where the
  // weights can be padded with zeros, whole vectors past the end compete
  // too (2 of 16, the last 8 lanes computing zeros): each half vector does
  // half the work of an FMA.
  std::vector<int64_t> laneCounts = {vectorWidth};
  if (width % vectorWidth && vectorWidth % 2 == 0 &&
      width % (vectorWidth / 2) == 0)
    laneCounts = {vectorWidth / 2};
  bool pad = width % vectorWidth && !within && padding(f);
  if (pad && laneCounts.front() != vectorWidth)
    laneCounts.push_back(vectorWidth);
  double bestScore = 0;
  for (int64_t lanes : laneCounts)
    for (int64_t k = 1; k <= TargetModel::kBlockVectors &&
                        (pad ? (k - 1) * lanes < width : k * lanes <= width);
         ++k) {
      // A block of vectors that does not divide would read weights past
      // their end, unless padded; one vector may take a guarded tail.
      bool padded = width % (k * lanes) != 0;
      if (k > 1 && padded && !pad)
        continue;
      // The accumulators, the k vectors they multiply and the broadcast
      // value must all stay in registers, or the innermost loop spills: on
      // AVX-512, 4 vectors by 7 columns (33 registers) ran 9% slower than 4
      // by 4, and 2 by 14 (31) 4-7% faster.
      for (int64_t p = 1;
           p <= extent && k * p + k + 1 <= registers && k * p <= accumulators;
           ++p) {
        int64_t last = extent % p;
        if (last && !tail)
          continue;
        int64_t blocks = (width + k * lanes - 1) / (k * lanes);
        double cost = (extent / p) * cycles(k, p) + (!last ? 0
                                                     : tail == hl::Tail::Guard
                                                         ? cycles(k, last)
                                                         : cycles(k, p));
        double used = double(width) / (blocks * k * lanes) * extent * k / cost;
        // Ties go to the block with fewer loads per FMA.
        double score = (used - 1e-3 * (k + p) / double(k * p)) * lanes /
                       double(vectorWidth);
        if (score > bestScore + 1e-9) {
          bestScore = score;
          best = {index, p, k, last ? tail : None, 0, lanes};
          best.padded = pad && padded;
        }
      }
    }
  if (best.factor == 1 && best.vectors == 1)
    return {};
  return best;
}

int64_t Scheduler::weightBytes(const std::string &func) {
  std::vector<int64_t> shape = shapeOf(funcs[func].op);
  return reductionIterations(func, 1) * (shape.empty() ? 1 : shape.back()) * 4;
}

int64_t Scheduler::panelOf(StringRef func, const Blocking &blocking) {
  if (blocking.index < 0)
    return 0;
  for (auto u : pipeline.getBody().front().getOps<hl::UpdateOp>()) {
    if (u.getFunc() != func || u.getExtents().empty())
      continue;
    int64_t iterations = reductionIterations(func, 1);
    int64_t inner =
        u.getExtents()[u.getExtents().size() - 1].cast<IntegerAttr>().getInt();
    // A block's weights that outgrow half the L2 stream from L3 once per
    // block of positions (3x3 convs of 512 channels on 7x7 images: 1.2 MB
    // per block of 64). In panels of at most an eighth of the L2, every
    // block of positions reads them from there: a block of 4x4
    // accumulators loads a vector of weights per 4 FMAs, more than the
    // L2 delivers from further out. A panel of fewer than kMinPanel
    // iterations would load and store its accumulators too often.
    constexpr int64_t kMinPanel = 128;
    int64_t bytes = blocking.vectors * blocking.lanes * 4;
    if (iterations * bytes <= l2Bytes / 2)
      return 0;
    for (int64_t d = inner / 2; d >= 1; --d) {
      int64_t panel = iterations / inner * d;
      if (panel < kMinPanel)
        return 0;
      if (inner % d == 0 && panel * bytes <= l2Bytes / 8)
        return d;
    }
  }
  return 0;
}

void Scheduler::run() {
  analyse();
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
  std::map<std::string, TransposeFusion> fusion;
  // A Winograd convolution in bands computes its transforms and products
  // in its output's tasks.
  std::map<std::string, int64_t> bandRows;
  for (const WinogradBand &b : winogradBands(root)) {
    bandRows[b.output] = b.rows;
    fusedInto[b.products] = fusedInto[b.input] = b.output;
  }
  for (auto &[name, f] : funcs) {
    if (attention.count(name) || !root.count(name))
      continue;
    // A Winograd output in bands keeps its rows whole: it blocks columns.
    blocking[name] = blockingOf(f, 0, bandRows.count(name) ? 2 : -1);
    blocking[name].panel = panelOf(name, blocking[name]);
    // In panels, the reduction reuses each panel across all positions;
    // computed per row of a consumer, it would stream them for every row.
    // A Winograd convolution's stages in bands are placed already.
    if (blocking[name].panel || fusedInto.count(name) || bandRows.count(name))
      continue;
    std::string &consumer = fusedInto[name] = fusionTarget(name, root);
    auto t = llvm::find_if(tiles, [&](const TransposeTile &tile) {
      return tile.consumer == consumer;
    });
    if (t == tiles.end()) {
      // Computed per block of an elementwise consumer's rows, all of the
      // reduction's weights are read for every block: they must stay in
      // the L2 (a 512 x 2048 linear's 4 MB ran 2% slower fused).
      if (weightBytes(name) > l2Bytes / 2)
        consumer.clear();
      if (!consumer.empty()) {
        // The consumer runs in the same blocks but stops at the last
        // channel: it may read other funcs there.
        consumerBlocking[consumer] = blocking[name];
        consumerBlocking[consumer].padded = false;
      }
      continue;
    }
    fusion[consumer] = transposeFusion(*t, name, blocking[name]);
    if (fusion[consumer].row < 0)
      consumer.clear(); // no loop of the transposition fits: at root
  }
  // A reduction read elementwise by its consumer alone runs per register
  // block of the consumer: its initial value, updates and the consumer's
  // arithmetic then run on registers, and only the consumer is stored.
  std::set<std::string> tiledReductions = registerTiled(fusedInto, blocking);
  for (const std::string &name : tiledReductions)
    consumerBlocking[fusedInto[name]].tile = true;
  // A producer with few weights runs per block of the rows of a depthwise
  // reduction's consumer, with its padded copy.
  std::map<std::string, std::string> chainedPadded;
  for (const DepthwiseChain &c : depthwiseChains(root, fusedInto)) {
    fusedInto[c.producer] = c.consumer;
    consumerBlocking[c.consumer].rows = c.rows;
    chainedPadded[c.padded] = c.consumer;
  }
  for (const auto &[producer, consumer] : fusedInto)
    if (!consumer.empty())
      consumerBlocking[consumer].fusedFMAs +=
          reductionIterations(producer, updates[producer].size());
  // A transposing func that is stored runs in tiles; elsewhere its tile, an
  // identity copy, is inlined.
  std::set<std::string> tiled;
  for (const TransposeTile &t : tiles)
    if (root.count(t.consumer)) {
      parallelVar[t.consumer] =
          scheduleTransposed(funcs[t.consumer], t, fusion[t.consumer]);
      tiled.insert({t.consumer, t.tile});
    }
  for (auto &[name, f] : funcs) {
    if (attention.count(name) || tiled.count(name))
      continue;
    if (!root.count(name)) {
      plan[name].level.kind = ComputeLevel::Inline;
      continue;
    }
    // A fused producer runs inside its consumer's parallel loop already.
    bool parallel = fusedInto[name].empty();
    Blocking pure = consumerBlocking[name];
    if (tiledReductions.count(name)) {
      pure = blocking[name];
      pure.tile = true;
    }
    parallelVar[name] = scheduleStage(f, 0, {}, parallel, pure);
    int64_t stage = 0;
    for (const std::vector<std::string> &rvars : updates[name])
      scheduleStage(f, ++stage, rvars, parallel,
                    rvars.empty() ? Blocking() : blocking[name]);
    if (bandRows.count(name))
      parallelVar[name] = splitIntoBands(name, bandRows[name]);
    plan[name].packing = weightPacking(name, blocking[name]);
    if (blocking[name].padded) {
      const Blocking &b = blocking[name];
      int64_t block = b.vectors * b.lanes, width = shapeOf(f.op).back();
      plan[name].paddedVectors = *padding(f);
      plan[name].paddedWidth = (width + block - 1) / block * block;
    }
  }
  // A boundary condition read inside a reduction is materialised once (a
  // padded copy made by the schedule), so the reduction's inner loop reads
  // memory instead of evaluating a select per tap. Elsewhere it is inlined.
  // A padded func (not an input) is copied in vectors, in parallel, or per
  // task of the transposition its reduction is computed inside, or of the
  // consumer its depthwise chain runs in.
  for (auto ext : pipeline.getBody().front().getOps<hl::ConstantExteriorOp>()) {
    std::string name = ext.getSymName().str();
    ComputeLevel &level = plan[name].level;
    if (!paddedReaders.count(name)) {
      level.kind = ComputeLevel::Inline;
      continue;
    }
    std::string host = chainedPadded[name];
    for (const auto &[consumer, f] : fusion)
      if (f.padded == ext.getSymName())
        host = consumer;
    bool perTask = !host.empty() && !parallelVar[host].empty();
    if (auto source = symbols.lookup<hl::FuncOp>(ext.getSource()))
      scheduleLoops(name, source, /*isOutput=*/false, 0, {},
                    /*parallel=*/!perTask, {});
    level = perTask ? ComputeLevel{ComputeLevel::At, host, parallelVar[host]}
                    : ComputeLevel{ComputeLevel::Root};
  }
  for (auto &[name, f] : funcs) {
    if (!root.count(name))
      continue;
    const std::string &consumer = fusedInto[name];
    const std::string &var = tiledReductions.count(name)
                                 ? tileVars[consumer]
                                 : parallelVar[consumer];
    plan[name].level = !consumer.empty() && !var.empty()
                           ? ComputeLevel{ComputeLevel::At, consumer, var}
                           : ComputeLevel{ComputeLevel::Root};
  }
  emitSchedule(pipeline, plan);
}

std::set<std::string>
Scheduler::registerTiled(const std::map<std::string, std::string> &fusedInto,
                         const std::map<std::string, Blocking> &blocking) {
  std::map<std::string, std::vector<std::string>> reductions;
  for (const auto &[producer, consumer] : fusedInto)
    if (!consumer.empty())
      reductions[consumer].push_back(producer);
  std::set<std::string> tiled;
  for (const auto &[consumer, producers] : reductions) {
    // One reduction per elementwise consumer (a transposition has tiles of
    // its own), in whole blocks of channels: the consumer's tile is the
    // reduction's register block.
    bool transposes = llvm::any_of(
        tiles, [&](const TransposeTile &t) { return t.consumer == consumer; });
    if (producers.size() != 1 || transposes)
      continue;
    const std::string &name = producers.front();
    const Blocking &b = blocking.at(name);
    if (b.index >= 0 &&
        shapeOf(funcs[name].op).back() % (b.vectors * b.lanes) == 0)
      tiled.insert(name);
  }
  return tiled;
}

bool Scheduler::readsElementwise(const std::string &consumer,
                                 const std::string &producer) {
  hl::FuncOp f = funcs[consumer].op;
  auto args = f.getBody().front().getArguments();
  std::vector<int64_t> shape = shapeOf(f);
  bool reads = false, elementwise = true;
  f.walk([&](hl::CallOp call) {
    if (producerOf(call.getCallee()) != producer)
      return;
    reads = true;
    elementwise &=
        call.getCallee() == producer && call.getNumOperands() == args.size();
    for (size_t i = 0; elementwise && i < args.size(); ++i) {
      // A coordinate of an extent-1 dimension may be the constant 0.
      IntegerAttr zero;
      elementwise = call.getOperand(i) == args[i] ||
                    (shape[i] == 1 &&
                     matchPattern(call.getOperand(i), m_Constant(&zero)) &&
                     zero.getInt() == 0);
    }
  });
  return reads && elementwise;
}

std::string Scheduler::fusionTarget(const std::string &name,
                                    const std::set<std::string> &root) {
  FuncInfo &f = funcs[name];
  if (!f.hasUpdates || f.isOutput || f.consumers.size() != 1)
    return "";
  // The first func computed at root after inlined elementwise funcs of the
  // same shape (a residual add, a relu): one that reads them at its own
  // coordinates, or a transposition (an NCHW output) reading them through
  // a tile. One that broadcasts the result would recompute the whole
  // reduction for every slice it reads.
  std::string producer = name, c = *f.consumers.begin();
  for (;; producer = c, c = *funcs[c].consumers.begin()) {
    FuncInfo &next = funcs[c];
    if (next.hasUpdates || next.op.getShape() != f.op.getShape() ||
        !readsElementwise(c, producer))
      return "";
    if (root.count(c))
      return c;
    if (next.consumers.size() != 1)
      return "";
    for (const TransposeTile &t : tiles)
      if (t.tile == c && root.count(t.consumer))
        return t.consumer;
  }
}

namespace {
#define GEN_PASS_CLASSES
#include "compiler/schedule/Passes.h.inc"

struct HLSchedulePass : HLScheduleBase<HLSchedulePass> {
  HLSchedulePass() = default;
  explicit HLSchedulePass(const TargetModel &target) {
    vectorWidth = target.vectorWidth;
    registers = target.registers;
    l2Bytes = target.l2Bytes;
  }
  void runOnOperation() override {
    TargetModel target;
    target.vectorWidth = vectorWidth;
    target.registers = registers;
    target.l2Bytes = l2Bytes;
    for (auto pipeline : getOperation().getOps<hl::PipelineOp>()) {
      std::vector<TransposeTile> tiles =
          insertTransposeTiles(pipeline, vectorWidth);
      Scheduler(pipeline, target, std::move(tiles)).run();
    }
  }
};
} // namespace

std::unique_ptr<Pass> nncc::createHLSchedulePass() {
  return std::make_unique<HLSchedulePass>();
}
std::unique_ptr<Pass> nncc::createHLSchedulePass(const TargetModel &target) {
  return std::make_unique<HLSchedulePass>(target);
}
