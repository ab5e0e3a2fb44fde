// tests/test_ball.cpp -- the certified ball engine (include/attnrmt/ball/).
//
// Independent routes: closed forms evaluated separately in Arb or exactly;
// the MPFR library path (BulkLaw<MpReal>, thresholds, outlier_report) at many
// more digits than printed; exact rational rounding; the committed tables.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "attnrmt/ball/bulk_law_ball.hpp"
#include "attnrmt/ball/certify.hpp"
#include "attnrmt/ball/decimal.hpp"
#include "attnrmt/ball/grid.hpp"
#include "attnrmt/ball/spike_ball.hpp"
#include "attnrmt/bulk_law.hpp"
#include "attnrmt/precision.hpp"
#include "attnrmt/spike.hpp"
#include "support/tables_support.hpp"
#include "support/rational_literal.hpp"

using namespace attnrmt;
using attnrmt::ball::Acb;
using attnrmt::ball::Arb;
using attnrmt::ball::BallLaw;
using attnrmt::ball::bits_for_digits;
using attnrmt::ball::Decimal;

namespace {

using attnrmt_test::R;

// The MPFR value correctly rounded to n digits (MPFR's own rounding).
std::string mpfr_digits(const MpReal& x, int n) {
  if (x == 0) return "0";
  mpfr_exp_t e = 0;
  char* s = mpfr_get_str(nullptr, &e, 10, static_cast<size_t>(n), x.backend().data(), MPFR_RNDN);
  Decimal d;
  std::string str(s);
  mpfr_free_str(s);
  if (str[0] == '-') {
    d.negative = true;
    str.erase(0, 1);
  }
  d.digits = str;
  d.exponent = static_cast<long>(e) - 1;
  return ball::layout_decimal(d);
}

// The ball's correctly rounded n-digit decimal ("" if it has none).
std::string ball_digits(const Arb& x, int n) {
  auto d = ball::round_ball(x, n);
  return d ? ball::layout_decimal(*d) : std::string();
}

template <class Eval>
std::string certified(int n, const Eval& eval) {
  auto c = ball::certify_decimal(n, eval);
  if (c.proven != n) return "(only " + std::to_string(c.proven) + " digits)";
  return ball::layout_decimal(c.value);
}

// Radius below 10^-(n+2) relative.
bool tight(const Arb& x, int n) {
  return arb_rel_accuracy_bits(x) >= static_cast<slong>(std::ceil((n + 2) * 3.3219280948873623));
}

MpReal mp(const Rational& r) {
  return to_real<MpReal>(r);
}

}  // namespace

