// tests/test_ball_population_bulk.cpp -- the support of H ⊠ MP_delta ⊠ MP_gamma
// in balls (include/attnrmt/ball/population_edges_ball.hpp).
//
// Also the Cauchy transform and density in balls (ball/population_cauchy_ball.hpp).
//
// Independent sources: closed forms at H = delta_1 ((71 -+ 17 sqrt 17)/32 at
// delta = gamma = 1/2, (1 -+ sqrt delta)^2 at gamma = 0, 27/4 at delta = gamma = 1),
// the isotropic ball engine (bulk_law_ball.hpp, roots of its cubic), docs/theory.md
// §6's split-support edges (20 digits), the MPFR route (GeneralBulkLaw<MpReal>,
// sampling + bisection; its continuation for w(z)) at 60 digits, the defining
// equations at the proven critical points, and the mass 1 - atom of the ball
// density by a double-precision quadrature.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include <cmath>

#include "attnrmt/ball/bulk_law_ball.hpp"
#include "attnrmt/ball/population_cauchy_ball.hpp"
#include "attnrmt/ball/population_edges_ball.hpp"
#include "attnrmt/general_bulk.hpp"
#include "attnrmt/precision.hpp"
#include "support/population_examples.hpp"
#include "support/rational_literal.hpp"

using namespace attnrmt;
using attnrmt::ball::Acb;
using attnrmt::ball::Arb;
using attnrmt::ball::BallPopulationLaw;
using attnrmt::ball::BallPopulationEdges;
using attnrmt::ball::bits_for_digits;

namespace {

using attnrmt_test::R;

using attnrmt_test::split_three;
using attnrmt_test::three_atoms;
using attnrmt_test::two_atoms;

// A decimal string as a ball: its value -+ 1 unit in the last printed place.
Arb decimal_ball(const std::string& text, slong prec) {
  Arb v;
  arb_set_str(v, text.c_str(), prec);
  const auto dot = text.find('.');
  const long places = dot == std::string::npos ? 0 : static_cast<long>(text.size() - dot - 1);
  Arb unit;
  arb_set_ui(unit, 10);
  arb_pow_ui(unit, unit, static_cast<ulong>(places), prec);
  arb_inv(unit, unit, prec);
  arb_add_error(v, unit);
  return v;
}

// radius / |midpoint| < 10^-(digits + 2) (an exact ball counts as tight).
bool tight(const Arb& x, int digits) {
  if (!x.is_finite()) return false;
  if (mag_is_zero(arb_radref(x.get()))) return true;
  Arb rel, mid, bound;
  arf_t r;
  arf_init(r);
  arf_set_mag(r, arb_radref(x.get()));
  arb_set_arf(rel, r);
  arf_clear(r);
  arb_get_mid_arb(mid, x);
  arb_abs(mid, mid);
  arb_div(rel, rel, mid, 128);
  arb_set_ui(bound, 10);
  arb_pow_ui(bound, bound, static_cast<ulong>(digits + 2), 128);
  arb_inv(bound, bound, 128);
  return arb_lt(rel, bound) != 0;
}

// The MPFR value (at mpfr_digits) within the ball widened by 10^-(mpfr_digits - 5) relative.
bool contains_mpfr(const Arb& ball, const MpReal& x, int mpfr_digits) {
  Arb v, widened(ball), tol, mag_x;
  arf_set_mpfr(arb_midref(v.get()), x.backend().data());
  arb_set_ui(tol, 10);
  arb_pow_ui(tol, tol, static_cast<ulong>(mpfr_digits - 5), 256);
  arb_inv(tol, tol, 256);
  arb_abs(mag_x, v);
  arb_mul(tol, tol, mag_x, 256);
  arb_add_error(widened, tol);
  return arb_contains(widened, v) != 0;
}

// A part of a complex ball as a real ball.
Arb part(arb_srcptr x) {
  Arb out;
  arb_set(out, x);
  return out;
}

// (a -+ b sqrt c)/d in balls.
Arb surd(long a, int sgn, long b, long c, long d, slong prec) {
  Arb s, out;
  arb_set_si(s, c);
  arb_sqrt(s, s, prec);
  arb_mul_si(s, s, sgn * b, prec);
  arb_add_si(out, s, a, prec);
  arb_div_si(out, out, d, prec);
  return out;
}

}  // namespace

