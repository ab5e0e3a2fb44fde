// solver/mpi_session.hpp -- the CLI's MPI layer: one process group per run.
//
// Under `mpirun -n P attnrmt validate ...` the ranks split the Monte Carlo
// work (replicates and table rows) and rank 0 prints. MPI is initialised only
// when the process was started by an MPI launcher (OMPI_COMM_WORLD_SIZE,
// PMIX_RANK or PMI_RANK is set), so ordinary CLI calls and the tests never pay
// for MPI_Init. Without MPI (a build with ATTNRMT_MPI=OFF) every function
// below behaves as a single rank.
//
// Failure: a rank whose share of the work throws prints one line naming the
// rank and ends the whole job with MPI_Abort (exit code 2 for bad input, 1
// otherwise): no other rank waits for it in a collective forever.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "attnrmt/mc/reducer.hpp"

namespace attnrmt::cli::mpi {

/// True when this binary was built with MPI support.
bool built_with_mpi();

/// RAII: initialises MPI if (and only if) launched by an MPI launcher, and
/// finalises it on destruction. Nested sessions are no-ops.
class Session {
 public:
  Session();
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }
  /// Ranks of this job on this node (for the per-rank memory check).
  int local_size() const { return local_size_; }
  bool root() const { return rank_ == 0; }

 private:
  bool owner_ = false;
  int rank_ = 0, size_ = 1, local_size_ = 1;
};

/// Every rank passes its own byte string; every rank receives all of them,
/// indexed by rank. With one rank: {local}.
std::vector<std::string> allgather(const Session& session, const std::string& local);

/// The sum over the ranks of a distributed replicate (`validate --distribute
/// replicate`): MPI_Allreduce (MPI_SUM, in place) over MPI_COMM_WORLD; with one
/// rank (or without MPI) the identity. `fail_after` >= 0 is a testing hook
/// (scripts/test-mpi): the sum() call with that index throws, as a rank that
/// fails in the middle of a block product would.
class MpiReducer final : public mc::Reducer {
 public:
  explicit MpiReducer(const Session& session, long fail_after = -1)
      : session_(session), fail_after_(fail_after) {}
  int parts() const override { return session_.size(); }
  int part() const override { return session_.rank(); }
  void sum(double* data, std::size_t count) const override;

 private:
  const Session& session_;
  long fail_after_;
  mutable long calls_ = 0;
};

/// Waits until every rank has called it, or `seconds` have passed (then goes
/// on alone): MPI_Ibarrier polled. With one rank (or without MPI) returns at
/// once. Used on an error found before the distributed work, which every rank
/// finds (the options are the same): rank 0 writes the message, then all ranks
/// meet here, so no rank ends the job (mpirun aborts on the first non-zero
/// exit) before the message is written. The time limit keeps a rank that
/// alone failed from waiting forever.
void meet_before_exit(const Session& session, double seconds = 30);

/// Runs `work` on this rank. If it throws on a rank of a multi-rank job, that
/// rank prints "attnrmt COMMAND: error: rank R of P: MESSAGE" and aborts the
/// job (MPI_Abort) with exit code 2 (std::invalid_argument) or 1. With one
/// rank the exception propagates as usual.
void run_or_abort(const Session& session, const std::string& command,
                  const std::function<void()>& work);

}  // namespace attnrmt::cli::mpi
