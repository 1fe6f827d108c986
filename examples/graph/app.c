/* Classifies the 4096 nodes of the example graph and prints how many fall
 * in each class. */
#include "graph.h"

#include "nncc_harness.h"

#include <stdio.h>

int main(void) {
  static float features[4096 * 128], classes[4096 * 16];
  for (int i = 0; i < 4096 * 128; ++i)
    features[i] = (float)(((long)i * 104729) % 2000) / 2000.0f - 0.5f;
  int status;
  double ms = NNCC_MEDIAN_MS(9, &status, graph(features, classes));
  if (status) {
    fprintf(stderr, "graph: %s\n", nncc_status_string(status));
    return 1;
  }
  int counts[16] = {0};
  for (int n = 0; n < 4096; ++n) {
    int best = 0;
    for (int c = 1; c < 16; ++c)
      if (classes[n * 16 + c] > classes[n * 16 + best])
        best = c;
    ++counts[best];
  }
  printf("graph attention (4096 nodes, ~16 neighbours): %.2f ms\n", ms);
  printf("nodes per class:");
  for (int c = 0; c < 16; ++c)
    printf(" %d", counts[c]);
  printf("\n");
  return 0;
}
