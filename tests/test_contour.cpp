// Tests for contour.hpp, marchenko_pastur.hpp, spectral_integrals.hpp and the
// `integrate` / `precision` commands. Every check compares against an
// independent source: exact rational moments (moments.hpp), the closed-form
// log-moment L(delta) + L(gamma), the closed forms of spike.hpp, the bulk
// Cauchy transform, or the predicted trapezoidal convergence rate.
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "attnrmt/bulk_law.hpp"
#include "attnrmt/contour.hpp"
#include "attnrmt/marchenko_pastur.hpp"
#include "attnrmt/moments.hpp"
#include "attnrmt/precision.hpp"
#include "attnrmt/spectral_integrals.hpp"
#include "attnrmt/spike.hpp"
#include "support/cli_runner.hpp"

using namespace attnrmt;

namespace {

template <class Real>
Real exact_moment(int k, const Rational& delta, const Rational& gamma) {
  return to_real<Real>(moment_value<Rational>(k, delta, gamma));
}

// Contour moments against exact rational moments; the error bound is
// k * eps * condition, condition = (1/N) sum |F_j| / |m| (from rounding_floor).
template <class Real>
void check_moments(const Rational& delta, const Rational& gamma, int max_order) {
  BulkLaw<Real> law(to_real<Real>(delta), to_real<Real>(gamma));
  const Real eps = detail::type_epsilon<Real>();
  for (int k = 0; k <= max_order; ++k) {
    auto r = spectral_integral<Real>(law, parse_integrand("power:" + std::to_string(k)));
    Real exact = exact_moment<Real>(k, delta, gamma);
    Real err = abs(r.value.re - exact);
    Real bound = 4 * r.rounding_floor + 64 * eps * exact;
    INFO("delta " << delta << " gamma " << gamma << " k " << k << " rel err "
                  << static_cast<double>(err / exact) << " bound "
                  << static_cast<double>(bound / exact) << " nodes " << r.nodes);
    REQUIRE(r.converged);
    REQUIRE(err <= bound);
    // and the bound is not vacuous: at most ~5 digits lost to the contour's growth
    REQUIRE(bound <= 1e5 * eps * exact);
  }
}

const std::vector<std::pair<Rational, Rational>> kLaws = {
    {Rational(1, 2), Rational(1, 2)},  // soft edges, no atom
    {Rational(1, 2), Rational(3, 2)},  // atom 1/3 at 0
    {Rational(1), Rational(1)},        // Fuss-Catalan, hard edge at 0
    {Rational(2), Rational(3, 4)},     // atom 1/2
    {Rational(1, 10), Rational(7, 3)}};

}  // namespace

TEST_CASE("bulk Cauchy transform off the axis near the support: root and branch", "[contour]") {
  // The contours pass close to the support; every g they use must solve the
  // cubic and satisfy Im g < 0 for Im z > 0. (Regression: while the Aberth
  // stall rule in detail/polynomial.hpp also fired far from convergence, about
  // 5e-4 of such points got an unconverged or wrong-branch root, e.g.
  // delta = gamma = 1/2, z = 0.0360 + 0.00668i gave g = -13.4 + 1.55i.)
  std::mt19937_64 rng(20261125);
  std::uniform_real_distribution<double> unit(0, 1);
  for (auto [d, g] :
       std::vector<std::pair<double, double>>{{0.5, 0.5}, {0.3, 0.7}, {2, 0.5}, {1, 0.5}}) {
    BulkLaw<double> law(d, g);
    double a = law.left_edge(), b = law.right_edge();
    int bad = 0;
    for (int i = 0; i < 20000; ++i) {
      Complex<double> z(a + (b - a) * (1.2 * unit(rng) - 0.1),
                        std::pow(10.0, -6 * unit(rng)) * (b - a));
      Complex<double> gz = law.cauchy(z);
      if (!(law.cubic_residual(z, gz) < 1e-13) || !(gz.im < 0)) ++bad;
    }
    INFO("delta " << d << " gamma " << g);
    REQUIRE(bad == 0);
  }
  BulkLaw<double> law(0.5, 0.5);
  Complex<double> gz = law.cauchy(Complex<double>(0.03599953553293866, 0.006679070479679));
  REQUIRE(gz.im < 0);
  REQUIRE(gz.re == Approx(-5.87).margin(0.02));  // continuous with its neighbours
}

