// bench/bench_replicate.cpp -- wall time and peak memory of one Monte Carlo replicate.
//
// Usage: bench_replicate [model] [d,d,...] [solver] [threads]
//   model: gaussian | tokens (T = 16, causal weights, latent-exp:0.9,4), default both
//   default: dense at d = 1000, 2000, 4000 and matrix-free at d = 20000.
// delta = gamma = 1/2, rho = 1. Prints seconds per replicate, the Lanczos
// product count, the top eigenvalue and alignment against theory, and VmHWM.
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "attnrmt/monte_carlo.hpp"
#include "bench_models.hpp"

using namespace attnrmt;

int main(int argc, char** argv) {
  std::vector<std::string> models = {"gaussian", "tokens"};
  if (argc > 1 && std::string(argv[1]) != "both") models = {argv[1]};
  std::vector<std::pair<long, mc::Solver>> runs = {{1000, mc::Solver::dense},
                                                   {2000, mc::Solver::dense},
                                                   {4000, mc::Solver::dense},
                                                   {20000, mc::Solver::lanczos}};
  if (argc > 2) {
    runs.clear();
    mc::Solver s = argc > 3 && std::string(argv[3]) == "lanczos" ? mc::Solver::lanczos
                   : argc > 3 && std::string(argv[3]) == "dense" ? mc::Solver::dense
                                                                 : mc::Solver::automatic;
    std::stringstream ss(argv[2]);
    std::string item;
    while (std::getline(ss, item, ',')) runs.push_back({std::stol(item), s});
  }
  const int threads = argc > 4 ? std::stoi(argv[4]) : 2;
  std::printf("%-9s %7s %-8s %8s %8s %6s %10s %10s %9s %9s %10s\n", "model", "d", "solver",
              "seconds", "lanczos", "ops", "top", "theory", "A_mu", "theory", "VmHWM_MiB");
  for (const auto& m : models) {
    for (auto [d, solver] : runs) {
      const mc::Config c = bench::replicate_model(m, d, solver, threads);
      auto p = mc::predict(c);
      auto r = mc::simulate_replicate(c, 7, 0);
      std::printf("%-9s %7ld %-8s %8.2f %8.2f %6d %10.5f %10.5f %9.5f %9.5f %10.0f\n", m.c_str(), d,
                  r.full_spectrum ? "dense" : "lanczos", r.seconds, r.seconds_lanczos,
                  r.lanczos_operations, r.top_eigenvalues[0], p.top, r.alignment_mu[0],
                  p.alignment_mu, static_cast<double>(mc::peak_memory_bytes()) / (1 << 20));
      std::fflush(stdout);
    }
  }
  return 0;
}
