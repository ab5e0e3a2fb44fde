// attnrmt/mc/parallel_for.hpp -- the Monte Carlo validator's threading: a range
// cut into fixed contiguous chunks, one std::thread each. Fixed partitions keep
// results bit-identical for a given thread count (docs/monte_carlo.md).
#pragma once

#include <algorithm>
#include <thread>
#include <vector>

namespace attnrmt::mc::detail {

/// Runs body(begin, end) on `threads` contiguous chunks of [0, n).
template <class Body>
void parallel_for(long n, int threads, const Body& body) {
  threads = static_cast<int>(std::max(1L, std::min<long>(threads, n)));
  if (threads == 1) {
    body(0L, n);
    return;
  }
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    long b = n * t / threads, e = n * (t + 1) / threads;
    pool.emplace_back([&body, b, e]() { body(b, e); });
  }
  for (auto& th : pool) th.join();
}

}  // namespace attnrmt::mc::detail
