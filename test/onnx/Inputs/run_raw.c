/* Calls a compiled model once on inputs read from raw f32 files and writes
 * its outputs the same way (for onnx_check.py):
 *
 *   cc -include MODEL.h -DMODEL_INFO=NAME_info run_raw.c MODEL.o ...
 *   ./run DIR      reads DIR/input_<i>.raw, writes DIR/output_<i>.raw
 *
 * Inputs and outputs are numbered in the model's order; a file's size must
 * be the tensor's. */
#include "nncc_harness.h"

#include <stdio.h>
#include <stdlib.h>

static float zero(const struct nncc_tensor_info *t, int index, int64_t i) {
  (void)t, (void)index, (void)i;
  return 0.0f;
}

static int transfer(const char *dir, const char *kind, int i,
                    struct halide_buffer_t *b, int64_t n, int write) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s_%d.raw", dir, kind, i);
  FILE *f = fopen(path, write ? "wb" : "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    return 1;
  }
  size_t done = write ? fwrite(b->host, 4, n, f) : fread(b->host, 4, n, f);
  int extra = !write && fgetc(f) != EOF;
  fclose(f);
  if (done != (size_t)n || extra) {
    fprintf(stderr, "%s: expected %lld floats\n", path, (long long)n);
    return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  const struct nncc_model_info *info = &MODEL_INFO;
  int count = info->num_inputs + info->num_params + info->num_outputs;
  struct halide_buffer_t *buffers = nncc_harness_buffers(info, zero);
  void **args = calloc(count, sizeof *args);
  for (int i = 0; i < count; ++i)
    args[i] = &buffers[i];
  for (int i = 0; i < info->num_inputs; ++i)
    if (transfer(argv[1], "input", i, &buffers[i],
                 nncc_harness_size(&info->args[i]), 0))
      return 1;
  int status = info->call_argv(args);
  if (status) {
    fprintf(stderr, "status %d: %s\n", status, nncc_status_string(status));
    return 1;
  }
  int first = info->num_inputs + info->num_params;
  for (int i = 0; i < info->num_outputs; ++i)
    if (transfer(argv[1], "output", i, &buffers[first + i],
                 nncc_harness_size(&info->args[first + i]), 1))
      return 1;
  return 0;
}
