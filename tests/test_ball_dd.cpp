// tests/test_ball_dd.cpp -- double-double balls (include/attnrmt/ball/detail/dd_*.hpp)
// and the grid's double-double stage (ball/grid.hpp).
//
// Independent routes: every operation repeated in Arb at 256 bits on the same
// input balls (the Arb ball must lie inside the double-double ball, and the
// double-double radius must be tight); Arb's acb_arg for the argument; MPFR's
// decimal rounding (ball/decimal.hpp round_ball) for the decimals; the Arb-only
// grid path (dd_stage = false) for the grid, string for string and bit for bit.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <tuple>
#include <random>
#include <string>
#include <vector>

#include "attnrmt/ball/decimal.hpp"
#include "attnrmt/ball/detail/dd_arb.hpp"
#include "attnrmt/ball/detail/dd_arg.hpp"
#include "attnrmt/ball/detail/dd_round.hpp"
#include "attnrmt/ball/grid.hpp"
#include "support/rational_literal.hpp"

using namespace attnrmt;
using namespace attnrmt::ball::detail;
using attnrmt::ball::Acb;
using attnrmt::ball::Arb;

namespace {

constexpr slong kPrec = 256;
// Arithmetic is checked at 2048 bits: a sum of two doubles-doubles 10^300 apart
// is exact in double-double but not in 256 bits.
constexpr slong kExact = 2048;

// A random double-double point of magnitude about 10^[lo_exp, hi_exp], random sign.
DD random_dd(std::mt19937_64& rng, double lo_exp, double hi_exp) {
  std::uniform_real_distribution<double> e(lo_exp, hi_exp), unit(-1, 1);
  const double hi = std::pow(10.0, e(rng)) * (unit(rng) < 0 ? -1 : 1);
  double s, l;
  two_sum(hi, hi * 0x1p-53 * unit(rng), s, l);
  return DD{s, l};
}

DDBall random_ball(std::mt19937_64& rng, double lo_exp, double hi_exp, bool exact) {
  DDBall b{random_dd(rng, lo_exp, hi_exp), 0};
  // A power of two: Arb's 30-bit radius holds it exactly (the Arb ball is the same ball).
  if (!exact)
    b.r = std::exp2(std::floor(std::log2(std::fabs(b.m.hi)) -
                               std::uniform_real_distribution<>(66, 113)(rng)));
  return b;
}

// Relative radius of a non-zero ball.
double rel_width(const DDBall& b) {
  return b.r / std::fabs(b.m.hi);
}

// The Arb ball `exact` (same operation at 256 bits on the same inputs) lies in dd.
bool contains(const DDBall& dd, arb_srcptr exact) {
  return finite(dd) && arb_contains(arb_from_dd(dd), exact);
}

using attnrmt_test::R;

}  // namespace

TEST_CASE("dd: conversions from Arb and rationals contain the value, tightly", "[ball][dd]") {
  for (const char* s : {"1/3", "-22/7", "1/10", "123456789/1000000007", "3", "1/3000000000000000000001"}) {
    const Rational x = R(s);
    const DDBall b = dd_from_rational(x);
    CHECK(contains(b, ball::to_arb(x, kPrec)));
    CHECK(rel_width(b) < 1e-31);
    const DDBall c = dd_from_arb(ball::to_arb(x, kPrec));
    CHECK(contains(c, ball::to_arb(x, kPrec)));
    CHECK(rel_width(c) < 1e-31);
  }
  CHECK(dd_from_rational(R("5")).r == 0);
  CHECK(!finite(dd_from_arb(Arb::indeterminate())));
}

namespace {
// The exact point v (a double-double) as an Arb ball of radius 0.
Arb arb_point(double hi, double lo) {
  return arb_from_dd(DDBall{DD{hi, lo}, 0});
}
// The corners of a ball: m - r, m, m + r (in Arb, exactly).
std::vector<Arb> corners(const DDBall& b) {
  std::vector<Arb> out;
  for (int s : {-1, 0, 1}) {
    Arb p = arb_point(b.m.hi, b.m.lo), r = arb_point(b.r, 0);
    if (s) arb_addmul_si(p, r, s, 4096);
    out.push_back(p);
  }
  return out;
}
}  // namespace

