// tests/test_monte_carlo.cpp -- the Monte Carlo validator at small sizes (seconds).
//
// Each test states what it compares: closed forms (MP moments of the bidiagonal
// model, KS distance of exact quantiles), the theory of THEORY.md §3 within
// 3 standard errors plus the finite-size allowance, two routes to the same
// replicate (dense against matrix-free), and reproducibility across threads.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "attnrmt/monte_carlo.hpp"

using namespace attnrmt;

namespace {

/// Latent-label sampler written here, independently of correlation.hpp:
/// sequence label c = +-1, position t has class c with probability (1+p_t)/2.
struct LatentLabel {
  std::vector<double> p;
  void operator()(std::mt19937_64& rng, std::vector<int>& classes) const {
    std::uniform_real_distribution<double> u(0, 1);
    const int c = u(rng) < 0.5 ? 1 : -1;
    classes.resize(p.size());
    for (std::size_t t = 0; t < p.size(); ++t) classes[t] = u(rng) < (1 + p[t]) / 2 ? c : -c;
  }
  /// R = p p^T + diag(1 - p^2).
  double rayleigh(const std::vector<double>& w) const {
    double pw = 0, ww = 0, diag = 0;
    for (std::size_t t = 0; t < p.size(); ++t) {
      pw += p[t] * w[t];
      ww += w[t] * w[t];
      diag += (1 - p[t] * p[t]) * w[t] * w[t];
    }
    return (pw * pw + diag) / ww;
  }
};

/// Harmonic (causal tau = 0) weights w_s = (H_T - H_{s-1})/T, THEORY.md §4.
std::vector<double> harmonic_weights(int T) {
  std::vector<double> w(T);
  for (int s = 1; s <= T; ++s) {
    double h = 0;
    for (int t = s; t <= T; ++t) h += 1.0 / t;
    w[s - 1] = h / T;
  }
  return w;
}

mc::Config tokens_config(long d, int T) {
  LatentLabel latent;
  for (int t = 1; t <= T; ++t) latent.p.push_back(0.9 * std::exp(-4.0 * (t - 1) / T));
  mc::Config c;
  c.model = mc::Model::tokens;
  c.d = d;
  c.weights = harmonic_weights(T);
  c.alpha_over_kappa = latent.rayleigh(c.weights);
  c.sample_classes = latent;
  c.threads = 2;
  return c;
}

std::vector<mc::QuantityReport> run(const mc::Config& c, int seeds, std::uint64_t seed) {
  return mc::simulate_and_compare(c, seeds, seed);
}

const mc::QuantityReport& row(const std::vector<mc::QuantityReport>& rows,
                              const std::string& name) {
  return mc::find_report(rows, name);
}

void print(const std::string& title, const std::vector<mc::QuantityReport>& rows) {
  std::printf("%s\n", title.c_str());
  for (const auto& r : rows)
    std::printf("  %-18s theory %-10.6g mean %-10.6g stderr %-9.3g tol %-9.3g %s\n",
                r.quantity.c_str(), r.theory, r.mean, r.stderr_, r.tolerance,
                r.available ? (r.pass ? "pass" : "FAIL") : "n/a");
}

int run_cli(const std::string& args, std::string& out) {
  // A file of its own: ctest runs test cases in parallel processes.
  static int counter = 0;
  const std::string file =
      "mc_cli_out_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + ".txt";
  std::string cmd = std::string(ATTNRMT_CLI) + " " + args + " >" + file + " 2>&1";
  int status = std::system(cmd.c_str());
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  std::remove(file.c_str());
  return WEXITSTATUS(status);
}

}  // namespace

