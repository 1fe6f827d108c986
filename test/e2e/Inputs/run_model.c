/* Calls a compiled model once on deterministic pseudo-random arguments and
 * writes every argument, outputs included, to a data file for nncc-ref.
 *
 *   cc -include MODEL.h -DMODEL_INFO=NAME_info run_model.c MODEL.o ...
 *   ./run OUT.data [NAME=uniform|positive|mask]...
 *
 * uniform: [-1, 1) (the default); positive: [0.5, 2); mask: 0 or 1, with
 * every 5th row all 0 (a query that sees no key). */
#include <HalideRuntime.h>
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

int main(int argc, char **argv) {
  const struct nncc_model_info *info = &MODEL_INFO;
  int count = info->num_inputs + info->num_params + info->num_outputs;
  struct halide_buffer_t *buffers = calloc(count, sizeof *buffers);
  void **argv_buffers = calloc(count, sizeof *argv_buffers);
  if (argc < 2)
    return 2;
  for (int i = 0; i < count; ++i) {
    const struct nncc_tensor_info *t = &info->args[i];
    struct halide_dimension_t *dims = calloc(t->rank, sizeof *dims);
    int64_t size = 1;
    for (int d = t->rank - 1; d >= 0; --d) {
      int h = t->rank - 1 - d; /* Halide's dimension 0 is the innermost */
      dims[h].extent = (int32_t)t->shape[d];
      dims[h].stride = (int32_t)size;
      size *= t->shape[d];
    }
    float *data = malloc((size ? size : 1) * sizeof *data);
    const char *dist = distribution(t->name, argc, argv);
    for (int64_t j = 0; j < size; ++j) {
      double u = next_uniform();
      data[j] = t->kind == 2                ? NAN
                : !strcmp(dist, "positive") ? (float)(0.5 + 1.5 * u)
                : !strcmp(dist, "mask")
                    ? (float)(u < 0.5 && (j / t->shape[t->rank - 1]) % 5 != 2)
                    : (float)(2 * u - 1);
    }
    buffers[i].host = (uint8_t *)data;
    buffers[i].type.code = halide_type_float;
    buffers[i].type.bits = 32;
    buffers[i].type.lanes = 1;
    buffers[i].dimensions = t->rank;
    buffers[i].dim = dims;
    argv_buffers[i] = &buffers[i];
  }
  int status = info->call_argv(argv_buffers);
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
    uint32_t kind = (uint32_t)t->kind, rank = (uint32_t)t->rank;
    int64_t size = 1;
    for (int d = 0; d < t->rank; ++d)
      size *= t->shape[d];
    fwrite(&kind, 4, 1, out);
    fwrite(&rank, 4, 1, out);
    fwrite(t->shape, 8, t->rank, out);
    fwrite(buffers[i].host, 4, size, out);
  }
  return fclose(out) ? 2 : 0;
}