// Sums, products and quotients are monotone in each argument on a box that
// does not reach a pole, so their extremes over two balls are at the corners:
// each corner's exact value (Arb at 2048 bits from exact points) must lie in the
// double-double ball. (Containing Arb's own ball of the operation would also be
// a test, but Arb rounds radii up to 30 bits, about 2^-30 relative, more than
// the double-double radius margin.)
TEST_CASE("dd: + - * / contain the 256-bit Arb results and are tight", "[ball][dd]") {
  std::mt19937_64 rng(20261202);
  int checked = 0;
  double worst_exact = 0;
  for (int i = 0; i < 4000; ++i) {
    const bool exact = i % 2 == 0;
    // Magnitudes from 1e-150 to 1e150 (cancellation included: random signs).
    const double span = i % 4 < 2 ? 3 : 150;
    const DDBall a = random_ball(rng, -span, span, exact), b = random_ball(rng, -span, span, exact);
    const DDBall ds = add(a, b), dd_ = sub(a, b), dp = mul(a, b), dq = div(a, b);
    for (const Arb& A : corners(a))
      for (const Arb& B : corners(b)) {
        Arb s, d, p, q;
        arb_add(s, A, B, kExact);
        arb_sub(d, A, B, kExact);
        arb_mul(p, A, B, kExact);
        arb_div(q, A, B, kExact);
        REQUIRE(contains(ds, s));
        REQUIRE(contains(dd_, d));
        REQUIRE(contains(dp, p));
        REQUIRE(contains(dq, q));
      }
    if (exact) {
      // Product and quotient: relative; sum: relative to the larger operand.
      // (Results near 2^-1000 carry the absolute margin: left out here.)
      const double big = std::max(std::fabs(a.m.hi), std::fabs(b.m.hi));
      if (big > 1e-250) worst_exact = std::max({worst_exact, ds.r / big, dd_.r / big});
      if (std::fabs(dp.m.hi) > 1e-250) worst_exact = std::max(worst_exact, rel_width(dp));
      if (std::fabs(dq.m.hi) > 1e-250) worst_exact = std::max(worst_exact, rel_width(dq));
    } else {
      // Radii: the input radii plus at most 2^-100 relative.
      const double big = std::max(std::fabs(a.m.hi), std::fabs(b.m.hi));
      CHECK(ds.r <= (a.r + b.r) * (1 + 0x1p-39) + big * 0x1p-100);
    }
    ++checked;
  }
  CHECK(checked == 4000);
  CHECK(worst_exact < 1e-30);
  // Overflow and division by a ball containing 0 give non-finite balls.
  CHECK(!finite(mul(dd_exact(1e300), dd_exact(1e300))));
  CHECK(!finite(div(dd_exact(1), DDBall{DD{1e-20, 0}, 1e-19})));
}

// Complex products are multilinear in the four real parts: extremes at the
// 81 corners; quotients of exact points.
TEST_CASE("dd: complex products and quotients contain the Arb results", "[ball][dd]") {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 1000; ++i) {
    const bool exact = i % 2 == 0;
    const DDComplex a{random_ball(rng, -2, 2, exact), random_ball(rng, -2, 2, exact)};
    const DDComplex b{random_ball(rng, -2, 2, exact), random_ball(rng, -2, 2, exact)};
    const DDComplex p = mul(a, b), q = div(a, b);
    for (const Arb& ar : corners(a.re))
      for (const Arb& ai : corners(a.im))
        for (const Arb& br : corners(b.re))
          for (const Arb& bi : corners(b.im)) {
            Acb A, B, P, Q;
            arb_set(A.re(), ar);
            arb_set(A.im(), ai);
            arb_set(B.re(), br);
            arb_set(B.im(), bi);
            acb_mul(P, A, B, kExact);
            REQUIRE(contains(p.re, P.re()));
            REQUIRE(contains(p.im, P.im()));
            if (exact) {
              acb_div(Q, A, B, kExact);
              REQUIRE(contains(q.re, Q.re()));
              REQUIRE(contains(q.im, Q.im()));
            }
          }
    if (exact) CHECK(q.re.r + q.im.r < 1e-29 * mag_upper(q));
  }
}

namespace {
// acb_arg at 256 bits of the same ball.
Arb arb_arg(const DDComplex& w) {
  Acb W;
  arb_set(W.re(), arb_from_dd(w.re));
  arb_set(W.im(), arb_from_dd(w.im));
  Arb a;
  acb_arg(a, W, kPrec);
  return a;
}
}  // namespace