TEST_CASE("contour moments equal the exact moments (double)", "[contour]") {
  for (const auto& [d, g] : kLaws) check_moments<double>(d, g, 8);
}

TEST_CASE("contour moments equal the exact moments (50 and 100 digits)", "[contour]") {
  for (unsigned digits : {50u, 100u}) {
    ScopedPrecision prec(digits);
    for (const auto& [d, g] : kLaws) check_moments<MpReal>(d, g, 6);
  }
}

TEST_CASE("MP_c: Cauchy transform, edges and Narayana moments by contour", "[contour]") {
  using C = Complex<double>;
  for (double c : {0.3, 1.0, 2.5}) {
    MarchenkoPastur<double> mp(c);
    // Defining equation c z m^2 - (z - 1 + c) m + 1 = 0 and the branch Im m < 0.
    for (C z :
         {C(1.0, 0.5), C(-2.0, 0.1), C(7.0, -3.0), C(0.2, 1e-3), C(30.0, 0.0), C(-4.0, 0.0)}) {
      C m = mp.cauchy(z);
      C res = c * z * m * m - (z - 1.0 + c) * m + C(1);
      REQUIRE(attnrmt::abs(res) < 1e-14 * (1 + attnrmt::abs(z)));
      if (z.im > 0) REQUIRE(m.im < 0);
      if (z.im < 0) REQUIRE(m.im > 0);
      if (z.im == 0) REQUIRE(m.im == 0);
    }
    // m ~ 1/z at infinity
    C big(1e8, 1e8);
    REQUIRE(attnrmt::abs(mp.cauchy(big) * big - C(1)) < 1e-7);
    REQUIRE(mp.right_edge() == Approx((1 + std::sqrt(c)) * (1 + std::sqrt(c))).epsilon(1e-15));
    for (int k = 0; k <= 6; ++k) {
      auto r = spectral_integral<double>(mp, parse_integrand("power:" + std::to_string(k)));
      double exact = moment_value<double>(k, c, 0.0);  // Narayana polynomial
      REQUIRE(r.value.re == Approx(exact).epsilon(1e-13));
    }
  }
}

TEST_CASE("log-moment is additive: L(delta) + L(gamma) by contour", "[contour]") {
  const std::vector<std::pair<Rational, Rational>> cases = {{Rational(1, 2), Rational(1, 2)},
                                                            {Rational(1, 4), Rational(2, 3)},
                                                            {Rational(9, 10), Rational(1, 10)}};
  for (const auto& [d, g] : cases) {
    BulkLaw<double> law(to_real<double>(d), to_real<double>(g));
    auto r = spectral_integral<double>(law, parse_integrand("log"));
    double closed = mp_log_moment(to_real<double>(d)) + mp_log_moment(to_real<double>(g));
    INFO("delta " << d << " gamma " << g << " contour " << r.value.re << " closed " << closed);
    REQUIRE(std::abs(r.value.re - closed) < 1e-13);
  }
  {
    ScopedPrecision prec(50);
    const MpReal half = MpReal(1) / 2;
    BulkLaw<MpReal> law(half, half);
    auto r = spectral_integral<MpReal>(law, parse_integrand("log"));
    MpReal closed = 2 * mp_log_moment(half);
    INFO("50 digits: contour " << r.value.re.str(50) << " closed " << closed.str(50));
    REQUIRE(abs(r.value.re - closed) < MpReal("1e-47"));
  }
  // MP_c alone: ∫ log dMP_c = L(c).
  MarchenkoPastur<double> mp(0.3);
  REQUIRE(spectral_integral<double>(mp, parse_integrand("log")).value.re ==
          Approx(mp_log_moment(0.3)).epsilon(1e-13));
}

