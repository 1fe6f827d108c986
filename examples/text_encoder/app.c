/* Encodes a sentence, its bytes as token ids (padded with 0 to 64 tokens),
 * with a small BERT-style text encoder and prints the first features of
 * its first tokens. The weights are random (a fixed seed). */
#include "text_encoder.h"

#include <stdio.h>
#include <string.h>

enum { TOKENS = 64, WIDTH = 256 };

int main(void) {
  static const char text[] = "nncc compiles models to standalone objects.";
  static int32_t ids[TOKENS];
  static float encoded[TOKENS * WIDTH];
  for (size_t t = 0; t < strlen(text) && t < TOKENS; ++t)
    ids[t] = (unsigned char)text[t];
  int status = text_encoder(ids, encoded);
  if (status) {
    fprintf(stderr, "text_encoder: %s\n", nncc_status_string(status));
    return 1;
  }
  for (int t = 0; t < 3; ++t) {
    printf("token %d '%c':", t, text[t]);
    for (int d = 0; d < 6; ++d)
      printf(" %8.4f", encoded[t * WIDTH + d]);
    printf(" ...\n");
  }
  return 0;
}
