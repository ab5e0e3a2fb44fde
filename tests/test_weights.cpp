// Tests for attnrmt/weights.hpp: causal/last/optimal weights, alpha/kappa, and
// the causal-versus-mean criterion of docs/causal_vs_mean.md.
#include <sys/wait.h>

#include <algorithm>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

#include "attnrmt/precision.hpp"
#include "attnrmt/weights.hpp"
#include "support/cli_runner.hpp"

using namespace attnrmt;
using Big = boost::multiprecision::cpp_bin_float_50;

namespace {

std::string latent_spec(const std::vector<double>& p) {
  std::ostringstream s;
  s.precision(17);
  s << "latent:";
  for (std::size_t i = 0; i < p.size(); ++i) s << (i ? "," : "") << p[i];
  return s.str();
}

double aok(const std::string& pooling, const PositionalCorrelation& c) {
  return evaluate_scheme<double>(PoolingScheme::parse(pooling), c).alpha_over_kappa;
}

// Exact alpha/kappa of weights w for the latent profile p (independent route:
// alpha = (w.p)^2 + sum w_t^2 (1 - p_t^2), no matrix).
Rational latent_aok_exact(const std::vector<Rational>& w, const std::vector<Rational>& p) {
  Rational wp = 0, k = 0, diag = 0;
  for (std::size_t t = 0; t < w.size(); ++t) {
    wp += w[t] * p[t];
    k += w[t] * w[t];
    diag += w[t] * w[t] * (1 - p[t] * p[t]);
  }
  return (wp * wp + diag) / k;
}

}  // namespace

TEST_CASE("harmonic weights are (H_T - H_{s-1})/T, sum to 1", "[weights]") {
  for (int T = 1; T <= 40; ++T) {
    auto exact = harmonic_weights_exact(T);
    Rational sum = 0;
    Rational harmonic_T = 0;
    for (int t = 1; t <= T; ++t) harmonic_T += Rational(1, t);
    Rational harmonic_prev = 0;  // H_{s-1}
    for (int s = 1; s <= T; ++s) {
      REQUIRE(exact[s - 1] == (harmonic_T - harmonic_prev) / T);
      harmonic_prev += Rational(1, s);
      sum += exact[s - 1];
    }
    REQUIRE(sum == 1);
    // The general-tau formula at tau = 0 agrees with the exact rationals.
    auto wd = causal_weights<double>(T, 0.0);
    auto wb = causal_weights<Big>(T, Big(0));
    for (int s = 0; s < T; ++s) {
      REQUIRE(std::abs(wd[s] - exact[s].convert_to<double>()) <= 4e-16);
      REQUIRE(abs(wb[s] - exact[s].convert_to<Big>()) <= Big("1e-48"));
    }
  }
}

TEST_CASE("causal and last-token weights sum to 1 for every tau", "[weights]") {
  for (double tau : {-7.0, -1.5, -0.25, 0.0, 0.3, 2.0, 9.0})
    for (int T : {1, 2, 5, 16, 64}) {
      double s = 0, l = 0;
      for (double x : causal_weights<double>(T, tau)) s += x;
      for (double x : last_token_weights<double>(T, tau)) l += x;
      REQUIRE(s == Approx(1).epsilon(1e-14));
      REQUIRE(l == Approx(1).epsilon(1e-14));
      Big sb = 0;
      for (const Big& x : causal_weights<Big>(T, Big(tau))) sb += x;
      REQUIRE(abs(sb - 1) <= Big("1e-47"));
    }
}

