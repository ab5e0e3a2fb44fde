// Tests of the two BBP transitions (include/attnrmt/spike.hpp): closed forms
// against the rank-one equation on the bulk Cauchy transform, the psi-function
// route with Marchenko-Pastur, classic BBP as delta -> 0, continuity at the
// threshold and a Monte Carlo check.
#include <Eigen/Dense>
#include <catch2/catch.hpp>
#include <random>

#include "attnrmt/precision.hpp"
#include "attnrmt/spike.hpp"
#include "support/numeric_support.hpp"

using attnrmt::BulkLaw;
using attnrmt::MpReal;
using attnrmt::ScopedPrecision;

using attnrmt_test::eps;

namespace {

// Marchenko-Pastur MP_delta (mean 1) Cauchy transform and its derivative for
// real z above the edge (1 + sqrt delta)^2, from delta z g^2 - (z - 1 + delta) g + 1 = 0.
template <class Real>
std::pair<Real, Real> mp_cauchy(const Real& z, const Real& delta) {
  using std::sqrt;
  Real a = (1 - sqrt(delta)) * (1 - sqrt(delta)), b = (1 + sqrt(delta)) * (1 + sqrt(delta));
  Real g = (z - 1 + delta - sqrt((z - a) * (z - b))) / (2 * delta * z);
  Real dg = (g - delta * g * g) / (2 * delta * z * g - (z - 1 + delta));
  return {g, dg};
}

template <class Real>
void check_routes(const Real& delta, const Real& gamma, const Real& rho, const Real& tol) {
  auto th = attnrmt::thresholds(delta, gamma, rho);
  BulkLaw<Real> unit(delta, gamma);
  INFO("delta=" << double(delta) << " gamma=" << double(gamma) << " rho=" << double(rho));
  // tau2 is the largest root of docs/theory.md's cubic in t.
  auto cubic_t = [&](const Real& t) {
    Real r = rho + delta;
    return r * r * r * t * t * t - 3 * delta * r * r * t * t +
           r * (3 * delta * delta - delta - gamma - delta * gamma) * t +
           delta * (1 - delta) * (delta - gamma);
  };
  Real scale = (rho + delta) * (rho + delta) * (rho + delta) * th.tau2 * th.tau2 * th.tau2 + 1;
  CHECK(abs(cubic_t(th.tau2)) / scale < 100 * tol);
  CHECK(cubic_t(th.tau2 * Real(1.001)) > 0);
  CHECK(th.tau2 > th.tau1);
  // s* = 1/p_+ (the right-edge parameter of the bulk).
  CHECK(abs(th.s_star * unit.right_edge_parameter() - 1) < tol);
  // Route 2 threshold: omega with lambda g(lambda) g_N(lambda) = 1/omega at lambda = right edge.
  Real R = unit.right_edge();
  Real gR = unit.cauchy(attnrmt::Complex<Real>(R)).re;
  Real omega2_route2 = 1 / (R * gR * (gamma * gR + (1 - gamma) / R));
  CHECK(abs(omega2_route2 / th.omega2 - 1) < 1e3 * tol);  // g at a square-root edge: fewer digits
  for (Real factor : {Real(11) / 10, Real(3) / 2, Real(3), Real(10)}) {
    Real ak = th.tau2 * factor;
    auto rep = attnrmt::outlier_report(unit, rho, ak);
    REQUIRE(rep.regime == attnrmt::Regime::detectable);
    Real lambda2 = attnrmt::outlier_by_rank_one_equation(unit, rep.omega);
    CHECK(abs(lambda2 / rep.spike.lambda - 1) < 100 * tol);
    // psi-function route: ell = omega (s+1)/s, psi(ell) = ell (1 + gamma h), h = ∫ t/(ell-t)
    // dMP_delta, psi'(ell) = 1 - gamma ∫ t^2/(ell-t)^2 dMP_delta; lambda = psi(ell), A_u = (1 -
    // delta/s^2) ell psi'(ell)/psi(ell).
    Real s = rep.spike.s;
    Real ell = rep.omega * (s + 1) / s;
    auto [g, dg] = mp_cauchy(ell, delta);
    Real h = ell * g - 1;
    Real t2 = -ell * ell * dg - 2 * ell * g + 1;
    Real psi = ell * (1 + gamma * h), dpsi = 1 - gamma * t2;
    CHECK(abs(psi / rep.spike.lambda - 1) < 100 * tol);
    Real a_u = (1 - delta / (s * s)) * ell * dpsi / psi;
    CHECK(abs(a_u - rep.spike.alignment_u) < 100 * tol);
    CHECK(abs(rep.alignment_mu - rho / (rho + delta) * rep.spike.alignment_u) < 10 * tol);
  }
  // Regimes on both sides of each threshold.
  CHECK(attnrmt::outlier_report(unit, rho, th.tau1 * Real(0.99)).regime == attnrmt::Regime::none);
  CHECK(attnrmt::outlier_report(unit, rho, (th.tau1 + th.tau2) / 2).regime ==
        attnrmt::Regime::table_only);
}

}  // namespace

