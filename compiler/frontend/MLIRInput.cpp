//===- MLIRInput.cpp - nn and hl modules read as MLIR text ----------------===//

#include "compiler/frontend/MLIRInput.h"
#include "dialects/hl/HLDialect.h"
#include "dialects/nn/NNDialect.h"

#include "mlir/Dialect/Arithmetic/IR/Arithmetic.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/StandardOps/IR/Ops.h"
#include "mlir/Parser.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/wait.h>
#include <unistd.h>

using namespace nncc;

void nncc::loadMLIRDialects(mlir::MLIRContext &context) {
  context
      .loadDialect<nn::NNDialect, hl::HLDialect, mlir::StandardOpsDialect,
                   mlir::arith::ArithmeticDialect, mlir::math::MathDialect>();
}

mlir::OwningOpRef<mlir::ModuleOp>
nncc::parseMLIRUnchecked(mlir::MLIRContext &context, llvm::StringRef text,
                         llvm::StringRef name) {
  llvm::SourceMgr sourceMgr;
  // A copy: the lexer reads up to a terminating NUL that `text` may lack.
  sourceMgr.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, name),
                               llvm::SMLoc());
  return mlir::parseSourceFile(sourceMgr, &context);
}

mlir::OwningOpRef<mlir::ModuleOp> nncc::parseMLIR(mlir::MLIRContext &context,
                                                  llvm::StringRef text,
                                                  llvm::StringRef name) {
  mlir::Location start = mlir::FileLineColLoc::get(&context, name, 1, 1);
  signal(SIGCHLD, SIG_DFL); // so that the child can be waited for
  pid_t pid = fork();
  if (pid < 0) {
    mlir::emitError(start) << "cannot start a process to parse the input: "
                           << strerror(errno);
    return nullptr;
  }
  if (pid == 0) {
    // The child has this thread alone: no pool threads for the verifier.
    context.disableMultithreading();
    _exit(parseMLIRUnchecked(context, text, name) ? 0 : 1);
  }
  int status = 0;
  pid_t done;
  while ((done = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
    ;
  if (done == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return parseMLIRUnchecked(context, text, name);
  // A parse error was reported by the child; a signal was not.
  if (done != pid || !WIFEXITED(status))
    mlir::emitError(start)
        << "the MLIR parser crashed on this input (MLIR 14 is known to after "
           "some parse errors); check the text with nncc-opt";
  return nullptr;
}
