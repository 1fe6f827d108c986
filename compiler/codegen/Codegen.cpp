//===- Codegen.cpp - from hl pipelines to files ---------------------------===//

#include "compiler/codegen/Codegen.h"
#include "compiler/codegen/AutoSchedule.h"
#include "compiler/codegen/ObjectEmitter.h"

#include <unistd.h>

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
  // The runtime nncc links into objects is compiled for 64-bit targets.
  if (target.bits != 64) {
    error = "target '" + options.target + "' is " +
            std::to_string(target.bits) + "-bit; nncc supports 64-bit targets";
    return false;
  }
  if (!options.runtime)
    target = target.with_feature(Halide::Target::NoRuntime);
  if (options.profile)
    target = target.with_feature(Halide::Target::Profile);
  return true;
}

/// A cache size the host reports, or `fallback` where it reports none.
static int64_t hostCache(int name, int64_t fallback) {
  long bytes = sysconf(name);
  return bytes > 0 ? bytes : fallback;
}

bool nncc::targetModel(const CodegenOptions &options, TargetModel &model,
                       std::string &error) {
  Halide::Target target;
  if (!parseTarget(options, target, error))
    return false;
  model.vectorWidth = target.natural_vector_size<float>();
  bool wide = (target.arch == Halide::Target::ARM && target.bits == 64) ||
              target.has_feature(Halide::Target::AVX512);
  model.registers = wide ? 32 : 16;
  // The table: what x86-64 cores with AVX-512 and ARM64 server cores have
  // at least; older x86-64 cores 256 KiB of L2.
  model.l1Bytes = 32 << 10;
  model.l2Bytes = wide ? 1 << 20 : 256 << 10;
  if (options.target == "host") {
    model.l1Bytes = hostCache(_SC_LEVEL1_DCACHE_SIZE, model.l1Bytes);
    model.l2Bytes = hostCache(_SC_LEVEL2_CACHE_SIZE, model.l2Bytes);
  }
  return true;
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
  if (options.progress)
    options.progress("translating to Halide", 0, 0);
  mlir::FailureOr<HalidePipeline> p =
      translateToHalide(pipeline, /*schedules=*/!autoscheduled);
  if (mlir::failed(p))
    return mlir::failure();
  if (target.has_feature(Halide::Target::Profile))
    p->profile = profiledFuncs(pipeline);
  bool ok =
      (!autoscheduled ||
       autoSchedule(*p, options.autoscheduler, target, error)) &&
      (output == CodegenOutput::Object
           ? emitObject(*p, target, path, headerPath, options.progress, error)
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
