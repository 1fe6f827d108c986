//===- DepthwiseChains.cpp - a producer computed per depthwise row block --===//
//
// MobileNet's blocks expand a few channels into many with a 1x1 conv, then
// run a depthwise 3x3 conv over the result: at 112x112 the expansion writes
// 4.8 MB that its padded copy and the depthwise conv read back from memory.
// Where the producing reduction multiplies few weights, it is cheaper to
// compute it, and its padded copy, per block of the depthwise conv's output
// rows, inside the parallel loop of the elementwise func the depthwise conv
// is computed in: the block's rows then stay in cache. Neighbouring blocks
// recompute the kH - s rows their windows share, so a block is as many rows
// as keep that under an eighth: (kH - s) / (rows * s) <= 1/8.
//
//===----------------------------------------------------------------------===//

#include "compiler/schedule/Scheduler.h"

using namespace mlir;
using namespace nncc;
using namespace nncc::schedule;

/// The func `f` reads through inlined funcs that read one func each, up to
/// the first one computed at root; "" where that is not a chain.
std::string Scheduler::rootSource(std::string f,
                                  const std::set<std::string> &root) {
  while (!f.empty() && !root.count(f))
    f = onlyProducer(funcs[f].op);
  return f;
}

std::vector<DepthwiseChain> Scheduler::depthwiseChains(
    const std::set<std::string> &root,
    const std::map<std::string, std::string> &fusedInto) {
  std::vector<DepthwiseChain> chains;
  for (auto ext : pipeline.getBody().front().getOps<hl::ConstantExteriorOp>()) {
    auto readers = paddedReaders.find(ext.getSymName().str());
    if (readers == paddedReaders.end() || readers->second.size() != 1)
      continue;
    const std::string &depthwise = *readers->second.begin();
    auto host = fusedInto.find(depthwise);
    if (host == fusedInto.end() || host->second.empty())
      continue;
    // Depthwise, channels last: one input channel per output channel.
    hl::UpdateOp update;
    for (auto u : pipeline.getBody().front().getOps<hl::UpdateOp>())
      if (u.getFunc() == depthwise)
        update = u;
    if (!update || update.getExtents().size() != 3 ||
        update.getExtents()[2].cast<IntegerAttr>().getInt() != 1)
      continue;
    std::string producer = rootSource(producerOf(ext.getSource()), root);
    auto fused = fusedInto.find(producer);
    if (producer.empty() || !funcs[producer].hasUpdates ||
        funcs[producer].isOutput || funcs[producer].consumers.size() != 1 ||
        (fused != fusedInto.end() && !fused->second.empty()))
      continue;
    std::vector<int64_t> out = shapeOf(funcs[depthwise].op),
                         in = shapeOf(funcs[producer].op);
    if (out.size() != 4 || in.size() != 4 ||
        weightBytes(producer) > l2Bytes / 8)
      continue;
    int64_t kh = update.getExtents()[0].cast<IntegerAttr>().getInt();
    int64_t stride = std::max<int64_t>(1, in[1] / out[1]);
    int64_t rows =
        std::max<int64_t>(1, (8 * (kh - stride) + stride - 1) / stride);
    if (2 * rows > out[1])
      continue;
    chains.push_back({producer, ext.getSymName().str(), host->second, rows});
  }
  return chains;
}
