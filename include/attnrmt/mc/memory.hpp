// attnrmt/mc/memory.hpp -- memory of a Monte Carlo run: the estimated peak of one
// replicate (the matrices each solver stores, docs/monte_carlo.md "How it is
// computed"), the refusal of a run that would not fit, and the probes of the
// memory available to and used by this process (Linux /proc).
#pragma once

#include <algorithm>
#include <cstddef>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "attnrmt/mc/column_split.hpp"
#include "attnrmt/mc/config.hpp"

namespace attnrmt::mc {

namespace detail {

/// A field (in kB) of /proc/self/status or /proc/meminfo, in bytes; 0 when unavailable.
inline std::size_t proc_field_bytes(const char* file, const std::string& key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, key.size(), key) == 0 && line.size() > key.size() &&
        line[key.size()] == ':') {
      std::istringstream fields(line.substr(key.size() + 1));
      std::size_t kb = 0;
      fields >> kb;
      return kb * 1024;
    }
  }
  return 0;
}

}  // namespace detail

/// MemAvailable from /proc/meminfo (bytes; 0 when unknown).
inline std::size_t available_memory_bytes() {
  return detail::proc_field_bytes("/proc/meminfo", "MemAvailable");
}

/// Peak resident set size of this process (VmHWM, bytes; 0 when unknown).
inline std::size_t peak_memory_bytes() {
  return detail::proc_field_bytes("/proc/self/status", "VmHWM");
}

/// Largest share of `cols` stored columns held by one of `parts` processes
/// (whole blocks, mc/column_split.hpp).
inline double largest_column_share(long cols, int parts) {
  if (parts <= 1) return static_cast<double>(cols);
  const long w = column_block_width(cols), B = (cols + w - 1) / w;
  return static_cast<double>(std::min(cols, (B + parts - 1) / parts * w));
}

/// Estimated peak memory of one replicate (bytes); with `parts` > 1, of one
/// process of a replicate split over `parts` processes (the matrix-free
/// solver's stored matrix divided, the Krylov basis and vectors replicated).
inline double estimated_bytes(const Config& c, int parts = 1) {
  Sizes s = realised_sizes(c);
  const double d = static_cast<double>(s.d), V = static_cast<double>(s.V),
               N = static_cast<double>(s.N);
  const double T = static_cast<double>(std::max<std::size_t>(1, c.weights.size()));
  double bytes = 64.0 * 1024 * 1024;  // program, vectors, Lanczos basis
  bytes += 30.0 * 8 * std::max(d, N);
  if (resolved_solver(c) == Solver::dense) {
    bytes += 8 * d * N + 8 * d * d + 8 * d * 64;  // H, C, dsyevd workspace
    if (c.model == Model::tokens) bytes += 8 * d * V + 8 * N * T;
  } else {
    bytes += (c.model == Model::tokens ? 4 * d * largest_column_share(s.V, parts) + 4 * N * T
                                       : 4 * d * largest_column_share(s.N, parts)) +
             8 * (V + N);
    bytes += 2 * 8 * d * std::min(d, 1000.0) + 8 * 32 * (d + V + N);  // Krylov basis, C K; blocks
  }
  return bytes;
}

/// Throws std::invalid_argument (before anything is allocated) when one
/// replicate would need more than 90% of the available memory. `sharing`
/// processes (e.g. MPI ranks on one node) each run such a replicate at once,
/// so each may use only 1/sharing of it. With `parts` > 1 the need is one
/// process's share of a replicate split over `parts` processes.
inline void check_memory(const Config& c, int sharing = 1, int parts = 1) {
  const double need = estimated_bytes(c, parts);
  const double avail =
      static_cast<double>(available_memory_bytes()) / static_cast<double>(std::max(1, sharing));
  if (avail > 0 && need > 0.9 * avail) {
    std::ostringstream m;
    m.precision(3);
    m << "d = " << c.d << " needs about " << need / (1 << 30) << " GiB per replicate"
      << (parts > 1 ? " and process (split over " + std::to_string(parts) + ")" : std::string())
      << " (" << (resolved_solver(c) == Solver::dense ? "dense" : "matrix-free")
      << " solver) but only " << avail / (1 << 30) << " GiB of memory is available"
      << (sharing > 1 ? " per process (" + std::to_string(sharing) + " processes on this node)"
                      : std::string())
      << "; use a smaller d"
      << (resolved_solver(c) == Solver::dense ? " or the matrix-free solver (lanczos)" : "")
      << (sharing > 1 ? " or fewer ranks per node" : "");
    throw std::invalid_argument(m.str());
  }
}

}  // namespace attnrmt::mc
