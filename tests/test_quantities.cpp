// tests/test_quantities.cpp -- the quantity catalogue (attnrmt/quantities.hpp).
//
// Every catalogue entry must have a route here that does not go through its
// evaluator: the certified ball engine (an independent cubic solve in Arb),
// the rank-one equation on the Cauchy transform, the contour route,
// closed forms written out in the test, direct sums over the weights. The
// first test fails when an entry is added without one.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "attnrmt/ball/bulk_law_ball.hpp"
#include "attnrmt/ball/grid.hpp"
#include "attnrmt/ball/spike_ball.hpp"
#include "attnrmt/marchenko_pastur.hpp"
#include "attnrmt/precision.hpp"
#include "attnrmt/quantities.hpp"
#include "attnrmt/spectral_integrals.hpp"
#include "ball_quantities.hpp"
#include "support/cli_runner.hpp"
#include "support/rational_literal.hpp"

using namespace attnrmt;
using attnrmt::ball::Arb;
using attnrmt::ball::BallLaw;

namespace {

using attnrmt_test::R;

MpReal midpoint(const Arb& x) {
  MpReal m;
  arb_srcptr p = x;
  arf_get_mpfr(m.backend().data(), arb_midref(p), MPFR_RNDN);
  return m;
}

// |catalogue - route| <= tol |route| (+ the ball's radius for Arb routes).
void require_close(const MpReal& value, const MpReal& route, const MpReal& tol,
                   const std::string& what) {
  INFO(what << ": catalogue " << value.str(40) << ", route " << route.str(40));
  REQUIRE(abs(value - route) <= tol * abs(route) + tol * tol);
}

void require_in_ball(const MpReal& value, const Arb& ball, const std::string& what) {
  const MpReal mid = midpoint(ball);
  arb_srcptr p = ball;
  const MpReal rad = mag_get_d(arb_radref(p));
  INFO(what << ": catalogue " << value.str(40) << ", ball mid " << mid.str(40) << " rad "
            << rad.str(5));
  // The MPFR evaluation at 60 digits is good to ~1e-55 relative.
  REQUIRE(abs(value - mid) <= rad + MpReal("1e-50") * abs(mid) + MpReal("1e-100"));
}

QuantityPoint model_point(const std::string& delta, const std::string& gamma,
                          const std::string& rho, const std::string& kappa,
                          const std::string& aok) {
  QuantityPoint p;
  p.numbers = {{"delta", R(delta)},
               {"gamma", R(gamma)},
               {"rho", R(rho)},
               {"kappa", R(kappa)},
               {"alpha_over_kappa", R(aok)}};
  return p;
}

MpReal value_of(const std::string& name, const QuantityPoint& p) {
  const Quantity<MpReal>* q = find_quantity<MpReal>(name);
  REQUIRE(q != nullptr);
  return evaluate<MpReal>({q}, p).front().number;
}

// The independent route of each model quantity at point p (60 digits).
using Route = std::function<void(const QuantityPoint&)>;

std::map<std::string, Route> model_routes() {
  auto law_of = [](const QuantityPoint& p) {
    return BallLaw(p.numbers.at("delta"), p.numbers.at("gamma"), p.numbers.at("kappa"), 256);
  };
  auto ball_thresholds = [law_of](const QuantityPoint& p) {
    return ball::thresholds(law_of(p), p.numbers.at("rho"));
  };
  std::map<std::string, Route> r;
  r["tau1"] = [=](const QuantityPoint& p) {
    require_in_ball(value_of("tau1", p), ball_thresholds(p).tau1, "tau1");
  };
  r["tau2"] = [=](const QuantityPoint& p) {
    require_in_ball(value_of("tau2", p), ball_thresholds(p).tau2, "tau2");
  };
  r["omega1"] = [=](const QuantityPoint& p) {
    require_in_ball(value_of("omega1", p), ball_thresholds(p).omega1, "omega1");
  };
  r["omega2"] = [=](const QuantityPoint& p) {
    require_in_ball(value_of("omega2", p), ball_thresholds(p).omega2, "omega2");
  };
  r["right_edge"] = [=](const QuantityPoint& p) {
    require_in_ball(value_of("right_edge", p), law_of(p).right_edge(), "right_edge");
  };
  r["left_edge"] = [=](const QuantityPoint& p) {
    require_in_ball(value_of("left_edge", p), law_of(p).left_edge(), "left_edge");
  };
  r["atom"] = [](const QuantityPoint& p) {
    // max(0, 1 - 1/delta, 1 - 1/gamma), exactly.
    Rational a = 0;
    for (const char* c : {"delta", "gamma"}) a = std::max(a, Rational(1 - 1 / p.numbers.at(c)));
    require_close(value_of("atom", p), to_real<MpReal>(a), MpReal("1e-55"), "atom");
  };
  // Support intervals: MP_delta ⊠ MP_gamma has one, [left_edge, right_edge]
  // (the ball engine's edges); there is no second (split supports: the §6
  // example in tests/test_population_catalogue.cpp).
  r["interval_count"] = [](const QuantityPoint& p) {
    REQUIRE(value_of("interval_count", p) == 1);
  };
  for (const char* name : {"interval_left_edge", "interval_right_edge"})
    r[name] = [=](const QuantityPoint& p) {
      QuantityPoint one = p;
      one.numbers["interval"] = 1;
      const BallLaw law = law_of(p);
      require_in_ball(value_of(name, one),
                      std::string(name) == "interval_left_edge" ? law.left_edge() : law.right_edge(),
                      name);
      QuantityPoint two = p;
      two.numbers["interval"] = 2;
      const auto v = evaluate<MpReal>({find_quantity<MpReal>(name)}, two).front();
      REQUIRE(v.is_text);
      REQUIRE(v.text == "none");
    };
  r["log_moment"] = [](const QuantityPoint& p) {
    if (!(p.numbers.at("delta") < 1 && p.numbers.at("gamma") < 1)) {
      // No log-moment with an atom at 0: the catalogue says which parameter.
      QuantityEvaluation<MpReal> e(p);
      REQUIRE_THROWS_WITH(find_quantity<MpReal>("log_moment")->evaluate(e),
                          Catch::Contains("must be < 1 for log_moment"));
      return;
    }
    // The contour route: the integral of log x against the unit law, plus log kappa.
    ScopedPrecision lower(30);
    const MpReal delta = to_real<MpReal>(p.numbers.at("delta"));
    const MpReal gamma = to_real<MpReal>(p.numbers.at("gamma"));
    auto c = spectral_integral<MpReal>(BulkLaw<MpReal>(delta, gamma), parse_integrand("log"));
    REQUIRE(c.converged);
    const MpReal route = c.value.re + log(to_real<MpReal>(p.numbers.at("kappa")));
    require_close(value_of("log_moment", p), route, MpReal("1e-22"), "log_moment");
  };
  r["lambda"] = [](const QuantityPoint& p) {
    // The rank-one equation on the Cauchy transform (spike.hpp route 2), times kappa.
    QuantityEvaluation<MpReal> e(p);
    BulkLaw<MpReal> unit(e.real("delta"), e.real("gamma"));
    const MpReal omega = e.real("alpha_over_kappa") * (e.real("rho") + e.real("delta"));
    const MpReal route = e.real("kappa") * outlier_by_rank_one_equation(unit, omega);
    require_close(value_of("lambda", p), route, MpReal("1e-40"), "lambda");
  };
  auto contour = [](const QuantityPoint& p) {
    ScopedPrecision lower(30);
    QuantityEvaluation<MpReal> e(p);
    return outlier_by_contour(e.real("delta"), e.real("gamma"), e.real("rho"),
                              e.real("alpha_over_kappa"));
  };
  r["alignment_mu"] = [=](const QuantityPoint& p) {
    const MpReal route = contour(p).alignment_mu;
    require_close(value_of("alignment_mu", p), route, MpReal("1e-20"), "alignment_mu");
  };
  r["alignment_u"] = [=](const QuantityPoint& p) {
    const MpReal route = contour(p).alignment_u;
    require_close(value_of("alignment_u", p), route, MpReal("1e-20"), "alignment_u");
  };
  // Population level (docs/theory.md §3), written out here: s = omega - delta;
  // above s = sqrt(delta) the eigenvalue kappa omega (s+1)/s with squared cosine
  // 1 - delta/s^2, below it the MP_delta edge kappa (1 + sqrt delta)^2 and 0.
  auto population = [](const QuantityPoint& p) {
    QuantityEvaluation<MpReal> e(p);
    const MpReal delta = e.real("delta");
    const MpReal s = e.real("alpha_over_kappa") * (e.real("rho") + delta) - delta;
    const bool outlier = s > 0 && s * s > delta;
    const MpReal edge = (1 + sqrt(delta)) * (1 + sqrt(delta));
    return std::pair<MpReal, MpReal>(
        e.real("kappa") * (outlier ? MpReal((s + delta) * (s + 1) / s) : edge),
        outlier ? MpReal(1 - delta / (s * s)) : MpReal(0));
  };
  r["population_outlier"] = [=](const QuantityPoint& p) {
    require_close(value_of("population_outlier", p), population(p).first, MpReal("1e-50"),
                  "population_outlier");
  };
  r["population_alignment"] = [=](const QuantityPoint& p) {
    require_close(value_of("population_alignment", p), population(p).second, MpReal("1e-45"),
                  "population_alignment");
  };
  // Vocabulary-mean outlier, a spike of strength omega = delta M: the rank-one
  // equation (route 2) for the eigenvalue and the contour route for the
  // squared cosine (a spike with rho = 0 and alpha/kappa = M has omega = delta M).
  auto mean_points = [](const QuantityPoint& p) {
    std::vector<QuantityPoint> out;
    for (const char* M : {"1/2", "3", "40"}) {
      QuantityPoint m = p;
      m.numbers["mean_strength"] = R(M);
      out.push_back(m);
    }
    return out;
  };
  r["mean_outlier"] = [=](const QuantityPoint& p) {
    for (const QuantityPoint& m : mean_points(p)) {
      QuantityEvaluation<MpReal> e(m);
      BulkLaw<MpReal> unit(e.real("delta"), e.real("gamma"));
      const MpReal route =
          e.real("kappa") *
          outlier_by_rank_one_equation(unit, MpReal(e.real("delta") * e.real("mean_strength")));
      require_close(value_of("mean_outlier", m), route, MpReal("1e-40"), "mean_outlier");
    }
  };
  r["mean_alignment"] = [=](const QuantityPoint& p) {
    for (const QuantityPoint& m : mean_points(p)) {
      ScopedPrecision lower(30);
      QuantityEvaluation<MpReal> e(m);
      const MpReal route =
          outlier_by_contour(e.real("delta"), e.real("gamma"), MpReal(0), e.real("mean_strength"))
              .alignment_u;
      ScopedPrecision back(60);
      require_close(value_of("mean_alignment", m), route, MpReal("1e-20"), "mean_alignment");
    }
  };
  r["regime"] = [=](const QuantityPoint& p) {
    // From the thresholds (balls): detectable above tau2, table-only in (tau1, tau2].
    auto th = ball_thresholds(p);
    const MpReal aok = to_real<MpReal>(p.numbers.at("alpha_over_kappa"));
    const std::string expected = aok > midpoint(th.tau2)   ? "detectable"
                                 : aok > midpoint(th.tau1) ? "table-only"
                                                           : "none";
    const Quantity<MpReal>* q = find_quantity<MpReal>("regime");
    auto v = evaluate<MpReal>({q}, p).front();
    REQUIRE(v.is_text);
    REQUIRE(v.text == expected);
  };
  r["table_edge"] = [](const QuantityPoint& p) {
    // The right edge of kappa MP_delta, kappa (1 + sqrt(delta))^2, written out.
    const MpReal root = sqrt(to_real<MpReal>(p.numbers.at("delta")));
    const MpReal edge = to_real<MpReal>(p.numbers.at("kappa")) * (1 + root) * (1 + root);
    require_close(value_of("table_edge", p), edge, MpReal("1e-55"), "table_edge");
  };
  // Gap outliers: the support of MP_delta ⊠ MP_gamma is one interval, so an
  // isotropic point has none: a count of 0 and "none" at every index (split
  // supports: the test "gap outliers: ..." below, against docs/theory.md §6).
  r["gap_outlier_count"] = [](const QuantityPoint& p) {
    REQUIRE(value_of("gap_outlier_count", p) == 0);
  };
  for (const char* name : {"gap_regime", "gap_lambda", "gap_alignment_mu", "gap_alignment_u",
                           "gap_population_outlier", "gap_population_alignment"})
    r[name] = [name](const QuantityPoint& p) {
      for (int k : {1, 2}) {
        QuantityPoint g = p;
        g.numbers["gap"] = k;
        const auto v = evaluate<MpReal>({find_quantity<MpReal>(name)}, g).front();
        INFO(name << " at gap = " << k);
        REQUIRE(v.is_text);
        REQUIRE(v.text == "none");
      }
    };
  return r;
}

// Scheme quantities from the weights by direct sums (mean pooling against
// R_st = r^|s-t|, whose weights are 1/T).
std::map<std::string, Route> scheme_routes() {
  auto sums = [](const QuantityPoint& p) {
    const int T = static_cast<int>(boost::multiprecision::numerator(p.numbers.at("T")));
    const MpReal r = to_real<MpReal>(R(p.text.at("corr").substr(7)));  // "markov:R"
    MpReal alpha = 0;
    for (int s = 0; s < T; ++s)
      for (int t = 0; t < T; ++t) alpha += pow(r, std::abs(s - t)) / (T * T);
    const MpReal kappa = MpReal(1) / T;
    return std::pair<MpReal, MpReal>(alpha, kappa);
  };
  std::map<std::string, Route> m;
  m["scheme_alpha_over_kappa"] = [=](const QuantityPoint& p) {
    auto [alpha, kappa] = sums(p);
    require_close(value_of("scheme_alpha_over_kappa", p), alpha / kappa, MpReal("1e-45"),
                  "scheme_alpha_over_kappa");
  };
  m["scheme_kappa"] = [=](const QuantityPoint& p) {
    require_close(value_of("scheme_kappa", p), sums(p).second, MpReal("1e-45"), "scheme_kappa");
  };
  m["scheme_mean_strength"] = [](const QuantityPoint& p) {
    // (sum_t w_t)^2 / ||w||^2 = 1 / (1/T) = T for equal weights.
    require_close(value_of("scheme_mean_strength", p), to_real<MpReal>(p.numbers.at("T")),
                  MpReal("1e-45"), "scheme_mean_strength");
  };
  m["scheme_effective_tokens"] = [](const QuantityPoint& p) {
    // kappa^2 / sum w^4 = T for equal weights.
    require_close(value_of("scheme_effective_tokens", p), to_real<MpReal>(p.numbers.at("T")),
                  MpReal("1e-45"), "scheme_effective_tokens");
  };
  m["scheme_max_weight_share"] = [](const QuantityPoint& p) {
    require_close(value_of("scheme_max_weight_share", p),
                  MpReal(1) / to_real<MpReal>(p.numbers.at("T")), MpReal("1e-45"),
                  "scheme_max_weight_share");
  };
  return m;
}

// Functions of a point (x or q) of the bulk law and of the plain MP law.
// Bulk law: the ball engine's own cubic solve (BallLaw). Plain MP: the bulk
// law kappa (MP_c ⊠ MP_g) in balls at g = 1e-100, whose distance to kappa MP_c
// is far below the tolerance (O(g) in the interior, O(sqrt g) at most), so the
// closed forms of marchenko_pastur.hpp meet a second, unrelated solver.
// Quantiles: the ball CDF at the catalogue's quantile equals q.
std::map<std::string, Route> law_routes() {
  auto bulk = [](const QuantityPoint& p) {
    return BallLaw(p.numbers.at("delta"), p.numbers.at("gamma"), p.numbers.at("kappa"), 256);
  };
  // The grid path (a double seed, a Krawczyk-proven root, 60 correctly rounded
  // digits): its balls stay tight at g = 1e-100, where BallLaw's single-point
  // CDF keeps a radius of about 5e-16 at any precision.
  auto near_mp = [](const QuantityPoint& p, const Rational& x) {
    ball::LawLadder ladder(p.numbers.at("c"), R("1e-100"), p.numbers.at("kappa"));
    return ball::density_cdf_grid(ladder, {x}, 60, 1).front();
  };
  auto as_rational = [](const MpReal& v) { return R(v.str(70, std::ios_base::scientific)); };
  // point(x) -> DensityCdfPoint (balls), atom: of the law being inverted.
  // At q = 0 (no atom) and q = 1 the quantile is an edge, where a CDF ball
  // cannot be decided: compare with the edge instead.
  auto quantile_route = [as_rational](const std::string& name, const auto& point,
                                      const MpReal& atom, const MpReal& left, const MpReal& right,
                                      const QuantityPoint& p) {
    const MpReal x = value_of(name, p);
    const MpReal q = to_real<MpReal>(p.numbers.at("q"));
    INFO(name << " at q = " << q.str(20) << ": " << x.str(40));
    if (q <= atom && atom > 0) {
      REQUIRE(x == 0);  // inside the atom
      return;
    }
    if (q == 0 || q == 1) {
      require_close(x, q == 0 ? left : right, MpReal("1e-50"), name + " at an edge");
      return;
    }
    const ball::DensityCdfPoint at = point(as_rational(x));
    const MpReal F = midpoint(at.cdf.ball);
    const MpReal rad = mag_get_d(arb_radref(at.cdf.ball.get()));
    const MpReal f = midpoint(at.density.ball);
    INFO("ball CDF " << F.str(50) << " radius " << rad.str(5));
    REQUIRE(rad < MpReal("1e-50"));
    // |CDF(x) - q| within the MPFR evaluation's error times the density.
    REQUIRE(abs(F - q) <= MpReal("1e-45") * (1 + f * abs(x)));
  };
  std::map<std::string, Route> r;
  r["density"] = [=](const QuantityPoint& p) {
    if (!p.numbers.count("x")) return;
    require_in_ball(value_of("density", p), bulk(p).density(p.numbers.at("x")), "density");
  };
  r["cdf"] = [=](const QuantityPoint& p) {
    if (!p.numbers.count("x")) return;
    require_in_ball(value_of("cdf", p), bulk(p).cdf(p.numbers.at("x")), "cdf");
  };
  r["quantile"] = [=](const QuantityPoint& p) {
    if (!p.numbers.count("q")) return;
    const BallLaw law = bulk(p);
    auto point = [&](const Rational& x) {
      ball::DensityCdfPoint out;
      out.density.ball = law.density(x);
      out.cdf.ball = law.cdf(x);
      return out;
    };
    quantile_route("quantile", point, midpoint(law.atom()), midpoint(law.left_edge()),
                   midpoint(law.right_edge()), p);
  };
  // Cauchy transform: the ball engine (its own branch rule) at z = x + i y for
  // y = 0 (on the axis: g(x + i0)), 1/4 and -1/3 (both half planes).
  auto cauchy_route = [=](const std::string& part, const QuantityPoint& p) {
    if (!p.numbers.count("x")) return;
    const Rational x = p.numbers.at("x");
    for (const Rational& y : {Rational(0), Rational(1, 4), Rational(-1, 3)}) {
      if (x == 0 && y == 0) continue;  // the atom's pole
      QuantityPoint z = p;
      z.numbers.erase("x");
      z.numbers["z_re"] = x;
      z.numbers["z_im"] = y;
      ball::Acb g = bulk(p).cauchy(x, y);
      Arb component;
      arb_set(component, part == "re" ? g.re() : g.im());
      INFO("z = " << rational_to_string(x) << " + " << rational_to_string(y) << " i");
      require_in_ball(value_of("cauchy_" + part, z), component, "cauchy_" + part);
    }
  };
  r["cauchy_re"] = [=](const QuantityPoint& p) { cauchy_route("re", p); };
  r["cauchy_im"] = [=](const QuantityPoint& p) { cauchy_route("im", p); };
  // Moments: the contour route (∮ z^k g(z) dz / 2 pi i) at 30 digits, k = 1..4.
  r["moment"] = [](const QuantityPoint& p) {
    if (!p.numbers.count("x")) return;
    ScopedPrecision lower(30);
    BulkLaw<MpReal> law(to_real<MpReal>(p.numbers.at("delta")),
                        to_real<MpReal>(p.numbers.at("gamma")),
                        to_real<MpReal>(p.numbers.at("kappa")));
    for (int k = 1; k <= 4; ++k) {
      auto c = spectral_integral<MpReal>(law, parse_integrand("power:" + std::to_string(k)));
      REQUIRE(c.converged);
      QuantityPoint m = p;
      m.numbers["k"] = k;
      ScopedPrecision back(60);
      require_close(value_of("moment", m), c.value.re, MpReal("1e-22"),
                    "moment " + std::to_string(k));
    }
  };
  r["mp_density"] = [=](const QuantityPoint& p) {
    if (!p.numbers.count("x")) return;
    require_close(value_of("mp_density", p), midpoint(near_mp(p, p.numbers.at("x")).density.ball),
                  MpReal("1e-40"), "mp_density");
  };
  r["mp_cdf"] = [=](const QuantityPoint& p) {
    if (!p.numbers.count("x")) return;
    require_close(value_of("mp_cdf", p), midpoint(near_mp(p, p.numbers.at("x")).cdf.ball),
                  MpReal("1e-40"), "mp_cdf");
  };
  r["mp_quantile"] = [=](const QuantityPoint& p) {
    if (!p.numbers.count("q")) return;
    const Rational c = p.numbers.at("c");
    const MpReal atom = c > 1 ? to_real<MpReal>(Rational(1 - 1 / c)) : MpReal(0);
    // Edges (1 -+ sqrt c)^2 kappa, written out.
    const MpReal sc = sqrt(to_real<MpReal>(c)), k = to_real<MpReal>(p.numbers.at("kappa"));
    quantile_route(
        "mp_quantile", [&](const Rational& x) { return near_mp(p, x); }, atom,
        (1 - sc) * (1 - sc) * k, (1 + sc) * (1 + sc) * k, p);
  };
  return r;
}

}  // namespace