TEST_CASE("ball: closed forms lie in tight balls at 15, 50, 100, 1000 digits", "[ball]") {
  for (int n : {15, 50, 100, 1000}) {
    INFO("digits " << n);
    const slong prec = bits_for_digits(n);
    // Fuss-Catalan: delta = gamma = 1, support [0, 27/4] (hard edge at 0).
    BallLaw fc(R("1"), R("1"), R("1"), prec);
    Arb exact;
    arb_set_d(exact, 6.75);
    CHECK(arb_contains(fc.right_edge(), exact));
    CHECK(tight(fc.right_edge(), n));
    CHECK(arb_is_zero(fc.left_edge()));
    // p_+ = 1/2 is rational (f = (p+1)^2 (2p-1)): recognised and verified exactly,
    // so s* = 2, tau2 = 3/2 at rho = 1 are exact; irrational p_+ is not "recognised".
    REQUIRE(fc.right_edge_exact());
    CHECK(*fc.right_edge_exact() == R("27/4"));
    CHECK(*ball::thresholds(fc, R("1")).tau2_exact == R("3/2"));
    // delta = gamma = 1/2: edges (71 -+ 17 sqrt 17)/32.
    BallLaw h(R("1/2"), R("1/2"), R("1"), prec);
    CHECK(!h.right_edge_exact());
    Arb s17, lo, hi;
    arb_sqrt_ui(s17, 17, prec + 30);
    arb_mul_ui(s17, s17, 17, prec + 30);
    arb_set_ui(lo, 71);
    arb_sub(lo, lo, s17, prec + 30);
    arb_mul_2exp_si(lo, lo, -5);
    arb_set_ui(hi, 71);
    arb_add(hi, hi, s17, prec + 30);
    arb_mul_2exp_si(hi, hi, -5);
    CHECK(arb_overlaps(h.left_edge(), lo));
    CHECK(arb_overlaps(h.right_edge(), hi));
    CHECK(tight(h.left_edge(), n));
    CHECK(tight(h.right_edge(), n));
    CHECK(ball_digits(h.left_edge(), n) == ball_digits(lo, n));
    CHECK(ball_digits(h.right_edge(), n) == ball_digits(hi, n));
    // tau2 at delta = gamma: s* = (delta + sqrt(delta^2 + 8 delta))/2.
    for (auto [d, rho] : {std::pair<const char*, const char*>{"1/2", "1"}, {"3", "1/2"}}) {
      BallLaw law(R(d), R(d), R("1"), prec);
      auto th = ball::thresholds(law, R(rho));
      Arb dl, s, t;
      ball::set_rational(dl, R(d), prec + 30);
      arb_mul(s, dl, dl, prec + 30);
      arb_mul_ui(t, dl, 8, prec + 30);
      arb_add(s, s, t, prec + 30);
      arb_sqrt(s, s, prec + 30);
      arb_add(s, s, dl, prec + 30);
      arb_mul_2exp_si(s, s, -1);
      arb_add(s, s, dl, prec + 30);
      ball::set_rational(t, R(rho) + R(d), prec + 30);
      arb_div(s, s, t, prec + 30);
      CHECK(arb_overlaps(th.tau2, s));
      CHECK(tight(th.tau2, n));
      CHECK(ball_digits(th.tau2, n) == ball_digits(s, n));
    }
    // Outlier at delta = gamma = 1/2, rho = 1, alpha/kappa = 2: lambda = 126/25 exactly.
    auto o = ball::outlier(h, R("1"), R("2"));
    CHECK(o.regime == Regime::detectable);
    CHECK(o.lambda_exact == R("126/25"));
    CHECK(o.alignment_u_exact == R("16/25"));
    CHECK(o.alignment_mu_exact == R("32/75"));
    CHECK(arb_overlaps(o.lambda, ball::to_arb(R("126/25"), prec + 64)));
    CHECK(tight(o.lambda, n));
    CHECK(ball_digits(o.lambda, n) == "5.04");
  }
}

TEST_CASE("ball: decimal rounding is exact and three-way", "[ball]") {
  using ball::layout_decimal;
  using ball::round_rational;
  CHECK(layout_decimal(round_rational(R("1/8"), 2)) == "0.12");  // tie to even
  CHECK(layout_decimal(round_rational(R("3/8"), 2)) == "0.38");
  CHECK(layout_decimal(round_rational(R("99999/1000"), 3)) == "100");
  CHECK(layout_decimal(round_rational(R("-2/3"), 5)) == "-0.66667");
  CHECK(layout_decimal(round_rational(R("1e-300"), 4)) == "1e-300");
  CHECK(layout_decimal(round_rational(R("0"), 4)) == "0");
  // A ball across a rounding boundary has no 2-digit decimal, but 1 digit.
  Arb x;
  arb_set_d(x, 0.125);
  mag_set_d(arb_radref(x.get()), 1e-6);
  CHECK(!ball::round_ball(x, 2));
  CHECK(ball::proven_digits(x, 2) == 1);
  CHECK(ball::proven_digits(x, 5) == 5);  // 0.12500
  CHECK(layout_decimal(*ball::round_ball(x, 1)) == "0.1");
  // Exact dyadic 0.125 at 2 digits: half to even, as MPFR and round_rational.
  arb_set_d(x, 0.125);
  CHECK(layout_decimal(*ball::round_ball(x, 2)) == "0.12");
  // Zero only for an exact zero.
  Arb z;
  CHECK(layout_decimal(*ball::round_ball(z, 15)) == "0");
  mag_set_d(arb_radref(z.get()), 1e-300);
  CHECK(!ball::round_ball(z, 1));
  CHECK(ball::proven_digits(z, 15) == 0);
  CHECK(!ball::round_ball(Arb::indeterminate(), 1));
  // The radius is rounded up.
  Arb r;
  arb_set_d(r, 1.0);
  mag_set_d(arb_radref(r.get()), 1.2345e-20);
  CHECK(ball::radius_string(r) == "1.24e-20");
}

