//===- GroupCompiler.h - a pipeline's groups compiled on every core -*- C++
//-*-===//
#ifndef NNCC_CODEGEN_GROUPCOMPILER_H
#define NNCC_CODEGEN_GROUPCOMPILER_H

#include "compiler/codegen/HLToHalide.h"

#include "llvm/IR/Module.h"

#include <string>

namespace nncc {

/// Lowers and optimises each of `p`'s groups in a child process, as many
/// at a time as there are cores, and links their modules into `entry`
/// (which holds the runtime the groups call), each group's function made
/// internal. False with `error` set if a group fails.
bool compileGroups(HalidePipeline &p, const Halide::Target &target,
                   llvm::Module &entry, std::string &error);

} // namespace nncc

#endif // NNCC_CODEGEN_GROUPCOMPILER_H