TEST_CASE("bidiagonal model: squared singular values of a Gaussian m x n matrix",
          "[monte_carlo][unit]") {
  // Sum of squared singular values = ||Z||_F^2 ~ chi^2_{mn}: mean mn, sd sqrt(2mn).
  // Largest squared singular value / n -> (1 + sqrt(m/n))^2 (MP edge), here m/n = 1/2.
  const long m = 300, n = 600;
  double sum = 0, top = 0;
  const int draws = 8;
  for (int k = 0; k < draws; ++k) {
    auto s = mc::detail::gaussian_singular_values(m, n, m, 1000 + k);
    sum += s.squaredNorm();
    top += s.maxCoeff() * s.maxCoeff() / n;
  }
  const double mean = sum / draws, expected = double(m) * n, sd = std::sqrt(2.0 * m * n / draws);
  std::printf(
      "bidiagonal: mean ||Z||_F^2 = %.1f, expected %.1f (sd of mean %.1f); top/n = %.4f, edge "
      "%.4f\n",
      mean, expected, sd, top / draws, std::pow(1 + std::sqrt(0.5), 2));
  CHECK(std::abs(mean - expected) < 4 * sd);
  CHECK(std::abs(top / draws - std::pow(1 + std::sqrt(0.5), 2)) < 0.1);
  // Wide case (m > n): n nonzero values, the rest exactly zero.
  auto s = mc::detail::gaussian_singular_values(50, 20, 50, 7);
  CHECK(s[19] > 0);
  CHECK(s[20] == 0);
}

TEST_CASE("Kolmogorov distance of exact quantiles is 1/(2n)", "[monte_carlo][unit]") {
  BulkLaw<double> law(0.5, 0.5);
  const int n = 200;
  std::vector<double> x;
  for (int i = 0; i < n; ++i) x.push_back(law.quantile((i + 0.5) / n));
  CHECK(mc::kolmogorov_distance(x, law, 1e-12) == Approx(0.5 / n).epsilon(1e-6));
  // With an atom (delta = 2: mass 1/2 at 0): zeros are counted in the atom.
  BulkLaw<double> atom_law(2.0, 0.5);
  std::vector<double> y(n / 2, 0.0);
  for (int i = n / 2; i < n; ++i) y.push_back(atom_law.quantile((i + 0.5) / n));
  CHECK(mc::kolmogorov_distance(y, atom_law, 1e-12) == Approx(0.5 / n).epsilon(1e-6));
}

TEST_CASE("gaussian model above tau2 agrees with THEORY.md §3", "[monte_carlo][unit]") {
  mc::Config c;
  c.d = 400;
  c.alpha_over_kappa = 3;  // tau2 = 1.187 at delta = gamma = 1/2
  c.threads = 2;
  auto rows = run(c, 4, 11);
  print("gaussian d=400 alpha/kappa=3, 4 seeds", rows);
  CHECK(row(rows, "top_eigenvalue").theory == Approx(6.328).epsilon(1e-3));  // THEORY.md §5
  for (const auto& r : rows) CHECK(r.pass);
}

TEST_CASE("gaussian model below tau2: top eigenvalue at the edge, small alignment",
          "[monte_carlo][unit]") {
  mc::Config c;
  c.d = 400;
  c.alpha_over_kappa = 1.0;  // between tau1 = 0.805 and tau2 = 1.187: table-only
  c.threads = 2;
  auto p = mc::predict(c);
  CHECK(p.regime == Regime::table_only);
  auto rows = run(c, 4, 12);
  print("gaussian d=400 alpha/kappa=1 (table-only), 4 seeds", rows);
  CHECK(row(rows, "top_eigenvalue").theory ==
        Approx((71 + 17 * std::sqrt(17.0)) / 32).epsilon(1e-12));
  CHECK(row(rows, "top_eigenvalue").pass);
  CHECK(row(rows, "alignment_u").mean < 0.1);
  for (const auto& r : rows) CHECK(r.pass);
}