TEST_CASE("dd: arg contains Arb's acb_arg, tightly, including hard spots", "[ball][dd]") {
  std::mt19937_64 rng(13);
  std::uniform_real_distribution<double> angle(-M_PI, 0), loge(-100, 100);
  double worst = 0;
  int decided = 0;
  for (int i = 0; i < 5000; ++i) {
    const double t = angle(rng), m = std::pow(10.0, loge(rng));
    DDComplex w{dd_exact(m * std::cos(t)), dd_exact(m * std::sin(t))};
    if (!(w.im.m.hi < 0)) continue;
    if (i % 3 == 1) w.re.r = w.im.r = std::exp2(std::floor(std::log2(m)) - 110);
    const DDBall a = dd_arg_lower(w);
    REQUIRE(finite(a));
    // The extremes of arg over a rectangle away from 0 and the cut: its corners.
    for (const Arb& u : corners(w.re))
      for (const Arb& v : corners(w.im)) {
        Acb W;
        arb_set(W.re(), u);
        arb_set(W.im(), v);
        Arb t;
        acb_arg(t, W, kPrec);
        REQUIRE(contains(a, t));
      }
    if (i % 3 != 1) worst = std::max(worst, a.r);
    ++decided;
  }
  CHECK(decided > 4900);
  CHECK(worst < 1e-30);  // absolute: arg is in (-pi, 0)
  // Hard spots: near the branch cut (the negative real axis, from below), near
  // the positive real axis (arg near 0, relative accuracy), near the imaginary
  // axis (the two reductions meet), table points (ratio exactly j/128), tiny and
  // huge moduli, arguments near 1 (q - 1 with q near 1).
  const std::vector<std::pair<double, double>> spots = {
      {-1, -1e-300}, {-1, -1e-30},   {-1e200, -1e-100}, {1, -1e-300}, {1, -1e-17},
      {1e-300, -1}, {-1e-300, -1},   {1, -1},           {-1, -1},     {1, -1 + 0x1p-52},
      {0.5, -64.0 / 128 * 0.5 + 0.0}, {1e-200, -1e-200}, {1e200, -3e200}, {0, -1},
      {1 + 1e-16 - 1, -1e-16},       {3, -3.0 * 127 / 128}, {-3, -3.0 * 129 / 128}};
  for (const auto& [u, v] : spots) {
    DDComplex w{dd_exact(u), dd_exact(v)};
    if (!(v < 0)) continue;
    const DDBall a = dd_arg_lower(w);
    INFO("w = " << u << " + i " << v);
    REQUIRE(finite(a));
    REQUIRE(contains(a, arb_arg(w)));
    CHECK(a.r <= std::max(1e-31, std::fabs(a.m.hi) * 1e-30));
  }
  // arg of (q - 1) with q = 1 + 1e-20 - 1e-25 i in double-double: q - 1 is exact.
  DDComplex w{sub(DDBall{DD{1, 1e-20}, 0}, dd_exact(1)), dd_exact(-1e-25)};
  CHECK(w.re.r < 1e-290);  // the absolute margin 2^-1000 only
  const DDBall a = dd_arg_lower(w);
  REQUIRE(contains(a, arb_arg(w)));
  CHECK(rel_width(a) < 1e-29);
  // Im w not proven negative: not decided.
  CHECK(!finite(dd_arg_lower(DDComplex{dd_exact(1), dd_exact(0)})));
  CHECK(!finite(dd_arg_lower(DDComplex{dd_exact(-1), DDBall{DD{-1e-20, 0}, 1e-19}})));
}

TEST_CASE("dd: decimals and doubles decided from a ball are MPFR's correct rounding",
          "[ball][dd]") {
  std::mt19937_64 rng(99);
  int decided = 0, doubles = 0;
  for (int i = 0; i < 20000; ++i) {
    const DDBall v = random_ball(rng, -12, 12, false);
    const Arb V = arb_from_dd(v);
    for (int digits : {15, 7, 1}) {
      auto d = dd_round_decimal(v, digits);
      auto ref = ball::round_ball(V, digits);
      if (d) {
        ++decided;
        REQUIRE(ref);
        REQUIRE(*d == *ref);
      }
    }
    if (auto y = dd_round_double(v)) {
      ++doubles;
      REQUIRE(y == ball::round_ball_to_double(V));
    }
  }
  CHECK(decided > 59000);
  CHECK(doubles > 19000);
  // Boundaries: the ball must not be decided across a tie or a decade.
  const DDBall tie{DD{0.1234567890123455, 0}, 0};  // a double near the 15-digit tie
  const auto tie_ref = ball::round_ball(arb_from_dd(tie), 15);
  const auto tie_dd = dd_round_decimal(tie, 15);
  CHECK(tie_ref);
  if (tie_dd) CHECK(*tie_dd == *tie_ref);
  // 0.99999999999999995 rounds up to the next decade: 1.00000000000000.
  const DDBall near_one{DD{1, -5e-17}, 1e-30};
  auto one = dd_round_decimal(near_one, 15);
  REQUIRE(one);
  CHECK(ball::layout_decimal(*one) == "1");
  CHECK(*one == *ball::round_ball(arb_from_dd(near_one), 15));
  // Exactly 1 +- tiny straddles the decade 10^0: the decimal is still 1.
  CHECK(dd_round_decimal(DDBall{DD{1, 0}, 1e-30}, 15));
  // Balls around a rounding boundary are not decided.
  CHECK(!dd_round_decimal(DDBall{DD{0.5, 0}, 1e-3}, 15));
  CHECK(!dd_round_double(DDBall{DD{1, 0x1p-53}, 1e-30}));  // the tie between 1 and 1 + 2^-52
  CHECK(!dd_round_decimal(DDBall{DD{0, 0}, 1e-30}, 15));
}

