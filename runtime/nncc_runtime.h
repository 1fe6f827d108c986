#ifndef NNCC_SHARED_DECLARATIONS
#define NNCC_SHARED_DECLARATIONS
/* What every nncc-compiled model shares: the description of its arguments
   and the runtime's functions. nncc copies this into each header it writes;
   the runtime's C sources are compiled against it. */
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct halide_buffer_t;

/* One argument of a model's entry point. kind: 0 input, 1 param, 2 output;
   type: NNCC_F32 (float) or NNCC_I32 (int32_t, an embedding's indices). */
enum { NNCC_F32 = 0, NNCC_I32 = 1 };
struct nncc_tensor_info {
  const char *name;
  int32_t kind;
  int32_t rank;
  const int64_t *shape;
  int32_t type;
};

/* Every argument of a model's entry point, in order: inputs, then params
   (when the model was compiled without weights), then outputs. `call_argv`
   takes an array of struct halide_buffer_t pointers in that order. */
struct nncc_model_info {
  const char *name;
  int32_t num_inputs;
  int32_t num_params;
  int32_t num_outputs;
  const struct nncc_tensor_info *args;
  int (*call_argv)(void **args);
};

/* The message for a status returned by a model's entry point. */
const char *nncc_status_string(int status);
/* Threads the models' parallel loops use, from the next loop on; 0 means
   the default: HL_NUM_THREADS, else one per core. */
void nncc_set_num_threads(int n);
/* For models compiled with nncc --profile: each Func's time per call,
   share, GFLOP/s and threads, with where in the model it came from, on
   stderr. Printed at exit too when NNCC_PROFILE=1. */
void nncc_print_profile(void);

#ifdef __cplusplus
}
#endif
#endif /* NNCC_SHARED_DECLARATIONS */