TEST_CASE("population support balls: H = delta_1 closed forms at 15, 50 and 100 digits",
          "[ball][population][support]") {
  for (int digits : {15, 50, 100}) {
    const slong prec = bits_for_digits(digits);
    INFO("digits " << digits);
    {  // delta = gamma = 1/2: (71 -+ 17 sqrt 17)/32
      BallPopulationEdges e(PopulationSpec::isotropic(), R("1/2"), R("1/2"), prec);
      const auto& s = e.support();
      REQUIRE(s.decided);
      REQUIRE(s.intervals.size() == 1);
      CHECK_FALSE(s.hard_edge);
      CHECK(s.atom == 0);
      CHECK(arb_overlaps(s.intervals[0].left, surd(71, -1, 17, 17, 32, prec)));
      CHECK(arb_overlaps(s.intervals[0].right, surd(71, 1, 17, 17, 32, prec)));
      CHECK(tight(s.intervals[0].left, digits));
      CHECK(tight(s.intervals[0].right, digits));
    }
    // gamma = 0: MP_delta, edges (1 -+ sqrt delta)^2 = (1 + delta) -+ 2 sqrt delta.
    for (long dnum : {1, 2, 8}) {  // delta = dnum/4
      INFO("delta " << dnum << "/4");
      BallPopulationEdges e(PopulationSpec::isotropic(), Rational(dnum, 4), Rational(0), prec);
      const auto& s = e.support();
      REQUIRE(s.decided);
      REQUIRE(s.intervals.size() == 1);
      // (1 -+ sqrt(d/4))^2 = ((4 + d) -+ 4 sqrt d)/4... written as (4 + d -+ 2 sqrt(4 d))/4.
      CHECK(arb_overlaps(s.intervals[0].left, surd(4 + dnum, -1, 2, 4 * dnum, 4, prec)));
      CHECK(arb_overlaps(s.intervals[0].right, surd(4 + dnum, 1, 2, 4 * dnum, 4, prec)));
      CHECK(tight(s.intervals[0].right, digits));
      CHECK(s.atom == (dnum > 4 ? Rational(1) - Rational(4, dnum) : Rational(0)));
    }
    {  // delta = gamma = 1: hard edge at 0, right edge 27/4 (Fuss-Catalan).
      BallPopulationEdges e(PopulationSpec::isotropic(), R("1"), R("1"), prec);
      const auto& s = e.support();
      REQUIRE(s.decided);
      REQUIRE(s.intervals.size() == 1);
      CHECK(s.hard_edge);
      CHECK(s.intervals[0].hard_left);
      CHECK(arb_is_zero(s.intervals[0].left));
      CHECK(arb_overlaps(s.intervals[0].right, ball::to_arb(R("27/4"), prec)));
      CHECK(tight(s.intervals[0].right, digits));
    }
    {  // delta = 1, gamma = 0: MP_1 on [0, 4].
      BallPopulationEdges e(PopulationSpec::isotropic(), R("1"), R("0"), prec);
      const auto& s = e.support();
      REQUIRE(s.decided);
      REQUIRE(s.intervals.size() == 1);
      CHECK(s.hard_edge);
      CHECK(arb_overlaps(s.intervals[0].right, ball::to_arb(R("4"), prec)));
    }
    // Against the isotropic ball engine (roots of its cubic), including a hard edge
    // (delta = 1 > gamma) and delta = gamma > 1 (hard edge, atom 1 - 1/delta).
    for (const auto& [d, g] : std::vector<std::pair<const char*, const char*>>{
             {"1/4", "1/2"}, {"3", "1/2"}, {"1", "1/2"}, {"2", "2"}, {"1/10", "3"}}) {
      INFO("delta " << d << " gamma " << g);
      ball::BallLaw iso(R(d), R(g), R("1"), prec);
      BallPopulationEdges e(PopulationSpec::isotropic(), R(d), R(g), prec);
      const auto& s = e.support();
      REQUIRE(s.decided);
      REQUIRE(s.intervals.size() == 1);
      CHECK(s.hard_edge == iso.hard_left_edge());
      CHECK(s.atom == iso.atom_exact());
      CHECK(arb_overlaps(s.intervals[0].right, iso.right_edge()));
      CHECK(tight(s.intervals[0].right, digits));
      if (!s.hard_edge) {
        CHECK(arb_overlaps(s.intervals[0].left, iso.left_edge()));
        CHECK(tight(s.intervals[0].left, digits));
      } else {
        CHECK(arb_is_zero(s.intervals[0].left));
      }
    }
  }
}

