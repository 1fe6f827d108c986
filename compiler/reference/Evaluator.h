//===- Evaluator.h - a float64 reference evaluator of nn --------*- C++ -*-===//
//
// Interprets nn functions in double precision with naive loops written
// from PyTorch's definitions. It shares nothing with the Halide path (no hl,
// no shape tricks, no schedules), which is what makes it a reference: only
// the ops' own definitions (ElementwiseOp::evaluate, the formulas constant
// folding uses too, and InterpolateOp::sourceScale).
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_REFERENCE_EVALUATOR_H
#define NNCC_REFERENCE_EVALUATOR_H

#include "mlir/IR/BuiltinOps.h"

#include <vector>

namespace nncc {

struct Tensor {
  std::vector<int64_t> shape;
  std::vector<double> data; // row-major

  Tensor() = default;
  explicit Tensor(std::vector<int64_t> shape);
  int64_t size() const;
};

/// Evaluates `func` on `args` (inputs then params, as the function takes
/// them). Unsupported ops are reported as errors on the op.
mlir::FailureOr<std::vector<Tensor>> evaluate(mlir::FuncOp func,
                                              const std::vector<Tensor> &args);

} // namespace nncc

#endif // NNCC_REFERENCE_EVALUATOR_H
