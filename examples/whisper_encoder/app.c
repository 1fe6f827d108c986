/* Encodes 200 frames of 80 mel bins (a synthetic chirp) with a small
 * Whisper-style audio encoder and prints the first features of the first
 * of its 100 output positions. The weights are random (a fixed seed). */
#include "whisper_encoder.h"

#include <math.h>
#include <stdio.h>

enum { MELS = 80, FRAMES = 200, POSITIONS = 100, WIDTH = 256 };

int main(void) {
  static float mel[MELS * FRAMES], features[POSITIONS * WIDTH];
  for (int m = 0; m < MELS; ++m)
    for (int f = 0; f < FRAMES; ++f)
      mel[m * FRAMES + f] = sinf(0.05f * (float)f * (float)(m + 1) / MELS);
  int status = whisper_encoder(mel, features);
  if (status) {
    fprintf(stderr, "whisper_encoder: %s\n", nncc_status_string(status));
    return 1;
  }
  for (int p = 0; p < 3; ++p) {
    printf("position %d:", p);
    for (int d = 0; d < 6; ++d)
      printf(" %8.4f", features[p * WIDTH + d]);
    printf(" ...\n");
  }
  return 0;
}
