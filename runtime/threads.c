/* The thread pool of nncc-compiled models: Halide's halide_do_par_for,
 * replaced, and nncc_set_num_threads.
 *
 * A model runs tens of parallel loops per call, each a few microseconds to
 * a millisecond long. Halide 14's pool lets idle workers yield a few times
 * and then sleep on a condition variable, so most loops start by waking a
 * sleeping thread through the kernel, and workers spend their time in
 * sched_yield. Here idle workers spin (with `pause`) for a while before they
 * sleep, so the next loop of the same call starts at once, as ONNX
 * Runtime's and TVM's pools do.
 *
 * One top-level loop owns the pool at a time. A loop started while the pool
 * is busy (from inside a task, or by another application thread calling a
 * model concurrently) runs its tasks in the calling thread: the entry points
 * stay re-entrant.
 *
 * Compiled to LLVM bitcode at build time and linked into every object that
 * embeds the runtime; its definitions take the place of Halide's. Weak, and
 * so is the pool's state, so that several models in one program share one
 * pool. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* sched_getaffinity */
#endif
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "nncc_runtime.h"

#define NNCC_WEAK __attribute__((weak))

typedef int (*halide_task_t)(void *user_context, int task_number,
                             uint8_t *closure);
extern int halide_set_num_threads(int n);

/* How long an idle worker spins before it sleeps: long enough to bridge the
 * serial gap between two loops of one call, short enough not to burn a core
 * after the call has returned. */
#define NNCC_SPIN_NS 200000

enum { NNCC_MAX_THREADS = 256 };

/* A loop's tasks are split into one contiguous range per thread, so that
 * consecutive loops over the same rows give each thread the rows whose data
 * its own cache holds. A thread done with its range takes tasks from the
 * others'. Each range's next task is claimed from a counter whose high 32
 * bits are the loop's epoch: a thread still holding an earlier loop's epoch
 * cannot claim a task of this one. The epoch is odd while the next loop is
 * being set up (counters invalidated, then fields written, then counters
 * set) and even once it is open. */
struct nncc_counter {
  _Alignas(64) atomic_uint_fast64_t next;
};

struct nncc_pool {
  atomic_flag busy;
  atomic_uint epoch;
  /* Written while the epoch is odd; atomic because a thread may read them as
   * they change (it then fails its claim). */
  _Atomic(halide_task_t) task;
  _Atomic(void *) user_context;
  _Atomic(uint8_t *) closure;
  atomic_int min, size, parts;
  atomic_int unfinished, error;
  /* Threads (this one included) that loops use; workers started so far, and
   * ranges set up for the last loop (both the owner's). */
  atomic_int threads;
  int started, lastParts;
  /* Workers asleep, and what wakes them. */
  atomic_int sleepers;
  pthread_mutex_t mutex;
  pthread_cond_t wake;
  struct nncc_counter ranges[NNCC_MAX_THREADS];
};

NNCC_WEAK struct nncc_pool nncc_thread_pool = {
    .busy = ATOMIC_FLAG_INIT,
    .mutex = PTHREAD_MUTEX_INITIALIZER,
    .wake = PTHREAD_COND_INITIALIZER,
};

static uint32_t epoch_of(uint64_t counter) { return (uint32_t)(counter >> 32); }

/* Whether a loop other than `seen` is open for claims. */
static int opened_since(struct nncc_pool *p, uint32_t seen) {
  uint32_t epoch = atomic_load(&p->epoch);
  return epoch != seen && epoch % 2 == 0;
}

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* The first task of range `r` of `parts` over `size` tasks. */
static uint32_t range_begin(int size, int parts, int r) {
  return (uint32_t)((int64_t)size * r / parts);
}

/* Claims a task of range `r` in the loop of `epoch` and runs it; false once
 * the range has none left. */
static int run_one(struct nncc_pool *p, uint32_t epoch, int r) {
  atomic_uint_fast64_t *counter = &p->ranges[r].next;
  uint64_t t = atomic_load(counter);
  for (;;) {
    if (epoch_of(t) != epoch)
      return 0;
    /* The loop's fields, read before the claim: if the claim succeeds, the
     * counter had not been invalidated, so they were this loop's. */
    int size = atomic_load_explicit(&p->size, memory_order_relaxed);
    int parts = atomic_load_explicit(&p->parts, memory_order_relaxed);
    int min = atomic_load_explicit(&p->min, memory_order_relaxed);
    halide_task_t task = atomic_load_explicit(&p->task, memory_order_relaxed);
    void *user_context =
        atomic_load_explicit(&p->user_context, memory_order_relaxed);
    uint8_t *closure = atomic_load_explicit(&p->closure, memory_order_relaxed);
    if (r >= parts || (uint32_t)t >= range_begin(size, parts, r + 1))
      return 0;
    if (!atomic_compare_exchange_weak(counter, &t, t + 1))
      continue;
    int status = task(user_context, min + (int)(uint32_t)t, closure);
    if (status)
      atomic_store(&p->error, status);
    atomic_fetch_sub(&p->unfinished, 1);
    return 1;
  }
}

/* Runs the tasks of the loop of `epoch`, if it is open: range `self` first,
 * then whatever the other ranges have left. */
static void run_tasks(struct nncc_pool *p, uint32_t epoch, int self) {
  if (epoch % 2)
    return;
  int parts = atomic_load_explicit(&p->parts, memory_order_relaxed);
  for (int j = 0; j < parts && j < NNCC_MAX_THREADS; ++j)
    while (run_one(p, epoch, (self + j) % parts))
      ;
}

