//===- Lexer.h - tokenizer of the graph language ----------------*- C++ -*-===//
#ifndef NNCC_FRONTEND_LEXER_H
#define NNCC_FRONTEND_LEXER_H

#include "compiler/frontend/Token.h"

#include "llvm/ADT/StringRef.h"

namespace nncc {

/// Splits a UTF-8 source buffer into tokens. Newlines end statements except
/// inside parentheses and brackets, where they join lines as in Python.
/// Malformed input (a bad character, invalid UTF-8, a NUL byte, an
/// out-of-range number) yields one Error token whose text is the message.
class Lexer {
public:
  explicit Lexer(llvm::StringRef buffer) : buffer(buffer) {}

  Token next();
  llvm::StringRef source() const { return buffer; }

  /// Checks that the whole buffer is UTF-8 text without NUL bytes, so that
  /// a binary file gets one clear error at its first bad byte rather than a
  /// syntax error about garbage. Returns false and sets `at` and `message`.
  static bool checkEncoding(llvm::StringRef buffer, SourceLoc &at,
                            std::string &message);

private:
  Token make(TokenKind kind, SourceLoc loc, llvm::StringRef text);
  Token error(SourceLoc loc, std::string message);
  Token lexNumber(SourceLoc loc);
  Token lexIdentifier(SourceLoc loc);
  Token lexString(SourceLoc loc);
  /// Checks the UTF-8 sequence at `pos`; returns its length or 0.
  unsigned utf8Length(size_t at) const;
  char peek(size_t ahead = 0) const {
    return pos + ahead < buffer.size() ? buffer[pos + ahead] : '\0';
  }
  void advance(size_t n = 1);

  llvm::StringRef buffer;
  size_t pos = 0;
  SourceLoc loc;
  int nesting = 0; // open ( and [ make newlines insignificant
};

} // namespace nncc

#endif // NNCC_FRONTEND_LEXER_H
