/* Calls the model and checks it against the same arithmetic in C, with the
 * scale that make_weights.py wrote. */
#include "scale.h"

#include <stdio.h>

int main(void) {
  const float s[4] = {1.0f, -2.0f, 3.0f, -4.0f};
  float x[8], y[8];
  for (int i = 0; i < 8; ++i)
    x[i] = (float)(i - 3);
  int status = scale(x, y);
  if (status != 0) {
    printf("status %d\n", status);
    return 1;
  }
  for (int i = 0; i < 8; ++i) {
    float want = x[i] * s[i % 4];
    want = want > 0 ? want : 0;
    if (y[i] != want) {
      printf("y[%d] = %g, want %g\n", i, y[i], want);
      return 1;
    }
  }
  printf("ok: %s, 8 outputs\n", scale_info.name);
  return 0;
}
