//===- NNDialect.cpp - nn dialect registration ----------------------------===//

#include "dialects/nn/NNDialect.h"
#include "dialects/nn/NNOps.h"

using namespace mlir;
using namespace nncc::nn;

#include "dialects/nn/NNDialect.cpp.inc"

void NNDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/nn/NNOps.cpp.inc"
      >();
}

Operation *NNDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                          Type type, Location loc) {
  auto elements = value.dyn_cast<ElementsAttr>();
  if (!elements || elements.getType() != type)
    return nullptr;
  return builder.create<ConstantOp>(loc, type, elements);
}
