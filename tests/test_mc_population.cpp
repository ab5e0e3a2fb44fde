// tests/test_mc_population.cpp -- the Monte Carlo validator with a population
// spectrum H (mc/population.hpp, `validate --population`): the realisation of
// Sigma, the covariance of the population draws, H = delta_1 against the
// isotropic model, the interior eigenvector and the CLI's option handling.
// The Monte Carlo runs at d = 1000-1500 for docs/theory.md §6's example laws
// are in tests/slow/test_mc_population_slow.cpp.
#include <Eigen/Dense>
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "attnrmt/monte_carlo.hpp"
#include "attnrmt/population.hpp"
#include "support/cli_runner.hpp"

using namespace attnrmt;
using attnrmt_test::run_cli;

namespace {

PopulationSpec two_atoms() {
  return PopulationSpec::from_atoms({Rational(1, 2), Rational(3, 2)}, {Rational(1), Rational(1)});
}

PopulationSpec three_atoms() {
  return PopulationSpec::from_atoms({Rational(1, 10), Rational(1), Rational(10)},
                                    {Rational(1, 2), Rational(9, 20), Rational(1, 20)});
}

}  // namespace

TEST_CASE("realised population: largest-remainder counts, ascending Sigma, signal coordinate",
          "[mc][population]") {
  // d = 7, weights 1/2, 9/20, 1/20: d h = 3.5, 3.15, 0.35 -> floors 3, 3, 0; the one
  // remaining coordinate goes to the largest remainder (0.5, the first atom).
  auto r = mc::realise_population(three_atoms(), 7);
  REQUIRE(r.counts == std::vector<long>{4, 3});
  REQUIRE(r.sigma == std::vector<double>{0.1, 0.1, 0.1, 0.1, 1, 1, 1});
  REQUIRE(r.spec.atoms.size() == 2);  // the atom 10 gets no coordinate and is dropped
  REQUIRE(r.spec.weights[0] == Rational(4, 7));
  REQUIRE(r.signal_index == -1);
  auto big = mc::realise_population(three_atoms(), 1500);
  REQUIRE(big.counts == std::vector<long>{750, 675, 75});
  PopulationSpec ev = two_atoms();
  ev.signal.eigenvector = true;
  ev.signal.eigenvalue = Rational(3, 2);
  auto re = mc::realise_population(ev, 10);
  REQUIRE(re.signal_index == 5);
  REQUIRE(re.sigma[5] == 1.5);
  REQUIRE(re.sigma[4] == 0.5);
  PopulationSpec ev10 = three_atoms();
  ev10.signal.eigenvector = true;
  ev10.signal.eigenvalue = Rational(10);
  REQUIRE_THROWS_AS(mc::realise_population(ev10, 7), std::invalid_argument);
}

TEST_CASE("population draws: the noise factor's A A^T has mean Sigma (V-2)/V (both branches)",
          "[mc][population]") {
  // W = Sigma^{1/2} Z' Z'^T Sigma^{1/2} / V with Z' Gaussian d x (V-2): entry (i, j)
  // has mean sigma_i (V-2)/V on the diagonal, 0 off it, variance
  // sigma_i sigma_j (V-2)(1 + [i = j]) / V^2. Averaged over R replicates the
  // tolerance is 5 standard deviations of the mean. Bartlett branch (V - 2 >= d)
  // and the explicit branch (V - 2 < d).
  const std::vector<double> sigma = {0.5, 0.5, 1.5, 1.5, 3.0};
  const long d = static_cast<long>(sigma.size());
  for (long V : {long{200}, long{4}}) {
    const int R = 400;
    Eigen::MatrixXd mean = Eigen::MatrixXd::Zero(d, d);
    for (int rep = 0; rep < R; ++rep) {
      Eigen::MatrixXd A =
          mc::detail::population_noise_factor(sigma, V, 7, static_cast<std::uint64_t>(rep), 1);
      REQUIRE(A.rows() == d);
      REQUIRE(A.cols() == std::min(d, V - 2));
      mean += A * A.transpose() / R;
    }
    const double n = static_cast<double>(V - 2), Vd = static_cast<double>(V);
    for (long i = 0; i < d; ++i)
      for (long j = 0; j < d; ++j) {
        const double expect = i == j ? sigma[i] * n / Vd : 0.0;
        const double sd = std::sqrt(sigma[i] * sigma[j] * n * (i == j ? 2 : 1) / (Vd * Vd) / R);
        INFO("V = " << V << ", entry " << i << "," << j << ": " << mean(i, j) << " vs " << expect);
        CHECK(std::abs(mean(i, j) - expect) <= 5 * sd);
      }
  }
}

