// attnrmt/detail/parallel_chunks.hpp -- the one way the library splits a loop
// over threads (Monte Carlo products, certified grids, the Python module's
// array loops).
//
// [0, n) is cut into `threads` fixed contiguous chunks
// [n t / threads, n (t + 1) / threads), t = 0..threads-1, each run by its own
// std::thread (the calling thread waits). The partition depends only on n and
// the thread count, so a computation whose chunks are summed in a fixed order
// is bit-identical for a given thread count. An exception thrown by a chunk is
// caught in its thread (one escaping a std::thread would terminate the
// program); after every thread has joined, the exception of the lowest failing
// chunk is rethrown.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace attnrmt::detail {

/// work(begin, end) on each chunk of [0, n); `threads` is clamped to [1, n]
/// (0 threads means 1); one chunk runs on the calling thread.
template <class Work>
void for_each_chunk(std::size_t n, unsigned threads, const Work& work) {
  const std::size_t count = std::max<std::size_t>(1, std::min<std::size_t>(threads, n));
  if (count == 1) {
    work(std::size_t(0), n);
    return;
  }
  std::vector<std::exception_ptr> errors(count);
  std::vector<std::thread> pool;
  pool.reserve(count);
  for (std::size_t t = 0; t < count; ++t) {
    const std::size_t begin = n * t / count, end = n * (t + 1) / count;
    pool.emplace_back([&work, &errors, t, begin, end]() {
      try {
        work(begin, end);
      } catch (...) {
        errors[t] = std::current_exception();
      }
    });
  }
  for (auto& th : pool) th.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace attnrmt::detail
