/* Runs the Go policy network on a position and prints its five most likely
 * moves. The 48 input planes follow AlphaGo's layout in spirit: plane 0 the
 * player's stones, plane 1 the opponent's, plane 2 empty points, plane 3 a
 * constant 1. The weights are deterministic but untrained. */
#include "go_policy.h"

#include <stdio.h>
#include <stdlib.h>

enum { N = 19, POINTS = N * N };

static void place(float *board, int plane, const char *move) {
  /* "D4": column letters skip I, rows count from the bottom. */
  int col = move[0] - 'A' - (move[0] > 'I');
  int row = N - atoi(move + 1);
  board[plane * POINTS + row * N + col] = 1.0f;
}

int main(void) {
  static float board[48 * POINTS], move[POINTS];
  const char *mine[] = {"D4", "Q16", "C16", "R4"};
  const char *theirs[] = {"Q4", "D16", "P17"};
  for (int p = 0; p < POINTS; ++p) {
    board[2 * POINTS + p] = 1.0f;
    board[3 * POINTS + p] = 1.0f;
  }
  for (unsigned i = 0; i < sizeof mine / sizeof *mine; ++i)
    place(board, 0, mine[i]);
  for (unsigned i = 0; i < sizeof theirs / sizeof *theirs; ++i)
    place(board, 1, theirs[i]);
  for (int p = 0; p < POINTS; ++p)
    board[2 * POINTS + p] -= board[p] + board[POINTS + p];

  int status = go_policy(board, move);
  if (status) {
    fprintf(stderr, "go_policy: %s\n", nncc_status_string(status));
    return 1;
  }
  printf("top moves:\n");
  for (int k = 0; k < 5; ++k) {
    int best = 0;
    for (int p = 1; p < POINTS; ++p)
      if (move[p] > move[best])
        best = p;
    int col = best % N, row = best / N;
    printf("  %c%-2d  %.4f\n", 'A' + col + (col >= 8), N - row, move[best]);
    move[best] = -1.0f;
  }
  return 0;
}