TEST_CASE("closed forms agree with the rank-one equation and the psi route", "[spike]") {
  const double grid[][3] = {{0.5, 0.5, 1}, {0.2, 0.7, 2}, {2, 0.5, 1},    {0.5, 3, 0.5}, {3, 4, 1},
                            {1, 1, 1},     {0.05, 4, 2},  {4, 0.05, 0.5}, {1.5, 1.5, 0}};
  for (const auto& g : grid) check_routes<double>(g[0], g[1], g[2], 1e-12);
  ScopedPrecision p(50);
  for (const auto& g : grid)
    check_routes<MpReal>(MpReal(g[0]), MpReal(g[1]), MpReal(g[2]), MpReal("1e-45"));
}

TEST_CASE("delta = gamma = 1/2, rho = 1: docs/theory.md example values", "[spike]") {
  ScopedPrecision p(60);
  MpReal half = MpReal(1) / 2;
  auto th = attnrmt::thresholds(half, half, MpReal(1));
  // tau1 = (delta + sqrt delta)/(rho + delta); s* = (delta + sqrt(delta^2 + 8 delta))/2 at delta =
  // gamma.
  CHECK(abs(th.tau1 - (half + sqrt(half)) / (1 + half)) < MpReal("1e-58"));
  MpReal s_star = (half + sqrt(half * half + 8 * half)) / 2;
  CHECK(abs(th.tau2 - (half + s_star) / (1 + half)) < MpReal("1e-58"));
  CHECK(abs(th.tau1 - MpReal("0.80473785")) < MpReal("1e-8"));
  CHECK(abs(th.tau2 - MpReal("1.18718427")) < MpReal("1e-8"));
  BulkLaw<MpReal> law(half, half);
  auto rep = attnrmt::outlier_report(law, MpReal(1), MpReal(2));
  // omega = 3, s = 5/2: lambda = 3 * 7/2 * 3 / (25/4) = 126/25, A_u = P(5/2)/(25/4 * 3) = 12/(75/4)
  // = 16/25.
  CHECK(abs(rep.spike.lambda - MpReal(126) / 25) < MpReal("1e-58"));
  CHECK(abs(rep.spike.alignment_u - MpReal(16) / 25) < MpReal("1e-58"));
  CHECK(abs(rep.alignment_mu - MpReal(32) / 75) < MpReal("1e-58"));
}

TEST_CASE("delta -> 0 reproduces the classic BBP transition", "[spike]") {
  ScopedPrecision p(50);
  const MpReal delta("1e-30");
  for (MpReal gamma : {MpReal("0.25"), MpReal("0.5"), MpReal("2")}) {
    BulkLaw<MpReal> law(delta, gamma);
    auto th = attnrmt::thresholds(delta, gamma, MpReal(1));
    CHECK(abs(th.s_star - sqrt(gamma)) < MpReal("1e-14"));
    for (MpReal omega : {sqrt(gamma) * MpReal("1.2"), sqrt(gamma) * 3}) {
      auto out = attnrmt::spike_outcome(law, MpReal(omega + delta));
      CHECK(abs(out.lambda - (1 + omega) * (1 + gamma / omega)) < MpReal("1e-14"));
      CHECK(abs(out.alignment_u - (1 - gamma / (omega * omega)) / (1 + gamma / omega)) <
            MpReal("1e-14"));
    }
  }
}

