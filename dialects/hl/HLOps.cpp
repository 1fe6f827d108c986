//===- HLOps.cpp - hl dialect registration and verifiers ------------------===//

#include "dialects/hl/HLOps.h"

#include "mlir/Dialect/Arithmetic/IR/Arithmetic.h"
#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace nncc::hl;

#include "dialects/hl/HLDialect.cpp.inc"
#include "dialects/hl/HLEnums.cpp.inc"

void HLDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/hl/HLOps.cpp.inc"
      >();
}

LogicalResult HLDialect::verifyOperationAttribute(Operation *op,
                                                  NamedAttribute attr) {
  auto func = dyn_cast<FuncOp>(op);
  if (attr.getName() == kAttention) {
    auto group = attr.getValue().dyn_cast<StringAttr>();
    if (!func || !group)
      return op->emitError()
             << kAttention << " must be a string attribute of an hl.func";
    auto result = SymbolTable::lookupNearestSymbolFrom<FuncOp>(
        op, StringAttr::get(op->getContext(), group.getValue()));
    if (!result || result->getAttr(kAttention) !=
                       StringAttr::get(op->getContext(), group.getValue()))
      return op->emitError() << kAttention << " names \"" << group.getValue()
                             << "\", which is not the result func of an "
                                "attention";
    return success();
  }
  if (attr.getName() == kRowGroup) {
    auto rows = attr.getValue().dyn_cast<IntegerAttr>();
    if (!func || !rows || rows.getInt() < 1 ||
        func->getAttr(kAttention) != func.getSymNameAttr())
      return op->emitError()
             << kRowGroup
             << " must be a positive integer on an attention's result func";
    return success();
  }
  if (attr.getName() == kWinogradTiles) {
    auto tiles = attr.getValue().dyn_cast<IntegerAttr>();
    if (!func || !tiles || tiles.getInt() < 1 || func.getShape().size() != 4)
      return op->emitError() << kWinogradTiles
                             << " must be a positive integer on a 4-d hl.func";
    return success();
  }
  if (attr.getName() == kStrict) {
    if (!attr.getValue().isa<UnitAttr>() ||
        !isa<arith::ArithmeticDialect>(op->getDialect()) ||
        op->getNumResults() != 1 || !op->getResult(0).getType().isF32())
      return op->emitError()
             << kStrict << " must be a unit attribute of an arith f32 op";
    return success();
  }
  return op->emitError() << "unknown hl attribute " << attr.getName();
}

int64_t nncc::hl::callableRank(Operation *op) {
  if (auto func = dyn_cast<FuncOp>(op))
    return func.getVars().size();
  if (auto input = dyn_cast<InputOp>(op))
    return input.getShape().size();
  if (auto buffer = dyn_cast<BufferOp>(op))
    return buffer.getValue().getType().getRank();
  if (auto exterior = dyn_cast<ConstantExteriorOp>(op))
    return exterior.getMins().size();
  return -1;
}

static LogicalResult verifyIndexArguments(Operation *op, Block &body,
                                          size_t expected) {
  if (body.getNumArguments() != expected)
    return op->emitOpError("body takes ")
           << body.getNumArguments() << " arguments, expected " << expected;
  for (BlockArgument arg : body.getArguments())
    if (!arg.getType().isSignlessInteger(32))
      return op->emitOpError("body arguments must be i32, got ")
             << arg.getType();
  return success();
}

/// The hl.yield that ends `op`'s body; null, with an error, if it ends
/// otherwise.
static YieldOp terminatorOf(Operation *op, Block &body) {
  auto yield = body.empty() ? YieldOp() : dyn_cast<YieldOp>(body.back());
  if (!yield)
    op->emitOpError("body must end with hl.yield");
  return yield;
}

static LogicalResult verify(BufferOp op) {
  auto dense = op.getValue().dyn_cast<DenseElementsAttr>();
  if (dense && dense.getType().getElementType().isF32())
    return success();
  return op.emitOpError("value must be dense f32 data, got ")
         << op.getValue().getType()
         << (dense ? ""
                   : " with no values (IR printed with its weights elided: "
                     "print it with --print-weights)");
}

static LogicalResult verify(FuncOp op) {
  if (op.getShape().size() != op.getVars().size())
    return op.emitOpError("has ")
           << op.getVars().size() << " variables but a shape of rank "
           << op.getShape().size();
  if (failed(
          verifyIndexArguments(op, op.getBody().front(), op.getVars().size())))
    return failure();
  YieldOp yield = terminatorOf(op, op.getBody().front());
  if (!yield)
    return failure();
  if (!yield.getAt().empty() || yield.getWhere())
    return yield.emitOpError("of a pure definition takes no 'at' or 'where'");
  return success();
}

