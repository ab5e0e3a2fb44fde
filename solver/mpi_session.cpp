// solver/mpi_session.cpp -- see mpi_session.hpp.
#include "mpi_session.hpp"

#include <algorithm>
#include <cstdio>
#include <thread>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <string>

#ifdef ATTNRMT_HAVE_MPI
#include <mpi.h>
#endif

namespace attnrmt::cli::mpi {

bool built_with_mpi() {
#ifdef ATTNRMT_HAVE_MPI
  return true;
#else
  return false;
#endif
}

namespace {

[[maybe_unused]] bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(v) != nullptr) return true;
  return false;
}

[[maybe_unused]] int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr) return fallback;
  char* end = nullptr;
  long x = std::strtol(v, &end, 10);
  return end != v && x >= 1 && x <= 1000000 ? static_cast<int>(x) : fallback;
}

/// Ranks other than 0 of an MPI job keep std::cerr silent from the start:
/// errors found before the distributed work (option parsing in main, bad
/// values) are the same on every rank, and rank 0 reports them once. A rank's
/// own failure is reported by run_or_abort through stdio, which stays open.
struct SilenceOtherRanks {
  SilenceOtherRanks() {
    if (!built_with_mpi()) return;
    for (const char* v : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"}) {
      const char* r = std::getenv(v);
      if (r != nullptr) {
        if (std::strcmp(r, "0") != 0) std::cerr.rdbuf(nullptr);
        return;
      }
    }
  }
};
[[maybe_unused]] const SilenceOtherRanks silence_other_ranks;

}  // namespace

Session::Session() {
#ifdef ATTNRMT_HAVE_MPI
  if (!launched_by_mpi()) return;
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (!initialised) {
    MPI_Init(nullptr, nullptr);
    owner_ = true;
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  local_size_ = env_int("OMPI_COMM_WORLD_LOCAL_SIZE", 1);
  if (local_size_ > size_) local_size_ = size_;
#endif
}

Session::~Session() {
#ifdef ATTNRMT_HAVE_MPI
  if (owner_) MPI_Finalize();
#endif
}

std::vector<std::string> allgather(const Session& session, const std::string& local) {
  if (session.size() == 1) return {local};
#ifdef ATTNRMT_HAVE_MPI
  const int P = session.size();
  if (local.size() > static_cast<std::size_t>(1) << 30)
    throw std::runtime_error("MPI gather: a rank's results exceed 1 GiB");
  int mine = static_cast<int>(local.size());
  std::vector<int> counts(P), offsets(P);
  MPI_Allgather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD);
  long total = 0;
  for (int r = 0; r < P; ++r) {
    offsets[r] = static_cast<int>(total);
    total += counts[r];
    if (total > (1L << 30)) throw std::runtime_error("MPI gather: results exceed 1 GiB");
  }
  std::string all(static_cast<std::size_t>(total), '\0');
  MPI_Allgatherv(local.data(), mine, MPI_CHAR, all.data(), counts.data(), offsets.data(), MPI_CHAR,
                 MPI_COMM_WORLD);
  std::vector<std::string> out(P);
  for (int r = 0; r < P; ++r) out[r] = all.substr(offsets[r], counts[r]);
  return out;
#else
  return {local};
#endif
}

void MpiReducer::sum(double* data, std::size_t count) const {
  if (fail_after_ >= 0 && calls_++ == fail_after_)
    throw std::runtime_error("injected failure in block product " + std::to_string(fail_after_) +
                             " (ATTNRMT_TEST_FAIL_RANK)");
  if (session_.size() == 1) return;
#ifdef ATTNRMT_HAVE_MPI
  const std::size_t chunk = static_cast<std::size_t>(1) << 28;  // MPI counts are int
  for (std::size_t at = 0; at < count; at += chunk) {
    const int n = static_cast<int>(std::min(chunk, count - at));
    if (MPI_Allreduce(MPI_IN_PLACE, data + at, n, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD) !=
        MPI_SUCCESS)
      throw std::runtime_error("MPI_Allreduce failed in a distributed block product");
  }
#else
  (void)data;
  (void)count;
#endif
}

void meet_before_exit(const Session& session, double seconds) {
  if (session.size() == 1) return;
#ifdef ATTNRMT_HAVE_MPI
  MPI_Request request;
  if (MPI_Ibarrier(MPI_COMM_WORLD, &request) != MPI_SUCCESS) return;
  const auto start = std::chrono::steady_clock::now();
  int done = 0;
  while (!done) {
    if (MPI_Test(&request, &done, MPI_STATUS_IGNORE) != MPI_SUCCESS) return;
    if (done) return;
    if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > seconds)
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
#else
  (void)seconds;
#endif
}

void run_or_abort(const Session& session, const std::string& command,
                  const std::function<void()>& work) {
  if (session.size() == 1) {
    work();
    return;
  }
  int code = 0;
  std::string message;
  try {
    work();
  } catch (const std::invalid_argument& e) {
    code = 2;
    message = e.what();
  } catch (const std::exception& e) {
    code = 1;
    message = std::string("error: ") + e.what();
  }
  if (code == 0) return;
  std::fprintf(stderr, "attnrmt %s: rank %d of %d: %s (ending the job)\n", command.c_str(),
               session.rank(), session.size(), message.c_str());
  std::fflush(stderr);
#ifdef ATTNRMT_HAVE_MPI
  MPI_Abort(MPI_COMM_WORLD, code);
#endif
  std::_Exit(code);
}

}  // namespace attnrmt::cli::mpi
