//===- Codegen.cpp - from hl pipelines to files ---------------------------===//

#include "compiler/codegen/Codegen.h"
#include "compiler/codegen/AutoSchedule.h"
#include "compiler/codegen/ObjectEmitter.h"

using namespace nncc;

static bool parseTarget(const CodegenOptions &options, Halide::Target &target,
                        std::string &error) {
  if (options.target != "host" &&
      !Halide::Target::validate_target_string(options.target)) {
    error = "unknown target '" + options.target + "'";
    return false;
  }
  try {
    target = options.target == "host" ? Halide::get_host_target()
                                      : Halide::Target(options.target);
  } catch (const Halide::Error &e) {
    error = e.what();
    return false;
  }
  if (!options.runtime)
    target = target.with_feature(Halide::Target::NoRuntime);
  return true;
}

int64_t nncc::targetVectorWidth(const CodegenOptions &options,
                                std::string &error) {
  Halide::Target target;
  if (!parseTarget(options, target, error))
    return -1;
  return target.natural_vector_size<float>();
}

int64_t nncc::targetVectorRegisters(const CodegenOptions &options,
                                    std::string &error) {
  Halide::Target target;
  if (!parseTarget(options, target, error))
    return -1;
  if (target.arch == Halide::Target::ARM && target.bits == 64)
    return 32;
  return target.has_feature(Halide::Target::AVX512) ? 32 : 16;
}

mlir::LogicalResult nncc::emitPipeline(hl::PipelineOp pipeline,
                                       const CodegenOptions &options,
                                       CodegenOutput output,
                                       const std::string &path,
                                       const std::string &headerPath) {
  std::string error;
  Halide::Target target;
  if (!parseTarget(options, target, error))
    return pipeline.emitError(error);
  bool autoscheduled = !options.autoscheduler.empty();
  mlir::FailureOr<HalidePipeline> p =
      translateToHalide(pipeline, /*schedules=*/!autoscheduled);
  if (mlir::failed(p))
    return mlir::failure();
  bool ok = (!autoscheduled ||
             autoSchedule(*p, options.autoscheduler, target, error)) &&
            (output == CodegenOutput::Object
                 ? emitObject(*p, target, path, headerPath, error)
                 : emitStmt(*p, target, path, output == CodegenOutput::Assembly,
                            error));
  // Not an error in the source: reported without a source location.
  if (!ok)
    return mlir::emitError(mlir::UnknownLoc::get(pipeline.getContext()))
           << error;
  return mlir::success();
}

mlir::LogicalResult nncc::emitRuntimeObject(const CodegenOptions &options,
                                            const std::string &path,
                                            std::string &error) {
  Halide::Target target;
  if (!parseTarget(options, target, error) || !emitRuntime(target, path, error))
    return mlir::failure();
  return mlir::success();
}