TEST_CASE("weight concentration: closed forms for mean and last-token weights", "[weights]") {
  // Mean pooling: every position carries kappa/T, so T_eff = T exactly.
  for (int T : {1, 2, 7, 64}) {
    auto m = evaluate_scheme<Big>(PoolingScheme::parse("mean"),
                                  PositionalCorrelation::from_spec("identity", T));
    REQUIRE(abs(m.effective_tokens - Big(T)) <= Big("1e-45") * T);
    REQUIRE(abs(m.max_weight_share - Big(1) / T) <= Big("1e-47"));
  }
  // last:tau: w is proportional to (1, ..., 1, e) with e = exp(tau), so
  // kappa ~ T - 1 + e^2, sum w^4 ~ T - 1 + e^4 (independent closed form).
  for (double tau : {-2.0, 0.0, 1.0, 3.0})
    for (int T : {2, 16, 100}) {
      const std::string spec = "last:" + std::to_string(tau);
      auto s = evaluate_scheme<double>(PoolingScheme::parse(spec),
                                       PositionalCorrelation::from_spec("identity", T));
      const double e2 = std::exp(2 * tau), k = T - 1 + e2;
      REQUIRE(s.effective_tokens == Approx(k * k / (T - 1 + e2 * e2)).epsilon(1e-13));
      REQUIRE(s.max_weight_share == Approx(std::max(1.0, e2) / k).epsilon(1e-13));
      REQUIRE(s.effective_tokens >= 1.0);
      REQUIRE(s.effective_tokens <= T * (1 + 1e-13));
    }
  // The example: last:3 at T = 16 puts 96 % of kappa on one token.
  auto l3 = evaluate_scheme<double>(PoolingScheme::parse("last:3"),
                                    PositionalCorrelation::from_spec("identity", 16));
  REQUIRE(l3.max_weight_share == Approx(std::exp(6.0) / (15 + std::exp(6.0))).epsilon(1e-13));
  REQUIRE(l3.max_weight_share > 0.96);
}

TEST_CASE("causal weights: tau -> +inf is mean pooling, tau -> -inf the stated limit",
          "[weights]") {
  for (int T : {1, 2, 3, 7, 20}) {
    auto plus = causal_weights<Big>(T, Big(200));  // corrections O(T e^-200)
    auto minus = causal_weights<Big>(T, Big(-200));
    for (int s = 1; s <= T; ++s) {
      REQUIRE(abs(plus[s - 1] - Big(1) / T) <= Big("1e-45"));
      Big limit = s == 1 ? Big(1) : Big(0);
      for (int t = s + 1; t <= T; ++t) limit += Big(1) / (t - 1);
      limit /= T;
      REQUIRE(abs(minus[s - 1] - limit) <= Big("1e-45"));
    }
  }
  // Last-token readout: tau = 0 is mean pooling, tau -> +inf the last token alone.
  auto last0 = last_token_weights<double>(6, 0.0);
  for (double x : last0) REQUIRE(x == Approx(1.0 / 6).epsilon(1e-15));
  auto last_big = last_token_weights<Big>(6, Big(300));
  REQUIRE(abs(last_big[5] - 1) <= Big("1e-45"));
}