TEST_CASE("ball: density, CDF and Cauchy transform agree with the MPFR path", "[ball]") {
  struct Law {
    const char *delta, *gamma, *kappa;
  };
  const std::vector<Law> laws = {{"1/2", "1/2", "1"},
                                 {"2", "1/2", "3/2"},
                                 {"1", "1", "1"},
                                 {"3/10", "7", "1"},
                                 {"1", "4", "2"}};
  const std::vector<std::string> xs = {"-1", "0", "1/100", "1/10", "1", "5/2", "6", "40"};
  const std::vector<std::pair<std::string, std::string>> zs = {
      {"1", "1/2"}, {"-1", "2"}, {"3", "-1/10"}, {"1/3", "1/1000"}, {"-7/2", "0"}, {"50", "0"}};
  for (int n : {15, 50}) {
    ScopedPrecision p(static_cast<unsigned>(n + 40));
    for (const auto& L : laws) {
      INFO("delta " << L.delta << " gamma " << L.gamma << " kappa " << L.kappa << " digits " << n);
      BulkLaw<MpReal> ref(mp(R(L.delta)), mp(R(L.gamma)), mp(R(L.kappa)));
      ball::LawLadder ladder(R(L.delta), R(L.gamma), R(L.kappa));
      for (const auto& x : xs) {
        INFO("x " << x);
        CHECK(certified(n, [&](slong b) { return ladder.at(b).density(R(x)); }) ==
              mpfr_digits(ref.density(mp(R(x))), n));
        CHECK(certified(n, [&](slong b) { return ladder.at(b).cdf(R(x)); }) ==
              mpfr_digits(ref.cdf(mp(R(x))), n));
      }
      for (const auto& [re, im] : zs) {
        INFO("z " << re << " + " << im << " i");
        auto g = ref.cauchy(Complex<MpReal>(mp(R(re)), mp(R(im))));
        auto part = [&](bool real) {
          return certified(n, [&](slong b) {
            Acb v = ladder.at(b).cauchy(R(re), R(im));
            Arb out;
            arb_set(out, real ? v.re() : v.im());
            return out;
          });
        };
        CHECK(part(true) == mpfr_digits(g.re, n));
        CHECK(part(false) == mpfr_digits(g.im, n));
      }
    }
  }
}

