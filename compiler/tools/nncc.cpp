//===- nncc.cpp - the nncc compiler driver --------------------------------===//
//
//   nncc MODEL.graph [--weights W] [-o MODEL.o] [--header MODEL.h] [--target T]
//        [--no-runtime] [--emit=ast|nn-raw|nn|hl|stmt|asm|obj]
//        [--schedule=nncc|auto|mullapudi2016|adams2019|li2018]
//   nncc --emit=runtime -o rt.o [--target T]
//
// MODEL may also be a .mlir file holding nn functions (compiled as a model
// is) or hl pipelines (emitted as scheduled). Every error in the input is
// printed as FILE:LINE:COL: error: MESSAGE with the source line and a caret,
// and nncc exits with status 1.
//
//===----------------------------------------------------------------------===//

#include "compiler/codegen/Codegen.h"
#include "compiler/codegen/OutputFile.h"
#include "compiler/codegen/ScheduleReport.h"
#include "compiler/conversion/Passes.h"
#include "compiler/frontend/Diagnostics.h"
#include "compiler/frontend/MLIRGen.h"
#include "compiler/frontend/MLIRInput.h"
#include "compiler/frontend/Parser.h"
#include "compiler/onnx/ONNXImport.h"
#include "compiler/schedule/Passes.h"
#include "compiler/transforms/BindWeights.h"
#include "compiler/transforms/Passes.h"
#include "dialects/hl/HLDialect.h"
#include "dialects/nn/NNDialect.h"

#include "mlir/Dialect/StandardOps/IR/Ops.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

#include <optional>

using namespace llvm;

namespace {
enum class Emit { AST, NNRaw, NN, HL, Report, Stmt, Asm, Obj, Runtime };

// --help lists these; LLVM's and MLIR's options still work, unlisted.
cl::OptionCategory ioOptions("Input and output");
cl::OptionCategory codegenOptions("Code generation");

cl::opt<std::string> inputFile(cl::Positional,
                               cl::desc("<model.graph|model.onnx|model.mlir>"),
                               cl::cat(ioOptions));
cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                cl::value_desc("file"), cl::cat(ioOptions));
cl::opt<std::string> headerFile("header",
                                cl::desc("C header path (default: beside -o)"),
                                cl::value_desc("file"), cl::cat(ioOptions));
cl::opt<std::string>
    weightsFile("weights",
                cl::desc(".safetensors or .npz file holding every param"),
                cl::value_desc("file"), cl::cat(ioOptions));
cl::opt<bool> paramsAsInputs(
    "params-as-inputs",
    cl::desc("For an .onnx model: its initializers become arguments of the "
             "compiled model rather than embedded weights"),
    cl::cat(ioOptions));
cl::list<std::string> inputShapes(
    "input-shape",
    cl::desc("For an .onnx model: the shape of an input with dynamic "
             "dimensions (repeatable)"),
    cl::value_desc("NAME=1x3x224x224"), cl::cat(ioOptions));
cl::opt<std::string> target("target", cl::desc("Halide target string"),
                            cl::init("host"), cl::cat(codegenOptions));
cl::opt<std::string> scheduleKind(
    "schedule",
    cl::desc("Whose schedule: nncc (default), or one of Halide's "
             "autoschedulers as a baseline: auto (= mullapudi2016), "
             "mullapudi2016, adams2019, li2018"),
    cl::init("nncc"), cl::cat(codegenOptions));
cl::opt<bool> printONNXOps(
    "print-onnx-ops",
    cl::desc("Print the ONNX op types the importer converts and exit"),
    cl::cat(ioOptions));
cl::opt<bool> printTarget(
    "print-target",
    cl::desc("Print the target model the schedule works from and exit"),
    cl::cat(codegenOptions));
cl::opt<bool> noWinograd(
    "no-winograd",
    cl::desc("Compute 3x3 convolutions directly, not in Winograd's "
             "F(2x2, 3x3) (which takes fewer multiplications and rounds "
             "differently)"),
    cl::cat(codegenOptions));
cl::opt<bool> noRuntime("no-runtime",
                        cl::desc("Leave the Halide runtime and nncc_* "
                                 "helpers out of the object"),
                        cl::cat(codegenOptions));
cl::opt<bool> profile(
    "profile",
    cl::desc("Time every layer with Halide's profiler: the app prints the "
             "report with nncc_print_profile(), or at exit with "
             "NNCC_PROFILE=1"),
    cl::cat(codegenOptions));
cl::opt<bool> printWeights(
    "print-weights",
    cl::desc("With --emit=nn-raw|nn|hl: print the weights in full rather "
             "than eliding large constants"),
    cl::cat(ioOptions));
