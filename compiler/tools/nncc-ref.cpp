//===- nncc-ref.cpp - check a compiled model against the reference --------===//
//
//   nncc-ref MODEL.graph DATA [--weights W] [--tolerance T]
//
// DATA holds every argument of one call of the compiled model, inputs and
// params as it read them and outputs as it wrote them (test/e2e/Inputs/
// run_model.c writes it). The model is evaluated in double on the same
// inputs and each output compared. The error of an element is
// |got - ref| / max(|ref|, 1e-2 * max|ref|): relative, except that
// elements under 1% of the tensor's largest are judged against that 1%.
// Exit status 0 when every output is within the tolerance.
//
// DATA: "NNCC", u32 count, then per tensor u32 kind (0 input, 1 param,
// 2 output), u32 type (0 f32, 1 i32), u32 rank, i64 dims[rank], then the
// values, f32 or i32 (little-endian).
//
//===----------------------------------------------------------------------===//

#include "compiler/frontend/Diagnostics.h"
#include "compiler/frontend/MLIRGen.h"
#include "compiler/frontend/Parser.h"
#include "compiler/reference/Evaluator.h"
#include "compiler/transforms/BindWeights.h"
#include "dialects/nn/NNDialect.h"

#include "mlir/Dialect/StandardOps/IR/Ops.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/WithColor.h"

#include <cmath>
#include <cstring>

using namespace llvm;

static cl::opt<std::string> modelFile(cl::Positional, cl::Required,
                                      cl::desc("<model.graph>"));
static cl::opt<std::string> dataFile(cl::Positional, cl::Required,
                                     cl::desc("<data>"));
static cl::opt<std::string>
    weightsFile("weights", cl::desc("the weights the model was compiled with"),
                cl::value_desc("file"));
static cl::opt<double> tolerance("tolerance", cl::init(1e-4),
                                 cl::desc("largest error allowed"));

static int fail(const Twine &message) {
  WithColor::error(errs(), "nncc-ref") << message << "\n";
  return 1;
}

namespace {
struct Record {
  uint32_t kind;
  nncc::Tensor tensor;
};

bool readData(StringRef bytes, std::vector<Record> &records) {
  size_t pos = 0;
  auto take = [&](void *out, size_t n) {
    if (pos + n > bytes.size())
      return false;
    if (n) // an empty tensor's data is null
      std::memcpy(out, bytes.data() + pos, n);
    pos += n;
    return true;
  };
  char magic[4];
  uint32_t count;
  if (!take(magic, 4) || std::memcmp(magic, "NNCC", 4) || !take(&count, 4))
    return false;
  for (uint32_t i = 0; i < count; ++i) {
    Record r;
    uint32_t type, rank;
    if (!take(&r.kind, 4) || !take(&type, 4) || type > 1 || !take(&rank, 4) ||
        rank > 16)
      return false;
    r.tensor.shape.resize(rank);
    if (!take(r.tensor.shape.data(), rank * 8))
      return false;
    std::vector<float> floats(type == 0 ? r.tensor.size() : 0);
    std::vector<int32_t> ints(type == 1 ? r.tensor.size() : 0);
    if (!take(floats.data(), floats.size() * 4) ||
        !take(ints.data(), ints.size() * 4))
      return false;
    if (type == 0)
      r.tensor.data.assign(floats.begin(), floats.end());
    else
      r.tensor.data.assign(ints.begin(), ints.end());
    records.push_back(std::move(r));
  }
  return pos == bytes.size();
}
} // namespace

int main(int argc, char **argv) {
  cl::ParseCommandLineOptions(argc, argv, "nncc reference checker\n");
  auto model = MemoryBuffer::getFile(modelFile, /*IsText=*/true);
  if (!model)
    return fail("cannot open '" + modelFile + "'");
  auto data = MemoryBuffer::getFile(dataFile);
  if (!data)
    return fail("cannot open '" + dataFile + "'");
  std::vector<Record> records;
  if (!readData((*data)->getBuffer(), records))
    return fail("'" + dataFile + "' is not a valid data file");

  mlir::MLIRContext context;
  nncc::SourceDiagnosticPrinter diagnostics(context, modelFile,
                                            (*model)->getBuffer(), errs());
  nncc::Parser parser((*model)->getBuffer());
  auto ast = parser.parseModule();
  if (!ast)
    return fail(parser.error().message);
  nncc::WeightNames weightNames;
  std::string error;
  if (!weightsFile.empty() && !weightNames.load(weightsFile, error))
    return fail(weightsFile + ": " + error);
  auto module = nncc::mlirGen(context, *ast, modelFile, weightNames);
  if (!module)
    return 1;
  mlir::FuncOp func = *module->getOps<mlir::FuncOp>().begin();
  if (!weightsFile.empty()) {
    llvm::StringMap<nncc::StoredTensor> weights;
    std::string error;
    if (!nncc::readWeights(weightsFile, weights, nncc::paramBytes(*module),
                           error))
      return fail(weightsFile + ": " + error);
    if (mlir::failed(nncc::bindWeights(func, weights, weightsFile)))
      return 1;
  }

  std::vector<nncc::Tensor> args, got;
  std::vector<std::string> names;
  for (Record &r : records)
    (r.kind == 2 ? got : args).push_back(std::move(r.tensor));
  if (args.size() != func.getNumArguments() ||
      got.size() != func.getNumResults())
    return fail("the data does not match the model's arguments");
  auto expected = nncc::evaluate(func, args);
  if (mlir::failed(expected))
    return 1;

  bool ok = true;
  for (size_t i = 0; i < got.size(); ++i) {
    const nncc::Tensor &ref = (*expected)[i], &out = got[i];
    auto name = func.getResultAttrOfType<mlir::StringAttr>(i, "nn.name");
    double largest = 0, worst = 0;
    for (double v : ref.data)
      if (std::isfinite(v))
        largest = std::max(largest, std::fabs(v));
    int64_t worstAt = 0;
    for (int64_t j = 0; j < ref.size(); ++j) {
      double floor = std::max(1e-2 * largest, 1e-30);
      double got = out.data[j], want = ref.data[j];
      // NaN and infinities must match exactly; they have no relative error.
      double err =
          !std::isfinite(got) || !std::isfinite(want)
              ? (got == want || (std::isnan(got) && std::isnan(want))
                     ? 0
                     : INFINITY)
              : std::fabs(got - want) / std::max(std::fabs(want), floor);
      if (!(err <= worst) || std::isnan(err)) { // NaN counts as the worst
        worst = std::isnan(err) ? INFINITY : err;
        worstAt = j;
      }
    }
    bool pass = worst <= tolerance;
    ok &= pass;
    outs() << (pass ? "ok   " : "FAIL ") << "output "
           << (name ? name.getValue() : "?") << ": max error "
           << format("%.3g", worst) << " over " << ref.size() << " elements";
    if (!pass)
      outs() << " (at " << worstAt << ": got " << out.data[worstAt]
             << ", expected " << ref.data[worstAt] << ")";
    outs() << "\n";
  }
  return ok ? 0 : 1;
}