TEST_CASE("functions of x and q: density, CDF and quantile of the bulk and plain MP laws",
          "[quantities]") {
  ScopedPrecision prec(60);
  // delta (= c), gamma, kappa, x, q: interior, near the soft left edge, outside
  // on both sides, an atom (delta = 2: mass 1/2), a hard edge, a large kappa.
  const std::vector<std::vector<std::string>> points = {
      {"1/2", "1/2", "1", "1", "1/2"},   {"1/2", "1/2", "1", "0.0284", "0.001"},
      {"1/2", "1/2", "1", "5", "0.999"}, {"1/2", "1/2", "1", "-1", "0"},
      {"2", "1/2", "1", "3", "0.3"},     {"2", "1/2", "1", "0.2", "0.75"},
      {"1", "1", "1", "0.5", "0.2"},     {"1/3", "1/5", "1e6", "1.2e6", "1"},
      {"0.3", "0.7", "5", "4", "0.9"},
  };
  for (const auto& v : points)
    for (const auto& [name, route] : law_routes()) {
      QuantityPoint p;
      p.numbers = {{"delta", R(v[0])}, {"gamma", R(v[1])}, {"kappa", R(v[2])}, {"c", R(v[0])}};
      INFO("delta=c=" << v[0] << " gamma=" << v[1] << " kappa=" << v[2] << " x=" << v[3]
                      << " q=" << v[4] << ", quantity " << name);
      p.numbers["x"] = R(v[3]);
      route(p);
      p.numbers.erase("x");
      p.numbers["q"] = R(v[4]);
      route(p);
    }
}

