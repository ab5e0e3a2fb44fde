// bench/bench_population_ball.cpp -- the certified population thresholds
// (ball/population_ball.hpp) beside the MPFR route the catalogue uses
// (GeneralBulkLaw<MpReal> + GeneralSpike<MpReal>), same run, same points.
//
// A table of 30 points: 5 population spectra (2 and 3 atoms, a split support,
// both signal directions) x 6 (delta, gamma) pairs (including > 1), rho = 1;
// per point a1, a2 and the sample edge. Prints per point the ball's a2 (20
// digits), its radius and the relative distance to the MPFR value, then the
// total CPU time of each route (best of `repeats` runs) at 15 and 50 digits.
// The MPFR route also builds the whole support (all edges), which the
// catalogue's tau1/tau2 evaluators do; the ball route computes only what the
// thresholds need.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "attnrmt/ball/population_ball.hpp"
#include "attnrmt/general_spike.hpp"
#include "attnrmt/precision.hpp"

namespace {

using attnrmt::MpReal;
using attnrmt::PopulationSpec;
using attnrmt::Rational;

Rational R(const char* s) {
  return attnrmt::parse_rational(s, "bench");
}

struct Point {
  PopulationSpec H;
  Rational delta, gamma;
};

std::vector<Point> points() {
  auto eig = [](PopulationSpec s, const Rational& t) {
    s.signal.eigenvector = true;
    s.signal.eigenvalue = t;
    return s;
  };
  const PopulationSpec two = PopulationSpec::from_atoms({R("1/2"), R("3/2")}, {R("1/2"), R("1/2")});
  const PopulationSpec three =
      PopulationSpec::from_atoms({R("1/3"), R("1"), R("2")}, {R("1/4"), R("1/2"), R("1/4")});
  const PopulationSpec split =
      PopulationSpec::from_atoms({R("1/10"), R("1"), R("10")}, {R("1/2"), R("9/20"), R("1/20")});
  const std::vector<PopulationSpec> Hs = {two, eig(two, R("3/2")), three, split,
                                          eig(split, R("10"))};
  const std::vector<std::pair<const char*, const char*>> dg = {
      {"1/2", "1/2"}, {"1/4", "1/4"}, {"2", "3/2"}, {"5/4", "1/10"}, {"1/10", "3"}, {"3", "3"}};
  std::vector<Point> out;
  for (const auto& H : Hs)
    for (const auto& [d, g] : dg) out.push_back({H, R(d), R(g)});
  return out;
}

double cpu_seconds() {
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

template <class F>
double best_of(int repeats, const F& f) {
  double best = 1e300;
  for (int r = 0; r < repeats; ++r) {
    const double t0 = cpu_seconds();
    f();
    best = std::min(best, cpu_seconds() - t0);
  }
  return best;
}

}  // namespace

int main() {
  const auto pts = points();
  const Rational rho(1);
  // Accuracy table at 50 digits: ball a2 vs MPFR at 60 digits.
  {
    attnrmt::ScopedPrecision mp(60);
    const slong prec = attnrmt::ball::bits_for_digits(50);
    std::printf("%-3s %-6s %-6s %-26s %-10s %-10s %-10s\n", "H", "delta", "gamma", "a2 (ball mid)",
                "rad(a1)", "rad(a2)", "|mpfr-mid|/a2");
    for (std::size_t i = 0; i < pts.size(); ++i) {
      const Point& p = pts[i];
      attnrmt::ball::BallPopulationSpike s(p.H, p.delta, p.gamma, rho, prec);
      attnrmt::Population<MpReal> H(p.H);
      attnrmt::GeneralBulkLaw<MpReal> bulk(H, attnrmt::to_real<MpReal>(p.delta),
                                           attnrmt::to_real<MpReal>(p.gamma));
      attnrmt::GeneralSpike<MpReal> spike(bulk, MpReal(1));
      MpReal mid;
      mpfr_set_ui(mid.backend().data(), 0, MPFR_RNDN);
      arf_get_mpfr(mid.backend().data(), arb_midref(s.thresholds().a2.get()), MPFR_RNDN);
      const MpReal rel = abs(mid - spike.thresholds().a2) / spike.thresholds().a2;
      std::printf("%-3zu %-6s %-6s %-26s %-10.2e %-10.2e %-10.2e\n", i / 6,
                  attnrmt::rational_to_string(p.delta).c_str(),
                  attnrmt::rational_to_string(p.gamma).c_str(), mid.str(20).c_str(),
                  mag_get_d(arb_radref(s.thresholds().a1.get())),
                  mag_get_d(arb_radref(s.thresholds().a2.get())), static_cast<double>(rel));
    }
  }
  for (int digits : {15, 50}) {
    const slong prec = attnrmt::ball::bits_for_digits(digits);
    attnrmt::ScopedPrecision mp(static_cast<unsigned>(digits));
    double sink = 0;
    const double ball = best_of(5, [&] {
      for (const Point& p : pts) {
        attnrmt::ball::BallPopulationSpike s(p.H, p.delta, p.gamma, rho, prec);
        sink += arf_get_d(arb_midref(s.thresholds().a2.get()), ARF_RND_NEAR);
      }
    });
    const double mpfr = best_of(5, [&] {
      for (const Point& p : pts) {
        attnrmt::Population<MpReal> H(p.H);
        attnrmt::GeneralBulkLaw<MpReal> bulk(H, attnrmt::to_real<MpReal>(p.delta),
                                             attnrmt::to_real<MpReal>(p.gamma));
        attnrmt::GeneralSpike<MpReal> spike(bulk, MpReal(1));
        sink += static_cast<double>(spike.thresholds().a2);
      }
    });
    std::printf(
        "%d digits, 30 points (a1, a2, table and sample edges): ball %.4f s CPU, MPFR %.4f s "
        "CPU (ratio %.1f)  [%g]\n",
        digits, ball, mpfr, mpfr / ball, sink > 0 ? 1.0 : 0.0);
  }
  return 0;
}
