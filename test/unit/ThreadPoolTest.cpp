//===- ThreadPoolTest.cpp - unit tests of runtime/threads.c ---------------===//
//
// The pool compiled natively, driven the way Halide's generated code drives
// it: every task of every loop runs exactly once, errors come back, nested
// and concurrent loops run, and the thread count is obeyed.
//
//===----------------------------------------------------------------------===//

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

extern "C" {
typedef int (*halide_task_t)(void *, int, uint8_t *);
int halide_do_par_for(void *, halide_task_t, int, int, uint8_t *);
void nncc_set_num_threads(int);
// Halide's pool, which the runtime keeps in step; not linked here.
int halide_set_num_threads(int n) { return n; }
}

namespace {
/// A loop over [min, min + size) counting each task's runs.
struct Counts {
  int min;
  std::vector<std::atomic<int>> runs;
  Counts(int min, int size) : min(min), runs(size) {}
  bool eachOnce() const {
    for (const auto &r : runs)
      if (r.load() != 1)
        return false;
    return true;
  }
};

int countTask(void *, int index, uint8_t *closure) {
  auto *c = reinterpret_cast<Counts *>(closure);
  c->runs[index - c->min].fetch_add(1);
  return 0;
}

int runCounted(int min, int size) {
  Counts counts(min, size);
  int status = halide_do_par_for(nullptr, countTask, min, size,
                                 reinterpret_cast<uint8_t *>(&counts));
  return status == 0 && counts.eachOnce() ? 0 : 1;
}

TEST(ThreadPool, EveryTaskOfEveryLoopOnce) {
  nncc_set_num_threads(4);
  int bad = 0;
  // Back-to-back loops of every small size: workers of one loop still
  // claiming when the next starts.
  for (int i = 0; i < 20000; ++i)
    bad += runCounted(i % 7 - 3, i % 37);
  EXPECT_EQ(bad, 0);
  EXPECT_EQ(runCounted(-5, 100000), 0);
}

int slowTask(void *, int, uint8_t *closure) {
  auto *seen =
      reinterpret_cast<std::pair<std::mutex, std::set<std::thread::id>> *>(
          closure);
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  std::lock_guard<std::mutex> lock(seen->first);
  seen->second.insert(std::this_thread::get_id());
  return 0;
}

size_t threadsUsed(int tasks) {
  std::pair<std::mutex, std::set<std::thread::id>> seen;
  EXPECT_EQ(halide_do_par_for(nullptr, slowTask, 0, tasks,
                              reinterpret_cast<uint8_t *>(&seen)),
            0);
  return seen.second.size();
}

TEST(ThreadPool, ObeysTheThreadCount) {
  nncc_set_num_threads(1);
  EXPECT_EQ(threadsUsed(16), 1u);
  // Tasks that sleep leave time for every worker to take some.
  nncc_set_num_threads(3);
  EXPECT_EQ(threadsUsed(60), 3u);
  nncc_set_num_threads(2);
  EXPECT_EQ(threadsUsed(40), 2u);
}

int failingTask(void *, int index, uint8_t *) { return index == 7 ? -5 : 0; }

TEST(ThreadPool, ReturnsATaskError) {
  nncc_set_num_threads(2);
  EXPECT_EQ(halide_do_par_for(nullptr, failingTask, 0, 50, nullptr), -5);
  EXPECT_EQ(halide_do_par_for(nullptr, failingTask, 8, 50, nullptr), 0);
  nncc_set_num_threads(1);
  EXPECT_EQ(halide_do_par_for(nullptr, failingTask, 0, 50, nullptr), -5);
}

int nestingTask(void *, int index, uint8_t *closure) {
  auto *bad = reinterpret_cast<std::atomic<int> *>(closure);
  bad->fetch_add(runCounted(index, 1 + index % 5));
  return 0;
}

TEST(ThreadPool, NestedLoopsRun) {
  nncc_set_num_threads(2);
  std::atomic<int> bad{0};
  EXPECT_EQ(halide_do_par_for(nullptr, nestingTask, 0, 200,
                              reinterpret_cast<uint8_t *>(&bad)),
            0);
  EXPECT_EQ(bad.load(), 0);
}

TEST(ThreadPool, ConcurrentCallersRun) {
  nncc_set_num_threads(2);
  std::atomic<int> bad{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t)
    callers.emplace_back([&] {
      for (int i = 0; i < 3000; ++i)
        bad += runCounted(0, i % 29);
    });
  for (std::thread &t : callers)
    t.join();
  EXPECT_EQ(bad.load(), 0);
}
} // namespace
