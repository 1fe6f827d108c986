/* Encodes 128 tokens (sinusoidal features, as a stand-in for embeddings)
 * with a 2-layer nn.TransformerEncoder and prints the first features of the
 * first tokens. Each token's output is layer-normalised: mean 0, variance 1
 * before the final affine map. The weights are random (a fixed seed). */
#include "transformer_encoder.h"

#include <math.h>
#include <stdio.h>

enum { TOKENS = 128, DIM = 512 };

int main(void) {
  static float tokens[TOKENS * DIM], encoded[TOKENS * DIM];
  for (int t = 0; t < TOKENS; ++t)
    for (int d = 0; d < DIM; ++d)
      tokens[t * DIM + d] = sinf((float)(t + 1) * (d + 1) / DIM);
  int status = transformer_encoder(tokens, encoded);
  if (status) {
    fprintf(stderr, "transformer_encoder: %s\n", nncc_status_string(status));
    return 1;
  }
  for (int t = 0; t < 3; ++t) {
    printf("token %d:", t);
    for (int d = 0; d < 6; ++d)
      printf(" %8.4f", encoded[t * DIM + d]);
    printf(" ...\n");
  }
  return 0;
}
