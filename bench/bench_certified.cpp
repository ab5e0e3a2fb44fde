// bench/bench_certified.cpp -- the certified ball engine's benchmarks (issue 13),
// plain wall-clock timers; bench/run_certified.sh runs them beside the python
// peers (bench/peers.py) in the same run. Every value is correctly rounded to
// the stated digits (the loop raises the precision where needed).
//   (a) density + CDF of delta = gamma = 1/2 on the grid 0.03:4.4:N at 15 digits
//       (grid path: double-double stage, then Arb; 2 threads), default N = 1,000,000
//   (b) outlier lambda, alignment_mu, alignment_u on a 20 x 20 x 10 grid
//       (delta, gamma in 0.1..4, alpha/kappa in 0.5..5, rho = 1) at 50 digits
//   (c) tau1, tau2 on a 30 x 30 x 3 grid (delta, gamma in 0.05..4, rho 0.5, 1, 2) at 50 digits
//   (a') the grid calls on 200,000 of those points with the double-double stage on and off
// (d), `integrate --f log` at 1000 digits, is timed on the CLI by run_certified.sh.
// Usage: bench_certified [N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "attnrmt/ball/certify.hpp"
#include "attnrmt/ball/grid.hpp"
#include "attnrmt/ball/spike_ball.hpp"

using namespace attnrmt;
using Clock = std::chrono::steady_clock;

namespace {
double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}
// Process CPU time (all threads): the machine is shared, so wall time alone
// overstates the cost when other jobs run.
double cpu_seconds() {
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

// f(ladder) for the bulk law at every (delta, gamma) in ds x ds (kappa = 1).
template <class F>
void for_each_law(const std::vector<Rational>& ds, F f) {
  for (const auto& d : ds)
    for (const auto& g : ds) {
      ball::LawLadder ladder(d, g, Rational(1));
      f(ladder);
    }
}

// k/(m-1) of the way from a to b, exactly.
std::vector<Rational> linear_grid(const Rational& a, const Rational& b, int m) {
  std::vector<Rational> v;
  for (int i = 0; i < m; ++i) v.push_back(a + (b - a) * i / (m - 1));
  return v;
}
}  // namespace

int main(int argc, char** argv) {
  const long n = argc > 1 ? std::atol(argv[1]) : 1000000;
  // (a)
  {
    ball::LawLadder ladder(Rational(1, 2), Rational(1, 2), Rational(1));
    const long chunk = 100000;
    double total = 0, grid_cpu = 0, cpu0 = cpu_seconds();
    long fast = 0, dd = 0, certified = 0;
    const Rational a = Rational(3, 100), span = Rational(437, 100);
    for (long start = 0; start < n; start += chunk) {
      std::vector<Rational> xs;
      for (long i = start; i < std::min(n, start + chunk); ++i)
        xs.push_back(a + span * i / (n - 1));
      auto t0 = Clock::now();
      const double c0 = cpu_seconds();
      auto out = ball::density_cdf_grid(ladder, xs, 15, 2);
      total += seconds_since(t0);
      grid_cpu += cpu_seconds() - c0;
      for (const auto& p : out) {
        fast += p.fast;
        dd += p.dd;
        certified += p.density.proven == 15 && p.cdf.proven == 15;
      }
    }
    double cpu = cpu_seconds() - cpu0;  // includes building the rational grid
    std::printf(
        "(a) density+cdf %ld points, 15 digits: wall %.3f s (%.2f us/point), cpu %.3f s "
        "(grid calls %.3f s, the rest builds the rational grid); "
        "fast path %ld (double-double stage %ld), all digits proven %ld\n",
        n, total, 1e6 * total / n, cpu, grid_cpu, fast, dd, certified);
  }
  // (a') the grid calls with the double-double stage on and off, same points
  {
    ball::LawLadder ladder(Rational(1, 2), Rational(1, 2), Rational(1));
    const long m = std::min(n, 200000L);
    std::vector<Rational> xs;
    for (long i = 0; i < m; ++i) xs.push_back(Rational(3, 100) + Rational(437, 100) * i / (m - 1));
    double c0 = cpu_seconds();
    auto on = ball::density_cdf_grid(ladder, xs, 15, 2, true);
    double c1 = cpu_seconds();
    auto off = ball::density_cdf_grid(ladder, xs, 15, 2, false);
    double c2 = cpu_seconds();
    long equal = 0;
    for (long i = 0; i < m; ++i)
      equal += on[i].density.value == off[i].density.value && on[i].cdf.value == off[i].cdf.value;
    std::printf(
        "(a') grid calls, %ld points: double-double stage on %.2f us/point cpu, off (Arb fast "
        "path) %.2f us/point cpu (%.1fx); equal decimals %ld\n",
        m, 1e6 * (c1 - c0) / m, 1e6 * (c2 - c1) / m, (c2 - c1) / (c1 - c0), equal);
  }
  // (b)
  {
    auto ds = linear_grid(Rational(1, 10), Rational(4), 20);
    auto aks = linear_grid(Rational(1, 2), Rational(5), 10);
    auto t0 = Clock::now();
    double cpu0 = cpu_seconds();
    long printed = 0;
    for_each_law(ds, [&](ball::LawLadder& ladder) {
      for (const auto& ak : aks) {
        // As `attnrmt outlier` prints them: exact rationals (detectable regime,
        // zero alignments) rounded exactly, the right edge (below tau2)
        // certified in balls, raising the precision as needed.
        const slong prec0 = ball::bits_for_digits(50);
        const auto o = ball::outlier(ladder.at(prec0), Rational(1), ak);
        printed += ball::round_rational(o.alignment_u_exact, 50).digits.size() == 50 ||
                   o.alignment_u_exact == 0;
        printed += ball::round_rational(o.alignment_mu_exact, 50).digits.size() == 50 ||
                   o.alignment_mu_exact == 0;
        if (o.exact)
          printed += ball::round_rational(o.lambda_exact, 50).digits.size() == 50;
        else
          printed += ball::certify_decimal(50, [&](slong prec) {
                       return prec == prec0 ? o.lambda : ladder.at(prec).right_edge();
                     }).proven == 50;
      }
    });
    double t = seconds_since(t0);
    std::printf(
        "(b) outlier 20x20x10 grid, 50 digits: wall %.4f s, cpu %.4f s (%ld of 12000 values "
        "proven)\n",
        t, cpu_seconds() - cpu0, printed);
  }
  // (c)
  {
    auto ds = linear_grid(Rational(1, 20), Rational(4), 30);
    const Rational rhos[3] = {Rational(1, 2), Rational(1), Rational(2)};
    auto t0 = Clock::now();
    double cpu0 = cpu_seconds();
    long printed = 0;
    for_each_law(ds, [&](ball::LawLadder& ladder) {
      for (const auto& rho : rhos)
        for (int w = 0; w < 2; ++w)
          printed += ball::certify_decimal(50, [&](slong prec) {
                       auto th = ball::thresholds(ladder.at(prec), rho);
                       return w == 0 ? th.tau1 : th.tau2;
                     }).proven == 50;
    });
    double t = seconds_since(t0);
    std::printf(
        "(c) thresholds 30x30x3 table, 50 digits: wall %.4f s, cpu %.4f s (%ld of 5400 "
        "values proven)\n",
        t, cpu_seconds() - cpu0, printed);
  }
  return 0;
}