static LogicalResult verify(UpdateOp op) {
  if (op.getMins().size() != op.getRvars().size() ||
      op.getExtents().size() != op.getRvars().size())
    return op.emitOpError(
        "needs one min and one extent per reduction variable");
  auto func =
      SymbolTable::lookupNearestSymbolFrom<FuncOp>(op, op.getFuncAttr());
  if (!func)
    return op.emitOpError("updates unknown func ") << op.getFuncAttr();
  size_t rank = func.getVars().size();
  if (failed(verifyIndexArguments(op, op.getBody().front(),
                                  rank + op.getRvars().size())))
    return failure();
  YieldOp yield = terminatorOf(op, op.getBody().front());
  if (!yield)
    return failure();
  if (yield.getAt().size() != rank)
    return yield.emitOpError("of an update must write 'at' ")
           << rank << " coordinates, got " << yield.getAt().size();
  return success();
}

static LogicalResult verify(SplitOp op) {
  if (op.getFactorAttr().getInt() < 1)
    return op.emitOpError("factor must be positive");
  return success();
}

static LogicalResult verify(PipelineOp op) {
  auto check = [&](Operation *user, FlatSymbolRefAttr ref,
                   int64_t arity) -> LogicalResult {
    Operation *target = SymbolTable::lookupSymbolIn(op, ref);
    if (!target)
      return user->emitOpError("refers to unknown symbol ") << ref;
    int64_t rank = callableRank(target);
    if (rank < 0)
      return user->emitOpError("cannot read ") << ref;
    if (arity >= 0 && rank != arity)
      return user->emitOpError("reads ")
             << ref << " with " << arity << " coordinates, but it has " << rank;
    return success();
  };
  // A schedule op's stage: 0 (the pure definition) to the func's updates.
  llvm::StringMap<int64_t> updates;
  for (auto u : op.getBody().front().getOps<UpdateOp>())
    ++updates[u.getFunc()];
  auto checkStage = [&](Operation *inner) -> LogicalResult {
    auto stage = inner->getAttrOfType<IntegerAttr>("stage");
    auto func = inner->getAttrOfType<FlatSymbolRefAttr>("func");
    if (!stage || !func)
      return success();
    int64_t last = updates.lookup(func.getValue());
    if (stage.getInt() < 0 || stage.getInt() > last)
      return inner->emitOpError("stage ") << stage.getInt() << " of " << func
                                          << ", which has stages 0 to " << last;
    return success();
  };
  // i32 inputs are read by hl.index alone, everything else by the others.
  auto checkIndices = [&](Operation *user, FlatSymbolRefAttr ref,
                          bool indices) -> LogicalResult {
    auto in = SymbolTable::lookupSymbolIn(op, ref);
    bool int32 = isa_and_nonnull<InputOp>(in) && cast<InputOp>(in).getInt32();
    if (int32 != indices)
      return user->emitOpError(indices ? "reads indices from "
                                       : "reads the i32 input ")
             << ref
             << (indices ? ", which is not an i32 input"
                         : "; indices are read with hl.index");
    return success();
  };
  WalkResult result = op.walk([&](Operation *inner) {
    LogicalResult ok = checkStage(inner);
    if (failed(ok))
      return WalkResult::interrupt();
    if (auto call = dyn_cast<CallOp>(inner))
      ok = check(call, call.getCalleeAttr(), call.getArgs().size());
    else if (auto index = dyn_cast<IndexOp>(inner))
      ok = index.getBound() < 1
               ? index.emitOpError("bound must be positive")
               : check(index, index.getSourceAttr(), index.getArgs().size());
    else if (auto ext = dyn_cast<ConstantExteriorOp>(inner))
      ok = check(ext, ext.getSourceAttr(), ext.getMins().size());
    else if (auto out = dyn_cast<OutputOp>(inner))
      ok = check(out, out.getFuncAttr(), out.getShape().size());
    if (succeeded(ok))
      if (auto ref = inner->getAttrOfType<FlatSymbolRefAttr>(
              isa<IndexOp>(inner) ? "source" : "callee"))
        ok = checkIndices(inner, ref, isa<IndexOp>(inner));
    return failed(ok) ? WalkResult::interrupt() : WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

#define GET_OP_CLASSES
#include "dialects/hl/HLOps.cpp.inc"
