//===- GroupCompiler.cpp - a pipeline's groups compiled on every core -----===//
//
// Lowering and optimising the groups takes most of a model's compile time,
// and each group is independent. They are compiled in child processes, as
// many at a time as the machine has cores, each writing its LLVM module as
// bitcode; the parent links them into the entry point's module. Not
// threads: Halide's lowering draws names from process-wide counters, so
// concurrent groups would get different names from run to run, and the
// object would differ. A child forked from a parent that does no Halide work
// between forks starts from the same state in every run: the object is the
// same on every run and every machine.
//
//===----------------------------------------------------------------------===//

#include "compiler/codegen/GroupCompiler.h"

#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Metadata.h"
#include "llvm/Linker/Linker.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

using namespace nncc;

namespace {
/// A child compiling one group into `bitcode`, or reporting why not in
/// `log`.
struct Child {
  pid_t pid = -1;
  llvm::SmallString<128> bitcode, log;
};

/// In the child: compiles `group` and writes its module; never returns.
[[noreturn]] void compileInChild(HalideGroup &group,
                                 const Halide::Target &target,
                                 const Child &child) {
  std::string error;
  try {
    Halide::Module m = group.pipeline.compile_to_module(
        group.arguments, group.function,
        target.with_feature(Halide::Target::NoRuntime),
        Halide::LinkageType::External);
    llvm::LLVMContext ctx;
    std::unique_ptr<llvm::Module> module =
        Halide::compile_module_to_llvm_module(m, ctx);
    std::error_code ec;
    llvm::raw_fd_ostream os(child.bitcode, ec, llvm::sys::fs::OF_None);
    if (!ec) {
      llvm::WriteBitcodeToFile(*module, os);
      os.close();
      ec = os.error();
      os.clear_error();
    }
    if (!ec)
      _exit(0);
    error = "cannot write '" + child.bitcode.str().str() + "': " + ec.message();
  } catch (const Halide::Error &e) {
    error = e.what();
  } catch (const std::exception &e) {
    error = e.what();
  }
  std::error_code ec;
  llvm::raw_fd_ostream log(child.log, ec, llvm::sys::fs::OF_None);
  if (!ec) {
    log << error;
    log.close();
    log.clear_error();
  }
  _exit(1);
}

/// Halide marks a module holding strict_float code (a NaN test), whose
/// object must then honour each instruction's float flags rather than
/// global fast-math options. The linker would keep the entry point's mark
/// (and warn): both modules get the mark if either has it.
void unifyStrictFloat(llvm::Module &entry, llvm::Module &group) {
  static constexpr llvm::StringLiteral kFlag =
      "halide_per_instruction_fast_math_flags";
  auto marked = [](llvm::Module &m) {
    auto *flag = llvm::mdconst::extract_or_null<llvm::ConstantInt>(
        m.getModuleFlag(kFlag));
    return flag && !flag->isZero();
  };
  bool strict = marked(entry) || marked(group);
  for (llvm::Module *m : {&entry, &group})
    m->setModuleFlag(llvm::Module::Warning, kFlag,
                     llvm::ConstantAsMetadata::get(llvm::ConstantInt::get(
                         llvm::Type::getInt32Ty(m->getContext()), strict)));
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
                         llvm::Module &entry, std::string &error) {
  // The cores this process may run on (its affinity), not the machine's.
  size_t cores = llvm::hardware_concurrency().compute_thread_count();
  std::vector<Child> children(p.groups.size());
  // Children reaped by the system (SIGCHLD ignored by whoever started us)
  // could not be waited for.
  signal(SIGCHLD, SIG_DFL);
  size_t started = 0, waited = 0;
  bool ok = true;
  // Waits for the oldest child still running; the first failure is kept.
  auto waitOldest = [&] {
    std::string childError;
    if (!wait(children[waited++], childError) && ok) {
      error = childError;
      ok = false;
    }
  };
  for (; started < children.size() && ok; ++started) {
    Child &c = children[started];
    if (llvm::sys::fs::createTemporaryFile("nncc-group", "bc", c.bitcode) ||
        llvm::sys::fs::createTemporaryFile("nncc-group", "log", c.log)) {
      error = "cannot create a temporary file";
      ok = false;
      break;
    }
    if (started - waited == cores)
      waitOldest();
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
  while (waited < started)
    waitOldest();
  for (size_t i = 0; i < children.size() && ok; ++i) {
    auto buffer = llvm::MemoryBuffer::getFile(children[i].bitcode);
    llvm::Expected<std::unique_ptr<llvm::Module>> module =
        buffer ? llvm::parseBitcodeFile((*buffer)->getMemBufferRef(),
                                        entry.getContext())
               : llvm::Expected<std::unique_ptr<llvm::Module>>(
                     llvm::errorCodeToError(buffer.getError()));
    if (!module) {
      error = "internal error: reading a group's module: " +
              llvm::toString(module.takeError());
      ok = false;
      break;
    }
    unifyStrictFloat(entry, **module);
    if (llvm::Linker::linkModules(entry, std::move(*module))) {
      error = "internal error: linking a group's module";
      ok = false;
    } else if (llvm::Function *f = entry.getFunction(p.groups[i].function)) {
      // Called only by the entry point's extern stages.
      f->setLinkage(llvm::GlobalValue::InternalLinkage);
    }
  }
  for (Child &c : children) {
    if (!c.bitcode.empty())
      llvm::sys::fs::remove(c.bitcode);
    if (!c.log.empty())
      llvm::sys::fs::remove(c.log);
  }
  return ok;
}
