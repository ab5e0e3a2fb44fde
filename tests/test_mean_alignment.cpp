// tests/test_mean_alignment.cpp -- the vocabulary-mean outlier's alignment with
// the vocabulary-mean direction (docs/theory.md "The vocabulary-mean outlier's
// alignment"): the closed form at a rational point, three independent routes
// (the psi function of the closed-form MP_delta Cauchy transform, the psi
// function by contour integration, the general-population solver at H = delta_c),
// the exact rational form, the close-pair rule, the Monte Carlo validator
// (separated and close outlier pairs) and the `outlier` column.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "attnrmt/general_spike.hpp"
#include "attnrmt/monte_carlo.hpp"
#include "attnrmt/precision.hpp"
#include "attnrmt/spectral_integrals.hpp"
#include "attnrmt/spike.hpp"
#include "support/cli_runner.hpp"

using namespace attnrmt;

namespace {

// MP_delta (mean 1) Cauchy transform and its derivative above the edge, from
// delta z g^2 - (z - 1 + delta) g + 1 = 0 (written here, independently of
// bulk_law.hpp).
std::pair<double, double> mp_cauchy(double z, double delta) {
  const double a = (1 - std::sqrt(delta)) * (1 - std::sqrt(delta));
  const double b = (1 + std::sqrt(delta)) * (1 + std::sqrt(delta));
  const double g = (z - 1 + delta - std::sqrt((z - a) * (z - b))) / (2 * delta * z);
  const double dg = (g - delta * g * g) / (2 * delta * z * g - (z - 1 + delta));
  return {g, dg};
}

/// The psi-function route for a spike of strength omega along a direction
/// independent of the noise (Baik-Silverstein / Benaych-Georges-Nadakuditi):
/// (1 - delta/s^2) ell psi'(ell)/psi(ell) at ell = omega (s+1)/s.
double psi_route_alignment(double delta, double gamma, double omega) {
  const double s = omega - delta;
  const double ell = omega * (s + 1) / s;
  auto [g, dg] = mp_cauchy(ell, delta);
  const double h = ell * g - 1;                         // ∫ t/(ell - t) dMP_delta
  const double t2 = -ell * ell * dg - 2 * ell * g + 1;  // ∫ t^2/(ell - t)^2 dMP_delta
  const double psi = ell * (1 + gamma * h), dpsi = 1 - gamma * t2;
  return (1 - delta / (s * s)) * ell * dpsi / psi;
}

struct Point {
  double delta, gamma, M;
};
const std::vector<Point> kPoints = {{0.5, 0.5, 16}, {0.5, 0.5, 6},  {0.2, 0.7, 12}, {2, 0.5, 4},
                                    {0.5, 3, 20},   {1.5, 1.5, 10}, {0.05, 4, 200}};

}  // namespace

TEST_CASE("mean alignment: closed form at delta = gamma = 1/2, M = 6", "[mean_alignment]") {
  ScopedPrecision p(60);
  const MpReal half = MpReal(1) / 2;
  BulkLaw<MpReal> law(half, half);
  // omega_mean = delta M = 3, s = 5/2: lambda = 126/25, A = P(5/2)/((25/4) 3) = 16/25,
  // the same numbers as the signal example of docs/theory.md §3 (a spike is a spike).
  CHECK(abs(mean_outlier(law, MpReal(6)) - MpReal(126) / 25) < MpReal("1e-55"));
  CHECK(abs(mean_outlier_alignment(law, MpReal(6)) - MpReal(16) / 25) < MpReal("1e-55"));
  CHECK(mean_outlier_alignment_exact<Rational>(Rational(1, 2), Rational(1, 2), Rational(6)) ==
        Rational(16, 25));
  // Below the threshold (s* = (1/2 + sqrt(17/4))/2 = 1.28, M <= 1 + s*/delta = 3.56): 0.
  CHECK(mean_outlier_alignment(law, MpReal(3)) == 0);
  CHECK(mean_outlier_alignment_exact<Rational>(Rational(1, 2), Rational(1, 2), Rational(3)) ==
        Rational(0));
  CHECK(mean_outlier_alignment(law, MpReal(0)) == 0);
  CHECK_THROWS_AS(mean_outlier_alignment(law, MpReal(-1)), std::invalid_argument);
}

