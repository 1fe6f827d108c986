//===- GatherShapes.cpp - shape functions of the ops that gather by index -===//

#include "dialects/nn/ShapeRule.h"

using namespace mlir;
using namespace nncc::nn;
using namespace nncc::nn::shape;

NN_SHAPE_RULE(EmbeddingOp, "embedding") {
  ArrayRef<int64_t> ids = shapeOf(a.getIndices()), w = shapeOf(a.getWeight());
  if (failed(checkRank(r, "weight", w, 2, "[num_embeddings, embedding_dim]")))
    return failure();
  Shape out(ids.begin(), ids.end());
  out.push_back(w[1]);
  return r.result(out);
}
