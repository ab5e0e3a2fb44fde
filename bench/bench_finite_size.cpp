// bench/bench_finite_size.cpp -- finite-size study for the Monte Carlo validator.
//
// For each configuration and d = 250, 500, 1000, 2000 (S = 8000/d replicates,
// at least 4; override the list with argv[1] = "250,500,..."), prints the gap
// mean - theory and its standard error for every compared quantity, then the
// rate r of |gap| ~ d^(-r) fitted by least squares on log|gap| against log d
// (only gaps larger than 2 stderr enter the fit). docs/monte_carlo.md quotes
// the output; monte_carlo.hpp's finite_size_allowance is set from it.
#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "attnrmt/correlation.hpp"
#include "attnrmt/mc_scheme.hpp"
#include "attnrmt/monte_carlo.hpp"
#include "attnrmt/weights.hpp"

using namespace attnrmt;

struct Case {
  std::string name;
  mc::Config config;
};

static mc::Config tokens(int T, const std::string& pooling, const std::string& corr, double rho) {
  mc::Config c;
  c.model = mc::Model::tokens;
  mc::apply_scheme(c, PositionalCorrelation::from_spec(corr, T), pooling);
  c.rho = rho;
  return c;
}

int main(int argc, char** argv) {
  std::vector<long> ds = {250, 500, 1000, 2000};
  if (argc > 1) {
    ds.clear();
    std::stringstream ss(argv[1]);
    std::string item;
    while (std::getline(ss, item, ',')) ds.push_back(std::stol(item));
  }
  std::vector<Case> cases;
  {
    mc::Config c;
    c.alpha_over_kappa = 2;
    cases.push_back({"gaussian a/k=2 (above tau2)", c});
    c.alpha_over_kappa = 0.5;
    cases.push_back({"gaussian a/k=0.5 (below tau1)", c});
    c.alpha_over_kappa = 0;
    c.centered = false;
    c.mean_strength = 32;
    cases.push_back({"gaussian uncentred M=32, no signal", c});
  }
  cases.push_back(
      {"tokens T=16 causal latent-exp:0.9,4", tokens(16, "causal", "latent-exp:0.9,4", 1)});
  cases.push_back({"tokens T=1 no signal", tokens(1, "mean", "identity", 0)});
  cases.push_back({"tokens T=2 no signal", tokens(2, "mean", "identity", 0)});
  for (auto& cs : cases) {
    std::printf("\n== %s\n", cs.name.c_str());
    std::printf("%-18s", "quantity");
    for (long d : ds) std::printf("  d=%-5ld gap (stderr)    ", d);
    std::printf("  rate\n");
    std::vector<std::vector<mc::QuantityReport>> per_d;
    std::vector<double> secs;
    for (long d : ds) {
      mc::Config c = cs.config;
      c.d = d;
      c.threads = 2;
      c.delta = c.gamma = 0.5;
      auto p = mc::predict(c);
      int S = static_cast<int>(std::max(4L, 8000 / d));
      std::vector<mc::Measurement> ms;
      double t = 0;
      for (int s = 0; s < S; ++s) {
        auto r = mc::simulate_replicate(c, 12345, s);
        t += r.seconds;
        ms.push_back(mc::measure(r, p));
      }
      secs.push_back(t / S);
      per_d.push_back(mc::compare(ms, p));
    }
    const auto& names = mc::quantity_names();
    for (std::size_t q = 0; q < names.size(); ++q) {
      std::printf("%-18s", names[q].c_str());
      double sx = 0, sy = 0, sxx = 0, sxy = 0;
      int n = 0;
      for (std::size_t k = 0; k < ds.size(); ++k) {
        const auto& r = per_d[k][q];
        double gap = r.mean - r.theory;
        std::printf("  %+11.4e (%9.2e)  ", gap, r.stderr_);
        if (std::abs(gap) > 2 * r.stderr_ && gap != 0) {
          double x = std::log(static_cast<double>(ds[k])), y = std::log(std::abs(gap));
          sx += x, sy += y, sxx += x * x, sxy += x * y, ++n;
        }
      }
      if (n >= 2)
        std::printf("  %.2f\n", -(n * sxy - sx * sy) / (n * sxx - sx * sx));
      else
        std::printf("  (gap within noise)\n");
    }
    std::printf("%-18s", "s/replicate");
    for (double t : secs) std::printf("  %-25.3f", t);
    std::printf("\n");
  }
  return 0;
}