TEST_CASE("issue examples: linear profile at T = 5 and 0.9 exp(-4t/T) at T = 16", "[weights]") {
  // T = 5, p_t = (T - t + 1)/T: exact rationals by the matrix-free formula.
  std::vector<Rational> p5;
  for (int t = 1; t <= 5; ++t) p5.push_back(Rational(5 - t + 1, 5));
  auto c5 = PositionalCorrelation::from_spec("latent:1,0.8,0.6,0.4,0.2", 5);
  Rational causal_exact = latent_aok_exact(harmonic_weights_exact(5), p5);
  Rational mean_exact = latent_aok_exact(std::vector<Rational>(5, Rational(1, 5)), p5);
  REQUIRE(causal_exact == Rational(154747, 69450));  // 2.22817854...
  REQUIRE(mean_exact == Rational(59, 25));           // 2.36
  {
    ScopedPrecision prec(60);
    auto causal = evaluate_scheme<MpReal>(PoolingScheme::parse("causal"), c5);
    auto mean = evaluate_scheme<MpReal>(PoolingScheme::parse("mean"), c5);
    REQUIRE(abs(causal.alpha_over_kappa - to_real<MpReal>(causal_exact)) < MpReal("1e-55"));
    REQUIRE(abs(mean.alpha_over_kappa - to_real<MpReal>(mean_exact)) < MpReal("1e-55"));
    REQUIRE(abs(causal.sigma - 1) < MpReal("1e-55"));
  }
  REQUIRE(aok("causal", c5) < aok("mean", c5));

  // Second route: the profile exactly as written in the spec (17-digit
  // decimals, read as exact rationals) through the matrix-free formula with the
  // exact harmonic and mean weights (about 1.940 for causal, 1.527 for mean).
  std::vector<double> p16;
  for (int t = 1; t <= 16; ++t) p16.push_back(0.9 * std::exp(-4.0 * t / 16));
  const std::string spec16 = latent_spec(p16);
  auto c16 = PositionalCorrelation::from_spec(spec16, 16);
  std::vector<Rational> p16_exact;
  for (const auto& item : detail::split_items(spec16.substr(7)))
    p16_exact.push_back(parse_rational(item, "p"));
  const double causal16 =
      latent_aok_exact(harmonic_weights_exact(16), p16_exact).convert_to<double>();
  const double mean16 =
      latent_aok_exact(std::vector<Rational>(16, Rational(1, 16)), p16_exact).convert_to<double>();
  INFO("causal " << aok("causal", c16) << " mean " << aok("mean", c16));
  REQUIRE(aok("causal", c16) == Approx(causal16).epsilon(1e-13));
  REQUIRE(aok("mean", c16) == Approx(mean16).epsilon(1e-13));
  // docs/theory.md §5 quotes alpha/kappa = 2.550 for "p_t = 0.9 exp(-4t/T)": that
  // value belongs to p_t = 0.9 exp(-4(t-1)/T), i.e. latent-exp:0.9,4. Second
  // route at 40 digits: p_t from exp in MpReal, the matrix-free formula
  // alpha/kappa = ((w.p)^2 + sum w_t^2 (1 - p_t^2))/sum w_t^2 with exact weights.
  auto c16b = PositionalCorrelation::from_spec("latent-exp:0.9,4", 16);
  {
    ScopedPrecision prec(40);
    const auto w = harmonic_weights_exact(16);
    MpReal wp = 0, k = 0, diag = 0;
    for (int t = 1; t <= 16; ++t) {
      const MpReal p = MpReal("0.9") * exp(-MpReal(t - 1) / 4);
      const MpReal wt = to_real<MpReal>(w[t - 1]);
      wp += wt * p;
      k += wt * wt;
      diag += wt * wt * (1 - p * p);
    }
    const double causal16b = static_cast<double>((wp * wp + diag) / k);
    REQUIRE(aok("causal", c16b) == Approx(causal16b).epsilon(1e-13));
    REQUIRE(std::abs(causal16b - 2.550) < 5e-4);  // the value docs/theory.md §5 cites
  }
}

TEST_CASE("optimal alpha/kappa is lambda_max(R) and beats every other scheme", "[weights]") {
  std::mt19937_64 rng(20261125);
  std::normal_distribution<double> gauss;
  for (int trial = 0; trial < 12; ++trial) {
    const int T = 2 + trial % 9;
    const int rank = 1 + trial % 4;
    // A random valid R: the normalised Gram matrix of T random vectors in R^rank.
    Eigen::MatrixXd g(T, rank);
    for (int i = 0; i < T; ++i)
      for (int j = 0; j < rank; ++j) g(i, j) = gauss(rng) + (trial % 2 ? 0.8 : 0.0);
    Eigen::MatrixXd r = g * g.transpose();
    Eigen::VectorXd d = r.diagonal().cwiseSqrt().cwiseInverse();
    r = d.asDiagonal() * r * d.asDiagonal();
    // Write it as exact decimals (the file route) and symmetrise exactly.
    std::ostringstream text;
    text.precision(17);
    for (int i = 0; i < T; ++i) {
      for (int j = 0; j < T; ++j)
        text << (i == j ? 1.0 : std::clamp(r(std::min(i, j), std::max(i, j)), -1.0, 1.0)) << " ";
      text << "\n";
    }
    std::string path = "test_weights_R_" + std::to_string(trial) + ".txt";
    {
      std::ofstream f(path);
      f << text.str();
    }
    PositionalCorrelation c = PositionalCorrelation::from_spec("file:" + path, T);
    std::remove(path.c_str());
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(c.matrix());
    const double lmax = es.eigenvalues()(T - 1);
    auto opt = evaluate_scheme<double>(PoolingScheme::parse("optimal"), c);
    INFO("trial " << trial << " T " << T << " lambda_max " << lmax << " optimal "
                  << opt.alpha_over_kappa << " (" << opt.normalisation << ")");
    REQUIRE(opt.alpha_over_kappa == Approx(lmax).epsilon(1e-13));
    // The Rayleigh quotient of the returned weights is the same number.
    REQUIRE(opt.alpha / opt.kappa == Approx(lmax).epsilon(1e-13));
    for (const char* s : {"mean", "causal", "causal:-2", "causal:1.5", "last", "last:3"})
      REQUIRE(aok(s, c) <= lmax * (1 + 1e-13));
    // Normalisation as documented.
    if (opt.normalisation == "sum 1")
      REQUIRE(opt.sigma == Approx(1).epsilon(1e-14));
    else
      REQUIRE(opt.kappa == Approx(1).epsilon(1e-14));
  }
}

