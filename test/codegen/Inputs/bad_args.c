/* Wrong arguments return a status with a message; nothing crashes. */
#include "small.h"

#include <HalideRuntime.h>
#include <stdio.h>

static struct halide_buffer_t buffer(float *host, int rows, int cols,
                                     struct halide_dimension_t *dims) {
  struct halide_buffer_t b = {0};
  dims[0] = (struct halide_dimension_t){0, cols, 1, 0};
  dims[1] = (struct halide_dimension_t){0, rows, cols, 0};
  b.host = (uint8_t *)host;
  b.type.code = halide_type_float;
  b.type.bits = 32;
  b.type.lanes = 1;
  b.dimensions = 2;
  b.dim = dims;
  return b;
}

int main(void) {
  static float x[64], w[48], y[24];
  struct halide_dimension_t dx[2], dw[2], dy[2], dbad[2];
  struct halide_buffer_t bx = buffer(x, 4, 8, dx), bw = buffer(w, 3, 8, dw),
                         by = buffer(y, 4, 3, dy);
  printf("ok: %d\n", small_buffers(&bx, &bw, &by));
  printf("null pointer: %s\n", nncc_status_string(small(x, NULL, y)));
  printf("null buffer: %s\n",
         nncc_status_string(small_buffers(&bx, NULL, &by)));
  struct halide_buffer_t wrong = buffer(x, 5, 8, dbad);
  printf("wrong shape: %s\n",
         nncc_status_string(small_buffers(&wrong, &bw, &by)));
  /* Any outer stride is accepted: x as every other row of a 8x8 array. */
  struct halide_buffer_t strided = buffer(x, 4, 8, dbad);
  dbad[1].stride = 16;
  printf("strided: %d\n", small_buffers(&strided, &bw, &by));
  return 0;
}