TEST_CASE("resolvents by contour equal the bulk Cauchy transform and its derivative", "[contour]") {
  BulkLaw<double> law(0.5, 1.5);  // atom at 0 inside the contour
  using C = Complex<double>;
  for (double L : {8.0, 12.0, -0.5, -3.0}) {
    double g = law.cauchy(C(L)).re;
    REQUIRE(spectral_integral<double>(law, parse_integrand("resolvent:" + std::to_string(L)))
                .value.re == Approx(g).epsilon(1e-13));
    // ∫ t/(L-t) = L g(L) - 1
    REQUIRE(spectral_integral<double>(law, parse_integrand("stieltjes-t:" + std::to_string(L)))
                .value.re == Approx(L * g - 1).epsilon(1e-12));
    // ∫ 1/(L-t)^2 = -g'(L): central difference of the closed-form g
    double step = 1e-4;
    double dg = (law.cauchy(C(L + step)).re - law.cauchy(C(L - step)).re) / (2 * step);
    REQUIRE(spectral_integral<double>(law, parse_integrand("resolvent2:" + std::to_string(L)))
                .value.re == Approx(-dg).epsilon(1e-7));
  }
}

TEST_CASE("psi-functions by contour reproduce the spiked-model closed forms", "[contour]") {
  // psi(ell(s)) = (s+delta)(s+1)(s+gamma)/s^2, psi'(ell(s)) = P(s)/(s (s^2 - delta)).
  for (auto [delta, gamma] :
       std::vector<std::pair<double, double>>{{0.5, 0.5}, {0.3, 2.0}, {2.0, 0.25}}) {
    double s_star = sample_threshold_s(delta, gamma);
    for (double s : {s_star * 1.05, s_star + 1, 3 * s_star + 2}) {
      double ell = (s + delta) * (s + 1) / s;
      auto v = psi_by_contour(delta, gamma, ell);
      double psi = (s + delta) * (s + 1) * (s + gamma) / (s * s);
      double dpsi = sample_polynomial(s, delta, gamma) / (s * (s * s - delta));
      INFO("delta " << delta << " gamma " << gamma << " s " << s);
      REQUIRE(v.converged);
      REQUIRE(v.psi == Approx(psi).epsilon(1e-13));
      REQUIRE(std::abs(v.psi_prime - dpsi) < 1e-12);
      REQUIRE(spike_s_from_population_outlier(delta, ell) == Approx(s).epsilon(1e-13));
    }
  }
}

TEST_CASE("tau2, right edge and outlier by the psi route equal the closed forms", "[contour]") {
  {
    auto th = threshold_by_contour<double>(0.5, 0.5);
    auto cf = thresholds<double>(0.5, 0.5, 1.0);
    REQUIRE((0.5 + th.s_star) / 1.5 == Approx(1.18718427).epsilon(1e-8));  // docs/theory.md §3
    REQUIRE((0.5 + th.s_star) / 1.5 == Approx(cf.tau2).epsilon(1e-13));
    REQUIRE(th.right_edge == Approx(BulkLaw<double>(0.5, 0.5).right_edge()).epsilon(1e-13));
    auto o = outlier_by_contour<double>(0.5, 0.5, 1.0, 2.0);
    REQUIRE(o.detectable);
    REQUIRE(o.lambda == Approx(5.04).epsilon(1e-13));
    REQUIRE(o.alignment_mu == Approx(0.42666666666666667).epsilon(1e-13));
    auto below = outlier_by_contour<double>(0.5, 0.5, 1.0, 1.1);  // tau1 < 1.1 < tau2
    REQUIRE_FALSE(below.detectable);
    REQUIRE(below.lambda == Approx(BulkLaw<double>(0.5, 0.5).right_edge()).epsilon(1e-12));
  }
  {
    ScopedPrecision prec(50);
    MpReal d = MpReal(3) / 10, g = MpReal(7) / 4;
    auto th = threshold_by_contour<MpReal>(d, g);
    auto cf = thresholds<MpReal>(d, g, MpReal(1));
    REQUIRE(abs((d + th.s_star) / (1 + d) - cf.tau2) < MpReal("1e-45"));
    REQUIRE(abs(th.right_edge - BulkLaw<MpReal>(d, g).right_edge()) < MpReal("1e-45"));
  }
}