TEST_CASE("top eigenpair at 60 digits: closed form and secular equation", "[weights]") {
  ScopedPrecision prec(60);
  const MpReal tol("1e-55");
  // Constant profile p: R = (1-p^2) I + p^2 11^T, lambda_max = 1 + (T-1) p^2,
  // eigenvector 1 (optimal = mean pooling).
  auto flat = PositionalCorrelation::from_spec("latent:0.7,0.7,0.7,0.7,0.7,0.7,0.7", 7);
  auto opt = evaluate_scheme<MpReal>(PoolingScheme::parse("optimal"), flat);
  REQUIRE(abs(opt.alpha_over_kappa - (1 + 6 * MpReal("0.49"))) < tol);
  for (const auto& w : opt.weights) REQUIRE(abs(w - MpReal(1) / 7) < tol);
  // Latent profile: lambda_max solves the secular equation
  // 1 = sum_t p_t^2 / (lambda - 1 + p_t^2) (rank-one update of a diagonal).
  auto c = PositionalCorrelation::from_spec("latent-exp:0.9,4", 16);
  auto top = c.top_eigenpair<MpReal>();
  auto p = c.profile<MpReal>();
  MpReal secular = 1;
  for (const auto& pt : p) secular -= pt * pt / (top.eigenvalue - 1 + pt * pt);
  INFO("RQI steps " << top.iterations << ", residual " << top.residual);
  REQUIRE(abs(secular) < tol);
  REQUIRE(top.residual < tol);
  // Identity: repeated top eigenvalue; the projection of 1 gives mean pooling.
  auto id = evaluate_scheme<double>(PoolingScheme::parse("optimal"),
                                    PositionalCorrelation::from_spec("identity", 5));
  for (double w : id.weights) REQUIRE(w == Approx(0.2).epsilon(1e-14));
  // Mixed signs (anti-correlated positions): unit-norm normalisation.
  auto alt = evaluate_scheme<double>(PoolingScheme::parse("optimal"),
                                     PositionalCorrelation::from_spec("markov:-0.5", 6));
  REQUIRE(alt.normalisation == "unit norm");
  REQUIRE(alt.kappa == Approx(1).epsilon(1e-14));
}

// docs/causal_vs_mean.md: for a latent profile, alpha/kappa(causal) -
// alpha/kappa(mean) = G - P with the coherent gain G = (what.p)^2 - (ebar.p)^2
// and the concentration penalty P = sum_t (what_t^2 - 1/T) p_t^2.
TEST_CASE("causal vs mean: exact decomposition, scale invariance and the sandwich", "[weights]") {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  int sufficient = 0, gain_negative = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const int T = 2 + trial % 19;
    std::vector<double> p(T);
    for (auto& x : p) x = u(rng);
    std::sort(p.rbegin(), p.rend());  // decreasing profile
    auto c = PositionalCorrelation::from_spec(latent_spec(p), T);
    const double diff = aok("causal", c) - aok("mean", c);
    auto w = causal_weights<double>(T, 0.0);
    double k = 0;
    for (double x : w) k += x * x;
    double wp = 0, ep = 0, pen = 0, plus = 0, pmax = 0;
    for (int t = 0; t < T; ++t) {
      const double what2 = w[t] * w[t] / k;
      wp += w[t] * p[t] / std::sqrt(k);
      ep += p[t] / std::sqrt(double(T));
      pen += (what2 - 1.0 / T) * p[t] * p[t];
      plus += std::max(what2 - 1.0 / T, 0.0);
      pmax = std::max(pmax, std::abs(p[t]));
    }
    const double gain = wp * wp - ep * ep;
    INFO("T " << T << " gain " << gain << " penalty " << pen << " diff " << diff);
    REQUIRE(diff == Approx(gain - pen).margin(1e-12));
    REQUIRE(pen >= -1e-14);  // Chebyshev: decreasing profiles pay a penalty
    if (gain > pmax * pmax * plus) {
      ++sufficient;
      REQUIRE(diff > 0);
    }
    if (gain <= 0) {
      ++gain_negative;
      REQUIRE(diff <= 1e-14);
    }
    // Scale invariance: the sign of the difference ignores the amplitude.
    std::vector<double> half(p);
    for (auto& x : half) x *= 0.5;
    auto c_half = PositionalCorrelation::from_spec(latent_spec(half), T);
    const double diff_half = aok("causal", c_half) - aok("mean", c_half);
    REQUIRE(diff_half == Approx(0.25 * diff).margin(1e-12));
  }
  // Both sides of the sandwich were exercised.
  REQUIRE(sufficient > 50);
  REQUIRE(gain_negative > 10);
  // The sufficient condition is sharp: equality for a step profile on S+.
  const int T = 12;
  auto w = causal_weights<double>(T, 0.0);
  double k = 0;
  for (double x : w) k += x * x;
  std::vector<double> step(T);
  for (int t = 0; t < T; ++t) step[t] = w[t] * w[t] / k > 1.0 / T ? 0.6 : 0.0;
  auto cs = PositionalCorrelation::from_spec(latent_spec(step), T);
  double gain = 0, wp = 0, ep = 0, plus = 0;
  for (int t = 0; t < T; ++t) {
    wp += w[t] * step[t] / std::sqrt(k);
    ep += step[t] / std::sqrt(double(T));
    plus += std::max(w[t] * w[t] / k - 1.0 / T, 0.0);
  }
  gain = wp * wp - ep * ep;
  REQUIRE(aok("causal", cs) - aok("mean", cs) == Approx(gain - 0.36 * plus).margin(1e-13));
}

