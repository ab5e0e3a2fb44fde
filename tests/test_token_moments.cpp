// tests/test_token_moments.cpp -- exact moments of nu_T and of the finite-T bulk
// (finite_t/token_moments.hpp, docs/theory.md §7.4): closed forms for b1..b3,
// the one-position law (Touchard polynomials), the limit of many equal weights
// (Narayana), a direct Monte Carlo of the sparse Gram matrix, the tabulated
// finite-T law, and the CLI.
#include <Eigen/Dense>
#include <Eigen/Sparse>
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "attnrmt/bulk_law.hpp"
#include "attnrmt/finite_t/tabulated_law.hpp"
#include "attnrmt/finite_t/token_bulk.hpp"
#include "attnrmt/finite_t/token_moments.hpp"
#include "attnrmt/mc/finite_t_reference.hpp"
#include "attnrmt/mc/random.hpp"
#include "attnrmt/mc/statistics.hpp"
#include "attnrmt/moments.hpp"
#include "attnrmt/precision.hpp"
#include "attnrmt/weights.hpp"
#include "support/cli_runner.hpp"

using namespace attnrmt;
using namespace attnrmt::finite_t;
using attnrmt_test::run_cli;

namespace {

std::vector<double> last_weights(int T, double tau) {
  return last_token_weights<double>(T, tau);
}

// Stirling numbers of the second kind S(k, j), k <= 12, by S(k, j) = j S(k-1, j) + S(k-1, j-1).
long long stirling2(int k, int j) {
  std::vector<std::vector<long long>> s(13, std::vector<long long>(13, 0));
  s[0][0] = 1;
  for (int n = 1; n <= 12; ++n)
    for (int m = 1; m <= n; ++m) s[n][m] = m * s[n - 1][m] + s[n - 1][m - 1];
  return s[k][j];
}

// Narayana: the moments of MP_c, sum_j (1/k) C(k, j) C(k, j-1) c^(j-1).
Rational narayana_moment(int k, const Rational& c) {
  Rational total = 0, power = 1;
  for (int j = 1; j <= k; ++j) {
    total += Rational(attnrmt::detail::binomial<BigInt>(k, j) *
                          attnrmt::detail::binomial<BigInt>(k, j - 1),
                      k) *
             power;
    power *= c;
  }
  return total;
}

// (1/V) tr B^4 and (1/V) tr B^5 of B = (V/(N kappa)) S S^T for one draw of the
// discrete-token pooling matrix S (V x N, column i holds w_t at the token drawn
// at position t; repeated tokens add). Row by row: x = row v of B^2 (dense),
// tr B^4 = sum_v |x|^2, tr B^5 = sum_v x^T B x; cost V^2 times a row of B.
std::pair<double, double> gram_traces(const std::vector<double>& w, int V, int N,
                                      mc::detail::Xoshiro256& rng) {
  double kappa = 0;
  for (double x : w) kappa += x * x;
  std::vector<Eigen::Triplet<double>> entries;
  for (int i = 0; i < N; ++i)
    for (double x : w)
      if (x != 0) entries.emplace_back(static_cast<int>(rng.below(V)), i, x);
  Eigen::SparseMatrix<double, Eigen::RowMajor> S(V, N);
  S.setFromTriplets(entries.begin(), entries.end());
  const Eigen::SparseMatrix<double, Eigen::RowMajor> B =
      (double(V) / (double(N) * kappa)) *
      Eigen::SparseMatrix<double, Eigen::RowMajor>(S * S.transpose());
  using It = Eigen::SparseMatrix<double, Eigen::RowMajor>::InnerIterator;
  std::vector<double> x(static_cast<std::size_t>(V), 0.0);
  std::vector<int> support;
  std::vector<char> seen(static_cast<std::size_t>(V), 0);
  double t4 = 0, t5 = 0;
  for (int v = 0; v < V; ++v) {
    for (It a(B, v); a; ++a)
      for (It b(B, a.col()); b; ++b) {
        const auto j = static_cast<std::size_t>(b.col());
        if (!seen[j]) {
          seen[j] = 1;
          support.push_back(b.col());
        }
        x[j] += a.value() * b.value();
      }
    for (int i : support) {
      const double xi = x[static_cast<std::size_t>(i)];
      t4 += xi * xi;
      double row = 0;
      for (It b(B, i); b; ++b) row += b.value() * x[static_cast<std::size_t>(b.col())];
      t5 += xi * row;
    }
    for (int i : support) {
      x[static_cast<std::size_t>(i)] = 0;
      seen[static_cast<std::size_t>(i)] = 0;
    }
    support.clear();
  }
  return {t4 / V, t5 / V};
}

}  // namespace