/// Constants larger than this are elided from printed IR unless
/// --print-weights: the weights of a real model are megabytes of hex.
constexpr int64_t kElideElementsOver = 1024;
cl::opt<Emit> emit(
    "emit", cl::desc("What to produce (default: obj)"), cl::init(Emit::Obj),
    cl::values(
        clEnumValN(Emit::AST, "ast", "the parsed program, parenthesised"),
        clEnumValN(Emit::NNRaw, "nn-raw",
                   "nn dialect as built from the source"),
        clEnumValN(Emit::NN, "nn", "nn dialect after the graph passes"),
        clEnumValN(Emit::HL, "hl", "hl dialect: Halide algorithm and schedule"),
        clEnumValN(Emit::Report, "report",
                   "the schedule per layer group and func, and the memory "
                   "of intermediates and weights"),
        clEnumValN(Emit::Stmt, "stmt", "Halide's lowered statement"),
        clEnumValN(Emit::Asm, "asm", "assembly"),
        clEnumValN(Emit::Obj, "obj", "object file and C header"),
        clEnumValN(Emit::Runtime, "runtime",
                   "the Halide runtime and nncc_* helpers alone")),
    cl::cat(ioOptions));

int fail(const Twine &message) {
  WithColor::error(errs(), "nncc") << message << "\n";
  return 1;
}

/// The Halide autoscheduler --schedule names ("" for nncc's own), or
/// std::nullopt for a name it does not know.
std::optional<std::string> autoschedulerName(StringRef kind) {
  return StringSwitch<std::optional<std::string>>(kind)
      .Case("nncc", std::string())
      .Cases("auto", "mullapudi2016", std::string("Mullapudi2016"))
      .Case("adams2019", std::string("Adams2019"))
      .Case("li2018", std::string("Li2018"))
      .Default(std::nullopt);
}

/// The module as text, weights elided unless --print-weights.
void printModule(mlir::ModuleOp module, raw_ostream &os) {
  mlir::OpPrintingFlags flags;
  if (!printWeights)
    flags.elideLargeElementsAttrs(kElideElementsOver);
  module.print(os, flags);
}

void printVersion(raw_ostream &os) {
  os << "nncc " NNCC_VERSION "\n  LLVM and MLIR " LLVM_VERSION_STRING
        "\n  Halide " NNCC_HALIDE_VERSION "\n";
}

/// A long compile's stage on one line of the terminal, rewritten as it
/// goes and erased at the end; nothing unless stderr is a terminal.
class TerminalProgress {
public:
  TerminalProgress() : shown(sys::Process::StandardErrIsDisplayed()) {}
  ~TerminalProgress() {
    if (shown && written)
      errs() << "\r\x1b[K";
  }
  void operator()(StringRef stage, size_t done, size_t total) {
    if (!shown)
      return;
    errs() << "\r\x1b[Knncc: " << stage;
    if (total)
      errs() << " " << done << "/" << total;
    errs().flush();
    written = true;
  }

private:
  bool shown, written = false;
};

/// Text output: -o or standard output.
bool printTo(function_ref<void(raw_ostream &)> print) {
  std::string text, error;
  raw_string_ostream os(text);
  print(os);
  if (!nncc::writeOutput(outputFile.empty() ? std::string("-")
                                            : outputFile.getValue(),
                         os.str(), error)) {
    fail(error);
    return false;
  }
  return true;
}

/// Objects default to the input's name in the current directory, headers to
/// the object's path with `.h`.
std::string objectPath() {
  if (!outputFile.empty())
    return outputFile;
  return sys::path::stem(inputFile).str() + ".o";
}
std::string headerPath(const std::string &object) {
  if (!headerFile.empty())
    return headerFile;
  SmallString<128> path(object);
  sys::path::replace_extension(path, "h");
  return path.str().str();
}

/// Whether `a` and `b` name the same regular file, existing or not.
bool sameFile(StringRef a, StringRef b) {
  if (a == "-" || b == "-")
    return false;
  bool same = false;
  if (!sys::fs::equivalent(a, b, same))
    return same && sys::fs::is_regular_file(a);
  SmallString<128> x(a), y(b);
  sys::fs::make_absolute(x);
  sys::fs::make_absolute(y);
  sys::path::remove_dots(x, /*remove_dot_dot=*/true);
  sys::path::remove_dots(y, /*remove_dot_dot=*/true);
  return x == y;
}

