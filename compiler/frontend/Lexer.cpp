//===- Lexer.cpp - tokenizer of the graph language ------------------------===//

#include "compiler/frontend/Lexer.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

using namespace nncc;

const char *nncc::describe(TokenKind kind) {
  switch (kind) {
  case TokenKind::Eof:
    return "end of file";
  case TokenKind::Newline:
    return "end of line";
  case TokenKind::Identifier:
    return "a name";
  case TokenKind::Integer:
    return "an integer";
  case TokenKind::Float:
    return "a number";
  case TokenKind::String:
    return "a string";
  case TokenKind::Ellipsis:
    return "'...'";
  case TokenKind::KwModel:
    return "'model'";
  case TokenKind::KwInput:
    return "'input'";
  case TokenKind::KwParam:
    return "'param'";
  case TokenKind::KwOutput:
    return "'output'";
  case TokenKind::KwDef:
    return "'def'";
  case TokenKind::KwReturn:
    return "'return'";
  case TokenKind::KwTrue:
    return "'true'";
  case TokenKind::KwFalse:
    return "'false'";
  case TokenKind::LParen:
    return "'('";
  case TokenKind::RParen:
    return "')'";
  case TokenKind::LBracket:
    return "'['";
  case TokenKind::RBracket:
    return "']'";
  case TokenKind::LBrace:
    return "'{'";
  case TokenKind::RBrace:
    return "'}'";
  case TokenKind::Comma:
    return "','";
  case TokenKind::Colon:
    return "':'";
  case TokenKind::Equal:
    return "'='";
  case TokenKind::Plus:
    return "'+'";
  case TokenKind::Minus:
    return "'-'";
  case TokenKind::Star:
    return "'*'";
  case TokenKind::Slash:
    return "'/'";
  case TokenKind::At:
    return "'@'";
  case TokenKind::Error:
    return "an invalid token";
  }
  return "a token";
}

static bool isIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
static bool isDigit(char c) { return c >= '0' && c <= '9'; }
static bool isIdentChar(char c) { return isIdentStart(c) || isDigit(c); }

void Lexer::advance(size_t n) {
  for (; n > 0 && pos < buffer.size(); --n, ++pos) {
    if (buffer[pos] == '\n') {
      ++loc.line;
      loc.col = 1;
    } else {
      ++loc.col;
    }
  }
}

Token Lexer::make(TokenKind kind, SourceLoc at, llvm::StringRef text) {
  Token tok;
  tok.kind = kind;
  tok.loc = at;
  tok.text = text.str();
  return tok;
}

Token Lexer::error(SourceLoc at, std::string message) {
  Token tok;
  tok.kind = TokenKind::Error;
  tok.loc = at;
  tok.text = std::move(message);
  // Nothing after a lexical error is trusted: the parser stops there.
  pos = buffer.size();
  return tok;
}

unsigned Lexer::utf8Length(size_t at) const {
  auto *begin = reinterpret_cast<const llvm::UTF8 *>(buffer.data() + at);
  auto *end =
      reinterpret_cast<const llvm::UTF8 *>(buffer.data() + buffer.size());
  unsigned len = llvm::getNumBytesForUTF8(*begin);
  if (begin + len > end || !llvm::isLegalUTF8Sequence(begin, begin + len))
    return 0;
  return len;
}

bool Lexer::checkEncoding(llvm::StringRef buffer, SourceLoc &at,
                          std::string &message) {
  Lexer scan(buffer);
  while (scan.pos < buffer.size()) {
    unsigned char c = scan.peek();
    unsigned len = c < 0x80 ? 1 : scan.utf8Length(scan.pos);
    if (c == 0 || len == 0) {
      at = scan.loc;
      message = c == 0 ? "file contains a NUL byte; is it a binary file?"
                       : "file is not valid UTF-8 text; is it a binary file?";
      return false;
    }
    scan.advance(len);
  }
  return true;
}

