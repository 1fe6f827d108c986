//===- CString.h - a C string constant in an LLVM module --------*- C++ -*-===//
#ifndef NNCC_CODEGEN_CSTRING_H
#define NNCC_CODEGEN_CSTRING_H

#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Module.h"

namespace nncc {

/// `s` as a private NUL-terminated constant of `module`, as an i8*.
inline llvm::Constant *cString(llvm::Module &module, llvm::StringRef s,
                               const llvm::Twine &name) {
  llvm::LLVMContext &ctx = module.getContext();
  auto *global = new llvm::GlobalVariable(
      module, llvm::ArrayType::get(llvm::Type::getInt8Ty(ctx), s.size() + 1),
      true, llvm::GlobalValue::PrivateLinkage,
      llvm::ConstantDataArray::getString(ctx, s), name);
  return llvm::ConstantExpr::getBitCast(global, llvm::Type::getInt8PtrTy(ctx));
}

} // namespace nncc

#endif // NNCC_CODEGEN_CSTRING_H
