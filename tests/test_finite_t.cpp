// tests/test_finite_t.cpp -- the finite-T bulk of the discrete-token model
// (docs/theory.md §7): the reduction (7.1) against the asymptotic law, the
// cavity equations (7.2) against a direct sparse-matrix computation, the
// population dynamics against the exact one-position law, the exact law
// against a third route, convergence to the asymptotic law, and the CLI.
#include <Eigen/Dense>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "attnrmt/bulk_law.hpp"
#include "attnrmt/finite_t/single_position_law.hpp"
#include "attnrmt/finite_t/tabulated_law.hpp"
#include "attnrmt/finite_t/token_bulk.hpp"
#include "attnrmt/marchenko_pastur.hpp"
#include "attnrmt/mc/finite_t_reference.hpp"
#include "attnrmt/mc/random.hpp"
#include "support/cli_runner.hpp"

using namespace attnrmt;
using namespace attnrmt::finite_t;

namespace {

// Solves (7.1) by Newton's method for an exactly known G_nu (value and derivative).
template <class F>
cplx solve_71(cplx z, double delta, F gnu, cplx start) {
  cplx G = start;
  for (int it = 0; it < 200; ++it) {
    const cplx zeta = 1.0 / (delta * G);
    const auto [g, dg] = gnu(zeta);
    G = newton_step(G, z, delta, g, dg);
  }
  return G;
}

cplx to_std(const Complex<double>& c) {
  return {c.re, c.im};
}

}  // namespace

TEST_CASE("finite-T (7.1): nu = MP_{gamma/delta} gives the asymptotic law MP_delta ⊠ MP_gamma",
          "[finite_t]") {
  for (auto [delta, gamma] : {std::pair{0.5, 0.5}, {0.25, 0.75}, {2.0, 0.5}, {0.3, 1.7}}) {
    const MarchenkoPastur<double> nu(gamma / delta, 1.0);
    const BulkLaw<double> law(delta, gamma);
    auto gnu = [&](cplx zeta) {
      const Complex<double> c(zeta.real(), zeta.imag());
      const cplx g = to_std(nu.cauchy(c));
      const double h = 1e-6 * (1 + std::abs(zeta));
      const cplx dg = (to_std(nu.cauchy(Complex<double>(zeta.real() + h, zeta.imag()))) -
                       to_std(nu.cauchy(Complex<double>(zeta.real() - h, zeta.imag())))) /
                      (2 * h);
      return std::pair<cplx, cplx>{g, dg};
    };
    for (cplx z : {cplx(0.7, 0.3), cplx(2.0, 0.05), cplx(4.0, 1.0), cplx(0.2, 2.0)}) {
      // Start from a point near the answer's branch: the law's own value at z + i.
      const cplx start = to_std(law.cauchy(Complex<double>(z.real(), z.imag() + 1)));
      const cplx G = solve_71(z, delta, gnu, start);
      const cplx ref = to_std(law.cauchy(Complex<double>(z.real(), z.imag())));
      INFO("delta " << delta << " gamma " << gamma << " z " << z << " G " << G << " ref " << ref);
      CHECK(std::abs(G - ref) <= 1e-10 * std::abs(ref));
    }
  }
}

TEST_CASE("finite-T one position: the exact law (general solver) equals (7.1) with atomic nu",
          "[finite_t]") {
  // Third route: (7.1) with nu = Poisson(lambda)/lambda summed directly.
  for (auto [dn, dd, gn, gd] : {std::array<int, 4>{1, 2, 1, 2}, {1, 4, 3, 4}, {3, 2, 1, 2}}) {
    const double delta = double(dn) / dd, gamma = double(gn) / gd, lambda = delta / gamma;
    const SinglePositionLaw<double> exact(Rational(dn, dd), Rational(gn, gd));
    std::vector<double> p;
    double pk = std::exp(-lambda);
    for (int k = 0; k < 80; ++k) {
      p.push_back(pk);
      pk *= lambda / (k + 1);
    }
    auto gnu = [&](cplx zeta) {
      cplx g = 0, dg = 0;
      for (int k = 0; k < 80; ++k) {
        const cplx r = 1.0 / (zeta - double(k) / lambda);
        g += p[k] * r;
        dg -= p[k] * r * r;
      }
      return std::pair<cplx, cplx>{g, dg};
    };
    const BulkLaw<double> asym(delta, gamma);
    for (double x : {0.3, 1.0, 2.5, 0.8 * asym.right_edge()}) {
      // Continuation in Im z from 1 to 1e-12.
      cplx G = to_std(asym.cauchy(Complex<double>(x, 1.0)));
      for (double eta = 1.0; eta > 1e-12; eta /= 2) G = solve_71(cplx(x, eta), delta, gnu, G);
      G = solve_71(cplx(x, 1e-12), delta, gnu, G);
      const double direct = -G.imag() / M_PI;
      INFO("delta " << delta << " gamma " << gamma << " x " << x);
      CHECK(std::abs(exact.density(x) - direct) <= 1e-8 * std::max(1.0, direct));
    }
    // Mass: the density integrates to 1 - atom (CDF at the top of the support).
    CHECK(std::abs(exact.cdf(exact.support().back().second * 1.0001) - 1) <= 1e-12);
  }
}

