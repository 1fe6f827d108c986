//===- nncc.cpp - the nncc compiler driver --------------------------------===//
//
// nncc MODEL.graph [--emit=ast|nn|nn-raw] [-o FILE]
//
// Every error in the input is printed as FILE:LINE:COL: error: MESSAGE with
// the source line and a caret, and nncc exits with status 1.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontend/Diagnostics.h"
#include "compiler/frontend/MLIRGen.h"
#include "compiler/frontend/Parser.h"
#include "dialects/nn/NNDialect.h"

#include "mlir/Dialect/StandardOps/IR/Ops.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

using namespace llvm;

namespace {
enum class Emit { AST, NN, NNRaw };

cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.graph>"),
                               cl::Required);
cl::opt<std::string> outputFile("o", cl::desc("Output file (default: stdout)"),
                                cl::value_desc("file"), cl::init("-"));
cl::opt<Emit> emit(
    "emit", cl::desc("What to produce"), cl::init(Emit::NN),
    cl::values(clEnumValN(Emit::AST, "ast",
                          "the parsed program, parenthesised"),
               clEnumValN(Emit::NN, "nn", "nn dialect after the graph passes"),
               clEnumValN(Emit::NNRaw, "nn-raw",
                          "nn dialect as built from the source")));
} // namespace

static int fail(const Twine &message) {
  WithColor::error(errs(), "nncc") << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  // -mlir-print-debuginfo and friends, so tests can see every op's location.
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  cl::ParseCommandLineOptions(argc, argv, "nncc: neural-network compiler\n");

  auto buffer = MemoryBuffer::getFileOrSTDIN(inputFile, /*IsText=*/true);
  if (std::error_code ec = buffer.getError())
    return fail("cannot open '" + inputFile + "': " + ec.message());
  StringRef text = (*buffer)->getBuffer();

  mlir::MLIRContext context;
  nncc::SourceDiagnosticPrinter diagnostics(context, inputFile, text, errs());

  nncc::Parser parser(text);
  std::unique_ptr<nncc::Module> ast = parser.parseModule();
  if (!ast) {
    const nncc::SyntaxError &err = parser.error();
    mlir::emitError(mlir::FileLineColLoc::get(&context, inputFile, err.loc.line,
                                              err.loc.col))
        << err.message;
    return 1;
  }

  std::string error;
  auto output = mlir::openOutputFile(outputFile, &error);
  if (!output)
    return fail(error);

  if (emit == Emit::AST) {
    nncc::dump(*ast, output->os());
  } else {
    mlir::OwningOpRef<mlir::ModuleOp> module =
        nncc::mlirGen(context, *ast, inputFile);
    if (!module)
      return 1;
    if (emit == Emit::NN) {
      mlir::PassManager pm(&context);
      pm.addPass(mlir::createCanonicalizerPass());
      if (mlir::failed(pm.run(*module)))
        return 1;
    }
    module->print(output->os());
  }
  output->keep();
  return 0;
}
