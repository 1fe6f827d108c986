//===- ReductionShapes.cpp - shape functions of the reductions ------------===//

#include "dialects/nn/ShapeRule.h"

using namespace mlir;
using namespace nncc::nn;
using namespace nncc::nn::shape;

/// The input's shape without `axes`, or with them of size 1 (`keepdim`).
static LogicalResult reduced(Rule &r, ArrayRef<int64_t> x,
                             ArrayRef<int64_t> axes, bool keepdim) {
  if (axes.empty())
    return r.error() << "axes must not be empty";
  for (int64_t axis : axes)
    if (failed(checkAxis(r, "axis", axis, x.size())))
      return failure();
  Shape out;
  for (size_t d = 0; d < x.size(); ++d) {
    int64_t n = llvm::count(axes, (int64_t)d);
    if (n > 1)
      return r.error() << "axis " << d << " is given " << n << " times";
    if (!n)
      out.push_back(x[d]);
    else if (keepdim)
      out.push_back(1);
  }
  return r.result(out);
}

#define NN_REDUCE(OP, NAME)                                                    \
  NN_SHAPE_RULE(OP, NAME) {                                                    \
    return reduced(r, shapeOf(a.getInput()), ints(a.getAxes()),                \
                   static_cast<bool>(a.getKeepdimAttr()));                     \
  }
NN_REDUCE(SumOp, "sum")
NN_REDUCE(MeanOp, "mean")
NN_REDUCE(AmaxOp, "amax")
NN_REDUCE(AminOp, "amin")
#undef NN_REDUCE

NN_SHAPE_RULE(ArgmaxOp, "argmax") {
  return reduced(r, shapeOf(a.getInput()), {(int64_t)a.getAxis()},
                 static_cast<bool>(a.getKeepdimAttr()));
}