TEST_CASE("ball: adversarial inputs are correctly rounded", "[ball]") {
  const int n = 15;
  ScopedPrecision p(140);
  SECTION("within 1e-30 of the edges, and exactly at a rational edge") {
    BulkLaw<MpReal> ref(mp(R("1/2")), mp(R("1/2")));
    ball::LawLadder ladder(R("1/2"), R("1/2"), R("1"));
    for (const MpReal& edge : {ref.left_edge(), ref.right_edge()}) {
      // The edge rounded to a 45-digit rational, then moved by 1e-30 either way.
      Rational e = R(mpfr_digits(edge, 45));
      for (const Rational& x : {Rational(e - R("1e-30")), Rational(e + R("1e-30"))}) {
        INFO("x " << x.str());
        CHECK(certified(n, [&](slong b) { return ladder.at(b).density(x); }) ==
              mpfr_digits(ref.density(mp(x)), n));
        CHECK(certified(n, [&](slong b) { return ladder.at(b).cdf(x); }) ==
              mpfr_digits(ref.cdf(mp(x)), n));
      }
    }
    ball::LawLadder fc(R("1"), R("1"), R("1"));
    BallLaw at64 = BallLaw(R("1"), R("1"), R("1"), 64);
    CHECK(arb_is_zero(at64.density(R("27/4"))));  // exactly at the edge: exact 0
    CHECK(arb_is_one(at64.cdf(R("27/4"))));
    BulkLaw<MpReal> ref1(mp(R("1")), mp(R("1")));
    for (const char* x : {"6.749999999999999999999999999999", "6.750000000000000000000000000001"})
      CHECK(certified(n, [&](slong b) { return fc.at(b).cdf(R(x)); }) ==
            mpfr_digits(ref1.cdf(mp(R(x))), n));
  }
  SECTION("delta and gamma from 1e-300 to 1e300") {
    for (const char* d : {"1e-300", "1e-3", "1e300"})
      for (const char* g : {"1e-300", "1", "1e300"}) {
        INFO("delta " << d << " gamma " << g);
        BulkLaw<MpReal> ref(mp(R(d)), mp(R(g)));
        ball::LawLadder ladder(R(d), R(g), R("1"));
        CHECK(certified(n, [&](slong b) { return ladder.at(b).right_edge(); }) ==
              mpfr_digits(ref.right_edge(), n));
        CHECK(certified(n, [&](slong b) { return ladder.at(b).left_edge(); }) ==
              mpfr_digits(ref.left_edge(), n));
        auto th = thresholds(mp(R(d)), mp(R(g)), MpReal(1));
        CHECK(certified(n, [&](slong b) { return ball::thresholds(ladder.at(b), R("1")).tau2; }) ==
              mpfr_digits(th.tau2, n));
        // A point in the middle of the support: correctly rounded, or explicitly
        // fewer digits. The MPFR path is not a valid reference at every such
        // scale (it returns NaN or values above 1 for some), so it is used only
        // where it is a probability.
        Rational mid = R(mpfr_digits((ref.left_edge() + ref.right_edge()) / 2, 20));
        MpReal ref_cdf = ref.cdf(mp(mid));
        auto c = ball::certify_decimal(n, [&](slong b) { return ladder.at(b).cdf(mid); });
        INFO("proven digits " << c.proven << " MPFR " << ref_cdf.str(20));
        CHECK(c.proven <= n);
        if (c.proven == n && ref_cdf >= 0 && ref_cdf <= 1)
          CHECK(ball::layout_decimal(c.value) == mpfr_digits(ref_cdf, n));
        if (c.proven > 0) {
          // The proven digits enclose the ball's midpoint to within one unit.
          CHECK(arb_is_finite(c.ball));
        }
      }
  }
  SECTION("alpha/kappa within 1e-30 of tau2, and exactly at a rational tau1") {
    ball::LawLadder ladder(R("1/2"), R("1/2"), R("1"));
    auto th = thresholds(mp(R("1/2")), mp(R("1/2")), MpReal(1));
    Rational t2 = R(mpfr_digits(th.tau2, 45));
    Rational below = t2 - R("1e-30"), above = t2 + R("1e-30");
    CHECK((mp(below) < th.tau2 && mp(above) > th.tau2));
    CHECK(ball::outlier(ladder.at(64), R("1"), below).regime == Regime::table_only);
    CHECK(ball::outlier(ladder.at(64), R("1"), above).regime == Regime::detectable);
    // delta = 1/4: tau1 = (1/4 + 1/2)/(1 + 1/4) = 3/5 exactly; at it: no outlier.
    BallLaw q(R("1/4"), R("1/2"), R("1"), 64);
    CHECK(ball::outlier(q, R("1"), R("3/5")).regime == Regime::none);
    CHECK(ball::outlier(q, R("1"), R("3/5") + R("1e-40")).regime == Regime::table_only);
  }
  SECTION("z near 0 with an atom") {
    BulkLaw<MpReal> ref(mp(R("2")), mp(R("1/2")));
    ball::LawLadder ladder(R("2"), R("1/2"), R("1"));
    for (const auto& [re, im] : std::vector<std::pair<const char*, const char*>>{
             {"0", "1e-20"}, {"1e-25", "1e-25"}, {"-1e-10", "0"}, {"0", "-1e-30"}}) {
      INFO("z " << re << " + " << im << " i");
      auto g = ref.cauchy(Complex<MpReal>(mp(R(re)), mp(R(im))));
      for (bool real : {true, false})
        CHECK(certified(n, [&](slong b) {
                Acb v = ladder.at(b).cauchy(R(re), R(im));
                Arb out;
                arb_set(out, real ? v.re() : v.im());
                return out;
              }) == mpfr_digits(real ? g.re : g.im, n));
    }
    CHECK_THROWS_AS(ladder.at(64).cauchy(R("0"), R("0")), std::invalid_argument);
  }
}

