//===- ObjectCode.h - machine code for LLVM modules, and joining it ------===//
#ifndef NNCC_CODEGEN_OBJECTCODE_H
#define NNCC_CODEGEN_OBJECTCODE_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/Module.h"

#include <string>
#include <vector>

namespace nncc {

/// The object file of `module`, compiled as Halide compiles its own (the
/// target machine its flags describe). False with `error` set if LLVM
/// cannot emit one.
bool emitObjectCode(llvm::Module &module, llvm::SmallVectorImpl<char> &object,
                    std::string &error);

/// `objects` (paths) joined into one relocatable object (`ld -r`), whose
/// bytes replace `joined`. False with `error` set if ld is missing or
/// fails.
bool joinObjects(const std::vector<std::string> &objects,
                 llvm::SmallVectorImpl<char> &joined, std::string &error);

} // namespace nncc

#endif // NNCC_CODEGEN_OBJECTCODE_H
