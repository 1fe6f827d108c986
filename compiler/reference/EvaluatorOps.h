//===- EvaluatorOps.h - the reference evaluator's parts ---------*- C++ -*-===//
//
// Evaluator.cpp dispatches each nn op to a loop nest written from
// PyTorch's definition; the windowed ones (convolutions, pools, resizing)
// are in Windows.cpp. Both use these tensor helpers (Tensors.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_REFERENCE_EVALUATOROPS_H
#define NNCC_REFERENCE_EVALUATOROPS_H

#include "compiler/reference/Evaluator.h"
#include "dialects/nn/NNOps.h"

#include <functional>

namespace nncc {
namespace reference {

std::vector<int64_t> shapeOf(mlir::Value v);
std::vector<int64_t> ints(mlir::ArrayAttr attr);
/// Row-major strides of `shape`.
std::vector<int64_t> strides(const std::vector<int64_t> &shape);
/// Calls fn(index, flat) for every index of `shape` in row-major order.
void forEach(
    const std::vector<int64_t> &shape,
    const std::function<void(const std::vector<int64_t> &, int64_t)> &fn);
/// `shape` with dims `perm`: dim i is shape's dim perm[i].
std::vector<int64_t> permutedShape(llvm::ArrayRef<int64_t> shape,
                                   llvm::ArrayRef<int64_t> perm);
/// Dims `perm` of `x`: result dim i is x's dim perm[i]; given the result's
/// `shape`, the read of x at the position `perm` maps an index to.
Tensor permute(const Tensor &x, llvm::ArrayRef<int64_t> perm);
Tensor permute(const Tensor &x, const std::vector<int64_t> &perm,
               std::vector<int64_t> shape);
/// PyTorch's max: NaN wins over any number.
double maxKeepingNaN(double a, double b);

Tensor conv1d(nn::Conv1dOp op, const Tensor &x, const Tensor &w,
              const Tensor *b);
Tensor conv2d(nn::Conv2dOp op, const Tensor &x, const Tensor &w,
              const Tensor *b);
Tensor convTranspose2d(nn::ConvTranspose2dOp op, const Tensor &x,
                       const Tensor &w, const Tensor *b);
Tensor maxPool(nn::MaxPool2dOp op, const Tensor &x);
Tensor avgPool(nn::AvgPool2dOp op, const Tensor &x);
Tensor adaptivePool(const Tensor &x, const std::vector<int64_t> &shape,
                    bool isMax);
Tensor interpolate(nn::InterpolateOp op, const Tensor &x,
                   const std::vector<int64_t> &shape);
Tensor globalAvgPool(nn::GlobalAvgPool2dOp op, const Tensor &x);

} // namespace reference
} // namespace nncc

#endif // NNCC_REFERENCE_EVALUATOROPS_H
