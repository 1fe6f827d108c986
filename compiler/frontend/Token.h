//===- Token.h - tokens of the graph language -------------------*- C++ -*-===//
#ifndef NNCC_FRONTEND_TOKEN_H
#define NNCC_FRONTEND_TOKEN_H

#include <cstdint>
#include <string>

namespace nncc {

/// A 1-based position in the source file; columns count bytes.
struct SourceLoc {
  unsigned line = 1;
  unsigned col = 1;
};

enum class TokenKind {
  Eof,
  Newline, // also ';'
  Identifier,
  Integer,
  Float,
  String, // "..." or '...'; `text` holds the contents
  // Keywords.
  KwModel,
  KwInput,
  KwParam,
  KwOutput,
  KwDef,
  KwReturn,
  KwTrue,
  KwFalse,
  // Punctuation.
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Comma,
  Colon,
  Equal,
  Plus,
  Minus,
  Star,
  Slash,
  At,
  Ellipsis, // ...
  Error,
};

struct Token {
  TokenKind kind = TokenKind::Eof;
  SourceLoc loc;
  std::string text; // spelling; the message for Error tokens
  int64_t intValue = 0;
  double floatValue = 0;
};

/// How a token kind is named in diagnostics ("')'", "end of line", ...).
const char *describe(TokenKind kind);

} // namespace nncc

#endif // NNCC_FRONTEND_TOKEN_H
