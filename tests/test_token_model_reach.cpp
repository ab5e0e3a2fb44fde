// Tests for attnrmt/token_model_reach.hpp (docs/finite_t.md): the reach
// criterion applied to the schemes of the calibration and of the issue.
#include <catch2/catch.hpp>
#include <cmath>
#include <stdexcept>

#include "attnrmt/token_model_reach.hpp"
#include "attnrmt/weights.hpp"
#include "support/cli_runner.hpp"

using namespace attnrmt;
using attnrmt_test::CliResult;
using attnrmt_test::parse_csv;
using attnrmt_test::run_cli;

namespace {
double t_eff(const std::string& pooling, int T) {
  return evaluate_scheme<double>(PoolingScheme::parse(pooling),
                                 PositionalCorrelation::from_spec("identity", T))
      .effective_tokens;
}
}  // namespace

TEST_CASE("token-model reach: the calibrated schemes fall on the stated side", "[finite_t]") {
  // Outside the reach (docs/finite_t.md): KS excess measured 0.034-0.040 and 0.010.
  REQUIRE_FALSE(token_model_within_reach(t_eff("last:3", 16)));
  REQUIRE_FALSE(token_model_within_reach(t_eff("mean", 1)));
  REQUIRE_FALSE(token_model_within_reach(t_eff("mean", 2)));
  REQUIRE_FALSE(token_model_within_reach(t_eff("last:2", 16)));
  // Within: measured excess below the finite-size floor at d = 2000.
  REQUIRE(token_model_within_reach(t_eff("causal", 16)));
  REQUIRE(token_model_within_reach(t_eff("mean", 16)));
  REQUIRE(token_model_within_reach(t_eff("last:1", 16)));
  REQUIRE(token_model_within_reach(t_eff("mean", 3)));
}

TEST_CASE("token-model reach: boundary, monotonicity and bad input", "[finite_t]") {
  const double b = token_model_minimum_effective_tokens();
  REQUIRE(b == Approx(std::sqrt(8.0)).epsilon(1e-15));  // sqrt(0.04 / 0.005)
  REQUIRE(token_model_ks_excess(b) == Approx(token_model_default_accuracy).epsilon(1e-14));
  REQUIRE(token_model_within_reach(b * (1 + 1e-12)));
  REQUIRE_FALSE(token_model_within_reach(b * (1 - 1e-12)));
  REQUIRE(token_model_ks_excess(1.0) == Approx(token_model_ks_coefficient));
  REQUIRE(token_model_ks_excess(2.0) == Approx(token_model_ks_coefficient / 4));
  REQUIRE_THROWS_AS(token_model_ks_excess(0.5), std::invalid_argument);
  REQUIRE_THROWS_AS(token_model_ks_excess(std::nan("")), std::invalid_argument);
  REQUIRE_THROWS_AS(token_model_within_reach(4.0, 0.0), std::invalid_argument);
}

TEST_CASE("CLI: the reach warning appears for concentrated weights only", "[finite_t][cli]") {
  for (const char* args :
       {"weights --T 16 --pooling last:3", "weights --T 1 --pooling mean",
        "weights --T 2 --pooling mean", "compare --T 2 --pooling mean --delta 1/2 --gamma 1/2",
        "outlier --delta 1/2 --gamma 1/2 --T 16 --pooling last:3 --corr "
        "latent-exp:0.9,4",
        "thresholds --delta 1/2 --gamma 1/2 --T 1 --pooling mean"}) {
    CliResult r = run_cli(args);
    INFO(args << "\n" << r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.err.find("effective tokens") != std::string::npos);
    REQUIRE(r.err.find("validate --model tokens") != std::string::npos);
    REQUIRE(r.err.find("bulk --law finite-T") != std::string::npos);
  }
  for (const char* args : {"weights --T 16 --pooling causal", "weights --T 3 --pooling mean",
                           "compare --T 16 --corr latent-exp:0.9,4 --delta 1/2 --gamma 1/2"}) {
    CliResult r = run_cli(args);
    INFO(args << "\n" << r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.err.find("effective tokens") == std::string::npos);
  }
}

TEST_CASE("CLI: table quantities scheme_effective_tokens and scheme_max_weight_share",
          "[finite_t][cli]") {
  CliResult r = run_cli(
      "table --quantities scheme_effective_tokens,scheme_max_weight_share --set T=16 "
      "--set pooling=last:3 --set corr=identity --digits 12 --format csv");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto rows = parse_csv(r.out);
  std::vector<std::string> header, values;
  for (const auto& row : rows)
    if (!row.empty() && !row[0].empty() && row[0][0] != '#')
      (header.empty() ? header : values) = row;
  REQUIRE(values.size() == header.size());
  auto column = [&](const std::string& name) {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return std::stod(values[i]);
    FAIL("no column " << name);
    return 0.0;
  };
  // Closed form for last:3 at T = 16 (weights proportional to 1, ..., 1, e^3).
  const double e2 = std::exp(6.0), k = 15 + e2;
  CHECK(column("scheme_effective_tokens") == Approx(k * k / (15 + e2 * e2)).epsilon(1e-11));
  CHECK(column("scheme_max_weight_share") == Approx(e2 / k).epsilon(1e-11));
}
