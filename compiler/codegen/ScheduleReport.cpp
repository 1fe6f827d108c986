//===- ScheduleReport.cpp - what --emit=report prints ---------------------===//

#include "compiler/codegen/ScheduleReport.h"
#include "compiler/codegen/PipelineGroups.h"
#include "compiler/codegen/SourceLocation.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"

#include <map>

using namespace nncc;

namespace {
/// One stage's loops as its schedule ops set them.
struct StageLoops {
  std::map<std::string, int64_t> splitFactor; // inner var -> factor
  std::string vectorize, parallel;
  std::vector<std::string> unroll;
};

struct FuncSchedule {
  std::string level = "inline";
  std::map<int64_t, StageLoops> stages;
};

double bytes(mlir::ArrayAttr shape) {
  double n = 4;
  for (auto v : shape.getAsValueRange<mlir::IntegerAttr>())
    n *= (double)v.getSExtValue();
  return n;
}

std::string shapeOf(mlir::ArrayAttr shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "[";
  llvm::interleave(
      shape.getAsValueRange<mlir::IntegerAttr>(), os,
      [&](const llvm::APInt &v) { os << v.getSExtValue(); }, "x");
  os << "]";
  return os.str();
}

/// "vector c x16, unroll xi x8 coi x3 (24 accumulators), parallel yo".
std::string describe(const StageLoops &s) {
  std::string out;
  llvm::raw_string_ostream os(out);
  auto factor = [&](const std::string &var) {
    auto it = s.splitFactor.find(var);
    return it == s.splitFactor.end() ? int64_t(0) : it->second;
  };
  int64_t block = 1;
  if (!s.vectorize.empty())
    os << "vector " << s.vectorize << " x" << factor(s.vectorize);
  if (!s.unroll.empty()) {
    os << (s.vectorize.empty() ? "" : ", ") << "unroll";
    for (const std::string &u : s.unroll) {
      os << " " << u << " x" << factor(u);
      block *= std::max<int64_t>(factor(u), 1);
    }
    if (!s.vectorize.empty())
      os << " (" << block << " accumulators)";
  }
  if (!s.parallel.empty())
    os << (out.empty() ? "" : ", ") << "parallel " << s.parallel;
  return os.str();
}

std::map<std::string, FuncSchedule> schedules(hl::PipelineOp pipeline) {
  std::map<std::string, FuncSchedule> out;
  for (mlir::Operation &op : pipeline.getBody().front()) {
    llvm::TypeSwitch<mlir::Operation *>(&op)
        .Case(
            [&](hl::ComputeRootOp r) { out[r.getFunc().str()].level = "root"; })
        .Case([&](hl::ComputeAtOp a) {
          out[a.getFunc().str()].level =
              ("at " + a.getConsumer() + "." + a.getVar()).str();
        })
        .Case([&](hl::SplitOp s) {
          out[s.getFunc().str()]
              .stages[s.getStage()]
              .splitFactor[s.getInner().str()] = s.getFactor();
        })
        .Case([&](hl::VectorizeOp v) {
          out[v.getFunc().str()].stages[v.getStage()].vectorize =
              v.getVar().str();
        })
        .Case([&](hl::UnrollOp u) {
          out[u.getFunc().str()].stages[u.getStage()].unroll.push_back(
              u.getVar().str());
        })
        .Case([&](hl::ParallelOp p) {
          out[p.getFunc().str()].stages[p.getStage()].parallel =
              p.getVar().str();
        });
  }
  return out;
}
} // namespace

void nncc::printScheduleReport(hl::PipelineOp pipeline, llvm::raw_ostream &os) {
  std::map<std::string, FuncSchedule> plans = schedules(pipeline);
  std::vector<PipelineGroup> groups = planGroups(pipeline, kGroupFuncs);
  llvm::StringMap<size_t> groupOf;
  for (size_t g = 0; g < groups.size(); ++g)
    for (const std::string &s : groups[g].symbols)
      groupOf.try_emplace(s, g);
  std::vector<double> rootBytes(groups.size(), 0);
  double weights = 0;
  os << "schedule of " << pipeline.getSymName() << ": " << groups.size()
     << " layer group(s)\n";
  size_t current = groups.size();
  for (mlir::Operation &op : pipeline.getBody().front()) {
    if (auto buffer = llvm::dyn_cast<hl::BufferOp>(op))
      weights += 4.0 * buffer.getValue().getType().getNumElements();
    // Funcs and padded copies (whose size the report leaves out).
    auto func = llvm::dyn_cast<hl::FuncOp>(op);
    auto padded = llvm::dyn_cast<hl::ConstantExteriorOp>(op);
    if (!func && !padded)
      continue;
    llvm::StringRef name = func ? func.getSymName() : padded.getSymName();
    const FuncSchedule &plan = plans[name.str()];
    if (plan.level == "inline")
      continue;
    size_t g = groupOf.lookup(name);
    if (g != current) {
      os << "group " << g << ":\n";
      current = g;
    }
    if (func && plan.level == "root")
      rootBytes[g] += bytes(func.getShape());
    os << "  " << llvm::left_justify(name, 20) << " "
       << llvm::left_justify(sourceLocation(op.getLoc(), /*column=*/false), 24)
       << " "
       << llvm::left_justify(func ? shapeOf(func.getShape()) : "(padded)", 18)
       << " " << plan.level << "\n";
    for (const auto &[index, loops] : plan.stages) {
      std::string loopText = describe(loops);
      if (!loopText.empty())
        os << "      " << (index ? "update: " : "pure:   ") << loopText << "\n";
    }
  }
  double all = 0, peak = 0;
  for (double b : rootBytes) {
    all += b;
    peak = std::max(peak, b);
  }
  os << llvm::format("memory: funcs stored whole %.2f MB in all, at most "
                     "%.2f MB in one group; weights %.2f MB embedded\n",
                     all / 1e6, peak / 1e6, weights / 1e6);
}