TEST_CASE("trapezoidal error decays at the predicted geometric rate", "[contour]") {
  // resolvent:L against the bulk law at 60 digits; fit log(error) = a - N log(r)
  // by least squares over the doubling steps and compare r with
  // min(rho, rho_f/rho). The algebraic factors (edge square roots) make the
  // observed rate approach the prediction from below; accept within 10%.
  ScopedPrecision prec(60);
  const MpReal half = MpReal(1) / 2;
  BulkLaw<MpReal> law(half, half);
  for (const char* spec : {"resolvent:5", "stieltjes-t2:9/2", "resolvent2:-1/2"}) {
    ContourOptions<MpReal> opts;
    opts.keep_history = true;
    auto r = spectral_integral<MpReal>(law, parse_integrand(spec), opts);
    REQUIRE(r.converged);
    std::vector<double> xs, ys;
    for (const auto& step : r.history) {
      MpReal err = attnrmt::abs(step.value - r.value);
      if (step.nodes < 32 || step.nodes == r.nodes || err < MpReal("1e-50")) continue;
      xs.push_back(static_cast<double>(step.nodes));
      ys.push_back(static_cast<double>(log(err)));
    }
    REQUIRE(xs.size() >= 2);
    double mx = 0, my = 0;
    for (std::size_t i = 0; i < xs.size(); ++i) mx += xs[i], my += ys[i];
    mx /= xs.size();
    my /= xs.size();
    double sxy = 0, sxx = 0;
    for (std::size_t i = 0; i < xs.size(); ++i)
      sxy += (xs[i] - mx) * (ys[i] - my), sxx += (xs[i] - mx) * (xs[i] - mx);
    double observed = std::exp(-sxy / sxx);
    double predicted = static_cast<double>(r.predicted_rate);
    INFO(spec << ": observed rate " << observed << " predicted " << predicted << " points "
              << xs.size());
    REQUIRE(std::log(observed) == Approx(std::log(predicted)).epsilon(0.10));
  }
}

TEST_CASE("excluding the atom integrates the continuous part", "[contour]") {
  BulkLaw<double> law(2.0, 0.5);  // atom 1/2, soft left edge
  ContourOptions<double> opts;
  opts.include_atom = false;
  REQUIRE(spectral_integral<double>(law, parse_integrand("power:0"), opts).value.re ==
          Approx(1 - law.atom()).epsilon(1e-13));
  REQUIRE(spectral_integral<double>(law, parse_integrand("power:3"), opts).value.re ==
          Approx(law.moment(3)).epsilon(1e-13));
  // ∫ 1/(L - t) over the continuous part = g(L) - atom/L.
  double L = -0.25;
  REQUIRE(spectral_integral<double>(law, parse_integrand("resolvent:-1/4"), opts).value.re ==
          Approx(law.cauchy(Complex<double>(L)).re - law.atom() / L).epsilon(1e-12));
}

TEST_CASE("the two contours (ellipse, log-ellipse) agree", "[contour]") {
  // log against the bulk law: the automatic choice is the log-ellipse (0 is
  // close to the left edge 0.028); forcing the z-ellipse is a second route.
  BulkLaw<double> law(0.5, 0.5);
  ContourOptions<double> e, l;
  e.shape = ContourShape::ellipse;
  l.shape = ContourShape::log_ellipse;
  auto auto_choice = spectral_integral<double>(law, parse_integrand("log"));
  REQUIRE(auto_choice.shape == ContourShape::log_ellipse);
  auto by_ellipse = spectral_integral<double>(law, parse_integrand("log"), e);
  REQUIRE(by_ellipse.shape == ContourShape::ellipse);
  REQUIRE(auto_choice.predicted_rate > by_ellipse.predicted_rate);
  REQUIRE(auto_choice.nodes < by_ellipse.nodes);
  REQUIRE(std::abs(auto_choice.value.re - by_ellipse.value.re) < 1e-14);
  for (const char* spec : {"power:4", "resolvent:5", "stieltjes-t2:-1"}) {
    auto a = spectral_integral<double>(law, parse_integrand(spec), e);
    auto b = spectral_integral<double>(law, parse_integrand(spec), l);
    INFO(spec);
    REQUIRE(a.value.re == Approx(b.value.re).epsilon(1e-13));
  }
  // With an atom the log-ellipse leaves 0 outside and adds the residue atom * f(0).
  BulkLaw<double> with_atom(2.0, 0.5);
  auto m0 = spectral_integral<double>(with_atom, parse_integrand("power:0"), l);
  REQUIRE(m0.atom_by_residue);
  REQUIRE(m0.value.re == Approx(1.0).epsilon(1e-13));
  REQUIRE(spectral_integral<double>(with_atom, parse_integrand("power:2"), l).value.re ==
          Approx(with_atom.moment(2)).epsilon(1e-13));
  // A hard edge at 0 leaves no log-ellipse.
  REQUIRE_THROWS_AS(
      spectral_integral<double>(BulkLaw<double>(1.0, 0.5), parse_integrand("power:2"), l),
      std::invalid_argument);
}