TEST_CASE("token moments: b1, b2, b3 are those of MP_c for every weight vector",
          "[token_moments]") {
  // Theory §7.1: b1 = 1, b2 = 1 + c, b3 = 1 + 3c + c^2 (c = gamma/delta), whatever the weights.
  const std::vector<std::vector<double>> weights = {{0.5, 0.5},
                                                    {0.25, 0.25, 0.25, 0.25},
                                                    last_weights(16, 3.0),
                                                    {0.31, 0.07, 0.9, 0.44, 0.13},
                                                    {0.0, 0.6, 0.0, 0.2, 0.0}};
  for (const auto& w : weights)
    for (auto [delta, gamma] : {std::pair<double, double>{0.5, 0.5}, {0.25, 0.75}, {2.0, 0.3}}) {
      const double c = gamma / delta;
      const auto b = token_gram_moments<double>(w, delta, gamma, 3);
      INFO("T " << w.size() << " delta " << delta << " gamma " << gamma);
      CHECK(b[0] == Approx(1).epsilon(1e-14));
      CHECK(b[1] == Approx(1 + c).epsilon(1e-14));
      CHECK(b[2] == Approx(1 + 3 * c + c * c).epsilon(1e-14));
    }
  // Exactly, in rationals (mean pooling T = 3, delta = 1/2, gamma = 1/3).
  const std::vector<Rational> w(3, Rational(1, 3));
  const auto b = token_gram_moments<Rational>(w, Rational(1, 2), Rational(1, 3), 3);
  const Rational c(2, 3);
  CHECK(b[0] == 1);
  CHECK(b[1] == 1 + c);
  CHECK(b[2] == 1 + 3 * c + c * c);
}

TEST_CASE("token moments: one nonzero weight gives the Poisson moments (Touchard)",
          "[token_moments]") {
  // nu = Poisson(lambda)/lambda (theory §7.3): b_k = sum_j S(k, j) lambda^(j-k).
  const Rational delta(1, 2), gamma(1, 3), lambda = delta / gamma;
  const std::vector<Rational> w = {0, Rational(2, 7), 0, 0};
  const int K = 8;
  const auto b = token_gram_moments<Rational>(w, delta, gamma, K);
  for (int k = 1; k <= K; ++k) {
    Rational touchard = 0;
    for (int j = 1; j <= k; ++j) {
      Rational power = 1;
      for (int i = 0; i < k - j; ++i) power /= lambda;
      touchard += Rational(stirling2(k, j)) * power;
    }
    INFO("k " << k << " b_k " << b[k - 1] << " Touchard " << touchard);
    CHECK(b[k - 1] == touchard);
  }
  // The bulk's fourth moment: the closed form of theory §7.3 (mc/finite_t_reference.hpp).
  for (auto [d, g] : {std::pair<double, double>{0.5, 0.5}, {0.25, 0.75}, {1.5, 0.5}}) {
    const auto m = token_bulk_moments<double>({1.0}, d, g, 4);
    CHECK(m[3] == Approx(mc::single_position_fourth_moment(d, g)).epsilon(1e-13));
    // m1..m3 are those of the asymptotic law.
    const BulkLaw<double> asym(d, g);
    for (int k = 1; k <= 3; ++k) CHECK(m[k - 1] == Approx(asym.moment(k)).epsilon(1e-13));
  }
}

TEST_CASE("token moments: the Gaussian-equivalent nu = MP_c gives MP_delta ⊠ MP_gamma",
          "[token_moments]") {
  // bulk_moments_from_gram with the Narayana moments of MP_c must return the
  // exact moments of the asymptotic law (moments.hpp), k <= 8, exactly.
  const Rational delta(2, 5), gamma(3, 4), c = gamma / delta;
  std::vector<Rational> b;
  for (int k = 1; k <= 8; ++k) b.push_back(narayana_moment(k, c));
  const auto m = bulk_moments_from_gram<Rational>(b, delta);
  for (int k = 1; k <= 8; ++k) CHECK(m[k - 1] == moment_value<Rational>(k, delta, gamma));
}

TEST_CASE("token moments: many equal weights approach MP_c at rate 1/T^2", "[token_moments]") {
  // Mean pooling: the corrections to the MP_c moments come with s_r = lambda sum q^r =
  // (lambda T)^(1-r) -> 0; the leading one is s_2^2 ~ 1/T^2 (s_2 alone cancels, as in
  // b2, b3), so the gap quarters when T doubles (ratio 4 to within 1 % from T = 128).
  const Rational delta(1, 2), gamma(1, 2), c = gamma / delta;
  for (int k = 4; k <= 6; ++k) {
    std::vector<double> gap;
    for (int T : {64, 128, 256}) {
      const std::vector<Rational> w(static_cast<std::size_t>(T), Rational(1, T));
      const auto b = token_gram_moments<Rational>(w, delta, gamma, k);
      gap.push_back(
          static_cast<double>(b[static_cast<std::size_t>(k - 1)] - narayana_moment(k, c)));
    }
    INFO("k " << k << " gaps " << gap[0] << " " << gap[1] << " " << gap[2]);
    CHECK(gap[2] > 0);
    CHECK(gap[0] / gap[1] == Approx(4).epsilon(0.02));
    CHECK(gap[1] / gap[2] == Approx(4).epsilon(0.01));
  }
}

