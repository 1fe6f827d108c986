/* Classifies a synthetic 64x64 image (a red disc on a blue field) as a set
 * of 64 patch vectors and prints the class probabilities. */
#include "patches.h"

#include "nncc_harness.h"

#include <stdio.h>

int main(void) {
  static float image[3 * 64 * 64], probs[10];
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 64; ++x) {
      int disc = (x - 32) * (x - 32) + (y - 28) * (y - 28) < 300;
      image[0 * 4096 + y * 64 + x] = disc ? 1.0f : 0.0f;
      image[2 * 4096 + y * 64 + x] = disc ? 0.0f : 1.0f;
    }
  int status;
  double ms = NNCC_MEDIAN_MS(9, &status, patches(image, probs));
  if (status) {
    fprintf(stderr, "patches: %s\n", nncc_status_string(status));
    return 1;
  }
  printf("image as 64 patch vectors: %.2f ms\n", ms);
  for (int c = 0; c < 10; ++c)
    printf("class %d: %.4f\n", c, probs[c]);
  return 0;
}
