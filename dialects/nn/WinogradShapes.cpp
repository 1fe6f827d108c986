//===- WinogradShapes.cpp - shape functions of the Winograd stages --------===//

#include "dialects/nn/ShapeRule.h"

using namespace mlir;
using namespace nncc::nn;
using namespace nncc::nn::shape;

/// Tiles of 2x2 outputs over an output of `rows` x `columns`.
static int64_t tilesOf(int64_t rows, int64_t columns) {
  return ((rows + 1) / 2) * ((columns + 1) / 2);
}

NN_SHAPE_RULE(WinogradInputOp, "winograd_input") {
  ArrayRef<int64_t> x = shapeOf(a.getInput());
  std::array<int64_t, 2> p, size;
  if (failed(checkRank(r, "input", x, 4, "[N, H, W, C]")) ||
      failed(pairOf(r, a.getPadding(), "padding", 0, p)) ||
      failed(pairOf(r, a.getSize(), "size", 1, size)))
    return failure();
  for (int i = 0; i < 2; ++i)
    if (size[i] != x[1 + i] + 2 * p[i] - 2)
      return r.error() << "size " << text(size) << " is not a 3x3 "
                       << "convolution's output of input " << text(x)
                       << " padded by " << text(p);
  return r.result({16, x[0] * tilesOf(size[0], size[1]), x[3]});
}

NN_SHAPE_RULE(WinogradOutputOp, "winograd_output") {
  ArrayRef<int64_t> m = shapeOf(a.getInput());
  Shape size = ints(a.getSize());
  if (failed(checkRank(r, "input", m, 3, "[16, tiles, O]")))
    return failure();
  if (size.size() != 3 || llvm::any_of(size, [](int64_t d) { return d < 1; }))
    return r.error() << "size must be 3 positive values [N, H, W], got "
                     << text(size);
  if (m[0] != 16 || m[1] != size[0] * tilesOf(size[1], size[2]))
    return r.error() << "input " << text(m) << " does not hold the 16 "
                     << "transformed products of the tiles of " << text(size);
  if (failed(checkVector(r, "bias", a.getBias(), m[2], "O")))
    return failure();
  return r.result({size[0], size[1], size[2], m[2]});
}