TEST_CASE("token moments: b4 and b5 depend on the weights through s2 = c/T_eff only",
          "[token_moments]") {
  // Observed identities of the recursion (theory §7.4, not derived by hand):
  // b4 = N4(c) + s2^2, b5 = N5(c) + 5 (1 + c) s2^2, s2 = c sum w^4/kappa^2. They
  // hold exactly for any weights, so s3, s4 (which the recursion carries) cancel:
  // a regression guard on the walk skeleton, in exact rationals.
  const std::vector<std::vector<Rational>> weights = {
      {Rational(3, 10), Rational(1, 7), Rational(9, 10), 0, Rational(2, 5)},
      {1, 2, 3},
      {5, 0, 0, 1}};
  for (const auto& w : weights)
    for (auto [delta, gamma] : {std::pair<Rational, Rational>{Rational(1, 2), Rational(1, 2)},
                                {Rational(2, 7), Rational(5, 3)}}) {
      const auto b = token_gram_moments<Rational>(w, delta, gamma, 5);
      const Rational c = gamma / delta;
      Rational kappa = 0, fourth = 0;
      for (const auto& x : w) {
        kappa += x * x;
        fourth += x * x * x * x;
      }
      const Rational s2 = c * fourth / (kappa * kappa);
      CHECK(b[3] == narayana_moment(4, c) + s2 * s2);
      CHECK(b[4] == narayana_moment(5, c) + 5 * (1 + c) * s2 * s2);
    }
}

TEST_CASE("token moments: double and 50-digit MPFR agree, inputs are checked", "[token_moments]") {
  ScopedPrecision prec(50);
  const std::vector<double> wd = last_weights(16, 3.0);
  std::vector<MpReal> wm;
  for (double x : wd) wm.push_back(MpReal(x));
  const auto bd = token_gram_moments<double>(wd, 0.5, 0.5, 8);
  const auto bm = token_gram_moments<MpReal>(wm, MpReal(0.5), MpReal(0.5), 8);
  for (int k = 0; k < 8; ++k) CHECK(bd[k] == Approx(static_cast<double>(bm[k])).epsilon(1e-12));
  CHECK_THROWS_AS(token_gram_moments<double>({0.0, 0.0}, 0.5, 0.5, 4), std::invalid_argument);
  CHECK_THROWS_AS(token_gram_moments<double>({1.0}, -0.5, 0.5, 4), std::invalid_argument);
  CHECK_THROWS_AS(token_gram_moments<double>({1.0, std::nan("")}, 0.5, 0.5, 4),
                  std::invalid_argument);
  CHECK_THROWS_AS(token_gram_moments<double>({1.0, HUGE_VAL}, 0.5, 0.5, 4), std::invalid_argument);
  CHECK_THROWS_AS(token_gram_moments<double>({1.0}, 0.5, HUGE_VAL, 4), std::invalid_argument);
  CHECK_THROWS_AS(token_gram_moments<double>({1.0}, 0.5, 0.5, max_token_moment_order + 1),
                  std::invalid_argument);
}

TEST_CASE("token moments: b4 and b5 against a direct Monte Carlo of the sparse Gram matrix",
          "[token_moments]") {
  // (1/V) tr B^k of the discrete-token pooling matrix (V = N = 4000 for T = 2 mean,
  // 6 draws; V = N = 1000 for last:3 at T = 16, 4 draws) against the exact b_k.
  // Allowance: 4 standard errors over the draws plus the finite-V bias, O(T'^2/V)
  // relative from repeated tokens and short loops (2 % here). Power: the Monte
  // Carlo mean is closer to the exact value than to MP_1's (14, 42). Measured:
  // T = 2: b4 14.56 +- 0.14 (exact 14.25), b5 46.0 +- 0.7 (44.5); last:3: b4
  // 15.36 +- 0.32 (14.86). The sample traces are heavy-tailed (rare high-degree
  // tokens), hence the modest power at this cost.
  struct Case {
    std::vector<double> w;
    int V, draws;
  };
  for (const Case& cs : {Case{{0.5, 0.5}, 4000, 6}, Case{last_weights(16, 3.0), 1000, 4}}) {
    mc::detail::Xoshiro256 rng(20261201);
    std::vector<double> t4, t5;
    for (int i = 0; i < cs.draws; ++i) {
      const auto [a, b] = gram_traces(cs.w, cs.V, cs.V, rng);
      t4.push_back(a);
      t5.push_back(b);
    }
    const auto exact = token_gram_moments<double>(cs.w, 0.5, 0.5, 5);
    const double mp[2] = {14, 42};
    int k = 4;
    for (const auto& v : {t4, t5}) {
      const auto m = mc::mean_and_standard_error(v);
      const double x = exact[static_cast<std::size_t>(k - 1)];
      INFO("T " << cs.w.size() << " k " << k << " Monte Carlo " << m.mean << " +- "
                << m.standard_error << " exact " << x << " MP_1 " << mp[k - 4]);
      CHECK(std::abs(m.mean - x) <= 4 * m.standard_error + 0.02 * x);
      CHECK(std::abs(m.mean - x) < std::abs(m.mean - mp[k - 4]));
      ++k;
    }
  }
}

