//===- RuntimeLink.cpp - nncc's C runtime linked into a module ------------===//

#include "compiler/codegen/RuntimeLink.h"

#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Linker/Linker.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace nncc;

static const unsigned char runtimeBitcode[] = {
#include "compiler/codegen/RuntimeBitcode.inc"
};

bool nncc::linkNNCCRuntime(llvm::Module &module, const Halide::Target &target,
                           std::string &error) {
  if (target.arch != Halide::Target::X86 || target.bits != 64 ||
      target.os != Halide::Target::Linux)
    return true;
  llvm::MemoryBufferRef buffer(
      llvm::StringRef(reinterpret_cast<const char *>(runtimeBitcode),
                      sizeof(runtimeBitcode)),
      "nncc_runtime");
  llvm::Expected<std::unique_ptr<llvm::Module>> runtime =
      llvm::parseBitcodeFile(buffer, module.getContext());
  if (!runtime) {
    error = "internal error: nncc's runtime bitcode: " +
            llvm::toString(runtime.takeError());
    return false;
  }
  (*runtime)->setDataLayout(module.getDataLayout());
  (*runtime)->setTargetTriple(module.getTargetTriple());
  // Halide's definitions are weak, as these are (several models share one
  // runtime in a program): the linker would keep the first, Halide's.
  for (llvm::Function &f : **runtime)
    if (llvm::Function *halide = module.getFunction(f.getName()))
      if (!f.isDeclaration() && !halide->isDeclaration())
        halide->deleteBody();
  if (llvm::Linker::linkModules(module, std::move(*runtime))) {
    error = "internal error: cannot link nncc's runtime into the object";
    return false;
  }
  return true;
}
