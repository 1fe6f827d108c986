//===- CNames.h - names the generated C header can use ----------*- C++ -*-===//
//
// A model's name becomes its entry point's C name, and its inputs' and
// outputs' names the parameters' names in the header (LANGUAGE.md §7),
// which must compile as C and as C++.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_FRONTEND_CNAMES_H
#define NNCC_FRONTEND_CNAMES_H

#include "llvm/ADT/StringRef.h"

namespace nncc {

/// Whether `name` cannot be spelled as an identifier in the generated
/// header: a C or C++ keyword (`int`, `class`, `_Bool`), a macro of the
/// headers it includes (`NULL`, `INT32_MAX`), or reserved to the
/// implementation (`__x`, `_X`).
bool isReservedInC(llvm::StringRef name);

/// Why `name` cannot be a model's name (its entry point's C symbol), or ""
/// if it can: reserved in C, reserved at file scope (`_x`), or in the
/// namespaces of the embedded runtime and the helpers (`halide_`, `nncc_`).
std::string modelNameProblem(llvm::StringRef name);

} // namespace nncc

#endif // NNCC_FRONTEND_CNAMES_H
