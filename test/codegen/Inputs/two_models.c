/* Two models, each object carrying the (weak) runtime, in one program; both
 * headers in one file. */
#include "cnn.h"
#include "small.h"

#include <stdio.h>

int main(void) {
  static float image[3 * 16 * 16], probs[10], x[32], w[24], y[12];
  for (int i = 0; i < 3 * 16 * 16; ++i)
    image[i] = (float)(i % 13) / 13.0f;
  for (int i = 0; i < 32; ++i)
    x[i] = (float)(i % 5) - 2.0f;
  for (int i = 0; i < 24; ++i)
    w[i] = (float)(i % 3) * 0.25f;
  int s1 = cnn(image, probs), s2 = small(x, w, y);
  double sum1 = 0, sum2 = 0;
  for (int i = 0; i < 10; ++i)
    sum1 += probs[i];
  for (int i = 0; i < 12; ++i)
    sum2 += y[i];
  printf("cnn %d %.4f small %d %.4f %s %s\n", s1, sum1, s2, sum2, cnn_info.name,
         small_info.name);
  return s1 || s2;
}