TEST_CASE("finite-T cavity (7.2): population dynamics against a direct sparse Gram matrix",
          "[finite_t]") {
  // B = (V/(N kappa)) S S^T at V = N = 600 (16 samples) for T = 2 mean pooling and
  // for a concentrated 3-position scheme; (1/V) tr (B - zeta)^{-1} against the pool
  // mean. Linear statistics of sparse graphs fluctuate like 1/sqrt(V) (the degree
  // counts do): measured spread of the direct value ~0.5 % at V x samples ~ 10^4,
  // finite-size bias (repeats, short loops) O(1/V); tolerance 2 %.
  const int V = 600, N = 600;
  for (const std::vector<double>& w :
       {std::vector<double>{0.5, 0.5}, std::vector<double>{0.1, 0.3, 1.0}}) {
    double kappa = 0;
    for (double x : w) kappa += x * x;
    mc::detail::Xoshiro256 rng(12345);
    const std::vector<cplx> zetas = {cplx(0.5, 0.4), cplx(1.5, 0.4), cplx(3.0, 0.4)};
    std::vector<cplx> direct(zetas.size(), 0.0);
    const int samples = 16;
    for (int sample = 0; sample < samples; ++sample) {
      Eigen::MatrixXd S = Eigen::MatrixXd::Zero(V, N);
      for (int i = 0; i < N; ++i)
        for (std::size_t t = 0; t < w.size(); ++t) S(static_cast<long>(rng.below(V)), i) += w[t];
      Eigen::MatrixXd B = (double(V) / (double(N) * kappa)) * (S * S.transpose());
      Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(B, Eigen::EigenvaluesOnly);
      for (std::size_t k = 0; k < zetas.size(); ++k)
        for (int j = 0; j < V; ++j) direct[k] += 1.0 / (es.eigenvalues()[j] - zetas[k]) / double(V);
    }
    SparseGramCavity cavity(w, 1.0, 1 << 14, 99, zetas.size());
    for (std::size_t b = 0; b < zetas.size(); ++b)
      cavity.reset(b, cavity.mean_field_guess(zetas[b]));
    std::vector<SparseGramCavity::Means> m;
    std::vector<cplx> pd(zetas.size(), 0.0);
    for (int sweep = 0; sweep < 60; ++sweep) {
      cavity.sweep(zetas, m);
      if (sweep >= 20)
        for (std::size_t b = 0; b < zetas.size(); ++b) pd[b] += m[b].g / 40.0;
    }
    for (std::size_t k = 0; k < zetas.size(); ++k) {
      direct[k] /= double(samples);
      INFO("w[0] " << w[0] << " zeta " << zetas[k] << " direct " << direct[k] << " cavity "
                   << pd[k]);
      CHECK(std::abs(direct[k] - pd[k]) <= 0.02 * std::abs(direct[k]));
    }
    // The test has power: the Gaussian-equivalent nu = MP_1 is farther away.
    const MarchenkoPastur<double> mp(1.0, 1.0);
    double farthest = 0;
    for (std::size_t k = 0; k < zetas.size(); ++k) {
      const cplx g_mp = -to_std(mp.cauchy(Complex<double>(zetas[k].real(), zetas[k].imag())));
      farthest = std::max(farthest, std::abs(direct[k] - g_mp) / std::abs(direct[k]));
    }
    INFO("largest relative distance to MP_1: " << farthest);
    CHECK(farthest > 0.05);
  }
}

