//===- RuntimeLink.h - nncc's C runtime linked into a module ----*- C++ -*-===//
#ifndef NNCC_CODEGEN_RUNTIMELINK_H
#define NNCC_CODEGEN_RUNTIMELINK_H

#include "Halide.h"
#include "llvm/IR/Module.h"

#include <string>

namespace nncc {

/// Links nncc's runtime (runtime/*.c, embedded as LLVM bitcode) into
/// `module`, which carries Halide's runtime: its definitions replace
/// Halide's of the same names (the thread pool). Targets other than x86-64
/// Linux, for which the bitcode was not compiled, keep Halide's. False with
/// `error` set if linking failed.
bool linkNNCCRuntime(llvm::Module &module, const Halide::Target &target,
                     std::string &error);

} // namespace nncc

#endif // NNCC_CODEGEN_RUNTIMELINK_H
