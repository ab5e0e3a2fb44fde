// Tests for attnrmt/correlation.hpp: generators, validation, samplers.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>

#include "attnrmt/correlation.hpp"
#include "attnrmt/precision.hpp"

using namespace attnrmt;

namespace {

std::string write_matrix(const std::string& name, const std::string& text) {
  std::string path = "test_correlation_" + name + ".txt";
  std::ofstream f(path);
  f << text;
  return path;
}

std::string error_of(const std::string& spec, int T) {
  try {
    PositionalCorrelation::from_spec(spec, T);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no error";
}

// Empirical E[y_s y_t] and E[y_t] over n sequences; every entry must lie within
// 5 standard errors sqrt((1 - R_st^2)/n) of R (and of 0 for the marginals).
void check_sampler(const PositionalCorrelation& c, int n, std::uint64_t seed) {
  const int T = c.length();
  std::mt19937_64 rng(seed);
  std::vector<int> y;
  Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(T, T);
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(T);
  bool well_formed = true;  // every draw has T entries in {+1, -1}
  for (int i = 0; i < n; ++i) {
    c.sample_classes(rng, y);
    well_formed = well_formed && static_cast<int>(y.size()) == T;
    for (int s = 0; s < T; ++s) {
      well_formed = well_formed && (y[s] == 1 || y[s] == -1);
      mean(s) += y[s];
      for (int t = 0; t < T; ++t) sum(s, t) += y[s] * y[t];
    }
  }
  REQUIRE(well_formed);
  sum /= n;
  mean /= n;
  double worst = 0;  // largest deviation in standard errors
  for (int s = 0; s < T; ++s) {
    worst = std::max(worst, std::abs(mean(s)) / std::sqrt(1.0 / n));
    for (int t = 0; t < T; ++t) {
      if (s == t) continue;
      const double r = c.matrix()(s, t);
      const double se = std::sqrt(std::max(1 - r * r, 1e-12) / n);
      worst = std::max(worst, std::abs(sum(s, t) - r) / se);
    }
  }
  INFO(c.spec() << ": largest deviation " << worst << " standard errors over " << n
                << " sequences (" << c.sampler_note() << ")");
  CHECK(worst < 5.0);
}

}  // namespace

TEST_CASE("generators build the stated R", "[correlation]") {
  auto markov = PositionalCorrelation::from_spec("markov:0.6", 6);
  for (int s = 0; s < 6; ++s)
    for (int t = 0; t < 6; ++t)
      REQUIRE(markov.matrix()(s, t) == Approx(std::pow(0.6, std::abs(s - t))));
  auto lat = PositionalCorrelation::from_spec("latent-exp:0.9,4", 16);
  for (int s = 0; s < 16; ++s)
    for (int t = 0; t < 16; ++t) {
      double expect = s == t ? 1.0 : 0.81 * std::exp(-(s + t) / 4.0);
      REQUIRE(lat.matrix()(s, t) == Approx(expect).epsilon(1e-14));
    }
  // At 50 digits the latent-exp entries agree with exp in MpReal.
  {
    ScopedPrecision prec(50);
    auto r = lat.entries<MpReal>();
    REQUIRE(abs(r[0 * 16 + 3] - MpReal("0.81") * exp(MpReal(-3) / 4)) < MpReal("1e-48"));
  }
  REQUIRE(PositionalCorrelation::from_spec("latent:0.5,-0.5,1", 0).length() == 3);
  REQUIRE(PositionalCorrelation::from_spec("latent:0.5,-0.5,1", 3).matrix()(0, 1) == Approx(-0.25));
  auto id = PositionalCorrelation::from_spec("identity", 3);
  REQUIRE(id.matrix().isApprox(Eigen::MatrixXd::Identity(3, 3)));
}

TEST_CASE("invalid R: one error naming the entry or eigenvalue", "[correlation]") {
  REQUIRE_THAT(error_of("latent:0.5,1.5,0.2", 3), Catch::Contains("p_2 = 1.5"));
  REQUIRE_THAT(error_of("latent:0.5,0.2", 3),
               Catch::Contains("corr latent: the profile has 2 entries but T is 3"));
  REQUIRE_THAT(error_of("markov:-1.2", 4), Catch::Contains("r = -1.2"));
  REQUIRE_THAT(error_of("latent-exp:0.9,0", 4), Catch::Contains("L = 0"));
  REQUIRE_THAT(error_of("identity", 0),
               Catch::Contains("T: the sequence length must be an integer >= 1"));
  REQUIRE_THAT(error_of("toeplitz:1", 4), Catch::Contains("corr must be identity"));
  std::string p = write_matrix("asym", "1 0.5 0\n0.4 1 0\n0 0 1\n");
  REQUIRE_THAT(error_of("file:" + p, 3), Catch::Contains("R(1,2) = 1/2 but R(2,1) = 2/5"));
  p = write_matrix("diag", "1 0.5\n0.5 0.9\n");
  REQUIRE_THAT(error_of("file:" + p, 2), Catch::Contains("R(2,2) = 9/10 must be 1"));
  p = write_matrix("range", "1 1.5\n1.5 1\n");
  REQUIRE_THAT(error_of("file:" + p, 2), Catch::Contains("R(1,2) = 3/2 is outside [-1, 1]"));
  // Pairwise correlations -0.9: eigenvalue 1 - 2(0.9) = -0.8.
  p = write_matrix("psd", "1 -0.9 -0.9\n-0.9 1 -0.9\n-0.9 -0.9 1\n");
  REQUIRE_THAT(error_of("file:" + p, 3), Catch::Contains("smallest eigenvalue -0.8"));
  p = write_matrix("shape", "1 0\n0 1 0\n");
  REQUIRE_THAT(error_of("file:" + p, 2), Catch::Contains("row 2"));
  REQUIRE_THAT(error_of("file:" + p, 3), Catch::Contains("2 rows but T is 3"));
  for (const char* n : {"asym", "diag", "range", "psd", "shape"})
    std::remove(("test_correlation_" + std::string(n) + ".txt").c_str());
}

TEST_CASE("samplers reproduce R within 5 standard errors (fixed seeds)", "[correlation]") {
  const int n = 40000;
  check_sampler(PositionalCorrelation::from_spec("identity", 5), n, 1);
  check_sampler(PositionalCorrelation::from_spec("latent-exp:0.9,4", 8), n, 2);
  check_sampler(PositionalCorrelation::from_spec("latent:0.8,-0.6,0.3,1,0", 5), n, 3);
  check_sampler(PositionalCorrelation::from_spec("markov:0.6", 7), n, 4);
  check_sampler(PositionalCorrelation::from_spec("markov:-0.5", 5), n, 5);
  // A user matrix through the Gaussian copula (an AR(1) + equicorrelated mix).
  std::string p = write_matrix("copula",
                               "1 0.5 0.3 0.2\n"
                               "0.5 1 0.5 0.3\n"
                               "0.3 0.5 1 0.5\n"
                               "0.2 0.3 0.5 1\n");
  auto c = PositionalCorrelation::from_spec("file:" + p, 4);
  std::remove(p.c_str());
  REQUIRE(c.samplable());
  check_sampler(c, n, 6);
}

TEST_CASE("copula reports when sin(pi R/2) is not PSD", "[correlation]") {
  // Three classes with pairwise correlation -1/2: R is PSD (eigenvalues 0, 3/2,
  // 3/2) but no balanced +-1 triple has it (sum of pairwise products >= -1);
  // sin(-pi/4) = -0.7071 gives eigenvalue 1 - sqrt(2) = -0.41421.
  std::string p = write_matrix("nocopula", "1 -1/2 -1/2\n-1/2 1 -1/2\n-1/2 -1/2 1\n");
  auto c = PositionalCorrelation::from_spec("file:" + p, 3);
  std::remove(p.c_str());
  REQUIRE_FALSE(c.samplable());
  REQUIRE_THAT(c.sampler_note(), Catch::Contains("-0.4142135"));
  std::mt19937_64 rng(1);
  std::vector<int> y;
  REQUIRE_THROWS_AS(c.sample_classes(rng, y), std::domain_error);
}

TEST_CASE("top eigenpair: repeated top eigenvalue and a zero-sum eigenvector", "[correlation]") {
  // identity: lambda = 1 repeated T times; the answer is the projection of the
  // ones vector, (1, ..., 1)/sqrt(T). latent:p with p = (0.3, -0.3, 0.3, -0.3):
  // R = p p^T + 0.91 I, top eigenvalue 0.91 + |p|^2 = 1.27 with eigenvector
  // p/|p| = (1, -1, 1, -1)/2, whose sum is 0: the first largest entry is made
  // positive. Closed forms, in double and at 50 digits.
  auto id = PositionalCorrelation::from_spec("identity", 4);
  auto alt = PositionalCorrelation::from_spec("latent:0.3,-0.3,0.3,-0.3", 4);
  const auto d_id = id.top_eigenpair<double>();
  const auto d_alt = alt.top_eigenpair<double>();
  CHECK(d_id.eigenvalue == Approx(1).epsilon(1e-15));
  CHECK(d_alt.eigenvalue == Approx(1.27).epsilon(1e-15));
  for (int t = 0; t < 4; ++t) {
    CHECK(d_id.vector[t] == Approx(0.5).epsilon(1e-15));
    CHECK(d_alt.vector[t] == Approx(t % 2 == 0 ? 0.5 : -0.5).epsilon(1e-15));
  }
  ScopedPrecision prec(50);
  const auto m_id = id.top_eigenpair<MpReal>();
  const auto m_alt = alt.top_eigenpair<MpReal>();
  const MpReal tiny("1e-48");
  CHECK(abs(m_id.eigenvalue - 1) < tiny);
  CHECK(abs(m_alt.eigenvalue - MpReal("1.27")) < tiny);
  for (int t = 0; t < 4; ++t) {
    CHECK(abs(m_id.vector[t] - MpReal("0.5")) < tiny);
    CHECK(abs(m_alt.vector[t] - MpReal(t % 2 == 0 ? "0.5" : "-0.5")) < tiny);
  }
  CHECK(m_alt.residual < tiny);
}
