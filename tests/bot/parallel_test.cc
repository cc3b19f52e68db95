// ParallelFor: every index exactly once, whatever the number of threads.
#include "bot/parallel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace wache::bot {
namespace {

TEST(ParallelForTest, RunsEveryIndexExactlyOnce) {
  for (size_t n : {size_t{0}, size_t{1}, kParallelFrom - 1, kParallelFrom, size_t{1000}}) {
    std::vector<std::atomic<int>> runs(n);
    ParallelFor(n, [&](size_t i) { runs[i].fetch_add(1); });
    for (size_t i = 0; i < n; ++i) EXPECT_EQ(runs[i].load(), 1) << "index " << i << " of " << n;
  }
}

// One thread per core (at most 8): on one core everything runs on the calling thread.
TEST(ParallelForTest, UsesOneThreadPerCoreWhenThereIsEnoughWork) {
  std::mutex m;
  std::set<std::thread::id> threads;
  ParallelFor(2000, [&](size_t) {
    std::this_thread::sleep_for(std::chrono::microseconds(50));  // long enough to share
    std::lock_guard<std::mutex> lock(m);
    threads.insert(std::this_thread::get_id());
  });
  const size_t cores = std::max(1u, std::thread::hardware_concurrency());
  if (cores == 1) {
    EXPECT_EQ(threads.size(), 1u);
  } else {
    EXPECT_GE(threads.size(), 2u);
    EXPECT_LE(threads.size(), std::min<size_t>(cores, 8));
  }
}

}  // namespace
}  // namespace wache::bot
