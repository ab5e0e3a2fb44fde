// tests/test_ball_population.cpp -- the certified ball engine for a finite
// population spectrum H (include/attnrmt/ball/population_ball.hpp).
//
// Independent sources: the isotropic ball engine (spike_ball.hpp, exact
// rational regime and closed forms) for H = delta_1; docs/theory.md §6's
// example numbers; the MPFR route (GeneralSpike<MpReal>, bisection, margin
// regime) at 60 digits; the defining equations evaluated on the proven balls;
// roots on other branches (in a gap between atoms) that must be excluded.
#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "attnrmt/ball/population_ball.hpp"
#include "attnrmt/ball/spike_ball.hpp"
#include "attnrmt/general_spike.hpp"
#include "attnrmt/precision.hpp"
#include "support/population_examples.hpp"
#include "ball_quantities.hpp"
#include "support/cli_runner.hpp"
#include "support/rational_literal.hpp"

using namespace attnrmt;
using attnrmt::ball::Arb;
using attnrmt::ball::BallPopulationSpike;
using attnrmt::ball::bits_for_digits;

namespace {

using attnrmt_test::R;

using attnrmt_test::split_three;
using attnrmt_test::three_atoms;
using attnrmt_test::two_atoms;
PopulationSpec eigenvector(PopulationSpec s, const Rational& t) {
  s.signal.eigenvector = true;
  s.signal.eigenvalue = t;
  return s;
}

// A decimal string as a ball: its value -+ 1 unit in the last printed place
// (the printed digits are rounded, so the exact value lies in it).
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

Arb mpfr_ball(const MpReal& x, slong prec) {
  Arb v;
  arf_set_mpfr(arb_midref(v.get()), x.backend().data());
  (void)prec;
  return v;
}

// radius / |midpoint| < 10^-(digits + 2).
bool tight(const Arb& x, int digits) {
  if (!x.is_finite()) return false;
  if (mag_is_zero(arb_radref(x.get()))) return true;
  Arb rel, bound;
  arf_t r;
  arf_init(r);
  arf_set_mag(r, arb_radref(x.get()));
  arb_set_arf(rel, r);
  arf_clear(r);
  Arb mid;
  arb_get_mid_arb(mid, x);
  arb_abs(mid, mid);
  arb_div(rel, rel, mid, 128);
  arb_set_ui(bound, 10);
  arb_pow_ui(bound, bound, static_cast<ulong>(digits + 2), 128);
  arb_inv(bound, bound, 128);
  return arb_lt(rel, bound) != 0;
}

// True when the MPFR value x (computed at more digits) agrees with the ball:
// |x - ball| within the ball's radius plus 10^-(mpfr_digits - 5) relative.
bool contains_mpfr(const Arb& ball, const MpReal& x, int mpfr_digits) {
  Arb widened(ball), tol;
  arb_set_ui(tol, 10);
  arb_pow_ui(tol, tol, static_cast<ulong>(mpfr_digits - 5), 256);
  arb_inv(tol, tol, 256);
  Arb mag_x;
  arb_abs(mag_x, mpfr_ball(x, 256));
  arb_mul(tol, tol, mag_x, 256);
  arb_add_error(widened, tol);
  return arb_contains(widened, mpfr_ball(x, 256)) != 0;
}

struct Case {
  PopulationSpec H;
  Rational delta, gamma, rho;
  std::vector<Rational> a;
};

std::vector<Case> grid() {
  return {
      {two_atoms(), R("1/2"), R("1/2"), R("1"), {R("1/2"), R("6/5"), R("2"), R("5")}},
      {eigenvector(two_atoms(), R("3/2")), R("1/2"), R("1/2"), R("1"), {R("1"), R("2")}},
      {eigenvector(two_atoms(), R("1/2")), R("1/2"), R("3"), R("2"), {R("1"), R("4"), R("9")}},
      {three_atoms(), R("2"), R("3/2"), R("1/3"), {R("3"), R("7"), R("20")}},
      {eigenvector(three_atoms(), R("1")), R("5/4"), R("1/10"), R("1"), {R("3/2"), R("3")}},
      {split_three(), R("1/4"), R("1/4"), R("1"), {R("2"), R("5"), R("8")}},
      {eigenvector(split_three(), R("10")), R("1/4"), R("5/2"), R("1/2"), {R("1"), R("6")}},
  };
}

}  // namespace

