/* Calls one model from 4 threads at once, each on its own inputs, many
 * times, and checks every result bit for bit against a call made alone. */
#include "cnn.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

enum { THREADS = 4, CALLS = 25, IMAGE = 3 * 16 * 16 };
static float images[THREADS][IMAGE], expected[THREADS][10];
static int failures;

static void *worker(void *arg) {
  int t = (int)(long)arg;
  for (int i = 0; i < CALLS; ++i) {
    float probs[10];
    if (cnn(images[t], probs) || memcmp(probs, expected[t], sizeof probs))
      __atomic_add_fetch(&failures, 1, __ATOMIC_SEQ_CST);
  }
  return NULL;
}

int main(void) {
  for (int t = 0; t < THREADS; ++t) {
    for (int i = 0; i < IMAGE; ++i)
      images[t][i] = (float)((i * (t + 3)) % 17) / 17.0f - 0.5f;
    if (cnn(images[t], expected[t]))
      return 1;
  }
  pthread_t threads[THREADS];
  for (int t = 0; t < THREADS; ++t)
    pthread_create(&threads[t], NULL, worker, (void *)(long)t);
  for (int t = 0; t < THREADS; ++t)
    pthread_join(threads[t], NULL);
  printf("%d of %d concurrent calls differ\n", failures, THREADS * CALLS);
  return failures != 0;
}
