//===- RuntimeHelpersTest.cpp - runtime/{allocator,status,errors}.c -------===//
//
// The runtime's helpers compiled natively: the caching allocator reuses
// freed blocks of a fitting size and keeps Halide's alignment, statuses
// have messages, and the error handler writes to stderr and returns.
//
//===----------------------------------------------------------------------===//

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

extern "C" {
void *halide_default_malloc(void *user_context, size_t size);
void halide_default_free(void *user_context, void *ptr);
void halide_default_error(void *user_context, const char *message);
const char *nncc_status_string(int status);
}

namespace {
bool aligned(void *p) { return reinterpret_cast<uintptr_t>(p) % 128 == 0; }

TEST(Allocator, ReusesAFreedBlockOfAFittingSize) {
  void *a = halide_default_malloc(nullptr, 1 << 20);
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(aligned(a));
  std::memset(a, 1, 1 << 20);
  halide_default_free(nullptr, a);
  // Within [n, 2n] of the block's capacity: the same block.
  void *b = halide_default_malloc(nullptr, (1 << 20) - 1000);
  EXPECT_EQ(b, a);
  halide_default_free(nullptr, b);
  // Larger than the block, or less than half of it: a new one.
  void *c = halide_default_malloc(nullptr, 3 << 20);
  EXPECT_NE(c, a);
  void *d = halide_default_malloc(nullptr, 1000);
  EXPECT_NE(d, a);
  EXPECT_TRUE(aligned(c) && aligned(d));
  halide_default_free(nullptr, c);
  halide_default_free(nullptr, d);
  halide_default_free(nullptr, nullptr);
}

TEST(Allocator, OverflowingAndManyBlocks) {
  EXPECT_EQ(halide_default_malloc(nullptr, SIZE_MAX), nullptr);
  EXPECT_EQ(halide_default_malloc(nullptr, SIZE_MAX - 100), nullptr);
  // More blocks than the cache has slots: the rest go back to the system.
  std::vector<void *> blocks;
  for (int i = 0; i < 100; ++i) {
    blocks.push_back(halide_default_malloc(nullptr, 4096 + 64 * i));
    ASSERT_NE(blocks.back(), nullptr);
    std::memset(blocks.back(), 0, 4096 + 64 * i);
  }
  for (void *p : blocks)
    halide_default_free(nullptr, p);
  for (int i = 0; i < 100; ++i)
    halide_default_free(nullptr, halide_default_malloc(nullptr, 4096 + i));
}

TEST(Status, EveryStatusHasAMessage) {
  EXPECT_STREQ(nncc_status_string(0), "success");
  EXPECT_STREQ(nncc_status_string(-12), "buffer argument is null");
  EXPECT_STREQ(nncc_status_string(-27),
               "requirement failed: an argument holds a value out of range");
  EXPECT_STREQ(nncc_status_string(-45), "storage bound too small");
  EXPECT_STREQ(nncc_status_string(-46), "unknown status");
  EXPECT_STREQ(nncc_status_string(1), "unknown status");
  EXPECT_STREQ(nncc_status_string(INT32_MIN), "unknown status");
}

TEST(Errors, TheHandlerWritesToStderrAndReturns) {
  testing::internal::CaptureStderr();
  halide_default_error(nullptr, "Input buffer x is NULL");
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "Error: Input buffer x is NULL\n");
}
} // namespace