TEST_CASE("population balls: H = delta_1 reproduces the isotropic ball engine",
          "[ball][population]") {
  const std::vector<std::pair<Rational, Rational>> dg = {
      {R("1/2"), R("1/2")}, {R("1/4"), R("2")}, {R("3/2"), R("1/3")}, {R("1"), R("1")}};
  for (int digits : {15, 50}) {
    const slong prec = bits_for_digits(digits);
    for (const auto& [delta, gamma] : dg) {
      INFO("delta=" << delta << " gamma=" << gamma << " digits=" << digits);
      const Rational rho(1);
      ball::BallLaw law(delta, gamma, Rational(1), prec);
      auto iso = ball::thresholds(law, rho);
      BallPopulationSpike pop(PopulationSpec::isotropic(), delta, gamma, rho, prec);
      const auto& th = pop.thresholds();
      CHECK(arb_overlaps(th.a1, iso.tau1));
      CHECK(arb_overlaps(th.a2, iso.tau2));
      CHECK(arb_overlaps(th.sample_edge, law.right_edge()));
      CHECK(tight(th.a1, digits));
      CHECK(tight(th.a2, digits));
      CHECK(tight(th.sample_edge, digits));
      // w_nu+ = 1 + sqrt(delta) for H = delta_1 (delta/(w-1)^2 = 1).
      Arb w;
      arb_sqrt(w, ball::to_arb(delta, prec), prec);
      arb_add_ui(w, w, 1, prec);
      CHECK(arb_overlaps(th.w_nu_plus, w));
      // Table edge (1 + sqrt delta)^2.
      Arb e;
      arb_mul(e, w, w, prec);
      CHECK(arb_overlaps(th.table_edge, e));
      // Outliers below, between and above the thresholds, and the exact ties
      // (tau1 = 3/5 at delta = 1/4, tau2 = 3/2 at delta = gamma = 1).
      std::vector<Rational> as = {R("1/3"), R("6/5"), R("2"), R("7")};
      if (delta == R("1/4")) as.push_back(R("3/5"));
      if (delta == 1 && gamma == 1) as.push_back(R("3/2"));
      for (const Rational& a : as) {
        INFO("a=" << a);
        auto io = ball::outlier(law, rho, a);
        auto po = pop.outlier(a);
        REQUIRE(po.decided);
        CHECK(po.regime == io.regime);
        CHECK(arb_overlaps(po.lambda, io.lambda));
        CHECK(arb_overlaps(po.A_u, io.alignment_u));
        CHECK(arb_overlaps(po.A_mu, io.alignment_mu));
        CHECK(arb_overlaps(po.ell, io.population_eigenvalue));
        CHECK(arb_overlaps(po.table_outlier ? po.a_pop_u : Arb(),
                           ball::to_arb(io.population_alignment, prec)));
        CHECK(tight(po.lambda, digits));
        if (po.sample_outlier) CHECK(tight(po.A_mu, digits));
      }
    }
  }
}

