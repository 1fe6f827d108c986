/* Halide's heap without per-call mmaps.
 *
 * Halide allocates every compute_root intermediate with halide_malloc on
 * each call. Blocks above glibc's mmap threshold (128 KiB) are mapped and
 * unmapped every time, and touching fresh pages costs more than the
 * convolution that fills them: a 3x3 192-channel layer took 2.7 ms instead
 * of 1.5. In front of the C library, a fixed table of freed blocks is
 * reused lock-free:
 *
 *   malloc(n): take (compare-and-swap to null) a cached block whose
 *              capacity is in [n, 2n], else allocate n from the system;
 *   free(p):   store p in an empty slot (compare-and-swap from null), else
 *              give it back to the system.
 *
 * Each block starts with a header holding its capacity and the pointer the
 * C library returned; the header is as large as Halide's alignment, so the
 * pointer handed out stays aligned. The cache holds at most SLOTS blocks
 * for the life of the process. */
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

extern void *malloc(size_t size);
extern void free(void *ptr);

enum { SLOTS = 32, HEADER = 128 /* Halide's largest alignment */ };

struct header {
  size_t capacity;
  void *system;
};

static _Atomic(struct header *) cached[SLOTS];

static void release(struct header *block) { free(block->system); }

static void *user_bytes(struct header *block) { return (char *)block + HEADER; }

__attribute__((weak)) void *halide_default_malloc(void *user_context,
                                                  size_t size) {
  for (int i = 0; i < SLOTS; ++i) {
    struct header *block = atomic_load(&cached[i]);
    if (!block || !atomic_compare_exchange_strong(&cached[i], &block, NULL))
      continue;
    /* The block is ours now. */
    if (block->capacity >= size && block->capacity / 2 <= size)
      return user_bytes(block);
    /* Not this size: put it back where it was, or free it if the slot was
     * filled meanwhile. */
    struct header *empty = NULL;
    if (!atomic_compare_exchange_strong(&cached[i], &empty, block))
      release(block);
  }
  if (size > SIZE_MAX - 2 * HEADER)
    return NULL;
  void *system = malloc(size + 2 * HEADER);
  if (!system)
    return NULL;
  struct header *block = (struct header *)(((uintptr_t)system + HEADER - 1) &
                                           ~(uintptr_t)(HEADER - 1));
  block->capacity = size;
  block->system = system;
  return user_bytes(block);
}

__attribute__((weak)) void halide_default_free(void *user_context, void *ptr) {
  if (!ptr)
    return;
  struct header *block = (struct header *)((char *)ptr - HEADER);
  for (int i = 0; i < SLOTS; ++i) {
    struct header *empty = NULL;
    if (atomic_compare_exchange_strong(&cached[i], &empty, block))
      return;
  }
  release(block);
}
