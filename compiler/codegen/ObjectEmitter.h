//===- ObjectEmitter.h - object files and headers (LANGUAGE.md §7) ------===//
#ifndef NNCC_CODEGEN_OBJECTEMITTER_H
#define NNCC_CODEGEN_OBJECTEMITTER_H

#include "compiler/codegen/HLToHalide.h"
#include "compiler/codegen/Progress.h"

namespace nncc {

/// Writes `objectPath` (the pipeline, the dense entry point NAME, NAME_info,
/// and, unless the target has no_runtime, the Halide runtime and the weak
/// nncc_* helpers) and the C header `headerPath`. Errors, Halide's
/// included, are returned in `error`; `progress` hears of each group
/// compiled.
bool emitObject(HalidePipeline &p, const Halide::Target &target,
                const std::string &objectPath, const std::string &headerPath,
                const Progress &progress, std::string &error);

/// Writes the Halide runtime and the nncc_* helpers alone, for objects
/// compiled with --no-runtime.
bool emitRuntime(const Halide::Target &target, const std::string &objectPath,
                 std::string &error);

/// Writes Halide's lowered statement (or assembly) for inspection.
bool emitStmt(HalidePipeline &p, const Halide::Target &target,
              const std::string &path, bool assembly, std::string &error);

/// The C header of §7 for `p`.
std::string headerText(const HalidePipeline &p);

} // namespace nncc

#endif // NNCC_CODEGEN_OBJECTEMITTER_H
