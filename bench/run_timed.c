/* Times one compiled model through its info table: every argument filled
 * with deterministic values, `runs` calls, the median printed in ms.
 *   cc -include MODEL.h -DMODEL_INFO=NAME_info -Iruntime run_timed.c MODEL.o
 * ...
 *   ./timed RUNS */
#include "nncc_harness.h"

#include <stdio.h>

#define WARMUP_MS 200.0

static float fill(const struct nncc_tensor_info *t, int index, int64_t flat) {
  (void)t;
  (void)index;
  return (float)((flat * 2654435761u) % 1000) / 1000.0f - 0.5f;
}

int main(int argc, char **argv) {
  const struct nncc_model_info *info = &MODEL_INFO;
  int runs = argc > 1 ? atoi(argv[1]) : 11;
  int count = info->num_inputs + info->num_params + info->num_outputs;
  struct halide_buffer_t *buffers = nncc_harness_buffers(info, fill);
  void **args = calloc(count, sizeof *args);
  for (int i = 0; i < count; ++i)
    args[i] = &buffers[i];
  /* Warm up as the peers do, and for at least WARMUP_MS: a fresh process's
   * worker thread can share the first core for its first ~30 ms, which
   * would be all of 31 calls of a convolution (2 threads ran at 1-thread
   * speed in half the processes). */
  int status = 0;
  double start = nncc_now_ms();
  for (int i = 0; !status && (i < 3 || nncc_now_ms() - start < WARMUP_MS); ++i)
    status = info->call_argv(args);
  double ms = status ? -1.0 : NNCC_MEDIAN_MS(runs, &status, info->call_argv(args));
  if (status) {
    fprintf(stderr, "%s: %s\n", info->name, nncc_status_string(status));
    return 1;
  }
  printf("%.3f\n", ms);
  return 0;
}