namespace {
// The grid with and without the double-double stage: equal decimals on every
// point; returns how many points the stage decided.
long compare_grids(const Rational& delta, const Rational& gamma, const Rational& kappa,
                   const std::vector<Rational>& xs, int digits, long* inside = nullptr) {
  ball::LawLadder ladder(delta, gamma, kappa);
  auto with = ball::density_cdf_grid(ladder, xs, digits, 2, true);
  auto without = ball::density_cdf_grid(ladder, xs, digits, 2, false);
  long dd = 0, same = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    dd += with[i].dd;
    if (inside) *inside += !without[i].density.value.zero;
    const bool eq = with[i].density.proven == without[i].density.proven &&
                    with[i].cdf.proven == without[i].cdf.proven &&
                    ball::layout_decimal(with[i].density.value) ==
                        ball::layout_decimal(without[i].density.value) &&
                    ball::layout_decimal(with[i].cdf.value) ==
                        ball::layout_decimal(without[i].cdf.value) &&
                    with[i].density.proven == digits;
    // The ball handed on decides the same decimal (the CLI rounds it again).
    const bool ball_ok = !with[i].dd || (ball::round_ball(with[i].density.ball, digits) ==
                                             std::optional(with[i].density.value) &&
                                         ball::round_ball(with[i].cdf.ball, digits) ==
                                             std::optional(with[i].cdf.value));
    if (!eq || !ball_ok) {
      INFO("x = " << xs[i].str() << " dd " << with[i].dd << " density "
                  << ball::layout_decimal(with[i].density.value) << " vs "
                  << ball::layout_decimal(without[i].density.value) << " cdf "
                  << ball::layout_decimal(with[i].cdf.value) << " vs "
                  << ball::layout_decimal(without[i].cdf.value));
      CHECK(eq);
      CHECK(ball_ok);
    }
    same += eq && ball_ok;
  }
  CHECK(same == static_cast<long>(xs.size()));
  return dd;
}

// Points within 10^-k of each edge (k = 2..30, both sides) and the edges'
// neighbourhood of 0.
std::vector<Rational> edge_points(const ball::BallLaw& law) {
  std::vector<Rational> xs;
  for (const Arb& e : {law.left_edge(), law.right_edge()}) {
    auto mid = simplest_rational_in(e);
    Rational c = mid ? *mid : Rational(arf_get_d(arb_midref(e.get()), ARF_RND_NEAR));
    if (c == 0) continue;
    for (int k = 2; k <= 30; ++k) {
      Rational h = Rational(1);
      for (int j = 0; j < k; ++j) h /= 10;
      for (int s : {-3, -1, 1, 3}) xs.push_back(c + s * h);
    }
  }
  return xs;
}
}  // namespace

