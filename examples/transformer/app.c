/* Encodes 256 random token vectors with the Transformer encoder layer and
 * prints the layer's time and a few output values. */
#include "encoder.h"

#include "nncc_harness.h"

#include <stdio.h>

int main(void) {
  static float tokens[256 * 512], encoded[256 * 512];
  for (int i = 0; i < 256 * 512; ++i)
    tokens[i] = (float)((i * 7919) % 1000) / 1000.0f - 0.5f;
  int status;
  double ms = NNCC_MEDIAN_MS(9, &status, encoder(tokens, encoded));
  if (status) {
    fprintf(stderr, "encoder: %s\n", nncc_status_string(status));
    return 1;
  }
  printf("encoder layer (T=256, D=512, 8 heads): %.2f ms\n", ms);
  printf("encoded[0][0:4] = %.4f %.4f %.4f %.4f\n", encoded[0], encoded[1],
         encoded[2], encoded[3]);
  return 0;
}