TEST_CASE("log over the continuous part of MP_c, c > 1", "[contour]") {
  // The nonzero eigenvalues of MP_c (c > 1) follow c MP_{1/c} with mass 1/c, so
  // the continuous part gives (1/c)(log c + L(1/c)).
  for (double c : {1.5, 2.5, 6.0}) {
    MarchenkoPastur<double> mp(c);
    ContourOptions<double> opts;
    opts.include_atom = false;
    auto r = spectral_integral<double>(mp, parse_integrand("log"), opts);
    INFO("c " << c << " nodes " << r.nodes);
    REQUIRE(r.value.re == Approx((std::log(c) + mp_log_moment(1 / c)) / c).epsilon(1e-13));
  }
}

TEST_CASE("a pole in the gap between the atom and the continuous part", "[contour]") {
  // delta = 2, gamma = 1/2: atom 1/2 at 0, soft left edge a > 0. For 0 < L < a
  // no ellipse around [0, b] avoids L; the contour around [a, b] plus the
  // residue (1/2) f(0) does. Independent value: g(L) on the real axis.
  for (auto [d, g] : std::vector<std::pair<double, double>>{{2.0, 0.5}, {0.5, 3.0}}) {
    BulkLaw<double> law(d, g);
    REQUIRE(law.atom() > 0);
    REQUIRE(law.left_edge() > 0);
    for (double frac : {0.1, 0.5, 0.9}) {
      double L = frac * law.left_edge();
      IntegrandSpec spec = parse_integrand("resolvent:1");
      spec.at = Rational(L);  // exact binary value of the double L
      auto r = spectral_integral<double>(law, spec);
      INFO("delta " << d << " gamma " << g << " L " << L << " nodes " << r.nodes);
      REQUIRE(r.atom_by_residue);
      REQUIRE(r.value.re == Approx(law.cauchy(Complex<double>(L)).re).epsilon(1e-12));
    }
  }
  BulkLaw<double> law(2.0, 0.5);
  REQUIRE_THROWS_AS(spectral_integral<double>(law, parse_integrand("resolvent:0")),
                    std::invalid_argument);
}

TEST_CASE("inadmissible integrands are rejected with a reason", "[contour]") {
  auto throws_with = [](auto&& call, const std::string& needle) {
    try {
      call();
    } catch (const std::invalid_argument& e) {
      INFO(e.what());
      REQUIRE(std::string(e.what()).find(needle) != std::string::npos);
      return;
    }
    FAIL("no std::invalid_argument thrown");
  };
  throws_with([] { spectral_integral<double>(BulkLaw<double>(2.0, 0.5), parse_integrand("log")); },
              "atom");
  throws_with([] { spectral_integral<double>(BulkLaw<double>(1.0, 0.5), parse_integrand("log")); },
              "hard edge");
  throws_with(
      [] { spectral_integral<double>(BulkLaw<double>(0.5, 0.5), parse_integrand("resolvent:2")); },
      "outside");
  throws_with([] { parse_integrand("power:-1"); }, "f power: K must be an integer in [0, 200]");
  throws_with([] { parse_integrand("cosh:2"); }, "f must be power:K, log, resolvent:L");
  // Generic API: a pole on the support leaves no contour.
  throws_with(
      [] {
        BulkLaw<double> law(0.5, 0.5);
        auto f = [](const Complex<double>& z) { return Complex<double>(1) / (z - 1.0); };
        contour_integral<double>(law, f, {Complex<double>(1.0)});
      },
      "no admissible contour");
}