TEST_CASE("dd: the grid's double-double stage prints the Arb path's digits (100,000+ points)",
          "[ball][dd]") {
  struct Law {
    const char* delta;
    const char* gamma;
    const char* kappa;
    const char* a;
    const char* b;
    int m;
    int percent = 95;  ///< share of the points inside the support the stage must decide
  };
  // 0.03..4.4 at delta = gamma = 1/2 (the benchmark), atoms (delta > 1, gamma > 1,
  // near 0), delta = 1 (no log term), kappa != 1, a hard edge (delta = gamma = 1).
  const std::vector<Law> laws = {
      {"1/2", "1/2", "1", "3/100", "44/10", 40000}, {"3", "1/2", "1", "1/1000000", "20", 20000},
      {"1/2", "5/2", "3/2", "-1/10", "12", 15000},  {"1", "1/3", "1", "1/100000000", "9", 10000},
      {"1", "1", "1", "1/1000000000", "4.1", 10000}, {"7/10", "2/5", "2", "0", "10", 10000},
      // Badly scaled cubic (roots near 1 and near -1e6): Newton from a poor seed.
      {"1/1000000", "1000", "1/7", "133", "153", 5000, 60}};
  long total = 0, dd = 0;
  for (const auto& l : laws) {
    std::vector<Rational> xs;
    const Rational a = R(l.a), b = R(l.b);
    for (int i = 0; i < l.m; ++i) xs.push_back(a + (b - a) * i / (l.m - 1));
    ball::LawLadder ladder(R(l.delta), R(l.gamma), R(l.kappa));
    for (const auto& x : edge_points(ladder.at(64))) xs.push_back(x);
    // x with wide numerators and denominators (the Arb conversion route).
    xs.push_back(R("1/3") + R("1/100000000000000000000000000000000000001"));
    long inside = 0;
    const long d = compare_grids(R(l.delta), R(l.gamma), R(l.kappa), xs, 15, &inside);
    INFO("delta " << l.delta << " gamma " << l.gamma << ": " << d << " of " << inside
                  << " points inside the support decided by the stage");
    CHECK(d > inside * l.percent / 100);
    total += static_cast<long>(xs.size());
    dd += d;
  }
  CHECK(total > 100000);
  CHECK(dd > total / 2);
  // Fewer digits take the same stage.
  std::vector<Rational> xs;
  for (int i = 0; i < 2000; ++i) xs.push_back(R("1/10") + R("4") * i / 1999);
  CHECK(compare_grids(R("1/2"), R("1/2"), R("1"), xs, 6) > 1900);
}

TEST_CASE("dd: the double grid's double-double stage returns the Arb path's doubles bit for bit",
          "[ball][dd]") {
  for (const auto& [delta, gamma, kappa] :
       std::vector<std::tuple<const char*, const char*, const char*>>{
           {"1/2", "1/2", "1"}, {"3", "1/2", "1"}, {"1/2", "5/2", "3/2"}, {"1", "1", "1"}}) {
    ball::LawLadder ladder(R(delta), R(gamma), R(kappa));
    std::vector<double> xs;
    const int m = 20000;
    const double hi = 5 * static_cast<double>(R(kappa).convert_to<long double>()) *
                      std::max(4.0, static_cast<double>(R(delta).convert_to<long double>()));
    for (int i = 0; i < m; ++i) xs.push_back(-0.1 + (hi + 0.1) * i / (m - 1));
    // Doubles next to the edges.
    for (const Arb& e : {ladder.at(64).left_edge(), ladder.at(64).right_edge()}) {
      double c = arf_get_d(arb_midref(e.get()), ARF_RND_NEAR);
      for (int k = -40; k <= 40; ++k) {
        double y = c;
        for (int j = 0; j < std::abs(k); ++j) y = std::nextafter(y, k < 0 ? -HUGE_VAL : HUGE_VAL);
        xs.push_back(y);
      }
      for (int k = 1; k <= 15; ++k) xs.push_back(c * (1 + std::pow(10.0, -k)));
      for (int k = 1; k <= 15; ++k) xs.push_back(c * (1 - std::pow(10.0, -k)));
    }
    const auto with = ball::density_cdf_doubles(ladder, xs, true, true, 2, 4096, true);
    const auto without = ball::density_cdf_doubles(ladder, xs, true, true, 2, 4096, false);
    long same = 0;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      const bool eq = std::memcmp(&with.density[i], &without.density[i], sizeof(double)) == 0 &&
                      std::memcmp(&with.cdf[i], &without.cdf[i], sizeof(double)) == 0;
      if (!eq) {
        INFO("delta " << delta << " x = " << xs[i]);
        CHECK(eq);
      }
      same += eq;
    }
    CHECK(same == static_cast<long>(xs.size()));
    CHECK(with.undecided == without.undecided);
    // CDF alone, density alone: the same doubles.
    const auto cdf_only = ball::density_cdf_doubles(ladder, xs, false, true, 2);
    const auto density_only = ball::density_cdf_doubles(ladder, xs, true, false, 2);
    long same_alone = 0;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      const bool eq = std::memcmp(&cdf_only.cdf[i], &without.cdf[i], sizeof(double)) == 0 &&
                      std::memcmp(&density_only.density[i], &without.density[i], sizeof(double)) == 0;
      if (!eq) {
        INFO("delta " << delta << " x = " << xs[i] << " cdf " << cdf_only.cdf[i] << " vs "
                      << without.cdf[i]);
        CHECK(eq);
      }
      same_alone += eq;
    }
    CHECK(same_alone == static_cast<long>(xs.size()));
  }
}