TEST_CASE("population balls: docs/theory.md §6 example numbers lie in the balls",
          "[ball][population]") {
  for (int digits : {15, 50, 100}) {
    const slong prec = bits_for_digits(digits);
    INFO("digits=" << digits);
    {
      BallPopulationSpike s(two_atoms(), R("1/2"), R("1/2"), R("1"), prec);
      const auto& th = s.thresholds();
      CHECK(arb_contains(decimal_ball("1.0368442077840408043", prec), th.a1));
      CHECK(arb_contains(decimal_ball("1.4390467201812252285", prec), th.a2));
      CHECK(arb_overlaps(decimal_ball("2.2577032025545114929", prec), th.w_nu_plus));
      CHECK(arb_overlaps(decimal_ball("2.8255754183971394135", prec), th.w_plus));
      CHECK(arb_overlaps(decimal_ball("3.5356360812103810200", prec), th.table_edge));
      CHECK(arb_overlaps(decimal_ball("5.0482378379269934423", prec), th.sample_edge));
      auto o = s.outlier(R("2"));
      REQUIRE(o.decided);
      CHECK(o.regime == Regime::detectable);
      // w_s = (4.5 + sqrt(7.75))/2 (docs/theory.md §6.2: a quadratic for two atoms at a = 2).
      Arb w;
      arb_set_str(w, "7.75", prec);
      arb_sqrt(w, w, prec);
      Arb c;
      arb_set_str(c, "4.5", prec);
      arb_add(w, w, c, prec);
      arb_mul_2exp_si(w, w, -1);
      CHECK(arb_overlaps(o.w, w));
      CHECK(arb_overlaps(decimal_ball("4.4244455167152094383", prec), o.ell));
      CHECK(arb_overlaps(decimal_ball("5.3750781912231368252", prec), o.lambda));
      CHECK(arb_overlaps(decimal_ball("0.85272592822144702961", prec), o.a_pop_u));
      CHECK(arb_overlaps(decimal_ball("0.53424933175308636470", prec), o.a_pop_mu));
      CHECK(arb_overlaps(decimal_ball("0.51616854679315785149", prec), o.A_u));
      CHECK(arb_overlaps(decimal_ball("0.32338960511189311996", prec), o.A_mu));
    }
    {
      BallPopulationSpike s(eigenvector(two_atoms(), R("3/2")), R("1/2"), R("1/2"), R("1"), prec);
      CHECK(arb_overlaps(decimal_ball("0.83042939927534853879", prec), s.thresholds().a1));
      CHECK(arb_overlaps(decimal_ball("1.2251169918723578155", prec), s.thresholds().a2));
      auto o = s.outlier(R("2"));
      CHECK(arb_overlaps(decimal_ball("5.5971137112606901970", prec), o.lambda));
      CHECK(arb_overlaps(decimal_ball("0.60749742625766996044", prec), o.A_u));
      CHECK(arb_overlaps(decimal_ball("0.42521128367272441982", prec), o.A_mu));
    }
    {
      BallPopulationSpike s(split_three(), R("1/4"), R("1/4"), R("1"), prec);
      CHECK(arb_overlaps(decimal_ball("4.3474600715982780423", prec), s.thresholds().a1));
      CHECK(arb_overlaps(decimal_ball("5.3613359416302355153", prec), s.thresholds().a2));
      CHECK(arb_overlaps(decimal_ball("13.775465073626931246", prec), s.thresholds().sample_edge));
      CHECK(s.outlier(R("2")).regime == Regime::none);
      auto o = s.outlier(R("8"));
      CHECK(o.regime == Regime::detectable);
      CHECK(arb_overlaps(decimal_ball("14.867412394752313859", prec), o.lambda));
      CHECK(arb_overlaps(decimal_ball("0.29852360269930321432", prec), o.A_mu));
    }
  }
}