TEST_CASE("plain MP CDF: closed form against quadrature of the density, edges and atom",
          "[quantities]") {
  // Independent of the arcsine closed form: Gauss-Kronrod quadrature of the
  // density (a square-root endpoint: substitute x = a + (b - a) sin^2 t).
  for (double c : {0.25, 0.5, 1.0, 2.0, 7.0}) {
    MarchenkoPastur<double> mp(c, 3.0);
    const double a = mp.left_edge(), b = mp.right_edge();
    INFO("c = " << c);
    CHECK(mp.cdf(a) == Approx(mp.atom()).margin(1e-15));
    CHECK(mp.cdf(b) == 1.0);
    CHECK(mp.cdf(-1.0) == 0.0);
    for (double u : {0.001, 0.1, 0.37, 0.5, 0.8, 0.999}) {
      const double x = a + (b - a) * u;
      const double tmax = std::asin(std::sqrt(u));
      const int n = 4000;
      double mass = 0;  // midpoint rule in t: smooth integrand after the substitution
      for (int k = 0; k < n; ++k) {
        const double t = (k + 0.5) * tmax / n;
        const double s = std::sin(t), co = std::cos(t);
        mass += mp.density(a + (b - a) * s * s) * (b - a) * 2 * s * co * tmax / n;
      }
      INFO("x = " << x);
      CHECK(mp.cdf(x) == Approx(mp.atom() + mass).epsilon(1e-6).margin(1e-12));
      CHECK(mp.quantile(mp.cdf(x)) == Approx(x).epsilon(1e-9));
    }
  }
  REQUIRE_THROWS_WITH(MarchenkoPastur<double>(0.5).quantile(1.5),
                      Catch::Contains("q must be in [0, 1]"));
  REQUIRE_THROWS_WITH(MarchenkoPastur<double>(0.0), Catch::Contains("c must be"));
}

