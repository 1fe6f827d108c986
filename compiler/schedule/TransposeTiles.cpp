//===- TransposeTiles.cpp - tiles for funcs that transpose ----------------===//

#include "compiler/schedule/TransposeTiles.h"
#include "compiler/schedule/Scheduler.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace nncc;
using namespace nncc::schedule;

/// Where each of `f`'s variables appears among the operands of its one
/// call, when its body is only that call of a func with distinct variables
/// as operands; empty otherwise.
static std::vector<int> transposition(hl::FuncOp f, hl::CallOp &call) {
  Block &body = f.getBody().front();
  call = dyn_cast<hl::CallOp>(&body.front());
  if (!call || !isa<hl::YieldOp>(call->getNextNode()) ||
      call.getNumOperands() != body.getNumArguments())
    return {};
  std::vector<int> position(body.getNumArguments(), -1);
  for (unsigned i = 0; i < call.getNumOperands(); ++i) {
    auto arg = call.getOperand(i).dyn_cast<BlockArgument>();
    if (!arg || arg.getOwner() != &body || position[arg.getArgNumber()] >= 0)
      return {};
    position[arg.getArgNumber()] = i;
  }
  return position;
}

std::vector<TransposeTile> nncc::insertTransposeTiles(hl::PipelineOp pipeline,
                                                      int64_t vectorWidth) {
  std::vector<TransposeTile> tiles;
  SymbolTable symbols(pipeline);
  Block &body = pipeline.getBody().front();
  for (auto f : llvm::make_early_inc_range(body.getOps<hl::FuncOp>())) {
    hl::CallOp call;
    std::vector<int> position = transposition(f, call);
    if (position.empty() || f->hasAttr(hl::HLDialect::kAttention))
      continue;
    auto producer = symbols.lookup<hl::FuncOp>(call.getCallee());
    int last = position.size() - 1;
    if (!producer || position[last] == last)
      continue;
    int across =
        std::find(position.begin(), position.end(), last) - position.begin();
    auto extent = [&](int i) {
      return f.getShape()[i].cast<IntegerAttr>().getInt();
    };
    if (extent(last) < vectorWidth || extent(across) < vectorWidth)
      continue;

    OpBuilder b(f);
    auto tile = b.create<hl::FuncOp>(f.getLoc(),
                                     (producer.getSymName() + "_tile").str(),
                                     producer.getVars(), producer.getShape());
    symbols.insert(tile); // renames on a clash
    Block *block = b.createBlock(&tile.getBody());
    for (size_t i = 0; i < position.size(); ++i)
      block->addArgument(b.getI32Type(), f.getLoc());
    Value value =
        b.create<hl::CallOp>(f.getLoc(), b.getF32Type(), call.getCalleeAttr(),
                             block->getArguments());
    b.create<hl::YieldOp>(f.getLoc(), value, ValueRange(), Value());
    call.setCalleeAttr(FlatSymbolRefAttr::get(tile.getSymNameAttr()));
    tiles.push_back({f.getSymName().str(), tile.getSymName().str(), position});
  }
  return tiles;
}

bool Scheduler::readsHalo(const std::string &reduction,
                          const std::string &padded, int dim) {
  bool halo = false;
  for (auto u : pipeline.getBody().front().getOps<hl::UpdateOp>())
    if (u.getFunc() == reduction)
      u.walk([&](hl::CallOp call) {
        // A call of another rank counts as a halo: nothing is known of it.
        halo |= call.getCallee() == padded &&
                (dim >= (int)call.getNumOperands() ||
                 call.getOperand(dim) != u.getBody().front().getArgument(dim));
      });
  return halo;
}