TEST_CASE("mean alignment: closed form against the psi, contour and population routes",
          "[mean_alignment]") {
  for (const auto& pt : kPoints) {
    INFO("delta " << pt.delta << " gamma " << pt.gamma << " M " << pt.M);
    BulkLaw<double> law(pt.delta, pt.gamma);
    const double a = mean_outlier_alignment(law, pt.M);
    REQUIRE(a > 0.05);
    // (i) psi function with the closed-form MP_delta Cauchy transform.
    CHECK(std::abs(a - psi_route_alignment(pt.delta, pt.gamma, pt.delta * pt.M)) < 1e-11);
    // (ii) psi function by contour integration: a spike of strength delta M is the
    // signal spike at rho = 0, alpha/kappa = M.
    auto ct = outlier_by_contour(pt.delta, pt.gamma, 0.0, pt.M);
    REQUIRE(ct.detectable);
    CHECK(std::abs(a - ct.alignment_u) < 1e-9);
    CHECK(std::abs(mean_outlier(law, pt.M) - ct.lambda) < 1e-9 * ct.lambda);
    // (iii) exact rational form.
    CHECK(std::abs(a - to_real<double>(mean_outlier_alignment_exact<Rational>(
                           to_rational(pt.delta), to_rational(pt.gamma), to_rational(pt.M)))) <
          1e-13);
    // (iv) the general-population solver (a different parametrisation: roots of
    // a T(w) = 1 and derivatives of x(w), x_nu(w)) at H = delta_c: the noise and
    // the mean vector Sigma^{1/2} Z 1/V scale together, so the alignment does not
    // depend on c and the eigenvalue is c times the isotropic one.
    for (int c : {1, 3}) {
      Population<double> H(PopulationSpec::from_atoms({Rational(c)}, {Rational(1)}));
      GeneralBulkLaw<double> bulk(H, pt.delta, pt.gamma);
      const auto ms = GeneralSpike<double>::mean_spike(bulk, pt.M);
      REQUIRE(ms.sample_outlier);
      CHECK(std::abs(ms.A_u - a) < 1e-9);
      CHECK(std::abs(ms.lambda - c * mean_outlier(law, pt.M)) < 1e-9 * ms.lambda);
    }
  }
}

TEST_CASE("mean alignment: the population route at 50 digits and an anisotropic H",
          "[mean_alignment]") {
  ScopedPrecision prec(50);
  using R = MpReal;
  Population<R> H(PopulationSpec::isotropic());
  GeneralBulkLaw<R> bulk(H, R(1) / 2, R(1) / 2);
  CHECK(abs(GeneralSpike<R>::mean_spike(bulk, R(6)).A_u - R(16) / 25) < R("1e-40"));
  // An anisotropic H: the mean spike is the signal spike at rho = 0, a = M, so
  // GeneralSpike(bulk, 0).report(M).top is the same object (a consistency check
  // that mean_spike routes through it), and the alignment lies in (0, 1).
  Population<R> H2(PopulationSpec::from_atoms({Rational(1, 2), Rational(3, 2)},
                                              {Rational(1, 2), Rational(1, 2)}));
  GeneralBulkLaw<R> bulk2(H2, R(1) / 2, R(1) / 2);
  const auto ms = GeneralSpike<R>::mean_spike(bulk2, R(8));
  GeneralSpike<R> zero(bulk2, R(0));
  const auto top = zero.report(R(8)).top;
  CHECK(ms.A_u == top.A_u);
  CHECK(ms.A_u > 0);
  CHECK(ms.A_u < 1);
  // Below its threshold: the right edge and no alignment.
  const auto weak = GeneralSpike<R>::mean_spike(bulk2, R(1));
  CHECK(!weak.sample_outlier);
  CHECK(weak.A_u == 0);
  CHECK(weak.lambda == bulk2.right_edge());
}

TEST_CASE("close-pair rule: the issue's example is close, a far pair is not", "[mean_alignment]") {
  // T = 16, markov:0.8, mean pooling, uncentred, d = 500 (N = 1000): 11.49 and 9.67.
  CHECK(mc::outlier_pair_mixing(11.49, 9.67, 1000) == Approx(11.49 * 9.67 / (1000 * 1.82 * 1.82)));
  CHECK(mc::outlier_pair_mixing(11.49, 9.67, 1000) > mc::close_pair_mixing);
  CHECK(mc::outlier_pair_mixing(11.49, 9.67, 4000) > mc::close_pair_mixing);
  CHECK(mc::outlier_pair_mixing(5.04, 21.6, 600) < mc::close_pair_mixing);
}

