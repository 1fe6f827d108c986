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
    if (position.empty() || f->hasAttr("hl.attention"))
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
    tiles.push_back({f.getSymName().str(), tile.getSymName().str(), across,
                     position[last]});
  }
  return tiles;
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
