//===- LexerTest.cpp - unit tests of the graph-language lexer -------------===//

#include "compiler/frontend/Lexer.h"

#include <gtest/gtest.h>

#include <vector>

using namespace nncc;

namespace {
std::vector<Token> lexAll(llvm::StringRef text) {
  Lexer lexer(text);
  std::vector<Token> tokens;
  do
    tokens.push_back(lexer.next());
  while (tokens.back().kind != TokenKind::Eof &&
         tokens.back().kind != TokenKind::Error);
  return tokens;
}

std::vector<TokenKind> kinds(llvm::StringRef text) {
  std::vector<TokenKind> out;
  for (const Token &t : lexAll(text))
    out.push_back(t.kind);
  return out;
}

Token errorOf(llvm::StringRef text) {
  Token last = lexAll(text).back();
  EXPECT_EQ(last.kind, TokenKind::Error) << "in: " << text.str();
  return last;
}
} // namespace

TEST(Lexer, StatementTokens) {
  using K = TokenKind;
  EXPECT_EQ(kinds("h = relu(x) @ w\n"),
            (std::vector<K>{K::Identifier, K::Equal, K::Identifier, K::LParen,
                            K::Identifier, K::RParen, K::At, K::Identifier,
                            K::Newline, K::Eof}));
}

TEST(Lexer, Keywords) {
  using K = TokenKind;
  EXPECT_EQ(
      kinds("model input param output def return true false"),
      (std::vector<K>{K::KwModel, K::KwInput, K::KwParam, K::KwOutput, K::KwDef,
                      K::KwReturn, K::KwTrue, K::KwFalse, K::Eof}));
}

TEST(Lexer, DottedNamesAreOneIdentifier) {
  std::vector<Token> t = lexAll("layer1.0.conv.weight model.x");
  ASSERT_EQ(t[0].kind, TokenKind::Identifier);
  EXPECT_EQ(t[0].text, "layer1.0.conv.weight");
  // A dotted path is never a keyword, even if it starts with one.
  ASSERT_EQ(t[1].kind, TokenKind::Identifier);
  EXPECT_EQ(t[1].text, "model.x");
}

TEST(Lexer, Numbers) {
  std::vector<Token> t = lexAll("3 0.125 1e-5 2E+3 7. 42");
  ASSERT_EQ(t.size(), 7u);
  EXPECT_EQ(t[0].kind, TokenKind::Integer);
  EXPECT_EQ(t[0].intValue, 3);
  EXPECT_EQ(t[1].kind, TokenKind::Float);
  EXPECT_DOUBLE_EQ(t[1].floatValue, 0.125);
  EXPECT_EQ(t[2].kind, TokenKind::Float);
  EXPECT_DOUBLE_EQ(t[2].floatValue, 1e-5);
  EXPECT_DOUBLE_EQ(t[3].floatValue, 2000);
  EXPECT_EQ(t[4].kind, TokenKind::Float);
  EXPECT_DOUBLE_EQ(t[4].floatValue, 7);
  EXPECT_EQ(t[5].intValue, 42);
}

TEST(Lexer, MinusIsAnOperator) {
  using K = TokenKind;
  EXPECT_EQ(kinds("-1"), (std::vector<K>{K::Minus, K::Integer, K::Eof}));
}

TEST(Lexer, CommentsAndLocations) {
  std::vector<Token> t = lexAll("# a comment é\n  x = 1 # trailing\ny");
  ASSERT_EQ(t[0].kind, TokenKind::Newline);
  ASSERT_EQ(t[1].kind, TokenKind::Identifier);
  EXPECT_EQ(t[1].loc.line, 2u);
  EXPECT_EQ(t[1].loc.col, 3u);
  EXPECT_EQ(t[4].kind, TokenKind::Newline);
  EXPECT_EQ(t[5].text, "y");
  EXPECT_EQ(t[5].loc.line, 3u);
}

TEST(Lexer, NewlinesJoinInsideBrackets) {
  using K = TokenKind;
  EXPECT_EQ(kinds("f(a,\n  [1,\n 2])\n"),
            (std::vector<K>{K::Identifier, K::LParen, K::Identifier, K::Comma,
                            K::LBracket, K::Integer, K::Comma, K::Integer,
                            K::RBracket, K::RParen, K::Newline, K::Eof}));
  // Braces do not join lines: a def body is a list of statements.
  EXPECT_EQ(kinds("{\n}"),
            (std::vector<K>{K::LBrace, K::Newline, K::RBrace, K::Eof}));
}

TEST(Lexer, SemicolonEndsAStatement) {
  using K = TokenKind;
  EXPECT_EQ(kinds("a = 1; b = 2"),
            (std::vector<K>{K::Identifier, K::Equal, K::Integer, K::Newline,
                            K::Identifier, K::Equal, K::Integer, K::Eof}));
}

TEST(Lexer, Errors) {
  EXPECT_EQ(errorOf("x = $").text, "unexpected character '$'");
  EXPECT_EQ(errorOf("x = 3abc").text, "invalid number '3abc'");
  EXPECT_EQ(errorOf("99999999999999999999").text,
            "integer '99999999999999999999' is too large");
  EXPECT_EQ(errorOf("1e999").text, "number '1e999' is too large");
  EXPECT_EQ(errorOf("conv1.").text, "expected a name component after '.'");
  EXPECT_EQ(errorOf("x = é").text, "unexpected character 'é'");
  EXPECT_EQ(errorOf("x\x01").text, "unexpected control character 0x01");
  Token nul = errorOf(llvm::StringRef("ab\0", 3));
  EXPECT_EQ(nul.loc.col, 3u);
}

TEST(Lexer, EncodingCheck) {
  SourceLoc at;
  std::string message;
  EXPECT_TRUE(Lexer::checkEncoding("model m # ünïcode\n", at, message));
  EXPECT_FALSE(Lexer::checkEncoding("model m\n  \xff", at, message));
  EXPECT_EQ(at.line, 2u);
  EXPECT_EQ(at.col, 3u);
  EXPECT_NE(message.find("UTF-8"), std::string::npos);
  EXPECT_FALSE(Lexer::checkEncoding(llvm::StringRef("a\0b", 3), at, message));
  EXPECT_NE(message.find("NUL"), std::string::npos);
}
