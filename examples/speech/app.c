/* Encodes 4096 frames of synthetic features with windowed attention and
 * prints the time. */
#include "speech.h"

#include "nncc_harness.h"

#include <math.h>
#include <stdio.h>

int main(void) {
  static float frames[4096 * 80], encoded[4096 * 256];
  for (int t = 0; t < 4096; ++t)
    for (int f = 0; f < 80; ++f)
      frames[t * 80 + f] = sinf(0.01f * t * (f + 1)) * 0.5f;
  int status;
  double ms = NNCC_MEDIAN_MS(5, &status, speech(frames, encoded));
  if (status) {
    fprintf(stderr, "speech: %s\n", nncc_status_string(status));
    return 1;
  }
  printf("speech encoder (T=4096, window 64): %.2f ms\n", ms);
  printf("encoded[4095][0:4] = %.4f %.4f %.4f %.4f\n", encoded[4095 * 256],
         encoded[4095 * 256 + 1], encoded[4095 * 256 + 2],
         encoded[4095 * 256 + 3]);
  return 0;
}
