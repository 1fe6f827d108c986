//===- Parser.cpp - recursive-descent parser of the graph language --------===//
//
//   module  := 'model' NAME EOS { stmt EOS }
//   stmt    := 'input' NAME ':' type | 'param' NAME ':' type
//            | 'output' NAME ['=' expr] | NAME '=' expr | def
//   def     := 'def' NAME '(' [NAME {',' NAME}] ')' '{' {NAME '=' expr EOS}
//              'return' expr EOS '}'
//   type    := ('f32' | 'i32') '[' INT {',' INT} ']'
//   expr    := term {('+' | '-') term}
//   term    := unary {('*' | '/' | '@') unary}
//   unary   := '-' unary | primary
//   primary := INT | FLOAT | 'true' | 'false' | NAME | call | '(' expr ')'
//            | '[' [expr {',' expr}] ']'
//   call    := NAME '(' [arg {',' arg}] [','] ')',  arg := [NAME '='] expr
//
// EOS is a newline or ';' (newlines inside ( ) and [ ] join lines).
//
//===----------------------------------------------------------------------===//

#include "compiler/frontend/Parser.h"
#include "compiler/frontend/CNames.h"
#include "dialects/nn/TensorLimits.h"

#include "llvm/ADT/StringSet.h"

#include <limits>

using namespace nncc;

void Parser::advance() {
  if (hasLookahead) {
    tok = std::move(lookahead);
    hasLookahead = false;
  } else {
    tok = lexer.next();
  }
  if (tok.kind == TokenKind::Error)
    fail(tok.loc, tok.text);
}

const Token &Parser::peekNext() {
  if (!hasLookahead && tok.kind != TokenKind::Error) {
    lookahead = lexer.next();
    hasLookahead = true;
  }
  return hasLookahead ? lookahead : tok;
}

bool Parser::consume(TokenKind kind) {
  if (!at(kind))
    return false;
  advance();
  return true;
}

std::nullptr_t Parser::fail(SourceLoc loc, std::string message) {
  if (!failed) {
    failed = true;
    err = {loc, std::move(message)};
  }
  return nullptr;
}

std::nullptr_t Parser::unexpected(llvm::StringRef expected) {
  if (at(TokenKind::Error))
    return nullptr; // the lexer's message says more
  std::string found = describe(tok.kind);
  if (at(TokenKind::Identifier) || at(TokenKind::Integer) ||
      at(TokenKind::Float))
    found += " '" + tok.text + "'";
  return fail(tok.loc, "expected " + expected.str() + ", found " + found);
}

bool Parser::expect(TokenKind kind, llvm::StringRef what) {
  if (consume(kind))
    return true;
  unexpected(what);
  return false;
}

bool Parser::expectName(std::string &name, SourceLoc &loc,
                        llvm::StringRef what) {
  if (!at(TokenKind::Identifier)) {
    if (tok.text.size() && std::isalpha((unsigned char)tok.text[0]) &&
        !at(TokenKind::Error))
      fail(tok.loc, "'" + tok.text + "' is a keyword and cannot be used as " +
                        what.str());
    else
      unexpected(what);
    return false;
  }
  name = tok.text;
  loc = tok.loc;
  advance();
  return true;
}

void Parser::skipNewlines() {
  while (at(TokenKind::Newline))
    advance();
}

bool Parser::expectEndOfStatement() {
  if (at(TokenKind::Newline) || at(TokenKind::Eof) || at(TokenKind::RBrace)) {
    consume(TokenKind::Newline);
    return true;
  }
  unexpected("end of line after the statement");
  return false;
}

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