TEST_CASE("every catalogue quantity has an independent route in this test", "[quantities]") {
  auto model = model_routes();
  auto scheme = scheme_routes();
  auto law = law_routes();
  std::set<std::string> names;
  for (const auto& q : quantity_catalogue<MpReal>()) {
    INFO("quantity " << q.name);
    REQUIRE((model.count(q.name) + scheme.count(q.name) + law.count(q.name)) == 1);
    REQUIRE(names.insert(q.name).second);  // names are unique
    REQUIRE(!q.description.empty());
    REQUIRE(!q.unit.empty());
    for (const auto& p : q.parameters) REQUIRE(find_parameter_spec(p) != nullptr);
  }
  REQUIRE(names.size() == model.size() + scheme.size() + law.size());
}

TEST_CASE("catalogue quantities agree with their independent routes", "[quantities]") {
  ScopedPrecision prec(60);
  const std::vector<std::vector<std::string>> points = {
      // delta, gamma, rho, kappa, alpha/kappa: detectable, table-only, none,
      // soft and hard left edges, an atom, a large kappa.
      {"1/2", "1/4", "1", "1", "3"},     {"1/2", "1/4", "1", "2", "0.9"},
      {"0.3", "0.7", "2", "1/3", "0.2"}, {"2", "0.5", "1/2", "1", "7"},
      {"0.1", "3", "0", "5", "4"},       {"1/3", "1/5", "3", "1e6", "2"},
  };
  for (const auto& v : points) {
    QuantityPoint p = model_point(v[0], v[1], v[2], v[3], v[4]);
    for (const auto& [name, route] : model_routes()) {
      INFO("point delta=" << v[0] << " gamma=" << v[1] << " rho=" << v[2] << " kappa=" << v[3]
                          << " aok=" << v[4] << ", quantity " << name);
      route(p);
    }
  }
}

TEST_CASE("ball route: every route names a catalogue quantity, and its ball holds the MPFR value",
          "[quantities]") {
  using namespace attnrmt::cli;
  const std::vector<std::string> names = ball_route_names();
  // The quantities the certified commands print (thresholds, outlier, edges, cauchy).
  REQUIRE(names == std::vector<std::string>{"tau1", "tau2", "omega1", "omega2", "table_edge",
                                            "right_edge", "left_edge", "atom", "cauchy_re",
                                            "cauchy_im", "lambda", "alignment_mu", "alignment_u",
                                            "population_outlier", "population_alignment",
                                            "mean_outlier", "mean_alignment", "regime"});
  ScopedPrecision prec(60);
  const std::vector<const QuantityInfo*> qs = catalogue_entries(names);
  // detectable with exact lambda, table-only, none, hard left edge with an atom,
  // an irrational right edge and z off and on the real axis.
  const std::vector<std::vector<std::string>> points = {
      {"1/2", "1/4", "1", "2", "3", "4", "1", "1/2"},
      {"1/2", "1/4", "1", "1", "0.9", "1/2", "2", "0"},
      {"0.3", "0.7", "2", "1/3", "0.2", "0", "1/5", "-1/3"},
      {"2", "0.5", "1/2", "1", "7", "3", "3", "0"}};
  for (const auto& v : points) {
    QuantityPoint p = model_point(v[0], v[1], v[2], v[3], v[4]);
    p.numbers["mean_strength"] = R(v[5]);
    p.numbers["z_re"] = R(v[6]);
    p.numbers["z_im"] = R(v[7]);
    const auto mpfr = evaluate<MpReal>(qs, p);
    const auto balls = evaluate_in_balls(qs, p, 256);
    for (std::size_t i = 0; i < qs.size(); ++i) {
      INFO("point " << v[0] << " " << v[1] << " " << v[2] << " " << v[3] << " " << v[4] << " M "
                    << v[5] << " z " << v[6] << " " << v[7] << ", quantity " << qs[i]->name);
      const BallValue& b = balls[i];
      if (mpfr[i].is_text) {
        REQUIRE(b.kind == BallValue::Kind::text);
        REQUIRE(b.text == mpfr[i].text);
      } else if (b.kind == BallValue::Kind::exact) {
        require_close(mpfr[i].number, to_real<MpReal>(b.exact), MpReal("1e-50"), qs[i]->name);
      } else {
        REQUIRE(b.kind == BallValue::Kind::ball);
        require_in_ball(mpfr[i].number, b.value, qs[i]->name);
      }
    }
  }
  // A quantity without a ball route is refused, not guessed.
  REQUIRE(ball_route(*find_quantity("density")) == nullptr);
  REQUIRE_THROWS_AS(evaluate_in_balls(catalogue_entries({"density"}), QuantityPoint{}, 64),
                    std::logic_error);
}

TEST_CASE("scheme quantities agree with direct sums over the weights", "[quantities]") {
  ScopedPrecision prec(50);
  for (const auto& [T, corr] : std::vector<std::pair<int, std::string>>{
           {1, "markov:0.5"}, {7, "markov:0.5"}, {40, "markov:-0.3"}}) {
    QuantityPoint p;
    p.numbers["T"] = T;
    p.text = {{"pooling", "mean"}, {"corr", corr}};
    for (const auto& [name, route] : scheme_routes()) {
      INFO("T=" << T << " corr=" << corr << ", quantity " << name);
      route(p);
    }
  }
}

