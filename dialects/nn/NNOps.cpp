//===- NNOps.cpp - nn dialect op definitions ------------------------------===//
//
// The op classes generated from NNOps.td. Shape rules are in NNShapes.cpp,
// folds and canonicalization patterns in NNCanonicalize.cpp.
//
//===----------------------------------------------------------------------===//

#include "dialects/nn/NNOps.h"

using namespace mlir;
using namespace nncc::nn;

#define GET_OP_CLASSES
#include "dialects/nn/NNOps.cpp.inc"
