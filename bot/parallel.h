// ParallelFor: runs f(0) … f(n - 1) on a few threads and returns when all are done.
//
// Why: `wache check` and a live reload read and check hundreds of flow files, and each file
// (each keyword, for the shadowing check) is independent work. On the 2-core machines we
// run on, two threads halve the wall time of those loops (bench/README.md has the figures).
// Callers write results into slot i of a vector they own and merge them in index order
// afterwards, so output never depends on which thread finished first.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace wache::bot {

// Below this many items, threads cost more than they save: run on the calling thread.
inline constexpr size_t kParallelFrom = 16;

template <typename F>
void ParallelFor(size_t n, F&& f) {
  const size_t cores = std::max(1u, std::thread::hardware_concurrency());
  const size_t threads = std::min<size_t>({cores, 8, n});
  if (n < kParallelFrom || threads <= 1) {
    for (size_t i = 0; i < n; ++i) f(i);
    return;
  }
  // Threads take runs of neighbouring indices, not one index at a time: a shared counter
  // bumped per item, and neighbouring result slots written by different threads, bounce
  // cache lines between the cores. 16 runs per thread still even out uneven items.
  const size_t run = std::max<size_t>(1, n / (threads * 16));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t begin = next.fetch_add(run); begin < n; begin = next.fetch_add(run)) {
      for (size_t i = begin; i < std::min(n, begin + run); ++i) f(i);
    }
  };
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < threads; ++t) helpers.emplace_back(work);
  work();  // the calling thread takes its share
  for (auto& h : helpers) h.join();
}

}  // namespace wache::bot
