//===- Parser.h - recursive-descent parser of the graph language -*- C++
//-*-===//
#ifndef NNCC_FRONTEND_PARSER_H
#define NNCC_FRONTEND_PARSER_H

#include "compiler/frontend/AST.h"
#include "compiler/frontend/Lexer.h"

namespace nncc {

struct SyntaxError {
  SourceLoc loc;
  std::string message;
};

/// Parses a whole file. Stops at the first error: later errors in a file
/// whose structure is already broken would mostly be noise.
class Parser {
public:
  /// Expressions nest at most this deep, so that no input can exhaust the
  /// stack of the parser or of anything that walks the tree.
  static constexpr unsigned kMaxNesting = 256;

  explicit Parser(llvm::StringRef buffer) : lexer(buffer) {}

  /// Returns null on a syntax error; `error()` then says what and where.
  std::unique_ptr<Module> parseModule();
  /// Parses one expression that must span the rest of the buffer (for tests).
  ExprPtr parseStandaloneExpr();

  const SyntaxError &error() const { return err; }

private:
  bool parseTopLevel(Module &module);
  bool parseDecl(Stmt::Kind kind, Module &module);
  bool parseType(TensorTypeSpec &type);
  bool parseDef(Module &module);
  bool parseBind(std::vector<Stmt> &stmts);
  bool parseReturn(std::vector<Stmt> &stmts);
  bool expectEndOfStatement();

  ExprPtr parseExpr();
  ExprPtr parseBinary(int level);
  ExprPtr parseUnary();
  ExprPtr parsePrimary();
  ExprPtr parseCall(Token callee);
  ExprPtr parseList();
  /// `base[...]`, repeated: indexing and slicing.
  ExprPtr parseIndices(ExprPtr base);
  bool closeGroup(TokenKind close, const Token &open);
  ExprPtr nested(ExprPtr node);

  void advance();
  const Token &peekNext();
  bool at(TokenKind kind) const { return tok.kind == kind; }
  bool consume(TokenKind kind);
  bool expect(TokenKind kind, llvm::StringRef what);
  bool expectName(std::string &name, SourceLoc &loc, llvm::StringRef what);
  void skipNewlines();
  std::nullptr_t fail(SourceLoc loc, std::string message);
  std::nullptr_t unexpected(llvm::StringRef expected);

  Lexer lexer;
  Token tok;
  Token lookahead;
  bool hasLookahead = false;
  unsigned depth = 0;
  SyntaxError err;
  bool failed = false;
};

} // namespace nncc

#endif // NNCC_FRONTEND_PARSER_H