TEST_CASE("CLI integrate and precision", "[contour]") {
  // Both streams in `out` (the errors are searched too); the exit status returned.
  auto run = [](const std::string& args, std::string& out) {
    const attnrmt_test::CliResult r = attnrmt_test::run_cli(args);
    out = r.out + r.err;
    return r.exit_code;
  };
  std::string out;
  // m_3 = 1 + 3(delta+gamma) + ... at delta = gamma = 1/2: 21/4 exactly.
  REQUIRE(run("integrate --delta 1/2 --gamma 1/2 --f power:3 --f log --digits 20 --format csv",
              out) == 0);
  INFO(out);
  REQUIRE(out.find("power:3,5.25,") != std::string::npos);
  REQUIRE(out.find("log,-0.61370563888010938117,") != std::string::npos);  // 2 L(1/2)
  // kappa scales the law: ∫ t^2 d(kappa mu) = kappa^2 m_2 = 9 (1 + 1/2 + 1/2) = 18.
  REQUIRE(run("integrate --delta 1/2 --gamma 1/2 --kappa 3 --f power:2 --format csv", out) == 0);
  REQUIRE(out.find("power:2,18,") != std::string::npos);
  // MP_2 alone: third Narayana moment 1 + 3c + c^2 = 11.
  REQUIRE(run("integrate --law mp --delta 2 --f power:3 --format csv", out) == 0);
  REQUIRE(out.find("power:3,11,") != std::string::npos);
  REQUIRE(run("integrate --delta 2 --gamma 1/2 --f log", out) == 2);
  REQUIRE(out.find("atom") != std::string::npos);
  REQUIRE(run("precision --quantity log_moment --delta 1/2 --gamma 1/2 --digits-list 16,30 "
              "--format csv",
              out) == 0);
  REQUIRE(out.find("30,closed_form,-0.613705638880109381165535757084,,,") != std::string::npos);
  REQUIRE(out.find("30,contour,-0.6137056388801093811655357570") != std::string::npos);
  REQUIRE(out.find("nodes,error,observed_rate,predicted_rate") == std::string::npos);
  REQUIRE(run("precision --quantity log_moment --delta 1/2 --gamma 1/2 --digits-list 16,30 "
              "--convergence --format csv",
              out) == 0);
  REQUIRE(out.find("nodes,error,observed_rate,predicted_rate\n16,") != std::string::npos);
  REQUIRE(run("precision --quantity nonsense --delta 1/2 --gamma 1/2", out) == 2);
}

TEST_CASE("CLI precision: the ball route holds the closed form within its radius", "[contour]") {
  // tau2 at delta = gamma = 1/2, rho = 1: s* = (1 + sqrt 17)/4 (docs/theory.md §3),
  // tau2 = (1/2 + s*)/(3/2), written here in MPFR at 60 digits.
  ScopedPrecision prec(60);
  const MpReal tau2 = (MpReal(1) / 2 + (1 + sqrt(MpReal(17))) / 4) / (MpReal(3) / 2);
  const auto r = attnrmt_test::run_cli(
      "precision --quantity tau2 --delta 1/2 --gamma 1/2 --digits-list 16,30,50 "
      "--closed-form-only --format csv");
  REQUIRE(r.exit_code == 0);
  const auto rows = attnrmt_test::parse_csv(r.out);
  REQUIRE(rows.size() == 7);  // header, closed_form and ball at three precisions
  REQUIRE(rows[0].back() == "radius");
  int ball_rows = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (rows[i][1] != "ball") {
      REQUIRE(rows[i][7].empty());  // radius only on ball rows
      continue;
    }
    ++ball_rows;
    const int digits = std::stoi(rows[i][0]);
    const MpReal value(rows[i][2]), radius(rows[i][7]);
    INFO(rows[i][2] << " radius " << rows[i][7]);
    // The radius is tight (the working precision has no guard bits) ...
    REQUIRE(radius > 0);
    REQUIRE(radius < pow(MpReal(10), -digits + 2));
    // ... and the printed proven digits are the truth rounded: within the
    // ball's radius plus half a unit of the last printed digit.
    const std::string& text = rows[i][2];
    const long printed = static_cast<long>(text.size()) - 2;  // "1." then the decimals
    REQUIRE(abs(value - tau2) <= pow(MpReal(10), -printed) / 2 + radius);
    REQUIRE(printed >= digits - 3);
  }
  REQUIRE(ball_rows == 3);
}