TEST_CASE("population balls: the MPFR route at 60 digits lies in tight balls at 15, 50, 100",
          "[ball][population]") {
  ScopedPrecision mp(60);
  using M = MpReal;
  for (const Case& c : grid()) {
    INFO("H=" << c.H.atoms.size() << " atoms, eigenvector=" << c.H.signal.eigenvector
              << " delta=" << c.delta << " gamma=" << c.gamma << " rho=" << c.rho);
    Population<M> H(c.H);
    GeneralBulkLaw<M> bulk(H, to_real<M>(c.delta), to_real<M>(c.gamma));
    GeneralSpike<M> spike(bulk, to_real<M>(c.rho));
    const auto& mt = spike.thresholds();
    for (int digits : {15, 50, 100}) {
      INFO("digits=" << digits);
      const int cmp = 60;  // the MPFR route agrees with the truth to ~55 digits
      BallPopulationSpike s(c.H, c.delta, c.gamma, c.rho, bits_for_digits(digits));
      const auto& th = s.thresholds();
      CHECK(contains_mpfr(th.a1, mt.a1, cmp));
      CHECK(contains_mpfr(th.a2, mt.a2, cmp));
      CHECK(contains_mpfr(th.w_nu_plus, mt.w_nu_plus, cmp));
      CHECK(contains_mpfr(th.w_plus, mt.w_plus, cmp));
      CHECK(contains_mpfr(th.table_edge, mt.table_edge, cmp));
      CHECK(contains_mpfr(th.sample_edge, mt.sample_edge, cmp));
      for (const Arb* b :
           {&th.a1, &th.a2, &th.w_nu_plus, &th.w_plus, &th.table_edge, &th.sample_edge})
        CHECK(tight(*b, digits));
      for (const Rational& a : c.a) {
        INFO("a=" << a);
        auto mo = spike.report(to_real<M>(a));
        auto o = s.outlier(a);
        REQUIRE(o.decided);
        CHECK(o.regime == mo.regime);
        CHECK(contains_mpfr(o.lambda, mo.top.lambda, cmp));
        CHECK(contains_mpfr(o.ell, mo.top.ell, cmp));
        CHECK(tight(o.lambda, digits));
        CHECK(tight(o.ell, digits));
        if (o.table_outlier) {
          CHECK(contains_mpfr(o.w, mo.top.w, cmp));
          CHECK(contains_mpfr(o.a_pop_u, mo.top.a_pop_u, cmp));
          CHECK(contains_mpfr(o.a_pop_mu, mo.top.a_pop_mu, cmp));
          CHECK(tight(o.a_pop_u, digits));
        }
        if (o.sample_outlier) {
          CHECK(contains_mpfr(o.A_u, mo.top.A_u, cmp));
          CHECK(contains_mpfr(o.A_mu, mo.top.A_mu, cmp));
          CHECK(tight(o.A_u, digits));
          CHECK(tight(o.A_mu, digits));
        } else {
          CHECK(arb_is_zero(o.A_u));
          CHECK(arb_is_zero(o.A_mu));
        }
      }
    }
  }
}

TEST_CASE("population balls: defining-equation residuals contain 0", "[ball][population]") {
  for (const Case& c : grid()) {
    const slong prec = bits_for_digits(50);
    BallPopulationSpike s(c.H, c.delta, c.gamma, c.rho, prec);
    const auto& th = s.thresholds();
    Arb f, df;
    s.f_table(th.w_nu_plus, prec, f, df);  // delta I2(w_nu+) - 1
    CHECK(arb_contains_zero(f));
    CHECK(tight(th.w_nu_plus, 50));
    s.f_sample(th.w_plus, prec, f, df);  // x'(w_+)
    CHECK(arb_contains_zero(f));
    // The derivative has the sign the uniqueness argument states.
    s.f_table(th.w_nu_plus, prec, f, df);
    CHECK(arb_is_negative(df));
    s.f_sample(th.w_plus, prec, f, df);
    CHECK(arb_is_positive(df));
    // a T(w_s) = 1 at the outlier root; a1 T(w_nu+) = 1.
    for (const Rational& a : c.a) {
      auto o = s.outlier(a);
      if (!o.table_outlier) continue;
      Arb r;
      arb_mul(r, s.T(o.w), ball::to_arb(a, prec), prec);
      arb_sub_ui(r, r, 1, prec);
      CHECK(arb_contains_zero(r));
      CHECK(arb_gt(o.w, th.w_nu_plus));
    }
    Arb r;
    arb_mul(r, s.T(th.w_nu_plus), th.a1, prec);
    arb_sub_ui(r, r, 1, prec);
    CHECK(arb_contains_zero(r));
  }
}