TEST_CASE("population support balls: docs/theory.md §6 split-support edges (20 digits)",
          "[ball][population][support]") {
  const char* edges[6] = {"0.019251602375947440882", "0.18013285636355675176",
                          "0.32209556382197541405",  "2.2258625771332322670",
                          "7.4023951878341062939",   "13.775465073626931246"};
  for (int digits : {15, 50, 100}) {
    const slong prec = bits_for_digits(digits);
    BallPopulationEdges e(split_three(), R("1/4"), R("1/4"), prec);
    const auto& s = e.support();
    REQUIRE(s.decided);
    REQUIRE(s.intervals.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
      CHECK(arb_overlaps(s.intervals[i].left, decimal_ball(edges[2 * i], prec)));
      CHECK(arb_overlaps(s.intervals[i].right, decimal_ball(edges[2 * i + 1], prec)));
      CHECK(tight(s.intervals[i].left, digits));
      CHECK(tight(s.intervals[i].right, digits));
    }
    // Defining equations at the proven critical points: x' = 0 (here delta = gamma:
    // the factor 1 - delta p - 2 delta I2 of x' vanishes) and x(w_c) = the edge.
    for (const auto& iv : s.intervals)
      for (const Arb* w : {&iv.w_left, &iv.w_right}) {
        Arb f, df;
        e.x_prime(*w, prec, f, df);
        CHECK(arb_contains_zero(f));
      }
    CHECK(s.evaluations > 0);
  }
}

TEST_CASE("population support balls: the MPFR GeneralBulkLaw at 60 digits lies in the balls",
          "[ball][population][support]") {
  ScopedPrecision mp(60);
  using M = MpReal;
  struct Case {
    PopulationSpec H;
    const char *delta, *gamma;
  };
  const std::vector<Case> cases = {
      {two_atoms(), "1/2", "1/2"},   {two_atoms(), "1/4", "0"},     {three_atoms(), "1/4", "1/2"},
      {three_atoms(), "2", "3/2"},   {split_three(), "1/4", "1/4"}, {split_three(), "1/4", "0"},
      {split_three(), "1/10", "1/5"}, {split_three(), "2", "3"},    {split_three(), "1", "1/3"},
  };
  for (const Case& c : cases) {
    INFO("H " << c.H.atoms.size() << " atoms, delta " << c.delta << " gamma " << c.gamma);
    Population<M> H(c.H);
    GeneralBulkLaw<M> law(H, to_real<M>(R(c.delta)), to_real<M>(R(c.gamma)));
    const auto& ref = law.support();
    for (int digits : {15, 50}) {
      INFO("digits " << digits);
      BallPopulationEdges e(c.H, R(c.delta), R(c.gamma), bits_for_digits(digits));
      const auto& s = e.support();
      REQUIRE(s.decided);
      REQUIRE(s.intervals.size() == ref.size());
      CHECK(s.hard_edge == law.hard_left_edge());
      CHECK(abs(to_real<M>(s.atom) - law.atom()) < M("1e-55"));
      for (std::size_t i = 0; i < ref.size(); ++i) {
        if (!s.intervals[i].hard_left) {
          CHECK(contains_mpfr(s.intervals[i].left, ref[i].left, 60));
          CHECK(tight(s.intervals[i].left, digits));
        }
        CHECK(contains_mpfr(s.intervals[i].right, ref[i].right, 60));
        CHECK(tight(s.intervals[i].right, digits));
        // The MPFR route's critical points are in the proven enclosures too.
        CHECK(contains_mpfr(s.intervals[i].w_right, ref[i].w_right, 60));
      }
    }
  }
}

TEST_CASE("population support balls: an exact rational critical point at a bisection point",
          "[ball][population][support]") {
  // H = (delta_{1/2} + delta_{3/2})/2, delta = 1/4, gamma = 0: delta I2(3/4) = 1 and
  // p_H(3/4) = 0, so w = 3/4 is a critical point (a dyadic midpoint the bisection
  // hits) and 3/4 an edge; both neighbouring pieces isolate it: one root, not two.
  for (int digits : {15, 50}) {
    BallPopulationEdges e(two_atoms(), R("1/4"), R("0"), bits_for_digits(digits));
    const auto& s = e.support();
    REQUIRE(s.decided);
    REQUIRE(s.intervals.size() == 2);
    CHECK(arb_contains(s.intervals[0].right, ball::to_arb(R("3/4"), 64)));
    CHECK(arb_contains(s.intervals[0].w_right, ball::to_arb(R("3/4"), 64)));
  }
}

TEST_CASE("population support balls: undecided is reported, bad input named",
          "[ball][population][support]") {
  // A budget of one evaluation cannot isolate anything: undecided, no intervals.
  BallPopulationEdges e(split_three(), R("1/4"), R("1/4"), 128, 1);
  CHECK_FALSE(e.support().decided);
  CHECK(e.support().intervals.empty());
  CHECK_FALSE(e.support().reason.empty());
  CHECK_THROWS_WITH(BallPopulationEdges(split_three(), R("0"), R("1/4"), 128),
                    Catch::Contains("delta"));
  CHECK_THROWS_WITH(BallPopulationEdges(split_three(), R("1/4"), R("-1"), 128),
                    Catch::Contains("gamma"));
}

