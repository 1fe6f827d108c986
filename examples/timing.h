/* A median-of-runs timer shared by the example apps. */
#ifndef NNCC_EXAMPLES_TIMING_H
#define NNCC_EXAMPLES_TIMING_H

#include <stdlib.h>
#include <time.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Runs `call` `runs` times (at most 64); returns the median time in ms, or
 * -1 if a call failed (its status in *status). */
#define MEDIAN_MS(runs, status, call)                                          \
  ({                                                                           \
    double times_[64];                                                         \
    int n_ = (runs) > 64 ? 64 : (runs);                                        \
    for (int i_ = 0; i_ < n_; ++i_) {                                          \
      double start_ = now_ms();                                                \
      *(status) = (call);                                                      \
      times_[i_] = now_ms() - start_;                                          \
      if (*(status))                                                           \
        break;                                                                 \
    }                                                                          \
    qsort(times_, n_, sizeof *times_, compare_doubles);                        \
    *(status) ? -1.0 : times_[n_ / 2];                                         \
  })

#endif
