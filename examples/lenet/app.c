/* Classifies a synthetic hand-drawn "7" with the LeNet example and prints
 * the class probabilities. The weights are deterministic but untrained,
 * so the classes are arbitrary: this shows the calling convention. */
#include "lenet.h"

#include <stdio.h>

int main(void) {
  static float image[28 * 28], probs[10];
  for (int x = 6; x < 22; ++x) /* the top bar */
    image[6 * 28 + x] = 1.0f;
  for (int y = 7; y < 23; ++y) /* the diagonal */
    image[y * 28 + 21 - (y - 7) / 2] = 1.0f;

  int status = lenet(image, probs);
  if (status) {
    fprintf(stderr, "lenet: %s\n", nncc_status_string(status));
    return 1;
  }
  for (int c = 0; c < 10; ++c)
    printf("class %d: %.4f\n", c, probs[c]);
  return 0;
}
