//===- Codegen.cpp - from hl pipelines to files ---------------------------===//

#include "compiler/codegen/Codegen.h"
#include "compiler/codegen/AutoSchedule.h"
#include "compiler/codegen/ObjectEmitter.h"

#include <unistd.h>
#if defined(__x86_64__)
#include <cpuid.h>
#endif

using namespace nncc;

/// Halide 14 takes any host with AVX512-BF16 and VNNI for a Sapphire Rapids
/// and compiles for LLVM's sapphirerapids CPU, whose AVX512-FP16
/// instructions (vmovw) AMD's Zen 4 and 5 lack: the object dies of SIGILL.
/// A host without AVX512-FP16 gets Cannon Lake's features instead.
static Halide::Target hostTarget() {
  Halide::Target target = Halide::get_host_target();
  bool fp16 = false;
#if defined(__x86_64__)
  unsigned a, b, c, d;
  fp16 = __get_cpuid_count(7, 0, &a, &b, &c, &d) && (d >> 23 & 1);
#endif
  if (target.has_feature(Halide::Target::AVX512_SapphireRapids) && !fp16)
    target = target.without_feature(Halide::Target::AVX512_SapphireRapids);
  return target;
}

static bool parseTarget(const CodegenOptions &options, Halide::Target &target,
                        std::string &error) {
  if (options.target != "host" &&
      !Halide::Target::validate_target_string(options.target)) {
    error = "unknown target '" + options.target + "'";
    return false;
  }
  try {
    target = options.target == "host" ? hostTarget()
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
  model.features = target.to_string();
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
