// bench/bench_distributed.cpp -- one replicate split over MPI ranks (what
// `validate --distribute replicate` runs): wall time, eigen-solver time, time
// inside MPI_Allreduce (transfer and waiting for the other ranks) and peak
// memory (VmHWM) of every rank, and the volume each rank passes to
// MPI_Allreduce per block product. With --check, rank 0 also simulates the same
// replicate in one process (after measuring its memory) and prints the largest
// relative difference of the top eigenvalues and alignments; exit 1 above the
// bounds (1e-10 for the top eigenvalue, the solver's accuracy for the rest).
//
// Usage: mpirun -n P bench_distributed [--check] [tokens|gaussian] [d] [threads]
// (default tokens, d = 4000, 1 thread; delta = gamma = 1/2, rho = 1; tokens:
// T = 16, causal weights, latent-exp:0.9,4; gaussian: the same alpha/kappa).
// bench/run_distributed.sh runs P = 1 and P = 2 side by side.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "attnrmt/monte_carlo.hpp"
#include "bench_models.hpp"
#include "mpi_session.hpp"

using namespace attnrmt;

namespace {

/// Counts what passes through the reducer (calls and doubles) on this rank.
class CountingReducer final : public mc::Reducer {
 public:
  explicit CountingReducer(const mc::Reducer& inner) : inner_(inner) {}
  int parts() const override { return inner_.parts(); }
  int part() const override { return inner_.part(); }
  void sum(double* data, std::size_t count) const override {
    ++calls;
    doubles += static_cast<double>(count);
    const auto start = std::chrono::steady_clock::now();
    inner_.sum(data, count);
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  mutable long calls = 0;
  mutable double doubles = 0;
  mutable double seconds = 0;  ///< in the collective (transfer and waiting for the other ranks)

 private:
  const mc::Reducer& inner_;
};

double relative(double a, double b) {
  return std::abs(a - b) / std::max(std::abs(b), 1e-3);
}

}  // namespace

int main(int argc, char** argv) {
  cli::mpi::Session session;
  std::vector<std::string> args(argv + 1, argv + argc);
  const bool check = !args.empty() && args.front() == "--check";
  if (check) args.erase(args.begin());
  const std::string model = args.size() > 0 ? args[0] : "tokens";
  const long d = args.size() > 1 ? std::stol(args[1]) : 4000;
  const int threads = args.size() > 2 ? std::stoi(args[2]) : 1;
  const std::uint64_t seed = 7;
  int status = 0;
  cli::mpi::run_or_abort(session, "bench_distributed", [&]() {
    const mc::Config c = bench::replicate_model(model, d, mc::Solver::lanczos, threads);
    const mc::Sizes s = mc::realised_sizes(c);
    const cli::mpi::MpiReducer mpi_reducer(session);
    const CountingReducer counting(mpi_reducer);
    const mc::Replicate r = mc::simulate_replicate(c, seed, 0, counting);
    const double peak = static_cast<double>(mc::peak_memory_bytes()) / (1 << 20);
    const int steps = (r.lanczos_operations + c.krylov_block - 1) / c.krylov_block;
    std::ostringstream line;
    char buf[512];
    std::snprintf(buf, sizeof buf, "%-8s %7ld %3d %4d %8.2f %8.2f %10.2f %5d %9.1f %12.3f %8ld\n",
                  model.c_str(), d, session.size(), session.rank(), r.seconds, r.seconds_lanczos,
                  counting.seconds, steps, peak, 8 * counting.doubles / steps / 1e6,
                  counting.calls);
    const auto lines = cli::mpi::allgather(session, buf);
    if (!session.root()) return;
    std::printf("%-8s %7s %3s %4s %8s %8s %10s %5s %9s %12s %8s\n", "model", "d", "P", "rank",
                "seconds", "krylov", "allreduce", "steps", "VmHWM_MiB", "MB_per_step", "sums");
    for (const auto& l : lines) std::fputs(l.c_str(), stdout);
    std::printf("# V = %ld, N = %ld, block %d: top %.15g, second %.15g, A_mu %.15g, A_u %.15g\n",
                s.V, s.N, c.krylov_block, r.top_eigenvalues[0], r.top_eigenvalues[1],
                r.alignment_mu[0], r.alignment_u[0]);
    if (check) {
      const mc::Replicate one = mc::simulate_replicate(c, seed, 0);
      // Two bounds from the solver's stopping rule (mc/eigensolvers.hpp, tolerance
      // tol = c.lanczos_tolerance): the top eigenvalue (residual <= tol |theta|, error
      // ~ tol^2) to 1e-10; the alignments and the next eigenpairs (residual up to
      // 300 tol |theta|: errors ~ (300 tol)^2 each) to 2 (300 tol)^2 = 1.8e-7 at
      // tol = 1e-6. The two runs sum in a different order, and on some CPUs (BLAS
      // kernels) the Krylov iteration then stops at another step: their difference
      // is the solver's accuracy, not rounding (measured 9.7e-9, AMD EPYC; 6.8e-15
      // on the machine of docs/monte_carlo.md). A wrong distributed sum is O(1).
      const double rest_bound = 2 * std::pow(300 * c.lanczos_tolerance, 2);
      const double top = relative(r.top_eigenvalues[0], one.top_eigenvalues[0]);
      double worst = 0;
      for (std::size_t k = 0; k < one.top_eigenvalues.size(); ++k)
        worst = std::max({worst, k == 0 ? 0.0 : relative(r.top_eigenvalues[k], one.top_eigenvalues[k]),
                          relative(r.alignment_mu[k], one.alignment_mu[k]),
                          relative(r.alignment_u[k], one.alignment_u[k])});
      std::printf(
          "# check: one process: top %.15g, second %.15g, A_mu %.15g, A_u %.15g; top eigenvalue "
          "relative difference %.3e (bound 1e-10), largest relative difference of the rest "
          "%.3e (bound %.1e)\n",
          one.top_eigenvalues[0], one.top_eigenvalues[1], one.alignment_mu[0], one.alignment_u[0],
          top, worst, rest_bound);
      if (!(top <= 1e-10) || !(worst <= rest_bound)) status = 1;
    }
    std::fflush(stdout);
  });
  return status;
}
