/* nncc --profile: a per-layer report from Halide's sampling profiler.
 *
 * Halide's profiler samples which Func each thread runs every millisecond
 * and keeps a total time per Func of each pipeline. nncc's objects compiled
 * with --profile register a table naming where each Func came from in the
 * model and its FLOPs; the report joins the two, per call of the model
 * (the runs of its entry point: its groups' pipelines also count bounds
 * queries), sorted by time, with the GFLOP/s of each Func's reductions as
 * a share of one core's FMA peak, measured when the report is printed. It
 * replaces the report Halide prints at exit, and is printed then only when
 * NNCC_PROFILE=1. */
#include <HalideRuntime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nncc_runtime.h"
#include "profile.h"

enum { MAX_MODELS = 16 };

static const struct nncc_profile_table *models[MAX_MODELS];
static int num_models;

__attribute__((weak)) void
nncc_profile_register(const struct nncc_profile_table *table) {
  if (num_models < MAX_MODELS)
    models[num_models++] = table;
}

/* One core's FP32 FMA peak, measured as bench/fma_peak.c does: independent
 * chains of the target's widest FMA (its `lanes`), each started from a
 * different value, the best of 3 runs of a few ms. 12 chains cover 2 FMA
 * units of 4 cycles' latency; 24, as the benchmark has, ran 20% slower
 * compiled for a generic CPU, as this file is. */
enum { CHAINS = 12, ITERATIONS = 4000000 };
typedef float v16 __attribute__((vector_size(64)));
typedef float v8 __attribute__((vector_size(32)));
typedef float v4 __attribute__((vector_size(16)));

#define FMA_CHAINS(vec, lanes)                                                 \
  _Pragma("clang fp contract(fast)") vec acc[CHAINS], a, b;                    \
  for (int c = 0; c < CHAINS; ++c)                                             \
    for (int l = 0; l < lanes; ++l)                                            \
      acc[c][l] = 1.0f + 0.001f * (c * lanes + l);                             \
  for (int l = 0; l < lanes; ++l) {                                            \
    a[l] = 0.999999f;                                                          \
    b[l] = 1e-7f;                                                              \
  }                                                                            \
  for (long i = 0; i < ITERATIONS; ++i)                                        \
    _Pragma("clang loop unroll(full)") for (int c = 0; c < CHAINS; ++c)        \
        acc[c] = acc[c] * a + b;                                               \
  float sum = 0;                                                               \
  for (int c = 0; c < CHAINS; ++c)                                             \
    sum += acc[c][0];                                                          \
  return sum;

__attribute__((target("avx512f,fma"))) static float chains16(void) {
  FMA_CHAINS(v16, 16)
}
__attribute__((target("avx2,fma"))) static float chains8(void) {
  FMA_CHAINS(v8, 8)
}
static float chains4(void) { FMA_CHAINS(v4, 4) }

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

/* GFLOP/s; the result is kept (volatile) so the chains are computed. */
static double core_peak(int lanes) {
  double best = 0;
  for (int trial = 0; trial < 3; ++trial) {
    double start = now_s();
    volatile float sink = lanes >= 16  ? chains16()
                          : lanes >= 8 ? chains8()
                                       : chains4();
    (void)sink;
    double flops = 2.0 * CHAINS *
                   (lanes >= 16  ? 16
                    : lanes >= 8 ? 8
                                 : 4) *
                   (double)ITERATIONS;
    double rate = flops / (now_s() - start) / 1e9;
    if (rate > best)
      best = rate;
  }
  return best;
}

struct row {
  uint64_t time;
  double threads;
  const char *name;
  const struct nncc_profile_func *func;
};

static int by_time(const void *a, const void *b) {
  uint64_t x = ((const struct row *)a)->time, y = ((const struct row *)b)->time;
  return x < y ? 1 : x > y ? -1 : 0;
}

/* Which of `model`'s pipelines `pipeline` is: its entry point
 * (MODEL_buffers), one of its groups (MODEL_groupN), or none of them. */
enum pipeline_kind { OTHER, ENTRY, GROUP };
static enum pipeline_kind kind_of(const char *pipeline, const char *model) {
  size_t n = strlen(model);
  if (strncmp(pipeline, model, n) != 0 || pipeline[n] != '_')
    return OTHER;
  if (strcmp(pipeline + n + 1, "buffers") == 0)
    return ENTRY;
  return strncmp(pipeline + n + 1, "group", 5) == 0 ? GROUP : OTHER;
}

