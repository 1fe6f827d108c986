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

Optional<WeightPacking> Scheduler::weightPacking(const std::string &name,
                                                 const Blocking &blocking) {
  if (blocking.index < 0 || updates[name].size() != 1)
    return None;
  hl::FuncOp f = funcs[name].op;
  int64_t rank = f.getVars().size();
  for (auto u : pipeline.getBody().front().getOps<hl::UpdateOp>()) {
    if (u.getFunc() != name || u.getRvars().empty())
      continue;
    hl::CallOp call = weightsCall(u, symbols, rank);
    if (!call)
      return None;
    // Read once: a buffer shared with another func keeps its layout.
    int uses = 0;
    pipeline.walk([&](Operation *op) {
      for (NamedAttribute a : op->getAttrs())
        uses += a.getValue() == call.getCalleeAttr();
    });
    if (uses != 1)
      return None;
    // The weights span the reduction domain: [extents..., C].
    auto type = symbols.lookup<hl::BufferOp>(call.getCallee())
                    .getValue()
                    .getType()
                    .cast<ShapedType>();
    std::vector<int64_t> extents;
    for (auto [min, extent] : llvm::zip(u.getMins(), u.getExtents())) {
      if (min.cast<IntegerAttr>().getInt() != 0)
        return None;
      extents.push_back(extent.cast<IntegerAttr>().getInt());
    }
    extents.push_back(shapeOf(f).back());
    int64_t block = blocking.vectors * blocking.lanes;
    if (type.getShape() != ArrayRef<int64_t>(extents) ||
        extents.back() % block != 0 ||
        (blocking.panel && extents[extents.size() - 2] % blocking.panel))
      return None;
    return WeightPacking{call.getCallee().str(), block, blocking.panel};
  }
  return None;
}

/// `values` of shape `dims` (the last one C) permuted to [C/B, rn/P, r0, ...,
/// rn%P, B] (without rn/P when `panel` is 0).
static std::vector<float> packed(ArrayRef<float> values, ArrayRef<int64_t> dims,
                                 int64_t block, int64_t panel,
                                 std::vector<int64_t> &shape) {
  int64_t n = dims.size(), channels = dims.back(), inner = dims[n - 2];
  int64_t panels = panel ? inner / panel : 1, width = panel ? panel : inner;
  shape = {channels / block};
  if (panel)
    shape.push_back(panels);
  shape.insert(shape.end(), dims.begin(), dims.end() - 2);
  shape.push_back(width);
  shape.push_back(block);
  int64_t outer = 1; // positions of r0, ..., rn-1
  for (int64_t i = 0; i + 2 < n; ++i)
    outer *= dims[i];
  std::vector<float> out(values.size());
  size_t k = 0;
  for (int64_t cb = 0; cb < channels / block; ++cb)
    for (int64_t p = 0; p < panels; ++p)
      for (int64_t o = 0; o < outer; ++o)
        for (int64_t r = p * width; r < (p + 1) * width; ++r)
          for (int64_t c = cb * block; c < (cb + 1) * block; ++c)
            out[k++] = values[(o * inner + r) * channels + c];
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