TEST_CASE("population balls: a root on another branch is refused", "[ball][population]") {
  // H = 0.5 delta_0.5 + 0.5 delta_1.5 at delta = 1/2: delta I2 = 1 also has
  // roots below t_min and inside the gap (0.5, 1.5) (I2 -> inf at each atom).
  // The MPFR code's other sublevel ends are such roots; the ball engine must
  // neither return them nor accept a proof seeded there.
  ScopedPrecision mp(40);
  using M = MpReal;
  const PopulationSpec spec = split_three();
  const Rational delta = R("1/4"), gamma = R("1/4");
  Population<M> H(spec);
  GeneralBulkLaw<M> bulk(H, to_real<M>(delta), to_real<M>(gamma));
  auto gap = bulk.sublevel_in_gap(1, to_real<M>(delta));  // (1, 10)
  REQUIRE(gap);
  const slong prec = bits_for_digits(30);
  BallPopulationSpike s(spec, delta, gamma, R("1"), prec);
  const auto& th = s.thresholds();
  for (const M& other : {gap->first, gap->second}) {
    // A true root of delta I2 = 1 (residual in MPFR) ...
    CHECK(abs(to_real<M>(delta) * H.I2(other) - 1) < M("1e-30"));
    // ... that is not w_nu+ and gives another a1 ...
    CHECK(!contains_mpfr(th.w_nu_plus, other, 35));
    GeneralSpike<M> spike(bulk, M(1));
    CHECK(!contains_mpfr(th.a1, 1 / spike.T(other), 35));
    // ... and a proof seeded there is refused: its interval is not above t_max.
    ball::detail::BallFunction f = [&](const Arb& w, slong bits, Arb& v, Arb& dv) {
      s.f_table(w, bits, v, dv);
    };
    Arb seed = mpfr_ball(other, prec), X;
    CHECK(!ball::detail::prove_real_root(f, seed, s.population().t_max(), prec, &X));
    // Without the floor the same seed is proven: the test above, not the
    // seed, is what excludes it.
    Arb floor;
    arb_zero(floor);
    CHECK(ball::detail::prove_real_root(f, seed, floor, prec, &X));
  }
}

TEST_CASE("population balls: regime at exact ties and near ties", "[ball][population]") {
  // H = delta_1, delta = 1/4, rho = 1: a1 = 3/5 exactly; delta = gamma = 1:
  // a2 = 3/2 exactly. Equal a: decided exactly (no outlier at the threshold).
  {
    BallPopulationSpike s(PopulationSpec::isotropic(), R("1/4"), R("1"), R("1"), 200);
    auto o = s.outlier(R("3/5"));
    REQUIRE(o.decided);
    CHECK(o.regime == Regime::none);
    CHECK(s.outlier(R("3/5") + R("1/1000000000000000000000000000000")).regime ==
          Regime::table_only);
  }
  {
    BallPopulationSpike s(PopulationSpec::isotropic(), R("1"), R("1"), R("1"), 80);
    auto o = s.outlier(R("3/2"));
    REQUIRE(o.decided);
    CHECK(o.regime == Regime::table_only);
  }
  // Two atoms, a within 1e-40 of the irrational a1: undecided at 80 bits
  // (never guessed), decided at 400 bits.
  {
    const PopulationSpec spec = two_atoms();
    BallPopulationSpike hi(spec, R("1/2"), R("1/2"), R("1"), 400);
    // a = a1 rounded to 140 bits (within 1e-42 of a1), as an exact rational.
    arf_t m;
    arf_init(m);
    arf_set_round(m, arb_midref(hi.thresholds().a1.get()), 140, ARF_RND_NEAR);
    fmpq_t q;
    fmpq_init(q);
    arf_get_fmpq(q, m);
    char* text = fmpq_get_str(nullptr, 10, q);
    const std::optional<Rational> a = R(text);
    flint_free(text);
    fmpq_clear(q);
    arf_clear(m);
    BallPopulationSpike lo(spec, R("1/2"), R("1/2"), R("1"), 80);
    auto o = lo.outlier(*a);
    CHECK(!o.decided);
    CHECK(!o.lambda.is_finite());
    auto o2 = hi.outlier(*a);
    CHECK(o2.decided);
    // The answer at 400 bits agrees with the exact comparison via 1000 bits.
    BallPopulationSpike ref(spec, R("1/2"), R("1/2"), R("1"), 1000);
    const bool above = arb_lt(ref.thresholds().a1, ball::to_arb(*a, 1000)) != 0;
    CHECK(o2.table_outlier == above);
  }
}

