// attnrmt/mc/parallel_for.hpp -- the Monte Carlo validator's threading: a range
// cut into fixed contiguous chunks, one std::thread each
// (detail/parallel_chunks.hpp). Fixed partitions keep results bit-identical for
// a given thread count (docs/monte_carlo.md).
#pragma once

#include <algorithm>
#include <cstddef>

#include "attnrmt/detail/parallel_chunks.hpp"

namespace attnrmt::mc::detail {

/// Runs body(begin, end) on `threads` contiguous chunks of [0, n).
template <class Body>
void parallel_for(long n, int threads, const Body& body) {
  attnrmt::detail::for_each_chunk(
      static_cast<std::size_t>(std::max(0L, n)), static_cast<unsigned>(std::max(1, threads)),
      [&body](std::size_t b, std::size_t e) { body(static_cast<long>(b), static_cast<long>(e)); });
}

}  // namespace attnrmt::mc::detail
