/* The profile functions of objects compiled without --profile (profile.c
 * replaces them in those compiled with it). */
#include "nncc_runtime.h"
#include "profile.h"

extern long write(int fd, const void *data, unsigned long size);

__attribute__((weak)) void
nncc_profile_register(const struct nncc_profile_table *table) {}

__attribute__((weak)) void nncc_print_profile(void) {
  static const char message[] =
      "nncc: no profile: compile the model with nncc --profile\n";
  write(2, message, sizeof(message) - 1);
}