TransposeFusion Scheduler::transposeFusion(const TransposeTile &t,
                                           const std::string &producer,
                                           const Blocking &blocking) {
  std::vector<int64_t> shape = shapeOf(funcs[producer].op);
  // Rows: the outermost variable of more than one iteration that is not
  // blocked (images, where a batch has several).
  int row = 0, rank = shape.size();
  while (row + 1 < rank && (shape[row] == 1 || row == blocking.index))
    ++row;
  if (blocking.index < 0 || row + 1 >= rank)
    return {};
  // A task computes all channels where all the weights stay in half the
  // L2 (beside the rows they multiply), a block of them otherwise,
  // as the reduction would at root. At 2 threads, interleaved medians:
  // 3x3 conv 64->64 at 56x56, 0.81 ms at root then transposed, 0.75 fused
  // (rows of all channels); 192->192 at 19x19, 0.78 ms at root, 0.74 fused
  // (rows of 64 channels), while rows of all channels, streaming its 1.3 MB
  // of weights per task, ran 17% slower at 1 thread.
  int64_t channels = shape.back(),
          iterations = reductionIterations(producer, 1);
  int64_t block = weightBytes(producer) > l2Bytes / 2
                      ? blocking.vectors * blocking.lanes
                      : channels;
  int64_t fmas = block * iterations;
  for (int i = 0; i + 1 < rank; ++i)
    if (i != row)
      fmas *= shape[i];
  TransposeFusion fusion;
  fusion.row = t.reading(row);
  // The rows must not be one of the tile's dimensions.
  if (fusion.row == t.across() || fusion.row + 1 == (int)t.position.size())
    return {};
  fusion.channels = block < channels ? block : 0;
  fusion.chunk = std::min(
      shape[row], taskChunk(fmas, (channels + block - 1) / block * shape[row]));
  // A task of all channels also copies the rows of the padded input it
  // reads, halo included, instead of a parallel loop of its own copying
  // them all first. Tasks are then larger, to amortise the halo: 3x3 conv
  // 64->64 at 56x56, 2 threads, interleaved medians: 0.776 ms with the
  // copy at root, 0.740 with it in tasks of 4 rows (14 tasks), 0.691 of 7
  // (8 tasks), 0.797 of 8 (7 tasks: one thread runs 4 of them). So: the
  // largest blocks that leave at least 8 tasks, an even number of them
  // where a block size allowed does. Where the reduction reads a halo of
  // rows and the blocks would be under 4 rows (images of under 32 rows),
  // the copy stays at root: each task would copy its rows 2 to 5 times.
  constexpr int64_t kPaddedTasks = 8, kMinHaloChunk = 4;
  for (auto &[padded, readers] : paddedReaders) {
    if (fusion.channels || readers != std::set<std::string>{producer})
      continue;
    int64_t least = readsHalo(producer, padded, row) ? kMinHaloChunk : 1;
    int64_t chunk = std::max<int64_t>(1, shape[row] / kPaddedTasks);
    if (chunk < least)
      continue;
    fusion.padded = padded;
    fusion.chunk = chunk;
    for (; chunk > 1 && chunk >= least; --chunk)
      if ((shape[row] + chunk - 1) / chunk % 2 == 0) {
        fusion.chunk = chunk;
        break;
      }
  }
  return fusion;
}

std::string Scheduler::scheduleTransposed(FuncInfo &f, const TransposeTile &t,
                                          const TransposeFusion &fusion) {
  StagePlan &p = plan[f.op.getSymName().str()].stage(0);
  std::vector<std::string> vars;
  for (Attribute a : f.op.getVars())
    vars.push_back(a.cast<StringAttr>().getValue().str());
  Optional<hl::Tail> tail;
  if (f.isOutput)
    tail = hl::Tail::ShiftInwards;
  std::string inner = vars.back(), across = vars[t.across()];
  p.splits.push_back({inner, vectorWidth, tail});
  std::string block; // blocks of channels of a reduction computed inside
  if (fusion.channels) {
    p.splits.push_back({across, fusion.channels, tail});
    block = across + "o";
    across += "i";
  }
  p.splits.push_back({across, vectorWidth, tail});
  std::vector<std::string> rest;
  for (int i = 0; i + 1 < (int)vars.size(); ++i)
    if (i != t.across() && i != fusion.row)
      (f.op.getShape()[i].cast<IntegerAttr>().getInt() > 1 ? rest : p.order)
          .push_back(vars[i]);
  // Unfused: parallel over blocks along `across`, outermost. (Fused with
  // the rows, as blocked reductions are, the tasks were too small: slower.)
  // Fused: over the reduction's tasks, which it computes inside them.
  p.parallel = across + "o";
  if (fusion.row >= 0) {
    std::string row = vars[fusion.row];
    p.parallel = row;
    if (fusion.chunk > 1) {
      p.splits.push_back({row, fusion.chunk, tail});
      p.parallel = row + "o";
    }
    if (!block.empty())
      p.order.push_back(block);
    p.order.push_back(p.parallel);
    if (fusion.chunk > 1)
      p.order.push_back(row + "i");
  }
  p.order.push_back(across + "o");
  p.order.insert(p.order.end(), rest.begin(), rest.end());
  p.order.insert(p.order.end(), {inner + "o", across + "i", inner + "i"});
  p.vectorize = inner + "i";
  p.unroll = {across + "i"};
  if (!block.empty()) {
    p.fuse = Fuse{p.parallel, block, block + "_" + p.parallel};
    p.parallel = p.fuse->fused;
  }

  hl::FuncOp tile = funcs[t.tile].op;
  FuncPlan &tilePlan = plan[tile.getSymName().str()];
  auto tileVars = tile.getVars().getValue();
  std::string tileVector = tileVars.back().cast<StringAttr>().str();
  tilePlan.stage(0).splits.push_back({tileVector, vectorWidth, None});
  tilePlan.stage(0).vectorize = tileVector + "i";
  tilePlan.stage(0).unroll = {tileVars[t.tileInner()].cast<StringAttr>().str()};
  tilePlan.level = {ComputeLevel::At, f.op.getSymName().str(), inner + "o"};
  return p.parallel;
}
