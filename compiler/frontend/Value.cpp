//===- Value.cpp - values of the graph language and infix operators -------===//

#include "compiler/frontend/Value.h"
#include "dialects/nn/NNOps.h"

#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace nncc;
using namespace mlir;

GenValue GenValue::ofTensor(Value v) {
  GenValue g;
  bool indices =
      v.getType().cast<ShapedType>().getElementType().isSignlessInteger(32);
  g.kind = indices ? Kind::Indices : Kind::Tensor;
  g.tensor = v;
  return g;
}
GenValue GenValue::ofInt(int64_t v) {
  GenValue g;
  g.intValue = v;
  return g;
}
GenValue GenValue::ofFloat(double v) {
  GenValue g;
  g.kind = Kind::Float;
  g.floatValue = v;
  return g;
}
GenValue GenValue::ofBool(bool v) {
  GenValue g;
  g.kind = Kind::Bool;
  g.boolValue = v;
  return g;
}
GenValue GenValue::ofString(std::string v) {
  GenValue g;
  g.kind = Kind::String;
  g.text = std::move(v);
  return g;
}
GenValue GenValue::ofModule(std::string prefix) {
  GenValue g = ofString(std::move(prefix));
  g.kind = Kind::Module;
  return g;
}
GenValue GenValue::ofList(std::vector<GenValue> items) {
  GenValue g;
  g.kind = Kind::List;
  g.items = std::move(items);
  return g;
}

std::string GenValue::describe() const {
  std::string s;
  llvm::raw_string_ostream os(s);
  switch (kind) {
  case Kind::Tensor:
    os << "a tensor f32[";
    llvm::interleaveComma(tensor.getType().cast<ShapedType>().getShape(), os);
    os << "]";
    break;
  case Kind::Indices:
    os << "the i32 indices [";
    llvm::interleaveComma(tensor.getType().cast<ShapedType>().getShape(), os);
    os << "] (which only embedding reads)";
    break;
  case Kind::Integer:
    os << "an integer";
    break;
  case Kind::Float:
    os << "a number";
    break;
  case Kind::Bool:
    os << "a boolean";
    break;
  case Kind::String:
    os << "the string \"" << text << "\"";
    break;
  case Kind::Module:
    os << "the module '" << text << "'";
    break;
  case Kind::List:
    os << "a list";
    break;
  }
  return os.str();
}

/// Folds an infix operator on two numbers as Python would: integers stay
/// integers except under '/', which always gives a float.
static Optional<GenValue> foldNumbers(const SourceFile &file, char op,
                                      const GenValue &l, const GenValue &r,
                                      SourceLoc at) {
  if (op == '@') {
    emitError(file.loc(at)) << "'@' needs tensor operands, got " << l.describe()
                            << " and " << r.describe();
    return llvm::None;
  }
  if (op == '/' && r.number() == 0) {
    emitError(file.loc(at)) << "division by zero";
    return llvm::None;
  }
  if (l.kind == GenValue::Kind::Integer && r.kind == GenValue::Kind::Integer &&
      op != '/') {
    int64_t out;
    bool overflow = op == '+' ? llvm::AddOverflow(l.intValue, r.intValue, out)
                    : op == '-'
                        ? llvm::SubOverflow(l.intValue, r.intValue, out)
                        : llvm::MulOverflow(l.intValue, r.intValue, out);
    if (overflow) {
      emitError(file.loc(at)) << "integer overflow in '" << op << "'";
      return llvm::None;
    }
    return GenValue::ofInt(out);
  }
  double a = l.number(), b = r.number();
  return GenValue::ofFloat(op == '+'   ? a + b
                           : op == '-' ? a - b
                           : op == '*' ? a * b
                                       : a / b);
}

/// A number used as a tensor operand: a rank-0 constant that broadcasts.
Value nncc::scalarTensor(OpBuilder &builder, Location loc, double v) {
  auto type = RankedTensorType::get({}, builder.getF32Type());
  return builder.create<nn::ConstantOp>(loc, type,
                                        DenseElementsAttr::get(type, (float)v));
}

Optional<GenValue> nncc::applyInfix(OpBuilder &builder, const SourceFile &file,
                                    char op, const GenValue &lhs,
                                    const GenValue &rhs, SourceLoc at) {
  auto operand = [&](const GenValue &v) -> Value {
    if (v.kind == GenValue::Kind::Tensor)
      return v.tensor;
    if (v.isNumber() && op != '@')
      return scalarTensor(builder, file.loc(at), v.number());
    return {};
  };
  if (lhs.isNumber() && rhs.isNumber())
    return foldNumbers(file, op, lhs, rhs, at);
  Value l = operand(lhs), r = operand(rhs);
  if (!l || !r) {
    emitError(file.loc(at)) << "'" << op << "' cannot combine "
                            << lhs.describe() << " and " << rhs.describe();
    return llvm::None;
  }
  Value result;
  Location loc = file.loc(at);
  switch (op) {
  case '+':
    result = nn::buildChecked<nn::AddOp>(builder, loc, {l, r}, {});
    break;
  case '-':
    result = nn::buildChecked<nn::SubOp>(builder, loc, {l, r}, {});
    break;
  case '*':
    result = nn::buildChecked<nn::MulOp>(builder, loc, {l, r}, {});
    break;
  case '/':
    result = nn::buildChecked<nn::DivOp>(builder, loc, {l, r}, {});
    break;
  default:
    result = nn::buildChecked<nn::MatmulOp>(builder, loc, {l, r}, {});
    break;
  }
  if (!result)
    return llvm::None;
  return GenValue::ofTensor(result);
}