TEST_CASE("population draws: sample covariance of Sigma^{1/2} Z (tokens table) against Sigma",
          "[mc][population]") {
  // The tokens model's table columns minus y_v mu are Sigma^{1/2} z_v; their
  // sample covariance over V columns has entries with standard deviation
  // sqrt(sigma_i sigma_j (1 + [i = j]) / V); tolerance 5 of them.
  mc::Config c;
  c.model = mc::Model::tokens;
  c.d = 4;
  c.delta = 4.0 / 8000;
  c.gamma = 1;
  c.rho = 1;
  c.weights = {1.0};
  c.sample_classes = [](mc::RandomEngine&, std::vector<int>& cls) { cls.assign(1, 1); };
  c.population =
      PopulationSpec::from_atoms({Rational(1, 4), Rational(2)}, {Rational(1), Rational(1)});
  const auto s = mc::realised_sizes(c);
  Eigen::MatrixXd E(c.d, s.V);
  auto dr = mc::detail::draw_tokens(c, s, 3, 0,
                                    [&E](long v, const Eigen::VectorXd& col) { E.col(v) = col; });
  REQUIRE(std::abs(dr.mu.squaredNorm() - 1) < 1e-12);
  const long v_plus = s.V / 2;
  for (long v = 0; v < s.V; ++v) E.col(v) -= (v < v_plus ? 1.0 : -1.0) * dr.mu;
  const Eigen::MatrixXd cov = E * E.transpose() / static_cast<double>(s.V);
  const std::vector<double> sigma = {0.25, 0.25, 2, 2};
  for (long i = 0; i < c.d; ++i)
    for (long j = 0; j < c.d; ++j) {
      const double expect = i == j ? sigma[i] : 0.0;
      const double sd =
          std::sqrt(sigma[i] * sigma[j] * (i == j ? 2 : 1) / static_cast<double>(s.V));
      INFO("entry " << i << "," << j << ": " << cov(i, j) << " vs " << expect);
      CHECK(std::abs(cov(i, j) - expect) <= 5 * sd);
    }
}

TEST_CASE("population H = delta_1: the prediction and the draws' statistics are the isotropic ones",
          "[mc][population]") {
  mc::Config iso;
  iso.d = 200;
  iso.delta = 0.5;
  iso.gamma = 0.5;
  iso.alpha_over_kappa = 2;
  iso.threads = 1;
  mc::Config pop = iso;
  pop.population = PopulationSpec::from_atoms({Rational(1)}, {Rational(1)});
  // Second route to the theory: general_spike at H = delta_1 against spike.hpp.
  const auto pi = mc::predict(iso), pp = mc::predict(pop);
  REQUIRE(pp.population);
  CHECK(pp.top == Approx(pi.top).epsilon(1e-10));
  CHECK(pp.second == Approx(pi.second).epsilon(1e-10));
  CHECK(pp.alignment_mu == Approx(pi.alignment_mu).epsilon(1e-9));
  CHECK(pp.alignment_u == Approx(pi.alignment_u).epsilon(1e-9));
  for (int k = 0; k < 4; ++k) CHECK(pp.moments[k] == Approx(pi.moments[k]).epsilon(1e-12));
  CHECK(pp.gaps.empty());
  // Draws: different random representations of the same law; each mean over 8
  // replicates agrees within 4 combined standard errors.
  const int S = 8;
  std::vector<mc::Measurement> mi, mp;
  for (int s = 0; s < S; ++s) {
    mi.push_back(mc::measure(mc::simulate_replicate(iso, 11, s), pi));
    mp.push_back(mc::measure(mc::simulate_replicate(pop, 11, s), pp));
    // The incremental CDF of the general law gives the closed-form law's distance.
    auto r = mc::simulate_replicate(pop, 11, s);
    std::vector<double> bulk(r.eigenvalues.begin(), r.eigenvalues.end() - 1);
    CHECK(mc::kolmogorov_distance(bulk, pp.population->law, 1e-9) ==
          Approx(mc::kolmogorov_distance(bulk, pi.law, 1e-9)).margin(1e-9));
  }
  auto stat = [](const std::vector<mc::Measurement>& ms, auto get) {
    std::vector<double> v;
    for (const auto& m : ms) v.push_back(get(m));
    return mc::mean_and_standard_error(v);
  };
  auto agree = [&](auto get, const char* what) {
    auto a = stat(mi, get), b = stat(mp, get);
    const double se = std::hypot(a.standard_error, b.standard_error);
    INFO(what << ": isotropic " << a.mean << " +- " << a.standard_error << ", population " << b.mean
              << " +- " << b.standard_error);
    CHECK(std::abs(a.mean - b.mean) <= 4 * se);
  };
  agree([](const mc::Measurement& m) { return m.top; }, "top");
  agree([](const mc::Measurement& m) { return m.second; }, "second");
  agree([](const mc::Measurement& m) { return m.alignment_mu; }, "alignment_mu");
  agree([](const mc::Measurement& m) { return m.alignment_u; }, "alignment_u");
  agree([](const mc::Measurement& m) { return m.bulk_ks; }, "bulk_ks");
  agree([](const mc::Measurement& m) { return m.moments[1]; }, "moment_2");
}