TEST_CASE("finite-T T = 1: population dynamics against the exact one-position law", "[finite_t]") {
  CavitySettings s;
  s.pool = 4096;
  const TokenBulkLaw law({1.0}, 0.5, 0.5, s);
  const SinglePositionLaw<double> exact(Rational(1, 2), Rational(1, 2));
  const std::vector<double> xs = {0.1, 0.5, 1.0, 2.0, 3.0, 4.0, 4.5};
  const auto d = law.density(xs, 7, 2);
  for (std::size_t i = 0; i < xs.size(); ++i) {
    INFO("x " << xs[i] << " pd " << d[i].first << " +- " << d[i].second << " exact "
              << exact.density(xs[i]));
    CHECK(d[i].second < 0.02 * exact.density(xs[i]) + 1e-3);
    CHECK(std::abs(d[i].first - exact.density(xs[i])) <= 5 * d[i].second + 2e-4);
  }
  // The exact law differs from the asymptotic one by more than that (the point
  // of the finite-T law): at x = 0.5 by 0.012.
  CHECK(std::abs(exact.density(0.5) - law.asymptotic().density(0.5)) > 0.01);
}

TEST_CASE(
    "finite-T: the law approaches MP_delta ⊠ MP_gamma as the effective number of tokens grows",
    "[finite_t]") {
  CavitySettings s;
  s.pool = 2048;
  s.replicas = 4;
  const std::vector<double> xs = {0.5, 1.0, 2.0, 3.0, 4.0};
  double previous = 1;
  for (int T : {1, 2, 8}) {
    const TokenBulkLaw law(std::vector<double>(T, 1.0 / T), 0.5, 0.5, s);
    const auto d = law.density(xs, 3, 2);
    double worst = 0, noise = 0;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      worst = std::max(worst, std::abs(d[i].first - law.asymptotic().density(xs[i])));
      noise = std::max(noise, d[i].second);
    }
    INFO("T " << T << " largest density deviation " << worst << " (se " << noise << ")");
    CHECK(worst < previous);
    if (T == 8) CHECK(worst <= 0.002);
    previous = worst;
  }
}

TEST_CASE("finite-T tabulation: mass, CDF against the exact law, top location", "[finite_t]") {
  CavitySettings s;
  s.pool = 4096;
  const TokenBulkLaw law({2.0}, 0.5, 0.5, s);  // one position: the exact law applies
  const SinglePositionLaw<double> exact(Rational(1, 2), Rational(1, 2));
  const TabulatedLaw table(law, 2 * law.asymptotic().right_edge(), 128, 0, 2);
  const auto mass = table.mass();
  INFO("mass " << mass.mean << " +- " << mass.standard_error);
  CHECK(std::abs(mass.mean - 1) <= 5 * mass.standard_error + 2e-3);
  for (double x : {0.5, 1.0, 2.0, 3.0, 4.0}) {
    const auto c = table.cdf_at(x);
    INFO("x " << x << " cdf " << c.mean << " +- " << c.standard_error << " exact " << exact.cdf(x));
    CHECK(std::abs(c.mean - exact.cdf(x)) <= 5 * c.standard_error + 2e-3);
  }
  // The top of a 200 x 200 matrix: the exact classical location is 4.27; the
  // pool (4096 >= 20 d) resolves it.
  const auto top = table.top_location(200);
  REQUIRE(top.has_value());
  const double ref = exact.quantile(1 - 1.0 / 400);
  INFO("top " << top->mean << " +- " << top->standard_error << " exact " << ref);
  CHECK(std::abs(top->mean - ref) <= 5 * top->standard_error + 0.02);
}

TEST_CASE("finite-T: bad settings are rejected naming the parameter", "[finite_t]") {
  CHECK_THROWS_AS(TokenBulkLaw({0.0, 0.0}, 0.5, 0.5), std::invalid_argument);
  CHECK_THROWS_AS(TokenBulkLaw({1.0}, -1, 0.5), std::invalid_argument);
  CavitySettings s;
  s.replicas = 1;
  CHECK_THROWS_AS(TokenBulkLaw({1.0}, 0.5, 0.5, s), std::invalid_argument);
  const TokenBulkLaw law({1.0}, 0.5, 0.5);
  CHECK_THROWS_AS(law.cauchy({cplx(1.0, 0.0)}), std::invalid_argument);
  CHECK_THROWS_AS(PoissonSampler(-1.0), std::invalid_argument);
}