TEST_CASE("uncentred: the vocabulary-mean outlier of THEORY.md §3", "[monte_carlo][unit]") {
  // Mean pooling T = 32: sigma^2/kappa = 32; THEORY.md §5 predicts 17.58.
  mc::Config c;
  c.d = 400;
  c.rho = 0;
  c.centered = false;
  c.mean_strength = 32;
  c.threads = 2;
  auto p = mc::predict(c);
  CHECK(p.top == Approx(17.58).epsilon(1e-3));
  auto rows = run(c, 3, 13);
  print("gaussian uncentred M=32 d=400, 3 seeds", rows);
  for (const auto& r : rows) CHECK(r.pass);
  // Its eigenvector is the mean direction Z 1/V.
  auto r = mc::simulate_replicate(c, 13, 0);
  CHECK(r.alignment_mean[0] > 0.8);
  // Centring removes it.
  c.centered = true;
  auto rc = mc::simulate_replicate(c, 13, 0);
  std::printf("uncentred top %.4f (mean alignment %.3f); centred top %.4f\n", r.top_eigenvalues[0],
              r.alignment_mean[0], rc.top_eigenvalues[0]);
  CHECK(rc.top_eigenvalues[0] < 5.0);
}

TEST_CASE("tokens model T = 16, harmonic weights, latent-exp profile agrees",
          "[monte_carlo][unit]") {
  mc::Config c = tokens_config(400, 16);
  CHECK(c.alpha_over_kappa == Approx(2.550).epsilon(1e-3));  // THEORY.md §5
  auto rows = run(c, 3, 14);
  print("tokens d=400 T=16 harmonic latent 0.9 exp(-4(t-1)/T), 3 seeds", rows);
  CHECK(row(rows, "top_eigenvalue").theory == Approx(5.724).epsilon(1e-3));
  for (const auto& r : rows) CHECK(r.pass);
}

TEST_CASE("dense and matrix-free solvers agree on the same draws", "[monte_carlo][unit]") {
  for (auto model : {mc::Model::gaussian, mc::Model::tokens}) {
    mc::Config c = tokens_config(300, 8);
    c.model = model;
    c.alpha_over_kappa = model == mc::Model::gaussian ? 2.0 : c.alpha_over_kappa;
    c.solver = mc::Solver::dense;
    auto a = mc::simulate_replicate(c, 21, 0);
    c.solver = mc::Solver::lanczos;
    auto b = mc::simulate_replicate(c, 21, 0);
    REQUIRE(!b.full_spectrum);
    // The matrix-free path stores the random matrix in single precision:
    // relative perturbation ~1e-7 per entry.
    for (int k = 0; k < 2; ++k) {
      std::printf("model %d: eigenvalue %d dense %.9f lanczos %.9f\n", int(model), k,
                  a.top_eigenvalues[k], b.top_eigenvalues[k]);
      CHECK(b.top_eigenvalues[k] == Approx(a.top_eigenvalues[k]).epsilon(1e-5));
    }
    CHECK(b.alignment_u[0] == Approx(a.alignment_u[0]).epsilon(1e-4));
    CHECK(a.eigenvalues.back() == Approx(a.top_eigenvalues[0]).epsilon(1e-10));
  }
}

TEST_CASE("same seed: identical for the same thread count, 1e-10 across thread counts",
          "[monte_carlo][unit]") {
  for (auto solver : {mc::Solver::dense, mc::Solver::lanczos}) {
    for (auto model : {mc::Model::gaussian, mc::Model::tokens}) {
      mc::Config c = tokens_config(256, 8);
      c.model = model;
      c.solver = solver;
      c.threads = 2;
      auto a = mc::simulate_replicate(c, 99, 3);
      auto b = mc::simulate_replicate(c, 99, 3);
      c.threads = 1;
      auto one = mc::simulate_replicate(c, 99, 3);
      REQUIRE(a.eigenvalues.size() == b.eigenvalues.size());
      CHECK(a.eigenvalues == b.eigenvalues);
      CHECK(a.alignment_u == b.alignment_u);
      double worst = 0;
      for (std::size_t i = 0; i < a.eigenvalues.size(); ++i)
        worst =
            std::max(worst, std::abs(a.eigenvalues[i] - one.eigenvalues[i]) / a.eigenvalues.back());
      worst = std::max(worst, std::abs(a.alignment_u[0] - one.alignment_u[0]));
      std::printf("solver %d model %d: max relative difference 1 vs 2 threads %.2e\n", int(solver),
                  int(model), worst);
      CHECK(worst < 1e-10);
      auto other = mc::simulate_replicate(c, 100, 3);
      CHECK(other.top_eigenvalues[0] != one.top_eigenvalues[0]);
    }
  }
}

