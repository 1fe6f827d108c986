//===- AutoSchedule.cpp - Halide's autoschedulers as a baseline -----------===//
//
// nncc's own schedules are written by the hl-schedule pass; this is the
// comparison the benchmarks make against Halide's published
// autoschedulers, not a path for users' models.
//
//===----------------------------------------------------------------------===//

#include "compiler/codegen/AutoSchedule.h"

#include "llvm/ADT/StringRef.h"

#include <cctype>
#include <set>
#include <thread>

bool nncc::autoSchedule(HalidePipeline &p, const std::string &name,
                        const Halide::Target &target, std::string &error) {
  static std::set<std::string> loaded;
  std::string lower;
  for (char c : name)
    lower += (char)std::tolower((unsigned char)c);
  try {
    // Each plugin registers its autoscheduler when it is loaded.
    if (loaded.insert(lower).second)
      Halide::load_plugin(std::string(NNCC_HALIDE_PLUGIN_DIR) +
                          "/libautoschedule_" + lower + ".so");
    // The parallelism of the machine compiling; the cache size and the
    // cost of a load against an FMA are Halide's generic figures.
    Halide::MachineParams generic = Halide::MachineParams::generic();
    Halide::MachineParams machine(
        (int)std::max(1u, std::thread::hardware_concurrency()),
        generic.last_level_cache_size, generic.balance);
    p.pipeline.auto_schedule(name, target, machine);
    return true;
  } catch (const Halide::Error &e) {
    error = std::string("Halide: ") + llvm::StringRef(e.what()).trim().str();
    return false;
  }
}
