//===- NNOps.cpp - nn dialect op definitions ------------------------------===//
//
// The op classes generated from NNOps.td. Shape rules are in NNShapes.cpp,
// folds and canonicalization patterns in NNCanonicalize.cpp.
//
//===----------------------------------------------------------------------===//

#include "dialects/nn/NNOps.h"

using namespace mlir;
using namespace nncc::nn;

#include "dialects/nn/NNInterfaces.cpp.inc"

#define GET_OP_CLASSES
#include "dialects/nn/NNOps.cpp.inc"

SmallVector<int64_t, 4> nncc::nn::permutationOf(ArrayAttr dims) {
  SmallVector<int64_t, 4> out;
  for (Attribute a : dims)
    out.push_back(a.cast<IntegerAttr>().getInt());
  return out;
}

Value nncc::nn::buildPermute(OpBuilder &builder, Location loc, Value x,
                             ArrayRef<int64_t> dims) {
  return buildChecked<PermuteOp>(
      builder, loc, {x},
      {builder.getNamedAttr("dims", builder.getI64ArrayAttr(dims))});
}

Value nncc::nn::buildReshape(OpBuilder &builder, Location loc, Value x,
                             ArrayRef<int64_t> shape) {
  return buildChecked<ReshapeOp>(
      builder, loc, {x},
      {builder.getNamedAttr("shape", builder.getI64ArrayAttr(shape))});
}

Value nncc::nn::buildSlice(OpBuilder &builder, Location loc, Value x,
                           int64_t axis, int64_t start, int64_t end,
                           int64_t step) {
  SmallVector<NamedAttribute, 4> attrs = {
      builder.getNamedAttr("axis", builder.getI64IntegerAttr(axis)),
      builder.getNamedAttr("start", builder.getI64IntegerAttr(start)),
      builder.getNamedAttr("end", builder.getI64IntegerAttr(end))};
  // The default step stays implicit, as the front end writes it.
  if (step != 1)
    attrs.push_back(
        builder.getNamedAttr("step", builder.getI64IntegerAttr(step)));
  return buildChecked<SliceOp>(builder, loc, {x}, attrs);
}

float InterpolateOp::sourceScale(unsigned d) {
  auto in = getInput().getType().cast<ShapedType>().getDimSize(2 + d);
  auto out = getType().cast<ShapedType>().getDimSize(2 + d);
  if (getAlignCornersAttr())
    return out > 1 ? (float)(in - 1) / (float)(out - 1) : 0.0f;
  if (auto scales = getScaleFactorAttr())
    return (float)(1.0 / scales[d].cast<FloatAttr>().getValueAsDouble());
  return (float)in / (float)out;
}

bool nncc::nn::isElementwise(Operation *op) { return isa<ElementwiseOp>(op); }

llvm::Optional<double> nncc::nn::scalarConstant(Value v) {
  auto c = v.getDefiningOp<ConstantOp>();
  auto dense = c ? c.getValue().dyn_cast<DenseElementsAttr>() : nullptr;
  if (!dense || !dense.getElementType().isF32() ||
      dense.getType().getNumElements() != 1)
    return llvm::None;
  return dense.getSplatValue<APFloat>().convertToDouble();
}

Value nncc::nn::buildLinearAsMatmul(OpBuilder &builder, Location loc, Value x,
                                    Value w, Value bias) {
  auto ws = w.getType().cast<RankedTensorType>();
  if (ws.getRank() != 2)
    return {};
  auto transposed = RankedTensorType::get({ws.getDimSize(1), ws.getDimSize(0)},
                                          ws.getElementType());
  Value wt = builder.createOrFold<PermuteOp>(loc, transposed, w,
                                             builder.getI64ArrayAttr({1, 0}));
  Value product = buildChecked<MatmulOp>(builder, loc, {x, wt}, {});
  if (product && bias)
    product = buildChecked<AddOp>(builder, loc, {product, bias}, {});
  return product;
}
