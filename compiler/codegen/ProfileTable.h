//===- ProfileTable.h - what nncc --profile reports per Func ----*- C++ -*-===//
#ifndef NNCC_CODEGEN_PROFILETABLE_H
#define NNCC_CODEGEN_PROFILETABLE_H

#include "dialects/hl/HLOps.h"

#include "llvm/IR/Module.h"

#include <string>
#include <vector>

namespace nncc {

/// An hl.func as the profile reports it: where it came from in the model
/// ("model.graph:13:7 conv2d [1, 14, 14, 576]") and its floating-point
/// operations per evaluation.
struct ProfiledFunc {
  std::string name, where;
  double flops = 0;
};

/// Every hl.func of `op`. An update counts 2 operations (a multiply and an
/// add) per point of the func and of its reduction domain; pure definitions
/// count none, as they move data or apply an activation.
std::vector<ProfiledFunc> profiledFuncs(hl::PipelineOp op);

/// Adds the table of `funcs` (runtime/profile.h's nncc_profile_table) to
/// `module`, and a constructor that registers it with the runtime. `lanes`:
/// the f32 lanes of the target's vectors, which the runtime measures the
/// peak with.
void emitProfileTable(llvm::Module &module, llvm::StringRef model, int lanes,
                      llvm::ArrayRef<ProfiledFunc> funcs);

} // namespace nncc

#endif // NNCC_CODEGEN_PROFILETABLE_H
