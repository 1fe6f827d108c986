//===- RuntimeLink.h - nncc's C runtime linked into a module ----*- C++ -*-===//
#ifndef NNCC_CODEGEN_RUNTIMELINK_H
#define NNCC_CODEGEN_RUNTIMELINK_H

#include "Halide.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/IR/Module.h"

#include <string>

namespace nncc {

/// Links nncc's runtime (runtime/*.c, embedded as LLVM bitcode) into
/// `module`, which carries Halide's runtime: its definitions replace
/// Halide's of the same names. Every target gets the status strings, the
/// error handler and the caching allocator; x86-64 Linux also gets nncc's
/// thread pool (others keep Halide's) and, for Halide's `profile` feature,
/// nncc's per-layer report. False with `error` set if linking failed.
bool linkNNCCRuntime(llvm::Module &module, const Halide::Target &target,
                     std::string &error);

/// runtime/nncc_runtime.h: the declarations every generated header starts
/// with, the ones the runtime was compiled against.
llvm::StringRef runtimeHeader();

} // namespace nncc

#endif // NNCC_CODEGEN_RUNTIMELINK_H
