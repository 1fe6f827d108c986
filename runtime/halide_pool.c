/* nncc_set_num_threads where the model keeps Halide's thread pool (targets
 * other than x86-64 Linux; threads.c replaces it on those). */
#include "nncc_runtime.h"

extern int halide_set_num_threads(int n);

__attribute__((weak)) void nncc_set_num_threads(int n) {
  halide_set_num_threads(n);
}
