//===- EmitSchedule.cpp - a SchedulePlan written as hl schedule ops -------===//

#include "compiler/schedule/SchedulePlan.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace nncc;
using namespace nncc::schedule;

namespace {
class Emitter {
public:
  Emitter(OpBuilder &b, Location loc, FlatSymbolRefAttr func)
      : b(b), loc(loc), func(func) {}

  void stage(int64_t index, const StagePlan &s) {
    IntegerAttr stage = b.getI64IntegerAttr(index);
    if (s.atomic)
      b.create<hl::AtomicOp>(loc, func, stage);
    for (const Split &split : s.splits)
      emit(stage, split);
    if (!s.order.empty()) {
      std::vector<StringRef> refs(s.order.begin(), s.order.end());
      b.create<hl::ReorderOp>(loc, func, stage, b.getStrArrayAttr(refs));
    }
    if (!s.vectorize.empty())
      b.create<hl::VectorizeOp>(loc, func, stage, b.getStringAttr(s.vectorize));
    for (const std::string &var : s.unroll)
      b.create<hl::UnrollOp>(loc, func, stage, b.getStringAttr(var));
    if (s.fuse)
      b.create<hl::FuseOp>(loc, func, stage, b.getStringAttr(s.fuse->inner),
                           b.getStringAttr(s.fuse->outer),
                           b.getStringAttr(s.fuse->fused));
    for (const Split &split : s.taskSplits)
      emit(stage, split);
    if (!s.parallel.empty())
      b.create<hl::ParallelOp>(loc, func, stage, b.getStringAttr(s.parallel));
  }

  void level(const ComputeLevel &level) {
    switch (level.kind) {
    case ComputeLevel::Unset:
      return;
    case ComputeLevel::Inline:
      b.create<hl::ComputeInlineOp>(loc, func);
      return;
    case ComputeLevel::Root:
      b.create<hl::ComputeRootOp>(loc, func);
      return;
    case ComputeLevel::At:
      b.create<hl::ComputeAtOp>(
          loc, func, FlatSymbolRefAttr::get(b.getContext(), level.at),
          b.getStringAttr(level.var));
      return;
    }
  }

private:
  void emit(IntegerAttr stage, const Split &s) {
    b.create<hl::SplitOp>(
        loc, func, stage, b.getStringAttr(s.var), b.getStringAttr(s.var + "o"),
        b.getStringAttr(s.var + "i"), b.getI64IntegerAttr(s.factor),
        s.tail ? b.getStringAttr(hl::stringifyTail(*s.tail)) : StringAttr());
  }

  OpBuilder &b;
  Location loc;
  FlatSymbolRefAttr func;
};
} // namespace

void nncc::schedule::emitSchedule(hl::PipelineOp pipeline,
                                  const SchedulePlan &plan) {
  Block &body = pipeline.getBody().front();
  OpBuilder b = OpBuilder::atBlockEnd(&body);
  // Collected first: the ops emitted join the body being walked.
  std::vector<std::pair<Operation *, StringRef>> symbols;
  for (Operation &op : body)
    if (isa<hl::FuncOp, hl::ConstantExteriorOp>(op))
      symbols.push_back(
          {&op, op.getAttrOfType<StringAttr>(SymbolTable::getSymbolAttrName())
                    .getValue()});
  for (auto &[op, name] : symbols) {
    auto found = plan.find(name.str());
    if (found == plan.end())
      continue;
    Emitter emitter(b, op->getLoc(),
                    FlatSymbolRefAttr::get(op->getContext(), name));
    for (size_t i = 0; i < found->second.stages.size(); ++i)
      emitter.stage(i, found->second.stages[i]);
    emitter.level(found->second.level);
    if (found->second.packing)
      packWeights(pipeline, *found->second.packing);
    for (const std::string &vector : found->second.paddedVectors)
      padVector(pipeline, vector, found->second.paddedWidth);
  }
}