/// An error for outputs that would overwrite the model, its weights or each
/// other; "" if there is none.
std::string clobbered(ArrayRef<std::string> outputs) {
  for (size_t i = 0; i < outputs.size(); ++i) {
    for (const std::string &source :
         {inputFile.getValue(), weightsFile.getValue()})
      if (!source.empty() && sameFile(outputs[i], source))
        return "output '" + outputs[i] + "' would overwrite '" + source + "'";
    for (size_t j = 0; j < i; ++j)
      if (sameFile(outputs[i], outputs[j]))
        return "the object and the header would both be written to '" +
               outputs[i] + "'";
  }
  return "";
}

/// Parses the input (graph language or MLIR) into a module; with
/// --emit=ast, prints the AST instead (`printed`: whether that worked).
/// The options of an ONNX import; false after reporting a bad
/// --input-shape.
bool importOptions(nncc::ImportOptions &options) {
  options.paramsAsInputs = paramsAsInputs;
  for (StringRef spec : inputShapes) {
    auto [name, dims] = spec.rsplit('=');
    std::vector<int64_t> shape;
    SmallVector<StringRef, 4> parts;
    dims.split(parts, 'x');
    bool ok = !name.empty() && !dims.empty();
    for (StringRef part : parts) {
      int64_t d;
      ok = ok && !part.getAsInteger(10, d) && d > 0;
      shape.push_back(ok ? d : 0);
    }
    if (!ok) {
      fail("--input-shape '" + spec + "' is not NAME=DxDx...: positive " +
           "sizes separated by 'x'");
      return false;
    }
    options.inputShapes[name.str()] = shape;
  }
  return true;
}

mlir::OwningOpRef<mlir::ModuleOp>
load(mlir::MLIRContext &context, StringRef text, bool &isGraph, bool &printed) {
  isGraph = !StringRef(inputFile).endswith(".mlir");
  if (!isGraph)
    return nncc::parseMLIR(context, text, inputFile);
  if (StringRef(inputFile).endswith(".onnx")) {
    nncc::ImportOptions options;
    if (!importOptions(options))
      return nullptr;
    return nncc::importONNX(context, inputFile, text, options);
  }
  nncc::Parser parser(text);
  std::unique_ptr<nncc::Module> ast = parser.parseModule();
  if (!ast) {
    const nncc::SyntaxError &err = parser.error();
    mlir::emitError(mlir::FileLineColLoc::get(&context, inputFile, err.loc.line,
                                              err.loc.col))
        << err.message;
    return nullptr;
  }
  if (emit == Emit::AST) {
    printed = printTo([&](raw_ostream &os) { nncc::dump(*ast, os); });
    return nullptr;
  }
  // The weights file's names and shapes, for params declared without a
  // shape and for module prefixes; its values are read once the model
  // says which it needs.
  nncc::WeightNames names;
  std::string error;
  if (!weightsFile.empty() && !names.load(weightsFile, error)) {
    mlir::emitError(mlir::FileLineColLoc::get(&context, weightsFile, 1, 1))
        << error;
    return nullptr;
  }
  return nncc::mlirGen(context, *ast, inputFile, names);
}
} // namespace

