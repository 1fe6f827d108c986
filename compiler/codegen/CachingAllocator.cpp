//===- CachingAllocator.cpp - Halide's heap without per-call mmaps --------===//
//
// Halide allocates every compute_root intermediate with halide_malloc on
// each call. Blocks above glibc's mmap threshold (128 KiB) are mapped and
// unmapped every time, and touching fresh pages costs more than the
// convolution that fills them: a 3x3 192-channel layer took 2.7 ms instead
// of 1.5. The default allocator keeps its body as the slow path; in front of
// it, a fixed table of freed blocks is reused lock-free:
//
//   malloc(n): take (compare-and-swap to null) a cached block whose
//              capacity is in [n, 2n], else allocate n from the system;
//   free(p):   store p in an empty slot (compare-and-swap from null), else
//              give it back to the system.
//
// Each block starts with a header holding its capacity; the header is as
// large as Halide's alignment, so the pointer returned stays aligned. The
// cache holds at most kSlots blocks for the life of the process.
//
//===----------------------------------------------------------------------===//

#include "compiler/codegen/CachingAllocator.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"

using namespace llvm;

namespace {
constexpr unsigned kSlots = 32;
constexpr uint64_t kHeader = 128; // Halide's largest alignment

/// Renames `name`'s body to `newName` and returns a fresh, empty function
/// under the old name and linkage.
Function *takeOver(Module &module, StringRef name, StringRef newName) {
  Function *old = module.getFunction(name);
  if (!old || old->isDeclaration())
    return nullptr;
  Function *fresh =
      Function::Create(old->getFunctionType(), old->getLinkage(), "", module);
  old->setName(newName);
  old->setLinkage(GlobalValue::InternalLinkage);
  old->replaceAllUsesWith(fresh);
  fresh->setName(name);
  return fresh;
}
} // namespace