TEST_CASE("causal vs mean: large-T limit (1/2)(int phi ln(1/x))^2 - (int phi)^2", "[weights]") {
  // Linear shape phi(x) = 1 - x: limit 1/32 > 0, although causal loses for T <= 8.
  // Flat shape phi = 1: limit -1/2 (mean is optimal at every T).
  auto diff_over_T = [](int T, bool linear) {
    std::vector<double> p(T);
    for (int t = 1; t <= T; ++t) p[t - 1] = linear ? double(T - t + 1) / T : 0.8;
    auto c = PositionalCorrelation::from_spec(latent_spec(p), T);
    return (aok("causal", c) - aok("mean", c)) / T;
  };
  REQUIRE(diff_over_T(8, true) < 0);
  REQUIRE(diff_over_T(10, true) > 0);
  const double e200 = std::abs(diff_over_T(200, true) - 1.0 / 32);
  const double e800 = std::abs(diff_over_T(800, true) - 1.0 / 32);
  INFO("linear: |diff/T - 1/32| = " << e200 << " (T=200), " << e800 << " (T=800)");
  REQUIRE(e200 < 5e-4);
  REQUIRE(e800 < 4e-4);
  // Larger T by the matrix-free latent formula (O(T)): the error keeps shrinking
  // (corrections O(log T / T) of both signs: 3.8e-4, 3.3e-4, 1.4e-4, 5.0e-5 at
  // T = 200, 800, 3200, 12800).
  for (auto [T, bound] : {std::pair<int, double>{3200, 2e-4}, {12800, 7e-5}}) {
    auto w = causal_weights<double>(T, 0.0);
    double k = 0, wp = 0, wp2 = 0, sp = 0, sp2 = 0;
    for (int t = 1; t <= T; ++t) {
      const double p = double(T - t + 1) / T, x = w[t - 1];
      k += x * x;
      wp += x * p;
      wp2 += x * x * p * p;
      sp += p;
      sp2 += p * p;
    }
    const double diff = (wp * wp - wp2) / k - (sp * sp - sp2) / T;
    INFO("T " << T << " |diff/T - 1/32| = " << std::abs(diff / T - 1.0 / 32));
    REQUIRE(std::abs(diff / T - 1.0 / 32) < bound);
  }
  // Flat profile with amplitude 0.8: the limit scales with the amplitude^2.
  REQUIRE(diff_over_T(800, false) == Approx(-0.5 * 0.64).epsilon(0.02));
}

