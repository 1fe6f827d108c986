//===- HLToHalide.h - hl dialect to Halide objects --------------*- C++ -*-===//
#ifndef NNCC_CODEGEN_HLTOHALIDE_H
#define NNCC_CODEGEN_HLTOHALIDE_H

#include "compiler/codegen/ProfileTable.h"
#include "dialects/hl/HLOps.h"

#include "Halide.h"

namespace nncc {

/// One tensor argument of the generated entry point.
struct TensorArgument {
  std::string name;
  std::vector<int64_t> shape; // row-major
  bool isParam = false;       // a learned tensor passed as an argument
  bool int32 = false;         // i32 indices, not f32
};

/// A group of an hl.pipeline lowered as a function of its own (see
/// PipelineGroups.h): its one output, the cut value it reads and the
/// model's inputs it reads, as arguments.
struct HalideGroup {
  std::string function;
  Halide::Pipeline pipeline;
  std::vector<Halide::Argument> arguments;
};

/// A Halide pipeline built from an hl.pipeline, with its arguments in entry
/// point order (inputs, then outputs). Where the hl.pipeline was cut into
/// groups, `pipeline` is its last group, which runs the others, `groups`,
/// as extern stages in order.
struct HalidePipeline {
  std::string name;
  Halide::Pipeline pipeline;
  std::vector<Halide::Argument> inputArguments;
  std::vector<TensorArgument> inputs;
  std::vector<TensorArgument> outputs;
  std::vector<HalideGroup> groups;
  /// With Halide's `profile` feature: every func, for the report.
  std::vector<ProfiledFunc> profile;
};

/// Translates `op` into Halide Funcs, Vars, RDoms and schedule calls. This is
/// mechanical: what each op means was decided by NNToHL. Reports unsupported
/// IR (and Halide's own errors) as diagnostics on the offending op.
/// `schedules` false: the schedule ops are left out (for an autoscheduler),
/// and the pipeline stays one group.
mlir::FailureOr<HalidePipeline> translateToHalide(hl::PipelineOp op,
                                                  bool schedules = true);

} // namespace nncc

#endif // NNCC_CODEGEN_HLTOHALIDE_H
