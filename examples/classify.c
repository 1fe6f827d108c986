/* Classifies a synthetic 224x224 image (a colour gradient, normalised as
 * torchvision's ImageNet transforms do) with an ImageNet classifier and
 * prints the five largest logits. The build compiles it once per model,
 * with MODEL the model's name (resnet18, mobilenet_v2, vit). The weights are
 * torchvision's architectures with random values (a fixed seed), so the
 * classes are arbitrary. */
#include <stdio.h>

#define STR(x) #x
#define HEADER(name) STR(name.h)
#include HEADER(MODEL)

enum { SIZE = 224, CLASSES = 1000 };

int main(void) {
  static float image[3 * SIZE * SIZE], logits[CLASSES];
  const float mean[3] = {0.485f, 0.456f, 0.406f},
              std[3] = {0.229f, 0.224f, 0.225f};
  for (int c = 0; c < 3; ++c)
    for (int y = 0; y < SIZE; ++y)
      for (int x = 0; x < SIZE; ++x) {
        float v = c == 0 ? (float)x / SIZE : c == 1 ? (float)y / SIZE : 0.5f;
        image[(c * SIZE + y) * SIZE + x] = (v - mean[c]) / std[c];
      }
  int status = MODEL(image, logits);
  if (status) {
    fprintf(stderr, "%s: %s\n", STR(MODEL), nncc_status_string(status));
    return 1;
  }
  printf("top classes:\n");
  for (int k = 0; k < 5; ++k) {
    int best = 0;
    for (int i = 1; i < CLASSES; ++i)
      if (logits[i] > logits[best])
        best = i;
    printf("  %4d  %.4f\n", best, logits[best]);
    logits[best] = -1e30f;
  }
  return 0;
}
