//===- CachingAllocator.h - Halide's heap without per-call mmaps -*- C++ -*-===//
#ifndef NNCC_CODEGEN_CACHINGALLOCATOR_H
#define NNCC_CODEGEN_CACHINGALLOCATOR_H

namespace llvm {
class Module;
} // namespace llvm

namespace nncc {

/// If `module` holds Halide's runtime, puts a cache in front of its default
/// allocator: freed blocks are kept for later allocations of similar size
/// instead of returned to the system.
void addCachingAllocator(llvm::Module &module);

} // namespace nncc

#endif // NNCC_CODEGEN_CACHINGALLOCATOR_H