std::unique_ptr<Module> Parser::parseModule() {
  auto module = std::make_unique<Module>();
  SourceLoc bad;
  std::string message;
  if (!Lexer::checkEncoding(lexer.source(), bad, message))
    return fail(bad, message);
  advance();
  skipNewlines();
  if (at(TokenKind::Eof))
    return fail(tok.loc, "empty file: expected 'model NAME' as the first "
                         "statement");
  if (!at(TokenKind::KwModel)) {
    unexpected("'model NAME' as the first statement");
    return nullptr;
  }
  advance();
  if (!expectName(module->name, module->loc, "a model name"))
    return nullptr;
  if (module->name.find('.') != std::string::npos)
    return fail(module->loc, "model name '" + module->name +
                                 "' must be a C identifier (no '.')");
  std::string problem = modelNameProblem(module->name);
  if (!problem.empty())
    return fail(module->loc, "model name '" + module->name + "' " + problem +
                                 ": it names the generated C function");
  if (!expectEndOfStatement())
    return nullptr;
  for (skipNewlines(); !at(TokenKind::Eof) && !failed; skipNewlines())
    if (!parseTopLevel(*module))
      return nullptr;
  if (failed)
    return nullptr;
  return module;
}

bool Parser::parseTopLevel(Module &module) {
  switch (tok.kind) {
  case TokenKind::KwInput:
    return parseDecl(Stmt::Kind::Input, module);
  case TokenKind::KwParam:
    return parseDecl(Stmt::Kind::Param, module);
  case TokenKind::KwOutput: {
    Stmt stmt(Stmt::Kind::Output, tok.loc);
    advance();
    if (!expectName(stmt.name, stmt.nameLoc, "an output name"))
      return false;
    if (consume(TokenKind::Equal) && !(stmt.value = parseExpr()))
      return false;
    module.stmts.push_back(std::move(stmt));
    return expectEndOfStatement();
  }
  case TokenKind::KwDef:
    return parseDef(module);
  case TokenKind::Identifier:
    return parseBind(module.stmts);
  case TokenKind::KwModel:
    fail(tok.loc, "'model' may appear only once, as the first statement");
    return false;
  case TokenKind::KwReturn:
    fail(tok.loc, "'return' is only allowed inside a def");
    return false;
  default:
    unexpected("a statement ('input', 'param', 'output', 'def' or "
               "'NAME = EXPR')");
    return false;
  }
}

bool Parser::parseDecl(Stmt::Kind kind, Module &module) {
  Stmt stmt(kind, tok.loc);
  advance();
  if (!expectName(stmt.name, stmt.nameLoc,
                  kind == Stmt::Kind::Input ? "an input name" : "a param name"))
    return false;
  // A param's shape may come from the weights file.
  bool ends = at(TokenKind::Newline) || at(TokenKind::Eof);
  if (kind == Stmt::Kind::Param && ends) {
    stmt.type.loc = stmt.nameLoc;
    stmt.type.omitted = true;
  } else if (!expect(TokenKind::Colon,
                     "':' and a type, as in 'x : f32[1, 3]'") ||
             !parseType(stmt.type)) {
    return false;
  }
  module.stmts.push_back(std::move(stmt));
  return expectEndOfStatement();
}

bool Parser::parseType(TensorTypeSpec &type) {
  type.loc = tok.loc;
  if (!at(TokenKind::Identifier)) {
    unexpected("a tensor type such as 'f32[1, 3]'");
    return false;
  }
  if (tok.text != "f32" && tok.text != "i32") {
    bool later = tok.text == "bf16" || tok.text == "i8";
    fail(tok.loc, later ? "element type '" + tok.text +
                              "' is not supported yet; only f32 and i32 are"
                        : "unknown element type '" + tok.text +
                              "'; expected f32 or i32");
    return false;
  }
  type.int32 = tok.text == "i32";
  advance();
  Token open = tok;
  if (!expect(TokenKind::LBracket, "'[' and the dimensions"))
    return false;
  const int64_t limit = kMaxTensorElements;
  int64_t elements = 1;
  while (!at(TokenKind::RBracket)) {
    if (at(TokenKind::Identifier)) {
      fail(tok.loc, "symbolic dimension '" + tok.text +
                        "' is not supported yet; dimensions must be "
                        "positive integers");
      return false;
    }
    if (!at(TokenKind::Integer) || tok.intValue < 1) {
      if (at(TokenKind::Integer) || at(TokenKind::Minus))
        fail(tok.loc, "dimensions must be positive integers");
      else
        unexpected("a dimension");
      return false;
    }
    elements =
        std::min(elements * std::min(tok.intValue, limit + 1), limit + 1);
    if (elements > limit) {
      fail(type.loc,
           std::string("tensor type has more than ") + kMaxTensorElementsText);
      return false;
    }
    type.dims.push_back(tok.intValue);
    advance();
    if (!consume(TokenKind::Comma))
      break;
  }
  if (!closeGroup(TokenKind::RBracket, open))
    return false;
  if (type.dims.empty()) {
    fail(type.loc, "a tensor type needs at least one dimension");
    return false;
  }
  return true;
}

