//===- Value.h - values of the graph language during MLIRGen ----*- C++ -*-===//
#ifndef NNCC_FRONTEND_VALUE_H
#define NNCC_FRONTEND_VALUE_H

#include "compiler/frontend/Token.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Location.h"

#include <vector>

namespace nncc {

/// What a name or expression evaluates to while a model is generated:
/// a tensor (an SSA value), or a compile-time number, boolean or list that
/// becomes an attribute. Function parameters take either. An i32 input is
/// a tensor of Kind::Indices, which only embedding accepts.
struct GenValue {
  enum class Kind {
    Tensor,
    Indices,
    Integer,
    Float,
    Bool,
    String,
    List,
    Module
  };

  Kind kind = Kind::Integer;
  mlir::Value tensor;
  int64_t intValue = 0;
  double floatValue = 0;
  bool boolValue = false;
  std::string text; // String; Module: the prefix
  std::vector<GenValue> items;

  /// A tensor: Kind::Indices if its elements are i32, else Kind::Tensor.
  static GenValue ofTensor(mlir::Value v);
  static GenValue ofInt(int64_t v);
  static GenValue ofFloat(double v);
  static GenValue ofBool(bool v);
  static GenValue ofString(std::string v);
  /// A module prefix of the weights file (`layer1.0`).
  static GenValue ofModule(std::string prefix);
  static GenValue ofList(std::vector<GenValue> items);

  bool isNumber() const { return kind == Kind::Integer || kind == Kind::Float; }
  double number() const {
    return kind == Kind::Integer ? intValue : floatValue;
  }
  /// "a tensor f32[1, 3]", "an integer", ... for diagnostics.
  std::string describe() const;
};

/// Maps source positions of one file to MLIR locations.
struct SourceFile {
  mlir::MLIRContext *ctx;
  std::string name;

  mlir::Location loc(SourceLoc at) const {
    return mlir::FileLineColLoc::get(ctx, name, at.line, at.col);
  }
};

/// Applies an infix operator (+ - * / @) to two values: numbers fold with
/// Python's rules, tensors (and a tensor with a number) become nn ops.
/// Reports errors at `at` and returns None.
/// A rank-0 f32 constant tensor holding `v` (broadcasts to any shape).
mlir::Value scalarTensor(mlir::OpBuilder &builder, mlir::Location loc,
                         double v);

llvm::Optional<GenValue> applyInfix(mlir::OpBuilder &builder,
                                    const SourceFile &file, char op,
                                    const GenValue &lhs, const GenValue &rhs,
                                    SourceLoc at);

} // namespace nncc

#endif // NNCC_FRONTEND_VALUE_H
