//===- AST.cpp - printing the syntax tree ---------------------------------===//

#include "compiler/frontend/AST.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"

#include <cmath>

using namespace nncc;

void nncc::dump(const Expr &e, llvm::raw_ostream &os) {
  auto list = [&](const std::vector<ExprPtr> &items) {
    llvm::interleaveComma(items, os, [&](const ExprPtr &x) { dump(*x, os); });
  };
  switch (e.kind) {
  case Expr::Kind::Integer:
    os << e.intValue;
    return;
  case Expr::Kind::Float:
    os << llvm::format("%g", e.floatValue);
    // Compared before the cast: converting 1e19 to int64_t is undefined.
    if (std::abs(e.floatValue) < 1e15 && e.floatValue == (int64_t)e.floatValue)
      os << ".0";
    return;
  case Expr::Kind::Bool:
    os << (e.boolValue ? "true" : "false");
    return;
  case Expr::Kind::String:
    os << '"' << e.name << '"';
    return;
  case Expr::Kind::Name:
    os << e.name;
    return;
  case Expr::Kind::List:
    os << '[';
    list(e.operands);
    os << ']';
    return;
  case Expr::Kind::Call:
    os << e.name << '(';
    list(e.operands);
    for (size_t i = 0; i < e.keywords.size(); ++i) {
      if (i || !e.operands.empty())
        os << ", ";
      os << e.keywords[i].name << '=';
      dump(*e.keywords[i].value, os);
    }
    os << ')';
    return;
  case Expr::Kind::Binary:
    os << '(';
    dump(*e.operands[0], os);
    os << ' ' << e.op << ' ';
    dump(*e.operands[1], os);
    os << ')';
    return;
  case Expr::Kind::Negate:
    os << "(-";
    dump(*e.operands[0], os);
    os << ')';
    return;
  case Expr::Kind::Index:
    dump(*e.operands[0], os);
    os << '[';
    llvm::interleaveComma(e.indices, os, [&](const IndexItem &item) {
      if (item.kind == IndexItem::Kind::Ellipsis) {
        os << "...";
        return;
      }
      auto part = [&](const ExprPtr &x) {
        if (x)
          dump(*x, os);
      };
      part(item.start);
      if (item.kind == IndexItem::Kind::Single)
        return;
      os << ':';
      part(item.stop);
      if (item.step) {
        os << ':';
        part(item.step);
      }
    });
    os << ']';
    return;
  }
}

static void dump(const Stmt &s, llvm::raw_ostream &os, llvm::StringRef indent) {
  os << indent;
  switch (s.kind) {
  case Stmt::Kind::Input:
  case Stmt::Kind::Param:
    os << (s.kind == Stmt::Kind::Input ? "input " : "param ") << s.name;
    if (!s.type.omitted) {
      os << (s.type.int32 ? " : i32[" : " : f32[");
      llvm::interleaveComma(s.type.dims, os);
      os << "]";
    }
    os << "\n";
    return;
  case Stmt::Kind::Bind:
    if (s.targets.empty())
      os << s.name;
    else
      llvm::interleaveComma(s.targets, os,
                            [&](const auto &t) { os << t.first; });
    os << " = ";
    break;
  case Stmt::Kind::Output:
    os << "output " << s.name;
    if (!s.value) {
      os << '\n';
      return;
    }
    os << " = ";
    break;
  case Stmt::Kind::Return:
    os << "return ";
    break;
  }
  dump(*s.value, os);
  os << '\n';
}

void nncc::dump(const Module &m, llvm::raw_ostream &os) {
  os << "model " << m.name << '\n';
  for (const FuncDef &f : m.defs) {
    os << "def " << f.name << '(';
    llvm::interleaveComma(f.params, os, [&](const auto &p) { os << p.first; });
    os << ") {\n";
    for (const Stmt &s : f.body)
      ::dump(s, os, "  ");
    os << "}\n";
  }
  for (const Stmt &s : m.stmts)
    ::dump(s, os, "");
}