TEST_CASE("population balls: the catalogue's ball routes dispatch on the population",
          "[ball][population]") {
  using namespace attnrmt::cli;
  ScopedPrecision mp(60);
  const std::vector<std::string> covered = {"tau1",
                                            "tau2",
                                            "right_edge",
                                            "atom",
                                            "regime",
                                            "lambda",
                                            "alignment_mu",
                                            "alignment_u",
                                            "population_outlier",
                                            "population_alignment"};
  const std::vector<std::string> refused = {
      "omega1", "omega2", "left_edge", "cauchy_re", "cauchy_im", "mean_outlier", "mean_alignment"};
  // (H, delta, gamma, rho, kappa, a): detectable, table-only, none; eigenvector signal.
  struct P {
    PopulationSpec H;
    const char *delta, *gamma, *rho, *kappa, *a;
  };
  const std::vector<P> points = {{two_atoms(), "1/2", "1/2", "1", "2", "2"},
                                 {two_atoms(), "1/2", "1/2", "1", "1/3", "6/5"},
                                 {split_three(), "1/4", "1/4", "1", "3/2", "2"},
                                 {eigenvector(three_atoms(), R("2")), "3/2", "2", "1/2", "1", "5"}};
  for (const P& v : points) {
    QuantityPoint p;
    p.numbers = {{"delta", R(v.delta)},
                 {"gamma", R(v.gamma)},
                 {"rho", R(v.rho)},
                 {"kappa", R(v.kappa)},
                 {"alpha_over_kappa", R(v.a)}};
    p.population = std::make_shared<const PopulationSpec>(v.H);
    QuantityPoint iso = p;
    iso.population = nullptr;
    for (const auto& n : covered) CHECK(ball_route_covers(*find_quantity(n), p));
    for (const auto& n : refused) {
      CHECK(!ball_route_covers(*find_quantity(n), p));
      CHECK(ball_route_covers(*find_quantity(n), iso));
      BallQuantityEvaluation e(p, 128);
      CHECK_THROWS_AS(ball_route(*find_quantity(n))(e), std::invalid_argument);
    }
    CHECK_THROWS_AS(evaluate_in_balls(catalogue_entries({"left_edge"}), p, 128), std::logic_error);
    const auto qs = catalogue_entries(covered);
    const auto mpfr = evaluate<MpReal>(qs, p);  // the MPFR catalogue route (GeneralSpike)
    for (int digits : {15, 50}) {
      const auto balls = evaluate_in_balls(qs, p, bits_for_digits(digits));
      for (std::size_t i = 0; i < qs.size(); ++i) {
        INFO("point delta " << v.delta << " a " << v.a << ", quantity " << qs[i]->name);
        const BallValue& b = balls[i];
        if (mpfr[i].is_text) {
          REQUIRE(b.kind == BallValue::Kind::text);
          CHECK(b.text == mpfr[i].text);
        } else if (b.kind == BallValue::Kind::exact) {
          CHECK(abs(mpfr[i].number - to_real<MpReal>(b.exact)) < MpReal("1e-50"));
        } else {
          REQUIRE(b.kind == BallValue::Kind::ball);
          CHECK(contains_mpfr(b.value, mpfr[i].number, 60));
          CHECK(tight(b.value, digits));
        }
      }
    }
  }
}