Token Lexer::next() {
  while (pos < buffer.size()) {
    char c = peek();
    SourceLoc at = loc;
    if (c == ' ' || c == '\t' || c == '\r') {
      advance();
      continue;
    }
    if (c == '#') {
      while (pos < buffer.size() && peek() != '\n') {
        if (peek() == '\0')
          return error(loc, "file contains a NUL byte; is it a binary file?");
        if ((unsigned char)peek() >= 0x80) {
          unsigned len = utf8Length(pos);
          if (!len)
            return error(loc, "file is not valid UTF-8 text");
          advance(len);
          continue;
        }
        advance();
      }
      continue;
    }
    if (c == '\n') {
      advance();
      if (nesting > 0)
        continue;
      return make(TokenKind::Newline, at, "\n");
    }
    if (isDigit(c))
      return lexNumber(at);
    if (isIdentStart(c))
      return lexIdentifier(at);
    if (c == '"' || c == '\'')
      return lexString(at);
    if (c == '.' && peek(1) == '.' && peek(2) == '.') {
      advance(3);
      return make(TokenKind::Ellipsis, at, "...");
    }

    TokenKind kind;
    switch (c) {
    case ';':
      kind = TokenKind::Newline;
      break;
    case '(':
      kind = TokenKind::LParen;
      ++nesting;
      break;
    case '[':
      kind = TokenKind::LBracket;
      ++nesting;
      break;
    case ')':
      kind = TokenKind::RParen;
      nesting -= nesting > 0;
      break;
    case ']':
      kind = TokenKind::RBracket;
      nesting -= nesting > 0;
      break;
    case '{':
      kind = TokenKind::LBrace;
      break;
    case '}':
      kind = TokenKind::RBrace;
      break;
    case ',':
      kind = TokenKind::Comma;
      break;
    case ':':
      kind = TokenKind::Colon;
      break;
    case '=':
      kind = TokenKind::Equal;
      break;
    case '+':
      kind = TokenKind::Plus;
      break;
    case '-':
      kind = TokenKind::Minus;
      break;
    case '*':
      kind = TokenKind::Star;
      break;
    case '/':
      kind = TokenKind::Slash;
      break;
    case '@':
      kind = TokenKind::At;
      break;
    case '\0':
      return error(at, "file contains a NUL byte; is it a binary file?");
    default: {
      if ((unsigned char)c >= 0x80) {
        unsigned len = utf8Length(pos);
        if (!len)
          return error(at, "file is not valid UTF-8 text");
        return error(at, "unexpected character '" +
                             buffer.substr(pos, len).str() + "'");
      }
      std::string text;
      llvm::raw_string_ostream os(text);
      if (c >= 0x20 && c < 0x7f)
        os << "unexpected character '" << c << "'";
      else
        os << "unexpected control character 0x"
           << llvm::format_hex_no_prefix((unsigned char)c, 2);
      return error(at, os.str());
    }
    }
    advance();
    return make(kind, at, llvm::StringRef(&c, 1));
  }
  return make(TokenKind::Eof, loc, "");
}

Token Lexer::lexNumber(SourceLoc at) {
  size_t start = pos;
  bool isFloat = false;
  while (isDigit(peek()))
    advance();
  if (peek() == '.' && !isIdentStart(peek(1))) {
    isFloat = true;
    advance();
    while (isDigit(peek()))
      advance();
  }
  if ((peek() == 'e' || peek() == 'E') &&
      (isDigit(peek(1)) ||
       ((peek(1) == '+' || peek(1) == '-') && isDigit(peek(2))))) {
    isFloat = true;
    advance(2);
    while (isDigit(peek()))
      advance();
  }
  llvm::StringRef text = buffer.slice(start, pos);
  if (isIdentChar(peek()) || peek() == '.') {
    while (isIdentChar(peek()) || peek() == '.')
      advance();
    return error(at, "invalid number '" + buffer.slice(start, pos).str() + "'");
  }
  Token tok = make(isFloat ? TokenKind::Float : TokenKind::Integer, at, text);
  if (isFloat) {
    errno = 0;
    tok.floatValue = std::strtod(tok.text.c_str(), nullptr);
    if (errno == ERANGE && std::isinf(tok.floatValue))
      return error(at, "number '" + text.str() + "' is too large");
  } else if (text.getAsInteger(10, tok.intValue)) {
    return error(at, "integer '" + text.str() + "' is too large");
  }
  return tok;
}

Token Lexer::lexString(SourceLoc at) {
  char quote = peek();
  advance();
  size_t start = pos;
  // Option values (`mode="reflect"`): printable ASCII on one line.
  while (peek() != quote) {
    char c = peek();
    if (pos >= buffer.size() || c == '\n')
      return error(at, "unterminated string");
    if (c < 0x20 || c >= 0x7f || c == '\\')
      return error(loc, "a string may hold printable ASCII characters only, "
                        "without escapes");
    advance();
  }
  llvm::StringRef text = buffer.slice(start, pos);
  advance();
  return make(TokenKind::String, at, text);
}

Token Lexer::lexIdentifier(SourceLoc at) {
  size_t start = pos;
  while (isIdentChar(peek()))
    advance();
  // A dotted path (`layer1.0.conv.weight`) names a state_dict entry.
  bool dotted = false;
  while (peek() == '.') {
    if (!isIdentChar(peek(1)))
      return error(loc, "expected a name component after '.'");
    dotted = true;
    advance();
    while (isIdentChar(peek()))
      advance();
  }
  llvm::StringRef text = buffer.slice(start, pos);
  TokenKind kind = TokenKind::Identifier;
  if (!dotted)
    kind = llvm::StringSwitch<TokenKind>(text)
               .Case("model", TokenKind::KwModel)
               .Case("input", TokenKind::KwInput)
               .Case("param", TokenKind::KwParam)
               .Case("output", TokenKind::KwOutput)
               .Case("def", TokenKind::KwDef)
               .Case("return", TokenKind::KwReturn)
               .Case("true", TokenKind::KwTrue)
               .Case("false", TokenKind::KwFalse)
               .Default(TokenKind::Identifier);
  return make(kind, at, text);
}