/* Worker `index` (1-based, the low 32 bits of `arg`): waits for each loop
 * after the epoch it was started in (the high 32 bits), and takes part in it
 * if the pool's thread count includes it. */
static void *worker(void *arg) {
  struct nncc_pool *p = &nncc_thread_pool;
  int index = (int)(uint32_t)(uintptr_t)arg;
  uint32_t seen = (uint32_t)((uintptr_t)arg >> 32);
  for (;;) {
    int64_t start = now_ns();
    unsigned spins = 0;
    while (!opened_since(p, seen)) {
      __builtin_ia32_pause();
      if (++spins % 64 || now_ns() - start < NNCC_SPIN_NS)
        continue;
      /* Asleep until a loop opens: its owner reads `sleepers` after it has
       * opened it, and this thread the epoch after it has counted itself,
       * so one of them sees the other. */
      pthread_mutex_lock(&p->mutex);
      atomic_fetch_add(&p->sleepers, 1);
      while (!opened_since(p, seen))
        pthread_cond_wait(&p->wake, &p->mutex);
      atomic_fetch_sub(&p->sleepers, 1);
      pthread_mutex_unlock(&p->mutex);
    }
    seen = atomic_load(&p->epoch);
    if (index < atomic_load_explicit(&p->parts, memory_order_relaxed))
      run_tasks(p, seen, index);
  }
  return NULL;
}

/* The thread count when none was set: HL_NUM_THREADS as Halide reads it,
 * else the cores this process may run on. */
static int default_threads(void) {
  const char *env = getenv("HL_NUM_THREADS");
  if (env && atoi(env) > 0)
    return atoi(env);
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
    return CPU_COUNT(&set);
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)n : 1;
}

static int clamp_threads(int n) {
  return n < 1 ? 1 : n > NNCC_MAX_THREADS ? NNCC_MAX_THREADS : n;
}

/* Starts workers up to the thread count; called by the pool's owner. */
static void start_workers(struct nncc_pool *p) {
  if (atomic_load(&p->threads) == 0)
    atomic_store(&p->threads, clamp_threads(default_threads()));
  while (p->started + 1 < atomic_load(&p->threads)) {
    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    uintptr_t arg = (uintptr_t)atomic_load(&p->epoch) << 32 | (p->started + 1);
    int failed = pthread_create(&thread, &attr, worker, (void *)arg);
    pthread_attr_destroy(&attr);
    if (failed) {
      /* Fewer threads than asked for: the loops still run. */
      atomic_store(&p->threads, p->started + 1);
      break;
    }
    ++p->started;
  }
}

static int run_serially(void *user_context, halide_task_t task, int min,
                        int size, uint8_t *closure) {
  for (int i = 0; i < size; ++i) {
    int status = task(user_context, min + i, closure);
    if (status)
      return status;
  }
  return 0;
}

/* Opens a loop of `size` tasks over `parts` ranges; returns its epoch. */
static uint32_t open_loop(struct nncc_pool *p, void *user_context,
                          halide_task_t task, int min, int size,
                          uint8_t *closure, int parts) {
  uint32_t setup = atomic_load(&p->epoch) + 1, epoch = setup + 1;
  atomic_store(&p->epoch, setup);
  int used = parts > p->lastParts ? parts : p->lastParts;
  for (int r = 0; r < used; ++r)
    atomic_store(&p->ranges[r].next, (uint64_t)setup << 32);
  atomic_store_explicit(&p->task, task, memory_order_relaxed);
  atomic_store_explicit(&p->user_context, user_context, memory_order_relaxed);
  atomic_store_explicit(&p->closure, closure, memory_order_relaxed);
  atomic_store_explicit(&p->min, min, memory_order_relaxed);
  atomic_store_explicit(&p->size, size, memory_order_relaxed);
  atomic_store_explicit(&p->parts, parts, memory_order_relaxed);
  atomic_store(&p->error, 0);
  atomic_store(&p->unfinished, size);
  for (int r = 0; r < parts; ++r)
    atomic_store(&p->ranges[r].next,
                 (uint64_t)epoch << 32 | range_begin(size, parts, r));
  p->lastParts = parts;
  atomic_store(&p->epoch, epoch);
  if (atomic_load(&p->sleepers)) {
    pthread_mutex_lock(&p->mutex);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mutex);
  }
  return epoch;
}

NNCC_WEAK int halide_do_par_for(void *user_context, halide_task_t task, int min,
                                int size, uint8_t *closure) {
  struct nncc_pool *p = &nncc_thread_pool;
  if (size <= 1 || atomic_flag_test_and_set(&p->busy))
    return run_serially(user_context, task, min, size, closure);
  start_workers(p);
  int parts = atomic_load(&p->threads);
  if (parts > size)
    parts = size;
  if (parts == 1) {
    atomic_flag_clear(&p->busy);
    return run_serially(user_context, task, min, size, closure);
  }
  uint32_t epoch = open_loop(p, user_context, task, min, size, closure, parts);
  run_tasks(p, epoch, 0);
  while (atomic_load(&p->unfinished) > 0)
    __builtin_ia32_pause();
  int error = atomic_load(&p->error);
  atomic_flag_clear(&p->busy);
  return error;
}

/* n threads for the models' loops (0: all cores); Halide's own pool, which
 * runs only asynchronous tasks, follows. Takes effect at the next loop. */
NNCC_WEAK void nncc_set_num_threads(int n) {
  atomic_store(&nncc_thread_pool.threads,
               clamp_threads(n > 0 ? n : default_threads()));
  halide_set_num_threads(n);
}
