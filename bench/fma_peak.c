/* FP32 FMA throughput of this machine: 24 independent vector FMA chains
 * per thread, each started from a different value (equal starts let the
 * compiler merge chains and overstate the peak). Prints GFLOP/s for the
 * number of threads given: the best of TRIALS runs, since a peak is what
 * the machine can do, and a neighbour's burst on a shared VM host only
 * ever lowers a run.
 *   cc -O2 -march=native fma_peak.c -lpthread -o fma_peak && ./fma_peak 2 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__AVX512F__)
#define LANES 16
#elif defined(__AVX__)
#define LANES 8
#else
#define LANES 4
#endif
typedef float vec __attribute__((vector_size(LANES * 4)));
enum { CHAINS = 24, TRIALS = 7 };
static const long ITERATIONS = 10000000;

static void *chains(void *arg) {
  vec acc[CHAINS], a, b;
  for (int c = 0; c < CHAINS; ++c)
    for (int l = 0; l < LANES; ++l)
      acc[c][l] = 1.0f + 0.001f * (c * LANES + l);
  for (int l = 0; l < LANES; ++l) {
    a[l] = 0.999999f;
    b[l] = 1e-7f;
  }
  for (long i = 0; i < ITERATIONS; ++i)
#pragma GCC unroll 24
    for (int c = 0; c < CHAINS; ++c)
      acc[c] = acc[c] * a + b;
  float sum = 0;
  for (int c = 0; c < CHAINS; ++c)
    for (int l = 0; l < LANES; ++l)
      sum += acc[c][l];
  *(float *)arg = sum; /* keeps the work observable */
  return NULL;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  pthread_t t[64];
  float sink[64];
  double best = 0;
  for (int trial = 0; trial < TRIALS; ++trial) {
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int i = 0; i < threads; ++i)
      pthread_create(&t[i], NULL, chains, &sink[i]);
    for (int i = 0; i < threads; ++i)
      pthread_join(t[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &end);
    double s =
        (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
    double gflops = 2.0 * LANES * CHAINS * ITERATIONS * threads / s / 1e9;
    if (gflops > best)
      best = gflops;
  }
  printf("%.1f\n", best);
  return sink[0] == 12345.0f; /* never true; uses the result */
}
