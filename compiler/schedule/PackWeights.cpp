//===- PackWeights.cpp - constant weights laid out in consumption order ---===//
//
// A register-blocked reduction reads, per block of output channels (and per
// panel of its innermost reduction variable), a block of weights over the
// whole reduction. Laid out as NNToHL left them, [r0, ..., rn, C], the
// block's vectors sit one row of C apart: each iteration touches new cache
// lines, and the hardware prefetcher, which follows sequential streams, does
// not fetch them ahead from memory (a model's weights outgrow the L3). Packed
// as [C/B, rn/P, r0, ..., rn%P, B], the weights are one sequential stream in
// the order the loops read them.
//
//===----------------------------------------------------------------------===//

#include "compiler/schedule/Scheduler.h"

#include "mlir/Dialect/Arithmetic/IR/Arithmetic.h"

using namespace mlir;
using namespace nncc;
using namespace nncc::schedule;

/// The call in `update` that reads a buffer at (rvars..., the innermost pure
/// variable), or null.
static hl::CallOp weightsCall(hl::UpdateOp update, SymbolTable &symbols,
                              int64_t rank) {
  Block &body = update.getBody().front();
  hl::CallOp found;
  int matches = 0;
  update.walk([&](hl::CallOp call) {
    if (!symbols.lookup<hl::BufferOp>(call.getCallee()))
      return;
    auto args = body.getArguments();
    auto operands = call.getOperands();
    size_t rvars = args.size() - rank;
    if (operands.size() != rvars + 1 || operands.back() != args[rank - 1])
      return;
    for (size_t i = 0; i < rvars; ++i)
      if (operands[i] != args[rank + i])
        return;
    found = call;
    ++matches;
  });
  return matches == 1 ? found : hl::CallOp();
}

/// How many ops of `pipeline` name `symbol`.
static int usesOf(hl::PipelineOp pipeline, FlatSymbolRefAttr symbol) {
  int uses = 0;
  pipeline.walk([&](Operation *op) {
    for (NamedAttribute a : op->getAttrs())
      uses += a.getValue() == symbol;
  });
  return uses;
}

hl::CallOp Scheduler::packableWeights(const std::string &name) {
  if (updates[name].size() != 1)
    return {};
  hl::FuncOp f = funcs[name].op;
  int64_t rank = f.getVars().size();
  hl::UpdateOp u = updateOf(name, 1);
  if (!u || u.getRvars().empty())
    return {};
  hl::CallOp call = weightsCall(u, symbols, rank);
  // Read once: a buffer shared with another func keeps its layout.
  if (!call || usesOf(pipeline, call.getCalleeAttr()) != 1)
    return {};
  // The weights span the reduction domain: [extents..., C].
  auto type = symbols.lookup<hl::BufferOp>(call.getCallee())
                  .getValue()
                  .getType()
                  .cast<ShapedType>();
  std::vector<int64_t> extents;
  for (auto [min, extent] : llvm::zip(u.getMins(), u.getExtents())) {
    if (min.cast<IntegerAttr>().getInt() != 0)
      return {};
    extents.push_back(extent.cast<IntegerAttr>().getInt());
  }
  extents.push_back(shapeOf(f).back());
  return type.getShape() == ArrayRef<int64_t>(extents) ? call : hl::CallOp();
}

Optional<std::vector<std::string>> Scheduler::padding(FuncInfo &f) {
  std::string name = f.op.getSymName().str();
  hl::CallOp weights = packableWeights(name);
  if (f.isOutput || !weights)
    return None;
  // Past the last channel, the stages may read only the weights, the func
  // itself, and constant vectors of their own at (c), which get zeros.
  std::vector<std::string> vectors;
  bool padded = true;
  auto check = [&](Operation *stage) {
    Value channel =
        stage->getRegion(0).front().getArgument(f.op.getVars().size() - 1);
    stage->walk([&](hl::CallOp call) {
      if (call == weights || call.getCallee() == name ||
          llvm::none_of(call.getOperands(),
                        [&](Value v) { return dependsOn(v, channel); }))
        return;
      padded &= symbols.lookup<hl::BufferOp>(call.getCallee()) &&
                call.getNumOperands() == 1 && call.getOperand(0) == channel &&
                usesOf(pipeline, call.getCalleeAttr()) == 1;
      vectors.push_back(call.getCallee().str());
    });
  };
  check(f.op);
  check(updateOf(name, 1));
  if (!padded)
    return None;
  return vectors;
}

Optional<WeightPacking> Scheduler::weightPacking(const std::string &name,
                                                 const Blocking &blocking) {
  hl::CallOp call = packableWeights(name);
  if (blocking.index < 0 || !call)
    return None;
  hl::UpdateOp u = updateOf(name, 1);
  int64_t channels = shapeOf(funcs[name].op).back();
  int64_t inner =
      u.getExtents()[u.getExtents().size() - 1].cast<IntegerAttr>().getInt();
  int64_t block = blocking.vectors * blocking.lanes;
  if ((channels % block != 0 && !blocking.padded) ||
      (blocking.panel && inner % blocking.panel))
    return None;
  return WeightPacking{call.getCallee().str(), block, blocking.panel};
}

