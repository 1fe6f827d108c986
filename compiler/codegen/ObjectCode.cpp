//===- ObjectCode.cpp - machine code for LLVM modules, and joining it -----===//
//
// A model's groups are compiled to machine code each in a process of its
// own (GroupCompiler.cpp), on every core; GNU ld's relocatable link then
// joins their objects and the entry point's into the one object nncc
// writes. LLVM's code generation, most of a compile, then runs in
// parallel instead of once over the linked module.
//
//===----------------------------------------------------------------------===//

#include "compiler/codegen/ObjectCode.h"

#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Transforms/IPO/AlwaysInliner.h"

#include <Halide.h>

namespace Halide::Internal {
// Exported by libHalide 14, declared in a header Debian does not install
// (CodeGen_Internal.h): the target machine Halide's own object emission
// uses, options from the module's Halide flags.
std::unique_ptr<llvm::TargetMachine>
make_target_machine(const llvm::Module &module);
} // namespace Halide::Internal

using namespace nncc;

bool nncc::emitObjectCode(llvm::Module &module,
                          llvm::SmallVectorImpl<char> &object,
                          std::string &error) {
  llvm::raw_svector_ostream os(object);
  // The passes Halide::compile_llvm_module_to_object runs, on the module
  // itself: Halide first clones the module through bitcode, which took 8%
  // of the Go net's compile time, and nothing here reads the module after.
  std::unique_ptr<llvm::TargetMachine> machine =
      Halide::Internal::make_target_machine(module);
  llvm::legacy::PassManager passes;
  passes.add(new llvm::TargetLibraryInfoWrapperPass(
      llvm::Triple(module.getTargetTriple())));
  passes.add(llvm::createAlwaysInlinerLegacyPass());
  if (machine->addPassesToEmitFile(passes, os, nullptr,
                                   llvm::CGFT_ObjectFile)) {
    error = "internal error: LLVM cannot emit an object for " +
            module.getTargetTriple();
    return false;
  }
  passes.run(module);
  return true;
}

bool nncc::joinObjects(const std::vector<std::string> &objects,
                       llvm::SmallVectorImpl<char> &joined,
                       std::string &error) {
  llvm::ErrorOr<std::string> ld = llvm::sys::findProgramByName("ld");
  if (!ld) {
    error = "cannot find 'ld' (GNU binutils), which joins the objects of a "
            "model's groups";
    return false;
  }
  llvm::SmallString<128> out, log;
  if (llvm::sys::fs::createTemporaryFile("nncc-joined", "o", out) ||
      llvm::sys::fs::createTemporaryFile("nncc-ld", "log", log)) {
    error = "cannot create a temporary file";
    return false;
  }
  std::vector<llvm::StringRef> args = {*ld, "-r", "-o", out};
  for (const std::string &o : objects)
    args.push_back(o);
  llvm::Optional<llvm::StringRef> redirects[] = {llvm::None, log.str(),
                                                 log.str()};
  int status = llvm::sys::ExecuteAndWait(*ld, args, llvm::None, redirects);
  auto bytes = llvm::MemoryBuffer::getFile(out);
  auto messages = llvm::MemoryBuffer::getFile(log);
  llvm::sys::fs::remove(out);
  llvm::sys::fs::remove(log);
  if (status != 0 || !bytes) {
    error = "internal error: 'ld -r' could not join the groups' objects";
    if (messages && !(*messages)->getBuffer().empty())
      error += ": " + (*messages)->getBuffer().rtrim().str();
    return false;
  }
  joined.assign((*bytes)->getBufferStart(), (*bytes)->getBufferEnd());
  return true;
}
