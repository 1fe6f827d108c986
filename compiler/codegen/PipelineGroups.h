//===- PipelineGroups.h - cutting a pipeline into groups --------*- C++ -*-===//
//
// Halide's lowering time grows faster than the number of funcs in one
// pipeline (mobilenet_v2's 150: 18 s; its first 30: 2 s). A scheduled hl
// pipeline is therefore cut into groups, each lowered as a pipeline of its
// own, and the model's entry point runs them as extern stages in order.
//
// A cut follows a func (not a boundary condition) computed at root that is
// the only value live across it: every later func reads nothing else
// computed before the cut (the model's inputs and constants aside), so each
// group takes one intermediate in and gives one out, and the entry point's
// Halide pipeline allocates it and asks each group, through Halide's bounds
// queries, what it reads. No cut falls before a model output, nor where a
// func reads a cut value past its end (a reduction's blocks computed past
// the end, `round_up`).
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_CODEGEN_PIPELINEGROUPS_H
#define NNCC_CODEGEN_PIPELINEGROUPS_H

#include "dialects/hl/HLOps.h"

#include <set>
#include <string>
#include <vector>

namespace nncc {

/// One group: the symbols it defines or reads (funcs, boundary conditions,
/// inputs, buffers), the cut value it reads ("" for the first), and the one
/// it gives to the next ("" for the last, which writes the model's outputs).
struct PipelineGroup {
  std::set<std::string> symbols;
  std::string input, output;
};

/// Groups of at least this many funcs and boundary conditions, about two
/// layers: lowering time grows faster than a pipeline's funcs, while a
/// group costs one extern call.
constexpr size_t kGroupFuncs = 8;

/// The groups of `pipeline`, in order, each of at least `minFuncs` funcs
/// where a valid cut allows; one group when none does.
std::vector<PipelineGroup> planGroups(hl::PipelineOp pipeline, size_t minFuncs);

} // namespace nncc

#endif // NNCC_CODEGEN_PIPELINEGROUPS_H