TEST_CASE("finite-T Poisson sampler: mean and variance", "[finite_t]") {
  for (double mean : {0.3, 4.0, 70.0}) {
    PoissonSampler p(mean);
    mc::detail::Xoshiro256 rng(5);
    const int n = 200000;
    double s1 = 0, s2 = 0;
    for (int i = 0; i < n; ++i) {
      const double k = p(rng);
      s1 += k;
      s2 += k * k;
    }
    const double m = s1 / n, v = s2 / n - m * m;
    INFO("mean " << mean << " sample mean " << m << " variance " << v);
    CHECK(std::abs(m - mean) <= 5 * std::sqrt(mean / n));
    CHECK(std::abs(v - mean) <= 5 * mean * std::sqrt(2.0 / n) + 5 * std::sqrt(mean / n));
  }
}

TEST_CASE("bulk --law finite-T: CLI against the exact one-position law, and its errors",
          "[finite_t][cli]") {
  using attnrmt_test::parse_csv;
  using attnrmt_test::run_cli;
  const auto r = run_cli(
      "bulk --law finite-T --T 1 --pooling mean --delta 1/2 --gamma 1/2 --x 0.5,2,4 --pool 2048 "
      "--resolution 64 --top-at-d 100 --format csv");
  REQUIRE(r.exit_code == 0);
  const auto rows = parse_csv(r.out);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0] == std::vector<std::string>{"x", "density", "density_se", "cdf", "cdf_se"});
  const SinglePositionLaw<double> exact(Rational(1, 2), Rational(1, 2));
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const double x = std::stod(rows[i][0]), d = std::stod(rows[i][1]), se = std::stod(rows[i][2]);
    const double c = std::stod(rows[i][3]), cse = std::stod(rows[i][4]);
    INFO("x " << x << " density " << d << " +- " << se << " cdf " << c << " +- " << cse);
    CHECK(std::abs(d - exact.density(x)) <= 5 * se + 3e-4);
    CHECK(std::abs(c - exact.cdf(x)) <= 5 * cse + 3e-3);
  }
  CHECK(r.out.find("top eigenvalue at d = 100") != std::string::npos);
  // The scheme is required; --digits and --q are refused with a reason; bad settings exit 2.
  for (const char* bad :
       {"bulk --law finite-T --delta 1/2 --gamma 1/2 --x 1",
        "bulk --law finite-T --T 2 --delta 1/2 --gamma 1/2 --x 1 --digits 20",
        "bulk --law finite-T --T 2 --delta 1/2 --gamma 1/2 --q 0.5",
        "bulk --law finite-T --T 2 --delta 1/2 --gamma 1/2 --x 1 --pool 10",
        "bulk --law finite-T --T 2 --delta 1/2 --gamma 1/2 --x -1",
        "bulk --law finite-T --T 2 --pooling mean,causal --delta 1/2 --gamma 1/2 --x 1",
        "bulk --delta 1/2 --gamma 1/2 --x 1 --pool 100"}) {
    const auto e = run_cli(bad);
    INFO(bad << " -> " << e.err);
    CHECK(e.exit_code == 2);
    CHECK(e.out.empty());
    CHECK(std::count(e.err.begin(), e.err.end(), '\n') == 1);
  }
}

TEST_CASE("validate --law finite-T: the tokens model at T = 1 against both laws",
          "[finite_t][cli]") {
  using attnrmt_test::parse_csv;
  using attnrmt_test::run_cli;
  const std::string base =
      "validate --model tokens --T 1 --pooling mean --corr identity --delta 1/2 --gamma 1/2 "
      "--rho 0 --d 400 --seeds 4 --threads 2 --quiet --no-timing --format csv";
  const auto finite = run_cli(base + " --law finite-T");
  const auto asym = run_cli(base);
  REQUIRE(finite.exit_code != 2);
  REQUIRE(asym.exit_code != 2);
  CHECK(finite.out.find("law: finite-T") != std::string::npos);
  CHECK(asym.out.find("law: asymptotic") != std::string::npos);
  auto row = [](const std::string& out, const std::string& q) {
    for (const auto& r : parse_csv(out))
      if (!r.empty() && r[0] == q) return r;
    return std::vector<std::string>{};
  };
  // Columns: quantity, theory, empirical_mean, empirical_stderr, z, tolerance, verdict.
  const auto ks_f = row(finite.out, "bulk_ks"), ks_a = row(asym.out, "bulk_ks");
  REQUIRE(ks_f.size() == 7);
  REQUIRE(ks_a.size() == 7);
  INFO("finite-T KS " << ks_f[2] << ", asymptotic KS " << ks_a[2]);
  // The asymptotic law is off by ~0.04 at T = 1 (docs/finite_t.md); the finite-T
  // law leaves only the finite-size part (~0.01 at d = 400).
  CHECK(std::stod(ks_a[2]) > 0.03);
  CHECK(std::stod(ks_f[2]) < 0.5 * std::stod(ks_a[2]));
  CHECK(ks_f[6] != "fail");
  const auto top_f = row(finite.out, "top_eigenvalue");
  REQUIRE(top_f.size() == 7);
  INFO("top: theory " << top_f[1] << ", measured " << top_f[2] << " +- " << top_f[3]);
  CHECK(std::stod(top_f[1]) > 4.409);  // above the asymptotic edge
  CHECK(top_f[6] == "n/a");  // shown, not judged (heavy-tailed top)
  // The law of the Gaussian model is the asymptotic one: --law finite-T is refused.
  const auto bad = run_cli(
      "validate --model gaussian --alpha-over-kappa 2 --delta 1/2 --gamma 1/2 --law finite-T");
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--law finite-T") != std::string::npos);
}

