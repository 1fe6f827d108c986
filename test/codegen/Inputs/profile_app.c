/* app CALLS [quiet]: calls a model CALLS times through its info table (any
 * model: compiled with -include MODEL.h -DMODEL_INFO=MODEL_info), then,
 * unless given "quiet", prints nncc's profile report. */
#include "nncc_harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static float fill(const struct nncc_tensor_info *t, int index, int64_t i) {
  return (float)((i * 7 + index) % 13) / 13.0f - 0.5f;
}

int main(int argc, char **argv) {
  const struct nncc_model_info *info = &MODEL_INFO;
  int count = info->num_inputs + info->num_params + info->num_outputs;
  struct halide_buffer_t *buffers = nncc_harness_buffers(info, fill);
  void **args = calloc(count, sizeof *args);
  for (int i = 0; i < count; ++i)
    args[i] = &buffers[i];
  int calls = argc > 1 ? atoi(argv[1]) : 1;
  for (int i = 0; i < calls; ++i) {
    int status = info->call_argv(args);
    if (status) {
      printf("status %d: %s\n", status, nncc_status_string(status));
      return 1;
    }
  }
  if (argc < 3 || strcmp(argv[2], "quiet") != 0)
    nncc_print_profile();
  printf("done\n");
  return 0;
}