TEST_CASE("parameter domains: errors name the parameter and its range", "[quantities]") {
  auto check = [](const char* name, const std::string& value) {
    check_parameter(*find_parameter_spec(name), R(value));
  };
  REQUIRE_THROWS_WITH(check("delta", "0"), "delta must be > 0 (got 0)");
  REQUIRE_THROWS_WITH(check("gamma", "-1/2"), "gamma must be > 0 (got -1/2)");
  REQUIRE_NOTHROW(check("rho", "0"));
  REQUIRE_THROWS_WITH(check("rho", "-1"), "rho must be >= 0 (got -1)");
  REQUIRE_NOTHROW(check("T", std::to_string(max_sequence_length)));
  REQUIRE_THROWS_WITH(check("T", std::to_string(max_sequence_length + 1)),
                      Catch::Contains("T must be an integer in 1..10000"));
  REQUIRE_THROWS_WITH(check("T", "3/2"), Catch::Contains("T must be an integer"));
  REQUIRE_THROWS_AS(check("pooling", "1"), std::invalid_argument);
  const ParameterSpec& pooling = *find_parameter_spec("pooling");
  REQUIRE_NOTHROW(check_text_parameter(pooling, "causal:0.5"));
  REQUIRE_THROWS_AS(check_text_parameter(pooling, "bogus"), std::invalid_argument);
  REQUIRE_THROWS_WITH(check_text_parameter(pooling, ""), "pooling must not be empty");
  // Defaults are in their own domains.
  for (const auto& p : parameter_catalogue())
    if (!p.default_value.empty() && !p.is_text())
      REQUIRE_NOTHROW(check(p.name.c_str(), p.default_value));
}

TEST_CASE("CLI: quantities lists the catalogue, table and check use it", "[quantities][cli]") {
  using attnrmt_test::parse_csv;
  using attnrmt_test::run_cli;
  auto listed = run_cli("quantities --format csv");
  REQUIRE(listed.exit_code == 0);
  auto rows = parse_csv(listed.out);
  REQUIRE(rows.size() == quantity_catalogue<MpReal>().size() + 1);
  REQUIRE(rows[0] == std::vector<std::string>{"quantity", "parameters", "unit", "description"});
  for (std::size_t i = 0; i < quantity_catalogue<MpReal>().size(); ++i)
    REQUIRE(rows[i + 1][0] == quantity_catalogue<MpReal>()[i].name);
  auto params = run_cli("quantities --parameters --format csv");
  REQUIRE(params.exit_code == 0);
  REQUIRE(parse_csv(params.out).size() == parameter_catalogue().size() + 1);
  // log_moment through table, read back by check (second route: the contour
  // in the test above; here the round trip through the file).
  auto t = run_cli(
      "table --quantities log_moment --vary delta=0.2,0.5 --set gamma=0.3 "
      "--set kappa=2 --digits 20 --quiet");
  REQUIRE(t.exit_code == 0);
  ScopedPrecision prec(40);
  auto trows = parse_csv(t.out);
  REQUIRE(trows.size() == 3);
  REQUIRE(trows[0] == std::vector<std::string>{"delta", "gamma", "kappa", "log_moment"});
  const MpReal expected =
      log(MpReal(2)) + mp_log_moment(MpReal("0.2")) + mp_log_moment(MpReal("0.3"));
  REQUIRE(abs(MpReal(trows[1][3]) - expected) <= MpReal("1e-19") * abs(expected));
  auto bad = run_cli("table --quantities log_moment --vary delta=2 --set gamma=0.3 --quiet");
  REQUIRE(bad.exit_code == 2);
  REQUIRE_THAT(bad.err, Catch::Contains("delta must be < 1 for log_moment"));
}

TEST_CASE("CLI: thresholds, edges and outlier print catalogue quantities, equal to table's",
          "[quantities][cli]") {
  using attnrmt_test::parse_csv;
  using attnrmt_test::run_cli;
  // The certified commands compute in balls; table evaluates the catalogue in
  // MPFR. Every output column is a parameter or a catalogue quantity, and both
  // print the same 15 digits.
  const std::string point = "--delta 1/2 --gamma 1/4 --rho 1";
  const std::vector<std::pair<std::string, std::string>> commands = {
      {"thresholds " + point, "--set delta=1/2 --set gamma=1/4 --set rho=1"},
      {"edges --delta 1/2 --gamma 1/4 --kappa 2", "--set delta=1/2 --set gamma=1/4 --set kappa=2"},
      {"outlier " + point + " --kappa 2 --alpha-over-kappa 3 --mean-strength 5",
       "--set delta=1/2 --set gamma=1/4 --set rho=1 --set kappa=2 --set alpha_over_kappa=3 "
       "--set mean_strength=5"}};
  for (const auto& [command, set] : commands) {
    INFO(command);
    auto out = run_cli(command + " --format csv");
    REQUIRE(out.exit_code == 0);
    auto rows = parse_csv(out.out);
    REQUIRE(rows.size() == 2);
    std::vector<std::string> names;
    for (const auto& c : rows[0]) {
      INFO("column " << c);
      REQUIRE((find_quantity<MpReal>(c) != nullptr || find_parameter_spec(c) != nullptr));
      if (find_quantity<MpReal>(c)) names.push_back(c);
    }
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ",") + n;
    auto t = run_cli("table --quantities " + list + " " + set + " --quiet");
    REQUIRE(t.exit_code == 0);
    auto trows = parse_csv(t.out);
    REQUIRE(trows.size() == 2);
    for (const auto& n : names) {
      auto at = [&](const std::vector<std::vector<std::string>>& r) {
        for (std::size_t j = 0; j < r[0].size(); ++j)
          if (r[0][j] == n) return r[1][j];
        return std::string("(missing)");
      };
      INFO("quantity " << n);
      REQUIRE(at(rows) == at(trows));
    }
  }
}

TEST_CASE("CLI: cauchy, thresholds and outlier with --T/--pooling/--corr print table's values",
          "[quantities][cli]") {
  using attnrmt_test::parse_csv;
  using attnrmt_test::run_cli;
  // cauchy computes in balls and prints cauchy_re, cauchy_im as g_re, g_im;
  // with a scheme, thresholds and outlier print scheme_alpha_over_kappa as
  // alpha_over_kappa (outlier: scheme_kappa as kappa).
  // table evaluates the same entries in MPFR: the same 15 digits.
  struct Case {
    std::string command, table;
    std::vector<std::pair<std::string, std::string>> columns;  // command column, table column
  };
  const std::vector<Case> cases = {
      {"cauchy --delta 1/2 --gamma 1/4 --kappa 2 --z 1+1/2i",
       "--quantities cauchy_re,cauchy_im --set delta=1/2 --set gamma=1/4 --set kappa=2 "
       "--set z_re=1 --set z_im=1/2",
       {{"g_re", "cauchy_re"}, {"g_im", "cauchy_im"}}},
      {"cauchy --delta 2 --gamma 1/3 --z 3",
       "--quantities cauchy_re,cauchy_im --set delta=2 --set gamma=1/3 --set kappa=1 --set z_re=3",
       {{"g_re", "cauchy_re"}, {"g_im", "cauchy_im"}}},
      {"thresholds --delta 1/2 --gamma 1/4 --rho 1 --T 16 --pooling causal --corr markov:0.5",
       "--quantities tau1,tau2,omega1,omega2,scheme_alpha_over_kappa --set delta=1/2 "
       "--set gamma=1/4 --set rho=1 --set T=16 --set pooling=causal --set corr=markov:0.5",
       {{"tau1", "tau1"},
        {"tau2", "tau2"},
        {"omega1", "omega1"},
        {"omega2", "omega2"},
        {"alpha_over_kappa", "scheme_alpha_over_kappa"}}},
      // mean pooling: kappa = 1/T and M = sigma^2/kappa = T, so the uncentred
      // columns equal the catalogue's mean_outlier, mean_alignment at M = 8.
      {"outlier --delta 1/2 --gamma 1/3 --rho 1 --T 8 --pooling mean --corr markov:0.5 "
       "--uncentred",
       "--quantities scheme_alpha_over_kappa,scheme_kappa,mean_outlier,mean_alignment "
       "--set delta=1/2 --set gamma=1/3 --set kappa=0.125 --set mean_strength=8 --set T=8 "
       "--set pooling=mean --set corr=markov:0.5",
       {{"alpha_over_kappa", "scheme_alpha_over_kappa"},
        {"kappa", "scheme_kappa"},
        {"mean_outlier", "mean_outlier"},
        {"mean_alignment", "mean_alignment"}}}};
  for (const auto& c : cases) {
    INFO(c.command);
    auto out = run_cli(c.command + " --format csv");
    REQUIRE(out.exit_code == 0);
    auto t = run_cli("table " + c.table + " --quiet");
    REQUIRE(t.exit_code == 0);
    auto rows = parse_csv(out.out), trows = parse_csv(t.out);
    REQUIRE(rows.size() == 2);
    REQUIRE(trows.size() == 2);
    auto at = [](const std::vector<std::vector<std::string>>& r, const std::string& name) {
      for (std::size_t j = 0; j < r[0].size(); ++j)
        if (r[0][j] == name) return r[1][j];
      return std::string("(missing " + name + ")");
    };
    for (const auto& [column, quantity] : c.columns) {
      INFO(column << " against table's " << quantity);
      REQUIRE(at(rows, column) == at(trows, quantity));
    }
  }
}