void nncc::addCachingAllocator(Module &module) {
  Function *systemMalloc = module.getFunction("halide_default_malloc");
  Function *systemFree = module.getFunction("halide_default_free");
  if (!systemMalloc || systemMalloc->isDeclaration() || !systemFree ||
      systemFree->isDeclaration())
    return;
  Function *mallocFn =
      takeOver(module, "halide_default_malloc", "nncc.system_malloc");
  Function *freeFn =
      takeOver(module, "halide_default_free", "nncc.system_free");
  systemMalloc = module.getFunction("nncc.system_malloc");
  systemFree = module.getFunction("nncc.system_free");

  LLVMContext &ctx = module.getContext();
  IRBuilder<> b(ctx);
  Type *i8p = b.getInt8PtrTy(), *i64 = b.getInt64Ty();
  auto *tableType = ArrayType::get(i8p, kSlots);
  auto *table = new GlobalVariable(
      module, tableType, false, GlobalValue::InternalLinkage,
      Constant::getNullValue(tableType), "nncc.cached_blocks");
  Constant *null = Constant::getNullValue(i8p);
  auto slotAt = [&](Value *i) {
    return b.CreateInBoundsGEP(tableType, table, {b.getInt64(0), i});
  };
  auto capacityOf = [&](Value *block) {
    return b.CreateLoad(i64, b.CreateBitCast(block, i64->getPointerTo()));
  };
  auto user = [&](Value *block) {
    return b.CreateInBoundsGEP(b.getInt8Ty(), block, b.getInt64(kHeader));
  };

  // malloc: for each slot, try to take a block that fits.
  {
    Value *context = mallocFn->getArg(0), *size = mallocFn->getArg(1);
    auto *entry = BasicBlock::Create(ctx, "entry", mallocFn);
    auto *loop = BasicBlock::Create(ctx, "loop", mallocFn);
    auto *tryTake = BasicBlock::Create(ctx, "try_take", mallocFn);
    auto *taken = BasicBlock::Create(ctx, "taken", mallocFn);
    auto *next = BasicBlock::Create(ctx, "next", mallocFn);
    auto *system = BasicBlock::Create(ctx, "system", mallocFn);
    auto *reuse = BasicBlock::Create(ctx, "reuse", mallocFn);
    auto *giveBack = BasicBlock::Create(ctx, "give_back", mallocFn);
    b.SetInsertPoint(entry);
    b.CreateBr(loop);

    b.SetInsertPoint(loop);
    PHINode *i = b.CreatePHI(i64, 2);
    i->addIncoming(b.getInt64(0), entry);
    Value *slot = slotAt(i);
    Value *block = b.CreateLoad(i8p, slot);
    b.CreateCondBr(b.CreateICmpNE(block, null), tryTake, next);

    b.SetInsertPoint(tryTake);
    Value *swap = b.CreateAtomicCmpXchg(slot, block, null, MaybeAlign(8),
                                        AtomicOrdering::AcquireRelease,
                                        AtomicOrdering::Acquire);
    b.CreateCondBr(b.CreateExtractValue(swap, 1), taken, next);

    // The block is ours now; its capacity can be read safely.
    b.SetInsertPoint(taken);
    Value *capacity = capacityOf(block);
    Value *fits = b.CreateAnd(b.CreateICmpUGE(capacity, size),
                              b.CreateICmpULE(capacity, b.CreateShl(size, 1)));
    b.CreateCondBr(fits, reuse, giveBack);
    b.SetInsertPoint(reuse);
    b.CreateRet(user(block));
    // Not this size: put it back where it was, or free it if the slot was
    // filled meanwhile.
    b.SetInsertPoint(giveBack);
    Value *back = b.CreateAtomicCmpXchg(slot, null, block, MaybeAlign(8),
                                        AtomicOrdering::AcquireRelease,
                                        AtomicOrdering::Acquire);
    auto *release = BasicBlock::Create(ctx, "release", mallocFn);
    b.CreateCondBr(b.CreateExtractValue(back, 1), next, release);
    b.SetInsertPoint(release);
    b.CreateCall(systemFree, {context, block});
    b.CreateBr(next);

    b.SetInsertPoint(next);
    Value *i1 = b.CreateAdd(i, b.getInt64(1));
    i->addIncoming(i1, next);
    b.CreateCondBr(b.CreateICmpULT(i1, b.getInt64(kSlots)), loop, system);

    // A new block from the system allocator: header, then the user's bytes.
    b.SetInsertPoint(system);
    Value *raw = b.CreateCall(
        systemMalloc, {context, b.CreateAdd(size, b.getInt64(kHeader))});
    auto *ok = BasicBlock::Create(ctx, "ok", mallocFn);
    auto *failed = BasicBlock::Create(ctx, "failed", mallocFn);
    b.CreateCondBr(b.CreateICmpEQ(raw, null), failed, ok);
    b.SetInsertPoint(failed);
    b.CreateRet(null);
    b.SetInsertPoint(ok);
    b.CreateStore(size, b.CreateBitCast(raw, i64->getPointerTo()));
    b.CreateRet(user(raw));
  }

  // free: keep the block in the first empty slot, else release it.
  {
    Value *context = freeFn->getArg(0), *ptr = freeFn->getArg(1);
    auto *entry = BasicBlock::Create(ctx, "entry", freeFn);
    auto *nonNull = BasicBlock::Create(ctx, "non_null", freeFn);
    auto *loop = BasicBlock::Create(ctx, "loop", freeFn);
    auto *kept = BasicBlock::Create(ctx, "kept", freeFn);
    auto *next = BasicBlock::Create(ctx, "next", freeFn);
    auto *release = BasicBlock::Create(ctx, "release", freeFn);
    b.SetInsertPoint(entry);
    b.CreateCondBr(b.CreateICmpEQ(ptr, null), kept, nonNull);
    b.SetInsertPoint(nonNull);
    Value *block =
        b.CreateInBoundsGEP(b.getInt8Ty(), ptr, b.getInt64(-(int64_t)kHeader));
    b.CreateBr(loop);

    b.SetInsertPoint(loop);
    PHINode *i = b.CreatePHI(i64, 2);
    i->addIncoming(b.getInt64(0), nonNull);
    Value *swap = b.CreateAtomicCmpXchg(slotAt(i), null, block, MaybeAlign(8),
                                        AtomicOrdering::AcquireRelease,
                                        AtomicOrdering::Acquire);
    b.CreateCondBr(b.CreateExtractValue(swap, 1), kept, next);
    b.SetInsertPoint(next);
    Value *i1 = b.CreateAdd(i, b.getInt64(1));
    i->addIncoming(i1, next);
    b.CreateCondBr(b.CreateICmpULT(i1, b.getInt64(kSlots)), loop, release);

    b.SetInsertPoint(release);
    b.CreateCall(systemFree, {context, block});
    b.CreateRetVoid();
    b.SetInsertPoint(kept);
    b.CreateRetVoid();
  }
}