int main(int argc, char **argv) {
  // -mlir-print-debuginfo and friends, so tests can see every op's location.
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  cl::HideUnrelatedOptions({&ioOptions, &codegenOptions});
  cl::SetVersionPrinter(printVersion);
  cl::ParseCommandLineOptions(argc, argv, "nncc: neural-network compiler\n");

  nncc::CodegenOptions codegen;
  codegen.target = target;
  codegen.runtime = !noRuntime;
  codegen.profile = profile;
  TerminalProgress progress;
  codegen.progress = std::ref(progress);
  if (std::optional<std::string> name = autoschedulerName(scheduleKind))
    codegen.autoscheduler = *name;
  else
    return fail("unknown --schedule '" + scheduleKind +
                "' (nncc, auto, mullapudi2016, adams2019, li2018)");
  if (printONNXOps) {
    for (const std::string &op : nncc::supportedONNXOps())
      outs() << op << "\n";
    return 0;
  }
  std::string error;
  nncc::TargetModel model;
  if (!nncc::targetModel(codegen, model, error))
    return fail(error);
  if (printTarget) {
    outs() << "target: " << target << "\nHalide target: " << model.features
           << "\nvector width: " << model.vectorWidth
           << " f32 lanes\nvector registers: " << model.registers
           << "\nL1 data cache: " << model.l1Bytes / 1024
           << " KiB\nL2 cache: " << model.l2Bytes / 1024 << " KiB\n";
    return 0;
  }

  if (emit == Emit::Runtime) {
    if (outputFile.empty())
      return fail("--emit=runtime needs -o FILE");
    codegen.runtime = true;
    if (failed(nncc::emitRuntimeObject(codegen, outputFile, error)))
      return fail(error);
    return 0;
  }
  if (inputFile.empty())
    return fail("no input file");
  std::vector<std::string> outputs = {outputFile};
  if (emit == Emit::Obj)
    outputs = {objectPath(), headerPath(objectPath())};
  std::string clash = clobbered(outputs);
  if (!clash.empty())
    return fail(clash);

  auto buffer = MemoryBuffer::getFileOrSTDIN(inputFile, /*IsText=*/true);
  if (std::error_code ec = buffer.getError())
    return fail("cannot open '" + inputFile + "': " + ec.message());
  StringRef text = (*buffer)->getBuffer();

  mlir::MLIRContext context;
  nncc::loadMLIRDialects(context);
  context.printOpOnDiagnostic(false);
  nncc::SourceDiagnosticPrinter diagnostics(context, inputFile, text, errs());

  bool isGraph, printed = false;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      load(context, text, isGraph, printed);
  if (!module)
    return printed ? 0 : 1;
  if (emit == Emit::NNRaw)
    return printTo([&](raw_ostream &os) { printModule(*module, os); }) ? 0 : 1;

  if (!weightsFile.empty()) {
    llvm::StringMap<nncc::StoredTensor> weights;
    if (!nncc::readWeights(weightsFile, weights, nncc::paramBytes(*module),
                           error)) {
      // A binary file has no lines: its errors are located at its start.
      mlir::emitError(mlir::FileLineColLoc::get(&context, weightsFile, 1, 1))
          << error;
      return 1;
    }
    for (mlir::FuncOp func : module->getOps<mlir::FuncOp>())
      if (failed(nncc::bindWeights(func, weights, weightsFile)))
        return 1;
  }

  // Graph passes, then lowering and scheduling of what is still nn; hl
  // pipelines read from a .mlir file keep their own schedules.
  bool hasNN = isGraph || !module->getOps<mlir::FuncOp>().empty();
  mlir::PassManager pm(&context);
  pm.addPass(mlir::createCanonicalizerPass());
  pm.addNestedPass<mlir::FuncOp>(nncc::createRecognizeDecomposedPass());
  pm.addNestedPass<mlir::FuncOp>(nncc::createRecognizeAttentionPass());
  pm.addNestedPass<mlir::FuncOp>(nncc::createFoldAffinePass());
  pm.addNestedPass<mlir::FuncOp>(nncc::createHoistSlicesPass());
  if (emit != Emit::NN && hasNN) {
    pm.addNestedPass<mlir::FuncOp>(nncc::createConvTransposeAsConvPass());
    pm.addNestedPass<mlir::FuncOp>(
        nncc::createChannelsLastPass(model.vectorWidth));
    if (!noWinograd)
      pm.addNestedPass<mlir::FuncOp>(nncc::createConvAsWinogradPass(
          model.minWeightReuse(), model.vectorWidth));
    pm.addNestedPass<mlir::FuncOp>(
        nncc::createLinearToMatmulPass(model.panelColumns()));
    pm.addPass(nncc::createConvertNNToHLPass());
    if (codegen.autoscheduler.empty())
      pm.addPass(nncc::createHLSchedulePass(model));
  }
  progress("graph passes and scheduling", 0, 0);
  if (failed(pm.run(*module)))
    return 1;
  if (emit == Emit::NN || emit == Emit::HL)
    return printTo([&](raw_ostream &os) { printModule(*module, os); }) ? 0 : 1;

  auto pipelines = module->getOps<nncc::hl::PipelineOp>();
  if (pipelines.empty())
    return fail("'" + inputFile + "' holds no model to compile");
  nncc::hl::PipelineOp pipeline = *pipelines.begin();
  if (emit == Emit::Report)
    return printTo([&](raw_ostream &os) {
      nncc::printScheduleReport(pipeline, os);
    })
               ? 0
               : 1;
  if (emit == Emit::Obj) {
    std::string object = objectPath();
    return failed(nncc::emitPipeline(pipeline, codegen,
                                     nncc::CodegenOutput::Object, object,
                                     headerPath(object)));
  }
  std::string path =
      outputFile.empty() ? std::string("-") : outputFile.getValue();
  return failed(nncc::emitPipeline(pipeline, codegen,
                                   emit == Emit::Asm
                                       ? nncc::CodegenOutput::Assembly
                                       : nncc::CodegenOutput::Stmt,
                                   path, ""));
}
