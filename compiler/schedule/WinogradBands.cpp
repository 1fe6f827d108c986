//===- WinogradBands.cpp - Winograd's stages per band of output rows ------===//
//
// Computed whole, a Winograd convolution writes its input transform and its
// products, each 16/4 = 4 times the size of its output, and reads them
// back: at 56x56x64 that is 3.2 MB each, beyond the L2, and the transforms
// then cost as much as the products. Computed per band of output rows
// (half as many rows of tiles, whose indices are contiguous), inside the
// band's task, both stay in the L2 with the transformed weights, which
// every band reads again: so only where those weights fit in half the L2,
// and the band's transforms and products in the other half.
//
//===----------------------------------------------------------------------===//

#include "compiler/schedule/Scheduler.h"

using namespace mlir;
using namespace nncc;
using namespace nncc::schedule;

std::vector<WinogradBand>
Scheduler::winogradBands(const std::set<std::string> &root) {
  std::vector<WinogradBand> bands;
  // The one func `name`'s update reads, or "".
  auto updateSource = [&](const std::string &name) {
    hl::UpdateOp update = updateOf(name, 1);
    return update ? onlyProducer(update, name) : std::string();
  };
  for (auto &[name, f] : funcs) {
    auto tw = f.op->getAttrOfType<IntegerAttr>(hl::HLDialect::kWinogradTiles);
    std::vector<int64_t> out = shapeOf(f.op);
    // One image: a band's tiles are then contiguous.
    if (!tw || !root.count(name) || f.isOutput || out[0] != 1)
      continue;
    std::string products = updateSource(name);
    std::string input = products.empty() ? "" : updateSource(products);
    auto readBy = [&](const std::string &producer, const std::string &reader) {
      FuncInfo &p = funcs[producer];
      return root.count(producer) && p.hasUpdates && !p.isOutput &&
             p.consumers == std::set<std::string>{reader};
    };
    if (input.empty() || !readBy(products, name) || !readBy(input, products))
      continue;
    std::vector<int64_t> m = shapeOf(funcs[products].op);
    int64_t channels = reductionIterations(products, 1);
    int64_t weights = m[0] * weightBytes(products);
    int64_t rowBytes = tw.getInt() * m[0] * (channels + m.back()) * 4;
    if (weights > l2Bytes / 2 || rowBytes > l2Bytes / 2)
      continue;
    int64_t tileRows = (out[1] + 1) / 2;
    int64_t chunk =
        taskChunk(tw.getInt() * m[0] * channels * m.back(), tileRows);
    chunk = std::min(chunk, l2Bytes / 2 / rowBytes);
    bands.push_back({name, products, input, 2 * chunk});
  }
  return bands;
}

std::string Scheduler::splitIntoBands(const std::string &name, int64_t rows) {
  StagePlan &p = plan[name].stages.back();
  p.fuse.reset();
  p.taskSplits = {{"y", rows, llvm::None}};
  auto y = llvm::find(p.order, "y");
  if (y != p.order.end()) {
    p.order.erase(y);
    p.order.insert(p.order.begin(), "y");
  }
  return p.parallel = "yo";
}
