/* Calls a compiled model once on deterministic pseudo-random arguments and
 * writes every argument, outputs included, to a data file for nncc-ref.
 *
 *   cc -include MODEL.h -DMODEL_INFO=NAME_info run_model.c MODEL.o ...
 *   ./run OUT.data [NAME=uniform|positive|mask|special|index:N]...
 *
 * uniform: [-1, 1) (the default); positive: [0.5, 2); mask: 0 or 1, with
 * every 5th row all 0 (a query that sees no key); special: uniform, with
 * NaN, +inf, -inf and -0 among the values; index:N: integers in [0, N),
 * each of them once first where the tensor has room (an i32 input must
 * have it; a negative N gives -1 down to N instead). */
#include "nncc_harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 0x9E3779B97F4A7C15ull;
static double next_uniform(void) {
  state = state * 6364136223846793005ull + 1442695040888963407ull;
  return (double)(state >> 11) / 9007199254740992.0;
}

static const char *distribution(const char *name, int argc, char **argv) {
  size_t n = strlen(name);
  for (int i = 2; i < argc; ++i)
    if (!strncmp(argv[i], name, n) && argv[i][n] == '=')
      return argv[i] + n + 1;
  return "uniform";
}

static int argc_;
static char **argv_;

static float fill(const struct nncc_tensor_info *t, int index, int64_t flat) {
  (void)index;
  double u = next_uniform();
  const char *dist = distribution(t->name, argc_, argv_);
  if (t->kind == 2)
    return NAN;
  if (!strcmp(dist, "positive"))
    return (float)(0.5 + 1.5 * u);
  if (!strcmp(dist, "mask"))
    return (float)(u < 0.5 && (flat / t->shape[t->rank - 1]) % 5 != 2);
  if (!strncmp(dist, "index:", 6)) {
    long n = strtol(dist + 6, NULL, 10), range = n < 0 ? -n : n;
    int everyOne = nncc_harness_size(t) >= range && flat < range;
    long i = everyOne ? flat : (long)(u * range);
    return (float)(n < 0 ? -1 - i : i);
  }
  if (t->type == NNCC_I32) {
    fprintf(stderr, "run: the i32 input '%s' needs %s=index:N\n", t->name,
            t->name);
    exit(2);
  }
  if (!strcmp(dist, "special")) {
    static const float values[] = {NAN, INFINITY, -INFINITY, -0.0f};
    if (flat % 11 < 4)
      return values[flat % 11];
  }
  return (float)(2 * u - 1);
}

int main(int argc, char **argv) {
  const struct nncc_model_info *info = &MODEL_INFO;
  int count = info->num_inputs + info->num_params + info->num_outputs;
  if (argc < 2)
    return 2;
  argc_ = argc;
  argv_ = argv;
  struct halide_buffer_t *buffers = nncc_harness_buffers(info, fill);
  void **args = calloc(count, sizeof *args);
  for (int i = 0; i < count; ++i)
    args[i] = &buffers[i];
  int status = info->call_argv(args);
  if (status) {
    fprintf(stderr, "%s: status %d: %s\n", info->name, status,
            nncc_status_string(status));
    return 1;
  }
  FILE *out = fopen(argv[1], "wb");
  if (!out)
    return 2;
  uint32_t n = (uint32_t)count;
  fwrite("NNCC", 1, 4, out);
  fwrite(&n, 4, 1, out);
  for (int i = 0; i < count; ++i) {
    const struct nncc_tensor_info *t = &info->args[i];
    uint32_t kind = (uint32_t)t->kind, type = (uint32_t)t->type,
             rank = (uint32_t)t->rank;
    fwrite(&kind, 4, 1, out);
    fwrite(&type, 4, 1, out);
    fwrite(&rank, 4, 1, out);
    fwrite(t->shape, 8, t->rank, out);
    fwrite(buffers[i].host, 4, nncc_harness_size(t), out);
  }
  return fclose(out) ? 2 : 0;
}