TEST_CASE("CLI: bulk --law mp:C, closed forms written out and table's digits",
          "[quantities][cli]") {
  using attnrmt_test::parse_csv;
  using attnrmt_test::run_cli;
  auto r = run_cli("bulk --law mp:1/2 --x 1,3 --digits 15 --format csv");
  REQUIRE(r.exit_code == 0);
  auto rows = parse_csv(r.out);
  REQUIRE(rows.size() == 3);
  REQUIRE(rows[0] == std::vector<std::string>{"x", "density", "cdf"});
  // density sqrt((b - x)(x - a))/(2 pi c x), a, b = (1 -+ sqrt c)^2, at c = 1/2, x = 1.
  const double a = std::pow(1 - std::sqrt(0.5), 2), b = std::pow(1 + std::sqrt(0.5), 2);
  CHECK(std::stod(rows[1][1]) ==
        Approx(std::sqrt((b - 1) * (1 - a)) / (M_PI * 1.0)).epsilon(1e-14));
  CHECK(rows[2][1] == "0");  // x = 3 > b = 2.914...
  CHECK(rows[2][2] == "1");
  // The same digits as table's catalogue entries.
  auto t = run_cli(
      "table --quantities mp_density,mp_cdf --set c=1/2 --vary x=1,3 --digits 15 "
      "--quiet --format csv");
  REQUIRE(t.exit_code == 0);
  auto trows = parse_csv(t.out);
  REQUIRE(trows.size() == 3);
  CHECK(trows[1][trows[0].size() - 2] == rows[1][1]);
  CHECK(trows[1][trows[0].size() - 1] == rows[1][2]);
  // Quantiles: 0 inside the atom 1 - 1/c = 1/2 at c = 2; the right edge
  // kappa (1 + sqrt 2)^2 = 9 + 6 sqrt 2 at q = 1.
  auto q = run_cli("bulk --law mp:2 --kappa 3 --q 1/4,1 --digits 15 --format csv");
  REQUIRE(q.exit_code == 0);
  auto qrows = parse_csv(q.out);
  REQUIRE(qrows.size() == 3);
  CHECK(qrows[1][1] == "0");
  CHECK(std::stod(qrows[2][1]) == Approx(9 + 6 * std::sqrt(2.0)).epsilon(1e-14));  // 15 digits
  for (const char* bad : {"bulk --law mp:2 --delta 1 --x 1", "bulk --law mp:0 --x 1",
                          "bulk --law mq --x 1", "bulk --law mp:1/2 --x 1 --radius"}) {
    auto e = run_cli(bad);
    INFO(bad);
    CHECK(e.exit_code == 2);
    CHECK(e.out.empty());
  }
}

TEST_CASE("CLI: the isotropic bulk grid prints table's density and cdf digits",
          "[quantities][cli]") {
  // bulk evaluates density and cdf through the certified grid (ball/grid.hpp,
  // double-double stage then Arb); table through the catalogue's MPFR
  // evaluators and two working precisions: independent routes, same digits.
  using attnrmt_test::parse_csv;
  using attnrmt_test::run_cli;
  // edges of this law: 0.0463443572135643 and 3.97876301802413 (`edges`), so 4 is outside
  const std::string xs = "0.05,0.5,1,2,3,3.3,4";
  auto b = run_cli("bulk --delta 1/2 --gamma 1/3 --x " + xs + " --digits 15 --format csv");
  auto t = run_cli("table --quantities density,cdf --set delta=1/2 --set gamma=1/3 --vary x=" +
                   xs + " --digits 15 --quiet --format csv");
  REQUIRE(b.exit_code == 0);
  REQUIRE(t.exit_code == 0);
  auto brows = parse_csv(b.out), trows = parse_csv(t.out);
  REQUIRE(brows.size() == 8);
  REQUIRE(trows.size() == 8);
  REQUIRE(brows[0] == std::vector<std::string>{"x", "density", "cdf"});
  const std::size_t n = trows[0].size();
  REQUIRE(trows[0][n - 2] == "density");
  REQUIRE(trows[0][n - 1] == "cdf");
  for (std::size_t i = 1; i < brows.size(); ++i) {
    INFO("x = " << brows[i][0]);
    CHECK(brows[i][1] == trows[i][n - 2]);
    CHECK(brows[i][2] == trows[i][n - 1]);
  }
  CHECK(brows[7][1] == "0");  // x = 4 is right of the support
  CHECK(brows[7][2] == "1");
}

// ---- population (optional parameters population, signal) -----------------------

namespace {

std::shared_ptr<const PopulationSpec> population_of(std::vector<Rational> atoms,
                                                    std::vector<Rational> weights) {
  return std::make_shared<const PopulationSpec>(PopulationSpec::from_atoms(atoms, weights));
}

}  // namespace

TEST_CASE("population H = delta_1: the general engine gives the isotropic values at 50 digits",
          "[quantities][population]") {
  ScopedPrecision prec(60);
  const MpReal tol("1e-50");
  const std::vector<std::vector<std::string>> points = {
      {"1/2", "1/4", "1", "1", "3"},     {"1/2", "1/4", "1", "2", "0.9"},
      {"0.3", "0.7", "2", "1/3", "0.2"}, {"2", "0.5", "1/2", "1", "7"},
      {"1/3", "1/5", "3", "1e6", "2"},
  };
  // The quantities compared here: exactly those with a population route, except cdf
  // and quantile (quadrature: tests/test_table_population.cpp compares them at 20 digits).
  std::set<std::string> compared;
  for (const auto& v : points) {
    QuantityPoint iso = model_point(v[0], v[1], v[2], v[3], v[4]);
    iso.numbers["x"] = R(v[3]);  // inside the support at every point
    iso.numbers["z_re"] = R(v[3]);
    iso.numbers["z_im"] = R("1/4");
    iso.numbers["k"] = Rational(3);
    iso.numbers["mean_strength"] = R("3");
    iso.numbers["gap"] = Rational(1);
    iso.numbers["interval"] = Rational(1);
    QuantityPoint pop = iso;
    pop.population = population_of({Rational(1)}, {Rational(1)});
    for (const auto& q : quantity_catalogue<MpReal>()) {
      if (!q.supports_population() || q.name == "cdf" || q.name == "quantile") continue;
      compared.insert(q.name);
      INFO("point delta=" << v[0] << " gamma=" << v[1] << " rho=" << v[2] << " kappa=" << v[3]
                          << " aok=" << v[4] << ", quantity " << q.name);
      auto a = evaluate<MpReal>({&q}, iso).front();
      auto b = evaluate<MpReal>({&q}, pop).front();
      REQUIRE(a.is_text == b.is_text);
      if (a.is_text) {
        CHECK(a.text == b.text);
        continue;
      }
      // Zero alignments below a threshold are exact zeros in both engines.
      CHECK(abs(a.number - b.number) <= tol * abs(a.number) + tol * tol);
    }
  }
  std::set<std::string> expected = {"tau1",
                                    "tau2",
                                    "right_edge",
                                    "left_edge",
                                    "atom",
                                    "density",
                                    "cauchy_re",
                                    "cauchy_im",
                                    "moment",
                                    "lambda",
                                    "alignment_mu",
                                    "alignment_u",
                                    "population_outlier",
                                    "population_alignment",
                                    "regime",
                                    "table_edge",
                                    "gap_outlier_count",
                                    "interval_count",
                                    "interval_left_edge",
                                    "interval_right_edge",
                                    "gap_regime",
                                    "gap_lambda",
                                    "gap_alignment_mu",
                                    "gap_alignment_u",
                                    "gap_population_outlier",
                                    "gap_population_alignment",
                                    "mean_outlier",
                                    "mean_alignment"};
  CHECK(compared == expected);
}

