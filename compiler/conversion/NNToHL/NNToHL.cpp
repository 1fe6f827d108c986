//===- NNToHL.cpp - the nn-to-hl conversion pass --------------------------===//

#include "compiler/conversion/NNToHL/Lowering.h"
#include "compiler/conversion/Passes.h"
#include "dialects/hl/HLDialect.h"

#include "mlir/Dialect/Arithmetic/IR/Arithmetic.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/StandardOps/IR/Ops.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace nncc;

namespace {
#define GEN_PASS_CLASSES
#include "compiler/conversion/Passes.h.inc"

/// A Halide-friendly symbol for a source name (`conv1.weight`).
std::string symbolFor(StringRef name) {
  std::string s;
  for (char c : name)
    s += std::isalnum((unsigned char)c) ? c : '_';
  if (s.empty() || std::isdigit((unsigned char)s[0]))
    s = "t_" + s;
  return s;
}

struct ConvertNNToHLPass : ConvertNNToHLBase<ConvertNNToHLPass> {
  void runOnOperation() override {
    for (FuncOp func :
         llvm::make_early_inc_range(getOperation().getOps<FuncOp>()))
      if (failed(lower(func)))
        return signalPassFailure();
  }

  LogicalResult lower(FuncOp func);
};

LogicalResult ConvertNNToHLPass::lower(FuncOp func) {
  MLIRContext *ctx = &getContext();
  OpBuilder b(func);
  auto pipeline = b.create<hl::PipelineOp>(func.getLoc(),
                                           func.getName().str() + ".lowering");
  pipeline.getBody().push_back(new Block());
  LoweringState state{pipeline, SymbolTable(pipeline)};

  // Arguments: hl.inputs, seen by the nn ops through refs.
  Block &entry = func.getBody().front();
  OpBuilder inside = OpBuilder::atBlockBegin(&entry);
  b.setInsertionPointToEnd(&pipeline.getBody().front());
  for (BlockArgument arg : func.getArguments()) {
    unsigned i = arg.getArgNumber();
    auto nameAttr = func.getArgAttrOfType<StringAttr>(i, "nn.name");
    std::string name =
        nameAttr ? nameAttr.getValue().str() : "arg" + std::to_string(i);
    auto type = arg.getType().cast<ShapedType>();
    auto input = b.create<hl::InputOp>(
        arg.getLoc(), symbolFor(name), name, b.getI64ArrayAttr(type.getShape()),
        func.getArgAttr(i, "nn.param") != nullptr,
        type.getElementType().isSignlessInteger(32));
    state.symbols.insert(input);
    Value ref = inside.create<hl::RefOp>(
        arg.getLoc(), arg.getType(),
        FlatSymbolRefAttr::get(input.getSymNameAttr()));
    arg.replaceAllUsesWith(ref);
  }

  ConversionTarget target(*ctx);
  target.addIllegalDialect<nn::NNDialect>();
  target.addLegalDialect<hl::HLDialect, arith::ArithmeticDialect,
                         math::MathDialect, StandardOpsDialect>();
  RewritePatternSet patterns(ctx);
  populateElementwiseLowerings(patterns, state);
  populateLinearLowerings(patterns, state);
  populateConvLowerings(patterns, state);
  populatePoolLowerings(patterns, state);
  populateReductionLowerings(patterns, state);
  populateNormalizationLowerings(patterns, state);
  populateDataMovementLowerings(patterns, state);
  populateResizeLowerings(patterns, state);
  populateWinogradLowerings(patterns, state);
  populateAttentionLowerings(patterns, state);
  if (failed(applyPartialConversion(func, target, std::move(patterns))))
    return failure();

  // Results: hl.outputs. Halide needs a distinct func per output, so an
  // input, a buffer or a func already output is copied first. So is a func
  // with update definitions: Halide 14 reads an output buffer back in an
  // update with loads it assumes aligned, and callers' arrays need not be.
  llvm::StringSet<> updated;
  for (auto u : pipeline.getBody().front().getOps<hl::UpdateOp>())
    updated.insert(u.getFunc());
  auto ret = cast<ReturnOp>(entry.getTerminator());
  llvm::SmallPtrSet<Operation *, 4> outputs;
  for (auto it : llvm::enumerate(ret.getOperands())) {
    auto ref = it.value().getDefiningOp<hl::RefOp>();
    auto nameAttr = func.getResultAttrOfType<StringAttr>(it.index(), "nn.name");
    std::string name = nameAttr ? nameAttr.getValue().str()
                                : "out" + std::to_string(it.index());
    auto shape = it.value().getType().cast<ShapedType>().getShape();
    FlatSymbolRefAttr source = ref.getTargetAttr();
    Operation *producer = state.symbols.lookup(source.getValue());
    if (!isa<hl::FuncOp>(producer) || updated.count(source.getValue()) ||
        !outputs.insert(producer).second) {
      OpBuilder builder(ctx);
      HLBuilder hb(builder, ret.getLoc(), pipeline, state.symbols);
      source = hb.func(symbolFor(name), shape,
                       [&](ValueRange v) { return hb.call(source, v); });
    }
    b.setInsertionPointToEnd(&pipeline.getBody().front());
    b.create<hl::OutputOp>(ret.getLoc(), source, b.getStringAttr(name),
                           b.getI64ArrayAttr(shape));
  }
  std::string name = func.getName().str();
  func.erase();
  SymbolTable::setSymbolName(pipeline, name);
  return success();
}
} // namespace

std::unique_ptr<Pass> nncc::createConvertNNToHLPass() {
  return std::make_unique<ConvertNNToHLPass>();
}
