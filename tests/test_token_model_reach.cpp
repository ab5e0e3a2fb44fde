// Tests for attnrmt/token_model_reach.hpp (docs/finite_t.md): the reach
// criterion applied to the schemes of the calibration and of the issue.
#include <catch2/catch.hpp>
#include <cmath>
#include <stdexcept>

#include "attnrmt/token_model_reach.hpp"
#include "attnrmt/weights.hpp"

using namespace attnrmt;

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
