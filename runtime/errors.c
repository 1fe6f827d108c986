/* Halide's default error handler prints to stdout and then aborts; a model
 * returns a status instead, so this one writes the message to stderr and
 * returns. */
#include <stddef.h>

extern long write(int fd, const void *data, unsigned long size);

static void write_text(const char *text) {
  size_t n = 0;
  while (text[n])
    ++n;
  write(2, text, n);
}

__attribute__((weak)) void halide_default_error(void *user_context,
                                                const char *message) {
  write_text("Error: ");
  write_text(message);
  write_text("\n");
}
