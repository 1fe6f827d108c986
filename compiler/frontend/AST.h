//===- AST.h - syntax tree of the graph language ----------------*- C++ -*-===//
#ifndef NNCC_FRONTEND_AST_H
#define NNCC_FRONTEND_AST_H

#include "compiler/frontend/Token.h"

#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <vector>

namespace nncc {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

/// One item of an index `x[...]`: an integer, a slice start:stop:step (each
/// part optional: null), or `...`.
struct IndexItem {
  enum class Kind { Single, Range, Ellipsis } kind;
  SourceLoc loc;
  ExprPtr start, stop, step; // Single: start
};

struct KeywordArg {
  std::string name;
  SourceLoc loc;
  ExprPtr value;
};

/// One expression node; which fields are meaningful depends on `kind`.
struct Expr {
  enum class Kind {
    Integer,
    Float,
    Bool,
    String,
    Name,
    List,
    Call,
    Binary,
    Negate,
    Index
  };

  Kind kind;
  SourceLoc loc;
  int64_t intValue = 0;
  double floatValue = 0;
  bool boolValue = false;
  std::string name; // Name; the callee of a Call; String's contents
  char op = 0;      // Binary: one of + - * / @
  std::vector<ExprPtr> operands;    // List items, Call positionals, Binary
                                    // lhs and rhs, Negate operand
  std::vector<KeywordArg> keywords; // Call
  std::vector<IndexItem> indices;   // Index, of operands[0]

  Expr(Kind kind, SourceLoc loc) : kind(kind), loc(loc) {}
};

struct TensorTypeSpec {
  SourceLoc loc;
  std::vector<int64_t> dims;
  bool omitted = false; // `param NAME` alone: the weights file's shape
  bool int32 = false;   // i32 indices (inputs only), not f32
};

struct Stmt {
  enum class Kind { Input, Param, Bind, Output, Return };

  Kind kind;
  SourceLoc loc;
  std::string name; // empty for Return
  SourceLoc nameLoc;
  /// Bind: `a, b = EXPR` binds the items of a list, in order (empty for
  /// `NAME = EXPR`).
  std::vector<std::pair<std::string, SourceLoc>> targets;
  TensorTypeSpec type; // Input, Param
  ExprPtr value;       // Bind, Return; Output when written `output x = e`

  Stmt(Kind kind, SourceLoc loc) : kind(kind), loc(loc) {}
};

struct FuncDef {
  std::string name;
  SourceLoc loc;
  std::vector<std::pair<std::string, SourceLoc>> params;
  std::vector<Stmt> body; // binds, then one Return
};

struct Module {
  std::string name;
  SourceLoc loc;
  std::vector<Stmt> stmts;
  std::vector<FuncDef> defs;
};

/// Prints the module back as source with every binary operation
/// parenthesised, so that tests can see how it was parsed.
void dump(const Module &module, llvm::raw_ostream &os);
void dump(const Expr &expr, llvm::raw_ostream &os);

} // namespace nncc

#endif // NNCC_FRONTEND_AST_H