TEST_CASE("population balls: delta from 1e-300 to 1e300 (H = delta_1 against the isotropic engine)",
          "[ball][population]") {
  // w_nu+ - t_max = sqrt(delta) t_max: 1e-150 for delta = 1e-300, below 83 bits
  // of t_max; the balls are then indeterminate at low precision (never wrong)
  // and proven once the precision resolves it.
  const Rational tiny = Rational(1) / boost::multiprecision::pow(BigInt(10), 300);
  for (const Rational& delta : {tiny, Rational(1) / tiny}) {
    for (slong prec : {83, 332, 1100}) {
      INFO("delta=1e" << (delta < 1 ? "-300" : "300") << " prec=" << prec);
      const Rational gamma = R("1/2"), rho = R("1");
      ball::BallLaw law(delta, gamma, Rational(1), prec);
      auto iso = ball::thresholds(law, rho);
      BallPopulationSpike s(PopulationSpec::isotropic(), delta, gamma, rho, prec);
      const auto& th = s.thresholds();
      for (auto [pop, ref] : {std::pair<const Arb*, const Arb*>{&th.a1, &iso.tau1},
                              {&th.a2, &iso.tau2},
                              {&th.sample_edge, nullptr}}) {
        const Arb edge = law.right_edge();
        const Arb& r = ref ? *ref : edge;
        CHECK((!pop->is_finite() || arb_overlaps(*pop, r)));
        if (prec == 1100) CHECK(tight(*pop, 100));
      }
      if (prec == 1100) {
        auto o = s.outlier(R("2"));
        auto io = ball::outlier(law, rho, R("2"));
        REQUIRE(o.decided);
        CHECK(o.regime == io.regime);
        CHECK(arb_overlaps(o.lambda, io.lambda));
        CHECK(arb_overlaps(o.A_u, io.alignment_u));
      }
    }
  }
}

TEST_CASE("CLI: thresholds --population prints the ball route (docs/theory.md §6, --radius)",
          "[ball][population][cli]") {
  using attnrmt_test::parse_csv;
  using attnrmt_test::run_cli;
  // docs/theory.md §6: a1, a2 to 20 digits for H = 0.5 delta_0.5 + 0.5 delta_1.5,
  // delta = gamma = 1/2 (each within 5e-20 of the truth).
  const Rational a1 = R("1.0368442077840408043"), a2 = R("1.4390467201812252285");
  auto r = run_cli(
      "thresholds --delta 1/2 --gamma 1/2 --population atoms:0.5@1/2,1.5@1/2 --digits 18 "
      "--radius --format csv");
  REQUIRE(r.exit_code == 0);
  auto rows = parse_csv(r.out);
  REQUIRE(rows.size() == 2);
  auto column = [&](const std::string& name) {
    for (std::size_t j = 0; j < rows[0].size(); ++j)
      if (rows[0][j] == name) return rows[1][j];
    FAIL("missing column " << name);
    return std::string();
  };
  // Printed to 18 significant digits, correctly rounded: within half a unit of
  // the 18th digit of the 20-digit reference, plus its own rounding.
  const Rational tol = R("5e-18") + R("5e-20");
  for (const auto& [name, ref] : {std::pair<std::string, Rational>{"tau1", a1}, {"tau2", a2}}) {
    INFO(name);
    Rational d = R(column(name)) - ref;
    if (d < 0) d = -d;
    CHECK(d <= tol);
    // --radius is honoured (the ball route): a positive radius far below the digits.
    const Rational rad = R(column(name + "_radius"));
    CHECK(rad > 0);
    CHECK(rad < R("1e-19"));
  }
  // The MPFR route (table, two runs) prints the same 18 digits.
  auto t = run_cli(
      "table --quantities tau1,tau2,table_edge,right_edge --set delta=1/2 --set gamma=1/2 "
      "--set rho=1 --population atoms:0.5@1/2,1.5@1/2 --digits 18 --quiet");
  REQUIRE(t.exit_code == 0);
  auto trows = parse_csv(t.out);
  REQUIRE(trows.size() == 2);
  for (const char* q : {"tau1", "tau2", "table_edge", "right_edge"}) {
    INFO(q);
    std::string tv;
    for (std::size_t j = 0; j < trows[0].size(); ++j)
      if (trows[0][j] == q) tv = trows[1][j];
    CHECK(column(q) == tv);
  }
}