bool Parser::parseBind(std::vector<Stmt> &stmts) {
  Stmt stmt(Stmt::Kind::Bind, tok.loc);
  stmt.name = tok.text;
  stmt.nameLoc = tok.loc;
  advance();
  // `a, b = EXPR`: the names the items of a list are bound to.
  if (at(TokenKind::Comma)) {
    stmt.targets.push_back({stmt.name, stmt.nameLoc});
    while (consume(TokenKind::Comma)) {
      std::string name;
      SourceLoc loc;
      if (!expectName(name, loc, "a name to bind"))
        return false;
      stmt.targets.push_back({name, loc});
    }
  }
  if (!at(TokenKind::Equal)) {
    if (at(TokenKind::LParen))
      fail(stmt.loc, "a call is not a statement; bind its result with "
                     "'NAME = " +
                         stmt.name + "(...)'");
    else
      unexpected("'=' after '" + stmt.name +
                 "' (a statement is 'NAME = EXPR')");
    return false;
  }
  advance();
  if (!(stmt.value = parseExpr()))
    return false;
  stmts.push_back(std::move(stmt));
  return expectEndOfStatement();
}

bool Parser::parseReturn(std::vector<Stmt> &stmts) {
  Stmt stmt(Stmt::Kind::Return, tok.loc);
  advance();
  if (!(stmt.value = parseExpr()))
    return false;
  stmts.push_back(std::move(stmt));
  return expectEndOfStatement();
}

