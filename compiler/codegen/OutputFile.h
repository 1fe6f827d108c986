//===- OutputFile.h - writing the files nncc produces -----------*- C++ -*-===//
//
// Every file nncc writes goes through writeOutput: a write that fails (a
// full disk, a closed standard output) is an error the caller reports, not
// LLVM's fatal "IO failure" at exit, and a regular file is replaced only
// once its new content is complete.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_CODEGEN_OUTPUTFILE_H
#define NNCC_CODEGEN_OUTPUTFILE_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace nncc {

/// Writes `bytes` to `path` ("-": standard output). A regular file (or a
/// new one) is written beside `path` under a temporary name and renamed
/// over it when complete; anything else (a device such as /dev/null, a
/// FIFO) is written in place. False, with `error` set, on any failure.
bool writeOutput(const std::string &path, llvm::StringRef bytes,
                 std::string &error);

} // namespace nncc

#endif // NNCC_CODEGEN_OUTPUTFILE_H
