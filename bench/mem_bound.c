/* The memory-traffic bound of a pass that reads IN bytes and writes OUT
 * bytes, as the max pool workload does: median time to read IN bytes (an
 * integer sum, vectorized) plus the median time to write OUT bytes (memset),
 * each over buffers that stay as warm as the pool's between calls.
 *   cc -O3 -march=native mem_bound.c -o mem_bound; ./mem_bound IN OUT RUNS
 * prints the bound in ms. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static volatile uint32_t sink;

int main(int argc, char **argv) {
  size_t in = argc > 1 ? strtoull(argv[1], 0, 10) : 0,
         out = argc > 2 ? strtoull(argv[2], 0, 10) : 0;
  int runs = argc > 3 ? atoi(argv[3]) : 31;
  uint32_t *src = aligned_alloc(64, (in + 63) / 64 * 64);
  char *dst = aligned_alloc(64, (out + 63) / 64 * 64);
  if (!src || !dst || runs < 1)
    return 1;
  memset(src, 1, in);
  double *read = malloc(runs * sizeof *read), *write = malloc(runs * sizeof *write);
  for (int r = -3; r < runs; ++r) {
    double t0 = now_ms();
    uint32_t sum = 0;
    for (size_t i = 0; i < in / 4; ++i)
      sum += src[i];
    sink = sum;
    double t1 = now_ms();
    memset(dst, r & 0xff, out);
    double t2 = now_ms();
    if (r >= 0) {
      read[r] = t1 - t0;
      write[r] = t2 - t1;
    }
  }
  qsort(read, runs, sizeof *read, cmp);
  qsort(write, runs, sizeof *write, cmp);
  printf("%.4f\n", read[runs / 2] + write[runs / 2]);
  return 0;
}
