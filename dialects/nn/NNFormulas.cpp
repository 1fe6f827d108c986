//===- NNFormulas.cpp - elementwise ops' PyTorch functions, in double -----===//
//
// ElementwiseOp::evaluate of every elementwise op: the function PyTorch
// computes, with its NaN behaviour, in double. Constant folding and the
// reference evaluator use these; NNToHL writes each op's f32 code
// (compiler/conversion/NNToHL/Elementwise.cpp).
//
//===----------------------------------------------------------------------===//

#include "dialects/nn/NNOps.h"

#include <cmath>

using namespace mlir;
using namespace nncc::nn;

namespace {
/// Comparisons that keep NaN, as torch.clamp and F.hardtanh do.
double clampKeepingNaN(double x, double lo, double hi) {
  if (x < lo)
    x = lo;
  return x > hi ? hi : x;
}
double softplus(double x, double beta, double threshold) {
  return beta * x > threshold ? x : std::log1p(std::exp(beta * x)) / beta;
}
double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }
/// torch.minimum and torch.maximum: a NaN operand gives NaN.
double eitherNaN(double a, double b, double otherwise) {
  return std::isnan(a) ? a : std::isnan(b) ? b : otherwise;
}
} // namespace

// As torch.relu: NaN and -0.0 pass through.
double ReluOp::evaluate(ArrayRef<double> x) { return x[0] < 0 ? 0 : x[0]; }
double SigmoidOp::evaluate(ArrayRef<double> x) { return sigmoid(x[0]); }
double TanhOp::evaluate(ArrayRef<double> x) { return std::tanh(x[0]); }
double GeluOp::evaluate(ArrayRef<double> x) {
  double v = x[0];
  if (getTanh())
    return 0.5 * v *
           (1 + std::tanh(std::sqrt(2 / M_PI) * (v + 0.044715 * v * v * v)));
  return 0.5 * v * (1 + std::erf(v / std::sqrt(2.0)));
}
double ExpOp::evaluate(ArrayRef<double> x) { return std::exp(x[0]); }
double SqrtOp::evaluate(ArrayRef<double> x) { return std::sqrt(x[0]); }
double RsqrtOp::evaluate(ArrayRef<double> x) { return 1 / std::sqrt(x[0]); }
double NegOp::evaluate(ArrayRef<double> x) { return -x[0]; }
double AbsOp::evaluate(ArrayRef<double> x) { return std::fabs(x[0]); }
double ErfOp::evaluate(ArrayRef<double> x) { return std::erf(x[0]); }
double SiluOp::evaluate(ArrayRef<double> x) { return x[0] * sigmoid(x[0]); }
double MishOp::evaluate(ArrayRef<double> x) {
  return x[0] * std::tanh(softplus(x[0], 1, 20));
}
double SeluOp::evaluate(ArrayRef<double> x) {
  constexpr double alpha = 1.6732632423543772848170429916717,
                   scale = 1.0507009873554804934193349852946;
  return scale * (x[0] > 0 ? x[0] : alpha * std::expm1(x[0]));
}
double HardswishOp::evaluate(ArrayRef<double> x) {
  return x[0] * clampKeepingNaN(x[0] + 3, 0, 6) / 6;
}
double HardsigmoidOp::evaluate(ArrayRef<double> x) {
  return clampKeepingNaN(x[0] + 3, 0, 6) / 6;
}
double LeakyReluOp::evaluate(ArrayRef<double> x) {
  return x[0] > 0 ? x[0] : x[0] * getNegativeSlope().convertToDouble();
}
double EluOp::evaluate(ArrayRef<double> x) {
  return x[0] > 0 ? x[0] : getAlpha().convertToDouble() * std::expm1(x[0]);
}
double SoftplusOp::evaluate(ArrayRef<double> x) {
  return softplus(x[0], getBeta().convertToDouble(),
                  getThreshold().convertToDouble());
}
double ClampOp::evaluate(ArrayRef<double> x) {
  // The lower bound first: with min > max every element is max.
  return clampKeepingNaN(
      x[0], getMinAttr() ? getMinAttr().getValueAsDouble() : -INFINITY,
      getMaxAttr() ? getMaxAttr().getValueAsDouble() : INFINITY);
}

double AddOp::evaluate(ArrayRef<double> x) { return x[0] + x[1]; }
double SubOp::evaluate(ArrayRef<double> x) { return x[0] - x[1]; }
double MulOp::evaluate(ArrayRef<double> x) { return x[0] * x[1]; }
double DivOp::evaluate(ArrayRef<double> x) { return x[0] / x[1]; }
double PowOp::evaluate(ArrayRef<double> x) { return std::pow(x[0], x[1]); }
double MinimumOp::evaluate(ArrayRef<double> x) {
  return eitherNaN(x[0], x[1], std::min(x[0], x[1]));
}
double MaximumOp::evaluate(ArrayRef<double> x) {
  return eitherNaN(x[0], x[1], std::max(x[0], x[1]));
}
double EqOp::evaluate(ArrayRef<double> x) { return x[0] == x[1]; }
double NeOp::evaluate(ArrayRef<double> x) { return x[0] != x[1]; }
double LtOp::evaluate(ArrayRef<double> x) { return x[0] < x[1]; }
double LeOp::evaluate(ArrayRef<double> x) { return x[0] <= x[1]; }
double GtOp::evaluate(ArrayRef<double> x) { return x[0] > x[1]; }
double GeOp::evaluate(ArrayRef<double> x) { return x[0] >= x[1]; }
double WhereOp::evaluate(ArrayRef<double> x) { return x[0] != 0 ? x[1] : x[2]; }
