// bench/bench_population_edges_ball.cpp -- every support edge of
// H ⊠ MP_delta ⊠ MP_gamma in balls (ball/population_edges_ball.hpp) beside the
// MPFR route (GeneralBulkLaw<MpReal>'s support, sampling + bisection, uncertified),
// same run, same points.
//
// Spectra: two atoms, the split-support three atoms of docs/theory.md §6, and
// K = 256, 4096 atoms drawn with bench_population.cpp's fixed seed (half clustered
// within 2e-3 of 0.5, half uniform on [1, 2]); (delta, gamma) = (1/2, 1/2) and
// (1/4, 1/2) (the delta = gamma factor and the general x'). Per point: the number
// of intervals, the O(K) evaluations the ball route used, the wall time of each
// route (best of `repeats`) at 15 and 50 digits and their ratio, and the largest
// relative distance between the ball midpoints and the MPFR edges; then the time
// of one Cauchy transform at z = 1 + i/10 (ball/population_cauchy_ball.hpp,
// proven branch) against GeneralBulkLaw<MpReal>::cauchy (continuation), in us.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "attnrmt/ball/population_cauchy_ball.hpp"
#include "attnrmt/ball/population_edges_ball.hpp"
#include "attnrmt/general_bulk.hpp"
#include "attnrmt/mc/random.hpp"
#include "attnrmt/precision.hpp"

namespace {

using attnrmt::MpReal;
using attnrmt::PopulationSpec;
using attnrmt::Rational;

Rational R(const char* s) {
  return attnrmt::parse_rational(s, "bench");
}

PopulationSpec spectrum(int K) {
  if (K == 2) return PopulationSpec::from_atoms({R("1/2"), R("3/2")}, {R("1/2"), R("1/2")});
  if (K == 3)
    return PopulationSpec::from_atoms({R("1/10"), R("1"), R("10")},
                                      {R("1/2"), R("9/20"), R("1/20")});
  attnrmt::mc::detail::Xoshiro256 rng(20261201);
  std::vector<Rational> t, h;
  for (int k = 0; k < K; ++k) {
    t.push_back(k % 2 == 0 ? Rational(500000 + k / 2, 1000000)
                           : Rational(1000000 + static_cast<long>(rng.below(1000001)), 1000000));
    h.push_back(Rational(1));
  }
  return PopulationSpec::from_atoms(t, h);
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
  std::printf("%6s %5s %5s %6s %3s %6s %11s %11s %7s %9s %10s %10s\n", "K", "delta", "gamma",
              "digits", "n", "evals", "ball_ms", "mpfr_ms", "ratio", "max_rel", "g_ball_us",
              "g_mpfr_us");
  for (int K : {2, 3, 256, 4096})
    for (const auto& [d, g] : std::vector<std::pair<const char*, const char*>>{
             {"1/2", "1/2"}, {"1/4", "1/2"}}) {
      const PopulationSpec spec = spectrum(K);
      for (int digits : {15, 50}) {
        double ball_s = 1e300, mpfr_s = 1e300;
        attnrmt::ball::BallSupport sup;
        std::vector<attnrmt::SupportInterval<MpReal>> ref;
        attnrmt::ScopedPrecision mp(static_cast<unsigned>(digits));
        for (int r = 0; r < repeats; ++r) {
          auto t0 = std::chrono::steady_clock::now();
          attnrmt::ball::BallPopulationEdges e(spec, R(d), R(g),
                                               attnrmt::ball::bits_for_digits(digits));
          ball_s = std::min(ball_s, seconds_since(t0));
          sup = e.support();
          t0 = std::chrono::steady_clock::now();
          attnrmt::Population<MpReal> H(spec);
          attnrmt::GeneralBulkLaw<MpReal> law(H, attnrmt::to_real<MpReal>(R(d)),
                                              attnrmt::to_real<MpReal>(R(g)));
          mpfr_s = std::min(mpfr_s, seconds_since(t0));
          ref = law.support();
        }
        double max_rel = -1;
        if (sup.decided && sup.intervals.size() == ref.size())
          for (std::size_t i = 0; i < ref.size(); ++i)
            for (int side = 0; side < 2; ++side) {
              const attnrmt::ball::Arb& b = side ? sup.intervals[i].right : sup.intervals[i].left;
              const MpReal& m = side ? ref[i].right : ref[i].left;
              if (m == 0) continue;
              const double bd = arf_get_d(arb_midref(b.get()), ARF_RND_NEAR);
              max_rel = std::max(max_rel, std::abs(bd - static_cast<double>(m)) /
                                              std::abs(static_cast<double>(m)));
            }
        // One Cauchy transform (the laws built outside the timer).
        double g_ball = 1e300, g_mpfr = 1e300;
        bool g_proven = true;
        {
          attnrmt::ball::BallPopulationLaw bl(spec, R(d), R(g),
                                              attnrmt::ball::bits_for_digits(digits));
          attnrmt::Population<MpReal> H(spec);
          attnrmt::GeneralBulkLaw<MpReal> ml(H, attnrmt::to_real<MpReal>(R(d)),
                                             attnrmt::to_real<MpReal>(R(g)));
          for (int r = 0; r < repeats; ++r) {
            auto t0 = std::chrono::steady_clock::now();
            const attnrmt::ball::Acb c = bl.cauchy(R("1"), R("1/10"));
            g_ball = std::min(g_ball, seconds_since(t0));
            g_proven = g_proven && c.is_finite();
            t0 = std::chrono::steady_clock::now();
            (void)ml.cauchy(attnrmt::Complex<MpReal>(MpReal(1), MpReal(1) / 10));
            g_mpfr = std::min(g_mpfr, seconds_since(t0));
          }
        }
        std::printf("%6d %5s %5s %6d %3zu %6ld %11.3f %11.3f %7.2f %9.1e %10.1f %10.1f%s%s\n", K,
                    d, g, digits, sup.intervals.size(), sup.evaluations, 1e3 * ball_s,
                    1e3 * mpfr_s, ball_s / mpfr_s, max_rel, 1e6 * g_ball, 1e6 * g_mpfr,
                    sup.decided ? "" : "  UNDECIDED", g_proven ? "" : "  G-INDETERMINATE");
      }
    }
  return 0;
}