TEST_CASE(
    "population: kappa scaling of the catalogue against GeneralBulkLaw/GeneralSpike at unit "
    "kappa, and refusal by the other quantities",
    "[quantities][population]") {
  // 20 digits: cdf and quantile (quadrature, bisection) cost seconds at 30.
  ScopedPrecision prec(20);
  const MpReal tol("1e-15");
  auto spec = population_of({R("1/2"), R("3/2")}, {R("1/2"), R("1/2")});
  const MpReal kappa(3), half = MpReal(1) / 2;
  QuantityPoint p = model_point("1/2", "1/2", "1", "3", "2");
  p.numbers["x"] = R("3");
  p.numbers["z_re"] = R("6");
  p.numbers["z_im"] = R("3/2");
  p.numbers["k"] = Rational(2);
  p.numbers["q"] = R("1/2");
  p.population = spec;
  Population<MpReal> H(*spec);
  GeneralBulkLaw<MpReal> bulk(H, half, half);
  GeneralSpike<MpReal> spike(bulk, MpReal(1));
  auto rep = spike.report(MpReal(2));
  const std::map<std::string, MpReal> route = {
      {"tau1", spike.thresholds().a1},
      {"tau2", spike.thresholds().a2},
      {"right_edge", kappa * bulk.right_edge()},
      {"left_edge", kappa * bulk.left_edge()},
      {"density", bulk.density(MpReal(1)) / kappa},
      {"cdf", bulk.cdf(MpReal(1))},
      {"cauchy_re", bulk.cauchy(Complex<MpReal>(MpReal(2), half)).re / kappa},
      {"cauchy_im", bulk.cauchy(Complex<MpReal>(MpReal(2), half)).im / kappa},
      {"moment", kappa * kappa * MpReal(9) / 4},  // m2 = 9/4 (docs/theory.md §6 example)
      {"lambda", kappa * rep.top.lambda},
      {"alignment_mu", rep.top.A_mu},
      {"population_outlier", kappa * rep.top.ell},
      {"population_alignment", rep.top.a_pop_u},
  };
  for (const auto& [name, expected] : route) {
    INFO("quantity " << name);
    require_close(value_of(name, p), expected, tol, name);
  }
  // quantile inverts cdf: cdf(quantile(1/2)) = 1/2.
  const MpReal xq = value_of("quantile", p);
  CHECK(abs(bulk.cdf(xq / kappa) - half) < MpReal("1e-13"));
  // quantile for H = delta_1 equals the isotropic closed form's (kappa = 1: the
  // isotropic quantile throws "root is not bracketed" at kappa = 3 on main).
  QuantityPoint iso = p;
  iso.numbers["kappa"] = Rational(1);
  iso.population = nullptr;
  QuantityPoint one = iso;
  one.population = population_of({Rational(1)}, {Rational(1)});
  const MpReal q_iso = value_of("quantile", iso);
  require_close(value_of("quantile", one), q_iso, MpReal("1e-13"), "quantile, H = delta_1");
  for (const char* name : {"omega1", "omega2", "log_moment", "mp_density", "scheme_kappa"}) {
    INFO("quantity " << name);
    const Quantity<MpReal>* q = find_quantity<MpReal>(name);
    REQUIRE(q != nullptr);
    CHECK(!q->supports_population());
    CHECK_THROWS_WITH(evaluate<MpReal>({q}, p), Catch::Contains(std::string("quantity ") + name +
                                                                " does not support population"));
  }
}

TEST_CASE("gap outliers: catalogue entries against the split-support example of docs/theory.md §6",
          "[quantities][population]") {
  ScopedPrecision prec(30);
  // H = 0.5 delta_0.1 + 0.45 delta_1 + 0.05 delta_10 at delta = gamma = 1/4, rho = 1,
  // alpha/kappa = 2: no top outlier, one gap outlier in each of the two gaps
  // (docs/theory.md §6.2; support edges from tests/test_population.cpp).
  auto spec = population_of({R("0.1"), R("1"), R("10")}, {R("0.5"), R("0.45"), R("0.05")});
  const std::vector<const Quantity<MpReal>*> gap_qs = {
      find_quantity<MpReal>("gap_regime"),
      find_quantity<MpReal>("gap_lambda"),
      find_quantity<MpReal>("gap_alignment_mu"),
      find_quantity<MpReal>("gap_alignment_u"),
      find_quantity<MpReal>("gap_population_outlier"),
      find_quantity<MpReal>("gap_population_alignment")};
  for (const char* kappa_text : {"1", "3"}) {
    INFO("kappa = " << kappa_text);
    const MpReal kappa = to_real<MpReal>(R(kappa_text));
    QuantityPoint p = model_point("1/4", "1/4", "1", kappa_text, "2");
    p.population = spec;
    REQUIRE(value_of("gap_outlier_count", p) == 2);
    QuantityPoint top = p;
    top.numbers["gap"] = 1;  // the highest gap, (2.2258..., 7.4023...) times kappa
    const MpReal tol("1e-19");
    require_close(value_of("gap_lambda", top), kappa * MpReal("2.9240281087255541822"), tol,
                  "gap_lambda");
    require_close(value_of("gap_alignment_u", top), MpReal("0.61892076838840809009"), tol,
                  "gap_alignment_u");
    require_close(value_of("gap_alignment_mu", top), MpReal("0.61383370902765968246"), tol,
                  "gap_alignment_mu");
    CHECK(evaluate<MpReal>({gap_qs[0]}, top).front().text == "detectable");
    // The population-level gap outlier lies in a gap of the table-level law
    // H ⊠ MP_delta (gamma = 0), below the sample-level one.
    Population<MpReal> H(*spec);
    GeneralBulkLaw<MpReal> table_law(H, MpReal(1) / 4, MpReal(0));
    const MpReal ell = value_of("gap_population_outlier", top) / kappa;
    CHECK(!table_law.in_support(ell));
    CHECK(ell > table_law.support().front().right);
    CHECK(ell < table_law.right_edge());
    QuantityPoint low = p;
    low.numbers["gap"] = 2;  // the lower gap, (0.1801..., 0.3220...) times kappa
    require_close(value_of("gap_lambda", low), kappa * MpReal("0.301942027930438967"),
                  MpReal("1e-17"), "gap_lambda, lower gap");
    CHECK(abs(value_of("gap_alignment_mu", low) - MpReal("0.0286")) < MpReal("5e-5"));
    // Beyond the last gap outlier: "none" everywhere.
    QuantityPoint beyond = p;
    beyond.numbers["gap"] = 3;
    for (const auto& v : evaluate<MpReal>(gap_qs, beyond)) {
      CHECK(v.is_text);
      CHECK(v.text == "none");
    }
    // One evaluation for every index (set_index) gives each point's own values.
    QuantityEvaluation<MpReal> e(p);
    for (int k = 3; k >= 1; --k) {
      e.set_index("gap", Rational(k));
      QuantityPoint own = p;
      own.numbers["gap"] = k;
      const auto shared = evaluate<MpReal>(gap_qs, e);
      const auto fresh = evaluate<MpReal>(gap_qs, own);
      for (std::size_t j = 0; j < gap_qs.size(); ++j) {
        INFO(gap_qs[j]->name << " at gap = " << k);
        CHECK(shared[j].is_text == fresh[j].is_text);
        CHECK(shared[j].text == fresh[j].text);
        CHECK(shared[j].number == fresh[j].number);
      }
    }
    CHECK_THROWS_WITH(e.set_index("gap", Rational(0)),
                      Catch::Contains("gap must be an integer >= 1 (got 0)"));
    CHECK_THROWS_AS(e.set_index("delta", Rational(1)), std::logic_error);
  }
}

