/* Times one compiled model through its info table: every argument filled
 * with deterministic values, `runs` calls, the median printed in ms.
 *   cc -include MODEL.h -DMODEL_INFO=NAME_info run_timed.c MODEL.o ...
 *   ./timed RUNS */
#include <HalideRuntime.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  const struct nncc_model_info *info = &MODEL_INFO;
  int runs = argc > 1 ? atoi(argv[1]) : 11;
  int count = info->num_inputs + info->num_params + info->num_outputs;
  struct halide_buffer_t *buffers = calloc(count, sizeof *buffers);
  void **args = calloc(count, sizeof *args);
  for (int i = 0; i < count; ++i) {
    const struct nncc_tensor_info *t = &info->args[i];
    struct halide_dimension_t *dims = calloc(t->rank, sizeof *dims);
    int64_t size = 1;
    for (int d = t->rank - 1; d >= 0; --d) {
      dims[t->rank - 1 - d].extent = (int32_t)t->shape[d];
      dims[t->rank - 1 - d].stride = (int32_t)size;
      size *= t->shape[d];
    }
    float *data = malloc(size * sizeof *data);
    for (int64_t j = 0; j < size; ++j)
      data[j] = (float)((j * 2654435761u) % 1000) / 1000.0f - 0.5f;
    buffers[i].host = (uint8_t *)data;
    buffers[i].type.code = halide_type_float;
    buffers[i].type.bits = 32;
    buffers[i].type.lanes = 1;
    buffers[i].dimensions = t->rank;
    buffers[i].dim = dims;
    args[i] = &buffers[i];
  }
  double *times = malloc(runs * sizeof *times);
  for (int r = 0; r < runs; ++r) {
    double start = now_ms();
    int status = info->call_argv(args);
    times[r] = now_ms() - start;
    if (status) {
      fprintf(stderr, "%s: %s\n", info->name, nncc_status_string(status));
      return 1;
    }
  }
  qsort(times, runs, sizeof *times, compare);
  printf("%.3f\n", times[runs / 2]);
  return 0;
}