/* The table's entry for the Func Halide calls `name`: the hl func's name,
 * or that name and a '$' where it would have clashed with Halide's own. */
static const struct nncc_profile_func *
lookup(const struct nncc_profile_table *t, const char *name) {
  size_t n = strlen(name);
  if (n > 0 && name[n - 1] == '$')
    --n;
  for (int i = 0; i < t->num_funcs; ++i)
    if (strncmp(t->funcs[i].name, name, n) == 0 && t->funcs[i].name[n] == 0)
      return &t->funcs[i];
  return NULL;
}

static void report(const struct nncc_profile_table *t,
                   struct halide_profiler_state *s) {
  int calls = 0, num_rows = 0;
  for (struct halide_profiler_pipeline_stats *p = s->pipelines; p;
       p = (struct halide_profiler_pipeline_stats *)p->next) {
    enum pipeline_kind kind = kind_of(p->name, t->model);
    if (kind == ENTRY)
      calls = p->runs;
    if (kind != OTHER)
      num_rows += p->num_funcs;
  }
  if (calls == 0) {
    fprintf(stderr, "nncc profile of %s: not called yet\n", t->model);
    return;
  }
  struct row *rows = calloc(num_rows ? num_rows : 1, sizeof(struct row));
  if (!rows)
    return;
  int n = 0;
  uint64_t total = 0;
  for (struct halide_profiler_pipeline_stats *p = s->pipelines; p;
       p = (struct halide_profiler_pipeline_stats *)p->next) {
    enum pipeline_kind kind = kind_of(p->name, t->model);
    if (kind == OTHER)
      continue;
    /* Halide counts a thread active in each pipeline it runs: a group's
     * pipeline runs inside the entry point's, which still counts the
     * thread that called it. */
    int nested = kind == GROUP;
    for (int i = 0; i < p->num_funcs; ++i) {
      struct halide_profiler_func_stats *f = &p->funcs[i];
      if (f->time == 0)
        continue;
      struct row *r = &rows[n++];
      r->time = f->time;
      r->threads = f->active_threads_denominator
                       ? (double)f->active_threads_numerator /
                                 (double)f->active_threads_denominator -
                             nested
                       : 0;
      r->name = f->name;
      r->func = lookup(t, f->name);
      total += f->time;
    }
  }
  qsort(rows, n, sizeof(struct row), by_time);
  double peak = core_peak(t->lanes);
  fprintf(stderr,
          "nncc profile of %s: %d calls, %.3f ms per call (Halide's "
          "profiler, sampled every %d ms); one core's peak %.0f GFLOP/s\n"
          "%10s %6s %8s %6s %7s  %s\n",
          t->model, calls, total / 1e6 / calls, s->sleep_time, peak, "ms/call",
          "share", "GFLOP/s", "%core", "threads", "where (Func)");
  for (int i = 0; i < n; ++i) {
    const struct row *r = &rows[i];
    double ns = (double)r->time / calls;
    char gflops[32] = "", share[32] = "";
    if (r->func && r->func->flops > 0) {
      snprintf(gflops, sizeof(gflops), "%.1f", r->func->flops / ns);
      snprintf(share, sizeof(share), "%.0f%%",
               100.0 * r->func->flops / ns / peak);
    }
    fprintf(stderr, "%10.4f %5.1f%% %8s %6s %7.2f  %s (%s)\n", ns / 1e6,
            100.0 * r->time / total, gflops, share, r->threads,
            r->func ? r->func->where : "", r->name);
  }
  free(rows);
}

static void report_all(struct halide_profiler_state *s) {
  for (int i = 0; i < num_models; ++i)
    report(models[i], s);
}

__attribute__((weak)) void nncc_print_profile(void) {
  struct halide_profiler_state *s = halide_profiler_get_state();
  halide_mutex_lock(&s->lock);
  report_all(s);
  halide_mutex_unlock(&s->lock);
}

/* Called by Halide's runtime at exit, the profiler stopped. */
__attribute__((weak)) void
halide_profiler_report_unlocked(void *user_context,
                                struct halide_profiler_state *s) {
  const char *env = getenv("NNCC_PROFILE");
  if (env && strcmp(env, "1") == 0)
    report_all(s);
}