TEST_CASE("a run that does not fit in memory is refused before allocating", "[monte_carlo][unit]") {
  mc::Config c;
  c.d = 300000;
  c.alpha_over_kappa = 2;
  c.solver = mc::Solver::dense;
  CHECK_THROWS_WITH(mc::simulate_replicate(c, 1, 0), Catch::Contains("GiB of memory is available"));
  CHECK_THROWS_AS(mc::simulate_replicate(c, 1, 0), std::invalid_argument);
}

TEST_CASE("validate command: csv columns, exit codes", "[monte_carlo][unit]") {
  std::string out;
  int code = run_cli(
      "validate --delta 1/2 --gamma 1/2 --alpha-over-kappa 3 --d 300 --seeds 3 --quiet --format "
      "csv",
      out);
  INFO(out);
  CHECK(code == 0);
  CHECK(out.find("quantity,theory,empirical_mean,empirical_stderr,verdict\n") != std::string::npos);
  CHECK(out.find("\ntop_eigenvalue,6.32") != std::string::npos);
  for (const char* q : {"second_eigenvalue", "alignment_mu", "alignment_u", "bulk_ks", "moment_4"})
    CHECK(out.find(std::string("\n") + q + ",") != std::string::npos);
  CHECK(run_cli("validate --delta 1/2 --gamma 1/2 --alpha-over-kappa 3 --d 1 --quiet", out) == 2);
  CHECK(run_cli("validate --delta -1 --gamma 1/2 --alpha-over-kappa 3 --quiet", out) == 2);
  CHECK(run_cli("validate --delta 1/2 --gamma 1/2 --model nope --alpha-over-kappa 1 --quiet",
                out) == 2);
  CHECK(run_cli("validate --delta 1/2 --gamma 1/2 --model tokens --quiet", out) == 2);
}

TEST_CASE("tokens T = 1: the bulk is not MP_delta ⊠ MP_gamma and the report says so",
          "[monte_carlo][unit]") {
  // THEORY.md §1: at T = 1 token counts are Poisson, the bulk differs and its
  // support is unbounded. The Kolmogorov distance stays ~0.04 at every d
  // (docs/monte_carlo.md), far above the Gaussian model's ~4/d.
  mc::Config c = tokens_config(400, 1);
  c.rho = 0;
  auto rows = run(c, 2, 15);
  print("tokens d=400 T=1 no signal, 2 seeds", rows);
  CHECK(row(rows, "bulk_ks").mean > 0.03);
  CHECK(!row(rows, "bulk_ks").pass);
  mc::Config g = c;
  g.model = mc::Model::gaussian;
  auto grows = run(g, 2, 15);
  CHECK(row(grows, "bulk_ks").mean < 0.015);
  CHECK(row(grows, "bulk_ks").pass);
}

TEST_CASE("validate --from-table: row-by-row agreement with tabulated values",
          "[monte_carlo][unit]") {
  // A table in the format of `attnrmt table` (comments, header, exact values);
  // row 2 carries a wrong lambda (8 instead of 6.328125 = 4.5 * 5 * 4.5 / 16).
  const std::string path = "mc_from_table_" + std::to_string(getpid()) + ".csv";
  {
    std::ofstream f(path);
    f << "# generator: attnrmt table\n"
         "delta,gamma,rho,kappa,alpha_over_kappa,regime,lambda,alignment_mu,alignment_u\n"
         "0.5,0.5,1,1,3,detectable,6.328125,0.54166666666666666667,0.8125\n"
         "1/2,1/2,1,1,3,detectable,8,0.54166666666666666667,0.8125\n";
  }
  std::string out;
  const std::string base =
      "validate --from-table " + path + " --d 300 --seeds 3 --quiet --format csv";
  CHECK(run_cli(base + " --rows 1", out) == 0);
  INFO(out);
  CHECK(out.find("1,0.5,0.5,1,3,lambda/kappa,6.328125,") != std::string::npos);
  CHECK(run_cli(base + " --rows 1,2", out) == 1);
  CHECK(out.find("2,1/2,1/2,1,3,lambda/kappa,8,") != std::string::npos);
  CHECK(out.find(",fail\n") != std::string::npos);
  CHECK(run_cli(base + " --rows 3", out) == 2);  // no such row
  std::remove(path.c_str());
}

