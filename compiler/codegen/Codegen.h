//===- Codegen.h - from hl pipelines to files -------------------*- C++ -*-===//
//
// The driver's view of code generation. Nothing here exposes Halide, so
// callers need neither its headers nor exceptions.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_CODEGEN_CODEGEN_H
#define NNCC_CODEGEN_CODEGEN_H

#include "compiler/codegen/Progress.h"
#include "compiler/schedule/TargetModel.h"
#include "dialects/hl/HLOps.h"

namespace nncc {

struct CodegenOptions {
  std::string target = "host"; // a Halide target string
  bool runtime = true;         // embed the Halide runtime and nncc_* helpers
  bool profile = false;        // Halide's profiler and nncc's report
  Progress progress;           // told of long stages' steps, if set
  /// "": the pipeline's own schedule; else the Halide autoscheduler to use
  /// instead (Mullapudi2016, Adams2019, Li2018), a baseline for benchmarks.
  std::string autoscheduler;
};

enum class CodegenOutput { Object, Stmt, Assembly };

/// The model of `options.target` the schedule works from: vector width and
/// registers from Halide's target; cache sizes read from the host for
/// "host", else those of the table for the target's architecture. False
/// (with `error` set) for a target string Halide does not accept.
bool targetModel(const CodegenOptions &options, TargetModel &model,
                 std::string &error);

/// Writes `pipeline` as an object file and C header, or as Halide's lowered
/// statement or assembly. Errors are reported on the pipeline.
mlir::LogicalResult emitPipeline(hl::PipelineOp pipeline,
                                 const CodegenOptions &options,
                                 CodegenOutput output, const std::string &path,
                                 const std::string &headerPath);

/// Writes the Halide runtime and the nncc_* helpers as one object, for
/// models compiled without a runtime.
mlir::LogicalResult emitRuntimeObject(const CodegenOptions &options,
                                      const std::string &path,
                                      std::string &error);

} // namespace nncc

#endif // NNCC_CODEGEN_CODEGEN_H
