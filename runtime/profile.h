/* What nncc --profile adds to an object: the table of its Halide Funcs,
 * registered with the runtime at load time. nncc writes these structs as
 * LLVM constants (compiler/codegen/ProfileTable.cpp). */
#ifndef NNCC_PROFILE_H
#define NNCC_PROFILE_H

#include <stdint.h>

/* A Halide Func of the model: where in the model it came from
 * ("model.graph:13:7 conv2d [1, 14, 14, 576]") and the floating-point
 * operations of one evaluation (0 for data movement). */
struct nncc_profile_func {
  const char *name;
  const char *where;
  double flops;
};

/* A model's Funcs; its pipelines are MODEL_buffers (the entry point) and
 * MODEL_groupN. `lanes`: f32 lanes of the target's vectors, for the peak. */
struct nncc_profile_table {
  const char *model;
  int32_t lanes;
  int32_t num_funcs;
  const struct nncc_profile_func *funcs;
};

void nncc_profile_register(const struct nncc_profile_table *table);

#endif /* NNCC_PROFILE_H */