TEST_CASE("at the threshold the outlier meets the edge and the alignment vanishes continuously",
          "[spike]") {
  ScopedPrecision p(40);
  for (auto [d, g] : {std::pair<double, double>{0.5, 0.5}, {2, 0.3}, {0.4, 3}}) {
    MpReal delta(d), gamma(g);
    BulkLaw<MpReal> law(delta, gamma);
    auto th = attnrmt::thresholds(delta, gamma, MpReal(1));
    MpReal prev_gap = 1, prev_align = 1;
    for (int k = 2; k <= 12; k += 2) {
      MpReal eps_k = pow(MpReal(10), -k);
      auto out = attnrmt::spike_outcome(law, MpReal(th.omega2 * (1 + eps_k)));
      REQUIRE(out.sample_outlier);
      MpReal gap = out.lambda - law.right_edge();
      CHECK(gap > 0);
      CHECK(gap < prev_gap);
      CHECK(out.alignment_u < prev_align);
      // lambda - edge = O(eps^2) (quadratic contact), alignment = O(eps).
      CHECK(gap < 100 * eps_k * eps_k * th.omega2 * th.omega2);
      CHECK(out.alignment_u < 100 * eps_k);
      prev_gap = gap;
      prev_align = out.alignment_u;
    }
    auto below = attnrmt::spike_outcome(law, MpReal(th.omega2 * (1 - MpReal("1e-12"))));
    CHECK_FALSE(below.sample_outlier);
    CHECK(below.lambda == law.right_edge());
    CHECK(below.alignment_u == 0);
  }
}

TEST_CASE("invalid parameters throw std::invalid_argument", "[spike]") {
  BulkLaw<double> law(0.5, 0.5);
  CHECK_THROWS_AS(attnrmt::outlier_report(law, -1.0, 2.0), std::invalid_argument);
  CHECK_THROWS_AS(attnrmt::outlier_report(law, 1.0, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(attnrmt::outlier_report(law, 1.0, std::nan("")), std::invalid_argument);
  CHECK_THROWS_AS(attnrmt::thresholds(0.0, 0.5, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(BulkLaw<double>(0.5, -0.5), std::invalid_argument);
}

TEST_CASE("Monte Carlo: spiked covariance above tau2 matches lambda and A_u", "[spike][mc]") {
  // Population W_delta + omega v v^T, W_delta = Z Z^T / V, v a random unit
  // vector; C = Sigma^{1/2} X X^T Sigma^{1/2} / N. d = 300, delta = gamma = 1/2,
  // omega = 3 (s = 5/2): theory lambda = 5.04, A_u = 0.64. A single replicate's
  // outlier fluctuates by about 0.25 at this size (measured: sd 0.22 at d = 200,
  // 0.28 at d = 400), so the test asserts agreement within 4 standard errors of
  // the mean over 12 seeds plus a finite-size allowance of 0.05.
  const int d = 300, V = 600, N = 600, seeds = 12;
  const double omega = 3;
  std::vector<double> lambdas, aligns;
  for (int seed = 0; seed < seeds; ++seed) {
    std::mt19937_64 rng(1000 + seed);
    std::normal_distribution<double> normal;
    Eigen::MatrixXd Z(d, V), X(d, N);
    attnrmt_test::fill_gaussian(Z, rng, normal);
    attnrmt_test::fill_gaussian(X, rng, normal);
    Eigen::VectorXd v(d);
    for (int i = 0; i < d; ++i) v(i) = normal(rng);
    v.normalize();
    Eigen::MatrixXd Sigma = Z * Z.transpose() / double(V) + omega * v * v.transpose();
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> pop(Sigma);
    Eigen::MatrixXd root = pop.operatorSqrt();
    Eigen::MatrixXd Y = root * X;
    Eigen::MatrixXd C = Y * Y.transpose() / double(N);
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(C);
    lambdas.push_back(es.eigenvalues()(d - 1));
    double overlap = es.eigenvectors().col(d - 1).dot(v);
    aligns.push_back(overlap * overlap);
  }
  auto mean_se = [](const std::vector<double>& v) {
    double m = 0, s2 = 0;
    for (double x : v) m += x / v.size();
    for (double x : v) s2 += (x - m) * (x - m) / (v.size() - 1);
    return std::pair<double, double>{m, std::sqrt(s2 / v.size())};
  };
  auto [lambda_mean, lambda_se] = mean_se(lambdas);
  auto [align_mean, align_se] = mean_se(aligns);
  BulkLaw<double> law(0.5, 0.5);
  auto out = attnrmt::spike_outcome(law, omega);
  INFO("empirical lambda " << lambda_mean << " +- " << lambda_se << " vs theory " << out.lambda
                           << "; alignment " << align_mean << " +- " << align_se << " vs "
                           << out.alignment_u);
  CHECK(std::abs(lambda_mean - out.lambda) < 4 * lambda_se + 0.05);
  CHECK(std::abs(align_mean - out.alignment_u) < 4 * align_se + 0.05);
  // The test is not vacuous: the standard errors are small compared to the
  // distance to the bulk edge and to zero alignment.
  CHECK(4 * lambda_se + 0.05 < out.lambda - law.right_edge());
  CHECK(4 * align_se + 0.05 < out.alignment_u / 2);
}
