//===- Progress.h - a long compile's progress, for a terminal ---*- C++ -*-===//
#ifndef NNCC_CODEGEN_PROGRESS_H
#define NNCC_CODEGEN_PROGRESS_H

#include "llvm/ADT/StringRef.h"

#include <cstddef>
#include <functional>

namespace nncc {

/// Told that `done` of `total` steps of `stage` are complete (total 0: a
/// stage without steps has started). Empty: nobody is watching.
using Progress =
    std::function<void(llvm::StringRef stage, size_t done, size_t total)>;

} // namespace nncc

#endif // NNCC_CODEGEN_PROGRESS_H
