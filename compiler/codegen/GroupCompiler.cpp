//===- GroupCompiler.cpp - a pipeline's groups compiled on every core -----===//
//
// Lowering a group and generating its machine code take most of a model's
// compile time, and each group is independent. They are compiled in child
// processes, as many at a time as the machine has cores, each writing an
// object file that the caller joins with the entry point's. Not threads:
// Halide's lowering draws names from process-wide counters, so concurrent
// groups would get different names from run to run, and the object would
// differ. Every child is forked at the same point of the parent's work in
// every run, so it starts from the same state: the object is the same on
// every run and every machine.
//
//===----------------------------------------------------------------------===//

#include "compiler/codegen/GroupCompiler.h"
#include "compiler/codegen/ObjectCode.h"
#include "compiler/codegen/OutputFile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Threading.h"

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

using namespace nncc;

namespace {
/// A child compiling one group into `object`, or reporting why not in
/// `log`.
struct Child {
  pid_t pid = -1;
  llvm::SmallString<128> object, log;
};

/// The object of `group`: its function and what it defines are hidden,
/// called only by the entry point's extern stages in the same object.
bool compileGroup(HalideGroup &group, const Halide::Target &target,
                  llvm::SmallVectorImpl<char> &object, std::string &error) {
  Halide::Module m = group.pipeline.compile_to_module(
      group.arguments, group.function,
      target.with_feature(Halide::Target::NoRuntime),
      Halide::LinkageType::External);
  llvm::LLVMContext ctx;
  std::unique_ptr<llvm::Module> module =
      Halide::compile_module_to_llvm_module(m, ctx);
  for (llvm::GlobalValue &g : module->global_values())
    if (!g.isDeclaration() && !g.hasLocalLinkage())
      g.setVisibility(llvm::GlobalValue::HiddenVisibility);
  return emitObjectCode(*module, object, error);
}

/// In the child: compiles `group` and writes its object; never returns.
[[noreturn]] void compileInChild(HalideGroup &group,
                                 const Halide::Target &target,
                                 const Child &child) {
  std::string error;
  try {
    llvm::SmallVector<char, 0> object;
    if (compileGroup(group, target, object, error) &&
        writeOutput(child.object.str().str(),
                    llvm::StringRef(object.data(), object.size()), error))
      _exit(0);
  } catch (const Halide::Error &e) {
    error = e.what();
  } catch (const std::exception &e) {
    error = e.what();
  }
  // If even the log cannot be written, the parent reports a generic error.
  std::string unwritten;
  writeOutput(child.log.str().str(), error, unwritten);
  _exit(1);
}

/// Waits for `child`; false with `error` set if it failed.
bool wait(const Child &child, std::string &error) {
  int status = 0;
  pid_t done;
  while ((done = waitpid(child.pid, &status, 0)) < 0 && errno == EINTR)
    ;
  if (done == child.pid && WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return true;
  auto log = llvm::MemoryBuffer::getFile(child.log);
  error = log && !(*log)->getBuffer().empty()
              ? (*log)->getBuffer().str()
              : "internal error: compiling a group of the model failed";
  return false;
}
} // namespace

bool nncc::compileGroups(HalidePipeline &p, const Halide::Target &target,
                         llvm::function_ref<bool()> meanwhile,
                         const Progress &progress,
                         std::vector<std::string> &objects,
                         std::string &error) {
  // The cores this process may run on (its affinity), not the machine's.
  size_t cores = llvm::hardware_concurrency().compute_thread_count();
  std::vector<Child> children(p.groups.size());
  // Children reaped by the system (SIGCHLD ignored by whoever started us)
  // could not be waited for.
  signal(SIGCHLD, SIG_DFL);
  size_t started = 0, waited = 0;
  bool ok = true, ranMeanwhile = false;
  // Waits for the oldest child still running; the first failure is kept.
  auto waitOldest = [&] {
    std::string childError;
    if (!wait(children[waited++], childError) && ok) {
      error = childError;
      ok = false;
    }
    if (progress)
      progress("compiling layer groups", waited, children.size());
  };
  // This process's own work, once the first children have started: always
  // at the same point, before any child has been waited for.
  auto runMeanwhile = [&] {
    ranMeanwhile = true;
    ok = meanwhile() && ok;
  };
  for (; started < children.size() && ok; ++started) {
    Child &c = children[started];
    if (llvm::sys::fs::createTemporaryFile("nncc-group", "o", c.object) ||
        llvm::sys::fs::createTemporaryFile("nncc-group", "log", c.log)) {
      error = "cannot create a temporary file";
      ok = false;
      break;
    }
    if (started - waited == cores) {
      if (!ranMeanwhile)
        runMeanwhile();
      if (ok)
        waitOldest();
    }
    if (!ok)
      break;
    c.pid = fork();
    if (c.pid == 0)
      compileInChild(p.groups[started], target, c);
    if (c.pid < 0) {
      error = "cannot start a process to compile a group: " +
              std::string(strerror(errno));
      ok = false;
      break;
    }
  }
  if (ok && !ranMeanwhile)
    runMeanwhile();
  while (waited < started)
    waitOldest();
  for (Child &c : children) {
    if (!c.object.empty())
      objects.push_back(c.object.str().str());
    if (!c.log.empty())
      llvm::sys::fs::remove(c.log);
  }
  return ok;
}
