//===- PipelineGroups.cpp - cutting a pipeline into groups ----------------===//

#include "compiler/codegen/PipelineGroups.h"

#include <map>

using namespace mlir;
using namespace nncc;

namespace {

/// What the plan reads of a pipeline: its funcs and boundary conditions in
/// definition order, what each calls, and how they are computed.
struct Graph {
  explicit Graph(hl::PipelineOp pipeline);

  /// The root funcs `name` reads, through funcs computed inside it.
  const std::set<std::string> &rootReads(const std::string &name);
  /// Whether the pipeline may be cut after definition `i`.
  bool cutsAfter(size_t i);
  /// `name` and everything it reads through funcs computed inside it,
  /// inputs and buffers included, into `symbols`.
  void closure(const std::string &name, std::set<std::string> &symbols);

  std::vector<std::string> defs;
  std::map<std::string, size_t> position;
  std::map<std::string, std::set<std::string>> calls;
  std::set<std::string> roots, roundUp, outputs, exteriors;
  std::map<std::string, std::set<std::string>> reads; // memo of rootReads
};

Graph::Graph(hl::PipelineOp pipeline) {
  for (Operation &op : pipeline.getBody().front()) {
    auto noteCalls = [&](StringRef name, Operation *body) {
      body->walk([&](hl::CallOp call) {
        if (call.getCallee() != name)
          calls[name.str()].insert(call.getCallee().str());
      });
      body->walk([&](hl::IndexOp index) {
        calls[name.str()].insert(index.getSource().str());
      });
    };
    if (auto f = dyn_cast<hl::FuncOp>(op)) {
      position[f.getSymName().str()] = defs.size();
      defs.push_back(f.getSymName().str());
      noteCalls(f.getSymName(), f);
    } else if (auto u = dyn_cast<hl::UpdateOp>(op)) {
      noteCalls(u.getFunc(), u);
    } else if (auto ext = dyn_cast<hl::ConstantExteriorOp>(op)) {
      position[ext.getSymName().str()] = defs.size();
      defs.push_back(ext.getSymName().str());
      calls[ext.getSymName().str()].insert(ext.getSource().str());
      exteriors.insert(ext.getSymName().str());
    } else if (auto out = dyn_cast<hl::OutputOp>(op)) {
      outputs.insert(out.getFunc().str());
      roots.insert(out.getFunc().str());
    } else if (auto root = dyn_cast<hl::ComputeRootOp>(op)) {
      roots.insert(root.getFunc().str());
    } else if (auto split = dyn_cast<hl::SplitOp>(op)) {
      if (split.getTail() &&
          hl::symbolizeTail(*split.getTail()) == hl::Tail::RoundUp)
        roundUp.insert(split.getFunc().str());
    }
  }
}

const std::set<std::string> &Graph::rootReads(const std::string &name) {
  auto memo = reads.find(name);
  if (memo != reads.end())
    return memo->second;
  std::set<std::string> found;
  for (const std::string &callee : calls[name]) {
    if (!position.count(callee))
      continue; // an input or buffer
    if (roots.count(callee)) {
      found.insert(callee);
      continue;
    }
    const std::set<std::string> &inner = rootReads(callee);
    found.insert(inner.begin(), inner.end());
  }
  return reads[name] = std::move(found);
}

bool Graph::cutsAfter(size_t i) {
  const std::string &cut = defs[i];
  // A boundary condition has no extent of its own to pass on.
  if (!roots.count(cut) || outputs.count(cut) || roundUp.count(cut) ||
      exteriors.count(cut))
    return false;
  for (size_t j = 0; j <= i; ++j)
    if (outputs.count(defs[j]))
      return false;
  bool read = false;
  for (size_t j = i + 1; j < defs.size(); ++j) {
    if (!roots.count(defs[j]))
      continue;
    for (const std::string &r : rootReads(defs[j])) {
      if (position[r] > i)
        continue;
      if (r != cut || roundUp.count(defs[j]))
        return false;
      read = true;
    }
  }
  return read;
}

void Graph::closure(const std::string &name, std::set<std::string> &symbols) {
  if (!symbols.insert(name).second)
    return;
  for (const std::string &callee : calls[name])
    if (!roots.count(callee))
      closure(callee, symbols);
    else
      symbols.insert(callee); // read from where it is computed
}

} // namespace

std::vector<PipelineGroup> nncc::planGroups(hl::PipelineOp pipeline,
                                            size_t minFuncs) {
  Graph g(pipeline);
  std::vector<size_t> cuts;
  size_t since = 0;
  for (size_t i = 0; i + 1 < g.defs.size(); ++i)
    if (++since >= minFuncs && g.cutsAfter(i)) {
      cuts.push_back(i);
      since = 0;
    }
  // A short last group would only add a call.
  if (!cuts.empty() && since < minFuncs / 2)
    cuts.pop_back();
  std::vector<PipelineGroup> groups(cuts.size() + 1);
  for (size_t k = 0, begin = 0; k < groups.size(); ++k) {
    size_t end = k < cuts.size() ? cuts[k] + 1 : g.defs.size();
    PipelineGroup &group = groups[k];
    if (k > 0)
      group.input = g.defs[cuts[k - 1]];
    if (k < cuts.size())
      group.output = g.defs[cuts[k]];
    for (size_t i = begin; i < end; ++i)
      if (g.roots.count(g.defs[i]))
        g.closure(g.defs[i], group.symbols);
    // The cut value this group reads is an argument, not computed here.
    if (!group.input.empty())
      group.symbols.insert(group.input);
    begin = end;
  }
  return groups;
}
