// attnrmt/mc/reducer.hpp -- the one collective a distributed replicate needs:
// the sum of a block of doubles over the parts (processes) that each hold some
// columns of the stored random matrix (mc/column_split.hpp,
// docs/monte_carlo.md "One replicate over ranks"). The library stays free of
// MPI: the CLI implements this interface with MPI_Allreduce
// (solver/mpi_session.hpp, MpiReducer); SingleProcess is the identity.
#pragma once

#include <cstddef>
#include <string>

namespace attnrmt::mc {

/// Sum of a block over parts. Every part calls sum() with the same count, in
/// the same order (a collective). Implementations must leave the same bytes
/// on every part (the Krylov iteration's control flow depends on them; it
/// also checks its decisions through sum(), so a violation ends in an
/// exception on every part rather than a hang).
class Reducer {
 public:
  virtual ~Reducer() = default;
  /// Number of parts (1: not distributed).
  virtual int parts() const = 0;
  /// This part's index in [0, parts()).
  virtual int part() const = 0;
  /// Replaces data[0, count) by its sum over the parts.
  virtual void sum(double* data, std::size_t count) const = 0;
};

/// One part: sum() is the identity.
class SingleProcess final : public Reducer {
 public:
  int parts() const override { return 1; }
  int part() const override { return 0; }
  void sum(double*, std::size_t) const override {}
};

/// The identity reducer shared by single-process runs.
inline const Reducer& single_process() {
  static const SingleProcess instance;
  return instance;
}

}  // namespace attnrmt::mc