bool Parser::parseDef(Module &module) {
  FuncDef def;
  advance();
  if (!expectName(def.name, def.loc, "a function name"))
    return false;
  Token open = tok;
  if (!expect(TokenKind::LParen, "'(' and the parameter list"))
    return false;
  llvm::StringSet<> seen;
  while (!at(TokenKind::RParen)) {
    std::pair<std::string, SourceLoc> param;
    if (!expectName(param.first, param.second, "a parameter name"))
      return false;
    if (!seen.insert(param.first).second) {
      fail(param.second, "duplicate parameter '" + param.first + "'");
      return false;
    }
    def.params.push_back(std::move(param));
    if (!consume(TokenKind::Comma))
      break;
  }
  if (!closeGroup(TokenKind::RParen, open))
    return false;
  Token brace = tok;
  if (!expect(TokenKind::LBrace, "'{' to open the body of '" + def.name + "'"))
    return false;
  for (skipNewlines(); !at(TokenKind::RBrace); skipNewlines()) {
    if (at(TokenKind::Eof)) {
      fail(brace.loc, "unclosed '{' of def '" + def.name + "'");
      return false;
    }
    if (!def.body.empty() && def.body.back().kind == Stmt::Kind::Return) {
      fail(tok.loc, "statement after 'return' in '" + def.name +
                        "'; 'return' must be the last statement");
      return false;
    }
    bool ok;
    switch (tok.kind) {
    case TokenKind::Identifier:
      ok = parseBind(def.body);
      break;
    case TokenKind::KwReturn:
      ok = parseReturn(def.body);
      break;
    case TokenKind::KwInput:
    case TokenKind::KwParam:
    case TokenKind::KwOutput:
    case TokenKind::KwDef:
    case TokenKind::KwModel:
      fail(tok.loc, tok.text + " is not allowed inside a def; only "
                               "'NAME = EXPR' and 'return EXPR' are");
      return false;
    default:
      unexpected("'NAME = EXPR' or 'return EXPR' in the body of '" + def.name +
                 "'");
      return false;
    }
    if (!ok)
      return false;
  }
  if (def.body.empty() || def.body.back().kind != Stmt::Kind::Return) {
    fail(tok.loc, "def '" + def.name + "' must end with 'return EXPR'");
    return false;
  }
  advance(); // '}'
  module.defs.push_back(std::move(def));
  return expectEndOfStatement();
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

ExprPtr Parser::parseStandaloneExpr() {
  advance();
  ExprPtr e = parseExpr();
  if (e && !at(TokenKind::Eof) && !at(TokenKind::Newline))
    return unexpected("end of expression");
  return failed ? nullptr : std::move(e);
}

ExprPtr Parser::parseExpr() { return parseBinary(0); }

/// Binding strength of a binary operator token (higher binds tighter), or -1.
static int precedence(TokenKind kind) {
  switch (kind) {
  case TokenKind::Plus:
  case TokenKind::Minus:
    return 0;
  case TokenKind::Star:
  case TokenKind::Slash:
  case TokenKind::At:
    return 1;
  default:
    return -1;
  }
}

/// Long operator chains build deep left-leaning trees without recursing in
/// the parser; their depth is limited here, where each node is made.
ExprPtr Parser::nested(ExprPtr node) {
  static_assert(kMaxNesting > 0, "");
  unsigned height = 0;
  for (Expr *e = node.get(); e && !e->operands.empty() && height <= kMaxNesting;
       e = e->operands[0].get())
    ++height;
  if (height > kMaxNesting)
    return fail(node->loc, "expression is nested more than " +
                               std::to_string(kMaxNesting) + " levels deep");
  return node;
}

ExprPtr Parser::parseBinary(int level) {
  ExprPtr lhs = level == 1 ? parseUnary() : parseBinary(level + 1);
  while (lhs && precedence(tok.kind) == level) {
    auto node = std::make_unique<Expr>(Expr::Kind::Binary, tok.loc);
    node->op = tok.text[0];
    advance();
    ExprPtr rhs = level == 1 ? parseUnary() : parseBinary(level + 1);
    if (!rhs)
      return nullptr;
    node->operands.push_back(std::move(lhs));
    node->operands.push_back(std::move(rhs));
    lhs = nested(std::move(node));
  }
  return lhs;
}

ExprPtr Parser::parseUnary() {
  // Every recursive path of the expression grammar passes through here.
  struct Guard {
    unsigned &depth;
    ~Guard() { --depth; }
  } guard{++depth};
  if (depth > kMaxNesting)
    return fail(tok.loc, "expression is nested more than " +
                             std::to_string(kMaxNesting) + " levels deep");
  if (!at(TokenKind::Minus))
    return parsePrimary();
  auto node = std::make_unique<Expr>(Expr::Kind::Negate, tok.loc);
  advance();
  ExprPtr operand = parseUnary();
  if (!operand)
    return nullptr;
  node->operands.push_back(std::move(operand));
  return node;
}

bool Parser::closeGroup(TokenKind close, const Token &open) {
  if (consume(close))
    return true;
  // Newlines inside brackets join lines, so a missing ')' usually shows as
  // the next statement's keyword.
  bool statementEnds = at(TokenKind::Eof) || at(TokenKind::Newline) ||
                       at(TokenKind::RBrace) || at(TokenKind::KwModel) ||
                       at(TokenKind::KwInput) || at(TokenKind::KwParam) ||
                       at(TokenKind::KwOutput) || at(TokenKind::KwDef) ||
                       at(TokenKind::KwReturn);
  if (statementEnds)
    fail(open.loc, std::string("unclosed ") + describe(open.kind));
  else
    unexpected(std::string(describe(close)) + " or ','");
  return false;
}

ExprPtr Parser::parsePrimary() {
  Token t = tok;
  switch (t.kind) {
  case TokenKind::Integer:
  case TokenKind::Float: {
    auto e = std::make_unique<Expr>(
        t.kind == TokenKind::Integer ? Expr::Kind::Integer : Expr::Kind::Float,
        t.loc);
    e->intValue = t.intValue;
    e->floatValue = t.floatValue;
    advance();
    return e;
  }
  case TokenKind::String: {
    auto e = std::make_unique<Expr>(Expr::Kind::String, t.loc);
    e->name = t.text;
    advance();
    return e;
  }
  case TokenKind::KwTrue:
  case TokenKind::KwFalse: {
    auto e = std::make_unique<Expr>(Expr::Kind::Bool, t.loc);
    e->boolValue = t.kind == TokenKind::KwTrue;
    advance();
    return e;
  }
  case TokenKind::Identifier: {
    advance();
    if (at(TokenKind::LParen))
      return parseIndices(parseCall(std::move(t)));
    auto e = std::make_unique<Expr>(Expr::Kind::Name, t.loc);
    e->name = t.text;
    return parseIndices(std::move(e));
  }
  case TokenKind::LParen: {
    advance();
    ExprPtr inner = parseExpr();
    if (!inner || !closeGroup(TokenKind::RParen, t))
      return nullptr;
    return parseIndices(std::move(inner));
  }
  case TokenKind::LBracket:
    return parseList();
  default:
    return unexpected("an expression");
  }
}

ExprPtr Parser::parseIndices(ExprPtr base) {
  while (base && at(TokenKind::LBracket)) {
    Token open = tok;
    auto index = std::make_unique<Expr>(Expr::Kind::Index, open.loc);
    index->operands.push_back(std::move(base));
    advance();
    while (!at(TokenKind::RBracket)) {
      IndexItem item{IndexItem::Kind::Single, tok.loc, nullptr, nullptr,
                     nullptr};
      if (consume(TokenKind::Ellipsis)) {
        item.kind = IndexItem::Kind::Ellipsis;
      } else {
        // start[:stop[:step]], each part optional around the colons.
        auto part = [&](ExprPtr &out) {
          if (at(TokenKind::Colon) || at(TokenKind::Comma) ||
              at(TokenKind::RBracket))
            return true;
          return static_cast<bool>(out = parseExpr());
        };
        if (!part(item.start))
          return nullptr;
        if (consume(TokenKind::Colon)) {
          item.kind = IndexItem::Kind::Range;
          if (!part(item.stop) ||
              (consume(TokenKind::Colon) && !part(item.step)))
            return nullptr;
        } else if (!item.start) {
          return unexpected("an index, a slice or '...'");
        }
      }
      index->indices.push_back(std::move(item));
      if (!consume(TokenKind::Comma))
        break;
    }
    if (!closeGroup(TokenKind::RBracket, open))
      return nullptr;
    if (index->indices.empty())
      return fail(open.loc, "an index needs at least one item");
    base = nested(std::move(index));
  }
  return base;
}

ExprPtr Parser::parseList() {
  Token open = tok;
  auto list = std::make_unique<Expr>(Expr::Kind::List, open.loc);
  advance();
  while (!at(TokenKind::RBracket)) {
    ExprPtr item = parseExpr();
    if (!item)
      return nullptr;
    list->operands.push_back(std::move(item));
    if (!consume(TokenKind::Comma))
      break;
  }
  if (!closeGroup(TokenKind::RBracket, open))
    return nullptr;
  return list;
}

ExprPtr Parser::parseCall(Token callee) {
  auto call = std::make_unique<Expr>(Expr::Kind::Call, callee.loc);
  call->name = callee.text;
  Token open = tok;
  advance();
  while (!at(TokenKind::RParen)) {
    if (at(TokenKind::Identifier) && peekNext().kind == TokenKind::Equal) {
      KeywordArg kw{tok.text, tok.loc, nullptr};
      for (const KeywordArg &other : call->keywords)
        if (other.name == kw.name)
          return fail(kw.loc, "argument '" + kw.name + "' given twice");
      advance();
      advance();
      if (!(kw.value = parseExpr()))
        return nullptr;
      call->keywords.push_back(std::move(kw));
    } else {
      SourceLoc loc = tok.loc;
      ExprPtr arg = parseExpr();
      if (!arg)
        return nullptr;
      if (!call->keywords.empty())
        return fail(loc, "positional argument after keyword argument");
      call->operands.push_back(std::move(arg));
    }
    if (!consume(TokenKind::Comma))
      break;
  }
  if (!closeGroup(TokenKind::RParen, open))
    return nullptr;
  return call;
}