TEST_CASE("ball: every committed table value agrees with the ball engine", "[ball][tables]") {
  using namespace tables_test;
  std::size_t checked = 0;
  for (const auto& path : committed_tables()) {
    Table t = load_table(path);
    INFO(path.string());
    auto has = [&](const char* c) {
      for (const auto& h : t.header)
        if (h == c) return true;
      return false;
    };
    for (const auto& row : t.rows) {
      auto get = [&](const char* c) { return row[t.column(c)]; };
      Rational delta = R(get("delta")), gamma = R(get("gamma"));
      Rational kappa = has("kappa") ? R(get("kappa")) : Rational(1);
      ball::LawLadder ladder(delta, gamma, kappa);
      auto expect = [&](const char* col, auto eval) {
        if (!has(col)) return;
        INFO("row " << get("delta") << "," << get("gamma") << " column " << col);
        CHECK(certified(50, eval) == get(col));
        ++checked;
      };
      auto thr = [&](slong b, int which) {
        Rational rho = has("rho") ? R(get("rho")) : Rational(0);
        auto th = ball::thresholds(ladder.at(b), rho);
        return which == 0 ? th.tau1 : which == 1 ? th.tau2 : which == 2 ? th.omega1 : th.omega2;
      };
      expect("left_edge", [&](slong b) { return ladder.at(b).left_edge(); });
      expect("right_edge", [&](slong b) { return ladder.at(b).right_edge(); });
      expect("atom", [&](slong b) { return ladder.at(b).atom(); });
      expect("tau1", [&](slong b) { return thr(b, 0); });
      expect("tau2", [&](slong b) { return thr(b, 1); });
      expect("omega1", [&](slong b) { return thr(b, 2); });
      expect("omega2", [&](slong b) { return thr(b, 3); });
      if (has("regime")) {
        Rational rho = R(get("rho")), ak = R(get("alpha_over_kappa"));
        auto o = [&](slong b) { return ball::outlier(ladder.at(b), rho, ak); };
        CHECK(regime_name(o(64).regime) == get("regime"));
        expect("lambda", [&](slong b) { return o(b).lambda; });
        expect("alignment_u", [&](slong b) { return o(b).alignment_u; });
        expect("alignment_mu", [&](slong b) { return o(b).alignment_mu; });
      }
    }
  }
  CHECK(checked > 9000);
}

TEST_CASE("ball: the fast grid path prints the single-point digits on 10,000 points", "[ball]") {
  ball::LawLadder ladder(R("1/2"), R("1/2"), R("1"));
  std::vector<Rational> xs;
  const int m = 10000;
  for (int i = 0; i < m; ++i) xs.push_back(R("1/100") + R("449/100") * i / (m - 1));
  auto grid = ball::density_cdf_grid(ladder, xs, 15, 2);
  int fast = 0, same = 0;
  for (int i = 0; i < m; ++i) {
    auto single = ball::density_cdf_point(ladder, xs[i], 15);
    fast += grid[i].fast;
    same += grid[i].density.proven == 15 && single.density.proven == 15 &&
            grid[i].cdf.proven == 15 && single.cdf.proven == 15 &&
            grid[i].density.value == single.density.value && grid[i].cdf.value == single.cdf.value;
  }
  CHECK(same == m);
  CHECK(fast > m * 95 / 100);
  // Spot check against the MPFR path.
  ScopedPrecision p(60);
  BulkLaw<MpReal> ref(mp(R("1/2")), mp(R("1/2")));
  for (int i : {0, 17, 5000, 9998})
    CHECK(ball::layout_decimal(grid[i].density.value) == mpfr_digits(ref.density(mp(xs[i])), 15));
}
