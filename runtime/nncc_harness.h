/* Helpers for programs that drive nncc-compiled models generically: the
 * test runner, the benchmarks and the example apps.
 *
 *   nncc_harness_buffers(info, fill): a dense halide_buffer_t for every
 *     argument of a model, filled by fill(tensor, index, flat) (outputs too;
 *     an i32 argument holds the fill's values converted to int32_t).
 *   NNCC_MEDIAN_MS(runs, &status, call): the median time of `call` in ms.
 *
 * Header-only, C99 with GNU statement expressions; needs HalideRuntime.h
 * (from libhalide14-0-dev). */
#ifndef NNCC_HARNESS_H
#define NNCC_HARNESS_H

#include "nncc_runtime.h"
#include <HalideRuntime.h>
#include <stdlib.h>
#include <time.h>

typedef float (*nncc_fill_fn)(const struct nncc_tensor_info *tensor, int index,
                              int64_t flat);

static inline int64_t nncc_harness_size(const struct nncc_tensor_info *t) {
  int64_t size = 1;
  for (int d = 0; d < t->rank; ++d)
    size *= t->shape[d];
  return size;
}

/* Buffers for every argument of `info`, in its order; the array and each
 * buffer's data and dims are malloc'ed for the life of the program. */
static inline struct halide_buffer_t *
nncc_harness_buffers(const struct nncc_model_info *info, nncc_fill_fn fill) {
  int count = info->num_inputs + info->num_params + info->num_outputs;
  struct halide_buffer_t *buffers = calloc(count, sizeof *buffers);
  for (int i = 0; i < count; ++i) {
    const struct nncc_tensor_info *t = &info->args[i];
    struct halide_dimension_t *dims =
        calloc(t->rank ? t->rank : 1, sizeof *dims);
    int64_t stride = 1;
    for (int d = t->rank - 1; d >= 0; --d) {
      int h = t->rank - 1 - d; /* Halide's dimension 0 is the innermost */
      dims[h].extent = (int32_t)t->shape[d];
      dims[h].stride = (int32_t)stride;
      stride *= t->shape[d];
    }
    int64_t size = nncc_harness_size(t);
    int int32 = t->type == NNCC_I32;
    void *data = malloc((size ? size : 1) * 4);
    for (int64_t j = 0; j < size; ++j) {
      float v = fill(t, i, j);
      if (int32)
        ((int32_t *)data)[j] = (int32_t)v;
      else
        ((float *)data)[j] = v;
    }
    buffers[i].host = (uint8_t *)data;
    buffers[i].type.code = int32 ? halide_type_int : halide_type_float;
    buffers[i].type.bits = 32;
    buffers[i].type.lanes = 1;
    buffers[i].dimensions = t->rank;
    buffers[i].dim = dims;
  }
  return buffers;
}

static inline double nncc_now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static inline int nncc_compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Runs `call` `runs` times (at most 256); the median time in ms, or -1 if a
 * call failed (its status in *status). */
#define NNCC_MEDIAN_MS(runs, status, call)                                     \
  ({                                                                           \
    double times_[256];                                                        \
    int n_ = (runs) > 256 ? 256 : (runs), done_ = 0;                           \
    for (; done_ < n_; ++done_) {                                              \
      double start_ = nncc_now_ms();                                           \
      *(status) = (call);                                                      \
      times_[done_] = nncc_now_ms() - start_;                                  \
      if (*(status))                                                           \
        break;                                                                 \
    }                                                                          \
    qsort(times_, done_, sizeof *times_, nncc_compare_doubles);                \
    *(status) ? -1.0 : times_[done_ / 2];                                      \
  })

#endif /* NNCC_HARNESS_H */
