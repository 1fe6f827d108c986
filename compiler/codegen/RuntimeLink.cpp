//===- RuntimeLink.cpp - nncc's C runtime linked into a module ------------===//

#include "compiler/codegen/RuntimeLink.h"

#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Linker/Linker.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace nncc;

namespace {
const unsigned char genericBitcode[] = {
#include "compiler/codegen/runtime_generic.inc"
};
const unsigned char x86Bitcode[] = {
#include "compiler/codegen/runtime_x86_64.inc"
};
const unsigned char profileBitcode[] = {
#include "compiler/codegen/runtime_profile.inc"
};
const unsigned char header[] = {
#include "compiler/codegen/nncc_runtime.inc"
};

/// Links `bitcode` into `module`; its definitions replace those `module`
/// already has.
bool link(llvm::Module &module, llvm::ArrayRef<unsigned char> bitcode,
          std::string &error) {
  llvm::MemoryBufferRef buffer(
      llvm::StringRef(reinterpret_cast<const char *>(bitcode.data()),
                      bitcode.size()),
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
    if (llvm::Function *old = module.getFunction(f.getName()))
      if (!f.isDeclaration() && !old->isDeclaration())
        old->deleteBody();
  if (llvm::Linker::linkModules(module, std::move(*runtime))) {
    error = "internal error: cannot link nncc's runtime into the object";
    return false;
  }
  return true;
}
} // namespace

bool nncc::linkNNCCRuntime(llvm::Module &module, const Halide::Target &target,
                           std::string &error) {
  if (!link(module, genericBitcode, error))
    return false;
  if (target.arch != Halide::Target::X86 || target.bits != 64 ||
      target.os != Halide::Target::Linux)
    return true;
  return link(module, x86Bitcode, error) &&
         (!target.has_feature(Halide::Target::Profile) ||
          link(module, profileBitcode, error));
}

llvm::StringRef nncc::runtimeHeader() {
  return llvm::StringRef(reinterpret_cast<const char *>(header),
                         sizeof(header));
}