TEST_CASE("population Cauchy transform and density in balls: H = delta_1 against the isotropic engine",
          "[ball][population][cauchy]") {
  const std::vector<std::pair<const char*, const char*>> zs = {
      {"1/10", "1/3"}, {"1", "1/3"}, {"3", "1/100"}, {"-1", "1/3"}, {"5", "-1/2"}, {"4", "2"}};
  for (const auto& [d, g] : std::vector<std::pair<const char*, const char*>>{
           {"1/2", "1/2"}, {"1/4", "1/2"}, {"3", "1/2"}}) {
    for (int digits : {15, 50, 100}) {
      INFO("delta " << d << " gamma " << g << " digits " << digits);
      const slong prec = bits_for_digits(digits);
      BallPopulationLaw law(PopulationSpec::isotropic(), R(d), R(g), prec);
      ball::BallLaw iso(R(d), R(g), R("1"), prec);
      for (const auto& [re, im] : zs) {
        INFO("z = " << re << " + i " << im);
        const Acb a = law.cauchy(R(re), R(im)), b = iso.cauchy(R(re), R(im));
        REQUIRE(a.is_finite());
        CHECK(acb_overlaps(a, b));
        CHECK(tight(part(a.re()), digits));
        CHECK(tight(part(a.im()), digits));
      }
      for (const char* x : {"1/10", "1/2", "1", "3", "4", "7", "-1"}) {
        INFO("x = " << x);
        const Arb fa = law.density(R(x)), fb = iso.density(R(x));
        REQUIRE(fa.is_finite());
        CHECK(arb_overlaps(fa, fb));
        if (arb_is_zero(fb)) CHECK(arb_is_zero(fa));  // outside: exactly 0
        else CHECK(tight(fa, digits));
      }
    }
  }
  // gamma = 0: MP_delta, density sqrt((b - x)(x - a))/(2 pi delta x), a, b = (1 -+ sqrt delta)^2.
  for (int digits : {15, 50}) {
    const slong prec = bits_for_digits(digits);
    BallPopulationLaw mp(PopulationSpec::isotropic(), R("1/2"), R("0"), prec);
    for (const char* x : {"1/5", "1", "2"}) {
      INFO("MP_1/2 at x = " << x << ", digits " << digits);
      Arb a = surd(6, -1, 2, 8, 4, prec), b = surd(6, 1, 2, 8, 4, prec), xb, f, pi, t;
      ball::set_rational(xb, R(x), prec);
      arb_sub(f, b, xb, prec);
      arb_sub(t, xb, a, prec);
      arb_mul(f, f, t, prec);
      arb_sqrt(f, f, prec);
      arb_const_pi(pi, prec);
      arb_mul(t, pi, xb, prec);  // 2 pi delta x = pi x at delta = 1/2
      arb_div(f, f, t, prec);
      const Arb got = mp.density(R(x));
      REQUIRE(got.is_finite());
      CHECK(arb_overlaps(got, f));
      CHECK(tight(got, digits));
    }
    CHECK(arb_is_zero(mp.density(R("3"))));
  }
  // Undecidable inputs are reported, not guessed: x at the exact edge 27/4 of
  // delta = gamma = 1 (inside the edge's ball), and x = 0 on its hard edge.
  BallPopulationLaw fc(PopulationSpec::isotropic(), R("1"), R("1"), 128);
  CHECK_FALSE(fc.density(R("27/4")).is_finite());
  CHECK_FALSE(fc.density(R("0")).is_finite());
  CHECK(fc.density(R("7")).is_finite());
  CHECK(arb_is_zero(fc.density(R("7"))));
  CHECK_THROWS_AS(fc.cauchy(R("0"), R("0")), std::invalid_argument);
}

