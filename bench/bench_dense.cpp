// bench/bench_dense.cpp -- Eigen versus LAPACK/OpenBLAS for the dense path.
//
// For d in argv[1] (default 1000,2000,4000), N = 2d: forms C = H H^T / N
// from a Gaussian d x N matrix (Eigen rankUpdate vs BLAS dsyrk) and computes all
// eigenvalues (Eigen SelfAdjointEigenSolver vs LAPACK dsyevd), then checks that
// both give the same spectrum. This measurement chose LAPACK (docs/monte_carlo.md).
#include <chrono>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "attnrmt/monte_carlo.hpp"

using namespace attnrmt::mc;
using Clock = std::chrono::steady_clock;

static double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

int main(int argc, char** argv) {
  std::vector<long> ds = {1000, 2000, 4000};
  if (argc > 1) {
    ds.clear();
    std::stringstream ss(argv[1]);
    std::string item;
    while (std::getline(ss, item, ',')) ds.push_back(std::stol(item));
  }
  detail::set_blas_threads(2);
  std::printf("%6s %12s %12s %12s %12s %14s\n", "d", "eigen_rank", "blas_syrk", "eigen_eig", "lapack_syevd",
              "max_rel_diff");
  for (long d : ds) {
    const long N = 2 * d;
    Eigen::MatrixXd H(d, N);
    detail::NormalSource normal(42);
    for (long j = 0; j < N; ++j)
      for (long i = 0; i < d; ++i) H(i, j) = normal();
    auto t0 = Clock::now();
    Eigen::MatrixXd C1 = Eigen::MatrixXd::Zero(d, d);
    C1.selfadjointView<Eigen::Lower>().rankUpdate(H, 1.0 / static_cast<double>(N));
    double t_rank = since(t0);
    t0 = Clock::now();
    Eigen::MatrixXd C2(d, d);
    detail::symmetric_rank_k(static_cast<int>(d), static_cast<int>(N), 1.0 / static_cast<double>(N), H.data(),
                             C2.data());
    double t_syrk = since(t0);
    t0 = Clock::now();
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(C1, Eigen::EigenvaluesOnly);
    double t_eig = since(t0);
    t0 = Clock::now();
    auto w = detail::symmetric_eigenvalues(static_cast<int>(d), C2.data());
    double t_syevd = since(t0);
    double diff = 0;
    for (long i = 0; i < d; ++i)
      diff = std::max(diff, std::abs(w[i] - es.eigenvalues()[i]) / std::abs(es.eigenvalues()[d - 1]));
    std::printf("%6ld %12.3f %12.3f %12.3f %12.3f %14.2e\n", d, t_rank, t_syrk, t_eig, t_syevd, diff);
    std::fflush(stdout);
  }
  return 0;
}
