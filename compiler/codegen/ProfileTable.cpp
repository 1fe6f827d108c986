//===- ProfileTable.cpp - what nncc --profile reports per Func ------------===//

#include "compiler/codegen/ProfileTable.h"
#include "compiler/codegen/CString.h"
#include "compiler/codegen/SourceLocation.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

using namespace nncc;

/// "file.graph:13:7 conv2d [1, 14, 14, 576]": the source location of the op
/// the func came from (an ONNX node's name), the func's name without its numbering, its shape.
static std::string describe(hl::FuncOp f) {
  std::string s;
  llvm::raw_string_ostream os(s);
  std::string where = sourceLocation(f.getLoc(), /*column=*/true);
  if (!where.empty())
    os << where << " ";
  os << f.getSymName().rtrim("0123456789").rtrim('_') << " [";
  llvm::interleaveComma(f.getShape().getAsValueRange<mlir::IntegerAttr>(), os,
                        [&](const llvm::APInt &v) { os << v.getSExtValue(); });
  os << "]";
  return os.str();
}

static double product(mlir::ArrayAttr values) {
  double p = 1;
  for (auto v : values.getAsValueRange<mlir::IntegerAttr>())
    p *= (double)v.getSExtValue();
  return p;
}

std::vector<ProfiledFunc> nncc::profiledFuncs(hl::PipelineOp op) {
  std::vector<ProfiledFunc> funcs;
  llvm::StringMap<size_t> index;
  llvm::StringMap<double> points;
  for (mlir::Operation &o : op.getBody().front()) {
    if (auto f = llvm::dyn_cast<hl::FuncOp>(o)) {
      index[f.getSymName()] = funcs.size();
      points[f.getSymName()] = product(f.getShape());
      funcs.push_back({f.getSymName().str(), describe(f)});
    } else if (auto u = llvm::dyn_cast<hl::UpdateOp>(o)) {
      auto it = index.find(u.getFunc());
      if (it != index.end())
        funcs[it->second].flops +=
            2 * points[u.getFunc()] * product(u.getExtents());
    }
  }
  return funcs;
}

void nncc::emitProfileTable(llvm::Module &module, llvm::StringRef model,
                            int lanes, llvm::ArrayRef<ProfiledFunc> funcs) {
  llvm::LLVMContext &ctx = module.getContext();
  llvm::IRBuilder<> b(ctx);
  llvm::Type *i8p = b.getInt8PtrTy();
  auto string = [&](llvm::StringRef s) {
    return cString(module, s, "nncc.profile.string");
  };
  // struct nncc_profile_func { const char *name, *where; double flops; }
  auto *funcType = llvm::StructType::get(ctx, {i8p, i8p, b.getDoubleTy()});
  std::vector<llvm::Constant *> entries;
  for (const ProfiledFunc &f : funcs)
    entries.push_back(llvm::ConstantStruct::get(
        funcType, {string(f.name), string(f.where),
                   llvm::ConstantFP::get(b.getDoubleTy(), f.flops)}));
  auto *arrayType = llvm::ArrayType::get(funcType, entries.size());
  auto *array = new llvm::GlobalVariable(
      module, arrayType, true, llvm::GlobalValue::PrivateLinkage,
      llvm::ConstantArray::get(arrayType, entries), "nncc.profile.funcs");
  // struct nncc_profile_table { const char *model; int32_t lanes, num_funcs;
  //                             const struct nncc_profile_func *funcs; }
  auto *tableType =
      llvm::StructType::get(ctx, {i8p, b.getInt32Ty(), b.getInt32Ty(),
                                  llvm::PointerType::getUnqual(funcType)});
  auto *table = new llvm::GlobalVariable(
      module, tableType, true, llvm::GlobalValue::PrivateLinkage,
      llvm::ConstantStruct::get(
          tableType, {string(model), b.getInt32(lanes),
                      b.getInt32((int32_t)entries.size()),
                      llvm::ConstantExpr::getBitCast(
                          array, llvm::PointerType::getUnqual(funcType))}),
      "nncc.profile.table");
  // Declared with this table's type; the runtime defines it with its own.
  llvm::FunctionCallee registerFn = module.getOrInsertFunction(
      "nncc_profile_register",
      llvm::FunctionType::get(
          b.getVoidTy(), {llvm::PointerType::getUnqual(tableType)}, false));
  auto *ctor = llvm::Function::Create(
      llvm::FunctionType::get(b.getVoidTy(), false),
      llvm::GlobalValue::InternalLinkage, "nncc.profile.register", module);
  b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", ctor));
  b.CreateCall(registerFn, {table});
  b.CreateRetVoid();
  llvm::appendToGlobalCtors(module, ctor, 65535);
}