TEST_CASE("population Cauchy transform and density in balls: split support against the MPFR route",
          "[ball][population][cauchy]") {
  ScopedPrecision mp(60);
  using M = MpReal;
  Population<M> H(split_three());
  GeneralBulkLaw<M> ref(H, to_real<M>(R("1/4")), to_real<M>(R("1/4")));
  for (int digits : {15, 50}) {
    INFO("digits " << digits);
    BallPopulationLaw law(split_three(), R("1/4"), R("1/4"), bits_for_digits(digits));
    REQUIRE(law.support().decided);
    for (const auto& [re, im] : std::vector<std::pair<const char*, const char*>>{
             {"1/10", "1/100"}, {"1", "1/3"}, {"3", "1/100"}, {"10", "1"}, {"20", "1/100"},
             {"-2", "1/10"}}) {
      INFO("z = " << re << " + i " << im);
      const Acb a = law.cauchy(R(re), R(im));
      const auto b = ref.cauchy(Complex<M>(to_real<M>(R(re)), to_real<M>(R(im))));
      REQUIRE(a.is_finite());
      CHECK(contains_mpfr(part(a.re()), b.re, 60));
      CHECK(contains_mpfr(part(a.im()), b.im, 60));
      CHECK(tight(part(a.re()), digits));
      CHECK(tight(part(a.im()), digits));
    }
    for (const char* x : {"1/10", "1/20", "1", "2", "8", "10", "13"}) {  // inside
      INFO("x = " << x);
      const Arb f = law.density(R(x));
      REQUIRE(f.is_finite());
      CHECK(arb_is_positive(f));
      CHECK(contains_mpfr(f, ref.density(to_real<M>(R(x))), 60));
      CHECK(tight(f, digits));
    }
    for (const char* x : {"1/100", "1/4", "3", "5", "7", "14", "-1"}) {  // gaps, outside
      INFO("x = " << x);
      const Arb f = law.density(R(x));
      CHECK(arb_is_zero(f));
    }
  }
}

TEST_CASE("population density in balls: the table-level law nu (gamma = 0) against the MPFR route",
          "[ball][population][cauchy]") {
  ScopedPrecision mp(60);
  using M = MpReal;
  Population<M> H(split_three());
  GeneralBulkLaw<M> ref(H, to_real<M>(R("1/4")), M(0));
  BallPopulationLaw law(split_three(), R("1/4"), R("0"), bits_for_digits(50));
  REQUIRE(law.support().decided);
  REQUIRE(law.support().intervals.size() == 3);
  for (const char* x : {"1/10", "1", "10"}) {
    INFO("x = " << x);
    const Arb f = law.density(R(x));
    REQUIRE(f.is_finite());
    CHECK(contains_mpfr(f, ref.density(to_real<M>(R(x))), 60));
    CHECK(tight(f, 50));
  }
  for (const char* x : {"1/4", "3", "13"}) CHECK(arb_is_zero(law.density(R(x))));
  const Acb g = law.cauchy(R("2"), R("1/7"));
  const auto gm = ref.cauchy(Complex<M>(M(2), M(1) / 7));
  REQUIRE(g.is_finite());
  CHECK(contains_mpfr(part(g.re()), gm.re, 60));
  CHECK(contains_mpfr(part(g.im()), gm.im, 60));
}

TEST_CASE("population density in balls: mass 1 - atom by quadrature of the ball density",
          "[ball][population][cauchy]") {
  struct Case {
    PopulationSpec H;
    const char *delta, *gamma;
  };
  for (const Case& c : std::vector<Case>{{split_three(), "1/4", "1/4"},
                                         {two_atoms(), "2", "1/2"},
                                         {three_atoms(), "1/10", "1/5"}}) {
    INFO("H " << c.H.atoms.size() << " atoms, delta " << c.delta << " gamma " << c.gamma);
    BallPopulationLaw law(c.H, R(c.delta), R(c.gamma), bits_for_digits(15));
    REQUIRE(law.support().decided);
    REQUIRE_FALSE(law.support().hard_edge);
    // Per interval [l, r]: x = l + (r - l)(1 - cos theta)/2, midpoint rule in theta
    // (the square-root edges make the integrand smooth in theta).
    const int n = 400;
    double mass = 0;
    bool all_finite = true;
    for (const auto& iv : law.support().intervals) {
      const double l = arf_get_d(arb_midref(iv.left.get()), ARF_RND_NEAR);
      const double r = arf_get_d(arb_midref(iv.right.get()), ARF_RND_NEAR);
      const double pi = std::acos(-1.0);
      for (int i = 0; i < n; ++i) {
        const double th = pi * (i + 0.5) / n;
        const double x = l + (r - l) * (1 - std::cos(th)) / 2;
        const Arb f = law.density(Rational(x));
        if (!f.is_finite()) {
          all_finite = false;
          continue;
        }
        mass += arf_get_d(arb_midref(f.get()), ARF_RND_NEAR) * (r - l) * std::sin(th) / 2 * pi / n;
      }
    }
    CHECK(all_finite);
    const double atom = static_cast<double>(law.support().atom.convert_to<long double>());
    CHECK(std::abs(mass - (1 - atom)) < 1e-6);
  }
}