TEST_CASE("Monte Carlo: the mean outlier's alignment, separated and close pairs",
          "[mean_alignment][monte_carlo]") {
  // Gaussian-equivalent model, delta = gamma = 1/2, rho = 1, d = 300, 8 seeds.
  mc::Config c;
  c.d = 300;
  c.delta = c.gamma = 0.5;
  c.rho = 1;
  c.centered = false;
  c.threads = 2;
  c.solver = mc::Solver::dense;
  SECTION("separated: alpha/kappa = 2 (5.04), M = 40 (21.6)") {
    c.alpha_over_kappa = 2;
    c.mean_strength = 40;
    const auto p = mc::predict(c);
    REQUIRE(p.mean_rank == 0);
    REQUIRE(p.signal_rank == 1);
    REQUIRE(!p.close_pair);
    BulkLaw<double> law(p.sizes.delta, p.sizes.gamma);
    CHECK(p.mean_alignment == mean_outlier_alignment(law, 40.0));
    const auto rows = mc::simulate_and_compare(c, 8, 21);
    const auto& r = mc::find_report(rows, "alignment_mean");
    INFO("alignment_mean " << r.mean << " +- " << r.stderr_ << " theory " << r.theory);
    // 4 standard errors plus the validator's alignment allowance at d = 300
    // (0.03 sqrt(1000/300) = 0.055); the alignment is 0.93, far from 0 and 1.
    CHECK(std::abs(r.mean - r.theory) < 4 * r.stderr_ + 0.055);
    CHECK(r.verdict != mc::Verdict::fail);
    CHECK(4 * r.stderr_ + 0.055 < r.theory / 4);
    for (const char* q : {"alignment_mu_pair", "alignment_u_pair", "alignment_mean_pair"})
      CHECK_THROWS_AS(mc::find_report(rows, q), std::invalid_argument);
  }
  SECTION("close: alpha/kappa = 3 (6.33), M = 6 (5.04)") {
    c.alpha_over_kappa = 3;
    c.mean_strength = 6;
    const auto p = mc::predict(c);
    REQUIRE(p.signal_rank == 0);
    REQUIRE(p.mean_rank == 1);
    REQUIRE(p.close_pair);
    const auto rows = mc::simulate_and_compare(c, 8, 22);
    for (const char* q : {"alignment_mu_pair", "alignment_u_pair", "alignment_mean_pair"}) {
      const auto& r = mc::find_report(rows, q);
      INFO(q << " " << r.mean << " +- " << r.stderr_ << " theory " << r.theory);
      CHECK(std::abs(r.mean - r.theory) < 4 * r.stderr_ + 0.055);
      CHECK(r.verdict != mc::Verdict::fail);
    }
    CHECK(mc::find_report(rows, "alignment_u_pair").theory == p.signal_alignment_u);
    CHECK(mc::find_report(rows, "alignment_mean_pair").theory == p.mean_alignment);
    // The single-eigenvector rows are shown without a verdict, with the reason.
    for (const char* q : {"alignment_mu", "alignment_u", "alignment_mean"}) {
      const auto& r = mc::find_report(rows, q);
      CHECK(!r.judged);
      CHECK(r.no_verdict_reason.find("summed over the top two") != std::string::npos);
    }
  }
}

TEST_CASE("outlier prints mean_alignment next to mean_outlier", "[mean_alignment][cli]") {
  auto r = attnrmt_test::run_cli(
      "outlier --delta 1/2 --gamma 1/2 --alpha-over-kappa 2 --mean-strength 6,3 --format csv");
  REQUIRE(r.exit_code == 0);
  auto rows = attnrmt_test::parse_csv(r.out);
  REQUIRE(rows.size() == 3);
  REQUIRE(rows[0].back() == "mean_alignment");
  REQUIRE(rows[0][rows[0].size() - 2] == "mean_outlier");
  CHECK(std::stod(rows[1].back()) == Approx(0.64).epsilon(1e-14));
  CHECK(std::stod(rows[1][rows[1].size() - 2]) == Approx(5.04).epsilon(1e-14));
  CHECK(rows[2].back() == "0");
  // Scheme route: mean pooling T = 6 (M = 6), identity correlation: the same numbers.
  auto s = attnrmt_test::run_cli(
      "outlier --delta 1/2 --gamma 1/2 --T 6 --pooling mean --corr identity --uncentred "
      "--format csv");
  REQUIRE(s.exit_code == 0);
  auto srows = attnrmt_test::parse_csv(s.out);
  REQUIRE(srows.size() == 2);
  REQUIRE(srows[0].back() == "mean_alignment");
  CHECK(std::stod(srows[1].back()) == Approx(0.64).epsilon(1e-14));
  // Without --mean-strength / --uncentred: no such column.
  auto n =
      attnrmt_test::run_cli("outlier --delta 1/2 --gamma 1/2 --alpha-over-kappa 2 --format csv");
  REQUIRE(n.exit_code == 0);
  CHECK(n.out.find("mean_alignment") == std::string::npos);
}