TEST_CASE("ziggurat normals: moments and Kolmogorov distance to the normal CDF",
          "[monte_carlo][unit]") {
  // 1e6 draws: the mean, variance and 4th moment within 4 standard errors of
  // 0, 1, 3, and sqrt(n) KS below 1.63 (the 1% point of the Kolmogorov law).
  const long n = 1000000;
  mc::detail::NormalSource normal(2024);
  std::vector<double> v(n);
  double s1 = 0, s2 = 0, s4 = 0;
  for (auto& x : v) {
    x = normal();
    s1 += x;
    s2 += x * x;
    s4 += x * x * x * x;
  }
  std::sort(v.begin(), v.end());
  double ks = 0;
  for (long i = 0; i < n; ++i) {
    const double F = 0.5 * std::erfc(-v[i] / std::sqrt(2.0));
    ks = std::max({ks, double(i + 1) / n - F, F - double(i) / n});
  }
  std::printf("ziggurat: mean %.2e var %.5f m4 %.4f sqrt(n) KS %.3f\n", s1 / n, s2 / n, s4 / n,
              ks * std::sqrt(double(n)));
  CHECK(std::abs(s1 / n) < 4 * std::sqrt(1.0 / n));
  CHECK(std::abs(s2 / n - 1) < 4 * std::sqrt(2.0 / n));
  CHECK(std::abs(s4 / n - 3) < 4 * std::sqrt(96.0 / n));
  CHECK(ks * std::sqrt(double(n)) < 1.63);
}

TEST_CASE("validate command: same --seed, same results for any --threads", "[monte_carlo][unit]") {
  // The results (not the '#' timing notes) must be identical text.
  auto results = [](const std::string& out) {
    std::stringstream in(out), kept;
    std::string line;
    while (std::getline(in, line))
      if (!line.empty() && line[0] != '#') kept << line << "\n";
    return kept.str();
  };
  const std::string base =
      "validate --model tokens --delta 1/2 --gamma 1/2 --T 8 --pooling causal --corr "
      "latent-exp:0.9,2 --d 200 "
      "--seeds 2 --seed 77 --quiet --format csv";
  std::string a, b, one, other;
  REQUIRE(run_cli(base + " --threads 2", a) == 0);
  REQUIRE(run_cli(base + " --threads 2", b) == 0);
  REQUIRE(run_cli(base + " --threads 1", one) == 0);
  run_cli(base + " --threads 1 --seed 78", other);
  INFO(a);
  CHECK(results(a) == results(b));
  CHECK(results(a) == results(one));
  CHECK(results(a) != results(other));
}

TEST_CASE("one replicate gives no verdict", "[monte_carlo][unit]") {
  mc::Config c;
  c.d = 200;
  c.alpha_over_kappa = 3;
  auto rows = run(c, 1, 5);
  for (const auto& r : rows) {
    CHECK(!r.judged);
    CHECK(r.pass);
  }
  std::string out;
  CHECK(run_cli("validate --delta 1/2 --gamma 1/2 --alpha-over-kappa 3 --d 200 --seeds 1 --quiet "
                "--format csv",
                out) == 0);
  CHECK(out.find("\ntop_eigenvalue,6.328125,") != std::string::npos);
  CHECK(out.find(",n/a\n") != std::string::npos);
  CHECK(out.find(",pass\n") == std::string::npos);
}