/// `values` of shape `dims` (the last one C) permuted to [C/B, rn/P, r0, ...,
/// rn%P, B] (without rn/P when `panel` is 0), C/B rounded up: the channels
/// past C are zeros.
static std::vector<float> packed(ArrayRef<float> values, ArrayRef<int64_t> dims,
                                 int64_t block, int64_t panel,
                                 std::vector<int64_t> &shape) {
  int64_t n = dims.size(), channels = dims.back(), inner = dims[n - 2];
  int64_t panels = panel ? inner / panel : 1, width = panel ? panel : inner;
  int64_t blocks = (channels + block - 1) / block;
  shape = {blocks};
  if (panel)
    shape.push_back(panels);
  shape.insert(shape.end(), dims.begin(), dims.end() - 2);
  shape.push_back(width);
  shape.push_back(block);
  int64_t outer = 1; // positions of r0, ..., rn-1
  for (int64_t i = 0; i + 2 < n; ++i)
    outer *= dims[i];
  std::vector<float> out(blocks * block * outer * inner);
  size_t k = 0;
  for (int64_t cb = 0; cb < blocks; ++cb)
    for (int64_t p = 0; p < panels; ++p)
      for (int64_t o = 0; o < outer; ++o)
        for (int64_t r = p * width; r < (p + 1) * width; ++r)
          for (int64_t c = cb * block; c < (cb + 1) * block; ++c)
            out[k++] =
                c < channels ? values[(o * inner + r) * channels + c] : 0.0f;
  return out;
}

void nncc::schedule::packWeights(hl::PipelineOp pipeline,
                                 const WeightPacking &packing) {
  SymbolTable symbols(pipeline);
  auto buffer = symbols.lookup<hl::BufferOp>(packing.buffer);
  auto value = buffer.getValue().cast<DenseElementsAttr>();
  std::vector<float> values(value.getValues<float>().begin(),
                            value.getValues<float>().end());
  std::vector<int64_t> shape;
  std::vector<float> data = packed(values, value.getType().getShape(),
                                   packing.block, packing.panel, shape);
  OpBuilder b(buffer);
  buffer.setValueAttr(DenseElementsAttr::get(
      RankedTensorType::get(shape, b.getF32Type()), llvm::makeArrayRef(data)));

  pipeline.walk([&](hl::CallOp call) {
    if (call.getCallee() != packing.buffer)
      return;
    b.setInsertionPoint(call);
    Location loc = call.getLoc();
    auto constant = [&](int64_t v) {
      return b.create<arith::ConstantOp>(loc, b.getI32IntegerAttr(v));
    };
    auto split = [&](Value v, int64_t factor) -> std::pair<Value, Value> {
      Value f = constant(factor);
      return {b.create<arith::FloorDivSIOp>(loc, v, f),
              b.create<hl::ModOp>(loc, v, f)};
    };
    SmallVector<Value, 8> operands(call.getOperands().begin(),
                                   call.getOperands().end());
    auto [channelBlock, channel] = split(operands.back(), packing.block);
    // Past the last channel the blocks are padding: a consumer's vectors
    // that shift inwards at its end make Halide's bounds of the channels
    // a block wider than the loops run, and the input-bounds assertion
    // would demand a block that does not exist. The clamp keeps the
    // bounds exact and changes no index the loops reach.
    if (shape.back() * shape.front() != value.getType().getShape().back())
      channelBlock = b.create<arith::MinSIOp>(loc, channelBlock,
                                              constant(shape.front() - 1));
    SmallVector<Value, 8> args = {channelBlock};
    Value inner = operands[operands.size() - 2];
    if (packing.panel) {
      auto [panel, within] = split(inner, packing.panel);
      args.push_back(panel);
      inner = within;
    }
    args.append(operands.begin(), operands.end() - 2);
    args.push_back(inner);
    args.push_back(channel);
    call->setOperands(args);
  });
}

void nncc::schedule::padVector(hl::PipelineOp pipeline, StringRef name,
                               int64_t width) {
  auto buffer = SymbolTable(pipeline).lookup<hl::BufferOp>(name);
  auto value = buffer.getValue().cast<DenseElementsAttr>();
  std::vector<float> data(value.getValues<float>().begin(),
                          value.getValues<float>().end());
  data.resize(width, 0.0f);
  buffer.setValueAttr(DenseElementsAttr::get(
      RankedTensorType::get({width}, value.getType().getElementType()),
      llvm::makeArrayRef(data)));
}
