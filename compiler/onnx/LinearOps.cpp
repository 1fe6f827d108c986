//===- LinearOps.cpp - Gemm, MatMul and the normalisations ----------------===//
//
// Gemm is alpha * A' B' + beta * C with A' = A or A^T, B' = B or B^T.
// PyTorch's nn.Linear exports as Gemm(transB=1), F.linear exactly; other
// forms become a matmul of (transposed) operands, scaled.
//
//===----------------------------------------------------------------------===//

#include "compiler/onnx/Importer.h"

using namespace mlir;
using namespace nncc;
using namespace nncc::onnx_import;

namespace {
Value scaled(Importer &im, Value v, float by) {
  if (!v || by == 1.0f)
    return v;
  return nn::buildChecked<nn::MulOp>(im.builder, im.loc(), {v, im.scalar(by)},
                                     {});
}

bool gemm(Importer &im, const onnx::NodeProto &node) {
  Value a = im.tensor(node, 0), b = a ? im.tensor(node, 1) : Value();
  if (!b)
    return false;
  Value c = im.tensor(node, 2, /*optional=*/true);
  if (Importer::shapeOf(a).size() != 2 || Importer::shapeOf(b).size() != 2)
    return im.error("A and B must be matrices");
  bool transA = intAttr(node, "transA", 0), transB = intAttr(node, "transB", 0);
  float alpha = floatAttr(node, "alpha", 1.0f),
        beta = floatAttr(node, "beta", 1.0f);
  Value y;
  // F.linear's bias is [N]; Gemm's C broadcasts to [M, N].
  bool linearBias = !c || (beta == 1.0f && Importer::shapeOf(c).size() == 1 &&
                           Importer::shapeOf(c)[0] == Importer::shapeOf(b)[0]);
  if (!transA && transB && alpha == 1.0f && linearBias) {
    SmallVector<Value, 3> operands = {a, b};
    if (c)
      operands.push_back(c);
    y = nn::buildChecked<nn::LinearOp>(im.builder, im.loc(), operands, {});
  } else {
    if (transA)
      a = nn::buildPermute(im.builder, im.loc(), a, {1, 0});
    if (transB)
      b = nn::buildPermute(im.builder, im.loc(), b, {1, 0});
    y = a && b ? scaled(im,
                        nn::buildChecked<nn::MatmulOp>(im.builder, im.loc(),
                                                       {a, b}, {}),
                        alpha)
               : Value();
    if (y && c && beta != 0.0f) {
      Value bc = scaled(im, c, beta);
      y = bc ? nn::buildChecked<nn::AddOp>(im.builder, im.loc(), {y, bc}, {})
             : Value();
    }
  }
  return im.result(node, y);
}

bool matmul(Importer &im, const onnx::NodeProto &node) {
  Value a = im.tensor(node, 0), b = a ? im.tensor(node, 1) : Value();
  Value y = b ? nn::buildChecked<nn::MatmulOp>(im.builder, im.loc(), {a, b}, {})
              : Value();
  return im.result(node, y);
}

bool batchNorm(Importer &im, const onnx::NodeProto &node) {
  if (node.output_size() > 1)
    return im.error("training mode (running mean and variance outputs) is "
                    "not supported");
  SmallVector<Value, 5> in;
  for (int i = 0; i < 5; ++i)
    if (!in.emplace_back(im.tensor(node, i)))
      return false;
  // ONNX's order is X, scale, B, mean, var; nn's input, mean, var, weight,
  // bias.
  Value y = nn::buildChecked<nn::BatchNormOp>(
      im.builder, im.loc(), {in[0], in[3], in[4], in[1], in[2]},
      {im.builder.getNamedAttr("eps", im.builder.getF64FloatAttr(
                                          floatAttr(node, "epsilon", 1e-5f)))});
  return im.result(node, y);
}

/// LayerNormalization (opset 17) over the last axis, with scale and bias.
bool layerNorm(Importer &im, const onnx::NodeProto &node) {
  Value x = im.tensor(node, 0), scale = x ? im.tensor(node, 1) : Value();
  Value bias = im.tensor(node, 2, /*optional=*/true);
  if (!scale)
    return false;
  int64_t rank = Importer::shapeOf(x).size();
  int64_t axis = intAttr(node, "axis", -1);
  if (axis != -1 && axis != rank - 1)
    return im.error("normalising over more than the last axis is not "
                    "supported");
  if (node.output_size() > 1)
    return im.error("the Mean and InvStdDev outputs are not supported");
  if (!bias) {
    HostTensor zeros;
    zeros.shape = Importer::shapeOf(scale).vec();
    zeros.values.assign(zeros.elements(), 0.0);
    bias = im.materialize(zeros);
  }
  Value y = nn::buildChecked<nn::LayerNormOp>(
      im.builder, im.loc(), {x, scale, bias},
      {im.builder.getNamedAttr("eps", im.builder.getF64FloatAttr(
                                          floatAttr(node, "epsilon", 1e-5f)))});
  return im.result(node, y);
}
} // namespace

void onnx_import::registerLinearOps(Registry &r) {
  r["Gemm"] = gemm;
  r["MatMul"] = matmul;
  r["BatchNormalization"] = batchNorm;
  r["LayerNormalization"] = layerNorm;
}