TEST_CASE("interior eigenvector by inverse iteration matches the full eigensolver",
          "[mc][population]") {
  const long d = 60;
  Eigen::VectorXd g = mc::detail::gaussian_vector(d * d, 5);
  Eigen::MatrixXd B = Eigen::Map<Eigen::MatrixXd>(g.data(), d, d);
  Eigen::MatrixXd C = B * B.transpose() / static_cast<double>(d);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(C);
  for (long k : {long{0}, long{17}, long{30}, d - 1}) {
    const double lam = es.eigenvalues()[k];
    double sep = 1e300;
    if (k > 0) sep = std::min(sep, lam - es.eigenvalues()[k - 1]);
    if (k + 1 < d) sep = std::min(sep, es.eigenvalues()[k + 1] - lam);
    Eigen::VectorXd v =
        mc::detail::interior_eigenvector(C, lam, sep, mc::detail::gaussian_vector(d, 9 + k));
    const double c2 = std::pow(v.dot(es.eigenvectors().col(k)), 2);
    INFO("k = " << k << ", separation " << sep);
    CHECK(c2 == Approx(1).margin(1e-10));
  }
}

TEST_CASE("validate --population: isotropic is byte-identical, bad combinations exit 2",
          "[mc][population][cli]") {
  const std::string base =
      "validate --delta 1/2 --gamma 1/2 --d 120 --alpha-over-kappa 2 --seeds 2 --no-timing "
      "--format csv";
  auto plain = run_cli(base);
  auto iso = run_cli(base + " --population isotropic");
  REQUIRE(plain.exit_code == iso.exit_code);
  REQUIRE(plain.out == iso.out);
  auto pop = run_cli(base + " --population atoms:0.5@1/2,1.5@1/2");
  REQUIRE(pop.exit_code != 2);
  CHECK(pop.out.find("population atoms:") != std::string::npos);
  CHECK(pop.out.find("60 x 0.5, 60 x 1.5") != std::string::npos);
  auto lanczos = run_cli(base + " --population atoms:0.5,1.5 --solver lanczos");
  CHECK(lanczos.exit_code == 2);
  CHECK(lanczos.err.find("--population") != std::string::npos);
  CHECK(lanczos.err.find("--solver lanczos") != std::string::npos);
  CHECK(lanczos.out.empty());
  auto table = run_cli("validate --from-table - --population atoms:0.5,1.5 </dev/null");
  CHECK(table.exit_code == 2);
  CHECK(table.err.find("--from-table") != std::string::npos);
  auto ev = run_cli(base + " --population atoms:0.5,1.5 --signal eigenvector:2");
  CHECK(ev.exit_code == 2);
  CHECK(ev.err.find("2") != std::string::npos);
}

TEST_CASE("validate --from-table refuses a table with a population column", "[mc_population]") {
  // Such rows would be simulated as isotropic and could "pass" (found by review).
  const std::string path = "/tmp/attnrmt_pop_table_" + std::to_string(::getpid()) + ".csv";
  auto made = run_cli(
      "table --quantities lambda --set delta=1/2 --set gamma=1/2 --set alpha_over_kappa=3 "
      "--population atoms:0.5@1/2,1.5@1/2 --format csv --out " +
      path);
  REQUIRE(made.exit_code == 0);
  auto r = run_cli("validate --from-table " + path + " --d 100 --seeds 2 --quiet");
  std::remove(path.c_str());
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find("population") != std::string::npos);
}
