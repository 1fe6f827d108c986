//===- GroupCompiler.h - a pipeline's groups compiled on every core ------===//
#ifndef NNCC_CODEGEN_GROUPCOMPILER_H
#define NNCC_CODEGEN_GROUPCOMPILER_H

#include "compiler/codegen/HLToHalide.h"
#include "compiler/codegen/Progress.h"

#include "llvm/ADT/STLExtras.h"

#include <string>
#include <vector>

namespace nncc {

/// Compiles each of `p`'s groups to an object file in a child process, as
/// many at a time as there are cores, and runs `meanwhile` (this process's
/// own work, false on failure, which reports its own error) once the first
/// have started. `objects` gets the objects' paths, temporary files the
/// caller removes. False with `error` set if a group fails. `progress`
/// hears of each group done.
bool compileGroups(HalidePipeline &p, const Halide::Target &target,
                   llvm::function_ref<bool()> meanwhile,
                   const Progress &progress, std::vector<std::string> &objects,
                   std::string &error);

} // namespace nncc

#endif // NNCC_CODEGEN_GROUPCOMPILER_H
