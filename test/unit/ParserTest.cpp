//===- ParserTest.cpp - unit tests of the graph-language parser -----------===//

#include "compiler/frontend/Parser.h"
#include "dialects/nn/TensorLimits.h"

#include <gtest/gtest.h>

using namespace nncc;

namespace {
/// The expression as the parser grouped it, fully parenthesised.
std::string grouped(llvm::StringRef text) {
  Parser parser(text);
  ExprPtr e = parser.parseStandaloneExpr();
  if (!e)
    return "error: " + parser.error().message;
  std::string out;
  llvm::raw_string_ostream os(out);
  dump(*e, os);
  return os.str();
}

std::string printed(llvm::StringRef text) {
  Parser parser(text);
  std::unique_ptr<Module> m = parser.parseModule();
  if (!m)
    return "error: " + parser.error().message;
  std::string out;
  llvm::raw_string_ostream os(out);
  dump(*m, os);
  return os.str();
}

SyntaxError errorOf(llvm::StringRef text) {
  Parser parser(text);
  EXPECT_EQ(parser.parseModule(), nullptr) << "in: " << text.str();
  return parser.error();
}
} // namespace

TEST(Parser, Precedence) {
  EXPECT_EQ(grouped("a + b * c"), "(a + (b * c))");
  EXPECT_EQ(grouped("a @ b + c"), "((a @ b) + c)");
  EXPECT_EQ(grouped("a - b - c"), "((a - b) - c)");
  EXPECT_EQ(grouped("a / b * c @ d"), "(((a / b) * c) @ d)");
  EXPECT_EQ(grouped("(a + b) * c"), "((a + b) * c)");
  EXPECT_EQ(grouped("-a * b"), "((-a) * b)");
  EXPECT_EQ(grouped("a - -1"), "(a - (-1))");
}

TEST(Parser, CallsListsAndLiterals) {
  EXPECT_EQ(grouped("conv2d(x, w, stride=[2, 2], padding=1)"),
            "conv2d(x, w, stride=[2, 2], padding=1)");
  EXPECT_EQ(grouped("f()"), "f()");
  EXPECT_EQ(grouped("f(a,)"), "f(a)");
  EXPECT_EQ(grouped("[[1, 2], [], true, 0.5]"), "[[1, 2], [], true, 0.5]");
  EXPECT_EQ(grouped("attention(q, k, v, causal=false)"),
            "attention(q, k, v, causal=false)");
}

TEST(Parser, ModuleStatements) {
  const char *source = R"(model m
input x : f32[1, 3]
input ids : i32[2]
param layer1.0.w : f32[4, 3]
def lin(x, w) {
  y = linear(x, w)
  return y
}
h = lin(x, layer1.0.w); h = relu(h)
output out = h
output h
)";
  EXPECT_EQ(printed(source), R"(model m
def lin(x, w) {
  y = linear(x, w)
  return y
}
input x : f32[1, 3]
input ids : i32[2]
param layer1.0.w : f32[4, 3]
h = lin(x, layer1.0.w)
h = relu(h)
output out = h
output h
)");
}

TEST(Parser, ErrorsAreLocated) {
  SyntaxError e = errorOf("model m\ny = relu(x,, 1)\n");
  EXPECT_EQ(e.loc.line, 2u);
  EXPECT_EQ(e.loc.col, 12u);
  EXPECT_EQ(e.message, "expected an expression, found ','");

  e = errorOf("model m\ny = f(a=1, 2)\n");
  EXPECT_EQ(e.message, "positional argument after keyword argument");
  EXPECT_EQ(e.loc.col, 12u);

  e = errorOf("model m\ny = f(a=1, a=2)\n");
  EXPECT_EQ(e.message, "argument 'a' given twice");
}

TEST(Parser, StructureErrors) {
  EXPECT_EQ(errorOf("").message,
            "empty file: expected 'model NAME' as the first statement");
  EXPECT_EQ(errorOf("input x : f32[1]\n").message,
            "expected 'model NAME' as the first statement, found 'input'");
  EXPECT_EQ(errorOf("model m\nmodel n\n").message,
            "'model' may appear only once, as the first statement");
  EXPECT_EQ(errorOf("model a.b\n").message,
            "model name 'a.b' must be a C identifier (no '.')");
  EXPECT_EQ(errorOf("model m\nreturn x\n").message,
            "'return' is only allowed inside a def");
  EXPECT_EQ(errorOf("model m\ndef f(x) {\n  y = x\n}\n").message,
            "def 'f' must end with 'return EXPR'");
  EXPECT_EQ(errorOf("model m\ndef f(x, x) {\n return x\n}\n").message,
            "duplicate parameter 'x'");
  EXPECT_EQ(
      errorOf("model m\nrelu(x)\n").message,
      "a call is not a statement; bind its result with 'NAME = relu(...)'");
  EXPECT_EQ(errorOf("model m\ny = relu(x\n").message, "unclosed '('");
}

TEST(Parser, TypeErrors) {
  EXPECT_EQ(errorOf("model m\ninput x : f32[0, 3]\n").message,
            "dimensions must be positive integers");
  EXPECT_EQ(errorOf("model m\ninput x : f32[B, 3]\n").message,
            "symbolic dimension 'B' is not supported yet; dimensions must be "
            "positive integers");
  EXPECT_EQ(errorOf("model m\ninput x : bf16[3]\n").message,
            "element type 'bf16' is not supported yet; only f32 and i32 are");
  EXPECT_EQ(errorOf("model m\ninput x : f32[]\n").message,
            "a tensor type needs at least one dimension");
  EXPECT_EQ(errorOf("model m\ninput x : f32[65536, 65536]\n").message,
            std::string("tensor type has more than ") + kMaxTensorElementsText);
  // The largest tensor Halide compiles; one more element is refused.
  Parser largest("model m\ninput x : f32[536805376]\n");
  EXPECT_NE(largest.parseModule(), nullptr);
  EXPECT_EQ(errorOf("model m\ninput x : f32[536805377]\n").message,
            std::string("tensor type has more than ") + kMaxTensorElementsText);
}

TEST(Parser, NestingIsBounded) {
  std::string deep = "model m\ny = " + std::string(100000, '(') + "x" +
                     std::string(100000, ')') + "\n";
  EXPECT_NE(errorOf(deep).message.find("nested more than"), std::string::npos);
  std::string chain = "model m\ny = x";
  for (int i = 0; i < 100000; ++i)
    chain += " + x";
  EXPECT_NE(errorOf(chain).message.find("nested more than"), std::string::npos);
  // Just under the limit parses.
  std::string ok = "model m\ny = " + std::string(200, '(') + "x" +
                   std::string(200, ')') + "\n";
  Parser parser(ok);
  EXPECT_NE(parser.parseModule(), nullptr) << parser.error().message;
}
