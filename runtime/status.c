/* nncc_status_string: the message for a status of a model's entry point,
 * Halide's error codes 0, -1, -2, ... (HalideRuntime.h). */
#include "nncc_runtime.h"

static const char *const messages[] = {
    "success",
    "generic error",
    "explicit bounds too small",
    "bad type",
    "access out of bounds",
    "buffer allocation too large",
    "buffer extents too large",
    "constraints make required region smaller",
    "constraint violated: an argument has the wrong shape or strides",
    "parameter too small",
    "parameter too large",
    "out of memory",
    "buffer argument is null",
    "debug_to_file failed",
    "copy to host failed",
    "copy to device failed",
    "device malloc failed",
    "device sync failed",
    "device free failed",
    "no device interface",
    "matlab init failed",
    "matlab bad parameter type",
    "internal error",
    "device run failed",
    "unaligned host pointer",
    "bad fold",
    "fold factor too small",
    "requirement failed: an argument holds a value out of range",
    "buffer extents negative",
    "unused status 29",
    "unused status 30",
    "specialization failed",
    "device wrap native failed",
    "device detach native failed",
    "host pointer is null",
    "bad extern fold",
    "device interface without device",
    "host and device both dirty",
    "buffer is null",
    "device buffer copy failed",
    "device crop unsupported",
    "device crop failed",
    "incompatible device interface",
    "bad dimensions",
    "device dirty with no device support",
    "storage bound too small",
};

__attribute__((weak)) const char *nncc_status_string(int status) {
  /* Unsigned, so that positive statuses are out of range too. */
  unsigned index = -(unsigned)status;
  if (index < sizeof(messages) / sizeof(messages[0]))
    return messages[index];
  return "unknown status";
}