TEST_CASE("token moments: m4 against the tabulated finite-T law (population dynamics)",
          "[token_moments]") {
  // T = 2 mean pooling, delta = gamma = 1/2: ∫ x^4 of the tabulated density (5
  // replicas, grid to 3x the asymptotic edge) against the exact m4. Allowance:
  // 5 standard errors plus 1 % for the grid and the tail beyond the grid.
  CavitySettings s;
  s.pool = 4096;
  s.replicas = 5;
  const std::vector<double> w = {0.5, 0.5};
  const TokenBulkLaw law(w, 0.5, 0.5, s);
  const TabulatedLaw table(law, 3 * law.asymptotic().right_edge(), 256, 7, 2);
  const auto m = table.moment(4);
  const double exact = token_bulk_moments<double>(w, 0.5, 0.5, 4)[3];
  const double asymptotic = law.asymptotic().moment(4);
  INFO("tabulated " << m.mean << " +- " << m.standard_error << " exact " << exact << " asymptotic "
                    << asymptotic);
  CHECK(std::abs(m.mean - exact) <= 5 * m.standard_error + 0.01 * exact);
}

TEST_CASE("moments --law finite-T: CLI against the library, and its errors", "[token_moments]") {
  // Mean pooling: exact fractions.
  const auto r = run_cli(
      "moments --law finite-T --T 2 --pooling mean --delta 1/2 --gamma 1/2 "
      "--order 5 --format csv");
  REQUIRE(r.exit_code == 0);
  const std::vector<Rational> w(2, Rational(1, 2));
  const auto m = token_bulk_moments<Rational>(w, Rational(1, 2), Rational(1, 2), 5);
  for (int k = 1; k <= 5; ++k) {
    // Row "k,decimal,fraction".
    const auto start = r.out.find("\n" + std::to_string(k) + ",");
    REQUIRE(start != std::string::npos);
    const std::string line = r.out.substr(start + 1, r.out.find('\n', start + 1) - start - 1);
    INFO(r.out << " line " << line << " expected " << rational_to_string(m[k - 1]));
    CHECK(line.substr(line.rfind(',') + 1) == rational_to_string(m[k - 1]));
  }
  // last:3 (irrational weights): certified digits.
  const auto l = run_cli(
      "moments --law finite-T --T 16 --pooling last:3 --delta 1/2 --gamma 1/2 "
      "--order 4 --digits 12 --format csv");
  REQUIRE(l.exit_code == 0);
  const double m4 = token_bulk_moments<double>(last_weights(16, 3.0), 0.5, 0.5, 4)[3];
  const auto pos = l.out.find("\n4,");
  REQUIRE(pos != std::string::npos);
  CHECK(std::stod(l.out.substr(pos + 3)) == Approx(m4).epsilon(1e-11));
  // Bad input: one line naming the option, exit code 2.
  for (const char* bad :
       {"moments --law finite-T --T 2 --pooling mean --delta 1/2 --gamma 1/2 --order 11",
        "moments --law finite-T --T 0 --pooling mean --delta 1/2 --gamma 1/2 --order 4",
        "moments --law finite-T --T 2 --pooling nope --delta 1/2 --gamma 1/2 --order 4",
        "moments --law finite-T --T 2 --delta -1 --gamma 1/2 --order 4",
        "moments --law nope --T 2 --delta 1/2 --gamma 1/2 --order 4"}) {
    const auto e = run_cli(bad);
    INFO(bad << " -> " << e.err);
    CHECK(e.exit_code == 2);
    CHECK(e.out.empty());
    CHECK(std::count(e.err.begin(), e.err.end(), '\n') == 1);
  }
}