TEST_CASE("pooling spec errors name the offending value", "[weights]") {
  auto c = PositionalCorrelation::from_spec("identity", 4);
  auto message = [&](const std::string& spec) {
    try {
      evaluate_scheme<double>(PoolingScheme::parse(spec), c);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  REQUIRE_THAT(message("harmonic"), Catch::Contains("pooling must be"));
  REQUIRE_THAT(message("causal:x"), Catch::Contains("tau"));
  REQUIRE_THAT(message("causal:20000"), Catch::Contains("[-10000, 10000]"));
  REQUIRE_THAT(message("file:/nonexistent/w.txt"), Catch::Contains("cannot open"));
  {
    std::ofstream f("test_weights_w3.txt");
    f << "0.5, 0.3, 0.2\n";
  }
  REQUIRE_THAT(message("file:test_weights_w3.txt"), Catch::Contains("holds 3 weights but T is 4"));
  std::remove("test_weights_w3.txt");
}

namespace {
// Runs the built CLI (tests/support/cli_runner.hpp); returns stdout, sets the exit status.
std::string run_cli(const std::string& args, int& status) {
  const attnrmt_test::CliResult r = attnrmt_test::run_cli(args);
  status = r.exit_code;
  return r.out;
}
}  // namespace

TEST_CASE("CLI compare and weights agree with the library and the spike formulas", "[weights]") {
  int status = 0;
  std::string out =
      run_cli("compare --T 16 --corr latent-exp:0.9,4 --delta 1/2 --gamma 1/2 --rho 1 --format csv",
              status);
  REQUIRE(status == 0);
  // docs/theory.md §5: harmonic weights, alpha/kappa = 2.550, lambda/kappa = 5.724, A_mu = 0.506.
  REQUIRE_THAT(
      out, Catch::Contains("causal,2.550069510612,detectable,5.72364383227824,0.506121836604506"));
  REQUIRE_THAT(out, Catch::Contains("mean,1.86848666927232,detectable"));
  out = run_cli("weights --T 4 --pooling causal --show-weights --format csv --digits 20", status);
  REQUIRE(status == 0);
  // (H_4 - H_{s-1})/4 = 25/48, 13/48, 7/48, 3/48.
  REQUIRE_THAT(out, Catch::Contains("1,0.52083333333333333333"));
  REQUIRE_THAT(out, Catch::Contains("4,0.0625"));
  // Uncentred mean pooling, T = 32: vocabulary-mean outlier 17.58 kappa (docs/theory.md §5).
  out = run_cli(
      "outlier --delta 1/2 --gamma 1/2 --rho 0 --T 32 --pooling mean --uncentred --format csv",
      status);
  REQUIRE(status == 0);
  REQUIRE_THAT(out, Catch::Contains(",0.54942767950052"));  // 17.5817 / 32
  run_cli("weights --T 3 --pooling mean --corr markov:2", status);
  REQUIRE(status == 2);
  run_cli("outlier --delta 1/2 --gamma 1/2 --alpha-over-kappa 2 --T 3 --pooling mean", status);
  REQUIRE(status == 2);
}

TEST_CASE("causal vs mean: exponential shapes switch at c* = 1.5772 for large T", "[weights]") {
  // phi(x) = exp(-c x), i.e. latent-exp:1,T/c. Limit D(c) = (1/2) a(c)^2 - b(c)^2 with
  // b = (1 - e^-c)/c and a = int_0^1 e^{-cx} ln(1/x) dx = (1/c) sum_k (-1)^{k+1} c^k/(k k!).
  auto limit = [](double c) {
    double a = 0, term = 1;
    for (int k = 1; k < 60; ++k) {
      term *= c / k;  // c^k / k!
      a += (k % 2 ? 1 : -1) * term / k;
    }
    a /= c;
    const double b = (1 - std::exp(-c)) / c;
    return 0.5 * a * a - b * b;
  };
  REQUIRE(limit(1.5771896) * limit(1.5771897) < 0);  // c* brackets
  const int T = 800;
  for (auto [c, spec] : {std::pair<double, std::string>{1.3, "latent-exp:1,8000/13"},
                         {2.0, "latent-exp:1,400"},
                         {4.0, "latent-exp:1,200"}}) {
    auto corr = PositionalCorrelation::from_spec(spec, T);
    const double d = (aok("causal", corr) - aok("mean", corr)) / T;
    INFO("c = " << c << ": diff/T = " << d << ", limit " << limit(c));
    REQUIRE(d == Approx(limit(c)).margin(2e-3));
    REQUIRE((d > 0) == (c > 1.5772));
  }
}