TEST_CASE("finite-T moments: the first three do not depend on T (theory §7.2)", "[finite_t]") {
  // m1 = 1, m2 = 1 + delta + gamma, m3 = that of MP_delta ⊠ MP_gamma for every
  // T (nu_T has the moments 1, 1 + c, 1 + 3c + c^2 of MP_c, c = gamma/delta),
  // checked on the tabulated density of two concentrated schemes.
  CavitySettings s;
  s.pool = 4096;
  const double delta = 0.5, gamma = 0.25;
  const BulkLaw<double> asym(delta, gamma);
  for (const std::vector<double>& w :
       {std::vector<double>{0.5, 0.5}, std::vector<double>{0.05, 0.2, 1.0}}) {
    const TokenBulkLaw law(w, delta, gamma, s);
    const TabulatedLaw table(law, 2.2 * asym.right_edge(), 256, 5, 2);
    for (int k = 1; k <= 3; ++k) {
      const auto m = table.moment(k);
      INFO("w[0] " << w[0] << " k " << k << " moment " << m.mean << " +- " << m.standard_error
                   << " exact " << asym.moment(k));
      CHECK(std::abs(m.mean - asym.moment(k)) <= 5 * m.standard_error + 4e-3 * asym.moment(k));
    }
  }
}

TEST_CASE(
    "finite-T one position: the fourth moment formula against a contour integral of the "
    "exact law",
    "[finite_t]") {
  // Second route to m4: the exact law's Cauchy transform G_M (theory §7.3, the
  // general-population solver of §6.1 at gamma = 0), m4 = (1/2 pi i) ∮ z^4 G_M(z) dz
  // on the circle |z| = R = 2 x_top around the whole support. By conjugate symmetry
  // m4 = (1/pi) ∫_0^pi Re(z^5 G_M(z)) dtheta; the midpoint rule with n nodes is the
  // trapezoidal rule of a periodic analytic integrand, error O((x_top/R)^(2n)) =
  // 2^-96 at n = 48; cancellation in the sum (|z^5 G| ~ R^4 against m4 ~ 16) costs
  // about 1e5 eps. (Quadrature of the density over the ~40 support intervals took
  // 39 s; this takes well under a second.)
  for (auto [dn, dd, gn, gd] : {std::array<int, 4>{1, 2, 1, 2}, {3, 2, 1, 2}}) {
    const double delta = double(dn) / dd, gamma = double(gn) / gd;
    const SinglePositionLaw<double> exact(Rational(dn, dd), Rational(gn, gd));
    const double R = 2 * exact.support().back().second;
    const int n = 48;
    double sum = 0;
    for (int j = 0; j < n; ++j) {
      const double theta = (j + 0.5) * M_PI / n;
      const Complex<double> z(R * std::cos(theta), R * std::sin(theta));
      const cplx g = to_std(exact.cauchy(z));
      sum += std::real(std::pow(cplx(z.re, z.im), 5) * g);
    }
    const double m4 = sum / n;
    INFO("delta " << delta << " gamma " << gamma << " contour " << m4 << " formula "
                  << mc::single_position_fourth_moment(delta, gamma));
    CHECK(std::abs(m4 - mc::single_position_fourth_moment(delta, gamma)) <= 1e-9 * m4);
    // And it exceeds the asymptotic law's by delta gamma^2 (b4 has 7c^2 for 6c^2).
    CHECK(std::abs(mc::single_position_fourth_moment(delta, gamma) -
                   BulkLaw<double>(delta, gamma).moment(4) - delta * gamma * gamma) <= 1e-12);
  }
}
