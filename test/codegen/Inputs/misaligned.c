/* Callers' arrays need only be float-aligned: every argument offset by one
 * float from a 64-byte boundary gives the same bits as aligned ones. */
#include "misaligned.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
  X = 13 * 24,
  IMG = 4 * 19 * 19,
  W = 24 * 24,
  K = 8 * 36,
  Y = 13 * 24,
  Z = 8 * 19 * 19,
  S = 13 * 24
};

static float *array(size_t n, int offset) {
  float *p = aligned_alloc(64, (n + 16) * sizeof(float) + 64);
  return p + offset;
}

static int run(int offset, float *out[3]) {
  float *x = array(X, offset), *img = array(IMG, offset), *w = array(W, offset),
        *k = array(K, offset);
  for (int i = 0; i < X; ++i)
    x[i] = (float)(i % 7) - 3.0f;
  for (int i = 0; i < IMG; ++i)
    img[i] = (float)(i % 5) * 0.5f;
  for (int i = 0; i < W; ++i)
    w[i] = (float)(i % 11) * 0.1f - 0.5f;
  for (int i = 0; i < K; ++i)
    k[i] = (float)(i % 3) - 1.0f;
  out[0] = array(Y, offset);
  out[1] = array(Z, offset);
  out[2] = array(S, offset);
  return misaligned(x, img, w, k, out[0], out[1], out[2]);
}

int main(void) {
  float *aligned[3], *shifted[3];
  if (run(0, aligned) || run(1, shifted))
    return 1;
  int same = !memcmp(aligned[0], shifted[0], Y * sizeof(float)) &&
             !memcmp(aligned[1], shifted[1], Z * sizeof(float)) &&
             !memcmp(aligned[2], shifted[2], S * sizeof(float));
  printf("misaligned arrays: %s\n", same ? "same results" : "DIFFERENT");
  return !same;
}