TEST_CASE("moment: the exact evaluator against the binomial sums, the MPFR value and H = delta_1",
          "[quantities]") {
  const Quantity<MpReal>& moment = *find_quantity<MpReal>("moment");
  REQUIRE(moment.exact != nullptr);
  const Rational delta = R("1/2"), gamma = R("1/3"), kappa = R("3/5");
  QuantityPoint p;
  p.numbers = {{"delta", delta}, {"gamma", gamma}, {"kappa", kappa}};
  const int K = 40;
  // One evaluation for all orders (the moments command's route).
  const auto list = cli::exact_moment_list(p, K);
  REQUIRE(list.size() == static_cast<std::size_t>(K));
  ScopedPrecision prec(60);
  Rational kappa_power(1);
  for (int k = 1; k <= K; ++k) {
    INFO("k = " << k);
    kappa_power *= kappa;
    // The O(k^2) binomial sums of moments.hpp's header, in exact rationals.
    const Rational expected = moment_value<Rational>(k, delta, gamma) * kappa_power;
    CHECK(list[static_cast<std::size_t>(k - 1)] == expected);
    QuantityPoint pk = p;
    pk.numbers["k"] = k;
    QuantityEvaluation<MpReal> e(pk);
    CHECK(evaluate_exact(moment, e) == expected);
    require_close(value_of("moment", pk), to_real<MpReal>(expected), MpReal("1e-50"), "moment");
  }
  // With a population: H = delta_1 gives the isotropic fractions; the §6 example
  // H = 0.5 delta_0.5 + 0.5 delta_1.5 at delta = gamma = 1/2 has m1 = 1, m2 = 9/4.
  QuantityPoint one = p;
  one.population = population_of({Rational(1)}, {Rational(1)});
  const auto via_one = cli::exact_moment_list(one, 20);
  for (std::size_t i = 0; i < via_one.size(); ++i) CHECK(via_one[i] == list[i]);
  QuantityPoint two;
  two.numbers = {{"delta", R("1/2")}, {"gamma", R("1/2")}, {"kappa", Rational(1)}};
  two.population = population_of({R("1/2"), R("3/2")}, {R("1/2"), R("1/2")});
  const auto via_two = cli::exact_moment_list(two, 2);
  CHECK(via_two[0] == Rational(1));
  CHECK(via_two[1] == Rational(9, 4));
  // Errors: no exact value, an order out of range.
  QuantityEvaluation<MpReal> e(p);
  CHECK_THROWS_WITH(evaluate_exact(*find_quantity<MpReal>("tau1"), e),
                    Catch::Contains("quantity tau1 has no exact value"));
  CHECK_THROWS_WITH(e.set_index("k", Rational(201)),
                    Catch::Contains("k must be an integer in 1..200 (got 201)"));
}

TEST_CASE("CLI: thresholds and outlier --population print the catalogue's values, gap rows too",
          "[quantities][cli][population]") {
  using attnrmt_test::parse_csv;
  using attnrmt_test::run_cli;
  const std::string pop = "--population atoms:0.1@0.5,1@0.45,10@0.05";
  const std::string set = "--set delta=1/4 --set gamma=1/4 --set rho=1 " + pop;
  auto column = [](const std::vector<std::vector<std::string>>& rows, std::size_t i,
                   const std::string& name) {
    for (std::size_t j = 0; j < rows[0].size(); ++j)
      if (rows[0][j] == name) return rows[i][j];
    return std::string("(missing " + name + ")");
  };
  // thresholds: tau1, tau2, table_edge, right_edge.
  auto th = run_cli("thresholds --delta 1/4 --gamma 1/4 " + pop + " --format csv");
  REQUIRE(th.exit_code == 0);
  auto th_rows = parse_csv(th.out);
  auto tt = run_cli("table --quantities tau1,tau2,table_edge,right_edge " + set + " --quiet");
  REQUIRE(tt.exit_code == 0);
  auto tt_rows = parse_csv(tt.out);
  REQUIRE(th_rows.size() == 2);
  REQUIRE(tt_rows.size() == 2);
  for (const char* q : {"tau1", "tau2", "table_edge", "right_edge"}) {
    INFO(q);
    CHECK(column(th_rows, 1, q) == column(tt_rows, 1, q));
  }
  // outlier: one top row and two gap rows (lowest gap first); the table's
  // gap = 2 is the lower gap, gap = 1 the upper, gap = 3 is none.
  auto out = run_cli("outlier --delta 1/4 --gamma 1/4 " + pop +
                     " --kappa 2 --alpha-over-kappa 2 --mean-strength 3 --format csv");
  REQUIRE(out.exit_code == 0);
  auto rows = parse_csv(out.out);
  REQUIRE(rows.size() == 4);
  CHECK(column(rows, 1, "kind") == "top");
  auto table = run_cli(
      "table --quantities gap_outlier_count,gap_regime,gap_lambda,gap_alignment_mu,"
      "gap_alignment_u,gap_population_outlier,gap_population_alignment,mean_outlier,"
      "mean_alignment " +
      set +
      " --set kappa=2 --set alpha_over_kappa=2 --set mean_strength=3 --vary gap=1,2,3 --quiet");
  REQUIRE(table.exit_code == 0);
  auto trows = parse_csv(table.out);
  REQUIRE(trows.size() == 4);
  for (std::size_t i : {std::size_t(2), std::size_t(3)}) {
    const std::size_t t = 4 - i;  // outlier row 2 (lower gap) = table row 2 (gap = 2)
    INFO("outlier row " << i << ", table row " << t);
    CHECK(column(rows, i, "kind") == "gap");
    CHECK(column(trows, t, "gap") == std::to_string(i == 2 ? 2 : 1));
    CHECK(column(trows, t, "gap_outlier_count") == "2");
    for (const char* q : {"regime", "lambda", "alignment_mu", "alignment_u", "population_outlier",
                          "population_alignment"})
      CHECK(column(rows, i, q) == column(trows, t, std::string("gap_") + q));
    for (const char* q : {"mean_outlier", "mean_alignment"})
      CHECK(column(rows, i, q) == column(trows, t, q));
  }
  for (const char* q : {"gap_regime", "gap_lambda", "gap_alignment_u", "gap_population_outlier"})
    CHECK(column(trows, 3, q) == "none");
  // check reads "none" back: the table passes, a none replaced by a number (or
  // a number by none) fails.
  const std::string path = "/tmp/attnrmt_test_gap_" + std::to_string(::getpid()) + ".csv";
  auto written = run_cli(
      "table --quantities gap_regime,gap_lambda --set delta=1/4 --set gamma=1/4 --set rho=1 "
      "--set kappa=1 --set alpha_over_kappa=2 --vary gap=1,3 " +
      pop + " --quiet --out " + path);
  REQUIRE(written.exit_code == 0);
  CHECK(run_cli("check " + path + " --summary").exit_code == 0);
  const std::string text = attnrmt_test::slurp(path);
  auto rewrite = [&](const std::string& from, const std::string& to) {
    std::string t = text;
    const auto at = t.rfind(from);
    REQUIRE(at != std::string::npos);
    t.replace(at, from.size(), to);
    std::ofstream(path) << t;
  };
  rewrite(",none\n", ",0.5\n");
  CHECK(run_cli("check " + path + " --summary").exit_code != 0);
  rewrite("2.92402810872555", "none");
  CHECK(run_cli("check " + path + " --summary").exit_code != 0);
  std::remove(path.c_str());
}
